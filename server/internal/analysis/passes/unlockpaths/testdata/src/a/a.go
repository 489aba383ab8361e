package a

import (
	"context"
	"errors"
	"sync"
)

var errClosed = errors.New("closed")

type Queue struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	items  []int
	closed bool
	ready  chan struct{}
}

// The classic: an error path forgets to unlock.
func (q *Queue) Put(x int) error {
	q.mu.Lock()
	if q.closed {
		return errClosed // want `return with q.mu still locked \(Lock at line 21, no defer\): the next Lock deadlocks; call q.mu.Unlock\(\) before returning, or defer it`
	}
	q.items = append(q.items, x)
	q.mu.Unlock()
	return nil
}

// The early return reads guarded state: reported, no automatic fix.
func (q *Queue) Peek() (int, bool) {
	q.mu.Lock()
	if len(q.items) > 0 {
		return q.items[0], true // want `return with q.mu still locked`
	}
	q.mu.Unlock()
	return 0, false
}

// Read locks leak the same way.
func (q *Queue) Len(ctx context.Context) (int, error) {
	q.rw.RLock()
	if err := ctx.Err(); err != nil {
		return 0, err // want `return with q.rw still locked .*call q.rw.RUnlock\(\)`
	}
	n := len(q.items)
	q.rw.RUnlock()
	return n, nil
}

// A return from inside a loop.
func (q *Queue) Index(x int) int {
	q.mu.Lock()
	for i, v := range q.items {
		if v == x {
			return i // want `return with q.mu still locked`
		}
	}
	q.mu.Unlock()
	return -1
}

// A return from a switch case.
func (q *Queue) Mode(m int) error {
	q.mu.Lock()
	switch m {
	case 0:
		q.closed = true
	case 1:
		return errClosed // want `return with q.mu still locked`
	}
	q.mu.Unlock()
	return nil
}

// A return from a select clause.
func (q *Queue) Wait(ctx context.Context) error {
	q.mu.Lock()
	select {
	case <-ctx.Done():
		return ctx.Err() // want `return with q.mu still locked`
	case <-q.ready:
	}
	q.mu.Unlock()
	return nil
}

// Lock taken inside the loop.
func (q *Queue) Drain(stop int) {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.mu.Unlock()
			return
		}
		x := q.items[0]
		q.items = q.items[1:]
		if x == stop {
			return // want `return with q.mu still locked`
		}
		q.mu.Unlock()
	}
}

// Named results, bare return.
func (q *Queue) Pop() (x int, ok bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		return // want `return with q.mu still locked`
	}
	x, ok = q.items[0], true
	q.items = q.items[1:]
	q.mu.Unlock()
	return x, ok
}
