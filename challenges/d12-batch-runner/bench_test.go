package batch

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
)

// One op is one item that succeeds at once, taken from an iterator that
// yields for as long as the benchmark runs, with Concurrency 4.

// BenchmarkRunSuccess is Run with retries enabled and a retry budget.
// Gated: at most 3 allocs/op (the result storage grows in the background
// and must cost far less than one allocation per item) and at most 1.5x
// BenchmarkErrgroupBaseline.
func BenchmarkRunSuccess(b *testing.B) {
	benchRun(b, nil)
}

// BenchmarkRunSuccessWithMetrics adds the Prometheus metrics: a handful of
// atomic operations per item, mostly inside client_golang. Not gated.
func BenchmarkRunSuccessWithMetrics(b *testing.B) {
	m, err := NewMetrics(prometheus.NewRegistry(), "bench")
	if err != nil {
		b.Fatalf("NewMetrics: %v", err)
	}
	benchRun(b, m)
}

func benchRun(b *testing.B, m *Metrics) {
	cfg := Config{
		Concurrency: 4, MaxAttempts: 3, Backoff: Exponential(time.Millisecond, time.Second),
		Budget: NewRetryBudget(0.1, 10), Metrics: m,
	}
	fn := func(context.Context, int) error { return nil }
	b.ReportAllocs()
	n := 0
	items := func(yield func(int) bool) {
		for b.Loop() {
			if !yield(n) {
				return
			}
			n++
		}
	}
	res, err := Run(context.Background(), cfg, items, fn)
	if err != nil || len(res) != n {
		b.Fatalf("Run: got %d results and error %v, want %d and nil", len(res), err, n)
	}
}

// BenchmarkErrgroupBaseline is the bare mechanism: an errgroup with
// SetLimit(4), one goroutine per item, no retries, no results.
func BenchmarkErrgroupBaseline(b *testing.B) {
	ctx := context.Background()
	fn := func(context.Context, int) error { return nil }
	var g errgroup.Group
	g.SetLimit(4)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		item := n
		g.Go(func() error { return fn(ctx, item) })
		n++
	}
	if err := g.Wait(); err != nil {
		b.Fatalf("Wait: %v", err)
	}
}
