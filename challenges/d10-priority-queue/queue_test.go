package pq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSelectIsNotPriority is the reason this challenge exists: when several
// cases of a select are ready, Go picks one uniformly at random. Two
// buffered channels, "high" and "low", both full: a select that lists high
// first still takes from low about half the time.
func TestSelectIsNotPriority(t *testing.T) {
	high, low := make(chan int, 200), make(chan int, 200)
	for i := range 200 {
		high <- i
		low <- i
	}
	lowWhileHighReady := 0
	for range 200 {
		select {
		case <-high:
		case <-low:
			lowWhileHighReady++
		}
	}
	// The chance of zero is 2^-200: if this fails, the runtime changed.
	if lowWhileHighReady == 0 {
		t.Fatalf("select took from high 200 times out of 200; Go's select was supposed to be random")
	}
	t.Logf("select served the low channel %d/200 times while high was ready", lowWhileHighReady)
}

func TestStrictOrder(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q := tstNewQ[string](t, QueueOptions{Levels: 4, CapacityPerLevel: 8})
	puts := []struct {
		p int
		v string
	}{
		{1, "b1"}, {3, "d1"}, {0, "a1"}, {3, "d2"}, {2, "c1"}, {1, "b2"},
		{0, "a2"}, {2, "c2"}, {3, "d3"}, {1, "b3"}, {0, "a3"},
	}
	for _, x := range puts {
		tstPut(t, ctx, q, x.p, x.v)
	}
	want := []tstGot[string]{
		{"d1", 3}, {"d2", 3}, {"d3", 3}, {"c1", 2}, {"c2", 2},
		{"b1", 1}, {"b2", 1}, {"b3", 1}, {"a1", 0}, {"a2", 0}, {"a3", 0},
	}
	var out []tstGot[string]
	for range want {
		out = append(out, tstGet(t, ctx, q))
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Get order: highest level first, FIFO within a level (-want +got):\n%s", diff)
	}
	tstExpectEmpty(t, q)
}

// TestStrictOrderInterleaved mixes Puts and Gets: a later, more urgent item
// overtakes older, less urgent ones.
func TestStrictOrderInterleaved(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: 3, CapacityPerLevel: 4})
	tstPut(t, ctx, q, 0, 1)
	tstPut(t, ctx, q, 1, 2)
	first := tstGet(t, ctx, q)
	tstPut(t, ctx, q, 2, 3)
	tstPut(t, ctx, q, 0, 4)
	out := []tstGot[int]{first, tstGet(t, ctx, q), tstGet(t, ctx, q), tstGet(t, ctx, q)}
	want := []tstGot[int]{{2, 1}, {3, 2}, {1, 0}, {4, 0}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("Get order (-want +got):\n%s", diff)
	}
}

func TestInvalidPriority(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: 3, CapacityPerLevel: 2})
	for _, p := range []int{-1, 3, 100} {
		if err := q.Put(ctx, p, p); !errors.Is(err, ErrInvalid) {
			t.Errorf("Put at priority %d with Levels=3: got error %v, want one wrapping ErrInvalid", p, err)
		}
	}
	tstExpectEmpty(t, q)
}

func TestBadOptions(t *testing.T) {
	valid := QueueOptions{Levels: 2, CapacityPerLevel: 4, AgingAfter: time.Second}
	cases := []struct {
		name string
		edit func(*QueueOptions)
	}{
		{"Levels=0", func(o *QueueOptions) { o.Levels = 0 }},
		{"Levels<0", func(o *QueueOptions) { o.Levels = -2 }},
		{"CapacityPerLevel=0", func(o *QueueOptions) { o.CapacityPerLevel = 0 }},
		{"CapacityPerLevel<0", func(o *QueueOptions) { o.CapacityPerLevel = -1 }},
		{"AgingAfter<0", func(o *QueueOptions) { o.AgingAfter = -time.Second }},
		{"unknown FullPolicy", func(o *QueueOptions) { o.Full = FullPolicy(42) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := valid
			c.edit(&o)
			q, err := NewQueue[int](o)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("NewQueue: got error %v, want one wrapping ErrInvalid", err)
			}
			if q != nil {
				t.Errorf("NewQueue with bad options: got a non-nil *Queue, want nil")
			}
		})
	}
	t.Run("valid", func(t *testing.T) {
		for _, f := range []FullPolicy{Block, Reject, DropLowest} {
			o := valid
			o.Full = f
			tstNewQ[int](t, o)
		}
	})
}

