package a

import (
	"strings"
	"testing"
)

var sink int

// Positives.

func BenchmarkClassic(b *testing.B) {
	input := strings.Repeat("x", 100)
	for i := 0; i < b.N; i++ { // want `benchmark loop over b.N: use for b.Loop\(\), which runs the setup once, times only the loop and keeps the compiler from optimizing the measured calls away`
		Parse(input)
	}
}

func BenchmarkRange(b *testing.B) {
	for range b.N { // want `benchmark loop over b.N`
		sink = Parse("abc")
	}
}

func BenchmarkRangeIndex(bench *testing.B) {
	for n := range bench.N { // want `benchmark loop over b.N`
		_ = n * 0
	}
}

func BenchmarkIndexUsed(b *testing.B) {
	keys := []string{"a", "b", "c"}
	// No fix: i is used.
	for i := 0; i < b.N; i++ { // want `benchmark loop over b.N`
		sink = Parse(keys[i%len(keys)])
	}
}

func BenchmarkSub(b *testing.B) {
	b.Run("short", func(b *testing.B) {
		for i := 0; i < b.N; i++ { // want `benchmark loop over b.N`
			Parse("s")
		}
	})
}

func BenchmarkSizedByN(b *testing.B) {
	// No fix: b.N is also used outside the loop.
	data := make([]string, 1+b.N)
	for i := 0; i < b.N; i++ { // want `benchmark loop over b.N`
		Parse(data[0])
	}
}

func BenchmarkTwoLoops(b *testing.B) {
	for i := 0; i < b.N; i++ { // want `benchmark loop over b.N`
		Parse("warm")
	}
	for i := 0; i < b.N; i++ { // want `benchmark loop over b.N`
		Parse("hot")
	}
}

// Negatives.

func BenchmarkLoop(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Parse("ok")
	}
}

func BenchmarkParallel(b *testing.B) {
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			Parse("p")
		}
	})
}

func BenchmarkOtherBound(b *testing.B) {
	for b.Loop() {
		for i := 0; i < 10; i++ { // an inner loop with a fixed bound
			Parse("x")
		}
	}
}

func TestNotABenchmark(t *testing.T) {
	n := 3
	for i := 0; i < n; i++ {
		Parse("t")
	}
}

func BenchmarkCountdown(b *testing.B) {
	for n := b.N; n > 0; n-- { // not the canonical form: left alone
		Parse("c")
	}
}

type fakeB struct{ N int }

func helper(b *fakeB) {
	for i := 0; i < b.N; i++ { // not a *testing.B
		Parse("f")
	}
}
