// WRONG (caller-ctx-load): the shared load runs under the ctx of the caller that started it: when that caller gives up, the load is canceled for every other waiter.

// Package cache is a read-heavy, in-process cache: power-of-two shards
// picked with maphash.Comparable, TTL, per-shard CLOCK eviction, GetOrLoad
// that coalesces concurrent misses, stale-while-revalidate, and counters —
// plus a Redis adapter behind the same interface, to compare the two.
package cache

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("cache: not implemented")

// ErrInvalidOptions is wrapped by every error New returns.
var ErrInvalidOptions = errors.New("cache: invalid options")

// ErrLoaderPanic is wrapped by the error GetOrLoad returns when the loader
// panicked.
var ErrLoaderPanic = errors.New("cache: loader panicked")

// Options configures a Cache.
type Options[K comparable, V any] struct {
	// Shards is the number of shards, a power of two; 0: 16.
	Shards int
	// MaxEntries bounds the entries held, >= Shards: each shard holds at
	// most MaxEntries/Shards.
	MaxEntries int
	// TTL is how long a value is fresh, >= 0; 0: forever.
	TTL time.Duration
	// StaleTTL is how long after TTL GetOrLoad still returns the old value
	// while one background load refreshes it, >= 0; > 0 needs TTL > 0.
	StaleTTL time.Duration
	// LoadTimeout bounds every load, >= 0; 0: 30 s. No caller can cancel a
	// load: it is shared.
	LoadTimeout time.Duration
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Stats are the cache's counters since New.
type Stats struct {
	Hits       uint64 // Get and GetOrLoad calls answered from the cache (fresh, or stale by GetOrLoad)
	Misses     uint64 // Get and GetOrLoad calls that found no usable value
	Loads      uint64 // loader calls started, refreshes included
	LoadErrors uint64 // loader calls that failed (an error or a panic)
	Coalesced  uint64 // GetOrLoad misses that waited for a load already in flight
	Evictions  uint64 // entries pushed out by CLOCK to make room
}

// Store is what Cache and RedisCache have in common. The benchmarks drive
// both through it.
type Store[K comparable, V any] interface {
	Get(k K) (V, bool)
	Set(k K, v V)
	Delete(k K) bool
}

var _ Store[string, int] = (*Cache[string, int])(nil)

// Cache is a sharded cache, safe for concurrent use.
type Cache[K comparable, V any] struct {
	shards      []shard[K, V]
	mask        uint64
	seed        maphash.Seed
	perShard    int
	ttl, stale  time.Duration
	loadTimeout time.Duration
	now         func() time.Time
}

type entry[K comparable, V any] struct {
	key K
	val V
	// freshUntil, staleUntil: Unix nanoseconds; 0: never.
	freshUntil, staleUntil int64
	// ref is CLOCK's reference bit. Get sets it under the read lock, so it
	// must be atomic.
	ref  atomic.Bool
	slot int // index in shard.ring
}

type call[V any] struct {
	done chan struct{} // closed when v and err are set
	v    V
	err  error
	// superseded: a Set or Delete of the key happened during the load, so
	// its result goes to the waiters but not into the cache.
	superseded bool
}

// counters are updated with atomics from readers holding only RLock.
type counters struct {
	hits, misses, loads, loadErrors, coalesced, evictions atomic.Uint64
}

type shard[K comparable, V any] struct {
	mu       sync.RWMutex
	m        map[K]*entry[K, V]
	ring     []*entry[K, V] // CLOCK order
	hand     int
	inflight map[K]*call[V]
	c        counters
	// Keep neighbouring shards' hot words (the mutex, the counters) off
	// one cache line, or the cores fight over it anyway.
	_ [64]byte
}

// New validates o and returns an empty cache.
func New[K comparable, V any](o Options[K, V]) (*Cache[K, V], error) {
	if o.Shards == 0 {
		o.Shards = 16
	}
	switch {
	case o.Shards < 0 || bits.OnesCount(uint(o.Shards)) != 1:
		return nil, fmt.Errorf("%w: Shards %d is not a power of two", ErrInvalidOptions, o.Shards)
	case o.MaxEntries < o.Shards:
		return nil, fmt.Errorf("%w: MaxEntries %d < Shards %d", ErrInvalidOptions, o.MaxEntries, o.Shards)
	case o.TTL < 0 || o.StaleTTL < 0 || o.LoadTimeout < 0:
		return nil, fmt.Errorf("%w: negative duration", ErrInvalidOptions)
	case o.StaleTTL > 0 && o.TTL == 0:
		return nil, fmt.Errorf("%w: StaleTTL without TTL", ErrInvalidOptions)
	}
	c := &Cache[K, V]{
		shards:      make([]shard[K, V], o.Shards),
		mask:        uint64(o.Shards - 1),
		seed:        maphash.MakeSeed(),
		perShard:    o.MaxEntries / o.Shards,
		ttl:         o.TTL,
		stale:       o.StaleTTL,
		loadTimeout: o.LoadTimeout,
		now:         o.Now,
	}
	if c.loadTimeout == 0 {
		c.loadTimeout = 30 * time.Second
	}
	if c.now == nil {
		c.now = time.Now
	}
	for i := range c.shards {
		c.shards[i].m = make(map[K]*entry[K, V])
		c.shards[i].inflight = make(map[K]*call[V])
	}
	return c, nil
}

func (c *Cache[K, V]) shard(k K) *shard[K, V] {
	return &c.shards[maphash.Comparable(c.seed, k)&c.mask]
}

// clock returns the time in Unix nanoseconds, or 0 when nothing expires:
// reading the clock costs more than a map lookup.
func (c *Cache[K, V]) clock() int64 {
	if c.ttl == 0 {
		return 0
	}
	return c.now().UnixNano()
}

func fresh[K comparable, V any](e *entry[K, V], now int64) bool {
	return e.freshUntil == 0 || now < e.freshUntil
}

// Get returns the value of k if it is cached and fresh.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	s := c.shard(k)
	now := c.clock()
	s.mu.RLock()
	e := s.m[k]
	if e == nil || !fresh(e, now) {
		s.mu.RUnlock()
		s.c.misses.Add(1)
		var zero V
		return zero, false
	}
	v := e.val
	if !e.ref.Load() { // a store only when it changes: no needless cache-line writes
		e.ref.Store(true)
	}
	s.mu.RUnlock()
	s.c.hits.Add(1)
	return v, true
}

