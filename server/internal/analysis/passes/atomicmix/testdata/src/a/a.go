package a

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

type Cache struct {
	mu     sync.RWMutex
	m      map[string]int
	hits   int64
	misses uint64
	closed int32
}

func (c *Cache) Get(k string) (int, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		atomic.AddInt64(&c.hits, 1)
	} else {
		atomic.AddUint64(&c.misses, 1)
	}
	return v, ok
}

// A plain read of a counter bumped atomically.
func (c *Cache) Hits() int64 {
	return c.hits // want `plain read of c.hits races with atomic.AddInt64\(&c.hits, ...\) elsewhere: use atomic.LoadInt64 here too, or better declare it as an atomic.Int64`
}

// A plain write, even under the lock, races with atomic adds that do not hold it.
func (c *Cache) Reset() {
	c.mu.Lock()
	c.hits = 0   // want `plain write to c.hits races with .* use atomic.StoreInt64 here too`
	c.misses = 0 // want `plain write to c.misses .* atomic.StoreUint64 .* atomic.Uint64`
	c.mu.Unlock()
}

// A plain increment next to atomic ones.
func (c *Cache) Miss() {
	c.misses++ // want `plain increment of c.misses races with atomic.AddUint64\(&c.misses, ...\) elsewhere: use atomic.AddUint64 here too`
}

func (c *Cache) Unmiss() {
	c.misses -= 1 // want `plain decrement of c.misses .* use atomic.AddUint64`
}

func (c *Cache) Close() {
	atomic.StoreInt32(&c.closed, 1)
}

// The plain read in a condition: the loop may never see the store.
func (c *Cache) WaitClosed() {
	for c.closed == 0 { // want `plain read of c.closed races with atomic.StoreInt32\(&c.closed, ...\) elsewhere: use atomic.LoadInt32`
	}
}

// A read-modify-write that is not an add.
func (c *Cache) Flag() {
	c.closed |= 2 // want `plain read-modify-write of c.closed .* CompareAndSwapInt32 loop`
}

// Another instance of the same type: the field, not the variable, is the word.
func Sum(cs []*Cache) (n int64) {
	for _, c := range cs {
		n += c.hits // want `plain read of c.hits`
	}
	return n
}

// A package-level variable.
var requests int64

func Handle() {
	atomic.AddInt64(&requests, 1)
}

func Requests() int64 {
	return requests // want `plain read of requests races with atomic.AddInt64\(&requests, ...\)`
}

// A local counter read inside a goroutine while others add to it.
func Progress(jobs []func()) {
	var done int64
	for _, j := range jobs {
		go func() {
			j()
			atomic.AddInt64(&done, 1)
		}()
	}
	go func() {
		println(done) // want `plain read of done`
	}()
}

// A plain read as an argument of the atomic call itself.
func (c *Cache) Double() {
	atomic.CompareAndSwapInt64(&c.hits, c.hits, 2*c.hits) // want `plain read of c.hits` `plain read of c.hits`
}

// Generic types: the field is identified through its origin.
type Counter[T any] struct {
	n    int64
	last T
}

func (c *Counter[T]) Inc(v T) {
	atomic.AddInt64(&c.n, 1)
}

func (c *Counter[T]) N() int64 {
	return c.n // want `plain read of c.n`
}

// unsafe.Pointer words: the typed atomic.Pointer[T] is the way out.
type Config struct{ cur unsafe.Pointer }

func (c *Config) Load() *int { return (*int)(atomic.LoadPointer(&c.cur)) }

func (c *Config) Set(p *int) {
	c.cur = unsafe.Pointer(p) // want `plain write to c.cur .* use atomic.StorePointer here too, or better declare it as an atomic.Pointer\[T\]`
}

// Once a goroutine may hold it, the struct is shared.
func startAction(deps []*action) *action {
	a := &action{deps: deps}
	go func() {
		for !a.done() {
		}
	}()
	a.pending = uint32(len(deps)) // want `plain write to a.pending races with atomic.AddUint32`
	return a
}