// TestDoneContextFailsFast: a ctx that is already done makes Put and Get
// fail without touching the queue, even when they could proceed. (This is
// what lets a cancelled Dispatcher leave untaken items in the queue.)
func TestDoneContextFailsFast(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	done, cancel := context.WithCancel(ctx)
	cancel()
	q := tstNewQ[string](t, QueueOptions{Levels: 2, CapacityPerLevel: 2})
	if err := q.Put(done, 1, "lost"); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled ctx: got error %v, want context.Canceled", err)
	}
	tstPut(t, ctx, q, 0, "kept")
	if v, _, err := q.Get(done); !errors.Is(err, context.Canceled) {
		t.Errorf("Get with a cancelled ctx: got (%q, %v), want context.Canceled", v, err)
	}
	if g := tstGet(t, ctx, q); g != (tstGot[string]{"kept", 0}) {
		t.Errorf("Get: got %+v, want {V:kept P:0}", g)
	}
	tstExpectEmpty(t, q)
}

// TestAgingBoundsWait: under a steady flood of urgent items, an item at the
// lowest level is served once it has waited AgingAfter, give or take the
// one item the consumer may be busy with.
func TestAgingBoundsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			aging   = 100 * time.Millisecond
			service = 10 * time.Millisecond // the consumer's time per item
			arrival = 5 * time.Millisecond  // a fresh urgent item this often: twice the service rate
		)
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[string](t, QueueOptions{Levels: 3, CapacityPerLevel: 512, AgingAfter: aging})
		for range 5 {
			tstPut(t, ctx, q, 2, "high")
		}
		start := time.Now()
		tstPut(t, ctx, q, 0, "low")

		flood, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() {
			tick := time.NewTicker(arrival)
			defer tick.Stop()
			for {
				select {
				case <-flood.Done():
					return
				case <-tick.C:
					if err := q.Put(flood, 2, "high"); err != nil {
						if flood.Err() == nil {
							t.Errorf("flood Put: got error %v, want nil", err)
						}
						return
					}
				}
			}
		})

		waited := time.Duration(-1)
		for range 200 { // 2 s of fake time: far past the bound
			v, _, err := q.Get(ctx)
			if err != nil {
				t.Errorf("Get: got error %v, want an item", err)
				break
			}
			if v == "low" {
				waited = time.Since(start)
				break
			}
			time.Sleep(service)
		}
		stop()
		wg.Wait()

		switch {
		case waited < 0:
			t.Errorf("low item never served during 2s of high-priority flood; want it served after AgingAfter=%v", aging)
		case waited > aging+service:
			t.Errorf("low item waited %v, want at most AgingAfter+one item = %v", waited, aging+service)
		case waited < aging:
			t.Errorf("low item served after %v while fresher urgent items were queued, want it to wait for AgingAfter=%v", waited, aging)
		}
	})
}

// TestAgingOldestAgedFirst pins down the rule: when several heads have
// aged, the one enqueued earliest goes first; an unaged head of a higher
// level waits behind them.
func TestAgingOldestAgedFirst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[string](t, QueueOptions{Levels: 3, CapacityPerLevel: 4, AgingAfter: 50 * time.Millisecond})
		tstPut(t, ctx, q, 0, "low, t=0")
		time.Sleep(10 * time.Millisecond)
		tstPut(t, ctx, q, 1, "mid, t=10ms")
		time.Sleep(60 * time.Millisecond)
		tstPut(t, ctx, q, 2, "high, t=70ms") // fresh
		out := []tstGot[string]{tstGet(t, ctx, q), tstGet(t, ctx, q), tstGet(t, ctx, q)}
		want := []tstGot[string]{{"low, t=0", 0}, {"mid, t=10ms", 1}, {"high, t=70ms", 2}}
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("Get order at t=70ms with AgingAfter=50ms (-want +got):\n%s", diff)
		}
	})
}

func TestBlockWaitsAndHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 2, CapacityPerLevel: 1, Full: Block})
		tstPut(t, ctx, q, 1, 1)

		start := time.Now()
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		err := q.Put(short, 1, 2)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Put on a full level with a 50ms ctx: got error %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 50*time.Millisecond {
			t.Errorf("Put on a full level returned after %v, want it to block until the ctx deadline (50ms)", d)
		}

		tstPut(t, ctx, q, 0, 10) // level 0 has its own capacity

		res := make(chan error, 1)
		go func() { res <- q.Put(ctx, 1, 3) }()
		synctest.Wait()
		select {
		case err := <-res:
			t.Fatalf("Put on a full level returned %v before any Get, want it to block", err)
		default:
		}
		if g := tstGet(t, ctx, q); g != (tstGot[int]{1, 1}) {
			t.Errorf("Get: got %+v, want {V:1 P:1}", g)
		}
		if err := <-res; err != nil {
			t.Errorf("blocked Put after a Get freed its level: got error %v, want nil", err)
		}
		out := tstDrain(t, ctx, q)
		if diff := cmp.Diff([]tstGot[int]{{3, 1}, {10, 0}}, out); diff != "" {
			t.Errorf("queue contents (the timed-out Put must leave nothing behind) (-want +got):\n%s", diff)
		}
	})
}

func TestGetWaitsAndHonoursCtx(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 2, CapacityPerLevel: 2})

		start := time.Now()
		short, cancel := context.WithTimeout(ctx, 30*time.Millisecond)
		_, _, err := q.Get(short)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Get on an empty queue with a 30ms ctx: got error %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 30*time.Millisecond {
			t.Errorf("Get on an empty queue returned after %v, want it to block until the ctx deadline (30ms)", d)
		}

		type result struct {
			g   tstGot[int]
			err error
		}
		res := make(chan result, 1)
		go func() {
			v, p, err := q.Get(ctx)
			res <- result{tstGot[int]{v, p}, err}
		}()
		synctest.Wait()
		select {
		case r := <-res:
			t.Fatalf("Get on an empty queue returned %+v before any Put, want it to block", r)
		default:
		}
		tstPut(t, ctx, q, 1, 7)
		r := <-res
		if r.err != nil || r.g != (tstGot[int]{7, 1}) {
			t.Errorf("blocked Get after Put(1, 7): got (%+v, %v), want ({V:7 P:1}, nil)", r.g, r.err)
		}
	})
}

func TestReject(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[string](t, QueueOptions{Levels: 2, CapacityPerLevel: 2, Full: Reject})
		tstPut(t, ctx, q, 1, "a")
		tstPut(t, ctx, q, 1, "b")
		start := time.Now()
		if err := q.Put(ctx, 1, "c"); !errors.Is(err, ErrFull) {
			t.Errorf("Put on a full level under Reject: got error %v, want ErrFull", err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("Put under Reject blocked for %v, want it to return at once", d)
		}
		tstPut(t, ctx, q, 0, "x") // level 0 is not full
		if g := tstGet(t, ctx, q); g != (tstGot[string]{"a", 1}) {
			t.Errorf("Get: got %+v, want {V:a P:1}", g)
		}
		tstPut(t, ctx, q, 1, "c") // a slot is free again
		out := tstDrain(t, ctx, q)
		if diff := cmp.Diff([]tstGot[string]{{"b", 1}, {"c", 1}, {"x", 0}}, out); diff != "" {
			t.Errorf("queue contents (-want +got):\n%s", diff)
		}
	})
}

func TestDropLowest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		var mu sync.Mutex
		var dropped []any
		q := tstNewQ[string](t, QueueOptions{Levels: 2, CapacityPerLevel: 2, Full: DropLowest,
			OnDrop: func(v any) { mu.Lock(); dropped = append(dropped, v); mu.Unlock() }})
		tstPut(t, ctx, q, 0, "a")
		tstPut(t, ctx, q, 0, "b")
		tstPut(t, ctx, q, 1, "x")
		start := time.Now()
		tstPut(t, ctx, q, 0, "c") // level 0 full: "a" (oldest) goes
		if d := time.Since(start); d != 0 {
			t.Errorf("Put under DropLowest blocked for %v, want it to return at once", d)
		}
		tstPut(t, ctx, q, 1, "y")
		tstPut(t, ctx, q, 1, "z") // level 1 full: "x" goes
		mu.Lock()
		if diff := cmp.Diff([]any{"a", "x"}, dropped); diff != "" {
			t.Errorf("OnDrop calls: the oldest item of the full level is evicted (-want +got):\n%s", diff)
		}
		mu.Unlock()
		out := tstDrain(t, ctx, q)
		want := []tstGot[string]{{"y", 1}, {"z", 1}, {"b", 0}, {"c", 0}}
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("queue contents after evictions (-want +got):\n%s", diff)
		}
	})
}

