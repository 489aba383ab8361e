package benchio

import "io"

// BenchName is the name a Sample gets in the Go benchmark format:
// "Benchmark" + the workload name with every white-space character replaced
// by '_' and every non-printable one written as a Go escape (what `go test`
// does to sub-benchmark names) + "/conc=<Concurrency>" + "-<Procs>", the
// suffix `go test` adds for GOMAXPROCS, omitted when Procs is 1.
func BenchName(s Sample) string {
	// TODO
	return ""
}

// WriteBenchfmt writes samples in the Go benchmark format, one result line
// per sample with at least one op, so that benchstat and
// golang.org/x/perf/benchfmt can read them:
//
//	goos: linux
//	goarch: amd64
//	kind: cpu
//	BenchmarkSHA256/size=1024/conc=4-2  123456  2104 ns/op  7900 p50-ns  9800 p99-ns
//
// Configuration lines goos and goarch come first; a "kind:" line precedes
// the first sample and every sample whose Kind differs from the previous
// one. Values have at least 4 significant digits.
func WriteBenchfmt(w io.Writer, samples []Sample) error {
	// TODO
	return ErrNotImplemented
}

// Point is one point of a Series. Lo and Hi draw an error bar when Hi > Lo.
type Point struct{ X, Y, Lo, Hi float64 }

// Series is one line of a chart.
type Series struct {
	Name   string
	Points []Point
}

// Scaling turns samples into one Series per (workload, Procs), in the order
// they first appear, named "<workload> P=<procs>". A series has one point
// per Concurrency, in increasing order: X is the concurrency, Y the median
// throughput (ops/s) over the repetitions and Lo/Hi its confidence interval
// at the given level (Lo = Hi = Y when there are too few repetitions for a
// finite interval). Samples with no ops are ignored.
func Scaling(samples []Sample, confidence float64) ([]Series, error) {
	// TODO
	return nil, ErrNotImplemented
}

// ChartOptions configure RenderSVG.
type ChartOptions struct {
	Title, XLabel, YLabel string
	Width, Height         int // pixels; 0 means 640 × 400
	LogX, LogY            bool
}

// RenderSVG draws series as a line chart in a standalone SVG document: one
// <path> per series (and no other <path>), a <circle> per point, error bars
// as <line>s, axes with tick labels, a title, axis labels and a legend. The
// geometry is specified in the README. Bad data is rejected before anything
// is written.
func RenderSVG(w io.Writer, series []Series, o ChartOptions) error {
	// TODO: validate everything first, then write. encoding/xml or
	// html.EscapeString for the text you did not write yourself.
	return ErrNotImplemented
}
