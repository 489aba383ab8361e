// Package lru is a generic, fixed-capacity LRU cache with optional TTL,
// eviction callbacks and statistics, safe for concurrent use, that can
// persist itself through a Store (write-through or write-behind) and warm up
// from it after a restart.
package lru

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("lru: not implemented")

// ErrStore wraps every error that comes from the Store.
var ErrStore = errors.New("lru: store")

// ErrCorrupt is reported by Warm for stored entries that cannot be decoded.
var ErrCorrupt = errors.New("lru: corrupt stored entry")

// Entry is one cache entry as the Store sees it.
type Entry struct {
	Key       string    // Options.Keys encoding of the key
	Value     []byte    // Options.Values encoding of the value
	Rank      int64     // recency: higher is more recent
	ExpiresAt time.Time // zero: never expires
}

// Store persists entries. Implementations must be safe for concurrent use.
type Store interface {
	// Save inserts or replaces es.
	Save(ctx context.Context, es []Entry) error
	// Delete removes keys; missing keys are not an error.
	Delete(ctx context.Context, keys ...string) error
	// Load returns at most limit live entries, highest Rank first.
	Load(ctx context.Context, limit int) ([]Entry, error)
}

// Codec turns keys or values into bytes and back.
type Codec[T any] interface {
	Encode(T) ([]byte, error)
	Decode([]byte) (T, error)
}

// EvictReason says why an entry left the cache.
type EvictReason int

const (
	Capacity EvictReason = iota + 1 // least recently used entry pushed out by a Put
	Expired                         // TTL passed
	Deleted                         // removed by Delete
)

func (r EvictReason) String() string {
	switch r {
	case Capacity:
		return "Capacity"
	case Expired:
		return "Expired"
	case Deleted:
		return "Deleted"
	}
	return fmt.Sprintf("EvictReason(%d)", int(r))
}

// WriteMode selects when changes reach the Store.
type WriteMode int

const (
	WriteThrough WriteMode = iota // Put and Delete persist before returning
	WriteBehind                   // changes are batched until Flush
)

func (m WriteMode) String() string {
	switch m {
	case WriteThrough:
		return "WriteThrough"
	case WriteBehind:
		return "WriteBehind"
	}
	return fmt.Sprintf("WriteMode(%d)", int(m))
}

// Options configures a Cache. Capacity is required; everything else is optional.
type Options[K comparable, V any] struct {
	Capacity   int                     // maximum number of entries, > 0
	TTL        time.Duration           // 0: entries never expire
	OnEvict    func(K, V, EvictReason) // called without any lock held
	Store      Store                   // nil: pure in-memory cache
	Keys       Codec[K]                // required when Store is set
	Values     Codec[V]                // required when Store is set
	Mode       WriteMode               // WriteThrough (default) or WriteBehind
	FlushEvery time.Duration           // > 0 with a Store: background Flush at this interval
	Now        func() time.Time        // nil: time.Now
}

// Stats is a snapshot of the cache's counters.
type Stats struct {
	Hits, Misses uint64
	Evictions    uint64 // Capacity evictions
	Expirations  uint64 // entries removed because their TTL passed
	Len          int    // entries held, including expired ones not yet removed
	Pending      int    // keys changed since the last successful Flush
}

// Cache is an LRU cache. Create it with New.
type Cache[K comparable, V any] struct {
	// TODO(d01): a mutex, a map for lookup, a doubly linked list for recency,
	// the set of keys changed since the last flush, counters, and what you
	// need to stop a background flusher.
	_ [0]func(K, V)
}

// New validates o and returns an empty cache. With a Store and FlushEvery > 0
// it starts one background goroutine; Close stops it.
func New[K comparable, V any](o Options[K, V]) (*Cache[K, V], error) {
	// TODO(d01): validate o, allocate the map and list sentinel, start the
	// flusher when o.Store != nil && o.FlushEvery > 0.
	return &Cache[K, V]{}, ErrNotImplemented
}

// Get returns the value for k and makes it the most recent entry. An expired
// entry is removed (OnEvict with Expired) and reported as a miss.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	// TODO(d01): a hit moves the entry to the front: Get is a write.
	var zero V
	return zero, false
}

// Put inserts or replaces k, makes it the most recent entry and restarts its
// TTL. When the cache is full the least recently used entry is evicted.
// In WriteThrough mode Put persists the change before returning; a store
// error leaves it pending for the next Flush.
func (c *Cache[K, V]) Put(k K, v V) {
	// TODO(d01): insert or update, evict the tail when over capacity, call
	// OnEvict without holding the lock, persist in WriteThrough mode.
}

// Delete removes k and reports whether it was present (and not expired).
func (c *Cache[K, V]) Delete(k K) bool {
	// TODO(d01)
	return false
}

// Keys returns the live keys, most recent first, without changing recency.
func (c *Cache[K, V]) Keys() []K {
	// TODO(d01)
	return nil
}

// Stats returns a snapshot of the counters.
func (c *Cache[K, V]) Stats() Stats {
	// TODO(d01)
	return Stats{}
}

// Flush writes every pending change to the Store: one Save for the entries
// that are in the cache, one Delete for those that left it. Keys whose write
// fails stay pending. Errors from the Store wrap ErrStore.
func (c *Cache[K, V]) Flush(ctx context.Context) error {
	// TODO(d01): swap the pending set out under the lock, do the I/O outside it.
	return ErrNotImplemented
}

// Warm loads the most recent entries from the Store, up to the free capacity,
// keeping their recency order behind anything already in the cache. Expired
// entries are skipped; entries that fail to decode are skipped and reported
// in an error wrapping ErrCorrupt after the others are loaded.
func (c *Cache[K, V]) Warm(ctx context.Context) error {
	// TODO(d01)
	return ErrNotImplemented
}

// Close stops the background flusher, if any, and flushes what is pending.
// The cache stays usable in memory afterwards.
func (c *Cache[K, V]) Close(ctx context.Context) error {
	// TODO(d01): stop and wait for the flusher, then a final Flush.
	return ErrNotImplemented
}
