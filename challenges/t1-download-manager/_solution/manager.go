// Package download is a concurrent file download manager: a bounded pool of
// workers downloads to ".part" files, resumes with Range/If-Range, retries
// with backoff, pauses by cancelling the request (keeping the partial file),
// verifies SHA-256 before an atomic rename and publishes progress as
// latest-value snapshots.
package download

import (
	"cmp"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by the Manager. Compare with errors.Is.
var (
	ErrNotImplemented  = errors.New("download: not implemented")
	ErrInvalidOptions  = errors.New("download: invalid options")
	ErrInvalidRequest  = errors.New("download: invalid request")
	ErrUnknownID       = errors.New("download: unknown id")
	ErrFinished        = errors.New("download: already finished")
	ErrCanceled        = errors.New("download: canceled")
	ErrChecksum        = errors.New("download: checksum mismatch")
	ErrClosed          = errors.New("download: manager closed")
	errPaused          = errors.New("download: paused") // cancel cause, never returned
	defaultBackoffBase = 100 * time.Millisecond
)

// ID identifies one download of a Manager. IDs start at 1.
type ID uint64

// Request describes one download. SHA256 is optional: when set (64 hex
// digits) the file is verified before it is renamed to Dest.
type Request struct {
	URL, Dest, SHA256 string
}

// Options configure a Manager.
type Options struct {
	Workers       int                     // concurrent downloads, > 0
	MaxRetries    int                     // failed attempts in a row before giving up, >= 0
	Backoff       func(int) time.Duration // delay before retry n (1-based); nil = exponential from 100ms
	ProgressEvery time.Duration           // snapshot period; 0 = 100ms
}

// State is the lifecycle state of one download.
type State int

const (
	Queued State = iota
	Running
	Paused
	Done
	Failed
	Canceled
)

func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Running:
		return "running"
	case Paused:
		return "paused"
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Canceled:
		return "canceled"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

func (s State) terminal() bool { return s == Done || s == Failed || s == Canceled }

// Item is the progress of one download inside a Snapshot.
type Item struct {
	ID    ID
	URL   string
	Dest  string
	State State
	Bytes int64   // bytes in the .part file (the whole file once Done)
	Total int64   // file size, -1 while unknown
	Speed float64 // bytes per second, exponentially weighted moving average
	Err   error   // why the item Failed
}

// Snapshot is the progress of every item at one instant, ordered by ID.
type Snapshot struct {
	At    time.Time
	Items []Item
}

// Manager downloads files with a bounded number of workers.
type Manager struct {
	client *http.Client
	opts   Options

	progress chan Snapshot // buffered 1, latest wins
	wake     chan struct{} // buffered 1: "the queue may be non-empty"
	closed   chan struct{} // closed when Run returns
	started  atomic.Bool

	mu     sync.Mutex
	nextID ID
	items  map[ID]*item
	queue  []*item // FIFO; entries whose state is no longer Queued are skipped
	done   bool    // Run has returned
}

// item is one download. Fields under "guarded by mu" belong to Manager.mu;
// the counters are atomics because the worker writes them on every chunk
// while the ticker reads them.
type item struct {
	id   ID
	req  Request
	want []byte // decoded SHA256, nil = no verification

	bytes atomic.Int64 // bytes in the .part file
	recv  atomic.Int64 // bytes received from the network (monotonic, for speed)
	total atomic.Int64 // -1 = unknown

	// guarded by Manager.mu
	state   State
	err     error
	cancel  context.CancelCauseFunc // set while Running
	stopped chan struct{}           // closed when the Running worker has let go
	done    chan struct{}           // closed on the first terminal state

	// owned by the worker currently running the item (one at a time; the
	// hand-over goes through mu, which orders the accesses)
	etag string

	// owned by the ticker goroutine
	lastRecv int64
	speed    float64
}

// New validates o and returns a Manager. A nil client means http.DefaultClient.
func New(c *http.Client, o Options) (*Manager, error) {
	switch {
	case o.Workers <= 0:
		return nil, fmt.Errorf("%w: Workers = %d, want > 0", ErrInvalidOptions, o.Workers)
	case o.MaxRetries < 0:
		return nil, fmt.Errorf("%w: MaxRetries = %d, want >= 0", ErrInvalidOptions, o.MaxRetries)
	case o.ProgressEvery < 0:
		return nil, fmt.Errorf("%w: ProgressEvery = %v, want >= 0", ErrInvalidOptions, o.ProgressEvery)
	}
	if c == nil {
		c = http.DefaultClient
	}
	if o.Backoff == nil {
		o.Backoff = func(n int) time.Duration {
			return defaultBackoffBase << min(n-1, 6) // 100ms .. 6.4s
		}
	}
	if o.ProgressEvery == 0 {
		o.ProgressEvery = 100 * time.Millisecond
	}
	return &Manager{
		client:   c,
		opts:     o,
		progress: make(chan Snapshot, 1),
		wake:     make(chan struct{}, 1),
		closed:   make(chan struct{}),
		items:    make(map[ID]*item),
	}, nil
}

// Add validates r and queues it. It may be called before or while Run runs.
func (m *Manager) Add(r Request) (ID, error) {
	u, err := url.Parse(r.URL)
	if r.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, fmt.Errorf("%w: URL %q", ErrInvalidRequest, r.URL)
	}
	if r.Dest == "" {
		return 0, fmt.Errorf("%w: empty Dest", ErrInvalidRequest)
	}
	var want []byte
	if r.SHA256 != "" {
		want, err = hex.DecodeString(r.SHA256)
		if err != nil || len(want) != 32 {
			return 0, fmt.Errorf("%w: SHA256 %q is not 64 hex digits", ErrInvalidRequest, r.SHA256)
		}
	}
	it := &item{req: r, want: want, state: Queued, done: make(chan struct{})}
	it.total.Store(-1)

	m.mu.Lock()
	if m.done {
		m.mu.Unlock()
		return 0, ErrClosed
	}
	m.nextID++
	it.id = m.nextID
	m.items[it.id] = it
	m.queue = append(m.queue, it)
	m.mu.Unlock()
	m.signal()
	return it.id, nil
}

