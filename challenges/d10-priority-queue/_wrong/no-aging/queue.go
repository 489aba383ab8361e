// Package pq is a bounded, blocking, context-aware priority queue for many
// producers and many consumers, plus a Dispatcher that runs N handlers over
// it with graceful shutdown.
//
// Design: one mutex guards everything. Each priority level is a ring buffer
// of (value, enqueue time) pairs, so a Put+Get pair does not allocate. Goroutines
// that must wait (Get on an empty queue, Put on a full level under Block)
// register a private channel in a FIFO waiter list and release the lock;
// whoever changes the state pops one waiter and signals its channel. Because
// each waiter selects on its own channel and its ctx.Done(), waiting is
// cancellable — something sync.Cond cannot offer.
package pq

// WRONG SOLUTION (no-aging): pick ignores AgingAfter, so a low item starves under a flood.

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Errors returned by the queue and the dispatcher.
var (
	// ErrFull is returned by Put under the Reject policy when the level is full.
	ErrFull = errors.New("pq: level is full")
	// ErrClosed is returned by Put after Close, and by Get once a closed
	// queue has been drained.
	ErrClosed = errors.New("pq: queue is closed")
	// ErrInvalid is wrapped by every error about a bad argument or option.
	ErrInvalid = errors.New("pq: invalid argument")
)

// FullPolicy says what Put does when the level it targets is full.
type FullPolicy int

const (
	// Block waits (honouring ctx) until a Get frees a slot at that level.
	Block FullPolicy = iota
	// Reject returns ErrFull at once.
	Reject
	// DropLowest evicts the oldest item of the full level, reports it to
	// OnDrop and stores the new item in its place.
	DropLowest
)

func (f FullPolicy) String() string {
	switch f {
	case Block:
		return "Block"
	case Reject:
		return "Reject"
	case DropLowest:
		return "DropLowest"
	}
	return fmt.Sprintf("FullPolicy(%d)", int(f))
}

// QueueOptions configures NewQueue.
type QueueOptions struct {
	// Levels is the number of priority levels; priorities are 0..Levels-1
	// and a larger number is more urgent.
	Levels int
	// CapacityPerLevel bounds the number of items held at each level.
	CapacityPerLevel int
	// AgingAfter, when positive, lets an item that has waited at least this
	// long overtake fresher items of higher levels. Zero disables aging.
	AgingAfter time.Duration
	// Full is the policy applied when a Put finds its level full.
	Full FullPolicy
	// OnDrop, if not nil, receives every item evicted under DropLowest. It
	// is called on the Put's goroutine after the queue's lock is released.
	OnDrop func(any)
}

// entry is one queued item and the time it was enqueued (zero when aging
// is off, so the fast path never reads the clock).
type entry[T any] struct {
	v  T
	at time.Time
}

// ring is a FIFO of entries backed by a circular buffer that grows by
// doubling up to its level's capacity and is then reused forever.
type ring[T any] struct {
	buf  []entry[T]
	head int // index of the oldest entry
	n    int // number of entries
}

func (r *ring[T]) push(e entry[T], limit int) {
	if r.n == len(r.buf) {
		r.grow(limit)
	}
	i := r.head + r.n
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	r.buf[i] = e
	r.n++
}

func (r *ring[T]) grow(limit int) {
	size := min(max(2*len(r.buf), 8), limit)
	buf := make([]entry[T], size)
	// Copy out in FIFO order so the head restarts at 0.
	k := copy(buf, r.buf[r.head:])
	copy(buf[k:], r.buf[:r.head])
	r.buf, r.head = buf, 0
}

func (r *ring[T]) front() *entry[T] { return &r.buf[r.head] }

func (r *ring[T]) pop() entry[T] {
	e := r.buf[r.head]
	r.buf[r.head] = entry[T]{} // do not pin the value for the GC
	r.head++
	if r.head == len(r.buf) {
		r.head = 0
	}
	r.n--
	return e
}

// waiters is a FIFO of parked goroutines, one private channel each
// (buffered 1, so signalling never blocks). A waiter is removed from the
// list when it is signalled, so a signal is never sent twice.
type waiters []chan struct{}

func (w *waiters) add(c chan struct{}) { *w = append(*w, c) }

// wakeOne signals the longest-waiting goroutine, if any.
func (w *waiters) wakeOne() {
	ws := *w
	if len(ws) == 0 {
		return
	}
	ws[0] <- struct{}{}
	copy(ws, ws[1:])
	ws[len(ws)-1] = nil
	*w = ws[:len(ws)-1]
}

func (w *waiters) wakeAll() {
	for i, c := range *w {
		c <- struct{}{}
		(*w)[i] = nil
	}
	*w = (*w)[:0]
}

// remove takes c out of the list. It reports false if c was no longer
// there, which means it has already been signalled.
func (w *waiters) remove(c chan struct{}) bool {
	ws := *w
	for i, x := range ws {
		if x == c {
			copy(ws[i:], ws[i+1:])
			ws[len(ws)-1] = nil
			*w = ws[:len(ws)-1]
			return true
		}
	}
	return false
}

// Queue is a bounded multi-level priority queue. It is safe for concurrent
// use; the zero value is not usable, call NewQueue.
type Queue[T any] struct {
	// Immutable after NewQueue.
	capacity int
	aging    time.Duration
	full     FullPolicy
	onDrop   func(any)

	mu      sync.Mutex
	levels  []ring[T] // index = priority
	n       int       // items across all levels
	closed  bool
	getters waiters   // Get calls waiting for an item
	putters []waiters // per level: Put calls waiting for a free slot
}

