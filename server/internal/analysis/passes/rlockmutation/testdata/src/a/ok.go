package a

import (
	"container/list"
	"sync"
	"sync/atomic"
)

type Cache struct {
	mu      sync.RWMutex
	statsMu sync.Mutex
	items   map[string]*item
	vals    map[string]item
	order   *list.List
	hits    atomic.Int64
	stats   struct{ n int }
}

type item struct {
	mu  sync.Mutex
	v   int
	n   int
	ref atomic.Bool
}

// Reads only.
func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	it, ok := c.items[k]
	if !ok {
		return 0, false
	}
	return it.v, true
}

// A write under the write lock.
func (c *Cache) Set(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = &item{v: v}
	c.order.PushFront(k)
}

// Write after RUnlock.
func (c *Cache) GetCount(k string) int {
	c.mu.RLock()
	it := c.items[k]
	c.mu.RUnlock()
	c.mu.Lock()
	c.stats.n++
	c.mu.Unlock()
	return it.v
}

// Atomics are safe under a read lock.
func (c *Cache) GetAtomic(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.hits.Add(1)
	if it := c.items[k]; it != nil {
		it.ref.Store(true)
		return it.v
	}
	return 0
}

// Writes to locals and to copies.
func (c *Cache) Snapshot() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]int, len(c.items))
	var keys []string
	for k, it := range c.items {
		out[k] = it.v
		keys = append(keys, k)
	}
	v := c.vals["x"] // a struct copy
	v.n++
	count := 0
	count++
	_ = keys
	return out
}

// Another mutex (a write lock) guards the counter.
func (c *Cache) GetStats(k string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.statsMu.Lock()
	c.stats.n++
	c.statsMu.Unlock()
	return c.items[k].v
}

// A per-entry mutex guards the entry.
func (c *Cache) Bump(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if it := c.items[k]; it != nil {
		it.mu.Lock()
		it.n++
		it.mu.Unlock()
	}
}

// A struct that is not guarded by this lock.
type report struct{ lines []string }

func (c *Cache) Describe(r *report) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for k := range c.items {
		r.lines = append(r.lines, k)
	}
}

// Walking the list only reads it.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var ks []string
	for e := c.order.Front(); e != nil; e = e.Next() {
		ks = append(ks, e.Value.(string))
	}
	return ks
}

// A method that modifies only a value copy, and one that reads.
func (c Cache) withLen() int { c.stats.n = len(c.items); return c.stats.n }
func (c *Cache) count() int  { return len(c.items) }

func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.count()
}

// A type that merely looks like an RWMutex.
type RWMutex struct{}

func (RWMutex) RLock()   {}
func (RWMutex) RUnlock() {}

type fake struct {
	mu RWMutex
	n  int
}

func (f *fake) Get() int {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.n++
	return f.n
}

// A closure built under the read lock runs later.
func (c *Cache) Later() func() {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return func() { c.stats.n++ }
}

// An RWMutex used as a close guard: the owner goroutine holds the read
// lock while it works on fields only it uses; Close takes the write lock
// and touches only the closed flag. The owner's writes are not guarded
// by this mutex, so they are not reported.
type Rows struct {
	closemu sync.RWMutex
	closed  bool
	last    []string
	n       int
}

func (r *Rows) Next(row []string) bool {
	r.closemu.RLock()
	defer r.closemu.RUnlock()
	if r.closed {
		return false
	}
	r.last = row
	r.n++
	return true
}

func (r *Rows) Close() {
	r.closemu.Lock()
	defer r.closemu.Unlock()
	r.closed = true
}
