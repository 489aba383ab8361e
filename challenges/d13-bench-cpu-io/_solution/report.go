package benchio

import (
	"bufio"
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// BenchName is the name a Sample gets in the Go benchmark format:
// "Benchmark" + the workload name with every white-space character replaced
// by '_' and every non-printable one written as a Go escape (what `go test`
// does to sub-benchmark names) + "/conc=<Concurrency>" + "-<Procs>", the
// suffix `go test` adds for GOMAXPROCS, omitted when Procs is 1.
func BenchName(s Sample) string {
	var b strings.Builder
	b.WriteString("Benchmark")
	for _, r := range s.Workload {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte('_')
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	fmt.Fprintf(&b, "/conc=%d", s.Concurrency)
	if s.Procs != 1 {
		fmt.Fprintf(&b, "-%d", s.Procs)
	}
	return b.String()
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
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "goos: %s\ngoarch: %s\n", runtime.GOOS, runtime.GOARCH)
	var kind Kind
	for _, s := range samples {
		if s.Ops <= 0 {
			continue
		}
		if s.Kind != kind {
			fmt.Fprintf(bw, "kind: %s\n", s.Kind)
			kind = s.Kind
		}
		var p50, p99 float64
		if s.Latency != nil {
			p50 = float64(s.Latency.Quantile(0.50))
			p99 = float64(s.Latency.Quantile(0.99))
		}
		fmt.Fprintf(bw, "%s\t%d\t%s ns/op\t%s p50-ns\t%s p99-ns\n",
			BenchName(s), s.Ops, num(s.NsPerOp()), num(p50), num(p99))
	}
	return bw.Flush()
}

// num formats v with at least 4 significant digits and no exponent.
func num(v float64) string {
	digits := 0
	if a := math.Abs(v); a > 0 && a < 1000 {
		digits = 3 - int(math.Floor(math.Log10(a)))
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
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
	if !(confidence > 0 && confidence < 1) {
		return nil, fmt.Errorf("%w: confidence %v, want 0 < confidence < 1", ErrInvalid, confidence)
	}
	type key struct {
		workload string
		procs    int
	}
	var order []key
	groups := map[key]map[int][]float64{}
	for _, s := range samples {
		if s.Ops <= 0 || s.Elapsed <= 0 {
			continue
		}
		k := key{s.Workload, s.Procs}
		if groups[k] == nil {
			groups[k] = map[int][]float64{}
			order = append(order, k)
		}
		groups[k][s.Concurrency] = append(groups[k][s.Concurrency], s.OpsPerSec())
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%w: no sample with ops to plot", ErrInvalid)
	}
	out := make([]Series, 0, len(order))
	for _, k := range order {
		g := groups[k]
		ser := Series{Name: fmt.Sprintf("%s P=%d", k.workload, k.procs)}
		for c, tput := range g {
			sum, err := Summarize(tput, confidence)
			if err != nil {
				return nil, err
			}
			p := Point{X: float64(c), Y: sum.Center, Lo: sum.Lo, Hi: sum.Hi}
			if math.IsInf(p.Lo, 0) || math.IsInf(p.Hi, 0) {
				p.Lo, p.Hi = p.Y, p.Y
			}
			ser.Points = append(ser.Points, p)
		}
		slices.SortFunc(ser.Points, func(a, b Point) int { return cmp.Compare(a.X, b.X) })
		out = append(out, ser)
	}
	return out, nil
}

// ChartOptions configure RenderSVG.
type ChartOptions struct {
	Title, XLabel, YLabel string
	Width, Height         int // pixels; 0 means 640 × 400
	LogX, LogY            bool
}

// Chart geometry (see the README): the plot area, with the legend to its
// right.
const (
	marginLeft   = 70
	marginTop    = 40
	marginRight  = 150
	marginBottom = 50
	minWidth     = 300
	minHeight    = 200
)

var palette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"}

// axis maps data values to pixels, linearly or on a log10 scale.
type axis struct {
	log      bool
	lo, hi   float64 // data range, in scale units (log10 for a log axis)
	from, to float64 // pixels that lo and hi map to
}

func (a axis) f(v float64) float64 {
	if a.log {
		return math.Log10(v)
	}
	return v
}

func (a axis) px(v float64) float64 {
	return a.from + (a.f(v)-a.lo)/(a.hi-a.lo)*(a.to-a.from)
}

// newAxis spans [min, max] of vs (on a linear Y axis, zero is included so
// that bars and lines are not exaggerated). A degenerate range is widened
// by 1 on each side, or by a factor of 10 on a log axis.
func newAxis(vs []float64, log, includeZero bool, from, to float64) axis {
	a := axis{log: log, from: from, to: to}
	lo, hi := slices.Min(vs), slices.Max(vs)
	if includeZero && !log {
		lo, hi = min(lo, 0), max(hi, 0)
	}
	a.lo, a.hi = a.f(lo), a.f(hi)
	if a.lo == a.hi {
		a.lo, a.hi = a.lo-1, a.hi+1 // ±1 in log10 units is ÷10 and ×10
	}
	return a
}

func validate(series []Series, o ChartOptions) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: chart: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if len(series) == 0 {
		return bad("no series")
	}
	if o.Width < 0 || o.Height < 0 || (o.Width > 0 && o.Width < minWidth) || (o.Height > 0 && o.Height < minHeight) {
		return bad("size %d×%d, want 0 (default) or at least %d×%d", o.Width, o.Height, minWidth, minHeight)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, s := range series {
		if len(s.Points) == 0 {
			return bad("series %q has no points", s.Name)
		}
		for i, p := range s.Points {
			if !finite(p.X) || !finite(p.Y) || !finite(p.Lo) || !finite(p.Hi) {
				return bad("series %q point %d has a NaN or infinite value: %+v", s.Name, i, p)
			}
			if o.LogX && p.X <= 0 {
				return bad("series %q point %d: X = %v on a log scale", s.Name, i, p.X)
			}
			if o.LogY && (p.Y <= 0 || (p.Hi > p.Lo && p.Lo <= 0)) {
				return bad("series %q point %d: %+v has a value <= 0 on a log scale", s.Name, i, p)
			}
		}
	}
	return nil
}

// RenderSVG draws series as a line chart in a standalone SVG document: one
// <path> per series (and no other <path>), a <circle> per point, error bars
// as <line>s, axes with tick labels, a title, axis labels and a legend. The
// geometry is specified in the README. Bad data is rejected before anything
// is written.
func RenderSVG(w io.Writer, series []Series, o ChartOptions) error {
	if err := validate(series, o); err != nil {
		return err
	}
	if o.Width == 0 {
		o.Width = 640
	}
	if o.Height == 0 {
		o.Height = 400
	}
	var xs, ys []float64
	for _, s := range series {
		for _, p := range s.Points {
			xs = append(xs, p.X)
			ys = append(ys, p.Y)
			if p.Hi > p.Lo {
				ys = append(ys, p.Lo, p.Hi)
			}
		}
	}
	left, top := float64(marginLeft), float64(marginTop)
	right, bottom := float64(o.Width-marginRight), float64(o.Height-marginBottom)
	ax := newAxis(xs, o.LogX, false, left, right)
	ay := newAxis(ys, o.LogY, true, bottom, top)

	bw := bufio.NewWriter(w)
	esc := html.EscapeString // escapes <, >, &, ' and ": safe in text and attributes
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		o.Width, o.Height, o.Width, o.Height)
	fmt.Fprintf(bw, `<rect x="0" y="0" width="%d" height="%d" fill="white"/>`+"\n", o.Width, o.Height)
	fmt.Fprintf(bw, `<text x="%d" y="24" text-anchor="middle" font-size="16">%s</text>`+"\n", o.Width/2, esc(o.Title))

	// Axes and ticks.
	fmt.Fprintf(bw, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", left, bottom, right, bottom)
	fmt.Fprintf(bw, `<line class="axis" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", left, bottom, left, top)
	for _, t := range ticks(ax) {
		x := ax.px(t)
		fmt.Fprintf(bw, `<line class="tick" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", x, bottom, x, bottom+5)
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", x, bottom+18, esc(label(t)))
	}
	for _, t := range ticks(ay) {
		y := ay.px(t)
		fmt.Fprintf(bw, `<line class="tick" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", left-5, y, left, y)
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-8, y+4, esc(label(t)))
	}
	fmt.Fprintf(bw, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", (left+right)/2, o.Height-10, esc(o.XLabel))
	fmt.Fprintf(bw, `<text x="14" y="%.1f" text-anchor="middle" transform="rotate(-90 14 %.1f)">%s</text>`+"\n", (top+bottom)/2, (top+bottom)/2, esc(o.YLabel))

	for i, s := range series {
		color := palette[i%len(palette)]
		var d strings.Builder
		for j, p := range s.Points {
			if j > 0 {
				d.WriteString(" L ")
			} else {
				d.WriteString("M ")
			}
			fmt.Fprintf(&d, "%.1f %.1f", ax.px(p.X), ay.px(p.Y))
		}
		fmt.Fprintf(bw, `<path class="series" d="%s" fill="none" stroke="%s" stroke-width="2"/>`+"\n", d.String(), color)
		for _, p := range s.Points {
			x, y := ax.px(p.X), ay.px(p.Y)
			if p.Hi > p.Lo {
				fmt.Fprintf(bw, `<line class="errbar" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>`+"\n", x, ay.px(p.Lo), x, ay.px(p.Hi), color)
			}
			fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x, y, color)
		}
		// Legend entry.
		ly := top + 18*float64(i)
		lx := float64(o.Width - marginRight + 10)
		fmt.Fprintf(bw, `<line class="legend" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>`+"\n", lx, ly, lx+20, ly, color)
		fmt.Fprintf(bw, `<text x="%.1f" y="%.1f">%s</text>`+"\n", lx+26, ly+4, esc(s.Name))
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// ticks returns about five round values inside the axis range: 1-2-5 steps
// on a linear axis, powers of ten on a log axis.
func ticks(a axis) []float64 {
	var out []float64
	if a.log {
		// Powers of ten; add 2× and 5× when the axis spans few decades.
		mults := []float64{1}
		if a.hi-a.lo < 3 {
			mults = []float64{1, 2, 5}
		}
		for e := math.Floor(a.lo); e <= a.hi; e++ {
			for _, m := range mults {
				if v := m * math.Pow(10, e); math.Log10(v) >= a.lo-1e-9 && math.Log10(v) <= a.hi+1e-9 {
					out = append(out, v)
				}
			}
		}
		return out
	}
	span := a.hi - a.lo
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	for _, m := range []float64{1, 2, 5, 10} {
		if span/(step*m) <= 6 {
			step *= m
			break
		}
	}
	for t := math.Ceil(a.lo/step) * step; t <= a.hi+step*1e-9; t += step {
		out = append(out, t)
	}
	return out
}

// label formats a tick value compactly: 1.5k, 20M, 0.25.
func label(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(v/1e9, 'g', 3, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(v/1e6, 'g', 3, 64) + "M"
	case a >= 1e3:
		return strconv.FormatFloat(v/1e3, 'g', 3, 64) + "k"
	case a < 1e-9:
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}