// Set caches v under k, fresh for TTL. A load of k in flight will not
// overwrite it.
func (c *Cache[K, V]) Set(k K, v V) {
	s := c.shard(k)
	now := c.clock()
	s.mu.Lock()
	if cl := s.inflight[k]; cl != nil {
		cl.superseded = true
	}
	c.store(s, k, v, now)
	s.mu.Unlock()
}

// store inserts or replaces k; s.mu must be held for writing.
func (c *Cache[K, V]) store(s *shard[K, V], k K, v V, now int64) {
	var freshUntil, staleUntil int64
	if c.ttl > 0 {
		freshUntil = now + int64(c.ttl)
		staleUntil = freshUntil + int64(c.stale)
	}
	if e := s.m[k]; e != nil {
		e.val, e.freshUntil, e.staleUntil = v, freshUntil, staleUntil
		e.ref.Store(true)
		return
	}
	e := &entry[K, V]{key: k, val: v, freshUntil: freshUntil, staleUntil: staleUntil}
	if len(s.ring) < c.perShard {
		e.slot = len(s.ring)
		s.ring = append(s.ring, e)
		s.m[k] = e
		return
	}
	// CLOCK: sweep the hand, giving each referenced entry a second chance;
	// an expired entry goes whatever its bit. Two turns at most.
	for {
		victim := s.ring[s.hand]
		if victim.ref.Load() && (victim.staleUntil == 0 || now < victim.staleUntil) {
			victim.ref.Store(false)
			s.hand = (s.hand + 1) % len(s.ring)
			continue
		}
		delete(s.m, victim.key)
		e.slot = s.hand
		s.ring[s.hand] = e
		s.m[k] = e
		s.hand = (s.hand + 1) % len(s.ring)
		s.c.evictions.Add(1)
		return
	}
}

// Delete removes k and reports whether it was cached (fresh or not). A
// load of k in flight will not bring it back.
func (c *Cache[K, V]) Delete(k K) bool {
	s := c.shard(k)
	s.mu.Lock()
	defer s.mu.Unlock()
	if cl := s.inflight[k]; cl != nil {
		cl.superseded = true
	}
	e := s.m[k]
	if e == nil {
		return false
	}
	s.remove(e)
	return true
}

