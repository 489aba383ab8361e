package download

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// This file is the test bench: a loopback file server built on
// http.ServeContent (Range, If-Range, ETag) with fault injection, and a few
// helpers. Nothing here is part of the API you implement.

// spec describes one served file and the faults to inject.
type spec struct {
	data []byte
	etag string // strong ETag, e.g. `"v1"`; "" = none

	// dropAt[i] > 0 cuts request i (0-based) after that many body bytes:
	// the server flushes them, hijacks the connection and closes it.
	dropAt []int64
	// The first fail503 requests get 503 Service Unavailable.
	fail503 int
	// ignoreRange makes the server answer every request with 200 and the
	// whole file, like a server without Range support.
	ignoreRange bool
	// From request swapAt on (if > 0) the file is data2 with ETag etag2.
	swapAt       int
	data2        []byte
	etag2        string
	chunk        int           // throttling: write at most chunk bytes at a time ...
	delay        time.Duration // ... and sleep this long after each chunk
	dest         string        // if set, count requests issued after dest exists
	lastModified time.Time
}

// reqInfo is what the server saw and answered for one request.
type reqInfo struct {
	Range, IfRange string
	Status         int
}

// served is the live state of one file on the server.
type served struct {
	mu       sync.Mutex
	spec     spec
	reqs     []reqInfo
	sent     atomic.Int64 // body bytes written for this file
	inflight atomic.Int64 // handlers running for this file
}

func (f *served) requests() []reqInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]reqInfo(nil), f.reqs...)
}

type fileServer struct {
	srv *httptest.Server // nil when used as a plain http.Handler

	mu        sync.Mutex
	files     map[string]*served
	active    int // downloads in flight (see faultWriter.leave)
	maxActive int
	order     []string // paths in the order requests arrived

	sent atomic.Int64 // body bytes written, all files
	late atomic.Int64 // requests issued for a file whose Dest already existed
}

// newFileServer starts a loopback server, closed when the test ends.
func newFileServer(t *testing.T) *fileServer {
	t.Helper()
	fs := &fileServer{files: make(map[string]*served)}
	fs.srv = httptest.NewServer(fs)
	t.Cleanup(fs.srv.Close)
	return fs
}

// add serves s at path and returns its URL.
func (fs *fileServer) add(path string, s spec) string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.files[path] = &served{spec: s}
	if fs.srv == nil {
		return "http://files.test" + path
	}
	return fs.srv.URL + path
}

func (fs *fileServer) file(path string) *served {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.files[path]
}

func (fs *fileServer) maxConcurrent() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.maxActive
}

func (fs *fileServer) arrivals() []string {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]string(nil), fs.order...)
}

// client returns the client to hand to New. Its transport notes requests
// issued for a file already in place (checked when the request is sent: the
// server may see an abandoned request late).
func (fs *fileServer) client() *http.Client {
	if fs.srv == nil {
		return &http.Client{Transport: lateCheck{fs, handlerTransport{fs}}}
	}
	return &http.Client{Transport: lateCheck{fs, fs.srv.Client().Transport}}
}

type lateCheck struct {
	fs   *fileServer
	base http.RoundTripper
}

func (t lateCheck) RoundTrip(r *http.Request) (*http.Response, error) {
	if f := t.fs.file(r.URL.Path); f != nil {
		f.mu.Lock()
		dest := f.spec.dest
		f.mu.Unlock()
		if dest != "" {
			if _, err := os.Stat(dest); err == nil {
				t.fs.late.Add(1)
			}
		}
	}
	return t.base.RoundTrip(r)
}

