package scope

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: run against the reference solution only.

func TestHoldoutManySlotsInOrder(t *testing.T) {
	var rec recorder
	s, _ := New(t.Context())
	var want []string
	for i := range 40 {
		name := fmt.Sprint("r", i)
		switch i % 3 {
		case 0:
			Acquire(s, rec.open(name), rec.release(nil))
			want = append(want, "release "+name)
		case 1:
			s.Defer(name, rec.cleanup(name, nil))
			want = append(want, "cleanup "+name)
		default:
			s.DeferConcurrent(name, rec.cleanup(name, nil))
			want = append(want, "cleanup "+name)
		}
	}
	rec.take()
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	if d := cmp.Diff(want, rec.take()); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestHoldoutNestedScopes(t *testing.T) {
	var rec recorder
	outer, octx := New(t.Context())
	inner, _ := New(octx)
	Acquire(inner, rec.open("inner"), rec.release(nil))
	outer.Defer("inner scope", inner.Close)
	Acquire(outer, rec.open("outer"), rec.release(nil))
	if err := outer.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"open inner", "open outer", "release outer", "release inner"}, rec.take()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestHoldoutNoTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, _ := New(t.Context(), WithCleanupTimeout(0))
		var has bool
		s.Defer("slow", func(ctx context.Context) error {
			_, has = ctx.Deadline()
			time.Sleep(5 * time.Minute)
			return nil
		})
		start := time.Now()
		if err := s.Close(t.Context()); err != nil {
			t.Fatal(err)
		}
		if has || time.Since(start) != 5*time.Minute {
			t.Errorf("deadline set %v, took %v; want no deadline and 5m", has, time.Since(start))
		}
	})
}

func TestHoldoutOpenHonoursParentCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var rec recorder
		parent, cancel := context.WithCancel(t.Context())
		s, _ := New(parent)
		Acquire(s, rec.open("db"), rec.release(nil))
		errc := make(chan error, 1)
		go func() {
			_, err := Acquire(s, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, ctx.Err()
			}, func(context.Context, int) error { return nil })
			errc <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("Acquire: got %v, want context.Canceled", err)
		}
		if d := cmp.Diff([]string{"open db", "release db"}, rec.take()); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
}

func TestHoldoutWithGoexit(t *testing.T) {
	var released atomic.Bool
	done := make(chan struct{})
	go func() {
		defer close(done)
		With(context.Background(),
			func(context.Context) (int, error) { return 1, nil },
			func(context.Context, int) error { released.Store(true); return nil },
			func(context.Context, int) error { runtime.Goexit(); return nil })
	}()
	<-done
	if !released.Load() {
		t.Errorf("release did not run after runtime.Goexit in the body")
	}
}

func TestHoldoutDeferRacesClose(t *testing.T) {
	for range 20 {
		s, _ := New(t.Context())
		var ran sync.Map
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Go(func() {
				for i := range 100 {
					id := g*1000 + i
					s.Defer(fmt.Sprint(id), func(context.Context) error {
						if _, dup := ran.LoadOrStore(id, true); dup {
							t.Errorf("cleanup %d ran twice", id)
						}
						return nil
					})
				}
			})
		}
		runtime.Gosched()
		s.Close(t.Context())
		wg.Wait()
		n := 0
		ran.Range(func(any, any) bool { n++; return true })
		if n != 600 {
			t.Fatalf("ran %d cleanups, want 600", n)
		}
	}
}
