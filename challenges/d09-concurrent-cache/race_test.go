package cache

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConcurrentMix runs 8 goroutines mixing every operation on a small
// key space with evictions, a TTL and failing loads. Run it with -race:
// counters bumped without atomics under a read lock, or a map read
// without the lock, are data races. Afterwards the counters must add up
// exactly.
func TestConcurrentMix(t *testing.T) {
	const keys, max = 64, 32
	c := newCache(t, Options[int, int]{Shards: 4, MaxEntries: max, TTL: time.Hour, StaleTTL: time.Hour})
	ops := 20_000
	if testing.Short() {
		ops = 5_000
	}
	var gets, loads, loaderCalls atomic.Int64
	errLoad := errors.New("flaky backend")
	load := func(ctx context.Context, k int) (int, error) {
		if loaderCalls.Add(1)%7 == 0 {
			return 0, errLoad
		}
		return k * 10, nil
	}
	ctx := ctxT(t, 30*time.Second)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for range ops {
				k := rng.IntN(keys)
				switch n := rng.IntN(100); {
				case n < 60:
					gets.Add(1)
					if v, ok := c.Get(k); ok && v != k*10 {
						t.Errorf("Get(%d): got %d, want %d", k, v, k*10)
						return
					}
				case n < 80:
					loads.Add(1)
					v, err := c.GetOrLoad(ctx, k, load)
					if err != nil && !errors.Is(err, errLoad) {
						t.Errorf("GetOrLoad(%d): got error %v", k, err)
						return
					}
					if err == nil && v != k*10 {
						t.Errorf("GetOrLoad(%d): got %d, want %d", k, v, k*10)
						return
					}
				case n < 92:
					c.Set(k, k*10)
				case n < 97:
					c.Delete(k)
				case n < 99:
					if l := c.Len(); l > max {
						t.Errorf("Len: got %d, want <= %d", l, max)
						return
					}
				default:
					c.Stats()
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(40 * time.Second):
		t.Fatalf("8 goroutines: no end after 40s, want them done (deadlock?)")
	}
	st := c.Stats()
	if got, want := st.Hits+st.Misses, uint64(gets.Load()+loads.Load()); got != want {
		t.Errorf("Hits+Misses: got %d, want %d (one per Get and GetOrLoad call): lost updates?", got, want)
	}
	if got, want := st.Loads, uint64(loaderCalls.Load()); got != want {
		t.Errorf("Loads: got %d, want %d (loader calls)", got, want)
	}
	if st.LoadErrors == 0 || st.LoadErrors > st.Loads || st.Coalesced > st.Misses {
		t.Errorf("Stats: got %+v, want 0 < LoadErrors <= Loads and Coalesced <= Misses", st)
	}
	if l := c.Len(); l > max {
		t.Errorf("Len: got %d, want <= %d", l, max)
	}
}