func (fs *fileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := fs.file(r.URL.Path)
	if f == nil {
		http.NotFound(w, r)
		return
	}
	f.inflight.Add(1)
	defer f.inflight.Add(-1)

	f.mu.Lock()
	idx := len(f.reqs)
	f.reqs = append(f.reqs, reqInfo{Range: r.Header.Get("Range"), IfRange: r.Header.Get("If-Range")})
	s := f.spec
	f.mu.Unlock()

	fw := &faultWriter{ResponseWriter: w, fs: fs, f: f, idx: idx, ctx: r.Context(), chunk: s.chunk, delay: s.delay}
	fs.mu.Lock()
	fs.order = append(fs.order, r.URL.Path)
	fs.active++
	fs.maxActive = max(fs.maxActive, fs.active)
	fs.mu.Unlock()
	defer fw.leave()

	if idx < s.fail503 {
		fw.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	if idx < len(s.dropAt) {
		fw.drop = s.dropAt[idx]
	}
	data, etag := s.data, s.etag
	if s.swapAt > 0 && idx >= s.swapAt {
		data, etag = s.data2, s.etag2
	}
	if s.ignoreRange {
		r.Header.Del("Range")
	}
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(fw, r, "", s.lastModified, bytes.NewReader(data))
}

var errDropped = errors.New("test server: connection dropped on purpose")

// faultWriter throttles and cuts response bodies and keeps the counters.
type faultWriter struct {
	http.ResponseWriter
	fs      *fileServer
	f       *served
	idx     int
	ctx     context.Context
	chunk   int
	delay   time.Duration
	drop    int64
	length  int64 // Content-Length, -1 unknown
	written int64
	left    bool
}

func (w *faultWriter) WriteHeader(code int) {
	w.f.mu.Lock()
	w.f.reqs[w.idx].Status = code
	w.f.mu.Unlock()
	w.length = -1
	if n, err := strconv.ParseInt(w.Header().Get("Content-Length"), 10, 64); err == nil {
		w.length = n
	}
	w.ResponseWriter.WriteHeader(code)
}

// leave ends this download for the concurrency count. It runs before the
// last chunk is written: a client cannot have finished (and started its
// next download) before then, so the count never over-reports.
func (w *faultWriter) leave() {
	if w.left {
		return
	}
	w.left = true
	w.fs.mu.Lock()
	w.fs.active--
	w.fs.mu.Unlock()
}

func (w *faultWriter) Write(p []byte) (int, error) {
	total := 0
	for len(p) > 0 {
		c := p
		if w.chunk > 0 && len(c) > w.chunk {
			c = c[:w.chunk]
		}
		if w.drop > 0 && w.written+int64(len(c)) >= w.drop {
			n, _ := w.ResponseWriter.Write(c[:w.drop-w.written])
			w.count(n)
			rc := http.NewResponseController(w.ResponseWriter)
			rc.Flush()
			if conn, _, err := rc.Hijack(); err == nil {
				conn.Close()
			}
			return total + n, errDropped
		}
		if w.length >= 0 && w.written+int64(len(c)) >= w.length {
			w.leave()
		}
		n, err := w.ResponseWriter.Write(c)
		w.count(n)
		total += n
		if err != nil {
			return total, err
		}
		p = p[len(c):]
		if w.delay > 0 {
			t := time.NewTimer(w.delay)
			select {
			case <-t.C:
			case <-w.ctx.Done():
				t.Stop()
				return total, w.ctx.Err()
			}
		}
	}
	return total, nil
}

func (w *faultWriter) count(n int) {
	w.written += int64(n)
	w.f.sent.Add(int64(n))
	w.fs.sent.Add(int64(n))
}

// handlerTransport calls a handler in-process: no sockets, so a
// synctest bubble can fake the clock.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// randomData returns n deterministic pseudo-random bytes.
func randomData(seed uint64, n int) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	rand.NewChaCha8(key).Read(b)
	return b
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fastBackoff keeps retries quick on loopback.
func fastBackoff(int) time.Duration { return time.Millisecond }

// startManager builds a Manager and runs it until the test ends; the
// cleanup fails the test if Run does not return promptly.
func startManager(t *testing.T, c *http.Client, o Options) *Manager {
	t.Helper()
	m, err := New(c, o)
	if err != nil {
		t.Fatalf("New(Workers: %d, MaxRetries: %d): got error %v, want nil", o.Workers, o.MaxRetries, err)
	}
	if m == nil {
		t.Fatalf("New(Workers: %d, MaxRetries: %d): got nil *Manager", o.Workers, o.MaxRetries)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run after cancel: got %v, want nil", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Run did not return within 5s after its context was canceled")
		}
	})
	return m
}

// mustAdd adds r and fails the test on error.
func mustAdd(t *testing.T, m *Manager, r Request) ID {
	t.Helper()
	id, err := m.Add(r)
	if err != nil {
		t.Fatalf("Add(%+v): got error %v, want nil", r, err)
	}
	return id
}

// waitOK waits for every id with one deadline and fails on any error.
func waitOK(t *testing.T, m *Manager, d time.Duration, ids ...ID) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for _, id := range ids {
		if err := m.Wait(ctx, id); err != nil {
			t.Fatalf("Wait(%d): got %v, want nil", id, err)
		}
	}
}

// eventually polls cond every millisecond until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// checkFile compares dest with want and checks that no .part is left.
func checkFile(t *testing.T, dest string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(dest)
	if err != nil {
		t.Errorf("read %s: %v", filepath.Base(dest), err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: got %d bytes (sha256 %.12s), want %d bytes (sha256 %.12s)",
			filepath.Base(dest), len(got), sum(got), len(want), sum(want))
	}
	if _, err := os.Stat(dest + ".part"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s.part: got stat error %v, want os.ErrNotExist (the .part file is renamed away)", filepath.Base(dest), err)
	}
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}

func rangeFrom(off int64) string { return fmt.Sprintf("bytes=%d-", off) }