func TestDropLowestWithoutOnDrop(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: 1, CapacityPerLevel: 1, Full: DropLowest})
	tstPut(t, ctx, q, 0, 1)
	tstPut(t, ctx, q, 0, 2)
	if diff := cmp.Diff([]tstGot[int]{{2, 0}}, tstDrain(t, ctx, q)); diff != "" {
		t.Errorf("queue contents (-want +got):\n%s", diff)
	}
}

func TestCloseDrainsThenErrClosed(t *testing.T) {
	ctx := tstCtx(t, 5*time.Second)
	q := tstNewQ[string](t, QueueOptions{Levels: 2, CapacityPerLevel: 4})
	tstPut(t, ctx, q, 0, "a")
	tstPut(t, ctx, q, 1, "b")
	tstPut(t, ctx, q, 0, "c")
	q.Close()
	if err := q.Put(ctx, 1, "late"); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: got error %v, want ErrClosed", err)
	}
	var out []tstGot[string]
	for range 3 {
		out = append(out, tstGet(t, ctx, q))
	}
	if diff := cmp.Diff([]tstGot[string]{{"b", 1}, {"a", 0}, {"c", 0}}, out); diff != "" {
		t.Errorf("Gets after Close drain in priority order (-want +got):\n%s", diff)
	}
	for range 2 {
		if v, _, err := q.Get(ctx); !errors.Is(err, ErrClosed) {
			t.Errorf("Get on a closed, drained queue: got (%q, %v), want ErrClosed", v, err)
		}
	}
	q.Close() // idempotent
}

func TestCloseReleasesBlockedPut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 1, CapacityPerLevel: 1, Full: Block})
		tstPut(t, ctx, q, 0, 1)
		res := make(chan error, 1)
		go func() { res <- q.Put(ctx, 0, 2) }()
		synctest.Wait()
		start := time.Now()
		q.Close()
		if err := <-res; !errors.Is(err, ErrClosed) {
			t.Errorf("Put blocked on a full level, then Close: got error %v, want ErrClosed", err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("blocked Put returned %v after Close, want at once", d)
		}
		if diff := cmp.Diff([]tstGot[int]{{1, 0}}, tstDrain(t, ctx, q)); diff != "" {
			t.Errorf("queue contents (-want +got):\n%s", diff)
		}
	})
}

func TestCloseReleasesBlockedGet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 2, CapacityPerLevel: 1})
		res := make(chan error, 2)
		for range 2 {
			go func() { _, _, err := q.Get(ctx); res <- err }()
		}
		synctest.Wait()
		start := time.Now()
		q.Close()
		for range 2 {
			if err := <-res; !errors.Is(err, ErrClosed) {
				t.Errorf("Get blocked on an empty queue, then Close: got error %v, want ErrClosed", err)
			}
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("blocked Gets returned %v after Close, want at once", d)
		}
	})
}

// TestCancelledGetterPassesWakeup: a waiting Get whose ctx ends just as an
// item arrives must not swallow the wake-up: either it returns the item, or
// another waiting Get does.
func TestCancelledGetterPassesWakeup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		type result struct {
			v   int
			err error
		}
		for i := range 32 {
			ctx := tstCtx(t, time.Minute)
			q := tstNewQ[int](t, QueueOptions{Levels: 1, CapacityPerLevel: 4})
			ctx1, cancel1 := context.WithCancel(ctx)
			ctx2, cancel2 := context.WithTimeout(ctx, time.Second)
			r1, r2 := make(chan result, 1), make(chan result, 1)
			go func() { v, _, err := q.Get(ctx1); r1 <- result{v, err} }()
			synctest.Wait() // the first getter waits first
			go func() { v, _, err := q.Get(ctx2); r2 <- result{v, err} }()
			synctest.Wait()
			cancel1()
			tstPut(t, ctx, q, 0, i)
			a, b := <-r1, <-r2
			cancel2()
			okA := a.err == nil && a.v == i && errors.Is(b.err, context.DeadlineExceeded)
			okB := errors.Is(a.err, context.Canceled) && b.err == nil && b.v == i
			if !okA && !okB {
				t.Fatalf("round %d: cancelled getter got (%d, %v), other getter got (%d, %v); want exactly one of them to get %d",
					i, a.v, a.err, b.v, b.err, i)
			}
		}
	})
}

