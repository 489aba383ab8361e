// Package cache is a read-heavy, in-process cache: power-of-two shards
// picked with maphash.Comparable, TTL, per-shard CLOCK eviction, GetOrLoad
// that coalesces concurrent misses, stale-while-revalidate, and counters —
// plus a Redis adapter behind the same interface, to compare the two.
package cache

import (
	"context"
	"errors"
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
	// TODO: the shards (each with its lock, map, CLOCK ring, in-flight
	// loads and counters), the mask and seed to pick one, the options.
}

// New validates o and returns an empty cache.
func New[K comparable, V any](o Options[K, V]) (*Cache[K, V], error) {
	// TODO: validate (see the README), fill in the defaults, make the shards.
	return nil, ErrNotImplemented
}

// Get returns the value of k if it is cached and fresh.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	// TODO: the hot path: pick the shard, read under its read lock.
	var zero V
	return zero, false
}

// Set caches v under k, fresh for TTL. A load of k in flight will not
// overwrite it.
func (c *Cache[K, V]) Set(k K, v V) {
	// TODO: insert or replace; evict with CLOCK when the shard is full.
}

// Delete removes k and reports whether it was cached (fresh or not). A
// load of k in flight will not bring it back.
func (c *Cache[K, V]) Delete(k K) bool {
	// TODO
	return false
}

// Len returns the number of entries held, expired ones not yet removed
// included.
func (c *Cache[K, V]) Len() int {
	// TODO
	return 0
}

// Stats adds up the shards' counters. Each counter is exact; the set is
// not a single snapshot while other calls run.
func (c *Cache[K, V]) Stats() Stats {
	// TODO
	return Stats{}
}

// GetOrLoad returns the cached value of k, or loads it. Concurrent misses
// of one key share a single load. Within StaleTTL after a value's TTL, the
// old value is returned at once and one background load refreshes it. The
// load runs with ctx's values but not its cancellation, bounded by
// LoadTimeout: a caller whose ctx ends gets ctx.Err() at once, and the load
// goes on for the others (and for the cache).
func (c *Cache[K, V]) GetOrLoad(ctx context.Context, k K, load func(context.Context, K) (V, error)) (V, error) {
	// TODO: fresh hit, stale hit (and one refresh), join a load in flight,
	// or start one. Never call load while holding a lock.
	var zero V
	return zero, ErrNotImplemented
}
