package lru

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRedisStore checks the Store on its own: layout, order, limit, expiry.
func TestRedisStore(t *testing.T) {
	r := newRedis(t)
	base := newClock().Now()
	r.mr.SetTime(base)
	s := NewRedisStore(r.rdb, "s:")
	ctx := ctxT(t, 10*time.Second)

	in := []Entry{
		{Key: "a", Value: []byte("1"), Rank: 1},
		{Key: "b", Value: []byte("2"), Rank: 3, ExpiresAt: base.Add(time.Hour)},
		{Key: "c", Value: []byte("3"), Rank: 2},
	}
	if err := s.Save(ctx, in); err != nil {
		t.Fatalf("Save: got %v, want nil", err)
	}
	if got := r.get("s:v:b"); got != "2" {
		t.Errorf(`value at "s:v:b": got %q, want "2"`, got)
	}
	if got := r.mr.TTL("s:v:b"); got != time.Hour {
		t.Errorf(`TTL of "s:v:b": got %v, want 1h (PXAT)`, got)
	}
	if got := r.mr.TTL("s:v:a"); got != 0 {
		t.Errorf(`TTL of "s:v:a": got %v, want none`, got)
	}
	if diff := cmp.Diff([]string{"b", "c", "a"}, r.index(t, "s:")); diff != "" {
		t.Errorf(`sorted set "s:idx", highest score first (-want +got):\n%s`, diff)
	}

	load := func(limit int) []Entry {
		t.Helper()
		es, err := s.Load(ctx, limit)
		if err != nil {
			t.Fatalf("Load(%d): got error %v, want nil", limit, err)
		}
		return es
	}
	if diff := cmp.Diff([]Entry{in[1], in[2], in[0]}, load(10)); diff != "" {
		t.Errorf("Load(10) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Entry{in[1], in[2]}, load(2)); diff != "" {
		t.Errorf("Load(2) (-want +got):\n%s", diff)
	}
	if got := load(0); len(got) != 0 {
		t.Errorf("Load(0): got %v, want none", got)
	}

	if err := s.Delete(ctx, "c", "never-stored"); err != nil {
		t.Fatalf("Delete: got %v, want nil", err)
	}
	if r.mr.Exists("s:v:c") {
		t.Errorf(`"s:v:c" after Delete: got present, want gone`)
	}
	if diff := cmp.Diff([]string{"b", "a"}, r.index(t, "s:")); diff != "" {
		t.Errorf("index after Delete (-want +got):\n%s", diff)
	}

	// A value that vanished (expired) is skipped, and Load still fills limit.
	r.mr.FastForward(time.Hour)
	if diff := cmp.Diff([]Entry{in[0]}, load(1)); diff != "" {
		t.Errorf("Load(1) after b expired (-want +got):\n%s", diff)
	}
	if err := s.Save(ctx, nil); err != nil {
		t.Errorf("Save(nil): got %v, want nil", err)
	}
}

// TestWriteThrough: every Put and Delete is in Redis when it returns.
func TestWriteThrough(t *testing.T) {
	r := newRedis(t)
	clock := newClock()
	r.mr.SetTime(clock.Now())
	var log evictLog[string, user]
	c := newCache(t, Options[string, user]{
		Capacity: 2, TTL: 10 * time.Minute, OnEvict: log.record, Now: clock.Now,
		Store: NewRedisStore(r.rdb, "wt:"), Keys: stringCodec{}, Values: jsonCodec[user]{},
	})

	c.Put("alice", user{"Alice", 30})
	if got, want := r.get("wt:v:alice"), `{"name":"Alice","age":30}`; got != want {
		t.Errorf(`"wt:v:alice" right after Put: got %s, want %s`, got, want)
	}
	if got := r.mr.TTL("wt:v:alice"); got != 10*time.Minute {
		t.Errorf(`TTL of "wt:v:alice": got %v, want 10m`, got)
	}
	c.Put("bob", user{"Bob", 40})
	if diff := cmp.Diff([]string{"bob", "alice"}, r.index(t, "wt:")); diff != "" {
		t.Errorf("index after Put(bob) (-want +got):\n%s", diff)
	}

	wantHit(t, c, "alice", user{"Alice", 30})
	c.Put("carol", user{"Carol", 50}) // evicts bob
	if got := r.get("wt:v:bob"); got != "<missing>" {
		t.Errorf(`"wt:v:bob" right after its eviction: got %s, want it deleted`, got)
	}
	if diff := cmp.Diff([]string{"carol", "alice"}, r.index(t, "wt:")); diff != "" {
		t.Errorf("index after bob's eviction (-want +got):\n%s", diff)
	}

	c.Put("alice", user{"Alice", 31})
	if got, want := r.get("wt:v:alice"), `{"name":"Alice","age":31}`; got != want {
		t.Errorf(`"wt:v:alice" after replacing it: got %s, want %s`, got, want)
	}
	c.Delete("carol")
	if got := r.get("wt:v:carol"); got != "<missing>" {
		t.Errorf(`"wt:v:carol" right after Delete: got %s, want it deleted`, got)
	}
	if diff := cmp.Diff([]string{"alice"}, r.index(t, "wt:")); diff != "" {
		t.Errorf("index after Delete(carol) (-want +got):\n%s", diff)
	}
	if got := c.Stats().Pending; got != 0 {
		t.Errorf("Stats().Pending in WriteThrough mode: got %d, want 0", got)
	}
	if diff := cmp.Diff([]eviction[string, user]{{"bob", user{"Bob", 40}, Capacity}, {"carol", user{"Carol", 50}, Deleted}}, log.take()); diff != "" {
		t.Errorf("evictions (-want +got):\n%s", diff)
	}
}

// TestWriteBehind: nothing reaches Redis before Flush, and a key written a
// thousand times is written once.
func TestWriteBehind(t *testing.T) {
	r := newRedis(t)
	c := newCache(t, Options[string, int]{
		Capacity: 8, Mode: WriteBehind,
		Store: NewRedisStore(r.rdb, "wb:"), Keys: stringCodec{}, Values: intCodec{},
	})
	ctx := ctxT(t, 10*time.Second)

	n0 := r.mr.CommandCount()
	for i := range 1000 {
		c.Put("hot", i)
	}
	wantHit(t, c, "hot", 999)
	if got := r.mr.CommandCount() - n0; got != 0 {
		t.Errorf("Redis commands before Flush: got %d, want 0", got)
	}
	if got := r.mr.Keys(); len(got) != 0 {
		t.Errorf("Redis keys before Flush: got %v, want none", got)
	}
	if got := c.Stats().Pending; got != 1 {
		t.Errorf("Stats().Pending after 1000 Puts to one key: got %d, want 1", got)
	}

	if err := c.Flush(ctx); err != nil {
		t.Fatalf("Flush: got %v, want nil", err)
	}
	if got := r.cmd.count("set"); got != 1 {
		t.Errorf("SET commands for 1000 Puts to one key: got %d, want 1", got)
	}
	if got := r.mr.CommandCount() - n0; got > 6 {
		t.Errorf("Redis commands for one pending key: got %d, want at most 6 (one round trip: MULTI, SET, ZADD, EXEC)", got)
	}
	if got := r.get("wb:v:hot"); got != "999" {
		t.Errorf(`"wb:v:hot" after Flush: got %s, want 999`, got)
	}
	if diff := cmp.Diff([]string{"hot"}, r.index(t, "wb:")); diff != "" {
		t.Errorf("index after Flush (-want +got):\n%s", diff)
	}
	if got := c.Stats().Pending; got != 0 {
		t.Errorf("Stats().Pending after Flush: got %d, want 0", got)
	}

	n1 := r.mr.CommandCount()
	if err := c.Flush(ctx); err != nil {
		t.Fatalf("second Flush: got %v, want nil", err)
	}
	if got := r.mr.CommandCount() - n1; got != 0 {
		t.Errorf("Redis commands for a Flush with nothing pending: got %d, want 0", got)
	}

	// A key that came and went before a flush must not be left behind.
	c.Put("tmp", 1)
	c.Delete("tmp")
	c.Put("x", 7)
	if err := c.Flush(ctx); err != nil {
		t.Fatalf("third Flush: got %v, want nil", err)
	}
	if r.mr.Exists("wb:v:tmp") {
		t.Errorf(`"wb:v:tmp" put and deleted before a Flush: got present, want absent`)
	}
	if diff := cmp.Diff([]string{"x", "hot"}, r.index(t, "wb:")); diff != "" {
		t.Errorf("index after third Flush (-want +got):\n%s", diff)
	}
}

// TestWarmRestart: a new cache on the same store comes back with the most
// recent entries, in recency order, and ranks keep growing across restarts.
func TestWarmRestart(t *testing.T) {
	r := newRedis(t)
	clock := newClock() // never advanced: ranks cannot lean on the wall clock
	opts := func(capacity int) Options[string, int] {
		return Options[string, int]{
			Capacity: capacity, Mode: WriteBehind, Now: clock.Now,
			Store: NewRedisStore(r.rdb, "app:"), Keys: stringCodec{}, Values: intCodec{},
		}
	}
	ctx := ctxT(t, 10*time.Second)

	c1 := newCache(t, opts(5))
	for i, k := range []string{"k1", "k2", "k3", "k4", "k5"} {
		c1.Put(k, i+1)
	}
	wantHit(t, c1, "k2", 2) // a read changes recency, and that is persisted too
	if err := c1.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"k2", "k5", "k4", "k3", "k1"}, r.index(t, "app:")); diff != "" {
		t.Errorf("index after Close (-want +got):\n%s", diff)
	}

	c2 := newCache(t, opts(3))
	if err := c2.Warm(ctx); err != nil {
		t.Fatalf("Warm: got %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"k2", "k5", "k4"}, c2.Keys()); diff != "" {
		t.Errorf("Keys() after Warm with Capacity 3 (-want +got):\n%s", diff)
	}
	if got := c2.Stats().Pending; got != 0 {
		t.Errorf("Stats().Pending right after Warm: got %d, want 0 (warmed entries are already stored)", got)
	}
	wantHit(t, c2, "k5", 5)
	c2.Put("k6", 6) // evicts k4
	if diff := cmp.Diff([]string{"k6", "k5", "k2"}, c2.Keys()); diff != "" {
		t.Errorf("Keys() after Put(k6) (-want +got):\n%s", diff)
	}
	if err := c2.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}

	c3 := newCache(t, opts(2))
	if err := c3.Warm(ctx); err != nil {
		t.Fatalf("second Warm: got %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"k6", "k5"}, c3.Keys()); diff != "" {
		t.Errorf("Keys() after a second restart (-want +got):\n%s\n(entries written after a Warm must rank above the warmed ones)", diff)
	}
}

