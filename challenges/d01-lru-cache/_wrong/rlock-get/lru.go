// Package lru is a generic, fixed-capacity LRU cache with optional TTL,
// eviction callbacks and statistics, safe for concurrent use, that can
// persist itself through a Store (write-through or write-behind) and warm up
// from it after a restart.
package lru

import (
	"context"
	"errors"
	"fmt"
	"sync"
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

// node is one element of the intrusive recency list. Using our own list
// instead of container/list avoids an interface allocation per element.
type node[K comparable, V any] struct {
	key        K
	val        V
	exp        time.Time // zero: never expires
	rank       int64
	prev, next *node[K, V]
}

// Cache is an LRU cache. Create it with New.
type Cache[K comparable, V any] struct {
	opt Options[K, V]
	now func() time.Time

	mu    sync.RWMutex // guards everything below; never held during I/O or callbacks
	items map[K]*node[K, V]
	root  node[K, V] // sentinel: root.next is the most recent, root.prev the least
	rank  int64      // last rank handed out
	dirty map[K]struct{}
	stats Stats

	// flushTok is a one-slot semaphore that serialises flushes: writes for a
	// key reach the store in the order the cache made them. A channel rather
	// than a mutex so that waiting for it honours ctx.
	flushTok chan struct{}

	stop      context.CancelFunc // stops the flusher; nil without one
	done      chan struct{}      // closed when the flusher has returned
	closeOnce sync.Once
}

// New validates o and returns an empty cache. With a Store and FlushEvery > 0
// it starts one background goroutine; Close stops it.
func New[K comparable, V any](o Options[K, V]) (*Cache[K, V], error) {
	switch {
	case o.Capacity <= 0:
		return nil, fmt.Errorf("lru: Capacity must be > 0, got %d", o.Capacity)
	case o.TTL < 0:
		return nil, fmt.Errorf("lru: TTL must be >= 0, got %v", o.TTL)
	case o.FlushEvery < 0:
		return nil, fmt.Errorf("lru: FlushEvery must be >= 0, got %v", o.FlushEvery)
	case o.Mode != WriteThrough && o.Mode != WriteBehind:
		return nil, fmt.Errorf("lru: unknown %v", o.Mode)
	case o.Store != nil && (o.Keys == nil || o.Values == nil):
		return nil, errors.New("lru: Keys and Values codecs are required with a Store")
	}
	c := &Cache[K, V]{
		opt:      o,
		now:      o.Now,
		items:    make(map[K]*node[K, V], o.Capacity),
		dirty:    make(map[K]struct{}),
		flushTok: make(chan struct{}, 1),
	}
	if c.now == nil {
		c.now = time.Now
	}
	c.root.next, c.root.prev = &c.root, &c.root
	// Ranks only need to grow, but seeding them with the clock keeps a
	// restarted process above its predecessor even before Warm runs.
	c.rank = c.now().UnixMicro()
	if o.Store != nil && o.FlushEvery > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		c.stop, c.done = cancel, make(chan struct{})
		go c.flushLoop(ctx, o.FlushEvery)
	}
	return c, nil
}

func (c *Cache[K, V]) flushLoop(ctx context.Context, every time.Duration) {
	defer close(c.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			// A failed flush keeps its keys pending; the next tick or Close retries.
			_ = c.Flush(ctx)
		}
	}
}

// list helpers; callers hold c.mu.

func (c *Cache[K, V]) unlink(n *node[K, V]) {
	n.prev.next = n.next
	n.next.prev = n.prev
}

func (c *Cache[K, V]) pushFront(n *node[K, V]) {
	n.prev, n.next = &c.root, c.root.next
	c.root.next.prev = n
	c.root.next = n
}

func (c *Cache[K, V]) pushBack(n *node[K, V]) {
	n.prev, n.next = c.root.prev, &c.root
	c.root.prev.next = n
	c.root.prev = n
}

// touch makes n the most recent entry and, with a Store, marks it for the
// next flush: a Get changes the persisted recency too.
func (c *Cache[K, V]) touch(n *node[K, V]) {
	if c.root.next != n {
		c.unlink(n)
		c.pushFront(n)
	}
	c.rank++
	n.rank = c.rank
	c.markDirty(n.key)
}

func (c *Cache[K, V]) markDirty(k K) {
	if c.opt.Store != nil {
		c.dirty[k] = struct{}{}
	}
}

func (c *Cache[K, V]) expired(n *node[K, V]) bool {
	return !n.exp.IsZero() && !c.now().Before(n.exp)
}