// signal wakes the dispatcher without ever blocking: one pending wake-up is
// enough because the dispatcher drains the whole queue before sleeping.
func (m *Manager) signal() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Pause stops a queued or running download and keeps its .part file. For a
// running download it returns once the request is gone and the .part file
// holds every byte received. Pausing a paused item is a no-op. If the item
// is (or, racing with Pause, becomes) finished, Pause returns ErrFinished.
func (m *Manager) Pause(id ID) error {
	return m.stop(id, Paused, errPaused)
}

// Cancel stops a download for good and removes its .part file; Wait then
// returns ErrCanceled. A finished item is left alone (ErrFinished).
func (m *Manager) Cancel(id ID) error {
	return m.stop(id, Canceled, ErrCanceled)
}

func (m *Manager) stop(id ID, to State, cause error) error {
	for waited := false; ; waited = true {
		m.mu.Lock()
		it, ok := m.items[id]
		if !ok {
			m.mu.Unlock()
			return fmt.Errorf("%w: %d", ErrUnknownID, id)
		}
		switch {
		case waited && it.state == Canceled && to == Canceled:
			m.mu.Unlock()
			return nil // the worker honoured our cancel
		case it.state.terminal():
			m.mu.Unlock()
			return ErrFinished
		case it.state == Running:
			// The worker decides the next state when it lets go (a download
			// that completes in spite of the cancel is Done, not Paused), so
			// wait for it and look again.
			it.cancel(cause)
			stopped := it.stopped
			m.mu.Unlock()
			<-stopped
			continue
		}
		// Queued or Paused: no worker owns the item, we do. A stale queue
		// entry is skipped by the dispatcher.
		if to == Canceled {
			os.Remove(it.req.Dest + ".part")
			it.bytes.Store(0)
			m.finishLocked(it, Canceled, ErrCanceled)
		} else {
			it.state = Paused
		}
		m.mu.Unlock()
		return nil
	}
}

// Resume re-queues a paused item; it continues from its .part file. Resuming
// a queued or running item is a no-op; a finished one returns ErrFinished.
func (m *Manager) Resume(id ID) error {
	m.mu.Lock()
	it, ok := m.items[id]
	if !ok {
		m.mu.Unlock()
		return fmt.Errorf("%w: %d", ErrUnknownID, id)
	}
	switch it.state {
	case Done, Failed, Canceled:
		m.mu.Unlock()
		return ErrFinished
	case Paused:
		it.state = Queued
		m.queue = append(m.queue, it)
		m.mu.Unlock()
		m.signal()
		return nil
	}
	m.mu.Unlock()
	return nil
}

