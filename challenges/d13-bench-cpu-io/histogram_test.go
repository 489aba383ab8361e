package benchio

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// tstNearestRank is the exact q-quantile of xs by the nearest-rank
// definition: the smallest value with at least ⌈q·n⌉ values <= it.
func tstNearestRank(sorted []time.Duration, q float64) time.Duration {
	rank := max(int(math.Ceil(q*float64(len(sorted)))), 1)
	return sorted[rank-1]
}

func tstWithin(got, want time.Duration, rel float64) bool {
	return math.Abs(float64(got-want)) <= rel*float64(want)+1
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	if got := h.Quantile(0.5); got != 0 || h.Count() != 0 || h.Min() != 0 || h.Max() != 0 {
		t.Errorf("empty Histogram: got Quantile(0.5) %v, Count %d, Min %v, Max %v; want all zero", got, h.Count(), h.Min(), h.Max())
	}

	// Latencies over seven orders of magnitude, log-uniform, plus a few
	// exact small values.
	r := rand.New(rand.NewPCG(1, 2))
	var ds []time.Duration
	for range 5000 {
		ds = append(ds, time.Duration(math.Pow(10, 1+7*r.Float64())))
	}
	ds = append(ds, 0, 1, 3, 15, 16, 17)
	for _, d := range ds {
		h.Record(d)
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)

	if got, want := h.Count(), int64(len(ds)); got != want {
		t.Errorf("Count: got %d, want %d", got, want)
	}
	if got, want := h.Min(), sorted[0]; got != want {
		t.Errorf("Min: got %v, want %v (exact)", got, want)
	}
	if got, want := h.Max(), sorted[len(sorted)-1]; got != want {
		t.Errorf("Max: got %v, want %v (exact)", got, want)
	}
	for _, q := range []float64{0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999} {
		want := tstNearestRank(sorted, q)
		if got := h.Quantile(q); !tstWithin(got, want, 1.0/8) {
			t.Errorf("Quantile(%v): got %v, want %v ± 1/8", q, got, want)
		}
	}
	if got := h.Quantile(0); got != sorted[0] {
		t.Errorf("Quantile(0): got %v, want Min %v", got, sorted[0])
	}
	if got := h.Quantile(1); got != sorted[len(sorted)-1] {
		t.Errorf("Quantile(1): got %v, want Max %v", got, sorted[len(sorted)-1])
	}
}

func TestHistogramSmallAndNegative(t *testing.T) {
	var h Histogram
	for _, d := range []time.Duration{-5 * time.Second, 2, 2, 2, 9} {
		h.Record(d)
	}
	if h.Min() != 0 {
		t.Errorf("Min after Record(-5s): got %v, want 0 (negative durations count as 0)", h.Min())
	}
	if got := h.Quantile(0.5); got != 2 {
		t.Errorf("Quantile(0.5) of [0 2 2 2 9]: got %v, want 2", got)
	}
	if got := h.Quantile(0.8); got != 2 {
		t.Errorf("Quantile(0.8) of [0 2 2 2 9]: got %v, want 2", got)
	}
	if got := h.Quantile(0.81); got != 9 {
		t.Errorf("Quantile(0.81) of [0 2 2 2 9]: got %v, want 9", got)
	}
}

func TestHistogramMerge(t *testing.T) {
	var a, b, all Histogram
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		d := time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		if i%3 == 0 {
			d *= 50 // b gets a slower tail
			b.Record(d)
		} else {
			a.Record(d)
		}
		all.Record(d)
	}
	var empty Histogram
	a.Merge(&empty)
	a.Merge(&b)
	if a.Count() != all.Count() || a.Min() != all.Min() || a.Max() != all.Max() {
		t.Errorf("after Merge: got Count %d, Min %v, Max %v; want %d, %v, %v",
			a.Count(), a.Min(), a.Max(), all.Count(), all.Min(), all.Max())
	}
	for _, q := range []float64{0.1, 0.5, 0.9, 0.99} {
		if got, want := a.Quantile(q), all.Quantile(q); got != want {
			t.Errorf("Quantile(%v) after Merge: got %v, want %v (same as recording everything into one)", q, got, want)
		}
	}
	empty.Merge(&b)
	if empty.Min() != b.Min() || empty.Count() != b.Count() {
		t.Errorf("empty.Merge(b): got Count %d, Min %v; want %d, %v", empty.Count(), empty.Min(), b.Count(), b.Min())
	}
}

func TestHistogramRecordDoesNotAllocate(t *testing.T) {
	var h Histogram
	d := time.Duration(1)
	allocs := testing.AllocsPerRun(1000, func() {
		h.Record(d)
		d = d*3 + 7
	})
	if allocs != 0 {
		t.Errorf("Histogram.Record: got %v allocs per call, want 0 (fixed buckets)", allocs)
	}
}

type tstNoop struct{ err error }

func (tstNoop) Name() string                { return "noop" }
func (tstNoop) Kind() Kind                  { return CPU }
func (tstNoop) Setup(context.Context) error { return nil }
func (n tstNoop) Op(context.Context) error  { return n.err }
func (tstNoop) Teardown() error             { return nil }

func TestRecorderDo(t *testing.T) {
	ctx := context.Background()
	var r Recorder
	before := time.Now()
	for range 5 {
		end, err := r.Do(ctx, tstNoop{})
		if err != nil {
			t.Fatalf("Do: got error %v, want nil", err)
		}
		if end.Before(before) {
			t.Fatalf("Do: got end time %v, want one after the call started (%v)", end, before)
		}
	}
	end, err := r.Do(ctx, tstNoop{err: tstErrBoom})
	if !errors.Is(err, tstErrBoom) {
		t.Errorf("Do with a failing Op: got error %v, want the Op's error", err)
	}
	if end.IsZero() {
		t.Errorf("Do with a failing Op: got a zero end time, want when the op ended")
	}
	if r.Ops != 5 || r.Latency.Count() != 5 {
		t.Errorf("after 5 good ops and 1 failed one: got Ops %d, Latency.Count %d; want 5 and 5 (failed ops are not counted)", r.Ops, r.Latency.Count())
	}
}