// remove unlinks e; s.mu must be held for writing.
func (s *shard[K, V]) remove(e *entry[K, V]) {
	delete(s.m, e.key)
	last := len(s.ring) - 1
	moved := s.ring[last]
	s.ring[e.slot] = moved
	moved.slot = e.slot
	s.ring[last] = nil
	s.ring = s.ring[:last]
	if s.hand >= len(s.ring) {
		s.hand = 0
	}
}

// Len returns the number of entries held, expired ones not yet removed
// included.
func (c *Cache[K, V]) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// Stats adds up the shards' counters. Each counter is exact; the set is
// not a single snapshot while other calls run.
func (c *Cache[K, V]) Stats() Stats {
	var st Stats
	for i := range c.shards {
		sc := &c.shards[i].c
		st.Hits += sc.hits.Load()
		st.Misses += sc.misses.Load()
		st.Loads += sc.loads.Load()
		st.LoadErrors += sc.loadErrors.Load()
		st.Coalesced += sc.coalesced.Load()
		st.Evictions += sc.evictions.Load()
	}
	return st
}

// GetOrLoad returns the cached value of k, or loads it. Concurrent misses
// of one key share a single load. Within StaleTTL after a value's TTL, the
// old value is returned at once and one background load refreshes it. The
// load runs with ctx's values but not its cancellation, bounded by
// LoadTimeout: a caller whose ctx ends gets ctx.Err() at once, and the load
// goes on for the others (and for the cache).
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, k K, load func(context.Context, K) (V, error)) (V, error) {
	if v, ok := c.getFresh(k); ok {
		return v, nil
	}
	s := c.shard(k)
	now := c.clock()
	s.mu.Lock()
	if e := s.m[k]; e != nil {
		switch {
		case fresh(e, now): // filled in between our two locks
			v := e.val
			e.ref.Store(true)
			s.mu.Unlock()
			s.c.hits.Add(1)
			return v, nil
		case now < e.staleUntil:
			v := e.val
			if s.inflight[k] == nil {
				c.startLoad(ctx, s, k, load) // one refresh, nobody waits for it
			}
			s.mu.Unlock()
			s.c.hits.Add(1)
			return v, nil
		default: // past any use
			s.remove(e)
		}
	}
	cl := s.inflight[k]
	if cl != nil {
		s.c.coalesced.Add(1)
	} else {
		cl = c.startLoad(ctx, s, k, load)
	}
	s.mu.Unlock()
	s.c.misses.Add(1)

	select {
	case <-cl.done:
		return cl.v, cl.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

// getFresh is Get without counting a miss (GetOrLoad counts it later).
func (c *Cache[K, V]) getFresh(k K) (V, bool) {
	s := c.shard(k)
	now := c.clock()
	s.mu.RLock()
	e := s.m[k]
	if e == nil || !fresh(e, now) {
		s.mu.RUnlock()
		var zero V
		return zero, false
	}
	v := e.val
	if !e.ref.Load() {
		e.ref.Store(true)
	}
	s.mu.RUnlock()
	s.c.hits.Add(1)
	return v, true
}

// startLoad registers a call for k and runs the loader in its own
// goroutine; s.mu must be held for writing.
func (c *Cache[K, V]) startLoad(ctx context.Context, s *shard[K, V], k K, load func(context.Context, K) (V, error)) *call[V] {
	cl := &call[V]{done: make(chan struct{})}
	s.inflight[k] = cl
	s.c.loads.Add(1)
	// The load belongs to every waiter and to the cache, not to the caller
	// that happened to start it: keep ctx's values, drop its cancellation,
	// and bound it with our own timeout.
	lctx, cancel := context.WithTimeout(ctx, c.loadTimeout) // the caller's cancellation leaks into the shared load
	go func() {
		defer cancel()
		v, err := callLoader(lctx, k, load)
		now := c.clock()
		s.mu.Lock()
		delete(s.inflight, k)
		if err != nil {
			s.c.loadErrors.Add(1)
		} else if !cl.superseded {
			c.store(s, k, v, now)
		}
		cl.v, cl.err = v, err
		s.mu.Unlock()
		close(cl.done) // after the fields are set: the close publishes them
	}()
	return cl
}

// callLoader turns a panic into an error, so that every waiter gets an
// answer and the in-flight entry is always cleared.
func callLoader[K comparable, V any](ctx context.Context, k K, load func(context.Context, K) (V, error)) (v V, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero V
			v, err = zero, fmt.Errorf("%w: %v", ErrLoaderPanic, r)
		}
	}()
	return load(ctx, k)
}
