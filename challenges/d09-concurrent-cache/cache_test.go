package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewValidates(t *testing.T) {
	bad := []Options[string, int]{
		{Shards: 3, MaxEntries: 100},
		{Shards: 6, MaxEntries: 100},
		{Shards: 1000, MaxEntries: 10_000},
		{Shards: -4, MaxEntries: 100},
		{Shards: 16, MaxEntries: 15},
		{MaxEntries: 0},
		{MaxEntries: -1},
		{MaxEntries: 100, TTL: -time.Second},
		{MaxEntries: 100, TTL: time.Second, StaleTTL: -time.Second},
		{MaxEntries: 100, StaleTTL: time.Second},
		{MaxEntries: 100, LoadTimeout: -time.Second},
	}
	for _, o := range bad {
		c, err := New(o)
		if !errors.Is(err, ErrInvalidOptions) || c != nil {
			t.Errorf("New(%+v): got (%v, %v), want (nil, an error wrapping ErrInvalidOptions)", o, c, err)
		}
	}
	good := []Options[string, int]{
		{MaxEntries: 16},
		{Shards: 1, MaxEntries: 1},
		{Shards: 2, MaxEntries: 2},
		{Shards: 64, MaxEntries: 1000},
		{Shards: 1024, MaxEntries: 1 << 20},
		{MaxEntries: 100, TTL: time.Minute, StaleTTL: time.Hour, LoadTimeout: time.Second, Now: time.Now},
	}
	for _, o := range good {
		c, err := New(o)
		if err != nil || c == nil {
			t.Errorf("New(%+v): got (%v, %v), want a cache and nil", o, c, err)
		}
	}
}

func TestGetSetDelete(t *testing.T) {
	c := newCache(t, Options[string, int]{MaxEntries: 64})
	wantMiss(t, c, "a")
	c.Set("a", 1)
	c.Set("b", 2)
	wantHit(t, c, "a", 1)
	wantHit(t, c, "b", 2)
	c.Set("a", 10)
	wantHit(t, c, "a", 10)
	if !c.Delete("a") {
		t.Errorf("Delete(a): got false, want true")
	}
	if c.Delete("a") {
		t.Errorf("Delete(a) again: got true, want false")
	}
	if c.Delete("never") {
		t.Errorf("Delete(never): got true, want false")
	}
	wantMiss(t, c, "a")
	if got := c.Len(); got != 1 {
		t.Errorf("Len: got %d, want 1", got)
	}

	// Any comparable key works, structs included.
	type point struct{ X, Y int }
	p := newCache(t, Options[point, string]{Shards: 4, MaxEntries: 64})
	p.Set(point{1, 2}, "a")
	p.Set(point{2, 1}, "b")
	wantHit(t, p, point{1, 2}, "a")
	wantHit(t, p, point{2, 1}, "b")
	wantMiss(t, p, point{1, 1})
}

// TestTTL: a value is fresh for TTL (now < set + TTL) and Set restarts it.
// Get never returns a stale value (only GetOrLoad does).
func TestTTL(t *testing.T) {
	clk := newClock()
	c := newCache(t, Options[string, int]{MaxEntries: 64, TTL: 10 * time.Second, StaleTTL: time.Minute, Now: clk.Now})
	c.Set("a", 1)
	clk.Advance(10*time.Second - time.Nanosecond)
	wantHit(t, c, "a", 1)
	clk.Advance(time.Nanosecond)
	wantMiss(t, c, "a")
	c.Set("a", 2)
	clk.Advance(9 * time.Second)
	wantHit(t, c, "a", 2)
	c.Set("a", 3) // restarts the TTL
	clk.Advance(9 * time.Second)
	wantHit(t, c, "a", 3)
	clk.Advance(time.Hour)
	wantMiss(t, c, "a")

	// Without a TTL nothing expires.
	clk2 := newClock()
	forever := newCache(t, Options[string, int]{MaxEntries: 64, Now: clk2.Now})
	forever.Set("a", 1)
	clk2.Advance(100 * 365 * 24 * time.Hour)
	wantHit(t, forever, "a", 1)
}