// TestCancelledPutterPassesWakeup is the same for a Put waiting on a full
// level whose ctx ends just as a Get frees a slot.
func TestCancelledPutterPassesWakeup(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		for i := range 32 {
			ctx := tstCtx(t, time.Minute)
			q := tstNewQ[int](t, QueueOptions{Levels: 1, CapacityPerLevel: 1, Full: Block})
			tstPut(t, ctx, q, 0, -1)
			ctx1, cancel1 := context.WithCancel(ctx)
			ctx2, cancel2 := context.WithTimeout(ctx, time.Second)
			r1, r2 := make(chan error, 1), make(chan error, 1)
			go func() { r1 <- q.Put(ctx1, 0, 1) }()
			synctest.Wait()
			go func() { r2 <- q.Put(ctx2, 0, 2) }()
			synctest.Wait()
			cancel1()
			tstGet(t, ctx, q)
			a, b := <-r1, <-r2
			cancel2()
			var want int
			switch {
			case a == nil && errors.Is(b, context.DeadlineExceeded):
				want = 1
			case errors.Is(a, context.Canceled) && b == nil:
				want = 2
			default:
				t.Fatalf("round %d: cancelled Put returned %v, other Put returned %v; want exactly one of them to take the freed slot", i, a, b)
			}
			if g := tstGet(t, ctx, q); g.V != want {
				t.Fatalf("round %d: Get: got %d, want %d", i, g.V, want)
			}
		}
	})
}

// item encodes (producer, sequence number) for the concurrency tests.
func tstItem(producer, seq int) int { return producer<<32 | seq }

func tstSplit(v int) (producer, seq int) { return v >> 32, v & (1<<32 - 1) }

// TestManyProducersConsumers [race]: 8 producers, 4 consumers, a small
// capacity so Puts block: nothing lost, nothing duplicated, FIFO within a
// level as seen by each consumer.
func TestManyProducersConsumers(t *testing.T) {
	const producers, consumers, levels = 8, 4, 4
	perProducer := 10_000
	if testing.Short() {
		perProducer = 1_000
	}
	ctx := tstCtx(t, 30*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: levels, CapacityPerLevel: 16, Full: Block})

	var prod sync.WaitGroup
	for p := range producers {
		prod.Go(func() {
			for s := range perProducer {
				if err := q.Put(ctx, s%levels, tstItem(p, s)); err != nil {
					t.Errorf("producer %d: Put #%d: got error %v, want nil", p, s, err)
					return
				}
			}
		})
	}
	seen := make([][]tstGot[int], consumers)
	var cons sync.WaitGroup
	for c := range consumers {
		cons.Go(func() {
			for {
				v, p, err := q.Get(ctx)
				if err != nil {
					if !errors.Is(err, ErrClosed) {
						t.Errorf("consumer %d: Get: got error %v, want an item or ErrClosed", c, err)
					}
					return
				}
				seen[c] = append(seen[c], tstGot[int]{v, p})
			}
		})
	}
	prod.Wait()
	q.Close()
	cons.Wait()

	count := make(map[int]int)
	for c, gs := range seen {
		last := map[[2]int]int{} // (producer, level) -> last sequence this consumer saw
		for _, g := range gs {
			count[g.V]++
			p, s := tstSplit(g.V)
			if g.P != s%levels {
				t.Fatalf("consumer %d: item %d/%d reported priority %d, want %d", c, p, s, g.P, s%levels)
			}
			k := [2]int{p, g.P}
			if prev, ok := last[k]; ok && prev >= s {
				t.Fatalf("consumer %d: producer %d's level-%d item %d after item %d, want FIFO within a level", c, p, g.P, s, prev)
			}
			last[k] = s
		}
	}
	missing, dup := 0, 0
	for p := range producers {
		for s := range perProducer {
			switch n := count[tstItem(p, s)]; {
			case n == 0:
				missing++
			case n > 1:
				dup++
			}
			delete(count, tstItem(p, s))
		}
	}
	if missing != 0 || dup != 0 || len(count) != 0 {
		t.Errorf("delivered vs produced (%d items): %d missing, %d duplicated, %d never produced; want 0, 0, 0",
			producers*perProducer, missing, dup, len(count))
	}
}