// Wait blocks until the item finishes: nil when it is verified and in place,
// ErrCanceled, or the error that failed it. It returns ctx's error when ctx
// ends first and ErrClosed when Run has returned with the item unfinished.
func (m *Manager) Wait(ctx context.Context, id ID) error {
	m.mu.Lock()
	it, ok := m.items[id]
	m.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %d", ErrUnknownID, id)
	}
	select {
	case <-it.done:
	case <-ctx.Done():
		return ctx.Err()
	case <-m.closed:
		select {
		case <-it.done: // finished just before Run returned
		default:
			return ErrClosed
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return it.err
}

// finishLocked moves it to a terminal state exactly once.
func (m *Manager) finishLocked(it *item, s State, err error) {
	it.state, it.err = s, err
	close(it.done)
}

// Progress returns the snapshot channel: buffered 1, the latest snapshot
// replaces an unread one, so a slow reader never slows a download. It is
// closed after the final snapshot when Run returns.
func (m *Manager) Progress() <-chan Snapshot { return m.progress }

// Run downloads queued items with at most Options.Workers at a time until
// ctx ends, then stops the running downloads (keeping their .part files),
// publishes a final snapshot, closes Progress and returns nil. Run may be
// called once; later calls return ErrClosed.
func (m *Manager) Run(ctx context.Context) error {
	if !m.started.CompareAndSwap(false, true) {
		return ErrClosed
	}
	var wg sync.WaitGroup
	tickerDone := make(chan struct{})
	go m.publish(ctx, tickerDone)

	// A worker slot is its copy buffer: taking one from slots bounds the
	// number of running downloads, and each buffer is allocated once and
	// reused for every download (and hash) that slot runs.
	slots := make(chan []byte, m.opts.Workers)
	for range m.opts.Workers {
		slots <- nil
	}
	for {
		// Take a slot first, then an item: an item waiting for a slot stays
		// Queued, so pausing it costs nothing.
		var buf []byte
		select {
		case buf = <-slots:
		case <-ctx.Done():
		}
		it, ictx := m.next(ctx)
		if it == nil {
			break
		}
		wg.Go(func() {
			if buf == nil {
				buf = make([]byte, bufSize)
			}
			m.process(ictx, it, buf)
			slots <- buf // never blocks: at most Workers buffers exist
		})
	}

	wg.Wait()
	<-tickerDone // the ticker published the final snapshot and closed m.progress
	m.mu.Lock()
	m.done = true
	m.mu.Unlock()
	close(m.closed)
	return nil
}

// next pops the first Queued item and marks it Running, or returns nil
// once ctx ends.
func (m *Manager) next(ctx context.Context) (*item, context.Context) {
	for {
		if ctx.Err() != nil {
			return nil, nil
		}
		m.mu.Lock()
		for len(m.queue) > 0 {
			it := m.queue[0]
			m.queue[0] = nil
			m.queue = m.queue[1:]
			if it.state != Queued {
				continue // paused or canceled while waiting, or a duplicate entry
			}
			ictx, cancel := context.WithCancelCause(ctx)
			it.state, it.cancel, it.stopped = Running, cancel, make(chan struct{})
			m.mu.Unlock()
			return it, ictx
		}
		m.mu.Unlock()
		select {
		case <-m.wake:
		case <-ctx.Done():
		}
	}
}

// process runs one item to completion, pause, cancel or shutdown, and
// decides its next state from what actually happened on disk.
func (m *Manager) process(ctx context.Context, it *item, buf []byte) {
	err := m.fetch(ctx, it, buf)

	m.mu.Lock()
	defer m.mu.Unlock()
	cause := context.Cause(ctx)
	switch {
	case err == nil:
		// Completion wins over a racing Pause or Cancel: the file is in place.
		m.finishLocked(it, Done, nil)
	case errors.Is(cause, ErrCanceled):
		os.Remove(it.req.Dest + ".part")
		it.bytes.Store(0)
		m.finishLocked(it, Canceled, ErrCanceled)
	case errors.Is(cause, errPaused):
		it.state = Paused
	case ctx.Err() != nil:
		// Run is shutting down: the .part file stays for a later Manager.
		it.state = Queued
	default:
		m.finishLocked(it, Failed, err)
	}
	it.cancel(nil)
	it.cancel = nil
	close(it.stopped)
}

// publish sends a snapshot every ProgressEvery until ctx ends, then a final
// one, and closes the channel.
func (m *Manager) publish(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(m.opts.ProgressEvery)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case now := <-t.C:
			m.offer(m.snapshot(now, now.Sub(last)))
			last = now
		case <-ctx.Done():
			// Wait for the workers to let go so the final snapshot is final.
			m.waitIdle()
			now := time.Now()
			m.offer(m.snapshot(now, now.Sub(last)))
			close(m.progress)
			return
		}
	}
}

// waitIdle returns once no item is Running.
func (m *Manager) waitIdle() {
	for {
		var stopped chan struct{}
		m.mu.Lock()
		for _, it := range m.items {
			if it.state == Running {
				stopped = it.stopped
				break
			}
		}
		m.mu.Unlock()
		if stopped == nil {
			return
		}
		<-stopped
	}
}

// offer replaces any unread snapshot with s. Only publish sends, so after
// draining the buffer the send cannot block.
func (m *Manager) offer(s Snapshot) {
	select {
	case m.progress <- s:
		return
	default:
	}
	select {
	case <-m.progress:
	default:
	}
	select {
	case m.progress <- s:
	default:
	}
}

// snapshot copies every item's state and counters; dt is the time since the
// previous snapshot, for the speed average.
func (m *Manager) snapshot(now time.Time, dt time.Duration) Snapshot {
	const alpha = 0.3 // weight of the newest sample
	m.mu.Lock()
	items := make([]Item, 0, len(m.items))
	for _, it := range m.items {
		recv := it.recv.Load()
		if sec := dt.Seconds(); sec > 0 {
			inst := float64(recv-it.lastRecv) / sec
			it.speed = alpha*inst + (1-alpha)*it.speed
		}
		it.lastRecv = recv
		items = append(items, Item{
			ID: it.id, URL: it.req.URL, Dest: it.req.Dest, State: it.state,
			Bytes: it.bytes.Load(), Total: it.total.Load(), Speed: it.speed, Err: it.err,
		})
	}
	m.mu.Unlock()
	slices.SortFunc(items, func(a, b Item) int { return cmp.Compare(a.ID, b.ID) })
	return Snapshot{At: now, Items: items}
}
