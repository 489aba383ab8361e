package counter

import (
	"sync/atomic"
	"testing"
)

func BenchmarkInc(b *testing.B) {
	b.ReportAllocs()
	var c Counter
	for b.Loop() {
		c.Inc()
	}
}

func BenchmarkAtomicAdd(b *testing.B) {
	b.ReportAllocs()
	var n atomic.Int64
	for b.Loop() {
		n.Add(1)
	}
}