// NewQueue validates o and returns an empty queue.
func NewQueue[T any](o QueueOptions) (*Queue[T], error) {
	switch {
	case o.Levels <= 0:
		return nil, fmt.Errorf("%w: Levels = %d, want > 0", ErrInvalid, o.Levels)
	case o.CapacityPerLevel <= 0:
		return nil, fmt.Errorf("%w: CapacityPerLevel = %d, want > 0", ErrInvalid, o.CapacityPerLevel)
	case o.AgingAfter < 0:
		return nil, fmt.Errorf("%w: AgingAfter = %v, want >= 0", ErrInvalid, o.AgingAfter)
	case o.Full != Block && o.Full != Reject && o.Full != DropLowest:
		return nil, fmt.Errorf("%w: unknown full policy %v", ErrInvalid, o.Full)
	}
	return &Queue[T]{
		capacity: o.CapacityPerLevel,
		aging:    o.AgingAfter,
		full:     o.Full,
		onDrop:   o.OnDrop,
		levels:   make([]ring[T], o.Levels),
		putters:  make([]waiters, o.Levels),
	}, nil
}

// Put adds v at priority p (0 = least urgent). When the level is full it
// follows the queue's FullPolicy. It returns ErrClosed after Close, ErrFull
// under Reject, ctx.Err() if ctx ends first (an already-done ctx fails
// without touching the queue), and an ErrInvalid error for a bad priority.
func (q *Queue[T]) Put(ctx context.Context, p int, v T) error {
	if p < 0 || p >= len(q.levels) {
		return fmt.Errorf("%w: priority %d outside [0, %d)", ErrInvalid, p, len(q.levels))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var wake chan struct{} // created on the first wait, reused on re-waits
	q.mu.Lock()
	for {
		if q.closed {
			q.mu.Unlock()
			return ErrClosed
		}
		r := &q.levels[p]
		if r.n < q.capacity {
			r.push(q.entry(v), q.capacity)
			q.n++
			q.getters.wakeOne()
			q.mu.Unlock()
			return nil
		}
		switch q.full {
		case Reject:
			q.mu.Unlock()
			return ErrFull
		case DropLowest:
			// Replace the oldest item in place: the count does not change,
			// so no waiter needs waking.
			old := r.pop()
			r.push(q.entry(v), q.capacity)
			q.mu.Unlock()
			if q.onDrop != nil {
				q.onDrop(old.v) // outside the lock: it may call back into q
			}
			return nil
		}
		// Block: park until a Get frees a slot at level p, Close, or ctx.
		if wake == nil {
			wake = make(chan struct{}, 1)
		}
		q.putters[p].add(wake)
		q.mu.Unlock()
		select {
		case <-wake:
			q.mu.Lock() // re-check: another Put may have taken the slot
		case <-ctx.Done():
			q.mu.Lock()
			if !q.putters[p].remove(wake) && q.levels[p].n < q.capacity {
				// We were signalled at the same moment ctx ended. The
				// slot meant for us is free: hand the wake-up on, or the
				// next waiter would sleep next to a free slot.
				q.putters[p].wakeOne()
			}
			q.mu.Unlock()
			return ctx.Err()
		}
	}
}

// entry stamps v with the enqueue time; the clock is read only when aging
// is on. Called with q.mu held so that times are monotonic within a ring.
func (q *Queue[T]) entry(v T) entry[T] {
	if q.aging > 0 {
		return entry[T]{v: v, at: time.Now()}
	}
	return entry[T]{v: v}
}

// Get removes and returns the next item and its priority, waiting while
// the queue is empty. The next item is the head of the highest non-empty
// level, unless aging is on and some head has waited at least AgingAfter:
// then it is the oldest such head (ties go to the higher level). After
// Close, Get keeps returning items until the queue is empty, then ErrClosed.
func (q *Queue[T]) Get(ctx context.Context) (T, int, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, 0, err
	}
	var wake chan struct{}
	q.mu.Lock()
	for {
		if q.n > 0 {
			p := q.pick()
			e := q.levels[p].pop()
			q.n--
			q.putters[p].wakeOne() // a slot at level p is free
			q.mu.Unlock()
			return e.v, p, nil
		}
		if q.closed {
			q.mu.Unlock()
			return zero, 0, ErrClosed
		}
		if wake == nil {
			wake = make(chan struct{}, 1)
		}
		q.getters.add(wake)
		q.mu.Unlock()
		select {
		case <-wake:
			q.mu.Lock() // re-check: a Get that never waited may have barged in
		case <-ctx.Done():
			q.mu.Lock()
			if !q.getters.remove(wake) && q.n > 0 {
				// Signalled and cancelled at once: pass the wake-up on so
				// the item does not sit next to a sleeping getter.
				q.getters.wakeOne()
			}
			q.mu.Unlock()
			return zero, 0, ctx.Err()
		}
	}
}

// pick returns the level to serve next. q.n > 0 and q.mu is held.
func (q *Queue[T]) pick() int {
	if false { // BUG: AgingAfter is accepted but never applied
		now := time.Now()
		best := -1
		var oldest time.Time
		// High to low, strict Before: on equal times the higher level wins.
		for p := len(q.levels) - 1; p >= 0; p-- {
			r := &q.levels[p]
			if r.n == 0 {
				continue
			}
			at := r.front().at
			if now.Sub(at) >= q.aging && (best < 0 || at.Before(oldest)) {
				best, oldest = p, at
			}
		}
		if best >= 0 {
			return best
		}
	}
	for p := len(q.levels) - 1; p > 0; p-- {
		if q.levels[p].n > 0 {
			return p
		}
	}
	return 0
}

// Close stops the queue from accepting items and wakes every waiter:
// blocked Puts return ErrClosed, blocked Gets drain what is left and then
// return ErrClosed. Close is idempotent.
func (q *Queue[T]) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	q.getters.wakeAll()
	for i := range q.putters {
		q.putters[i].wakeAll()
	}
}
