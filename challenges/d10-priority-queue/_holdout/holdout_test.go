package pq

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: run against the reference solution only, to make sure the
// shipped tests are not passable by hard-coding their shapes.

// TestHoldoutManyLevels: strict order for level counts and capacities the
// shipped tests never use.
func TestHoldoutManyLevels(t *testing.T) {
	for _, levels := range []int{1, 2, 7, 33} {
		for _, capacity := range []int{1, 5, 100} {
			t.Run(fmt.Sprintf("L%d_C%d", levels, capacity), func(t *testing.T) {
				ctx := tstCtx(t, 10*time.Second)
				q := tstNewQ[int](t, QueueOptions{Levels: levels, CapacityPerLevel: capacity, Full: Reject})
				r := rand.New(rand.NewPCG(uint64(levels), uint64(capacity)))
				type put struct{ v, p int }
				var accepted []put
				for v := range levels * capacity * 2 {
					p := r.IntN(levels)
					err := q.Put(ctx, p, v)
					switch {
					case err == nil:
						accepted = append(accepted, put{v, p})
					case !errors.Is(err, ErrFull):
						t.Fatalf("Put: got error %v, want nil or ErrFull", err)
					}
				}
				// Level p accepts exactly its first `capacity` items.
				perLevel := make([]int, levels)
				for _, a := range accepted {
					perLevel[a.p]++
				}
				for p, n := range perLevel {
					if n > capacity {
						t.Fatalf("level %d holds %d items, want at most %d", p, n, capacity)
					}
				}
				want := slices.Clone(accepted)
				slices.SortStableFunc(want, func(a, b put) int { return b.p - a.p })
				var wantGot []tstGot[int]
				for _, w := range want {
					wantGot = append(wantGot, tstGot[int]{w.v, w.p})
				}
				if diff := cmp.Diff(wantGot, tstDrain(t, ctx, q)); diff != "" {
					t.Errorf("drain order (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// hoModel is the simplest possible reference: a slice per level.
type hoModel struct {
	levels   [][]hoEntry
	capacity int
	aging    time.Duration
	full     FullPolicy
	closed   bool
	dropped  []any
}

type hoEntry struct {
	v  int
	at time.Time
}

func (m *hoModel) put(p, v int) error {
	switch {
	case m.closed:
		return ErrClosed
	case len(m.levels[p]) < m.capacity:
		m.levels[p] = append(m.levels[p], hoEntry{v, time.Now()})
		return nil
	case m.full == Reject:
		return ErrFull
	case m.full == DropLowest:
		m.dropped = append(m.dropped, m.levels[p][0].v)
		m.levels[p] = append(m.levels[p][1:], hoEntry{v, time.Now()})
		return nil
	}
	return context.DeadlineExceeded // Block, with the model's short ctx
}

func (m *hoModel) get() (tstGot[int], error) {
	best := -1
	if m.aging > 0 {
		for p := len(m.levels) - 1; p >= 0; p-- {
			if len(m.levels[p]) == 0 {
				continue
			}
			at := m.levels[p][0].at
			if time.Since(at) >= m.aging && (best < 0 || at.Before(m.levels[best][0].at)) {
				best = p
			}
		}
	}
	if best < 0 {
		for p := len(m.levels) - 1; p >= 0; p-- {
			if len(m.levels[p]) > 0 {
				best = p
				break
			}
		}
	}
	if best < 0 {
		if m.closed {
			return tstGot[int]{}, ErrClosed
		}
		return tstGot[int]{}, context.DeadlineExceeded
	}
	e := m.levels[best][0]
	m.levels[best] = m.levels[best][1:]
	return tstGot[int]{e.v, best}, nil
}

// TestHoldoutModel runs random operations on the queue and on hoModel, on
// the fake clock, and compares every result.
func TestHoldoutModel(t *testing.T) {
	policies := []FullPolicy{Block, Reject, DropLowest}
	seed := uint64(0)
	for _, levels := range []int{1, 3, 6} {
		for _, capacity := range []int{1, 4} {
			for _, aging := range []time.Duration{0, 20 * time.Millisecond, 45 * time.Millisecond} {
				for _, full := range policies {
					seed++
					name := fmt.Sprintf("L%d_C%d_A%v_F%d", levels, capacity, aging, full)
					t.Run(name, func(t *testing.T) {
						hoRunModel(t, seed, levels, capacity, aging, full)
					})
				}
			}
		}
	}
}

func hoRunModel(t *testing.T, seed uint64, levels, capacity int, aging time.Duration, full FullPolicy) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var dropped []any
		q := tstNewQ[int](t, QueueOptions{Levels: levels, CapacityPerLevel: capacity, AgingAfter: aging, Full: full,
			OnDrop: func(v any) { mu.Lock(); dropped = append(dropped, v); mu.Unlock() }})
		m := &hoModel{levels: make([][]hoEntry, levels), capacity: capacity, aging: aging, full: full}
		r := rand.New(rand.NewPCG(seed, 42))
		short := func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), time.Millisecond)
		}
		const ops = 400
		for i := range ops {
			if i == ops-40 {
				q.Close()
				m.closed = true
			}
			switch k := r.IntN(10); {
			case k < 4: // Put
				p := r.IntN(levels)
				ctx, cancel := short()
				want := m.put(p, i)
				err := q.Put(ctx, p, i)
				cancel()
				if !errors.Is(err, want) && !(want == nil && err == nil) {
					t.Fatalf("op %d: Put(%d, %d): got error %v, want %v", i, p, i, err, want)
				}
			case k < 8: // Get
				ctx, cancel := short()
				want, wantErr := m.get()
				v, p, err := q.Get(ctx)
				cancel()
				if wantErr != nil {
					if !errors.Is(err, wantErr) {
						t.Fatalf("op %d: Get: got (%d, %d, %v), want error %v", i, v, p, err, wantErr)
					}
					continue
				}
				if err != nil || (tstGot[int]{v, p}) != want {
					t.Fatalf("op %d: Get: got (%d, %d, %v), want (%d, %d, nil)", i, v, p, err, want.V, want.P)
				}
			default: // let time pass
				time.Sleep(time.Duration(r.IntN(30)) * time.Millisecond)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if diff := cmp.Diff(m.dropped, dropped); diff != "" {
			t.Errorf("OnDrop calls (-model +queue):\n%s", diff)
		}
	})
}

// TestHoldoutSingleWorkerOrder: one worker handles a prefilled, closed
// queue in exactly the queue's order.
func TestHoldoutSingleWorkerOrder(t *testing.T) {
	ctx := tstCtx(t, 10*time.Second)
	q := tstNewQ[int](t, QueueOptions{Levels: 5, CapacityPerLevel: 20})
	for i := range 60 {
		tstPut(t, ctx, q, (i*7)%5, i)
	}
	var want []int
	for p := 4; p >= 0; p-- {
		for i := range 60 {
			if (i*7)%5 == p {
				want = append(want, i)
			}
		}
	}
	q.Close()
	var handled []int
	d := NewDispatcher(q, 1, func(_ context.Context, v int) error {
		handled = append(handled, v)
		return nil
	})
	if err := d.Run(ctx); err != nil {
		t.Fatalf("Run: got error %v, want nil", err)
	}
	if diff := cmp.Diff(want, handled); diff != "" {
		t.Errorf("handled order (-want +got):\n%s", diff)
	}
}

// TestHoldoutWaitersFIFO: blocked Gets are served in arrival order.
func TestHoldoutWaitersFIFO(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := tstCtx(t, time.Minute)
		q := tstNewQ[int](t, QueueOptions{Levels: 2, CapacityPerLevel: 4})
		res := make([]chan int, 4)
		for i := range res {
			res[i] = make(chan int, 1)
			go func() {
				v, _, err := q.Get(ctx)
				if err != nil {
					v = -1
				}
				res[i] <- v
			}()
			synctest.Wait()
		}
		for i := range res {
			tstPut(t, ctx, q, i%2, 100+i)
			synctest.Wait()
		}
		for i := range res {
			if v := <-res[i]; v != 100+i {
				t.Errorf("getter %d: got %d, want %d", i, v, 100+i)
			}
		}
	})
}