// TestWarmTTL: warmed entries keep their original deadline; entries that
// expired in Redis are not loaded.
func TestWarmTTL(t *testing.T) {
	r := newRedis(t)
	clock := newClock()
	r.mr.SetTime(clock.Now())
	opts := Options[string, int]{
		Capacity: 4, TTL: time.Hour, Now: clock.Now,
		Store: NewRedisStore(r.rdb, "ttl:"), Keys: stringCodec{}, Values: intCodec{},
	}
	ctx := ctxT(t, 10*time.Second)

	c1 := newCache(t, opts)
	c1.Put("early", 1)
	r.advance(clock, 30*time.Minute)
	c1.Put("late", 2)
	if err := c1.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}

	r.advance(clock, 45*time.Minute) // early expired 15 minutes ago; late has 15 left
	c2 := newCache(t, opts)
	if err := c2.Warm(ctx); err != nil {
		t.Fatalf("Warm: got %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"late"}, c2.Keys()); diff != "" {
		t.Errorf("Keys() after Warm (-want +got):\n%s", diff)
	}
	wantHit(t, c2, "late", 2)
	clock.Advance(15 * time.Minute)
	if got, ok := c2.Get("late"); ok {
		t.Errorf("Get(late) at its original deadline: got (%v, true), want a miss (a warmed entry keeps its ExpiresAt)", got)
	}
}

