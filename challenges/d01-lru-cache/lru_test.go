package lru

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ExampleNew() {
	c, err := New(Options[string, int]{Capacity: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	c.Put("a", 1)
	c.Put("b", 2)
	c.Get("a")
	c.Put("c", 3) // evicts b, the least recently used
	fmt.Println(c.Keys())
	// Output: [c a]
}

func TestNewValidates(t *testing.T) {
	store := newMemStore()
	tests := []struct {
		name    string
		o       Options[string, int]
		wantErr bool
	}{
		{"capacity 1", Options[string, int]{Capacity: 1}, false},
		{"with store and codecs", Options[string, int]{Capacity: 8, Store: store, Keys: stringCodec{}, Values: intCodec{}}, false},
		{"write-behind without ticker", Options[string, int]{Capacity: 8, Store: store, Keys: stringCodec{}, Values: intCodec{}, Mode: WriteBehind}, false},
		{"capacity 0", Options[string, int]{Capacity: 0}, true},
		{"capacity -1", Options[string, int]{Capacity: -1}, true},
		{"negative TTL", Options[string, int]{Capacity: 1, TTL: -time.Second}, true},
		{"negative FlushEvery", Options[string, int]{Capacity: 1, FlushEvery: -time.Second, Store: store, Keys: stringCodec{}, Values: intCodec{}}, true},
		{"unknown mode", Options[string, int]{Capacity: 1, Mode: WriteMode(7)}, true},
		{"store without Keys", Options[string, int]{Capacity: 1, Store: store, Values: intCodec{}}, true},
		{"store without Values", Options[string, int]{Capacity: 1, Store: store, Keys: stringCodec{}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.o)
			if c != nil {
				defer c.Close(context.Background())
			}
			switch {
			case tt.wantErr && err == nil:
				t.Errorf("New: got nil error, want an error")
			case !tt.wantErr && err != nil:
				t.Errorf("New: got error %v, want nil", err)
			case !tt.wantErr && c == nil:
				t.Errorf("New: got nil cache, want a cache")
			}
		})
	}
}

func TestEvictionOrder(t *testing.T) {
	var log evictLog[string, int]
	c := newCache(t, Options[string, int]{Capacity: 3, OnEvict: log.record})

	c.Put("a", 1)
	c.Put("b", 2)
	c.Put("c", 3)
	wantHit(t, c, "a", 1)
	c.Put("d", 4) // b is now the least recently used

	if diff := cmp.Diff([]eviction[string, int]{{"b", 2, Capacity}}, log.take()); diff != "" {
		t.Errorf("evictions after Put(d) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"d", "a", "c"}, c.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
	wantMiss(t, c, "b")

	// Replacing a value refreshes recency and evicts nothing.
	c.Put("c", 30)
	if got := log.take(); len(got) != 0 {
		t.Errorf("evictions after replacing c: got %v, want none", got)
	}
	c.Put("e", 5) // LRU is now a
	if diff := cmp.Diff([]eviction[string, int]{{"a", 1, Capacity}}, log.take()); diff != "" {
		t.Errorf("evictions after Put(e) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"e", "c", "d"}, c.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
	wantHit(t, c, "c", 30)
	if got := c.Stats().Len; got != 3 {
		t.Errorf("Stats().Len: got %d, want 3", got)
	}
}

func TestCapacityOne(t *testing.T) {
	var log evictLog[int, string]
	c := newCache(t, Options[int, string]{Capacity: 1, OnEvict: log.record})
	for i := range 5 {
		c.Put(i, fmt.Sprint("v", i))
	}
	want := []eviction[int, string]{{0, "v0", Capacity}, {1, "v1", Capacity}, {2, "v2", Capacity}, {3, "v3", Capacity}}
	if diff := cmp.Diff(want, log.take()); diff != "" {
		t.Errorf("evictions (-want +got):\n%s", diff)
	}
	wantHit(t, c, 4, "v4")
	if diff := cmp.Diff([]int{4}, c.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
}

func TestDelete(t *testing.T) {
	var log evictLog[string, int]
	c := newCache(t, Options[string, int]{Capacity: 4, OnEvict: log.record})
	c.Put("a", 1)
	c.Put("b", 2)

	if got := c.Delete("a"); !got {
		t.Errorf("Delete(a): got false, want true")
	}
	if got := c.Delete("a"); got {
		t.Errorf("second Delete(a): got true, want false")
	}
	if got := c.Delete("zz"); got {
		t.Errorf("Delete(zz) of a missing key: got true, want false")
	}
	wantMiss(t, c, "a")
	if diff := cmp.Diff([]eviction[string, int]{{"a", 1, Deleted}}, log.take()); diff != "" {
		t.Errorf("evictions (-want +got):\n%s", diff)
	}
	if got := c.Stats().Len; got != 1 {
		t.Errorf("Stats().Len: got %d, want 1", got)
	}
	// A deleted key can come back.
	c.Put("a", 10)
	wantHit(t, c, "a", 10)
}

func TestStats(t *testing.T) {
	c := newCache(t, Options[string, int]{Capacity: 2})
	c.Put("a", 1)
	c.Put("b", 2)
	c.Get("a")
	c.Get("a")
	c.Get("x")
	c.Put("c", 3) // evicts b
	c.Get("b")
	want := Stats{Hits: 2, Misses: 2, Evictions: 1, Len: 2}
	if diff := cmp.Diff(want, c.Stats()); diff != "" {
		t.Errorf("Stats() (-want +got):\n%s", diff)
	}
}

// TestTTL drives time through Options.Now: expiry is checked when an entry
// is touched, not by a background goroutine.
func TestTTL(t *testing.T) {
	clock := newClock()
	var log evictLog[string, int]
	before := ownGoroutines()
	c := newCache(t, Options[string, int]{Capacity: 4, TTL: time.Minute, OnEvict: log.record, Now: clock.Now})

	c.Put("a", 1)
	c.Put("b", 2)
	clock.Advance(59 * time.Second)
	wantHit(t, c, "a", 1)
	c.Put("b", 20) // restarts b's TTL
	if got := ownGoroutines() - before; got != 0 {
		t.Errorf("background goroutines: got %d, want 0 (expire lazily, on access)", got)
	}

	clock.Advance(time.Second) // a is exactly one TTL old: expired
	wantMiss(t, c, "a")
	if diff := cmp.Diff([]eviction[string, int]{{"a", 1, Expired}}, log.take()); diff != "" {
		t.Errorf("evictions (-want +got):\n%s", diff)
	}
	wantMiss(t, c, "a")
	if got := log.take(); len(got) != 0 {
		t.Errorf("evictions after a second Get(a): got %v, want none", got)
	}
	wantHit(t, c, "b", 20)
	if diff := cmp.Diff([]string{"b"}, c.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}

	clock.Advance(time.Hour)
	if got := c.Keys(); len(got) != 0 {
		t.Errorf("Keys() after b expired, without touching it: got %v, want []", got)
	}
	if got := c.Delete("b"); got {
		t.Errorf("Delete(b) of an expired entry: got true, want false")
	}
	s := c.Stats()
	if s.Expirations != 2 || s.Len != 0 {
		t.Errorf("Stats(): got Expirations=%d Len=%d, want Expirations=2 Len=0", s.Expirations, s.Len)
	}
}

func TestZeroTTLNeverExpires(t *testing.T) {
	clock := newClock()
	c := newCache(t, Options[string, int]{Capacity: 2, Now: clock.Now})
	c.Put("a", 1)
	clock.Advance(100 * 365 * 24 * time.Hour)
	wantHit(t, c, "a", 1)
}

// TestOnEvictCanReenter: the callback runs without the cache's lock, so it
// may use the cache.
func TestOnEvictCanReenter(t *testing.T) {
	var c *Cache[string, int]
	var seen []string
	c = newCache(t, Options[string, int]{Capacity: 1, OnEvict: func(k string, v int, r EvictReason) {
		c.Get(k)
		_ = c.Stats()
		seen = append(seen, k)
	}})
	ok := within(5*time.Second, func() {
		c.Put("a", 1)
		c.Put("b", 2) // evicts a
		c.Delete("b")
	})
	if !ok {
		t.Fatalf("Put/Delete with a re-entrant OnEvict: got a deadlock, want OnEvict called without the lock held")
	}
	if diff := cmp.Diff([]string{"a", "b"}, seen); diff != "" {
		t.Errorf("OnEvict keys (-want +got):\n%s", diff)
	}
}

func TestWithoutStore(t *testing.T) {
	c := newCache(t, Options[string, int]{Capacity: 2})
	ctx := ctxT(t, 5*time.Second)
	c.Put("a", 1)
	if err := c.Flush(ctx); err != nil {
		t.Errorf("Flush without a Store: got %v, want nil", err)
	}
	if err := c.Warm(ctx); err != nil {
		t.Errorf("Warm without a Store: got %v, want nil", err)
	}
	if err := c.Close(ctx); err != nil {
		t.Errorf("Close without a Store: got %v, want nil", err)
	}
	if got := c.Stats().Pending; got != 0 {
		t.Errorf("Stats().Pending without a Store: got %d, want 0", got)
	}
	wantHit(t, c, "a", 1) // still usable after Close
}

// TestFlushEvery checks the background flusher with a fake clock: it flushes
// on its ticker, and Close stops it and flushes what is left.
func TestFlushEvery(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newMemStore()
		c, err := New(Options[string, int]{
			Capacity: 4, Store: store, Keys: stringCodec{}, Values: intCodec{},
			Mode: WriteBehind, FlushEvery: time.Second,
		})
		if err != nil {
			t.Fatalf("New: got error %v, want nil", err)
		}
		defer c.Close(context.Background())
		c.Put("a", 1)
		c.Put("b", 2)
		synctest.Wait()
		if got := store.values(); len(got) != 0 {
			t.Errorf("store before the first tick: got %v, want empty", got)
		}

		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if diff := cmp.Diff(map[string]string{"a": "1", "b": "2"}, store.values()); diff != "" {
			t.Errorf("store after one tick (-want +got):\n%s", diff)
		}

		c.Put("c", 3)
		c.Delete("a")
		if err := c.Close(context.Background()); err != nil {
			t.Errorf("Close: got %v, want nil", err)
		}
		if diff := cmp.Diff(map[string]string{"b": "2", "c": "3"}, store.values()); diff != "" {
			t.Errorf("store after Close (-want +got):\n%s", diff)
		}
		if got := ownGoroutines(); got != 0 {
			t.Errorf("goroutines after Close: got %d, want 0", got)
		}
		if err := c.Close(context.Background()); err != nil {
			t.Errorf("second Close: got %v, want nil", err)
		}
	})
}

// TestFlushHonoursContext: a Flush that cannot reach the store in time
// returns, and the change stays pending.
func TestFlushHonoursContext(t *testing.T) {
	store := newMemStore()
	c := newCache(t, Options[string, int]{Capacity: 4, Store: store, Keys: stringCodec{}, Values: intCodec{}, Mode: WriteBehind})
	c.Put("a", 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store.setFail(context.Canceled) // what a store returns on a dead ctx
	err := c.Flush(ctx)
	if err == nil {
		t.Fatalf("Flush(cancelled ctx): got nil, want an error")
	}
	if !errors.Is(err, ErrStore) && !errors.Is(err, context.Canceled) {
		t.Errorf("Flush(cancelled ctx): got %v, want an error wrapping ErrStore or context.Canceled", err)
	}
	store.setFail(nil)
	if got := c.Stats().Pending; got != 1 {
		t.Errorf("Stats().Pending after a failed Flush: got %d, want 1", got)
	}
	if err := c.Flush(ctxT(t, 5*time.Second)); err != nil {
		t.Errorf("Flush: got %v, want nil", err)
	}
	if diff := cmp.Diff(map[string]string{"a": "1"}, store.values()); diff != "" {
		t.Errorf("store (-want +got):\n%s", diff)
	}
}
