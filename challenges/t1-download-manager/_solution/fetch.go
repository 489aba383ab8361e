package download

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// bufSize is the size of a worker's copy buffer ("one buffer").
const bufSize = 32 << 10

// permanentError marks a failure that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// fetch downloads it, retrying failed attempts with Options.Backoff. The
// retry budget counts consecutive failures without progress: a connection
// that drops after delivering bytes does not use it up.
func (m *Manager) fetch(ctx context.Context, it *item, buf []byte) error {
	failures := 0
	for {
		before := it.recv.Load()
		err := m.attempt(ctx, it, buf)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if perm, ok := errors.AsType[*permanentError](err); ok {
			return perm.err
		}
		if it.recv.Load() > before {
			failures = 0
		}
		failures++
		if failures > m.opts.MaxRetries {
			return err
		}
		t := time.NewTimer(m.opts.Backoff(failures))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return context.Cause(ctx)
		}
	}
}

// attempt is one request: stat .part → GET with Range/If-Range → 206
// appends, 200 truncates → hash → rename.
func (m *Manager) attempt(ctx context.Context, it *item, buf []byte) error {
	part := it.req.Dest + ".part"
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return &permanentError{err}
	}
	err = m.receive(ctx, it, f, buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if it.want != nil {
		if err := verify(part, it.want, buf); err != nil {
			// A corrupt .part must not be resumed: start from scratch next time.
			os.Remove(part)
			it.etag = ""
			return &permanentError{err}
		}
	}
	if err := os.Rename(part, it.req.Dest); err != nil {
		return &permanentError{err}
	}
	return nil
}

// receive appends the rest of the file to f, or rewrites f from offset 0
// when the server cannot or will not resume.
func (m *Manager) receive(ctx context.Context, it *item, f *os.File, buf []byte) error {
	off, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return &permanentError{err}
	}
	if off > 0 && it.etag == "" {
		// No validator for these bytes (e.g. left by another process):
		// resuming could splice two versions of the file together.
		if off, err = restart(f); err != nil {
			return err
		}
	}
	it.bytes.Store(off)

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, it.req.URL, nil)
	if err != nil {
		return &permanentError{err}
	}
	if off > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
		req.Header.Set("If-Range", it.etag) // a changed file comes back as 200
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent && off > 0:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != off {
			it.etag = "" // do not trust this .part any more
			return fmt.Errorf("download: %s: Content-Range %q, want start %d", it.req.URL, resp.Header.Get("Content-Range"), off)
		}
		it.total.Store(total)
	case code == http.StatusOK:
		// Either the file changed (If-Range did not match) or the server
		// ignores Range: the body is the whole file.
		if off > 0 {
			if off, err = restart(f); err != nil {
				return err
			}
			it.bytes.Store(0)
		}
		it.total.Store(resp.ContentLength)
	case code == http.StatusRequestedRangeNotSatisfiable:
		it.etag = "" // .part is not a prefix of the current file
		return fmt.Errorf("download: %s: %s", it.req.URL, resp.Status)
	case code >= 500 || code == http.StatusTooManyRequests:
		return fmt.Errorf("download: %s: %s", it.req.URL, resp.Status)
	default:
		return &permanentError{fmt.Errorf("download: %s: %s", it.req.URL, resp.Status)}
	}
	it.etag = strongETag(resp.Header.Get("ETag"))

	n, err := io.CopyBuffer(counter{f, it}, resp.Body, buf)
	if err != nil {
		return err
	}
	if total := it.total.Load(); total < 0 {
		it.total.Store(off + n)
	} else if off+n != total {
		return fmt.Errorf("download: %s: got %d bytes, want %d: %w", it.req.URL, off+n, total, io.ErrUnexpectedEOF)
	}
	return nil
}

// restart truncates f to zero length.
func restart(f *os.File) (int64, error) {
	if err := f.Truncate(0); err != nil {
		return 0, &permanentError{err}
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, &permanentError{err}
	}
	return 0, nil
}

// counter writes to the .part file and publishes progress with two atomic
// adds per chunk. It deliberately has no ReadFrom method, so io.CopyBuffer
// uses the worker's buffer instead of allocating its own.
type counter struct {
	f  *os.File
	it *item
}

func (c counter) Write(p []byte) (int, error) {
	n, err := c.f.Write(p)
	c.it.bytes.Add(int64(n))
	c.it.recv.Add(int64(n))
	return n, err
}

// verify hashes the file at path with buf and compares it with want.
func verify(path string, want, buf []byte) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	// A plain read loop: io.CopyBuffer would hand the copy to
	// (*os.File).WriteTo, which ignores buf and allocates its own.
	for {
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	var sum [sha256.Size]byte
	if got := h.Sum(sum[:0]); !bytes.Equal(got, want) {
		return fmt.Errorf("%w: got %x, want %x", ErrChecksum, got, want)
	}
	return nil
}

// strongETag returns an ETag usable in If-Range (weak ones are not).
func strongETag(etag string) string {
	if strings.HasPrefix(etag, "W/") {
		return ""
	}
	return etag
}

// parseContentRange parses "bytes start-end/total"; total is -1 for "*".
func parseContentRange(s string) (start, total int64, ok bool) {
	rest, ok := strings.CutPrefix(s, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rng, size, ok := strings.Cut(rest, "/")
	if !ok {
		return 0, 0, false
	}
	first, _, ok := strings.Cut(rng, "-")
	if !ok {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	if size == "*" {
		return start, -1, true
	}
	total, err = strconv.ParseInt(size, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	return start, total, true
}