// TestStoreOutage: with Redis failing, the cache keeps serving; Flush
// reports ErrStore; after recovery nothing written during the outage is lost.
func TestStoreOutage(t *testing.T) {
	for _, mode := range []WriteMode{WriteThrough, WriteBehind} {
		t.Run(mode.String(), func(t *testing.T) {
			r := newRedis(t)
			c := newCache(t, Options[string, int]{
				Capacity: 4, Mode: mode,
				Store: NewRedisStore(r.rdb, "o:"), Keys: stringCodec{}, Values: intCodec{},
			})
			ctx := ctxT(t, 10*time.Second)

			c.Put("a", 1)
			c.Put("gone", 0)
			if err := c.Flush(ctx); err != nil {
				t.Fatalf("Flush before the outage: got %v, want nil", err)
			}

			r.mr.SetError("ERR simulated outage")
			ok := within(10*time.Second, func() {
				c.Put("b", 2)
				c.Put("a", 10)
				c.Delete("gone")
			})
			if !ok {
				t.Fatalf("Put/Delete during an outage: got no return after 10s, want them to return")
			}
			wantHit(t, c, "a", 10)
			wantHit(t, c, "b", 2)
			err := c.Flush(ctx)
			if !errors.Is(err, ErrStore) {
				t.Errorf("Flush during the outage: got %v, want an error wrapping ErrStore", errText(err))
			}
			if got := c.Stats().Pending; got != 3 {
				t.Errorf("Stats().Pending during the outage: got %d, want 3 (a, b, gone)", got)
			}

			r.recover(t)
			c.Put("c", 3)
			if err := c.Flush(ctx); err != nil {
				t.Fatalf("Flush after recovery: got %v, want nil", err)
			}
			got := map[string]string{}
			for _, k := range []string{"a", "b", "c", "gone"} {
				got[k] = r.get("o:v:" + k)
			}
			want := map[string]string{"a": "10", "b": "2", "c": "3", "gone": "<missing>"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Redis after recovery (-want +got):\n%s", diff)
			}
			if got := c.Stats().Pending; got != 0 {
				t.Errorf("Stats().Pending after recovery: got %d, want 0", got)
			}
		})
	}
}

