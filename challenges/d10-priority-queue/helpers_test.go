package pq

import (
	"context"
	"errors"
	"testing"
	"time"
)

// tstNewQ builds a queue or stops the test: every other assertion needs one.
func tstNewQ[T any](t testing.TB, o QueueOptions) *Queue[T] {
	t.Helper()
	q, err := NewQueue[T](o)
	if err != nil {
		t.Fatalf("NewQueue(Levels=%d, CapacityPerLevel=%d, AgingAfter=%v, Full=%d): got error %v, want nil",
			o.Levels, o.CapacityPerLevel, o.AgingAfter, o.Full, err)
	}
	if q == nil {
		t.Fatalf("NewQueue: got a nil *Queue and a nil error")
	}
	return q
}

// tstCtx bounds every wait in a test so that a broken queue fails the
// test instead of hanging it. Inside a synctest bubble the deadline is on
// the fake clock and costs no real time.
func tstCtx(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func tstPut[T any](t testing.TB, ctx context.Context, q *Queue[T], p int, v T) {
	t.Helper()
	if err := q.Put(ctx, p, v); err != nil {
		t.Fatalf("Put(%d, %v): got error %v, want nil", p, v, err)
	}
}

// got is what one Get returned.
type tstGot[T any] struct {
	V T
	P int
}

func tstGet[T any](t testing.TB, ctx context.Context, q *Queue[T]) tstGot[T] {
	t.Helper()
	v, p, err := q.Get(ctx)
	if err != nil {
		t.Fatalf("Get: got error %v, want an item", err)
	}
	return tstGot[T]{v, p}
}

// tstDrain closes q and returns everything left in it, in Get order.
func tstDrain[T any](t testing.TB, ctx context.Context, q *Queue[T]) []tstGot[T] {
	t.Helper()
	q.Close()
	var out []tstGot[T]
	for {
		v, p, err := q.Get(ctx)
		if errors.Is(err, ErrClosed) {
			return out
		}
		if err != nil {
			t.Fatalf("Get while draining a closed queue: got error %v, want an item or ErrClosed", err)
		}
		out = append(out, tstGot[T]{v, p})
	}
}

// tstExpectEmpty checks that Get finds nothing for a (fake-clock) moment.
func tstExpectEmpty[T any](t testing.TB, q *Queue[T]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if v, p, err := q.Get(ctx); err == nil {
		t.Errorf("Get on what should be an empty queue: got item %v at priority %d, want context.DeadlineExceeded", v, p)
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Get on an empty queue: got error %v, want context.DeadlineExceeded", err)
	}
}
