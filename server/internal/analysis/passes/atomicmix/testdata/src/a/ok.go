package a

import (
	"sync"
	"sync/atomic"
)

// Typed atomics cannot be mixed.
type Typed struct {
	hits atomic.Int64
	on   atomic.Bool
}

func (t *Typed) Hit() int64 {
	t.hits.Add(1)
	t.on.Store(true)
	return t.hits.Load()
}

// Every access atomic.
type Stats struct{ n, m uint64 }

func (s *Stats) Add()        { atomic.AddUint64(&s.n, 1) }
func (s *Stats) Get() uint64 { return atomic.LoadUint64(&s.n) }
func (s *Stats) Clear()      { atomic.StoreUint64(&s.n, 0) }

// A field never accessed atomically may be plain (m, under whatever lock).
func (s *Stats) M() uint64 { s.m++; return s.m }

// Struct literal initialisation happens before the value is shared.
func NewStats() *Stats {
	return &Stats{n: 10}
}

// So do field stores right after the literal.
func NewStats2(start uint64) *Stats {
	s := &Stats{}
	s.n = start
	s.m = 1
	return s
}

func NewStats3() Stats {
	var s Stats
	s.n = 5
	return s
}

// A local counter read after the goroutines are waited for.
func Count(jobs []func() bool) int64 {
	var ok int64
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if j() {
				atomic.AddInt64(&ok, 1)
			}
		}()
	}
	wg.Wait()
	return ok
}

// A local initialised before any goroutine can see it.
func Start(jobs []func()) *int64 {
	var left int64
	left = int64(len(jobs))
	for _, j := range jobs {
		go func() {
			j()
			atomic.AddInt64(&left, -1)
		}()
	}
	return &left
}

// A field of a struct that is shared only after a Wait.
type Batch struct {
	wg   sync.WaitGroup
	errs int32
}

func (b *Batch) Run(fs []func() error) int32 {
	for _, f := range fs {
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			if f() != nil {
				atomic.AddInt32(&b.errs, 1)
			}
		}()
	}
	b.wg.Wait()
	return b.errs
}

// Written atomically under the lock, read plainly under the same lock
// and atomically on a lock-free fast path: the plain read cannot overlap
// a write.
type Flag struct {
	mu   sync.Mutex
	done uint32
	val  int
}

func (f *Flag) Set(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.val = v
	atomic.StoreUint32(&f.done, 1)
}

func (f *Flag) Done() bool { return atomic.LoadUint32(&f.done) == 1 }

func (f *Flag) Locked() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done == 1
}

// A variable of the same name in another scope is another word.
func Shadow() int64 {
	requests := int64(3)
	requests++
	return requests
}

// Taking the address is no access by itself.
func Addr(s *Stats) *uint64 { return &s.n }

// Other fields of the same type are other words.
type Pair struct{ a, b int64 }

func (p *Pair) IncA() int64 {
	atomic.AddInt64(&p.a, 1)
	p.b++
	return p.b
}

// A fresh struct filled in after other work, before anything shares it.
type action struct {
	deps    []*action
	pending uint32
}

func (a *action) done() bool { return atomic.AddUint32(&a.pending, ^uint32(0)) == 0 }

func newAction(cache map[string]*action, deps []*action) *action {
	a := &action{}
	cache["x"] = a
	for _, d := range deps {
		a.deps = append(a.deps, d)
	}
	a.pending = uint32(len(a.deps))
	return a
}
