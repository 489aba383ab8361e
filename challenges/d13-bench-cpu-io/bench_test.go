package benchio

import (
	"context"
	"testing"
	"time"
)

var (
	sinkTime time.Time
	sinkDur  time.Duration
)

// BenchmarkRecorderDo is the harness's overhead per Op: a no-op workload
// called through Recorder.Do, which reads the clock twice, counts the op and
// records its latency. Gated: 0 allocs/op and at most 1.5×
// BenchmarkTwoClockReads.
func BenchmarkRecorderDo(b *testing.B) {
	ctx := context.Background()
	var w Workload = tstNoop{}
	var r Recorder
	b.ReportAllocs()
	for b.Loop() {
		t, err := r.Do(ctx, w)
		if err != nil {
			b.Fatalf("Do: got error %v, want nil", err)
		}
		sinkTime = t
	}
	if r.Ops == 0 || r.Latency.Count() != r.Ops {
		b.Fatalf("after the loop: got Ops %d and Latency.Count %d, want them equal and > 0", r.Ops, r.Latency.Count())
	}
}

// BenchmarkTwoClockReads is the baseline: the two time.Now calls any
// per-op timing needs, and nothing else.
func BenchmarkTwoClockReads(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		end := time.Now()
		sinkDur += end.Sub(start)
		sinkTime = end
	}
}

// BenchmarkHistogramRecord is not gated: watch it if Do is slow.
func BenchmarkHistogramRecord(b *testing.B) {
	var h Histogram
	d := time.Duration(1)
	b.ReportAllocs()
	for b.Loop() {
		h.Record(d)
		d = (d*7 + 13) & (1<<30 - 1)
	}
}