// remove drops n from the cache; the caller reports the eviction.
func (c *Cache[K, V]) remove(n *node[K, V]) {
	c.unlink(n)
	delete(c.items, n.key)
	c.markDirty(n.key)
}

// Get returns the value for k and makes it the most recent entry. An expired
// entry is removed (OnEvict with Expired) and reported as a miss.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	var zero V
	// BUG: "Get only reads", so a read lock lets Gets run in parallel, but
	// touch moves the node to the front: concurrent writes to the list.
	c.mu.RLock()
	n, ok := c.items[k]
	if !ok {
		c.stats.Misses++
		c.mu.RUnlock()
		return zero, false
	}
	if c.expired(n) {
		c.mu.RUnlock()
		c.mu.Lock()
		c.remove(n)
		c.stats.Misses++
		c.stats.Expirations++
		c.mu.Unlock()
		c.evicted(n.key, n.val, Expired)
		return zero, false
	}
	c.touch(n)
	c.stats.Hits++
	v := n.val
	c.mu.RUnlock()
	return v, true
}

// Put inserts or replaces k, makes it the most recent entry and restarts its
// TTL. When the cache is full the least recently used entry is evicted.
// In WriteThrough mode Put persists the change before returning; a store
// error leaves it pending for the next Flush.
func (c *Cache[K, V]) Put(k K, v V) {
	var exp time.Time
	if c.opt.TTL > 0 {
		exp = c.now().Add(c.opt.TTL)
	}

	c.mu.Lock()
	if n, ok := c.items[k]; ok {
		n.val, n.exp = v, exp
		c.touch(n)
		c.mu.Unlock()
		c.writeThrough()
		return
	}
	n := &node[K, V]{key: k, val: v, exp: exp}
	c.items[k] = n
	c.pushFront(n)
	c.touch(n)

	var victim *node[K, V]
	reason := Capacity
	if len(c.items) > c.opt.Capacity {
		victim = c.root.prev
		c.remove(victim)
		if c.expired(victim) {
			reason = Expired
			c.stats.Expirations++
		} else {
			c.stats.Evictions++
		}
	}
	c.mu.Unlock()

	// Callbacks run without the lock so that they may call back into the cache.
	if victim != nil {
		c.evicted(victim.key, victim.val, reason)
	}
	c.writeThrough()
}

// Delete removes k and reports whether it was present (and not expired).
func (c *Cache[K, V]) Delete(k K) bool {
	c.mu.Lock()
	n, ok := c.items[k]
	if !ok {
		c.mu.Unlock()
		return false
	}
	c.remove(n)
	reason := Deleted
	if c.expired(n) {
		reason = Expired
		c.stats.Expirations++
	}
	c.mu.Unlock()

	c.evicted(n.key, n.val, reason)
	c.writeThrough()
	return reason == Deleted
}

func (c *Cache[K, V]) evicted(k K, v V, r EvictReason) {
	if c.opt.OnEvict != nil {
		c.opt.OnEvict(k, v, r)
	}
}

// writeThrough persists pending changes right away in WriteThrough mode.
// Put and Delete have no error to return: a failure stays pending and the
// next Flush reports it.
func (c *Cache[K, V]) writeThrough() {
	if c.opt.Store != nil && c.opt.Mode == WriteThrough {
		_ = c.Flush(context.Background())
	}
}

// Keys returns the live keys, most recent first, without changing recency.
func (c *Cache[K, V]) Keys() []K {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]K, 0, len(c.items))
	for n := c.root.next; n != &c.root; n = n.next {
		if !c.expired(n) {
			keys = append(keys, n.key)
		}
	}
	return keys
}

// Stats returns a snapshot of the counters.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Len = len(c.items)
	s.Pending = len(c.dirty)
	return s
}

// pending is one dirty key as it was when the flush started.
type pending[K comparable, V any] struct {
	key  K
	val  V
	rank int64
	exp  time.Time
	del  bool
}

