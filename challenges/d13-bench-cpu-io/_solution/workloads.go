package benchio

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// ---- SHA-256: CPU-bound ----

type sha256Workload struct {
	size int
	buf  []byte // read-only once Setup returns: Ops share it safely
}

// NewSHA256 returns a CPU-bound workload named "SHA256/size=<size>" whose
// Op hashes a size-byte buffer. size must be > 0.
func NewSHA256(size int) (Workload, error) {
	if size <= 0 {
		return nil, fmt.Errorf("%w: SHA256 size %d, want > 0", ErrInvalid, size)
	}
	return &sha256Workload{size: size}, nil
}

func (w *sha256Workload) Name() string { return fmt.Sprintf("SHA256/size=%d", w.size) }
func (w *sha256Workload) Kind() Kind   { return CPU }

func (w *sha256Workload) Setup(context.Context) error {
	w.buf = make([]byte, w.size)
	for i := range w.buf {
		w.buf[i] = byte(i * 7)
	}
	return nil
}

func (w *sha256Workload) Op(context.Context) error {
	if w.buf == nil {
		return errors.New("benchio: SHA256: Op before Setup")
	}
	sum := sha256.Sum256(w.buf)
	if sum == [sha256.Size]byte{} { // never true; keeps the result observable
		return errors.New("benchio: SHA256: zero digest")
	}
	return nil
}

func (w *sha256Workload) Teardown() error { return nil }

// ---- JSON: CPU-bound, allocation-heavy ----

type jsonRecord struct {
	ID    int               `json:"id"`
	Name  string            `json:"name"`
	Score float64           `json:"score"`
	Tags  []string          `json:"tags"`
	Attrs map[string]string `json:"attrs"`
}

type jsonWorkload struct {
	records int
	doc     []jsonRecord // read-only once Setup returns
}

// NewJSON returns a CPU-bound workload named "JSON/records=<records>" whose
// Op encodes a document of that many records and decodes it back. records
// must be > 0.
func NewJSON(records int) (Workload, error) {
	if records <= 0 {
		return nil, fmt.Errorf("%w: JSON records %d, want > 0", ErrInvalid, records)
	}
	return &jsonWorkload{records: records}, nil
}

func (w *jsonWorkload) Name() string { return fmt.Sprintf("JSON/records=%d", w.records) }
func (w *jsonWorkload) Kind() Kind   { return CPU }

func (w *jsonWorkload) Setup(context.Context) error {
	w.doc = make([]jsonRecord, w.records)
	for i := range w.doc {
		w.doc[i] = jsonRecord{
			ID: i, Name: fmt.Sprintf("record-%d", i), Score: float64(i) * 1.5,
			Tags:  []string{"a", "b", fmt.Sprint(i % 7)},
			Attrs: map[string]string{"k": "v", "n": fmt.Sprint(i)},
		}
	}
	return nil
}

func (w *jsonWorkload) Op(context.Context) error {
	if w.doc == nil {
		return errors.New("benchio: JSON: Op before Setup")
	}
	data, err := json.Marshal(w.doc)
	if err != nil {
		return err
	}
	var back []jsonRecord
	if err := json.Unmarshal(data, &back); err != nil {
		return err
	}
	if len(back) != len(w.doc) {
		return fmt.Errorf("benchio: JSON: decoded %d records, want %d", len(back), len(w.doc))
	}
	return nil
}

func (w *jsonWorkload) Teardown() error { return nil }

// ---- PipeIO: I/O-bound ----

// pipeConn is the client end of a net.Pipe whose other end is served by
// one goroutine.
type pipeConn struct {
	c   net.Conn
	buf []byte
}

type pipeWorkload struct {
	latency time.Duration
	size    int

	mu     sync.Mutex
	ready  bool
	idle   []*pipeConn   // connections not in use
	conns  []*pipeConn   // every open connection, to close on Teardown
	done   chan struct{} // closed by Teardown: servers stop waiting
	wg     sync.WaitGroup
	closed bool
}

