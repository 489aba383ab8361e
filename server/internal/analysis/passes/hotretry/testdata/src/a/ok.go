package a

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

func handle(b []byte) error { return nil }

// Skipping failing items of a collection is not a retry.
func Skip(items [][]byte) {
	for _, it := range items {
		if err := handle(it); err != nil {
			continue
		}
	}
}

// Nor in an index loop.
func SkipIndex(items [][]byte) {
	for i := 0; i < len(items); i++ {
		if err := handle(items[i]); err != nil {
			continue
		}
		return
	}
}

// Nor in a work list that shrinks.
func Worklist(queue [][]byte) {
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if err := handle(it); err != nil {
			continue
		}
		return
	}
}

// A condition that advances an iterator.
func Lines(sc *bufio.Scanner) (sum int) {
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			continue
		}
		sum += n
	}
	return sum
}

// A stream read to io.EOF, skipping bad records.
func Records(r *csv.Reader) (out [][]string) {
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			continue
		}
		out = append(out, rec)
	}
}

// The reference shape: a timer raced against ctx.
func WithBackoff(ctx context.Context, msg string) error {
	for attempt := 1; ; attempt++ {
		err := send(ctx, msg)
		if err == nil || attempt == 5 {
			return err
		}
		t := time.NewTimer(time.Duration(attempt) * 100 * time.Millisecond)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// A wait in a helper of the package.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func WithHelper(ctx context.Context, msg string) error {
	var delay time.Duration
	for {
		err := send(ctx, msg)
		if err == nil {
			return nil
		}
		delay = 2*delay + time.Millisecond
		if !sleepCtx(ctx, delay) {
			return ctx.Err()
		}
	}
}

// A rate limiter's Wait (another package's, recognised by name).
type limiter interface{ Wait(context.Context) error }

func Limited(ctx context.Context, l limiter, msg string) error {
	for {
		if err := l.Wait(ctx); err != nil {
			return err
		}
		if err := send(ctx, msg); err != nil {
			log.Print(err)
			continue
		}
		return nil
	}
}

// A loop that processes work forever (an accept or read loop): the
// success path neither leaves nor waits, so it is not a retry loop.
func Serve(next func() ([]byte, error)) {
	for {
		b, err := next()
		if err != nil {
			continue
		}
		_ = handle(b)
	}
}

// Waiting on a channel between attempts.
func Ticked(ctx context.Context, tick <-chan time.Time) error {
	for {
		if err := send(ctx, "x"); err == nil {
			return nil
		}
		<-tick
	}
}

// A retry with a time.Sleep backoff but no ctx to honour: the sleep is fine.
func NoCtx() []byte {
	for {
		b, err := fetch()
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		return b
	}
}

// The error comes from something the loop changes each time.
func Ports(host string) error {
	for port := 8000; ; port++ {
		if err := listen(host, port); err == nil {
			return nil
		}
	}
}

func listen(host string, port int) error { return nil }

// Retrying one named error at once, on purpose (EINTR, an optimistic
// concurrency conflict): the author decided it.
var errConflict = errors.New("conflict")

func Conflict(ctx context.Context) error {
	for {
		err := send(ctx, "x")
		switch {
		case errors.Is(err, errConflict):
			continue
		case err != nil:
			return err
		}
		return nil
	}
}

func EINTR(fd int, b []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, b)
		if err == syscall.EINTR {
			continue
		}
		return n, err
	}
}

// Going round only for one named error.
func Fragments(r *bufio.Reader) (out [][]byte, err error) {
	for {
		frag, e := r.ReadSlice('\n')
		if e == nil {
			return append(out, frag), nil
		}
		if e != bufio.ErrBufferFull {
			return out, e
		}
		out = append(out, bytes.Clone(frag))
	}
}

// A write loop consumes what each call did: progress, not a retry.
func WriteAll(w io.Writer, p []byte) error {
	for {
		n, err := w.Write(p)
		p = p[n:]
		if err == nil && len(p) == 0 {
			return nil
		}
	}
}

// Walking up directories: dir changes through parent.
func FindRoot(dir string) (string, error) {
	for {
		parent := filepath.Dir(dir)
		_, err := os.Stat(filepath.Join(dir, "go.mod"))
		if err != nil {
			if parent == dir {
				return "", err
			}
			dir = parent
			continue
		}
		return dir, nil
	}
}

// A fresh random name each attempt.
func nextRandom() string { return "x" }

func CreateTemp(dir string) (*os.File, error) {
	for try := 0; try < 100; try++ {
		name := filepath.Join(dir, nextRandom())
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			continue
		}
		return f, nil
	}
	return nil, errors.New("no name")
}

// A loop that runs while things succeed.
func ReadUntilError(next func() ([]byte, error)) {
	var err error
	for err == nil {
		var b []byte
		b, err = next()
		if err == nil && len(b) == 0 {
			continue
		}
		_ = handle(b)
	}
}

// Fresh input from a method of a stream each time.
func Packets(c net.Conn, parse func([]byte) error) error {
	b := make([]byte, 512)
	for {
		n, err := c.Read(b)
		if err != nil {
			return err
		}
		if err := parse(b[:n]); err != nil {
			continue // a bad packet: read the next one
		}
		return nil
	}
}

// The wait is in a local function literal.
func LocalHelper() error {
	backoffOrLog := func(err error) {
		log.Print(err)
		time.Sleep(time.Millisecond)
	}
	for {
		if _, err := fetch(); err != nil {
			backoffOrLog(err)
			continue
		}
		return nil
	}
}

// A parser filled from fresh input each time.
type parser struct{ b []byte }

func (p *parser) Start(b []byte) error { p.b = b; return nil }
func (p *parser) Header() error        { return nil }

func Responses(c net.Conn) error {
	b := make([]byte, 512)
	for {
		n, err := c.Read(b)
		if err != nil {
			return err
		}
		var p parser
		if err := p.Start(b[:n]); err != nil {
			continue
		}
		if err := p.Header(); err != nil {
			continue
		}
		return nil
	}
}
