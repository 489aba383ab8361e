package lru

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// model is a deliberately naive LRU: a slice, most recent first.
type model struct {
	cap   int
	ttl   time.Duration
	keys  []int
	val   map[int]int
	exp   map[int]time.Time
	evs   []eviction[int, int]
	stats Stats
}

func newModel(capacity int, ttl time.Duration) *model {
	return &model{cap: capacity, ttl: ttl, val: map[int]int{}, exp: map[int]time.Time{}}
}

func (m *model) expired(k int, now time.Time) bool {
	e := m.exp[k]
	return !e.IsZero() && !now.Before(e)
}

func (m *model) drop(k int) {
	i := slices.Index(m.keys, k)
	m.keys = slices.Delete(m.keys, i, i+1)
	delete(m.val, k)
	delete(m.exp, k)
}

func (m *model) front(k int) {
	i := slices.Index(m.keys, k)
	m.keys = slices.Delete(m.keys, i, i+1)
	m.keys = slices.Insert(m.keys, 0, k)
}

func (m *model) get(k int, now time.Time) (int, bool) {
	if !slices.Contains(m.keys, k) {
		m.stats.Misses++
		return 0, false
	}
	if m.expired(k, now) {
		v := m.val[k]
		m.drop(k)
		m.stats.Misses++
		m.stats.Expirations++
		m.evs = append(m.evs, eviction[int, int]{k, v, Expired})
		return 0, false
	}
	m.front(k)
	m.stats.Hits++
	return m.val[k], true
}

func (m *model) put(k, v int, now time.Time) {
	var e time.Time
	if m.ttl > 0 {
		e = now.Add(m.ttl)
	}
	if slices.Contains(m.keys, k) {
		m.val[k], m.exp[k] = v, e
		m.front(k)
		return
	}
	m.keys = slices.Insert(m.keys, 0, k)
	m.val[k], m.exp[k] = v, e
	if len(m.keys) > m.cap {
		t := m.keys[len(m.keys)-1]
		tv, why := m.val[t], Capacity
		if m.expired(t, now) {
			why = Expired
			m.stats.Expirations++
		} else {
			m.stats.Evictions++
		}
		m.drop(t)
		m.evs = append(m.evs, eviction[int, int]{t, tv, why})
	}
}

func (m *model) del(k int, now time.Time) bool {
	if !slices.Contains(m.keys, k) {
		return false
	}
	v, why := m.val[k], Deleted
	if m.expired(k, now) {
		why = Expired
		m.stats.Expirations++
	}
	m.drop(k)
	m.evs = append(m.evs, eviction[int, int]{k, v, why})
	return why == Deleted
}

func (m *model) live(now time.Time) []int {
	var out []int
	for _, k := range m.keys {
		if !m.expired(k, now) {
			out = append(out, k)
		}
	}
	return out
}

// storeOrder returns the live entries of s, highest rank first, as "k=v".
func storeOrder(s *memStore, now time.Time) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	es := make([]Entry, 0, len(s.m))
	for _, e := range s.m {
		if e.ExpiresAt.IsZero() || now.Before(e.ExpiresAt) {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b Entry) int { return -cmpInt64(a.Rank, b.Rank) })
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Key + "=" + string(e.Value)
	}
	return out
}