// TestCorruptValues: Warm skips what it cannot decode, loads the rest and
// reports the bad keys.
func TestCorruptValues(t *testing.T) {
	r := newRedis(t)
	opts := Options[string, user]{
		Capacity: 4, Store: NewRedisStore(r.rdb, "c:"), Keys: stringCodec{}, Values: jsonCodec[user]{},
	}
	ctx := ctxT(t, 10*time.Second)

	c1 := newCache(t, opts)
	c1.Put("alice", user{"Alice", 30})
	c1.Put("bob", user{"Bob", 40})
	c1.Put("carol", user{"Carol", 50})
	if err := c1.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if err := r.mr.Set("c:v:bob", "{not json"); err != nil {
		t.Fatalf("corrupting bob: %v", err)
	}

	c2 := newCache(t, opts)
	err := c2.Warm(ctx)
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("Warm with a corrupt value: got %v, want an error wrapping ErrCorrupt", errText(err))
	}
	if err != nil && !strings.Contains(err.Error(), "bob") {
		t.Errorf("Warm error: got %q, want it to name the key bob", err)
	}
	if diff := cmp.Diff([]string{"carol", "alice"}, c2.Keys()); diff != "" {
		t.Errorf("Keys() after Warm (-want +got):\n%s", diff)
	}
	wantHit(t, c2, "alice", user{"Alice", 30})
	wantMiss(t, c2, "bob")
}

func TestWarmStoreError(t *testing.T) {
	r := newRedis(t)
	c := newCache(t, Options[string, int]{
		Capacity: 4, Store: NewRedisStore(r.rdb, "e:"), Keys: stringCodec{}, Values: intCodec{},
	})
	r.mr.SetError("ERR simulated outage")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Warm(ctx); !errors.Is(err, ErrStore) {
		t.Errorf("Warm during an outage: got %v, want an error wrapping ErrStore", errText(err))
	}
	r.recover(t)
}
