// Package pq is a bounded, blocking, context-aware priority queue for many
// producers and many consumers, plus a Dispatcher that runs N handlers over
// it with graceful shutdown. See README.md for the full statement.
package pq

import (
	"context"
	"errors"
	"time"
)

// ErrNotImplemented is returned by the stubs below. Delete it when done.
var ErrNotImplemented = errors.New("pq: not implemented")

// Errors returned by the queue and the dispatcher.
var (
	// ErrFull is returned by Put under the Reject policy when the level is full.
	ErrFull = errors.New("pq: level is full")
	// ErrClosed is returned by Put after Close, and by Get once a closed
	// queue has been drained.
	ErrClosed = errors.New("pq: queue is closed")
	// ErrInvalid is wrapped by every error about a bad argument or option
	// (return fmt.Errorf("%w: ...", ErrInvalid, ...)).
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

// Queue is a bounded multi-level priority queue, safe for concurrent use.
type Queue[T any] struct {
	// TODO: a mutex, one ring buffer per level, waiter lists, closed flag.
}

// NewQueue validates o (errors wrap ErrInvalid) and returns an empty queue.
func NewQueue[T any](o QueueOptions) (*Queue[T], error) {
	// TODO
	return nil, ErrNotImplemented
}

// Put adds v at priority p (0 = least urgent). When the level is full it
// follows the queue's FullPolicy. It returns ErrClosed after Close, ErrFull
// under Reject, ctx.Err() if ctx ends first (an already-done ctx fails
// without touching the queue), and an ErrInvalid error for a bad priority.
func (q *Queue[T]) Put(ctx context.Context, p int, v T) error {
	// TODO
	return ErrNotImplemented
}

// Get removes and returns the next item and its priority, waiting while
// the queue is empty. The next item is the head of the highest non-empty
// level, unless aging is on and some head has waited at least AgingAfter:
// then it is the oldest such head (ties go to the higher level). After
// Close, Get keeps returning items until the queue is empty, then ErrClosed.
// An already-done ctx fails without touching the queue.
func (q *Queue[T]) Get(ctx context.Context) (T, int, error) {
	// TODO
	var zero T
	return zero, 0, ErrNotImplemented
}

// Close stops the queue from accepting items and wakes every waiter:
// blocked Puts return ErrClosed, blocked Gets drain what is left and then
// return ErrClosed. Close is idempotent.
func (q *Queue[T]) Close() {
	// TODO
}
