package pq

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDispatcherHandlesAllUntilClosed(t *testing.T) {
	ctx := tstCtx(t, 20*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: 3, CapacityPerLevel: 8})
	var mu sync.Mutex
	var handled []int
	d := NewDispatcher(q, 4, func(ctx context.Context, v int) error {
		mu.Lock()
		handled = append(handled, v)
		mu.Unlock()
		return nil
	})
	res := make(chan error, 1)
	go func() { res <- d.Run(ctx) }()
	const n = 500
	for i := range n {
		if err := q.Put(ctx, i%3, i); err != nil {
			t.Errorf("Put(%d): got error %v, want nil", i, err)
			break
		}
	}
	q.Close()
	select {
	case err := <-res:
		if err != nil {
			t.Errorf("Run after the queue was closed and drained: got error %v, want nil", err)
		}
	case <-ctx.Done():
		t.Fatalf("Run did not return after Close")
	}
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(handled)
	want := make([]int, n)
	for i := range want {
		want[i] = i
	}
	if diff := cmp.Diff(want, handled); diff != "" {
		t.Errorf("handled items (-want +got):\n%s", diff)
	}
}

// TestDispatcherCancelLeavesItemsQueued: cancelling Run stops the workers
// after their in-flight item; everything not yet taken stays in the queue.
func TestDispatcherCancelLeavesItemsQueued(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 2, CapacityPerLevel: 8})
		for i := range 10 {
			tstPut(t, ctx, q, i%2, i)
		}
		taken := make(chan int, 10)
		runCtx, cancel := context.WithCancel(ctx)
		d := NewDispatcher(q, 2, func(ctx context.Context, v int) error {
			taken <- v
			<-ctx.Done() // hold the item until Run is cancelled
			return ctx.Err()
		})
		res := make(chan error, 1)
		go func() { res <- d.Run(runCtx) }()
		synctest.Wait() // both workers are inside the handler (or Run failed)
		cancel()
		if err := <-res; !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel: got error %v, want context.Canceled", err)
		}
		close(taken)
		var all []int
		for v := range taken {
			all = append(all, v)
		}
		if len(all) != 2 {
			t.Errorf("handler calls: got %d, want 2 (one per worker, each blocked until cancel)", len(all))
		}
		left := tstDrain(t, ctx, q)
		if len(left) != 10-len(all) {
			t.Errorf("items left in the queue after cancel: got %d, want %d", len(left), 10-len(all))
		}
		for _, g := range left {
			all = append(all, g.V)
		}
		slices.Sort(all)
		if diff := cmp.Diff([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all); diff != "" {
			t.Errorf("handled + left in queue (-want +got):\n%s", diff)
		}
	})
}

func TestDispatcherHandlerErrorStopsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 1, CapacityPerLevel: 16})
		for i := range 10 {
			tstPut(t, ctx, q, 0, i)
		}
		boom := errors.New("boom")
		d := NewDispatcher(q, 3, func(ctx context.Context, v int) error {
			if v == 4 {
				return boom
			}
			return nil
		})
		res := make(chan error, 1)
		go func() { res <- d.Run(ctx) }()
		if err := <-res; !errors.Is(err, boom) {
			t.Errorf("Run with a failing handler: got error %v, want the handler's error", err)
		}
		tstDrain(t, ctx, q)
	})
}

func TestDispatcherBadInput(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q, _ := NewQueue[int](QueueOptions{Levels: 1, CapacityPerLevel: 1})
	h := func(context.Context, int) error { return nil }
	cases := []struct {
		name string
		d    *Dispatcher[int]
	}{
		{"workers=0", NewDispatcher(q, 0, h)},
		{"workers<0", NewDispatcher(q, -3, h)},
		{"nil handler", NewDispatcher[int](q, 2, nil)},
		{"nil queue", NewDispatcher[int](nil, 2, h)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.d == nil {
				t.Fatalf("NewDispatcher: got nil, want a *Dispatcher whose Run reports the error")
			}
			if err := c.d.Run(ctx); !errors.Is(err, ErrInvalid) {
				t.Errorf("Run: got error %v, want one wrapping ErrInvalid", err)
			}
		})
	}
}