// NewPipeIO returns an I/O-bound workload named "PipeIO/latency=<latency>"
// (latency formatted by time.Duration.String). Its Op sends a size-byte
// request over a net.Pipe to a server goroutine that waits latency before
// echoing it back. Concurrent Ops use separate connections, so they wait in
// parallel; connections are pooled across Ops. latency must be >= 0 and
// size > 0.
func NewPipeIO(latency time.Duration, size int) (Workload, error) {
	if latency < 0 || size <= 0 {
		return nil, fmt.Errorf("%w: PipeIO latency %v and size %d, want >= 0 and > 0", ErrInvalid, latency, size)
	}
	return &pipeWorkload{latency: latency, size: size}, nil
}

func (w *pipeWorkload) Name() string { return fmt.Sprintf("PipeIO/latency=%v", w.latency) }
func (w *pipeWorkload) Kind() Kind   { return IO }

func (w *pipeWorkload) Setup(context.Context) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ready, w.closed = true, false
	w.idle, w.conns = nil, nil
	w.done = make(chan struct{})
	return nil
}

// get returns an idle connection, or dials a new one.
func (w *pipeWorkload) get() (*pipeConn, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.ready || w.closed {
		return nil, errors.New("benchio: PipeIO: Op outside Setup/Teardown")
	}
	if n := len(w.idle); n > 0 {
		pc := w.idle[n-1]
		w.idle = w.idle[:n-1]
		return pc, nil
	}
	client, server := net.Pipe()
	pc := &pipeConn{c: client, buf: make([]byte, w.size)}
	w.conns = append(w.conns, pc)
	done := w.done
	w.wg.Go(func() { w.serve(server, done) })
	return pc, nil
}

func (w *pipeWorkload) put(pc *pipeConn) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		pc.c.Close()
		return
	}
	w.idle = append(w.idle, pc)
}

// discard closes a connection whose state is unknown (an Op failed half
// way: a response may still be on its way).
func (w *pipeWorkload) discard(pc *pipeConn) {
	pc.c.Close()
	w.mu.Lock()
	defer w.mu.Unlock()
	if i := indexOf(w.conns, pc); i >= 0 {
		w.conns = append(w.conns[:i], w.conns[i+1:]...)
	}
}

func indexOf(s []*pipeConn, pc *pipeConn) int {
	for i, x := range s {
		if x == pc {
			return i
		}
	}
	return -1
}

// serve echoes fixed-size requests after the simulated latency, until the
// client closes its end or Teardown closes done.
func (w *pipeWorkload) serve(c net.Conn, done <-chan struct{}) {
	defer c.Close()
	buf := make([]byte, w.size)
	var t *time.Timer
	for {
		if _, err := io.ReadFull(c, buf); err != nil {
			return
		}
		if w.latency > 0 {
			if t == nil {
				t = time.NewTimer(w.latency)
			} else {
				t.Reset(w.latency)
			}
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}

func (w *pipeWorkload) Op(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pc, err := w.get()
	if err != nil {
		return err
	}
	// A blocked pipe Read or Write returns when its deadline passes: move
	// the deadline into the past when ctx ends.
	stop := context.AfterFunc(ctx, func() { pc.c.SetDeadline(time.Unix(1, 0)) })
	_, err = pc.c.Write(pc.buf)
	if err == nil {
		_, err = io.ReadFull(pc.c, pc.buf)
	}
	if !stop() {
		// ctx ended during the exchange: whatever happened, the connection
		// may hold a late response. Never reuse it.
		w.discard(pc)
		return ctx.Err()
	}
	if err != nil {
		w.discard(pc)
		return err
	}
	w.put(pc)
	return nil
}

// Teardown closes every connection and waits for the server goroutines.
func (w *pipeWorkload) Teardown() error {
	w.mu.Lock()
	if !w.ready || w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	close(w.done)
	for _, pc := range w.conns {
		pc.c.Close()
	}
	w.idle, w.conns = nil, nil
	w.mu.Unlock()
	w.wg.Wait()
	return nil
}
