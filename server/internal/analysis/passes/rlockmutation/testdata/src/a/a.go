package a

import (
	"container/heap"
	"container/list"
	"sync"
)

type entry struct {
	key  string
	val  int
	hits int
}

type LRU struct {
	mu    sync.RWMutex
	ll    *list.List
	items map[string]*list.Element
	log   []string
	stats struct{ hits, misses int }
}

// The classic: Get "only reads", yet it reorders the list.
func (c *LRU) Get(k string) (int, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[k]
	if !ok {
		return 0, false
	}
	c.ll.MoveToFront(e) // want `c.ll.MoveToFront mutates the list under c.mu.RLock: readers run in parallel, so this is a data race; take c.mu.Lock on paths that mutate`
	return e.Value.(*entry).val, true
}

// A map write under the read lock is a "concurrent map writes" crash.
func (c *LRU) Memo(k string) {
	c.mu.RLock()
	if _, ok := c.items[k]; !ok {
		c.items[k] = nil // want `map write to c.items under c.mu.RLock`
	}
	c.mu.RUnlock()
}

// Counting hits on a read path.
func (c *LRU) Peek(k string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.items[k]
	if ok {
		c.stats.hits++ // want `write to c.stats.hits under c.mu.RLock`
	}
	return ok
}

// Purging an expired entry while reading.
func (c *LRU) Lookup(k string, expired bool) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if expired {
		delete(c.items, k) // want `delete on c.items under c.mu.RLock`
		return false
	}
	return true
}

// An append-assign is a write.
func (c *LRU) Trace(k string) {
	c.mu.RLock()
	c.log = append(c.log, k) // want `append to c.log under c.mu.RLock`
	c.mu.RUnlock()
}

// The mutation hides in a helper method.
func (c *LRU) touch(e *list.Element) {
	c.ll.MoveToFront(e)
}

func (c *LRU) Get2(k string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[k]
	if ok {
		c.touch(e) // want `c.touch modifies c under c.mu.RLock`
	}
	return ok
}

// A write through a pointer read from the guarded map.
func (c *LRU) Hit(k string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if el, ok := c.items[k]; ok {
		ent := el.Value.(*entry)
		ent.hits++ // want `write to ent.hits under c.mu.RLock`
	}
}

// A package-level RWMutex guards package-level variables.
var (
	regMu    sync.RWMutex
	registry = map[string]int{}
	lookups  int
)

func Lookup(name string) int {
	regMu.RLock()
	defer regMu.RUnlock()
	lookups++ // want `write to lookups under regMu.RLock`
	return registry[name]
}

// A struct that embeds its RWMutex.
type Counter struct {
	sync.RWMutex
	n map[string]int
}

func (c *Counter) Inc(k string) {
	c.RLock()
	c.n[k]++ // want `map write to c.n under c.RLock`
	c.RUnlock()
}

// Fixing a heap on a read path.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type Sched struct {
	mu sync.RWMutex
	h  intHeap
}

func (s *Sched) Peek() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	heap.Init(&s.h) // want `heap.Init reorders the heap under s.mu.RLock`
	return s.h[0]
}
