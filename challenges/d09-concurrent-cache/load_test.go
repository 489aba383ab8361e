package cache

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The tests in this file run inside synctest bubbles: time is fake, every
// sleep is free and exact, and synctest.Wait tells when every goroutine is
// blocked (100 callers queued on one load, for example).

// TestGetOrLoadCoalesces: 100 concurrent misses on one key share one load.
func TestGetOrLoadCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64})
		ctx := ctxT(t, time.Minute)
		release := make(chan struct{})
		var calls atomic.Int64
		load := func(ctx context.Context, k string) (int, error) {
			calls.Add(1)
			select {
			case <-release:
				return 42, nil
			case <-ctx.Done():
				return 0, ctx.Err()
			}
		}
		var results []<-chan got[int]
		for range 100 {
			results = append(results, goLoad(ctx, c, "k", load))
		}
		synctest.Wait() // every caller is now waiting on the one load
		st := c.Stats()
		close(release)
		for i, ch := range results {
			if g := recv(t, ch, 2*time.Minute, "GetOrLoad"); g.V != 42 || g.Err != nil {
				t.Errorf("caller %d: got (%v, %v), want (42, nil)", i, g.V, g.Err)
			}
		}
		if n := calls.Load(); n != 1 {
			t.Errorf("loader calls: got %d, want 1", n)
		}
		want := Stats{Misses: 100, Loads: 1, Coalesced: 99}
		if diff := cmp.Diff(want, st); diff != "" {
			t.Errorf("Stats while the load runs (-want +got):\n%s", diff)
		}
		wantHit(t, c, "k", 42)
	})
}

// TestLoadErrorsNotCached: every waiter gets the error; the next call
// loads again.
func TestLoadErrorsNotCached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64})
		ctx := ctxT(t, time.Minute)
		boom := errors.New("database down")
		var calls atomic.Int64
		load := func(ctx context.Context, k string) (int, error) {
			if calls.Add(1) == 1 {
				time.Sleep(time.Second)
				return 0, boom
			}
			return 7, nil
		}
		var results []<-chan got[int]
		for range 10 {
			results = append(results, goLoad(ctx, c, "k", load))
		}
		for i, ch := range results {
			if g := recv(t, ch, 2*time.Minute, "GetOrLoad"); !errors.Is(g.Err, boom) {
				t.Errorf("caller %d: got (%v, %v), want the loader's error %v", i, g.V, g.Err, boom)
			}
		}
		wantMiss(t, c, "k")
		if v, err := c.GetOrLoad(ctx, "k", load); v != 7 || err != nil {
			t.Errorf("GetOrLoad after a failed load: got (%v, %v), want (7, nil): errors must not be cached", v, err)
		}
		if n := calls.Load(); n != 2 {
			t.Errorf("loader calls: got %d, want 2", n)
		}
		if st := c.Stats(); st.Loads != 2 || st.LoadErrors != 1 || st.Coalesced != 9 {
			t.Errorf("Stats: got %+v, want Loads 2, LoadErrors 1, Coalesced 9", st)
		}
	})
}

// TestLoaderPanic: a panicking loader gives every waiter an error wrapping
// ErrLoaderPanic (no deadlock, no crash), and the key can be loaded again.
func TestLoaderPanic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64})
		ctx := ctxT(t, time.Minute)
		release := make(chan struct{})
		panicky := func(ctx context.Context, k string) (int, error) {
			<-release
			panic("loader exploded")
		}
		var results []<-chan got[int]
		for range 10 {
			results = append(results, goLoad(ctx, c, "k", panicky))
		}
		synctest.Wait()
		close(release)
		for i, ch := range results {
			g := recv(t, ch, 2*time.Minute, "GetOrLoad with a panicking loader")
			if !errors.Is(g.Err, ErrLoaderPanic) || !strings.Contains(errText(g.Err), "loader exploded") {
				t.Errorf("caller %d: got error %v, want one wrapping ErrLoaderPanic that quotes the panic", i, g.Err)
			}
		}
		ok := func(context.Context, string) (int, error) { return 1, nil }
		if v, err := c.GetOrLoad(ctx, "k", ok); v != 1 || err != nil {
			t.Errorf("GetOrLoad after the panic: got (%v, %v), want (1, nil)", v, err)
		}
		if st := c.Stats(); st.LoadErrors != 1 {
			t.Errorf("Stats().LoadErrors: got %d, want 1", st.LoadErrors)
		}
	})
}

type ctxKey struct{}

// TestCancelledCallerLoadContinues: the caller that started a load gives up;
// it gets ctx.Err() at once, and the load goes on for the others. The
// loader sees the caller's values, not its cancellation, and a deadline of
// LoadTimeout.
func TestCancelledCallerLoadContinues(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64, LoadTimeout: 20 * time.Second})
		start := time.Now()
		type seen struct {
			Value    any
			ErrAtEnd error
			Deadline time.Duration // after start
		}
		seenC := make(chan seen, 1)
		load := func(ctx context.Context, k string) (int, error) {
			dl, _ := ctx.Deadline()
			time.Sleep(5 * time.Second)
			seenC <- seen{ctx.Value(ctxKey{}), ctx.Err(), dl.Sub(start)}
			return 99, nil
		}
		ctx1, cancel1 := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "trace-id-1"))
		defer cancel1()
		first := goLoad(ctx1, c, "k", load)
		time.Sleep(time.Second)
		second := goLoad(ctxT(t, time.Minute), c, "k", load)
		time.Sleep(time.Second)
		cancel1()
		g := recv(t, first, 2*time.Minute, "GetOrLoad of the canceled caller")
		if !errors.Is(g.Err, context.Canceled) || g.At.Sub(start) != 2*time.Second {
			t.Errorf("canceled caller: got (%v, %v) at %v, want context.Canceled at once (2s)", g.V, g.Err, g.At.Sub(start))
		}
		g = recv(t, second, 2*time.Minute, "GetOrLoad of the patient caller")
		if g.V != 99 || g.Err != nil || g.At.Sub(start) != 5*time.Second {
			t.Errorf("patient caller: got (%v, %v) at %v, want (99, nil) at 5s", g.V, g.Err, g.At.Sub(start))
		}
		s := <-seenC
		want := seen{Value: "trace-id-1", ErrAtEnd: nil, Deadline: 20 * time.Second}
		if diff := cmp.Diff(want, s, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("what the loader saw (-want +got):\n%s", diff)
		}
		wantHit(t, c, "k", 99)
	})
}

