package lru

import (
	"sync"
	"testing"
)

var (
	sinkV  int
	sinkOK bool
)

// BenchmarkGetHit is gated: 0 allocs/op, and at most 2x BenchmarkMutexMapGet.
func BenchmarkGetHit(b *testing.B) {
	const n = 1024
	c, err := New(Options[int, int]{Capacity: n})
	if err != nil {
		b.Fatalf("New: got error %v, want nil", err)
	}
	for i := range n {
		c.Put(i, i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		sinkV, sinkOK = c.Get(i & (n - 1))
		i++
	}
	if !sinkOK {
		b.Fatalf("Get: got a miss, want a hit")
	}
}

// BenchmarkMutexMapGet is the baseline: a map lookup under a sync.Mutex.
func BenchmarkMutexMapGet(b *testing.B) {
	const n = 1024
	var mu sync.Mutex
	m := make(map[int]int, n)
	for i := range n {
		m[i] = i
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		mu.Lock()
		sinkV, sinkOK = m[i&(n-1)]
		mu.Unlock()
		i++
	}
}

// BenchmarkPutEvict is not gated: a full cache where every Put evicts.
func BenchmarkPutEvict(b *testing.B) {
	const n = 1024
	c, err := New(Options[int, int]{Capacity: n})
	if err != nil {
		b.Fatalf("New: got error %v, want nil", err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Put(i, i)
		i++
	}
}