// TestConcurrentCloseAndPut [race]: Close lands while producers are putting
// and consumers are getting. Under Block some producers are parked on full
// levels; under Reject they spin on ErrFull, so Puts are in flight at the
// moment Close runs. Every Put that returned nil is delivered exactly once;
// every producer eventually gets ErrClosed.
func TestConcurrentCloseAndPut(t *testing.T) {
	for _, policy := range []FullPolicy{Block, Reject} {
		t.Run(fmt.Sprint(int(policy)), func(t *testing.T) {
			const producers, consumers, levels = 8, 2, 3
			ctx := tstCtx(t, 20*time.Second)
			q := tstNewQ[int](t, QueueOptions{Levels: levels, CapacityPerLevel: 8, Full: policy})

			accepted := make([][]int, producers)
			var prod sync.WaitGroup
			for p := range producers {
				prod.Go(func() {
					for s := 0; ; s++ {
						err := q.Put(ctx, s%levels, tstItem(p, s))
						switch {
						case err == nil:
							accepted[p] = append(accepted[p], tstItem(p, s))
						case policy == Reject && errors.Is(err, ErrFull):
						case errors.Is(err, ErrClosed):
							return
						default:
							t.Errorf("producer %d: Put: got error %v, want nil, ErrFull or ErrClosed", p, err)
							return
						}
					}
				})
			}
			delivered := make([][]int, consumers)
			progress := make(chan struct{})
			var once sync.Once
			var cons sync.WaitGroup
			for c := range consumers {
				cons.Go(func() {
					for {
						v, _, err := q.Get(ctx)
						if err != nil {
							if !errors.Is(err, ErrClosed) {
								t.Errorf("consumer %d: Get: got error %v, want an item or ErrClosed", c, err)
							}
							return
						}
						delivered[c] = append(delivered[c], v)
						if len(delivered[c]) == 500 {
							once.Do(func() { close(progress) })
						}
					}
				})
			}
			select {
			case <-progress:
			case <-ctx.Done():
				t.Errorf("consumers did not get 500 items before the test deadline")
			}
			var closers sync.WaitGroup
			for range 2 {
				closers.Go(q.Close) // Close must be safe to call concurrently, too
			}
			closers.Wait()
			prod.Wait()
			cons.Wait()

			count := map[int]int{}
			for _, vs := range accepted {
				for _, v := range vs {
					count[v]++
				}
			}
			for _, vs := range delivered {
				for _, v := range vs {
					count[v]--
				}
			}
			for v, n := range count {
				if n != 0 {
					p, s := tstSplit(v)
					t.Fatalf("item %d/%d: accepted minus delivered = %d, want 0 (a Put that returned nil must be delivered exactly once)", p, s, n)
				}
			}
		})
	}
}

// TestConcurrentPolicies [race]: Reject and DropLowest under contention keep
// an exact account: produced = delivered + rejected (Reject), produced =
// delivered + dropped (DropLowest).
func TestConcurrentPolicies(t *testing.T) {
	for _, policy := range []FullPolicy{Reject, DropLowest} {
		t.Run(fmt.Sprint(int(policy)), func(t *testing.T) {
			const producers, consumers, levels, per = 4, 2, 2, 2000
			ctx := tstCtx(t, 20*time.Second)
			var mu sync.Mutex
			count := map[int]int{}
			q := tstNewQ[int](t, QueueOptions{Levels: levels, CapacityPerLevel: 4, Full: policy,
				OnDrop: func(v any) {
					mu.Lock()
					count[v.(int)]--
					mu.Unlock()
				}})
			var prod sync.WaitGroup
			for p := range producers {
				prod.Go(func() {
					for s := range per {
						err := q.Put(ctx, s%levels, tstItem(p, s))
						mu.Lock()
						switch {
						case err == nil:
							count[tstItem(p, s)]++
						case policy == Reject && errors.Is(err, ErrFull):
						default:
							t.Errorf("Put under policy %d: got error %v", policy, err)
						}
						mu.Unlock()
					}
				})
			}
			var cons sync.WaitGroup
			for range consumers {
				cons.Go(func() {
					for {
						v, _, err := q.Get(ctx)
						if err != nil {
							if !errors.Is(err, ErrClosed) {
								t.Errorf("Get: got error %v, want an item or ErrClosed", err)
							}
							return
						}
						mu.Lock()
						count[v]--
						mu.Unlock()
					}
				})
			}
			prod.Wait()
			q.Close()
			cons.Wait()
			for v, n := range count {
				if n != 0 {
					p, s := tstSplit(v)
					t.Fatalf("item %d/%d: accepted - delivered - dropped = %d, want 0", p, s, n)
				}
			}
		})
	}
}