// TestLoadTimeout: a load that never returns by itself ends at LoadTimeout,
// and its error is not cached.
func TestLoadTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64, LoadTimeout: 3 * time.Second})
		start := time.Now()
		stuck := func(ctx context.Context, k string) (int, error) {
			<-ctx.Done()
			return 0, ctx.Err()
		}
		g := recv(t, goLoad(t.Context(), c, "k", stuck), time.Hour, "GetOrLoad with a stuck loader")
		if !errors.Is(g.Err, context.DeadlineExceeded) || g.At.Sub(start) != 3*time.Second {
			t.Errorf("got (%v, %v) at %v, want context.DeadlineExceeded at 3s", g.V, g.Err, g.At.Sub(start))
		}
		wantMiss(t, c, "k")
	})
}

// TestStaleWhileRevalidate: between TTL and TTL+StaleTTL, GetOrLoad returns
// the old value at once and exactly one background load refreshes it;
// after TTL+StaleTTL the value is gone and callers wait for a load.
func TestStaleWhileRevalidate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64, TTL: 10 * time.Second, StaleTTL: 5 * time.Second})
		ctx := ctxT(t, time.Hour)
		start := time.Now()
		var calls atomic.Int64
		load := func(ctx context.Context, k string) (int, error) {
			n := calls.Add(1)
			if n > 1 {
				time.Sleep(time.Second) // refreshes take a while
			}
			return int(n), nil
		}
		at := func(d time.Duration) { time.Sleep(start.Add(d).Sub(time.Now())) }
		get := func(want int) {
			t.Helper()
			g := recv(t, goLoad(ctx, c, "k", load), time.Hour, "GetOrLoad")
			if g.V != want || g.Err != nil || !g.At.Equal(time.Now()) {
				t.Errorf("GetOrLoad at %v: got (%v, %v) at %v, want (%v, nil) at once", time.Since(start), g.V, g.Err, g.At.Sub(start), want)
			}
		}

		get(1) // t=0: the first load
		at(9 * time.Second)
		get(1) // fresh
		at(11 * time.Second)
		for range 20 {
			get(1) // stale: served at once while one refresh runs
		}
		wantMiss(t, c, "k") // Get does not serve stale values
		synctest.Wait()
		if n := calls.Load(); n != 2 {
			t.Errorf("loads by 11s: got %d, want 2 (the first and exactly one refresh)", n)
		}
		at(12*time.Second + time.Millisecond)
		get(2) // refreshed, fresh until 22s
		wantHit(t, c, "k", 2)
		if n := calls.Load(); n != 2 {
			t.Errorf("loads by 12s: got %d, want 2", n)
		}
		at(27*time.Second + time.Millisecond) // past 12s + TTL + StaleTTL
		g := recv(t, goLoad(ctx, c, "k", load), time.Hour, "GetOrLoad")
		if g.V != 3 || g.Err != nil || g.At.Sub(start) != 28*time.Second+time.Millisecond {
			t.Errorf("GetOrLoad after TTL+StaleTTL: got (%v, %v) at %v, want (3, nil) after waiting for the load (28.001s)", g.V, g.Err, g.At.Sub(start))
		}
		// Hits: 1 fresh, 20 stale, 2 refreshed. Misses: the first load, the
		// plain Get of a stale value, the load after TTL+StaleTTL.
		if st := c.Stats(); st.Loads != 3 || st.Hits != 23 || st.Misses != 3 {
			t.Errorf("Stats: got %+v, want Loads 3, Hits 23, Misses 3", st)
		}
	})
}

// TestSetDuringLoadWins: a Set or Delete while a load of the same key is in
// flight wins: the waiters get the loaded value, the cache keeps the Set
// (or stays empty).
func TestSetDuringLoadWins(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64})
		ctx := ctxT(t, time.Minute)
		slow := func(ctx context.Context, k string) (int, error) {
			time.Sleep(time.Second)
			return 1, nil
		}
		a := goLoad(ctx, c, "a", slow)
		b := goLoad(ctx, c, "b", slow)
		synctest.Wait()
		c.Set("a", 100)
		c.Set("b", 200)
		c.Delete("b")
		for name, ch := range map[string]<-chan got[int]{"a": a, "b": b} {
			if g := recv(t, ch, 2*time.Minute, "GetOrLoad"); g.V != 1 || g.Err != nil {
				t.Errorf("GetOrLoad(%s): got (%v, %v), want the loaded (1, nil)", name, g.V, g.Err)
			}
		}
		wantHit(t, c, "a", 100)
		wantMiss(t, c, "b")
	})
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
