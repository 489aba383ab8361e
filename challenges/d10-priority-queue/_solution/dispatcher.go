package pq

import (
	"context"
	"fmt"
	"sync"
)

// Dispatcher runs a fixed number of workers that take items from a Queue
// and pass them to a handler.
type Dispatcher[T any] struct {
	q       *Queue[T]
	workers int
	h       func(context.Context, T) error
}

// NewDispatcher returns a dispatcher of workers goroutines calling h for
// each item of q. The arguments are validated by Run.
func NewDispatcher[T any](q *Queue[T], workers int, h func(context.Context, T) error) *Dispatcher[T] {
	return &Dispatcher[T]{q: q, workers: workers, h: h}
}

// Run starts the workers and blocks until they have all stopped:
//   - the queue was closed and drained: Run returns nil;
//   - ctx ended: workers stop taking items, in-flight handlers see a done
//     ctx, untaken items stay queued, and Run returns ctx's cause;
//   - a handler failed: the other workers stop as if ctx had ended and
//     Run returns that handler's error.
//
// An item, once taken, is always handed to the handler.
func (d *Dispatcher[T]) Run(ctx context.Context) error {
	switch {
	case d.q == nil:
		return fmt.Errorf("%w: nil queue", ErrInvalid)
	case d.workers <= 0:
		return fmt.Errorf("%w: workers = %d, want > 0", ErrInvalid, d.workers)
	case d.h == nil:
		return fmt.Errorf("%w: nil handler", ErrInvalid)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	for range d.workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				v, _, err := d.q.Get(ctx)
				if err != nil {
					return // ErrClosed after draining, or ctx ended
				}
				if err := d.h(ctx, v); err != nil {
					cancel(err) // first cause wins; later calls are no-ops
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}
