package pq

import "context"

// Dispatcher runs a fixed number of workers that take items from a Queue
// and pass them to a handler.
type Dispatcher[T any] struct {
	// TODO
}

// NewDispatcher returns a dispatcher of workers goroutines calling h for
// each item of q. The arguments are validated by Run.
func NewDispatcher[T any](q *Queue[T], workers int, h func(context.Context, T) error) *Dispatcher[T] {
	// TODO
	return &Dispatcher[T]{}
}

// Run validates the dispatcher (errors wrap ErrInvalid), starts the
// workers and blocks until they have all stopped:
//   - the queue was closed and drained: Run returns nil;
//   - ctx ended: workers stop taking items, in-flight handlers see a done
//     ctx, untaken items stay queued, and Run returns ctx's cause;
//   - a handler failed: the other workers stop as if ctx had ended and
//     Run returns that handler's error.
//
// An item, once taken, is always handed to the handler.
func (d *Dispatcher[T]) Run(ctx context.Context) error {
	// TODO
	return ErrNotImplemented
}
