package lru

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestConcurrentAccess runs 8 goroutines of Get/Put/Delete on overlapping
// keys while another goroutine keeps flushing to Redis. Run it with -race:
// a Get that reorders the list under a read lock is a data race.
func TestConcurrentAccess(t *testing.T) {
	r := newRedis(t)
	const capacity = 64
	var capEvictions atomic.Int64
	c := newCache(t, Options[int, int]{
		Capacity: capacity, Mode: WriteBehind,
		Store: NewRedisStore(r.rdb, "race:"), Keys: intCodec{}, Values: intCodec{},
		OnEvict: func(k, v int, why EvictReason) {
			if why == Capacity {
				capEvictions.Add(1)
			}
		},
	})
	ctx := ctxT(t, 30*time.Second)
	ops := 4000
	if testing.Short() {
		ops = 1500
	}

	stop := make(chan struct{})
	flusherDone := make(chan struct{})
	var flushErr error
	go func() {
		defer close(flusherDone)
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
			if err := c.Flush(ctx); err != nil && flushErr == nil {
				flushErr = err
			}
		}
	}()

	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 42))
			for i := range ops {
				k := rng.IntN(2 * capacity)
				switch n := rng.IntN(20); {
				case n == 0:
					c.Delete(k)
				case n < 6:
					c.Put(k, g*1_000_000+i)
				default:
					if v, ok := c.Get(k); ok && v%1_000_000 >= ops {
						t.Errorf("Get(%d): got %d, a value nobody put", k, v)
					}
				}
			}
		})
	}
	finished := within(40*time.Second, wg.Wait)
	close(stop)
	if !finished {
		t.Fatalf("8 goroutines of Get/Put/Delete: got no end after 40s, want them done (deadlock?)")
	}
	<-flusherDone
	if flushErr != nil {
		t.Errorf("concurrent Flush: got %v, want nil", flushErr)
	}

	var keys []int
	if !within(5*time.Second, func() { keys = c.Keys() }) {
		t.Fatalf("Keys(): got no return after 5s, want the keys (is the list corrupted?)")
	}
	s := c.Stats()
	if len(keys) > capacity || len(keys) != s.Len {
		t.Errorf("after the run: got %d keys and Stats().Len %d, want them equal and at most %d", len(keys), s.Len, capacity)
	}
	sorted := slices.Sorted(slices.Values(keys))
	if len(slices.Compact(sorted)) != len(keys) {
		t.Errorf("Keys(): got duplicates in %v", keys)
	}
	if got, want := s.Evictions, uint64(capEvictions.Load()); got != want {
		t.Errorf("Stats().Evictions: got %d, want %d (OnEvict calls with Capacity)", got, want)
	}

	// Once the dust settles, one more Flush makes Redis mirror the cache.
	if err := c.Flush(ctx); err != nil {
		t.Fatalf("final Flush: got %v, want nil", err)
	}
	if got := c.Stats().Pending; got != 0 {
		t.Errorf("Stats().Pending after the final Flush: got %d, want 0", got)
	}
	want := map[string]string{}
	for _, k := range keys {
		v, ok := c.Get(k)
		if !ok {
			t.Errorf("Get(%d) of a key listed by Keys(): got a miss, want a hit", k)
		}
		want[strconv.Itoa(k)] = strconv.Itoa(v)
	}
	if err := c.Flush(ctx); err != nil && !errors.Is(err, ErrStore) {
		t.Fatalf("Flush: got %v, want nil", err)
	}
	got := map[string]string{}
	for _, m := range r.index(t, "race:") {
		got[m] = r.get("race:v:" + m)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Redis after the final Flush vs the cache (-cache +redis):\n%s", diff)
	}
}
