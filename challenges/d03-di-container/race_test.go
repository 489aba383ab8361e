package di

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type slow struct{ n int }
type other struct{}

// TestConcurrentResolve: 16 goroutines resolve one singleton whose
// constructor is slow. It must run once, and everyone must get its value.
// While it runs, the rest of the container must stay usable: the
// constructor waits (at most 2 s) until another goroutine has resolved an
// unrelated value, which it cannot do if construction holds the
// container's lock.
func TestConcurrentResolve(t *testing.T) {
	c := New()
	var calls atomic.Int32
	var startOnce sync.Once
	started := make(chan struct{})
	release := make(chan struct{})
	var lockedOut atomic.Bool
	provide(t, c, func() *other { return &other{} })
	provide(t, c, func() *slow {
		n := calls.Add(1)
		startOnce.Do(func() { close(started) })
		select {
		case <-release:
		case <-time.After(2 * time.Second):
			lockedOut.Store(true)
		}
		return &slow{n: int(n)}
	})

	var got [16]*slow
	var errs [16]error
	var otherErr error
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i], errs[i] = Resolve[*slow](t.Context(), c) })
	}
	wg.Go(func() {
		defer close(release)
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			return
		}
		_, otherErr = Resolve[*other](t.Context(), c)
	})
	if !within(10*time.Second, wg.Wait) {
		t.Fatalf("16 goroutines resolving one singleton: got no end after 10s, want them done (deadlock?)")
	}
	if lockedOut.Load() {
		t.Errorf("while a constructor ran, Resolve of another value waited for it (2 s): construction must not hold the container's lock")
	}
	if otherErr != nil {
		t.Errorf("Resolve[*other] during a slow construction: got %v, want nil", otherErr)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("constructor of a singleton resolved by 16 goroutines: got %d calls, want 1", n)
	}
	for i := range got {
		if errs[i] != nil || got[i] == nil || got[i] != got[0] {
			t.Errorf("goroutine %d: got (%p, %v), want (%p, nil): the one singleton", i, got[i], errs[i], got[0])
		}
	}
}

// TestConcurrentProvideAndResolve: Provide may run while other goroutines
// resolve. Run with -race: the graph's maps need a lock.
func TestConcurrentProvideAndResolve(t *testing.T) {
	c := New()
	for i := range 10 {
		provide(t, c, func() int { return i }, Name(fmt.Sprint("base", i)))
	}
	names := make([][]string, 4)
	for g := range names {
		for i := range 50 {
			names[g] = append(names[g], fmt.Sprintf("g%d-%d", g, i))
		}
	}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for g := range 4 {
		wg.Go(func() {
			for i, name := range names[g] {
				if err := c.Provide(func() int { return g*1000 + i }, Name(name)); err != nil {
					bad.Add(1)
				}
				if err := c.Provide(func() int { return i }, Group("all")); err != nil {
					bad.Add(1)
				}
			}
		})
		wg.Go(func() {
			for i := range 100 {
				v, err := Resolve[int](t.Context(), c, Named(fmt.Sprint("base", i%10)))
				if err != nil || v != i%10 {
					bad.Add(1)
				}
				if _, err := Resolve[[]int](t.Context(), c, FromGroup("all")); err != nil {
					bad.Add(1)
				}
			}
		})
	}
	if !within(20*time.Second, wg.Wait) {
		t.Fatalf("concurrent Provide and Resolve: got no end after 20s (deadlock?)")
	}
	if n := bad.Load(); n != 0 {
		t.Errorf("concurrent Provide and Resolve: got %d failed calls, want 0", n)
	}
	for g := range names {
		for i, name := range names[g] {
			if v := resolve[int](t, c, Named(name)); v != g*1000+i {
				t.Errorf("Resolve[int](Named(%s)): got %d, want %d", name, v, g*1000+i)
			}
		}
	}
	if all := resolve[[]int](t, c, FromGroup("all")); len(all) != 200 {
		t.Errorf("group filled by 4 goroutines: got %d values, want 200", len(all))
	}
}