// Flush writes every pending change to the Store: one Save for the entries
// that are in the cache, one Delete for those that left it. Keys whose write
// fails stay pending. Errors from the Store wrap ErrStore.
func (c *Cache[K, V]) Flush(ctx context.Context) error {
	if c.opt.Store == nil {
		return nil
	}
	select {
	case c.flushTok <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrStore, ctx.Err())
	}
	defer func() { <-c.flushTok }()

	// Swap the dirty set out under the lock; do the I/O outside it.
	c.mu.Lock()
	if len(c.dirty) == 0 {
		c.mu.Unlock()
		return nil
	}
	batch := make([]pending[K, V], 0, len(c.dirty))
	for k := range c.dirty {
		p := pending[K, V]{key: k}
		if n, ok := c.items[k]; ok && !c.expired(n) {
			p.val, p.rank, p.exp = n.val, n.rank, n.exp
		} else {
			p.del = true
		}
		batch = append(batch, p)
	}
	clear(c.dirty)
	c.mu.Unlock()

	var (
		saves             []Entry
		dels              []string
		saveKeys, delKeys []K
		errs              []error
	)
	for _, p := range batch {
		kb, err := c.opt.Keys.Encode(p.key)
		if err != nil {
			// Retrying cannot fix an encoding error: report it and drop the key.
			errs = append(errs, fmt.Errorf("lru: encode key %v: %w", p.key, err))
			continue
		}
		if p.del {
			dels, delKeys = append(dels, string(kb)), append(delKeys, p.key)
			continue
		}
		vb, err := c.opt.Values.Encode(p.val)
		if err != nil {
			errs = append(errs, fmt.Errorf("lru: encode value of %q: %w", kb, err))
			continue
		}
		saves = append(saves, Entry{Key: string(kb), Value: vb, Rank: p.rank, ExpiresAt: p.exp})
		saveKeys = append(saveKeys, p.key)
	}

	var retry []K
	if len(saves) > 0 {
		if err := c.opt.Store.Save(ctx, saves); err != nil {
			errs = append(errs, fmt.Errorf("%w: save: %w", ErrStore, err))
			retry = append(retry, saveKeys...)
		}
	}
	if len(dels) > 0 {
		if err := c.opt.Store.Delete(ctx, dels...); err != nil {
			errs = append(errs, fmt.Errorf("%w: delete: %w", ErrStore, err))
			retry = append(retry, delKeys...)
		}
	}
	if len(retry) > 0 {
		// Marking a key dirty again is idempotent: whatever the key holds at
		// the next flush is what gets written, so nothing newer is overwritten.
		c.mu.Lock()
		for _, k := range retry {
			c.dirty[k] = struct{}{}
		}
		c.mu.Unlock()
	}
	return errors.Join(errs...)
}

// Warm loads the most recent entries from the Store, up to the free capacity,
// keeping their recency order behind anything already in the cache. Expired
// entries are skipped; entries that fail to decode are skipped and reported
// in an error wrapping ErrCorrupt after the others are loaded.
func (c *Cache[K, V]) Warm(ctx context.Context) error {
	if c.opt.Store == nil {
		return nil
	}
	es, err := c.opt.Store.Load(ctx, c.opt.Capacity)
	if err != nil {
		return fmt.Errorf("%w: load: %w", ErrStore, err)
	}

	type decoded struct {
		k   K
		v   V
		e   Entry
		bad bool
	}
	// Decode outside the lock: codecs can be slow.
	ds := make([]decoded, len(es))
	var errs []error
	for i, e := range es {
		ds[i].e = e
		k, err := c.opt.Keys.Decode([]byte(e.Key))
		if err != nil {
			ds[i].bad = true
			errs = append(errs, fmt.Errorf("%w: key %q: %w", ErrCorrupt, e.Key, err))
			continue
		}
		v, err := c.opt.Values.Decode(e.Value)
		if err != nil {
			ds[i].bad = true
			errs = append(errs, fmt.Errorf("%w: value of %q: %w", ErrCorrupt, e.Key, err))
			continue
		}
		ds[i].k, ds[i].v = k, v
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for _, d := range ds {
		// New writes must rank above everything already stored, even the
		// entries we skip, or the next restart would warm the wrong ones.
		c.rank = max(c.rank, d.e.Rank)
		if d.bad || len(c.items) >= c.opt.Capacity {
			continue
		}
		if !d.e.ExpiresAt.IsZero() && !now.Before(d.e.ExpiresAt) {
			continue
		}
		if _, ok := c.items[d.k]; ok {
			continue // the cache's own entry is newer
		}
		// Loaded most recent first, so appending at the back keeps the order.
		// Not dirty: the store already has it.
		n := &node[K, V]{key: d.k, val: d.v, exp: d.e.ExpiresAt, rank: d.e.Rank}
		c.items[d.k] = n
		c.pushBack(n)
	}
	return errors.Join(errs...)
}

// Close stops the background flusher, if any, and flushes what is pending.
// The cache stays usable in memory afterwards.
func (c *Cache[K, V]) Close(ctx context.Context) error {
	c.closeOnce.Do(func() {
		if c.stop != nil {
			c.stop()
			<-c.done
		}
	})
	return c.Flush(ctx)
}