// TestClockEviction pins down CLOCK on one shard: new entries start with
// their reference bit clear; a Get hit (or a Set of a present key) sets it;
// the hand clears set bits and evicts the first clear one.
func TestClockEviction(t *testing.T) {
	c := newCache(t, Options[string, int]{Shards: 1, MaxEntries: 4})
	for i, k := range []string{"a", "b", "c", "d"} {
		c.Set(k, i)
	}
	wantHit(t, c, "a", 0)
	c.Set("c", 20) // an update counts as a use
	c.Set("e", 4)  // hand at a: a gets a second chance, b goes
	c.Set("f", 5)  // hand at c: c gets a second chance, d goes
	present := map[string]bool{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		_, present[k] = c.Get(k)
	}
	want := map[string]bool{"a": true, "b": false, "c": true, "d": false, "e": true, "f": true}
	if diff := cmp.Diff(want, present); diff != "" {
		t.Errorf("keys present after two evictions (-want +got):\n%s", diff)
	}
	if got := c.Stats().Evictions; got != 2 {
		t.Errorf("Stats().Evictions: got %d, want 2", got)
	}
	if got := c.Len(); got != 4 {
		t.Errorf("Len: got %d, want 4", got)
	}
	// Deleting makes room without an eviction.
	c.Delete("a")
	c.Set("g", 6)
	if got := c.Stats().Evictions; got != 2 {
		t.Errorf("Stats().Evictions after Delete then Set: got %d, want 2", got)
	}
}

// TestSizeBound: 100k distinct inserts never take the cache over
// MaxEntries, and the newest key of every shard is still there.
func TestSizeBound(t *testing.T) {
	const max, n = 1000, 100_000
	c := newCache(t, Options[int, int]{Shards: 16, MaxEntries: max})
	for i := range n {
		c.Set(i, i)
		if i%10_000 == 0 {
			if l := c.Len(); l > max {
				t.Fatalf("Len after %d inserts: got %d, want <= %d", i+1, l, max)
			}
		}
	}
	l := c.Len()
	if l > max || l < max-16 {
		t.Errorf("Len after %d inserts: got %d, want %d (16 shards of %d)", n, l, max/16*16, max/16)
	}
	if got, want := c.Stats().Evictions, uint64(n-l); got != want {
		t.Errorf("Stats().Evictions: got %d, want %d (inserts - Len)", got, want)
	}
	wantHit(t, c, n-1, n-1)
	hits := 0
	for i := n - 200; i < n; i++ {
		if _, ok := c.Get(i); ok {
			hits++
		}
	}
	if hits < 150 {
		t.Errorf("of the 200 newest keys: got %d still cached, want most of them", hits)
	}
}

func TestStats(t *testing.T) {
	c := newCache(t, Options[string, int]{Shards: 1, MaxEntries: 2})
	ctx := ctxT(t, 10*time.Second)
	c.Set("a", 1)
	c.Get("a")
	c.Get("a")
	c.Get("x")
	two := func(context.Context, string) (int, error) { return 2, nil }
	boom := errors.New("boom")
	fail := func(context.Context, string) (int, error) { return 0, boom }
	if v, err := c.GetOrLoad(ctx, "b", two); v != 2 || err != nil {
		t.Errorf("GetOrLoad(b): got (%v, %v), want (2, nil)", v, err)
	}
	if v, err := c.GetOrLoad(ctx, "b", fail); v != 2 || err != nil {
		t.Errorf("GetOrLoad(b) when cached: got (%v, %v), want (2, nil) without calling the loader", v, err)
	}
	if _, err := c.GetOrLoad(ctx, "c", fail); !errors.Is(err, boom) {
		t.Errorf("GetOrLoad(c) with a failing loader: got error %v, want %v", err, boom)
	}
	c.Set("c", 3) // the shard holds 2: each of these evicts
	c.Set("d", 4)
	want := Stats{Hits: 3, Misses: 3, Loads: 2, LoadErrors: 1, Coalesced: 0, Evictions: 2}
	if diff := cmp.Diff(want, c.Stats()); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}