// TestHoldoutModel compares the cache with the naive model on random
// operation sequences, for several capacities, TTLs and write modes, and
// checks that after each Flush the store mirrors the cache in recency order.
func TestHoldoutModel(t *testing.T) {
	for _, tc := range []struct {
		capacity int
		ttl      time.Duration
		mode     WriteMode
	}{
		{1, 0, WriteBehind}, {2, 0, WriteThrough}, {7, 0, WriteBehind},
		{5, 3 * time.Second, WriteThrough}, {33, 20 * time.Second, WriteBehind}, {3, time.Second, WriteBehind},
	} {
		for seed := range uint64(4) {
			t.Run(fmt.Sprintf("cap%d/ttl%v/%v/seed%d", tc.capacity, tc.ttl, tc.mode, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(tc.capacity)))
				clock := newClock()
				store := newMemStore()
				m := newModel(tc.capacity, tc.ttl)
				var log evictLog[int, int]
				c := newCache(t, Options[int, int]{
					Capacity: tc.capacity, TTL: tc.ttl, OnEvict: log.record, Now: clock.Now,
					Store: store, Keys: intCodec{}, Values: intCodec{}, Mode: tc.mode,
				})
				ctx := ctxT(t, 10*time.Second)
				keySpace := 2*tc.capacity + 3
				for step := range 400 {
					now := clock.Now()
					k := rng.IntN(keySpace)
					var op string
					switch n := rng.IntN(20); {
					case n < 7:
						v := rng.IntN(1000)
						op = fmt.Sprintf("Put(%d,%d)", k, v)
						c.Put(k, v)
						m.put(k, v, now)
					case n < 15:
						op = fmt.Sprintf("Get(%d)", k)
						gv, gok := c.Get(k)
						wv, wok := m.get(k, now)
						if gv != wv || gok != wok {
							t.Fatalf("step %d %s: got (%d, %v), want (%d, %v)", step, op, gv, gok, wv, wok)
						}
					case n < 17:
						op = fmt.Sprintf("Delete(%d)", k)
						if got, want := c.Delete(k), m.del(k, now); got != want {
							t.Fatalf("step %d %s: got %v, want %v", step, op, got, want)
						}
					case n < 19:
						d := time.Duration(rng.IntN(1500)) * time.Millisecond
						op = fmt.Sprintf("Advance(%v)", d)
						clock.Advance(d)
					default:
						op = "Flush"
						if err := c.Flush(ctx); err != nil {
							t.Fatalf("step %d Flush: got %v, want nil", step, err)
						}
						var want []string
						for _, k := range m.live(clock.Now()) {
							want = append(want, fmt.Sprintf("%d=%d", k, m.val[k]))
						}
						if got := storeOrder(store, clock.Now()); !slices.Equal(want, got) {
							t.Fatalf("step %d: store after Flush, by rank (-want +got):\n%s", step, cmp.Diff(want, got, cmpopts.EquateEmpty()))
						}
					}
					// slices.Equal first: cmp.Diff on every step is slow under -race.
					if evs := log.take(); !slices.Equal(m.evs, evs) {
						t.Fatalf("step %d %s: evictions (-want +got):\n%s", step, op, cmp.Diff(m.evs, evs, cmpopts.EquateEmpty()))
					}
					m.evs = nil
					if want, got := m.live(clock.Now()), c.Keys(); !slices.Equal(want, got) {
						t.Fatalf("step %d %s: Keys() (-want +got):\n%s", step, op, cmp.Diff(want, got, cmpopts.EquateEmpty()))
					}
				}
				want := m.stats
				want.Len = len(m.keys)
				got := c.Stats()
				got.Pending = 0
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("Stats() (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestHoldoutExpiredTail: the entry pushed out by a Put had already expired.
func TestHoldoutExpiredTail(t *testing.T) {
	clock := newClock()
	var log evictLog[string, string]
	c := newCache(t, Options[string, string]{Capacity: 2, TTL: time.Second, Now: clock.Now, OnEvict: log.record})
	c.Put("x", "1")
	clock.Advance(500 * time.Millisecond)
	c.Put("y", "2")
	clock.Advance(700 * time.Millisecond) // x expired, y not
	c.Put("z", "3")
	if diff := cmp.Diff([]eviction[string, string]{{"x", "1", Expired}}, log.take()); diff != "" {
		t.Errorf("evictions (-want +got):\n%s", diff)
	}
	if s := c.Stats(); s.Evictions != 0 || s.Expirations != 1 {
		t.Errorf("Stats(): got Evictions=%d Expirations=%d, want 0 and 1", s.Evictions, s.Expirations)
	}
}

// TestHoldoutWarmIntoNonEmpty: Warm fills only the free capacity, behind
// what the cache already holds, and keeps the cache's own value for a key.
func TestHoldoutWarmIntoNonEmpty(t *testing.T) {
	r := newRedis(t)
	opts := Options[int, string]{Capacity: 4, Store: NewRedisStore(r.rdb, "h1:"), Keys: intCodec{}, Values: stringCodec{}}
	ctx := ctxT(t, 10*time.Second)
	c1 := newCache(t, opts)
	for i := 10; i < 16; i++ {
		c1.Put(i, "old"+strconv.Itoa(i))
	}
	if err := c1.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	c2 := newCache(t, opts)
	c2.Put(14, "new14")
	c2.Put(99, "new99")
	if err := c2.Warm(ctx); err != nil {
		t.Fatalf("Warm: got %v, want nil", err)
	}
	if diff := cmp.Diff([]int{99, 14, 15, 13}, c2.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
	wantHit(t, c2, 14, "new14")
	wantHit(t, c2, 13, "old13")
}

// TestHoldoutCorruptKey: a stored key the Keys codec rejects.
func TestHoldoutCorruptKey(t *testing.T) {
	r := newRedis(t)
	opts := Options[int, int]{Capacity: 5, Store: NewRedisStore(r.rdb, "h2:"), Keys: intCodec{}, Values: intCodec{}, Mode: WriteBehind}
	ctx := ctxT(t, 10*time.Second)
	c1 := newCache(t, opts)
	c1.Put(1, 100)
	c1.Put(2, 200)
	if err := c1.Close(ctx); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if _, err := r.mr.ZAdd("h2:idx", 1e15, "seven"); err != nil {
		t.Fatal(err)
	}
	if err := r.mr.Set("h2:v:seven", "7"); err != nil {
		t.Fatal(err)
	}
	c2 := newCache(t, opts)
	err := c2.Warm(ctx)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "seven") {
		t.Errorf("Warm: got %v, want an error wrapping ErrCorrupt that names seven", errText(err))
	}
	if diff := cmp.Diff([]int{2, 1}, c2.Keys()); diff != "" {
		t.Errorf("Keys() (-want +got):\n%s", diff)
	}
}

// TestHoldoutWriteThroughPrefix: another prefix, another capacity, int keys.
func TestHoldoutWriteThroughPrefix(t *testing.T) {
	r := newRedis(t)
	c := newCache(t, Options[int, int]{Capacity: 3, Store: NewRedisStore(r.rdb, "svc/cache/"), Keys: intCodec{}, Values: intCodec{}})
	for i := range 5 {
		c.Put(i*11, i)
	}
	if diff := cmp.Diff([]string{"44", "33", "22"}, r.index(t, "svc/cache/")); diff != "" {
		t.Errorf("index (-want +got):\n%s", diff)
	}
	for _, k := range []string{"0", "11"} {
		if r.mr.Exists("svc/cache/v:" + k) {
			t.Errorf("evicted key %s: got present in Redis, want deleted", k)
		}
	}
	if got := r.get("svc/cache/v:33"); got != "3" {
		t.Errorf(`"svc/cache/v:33": got %s, want 3`, got)
	}
}
