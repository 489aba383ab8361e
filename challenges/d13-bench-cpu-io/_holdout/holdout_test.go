package benchio

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"
)

func TestHoldoutSummarizeMatchesBenchstat(t *testing.T) {
	for i, tc := range tstHoldoutSummaryOracle {
		t.Run(fmt.Sprintf("%02d/n=%d", i, tc.N), func(t *testing.T) { tstCheckSummary(t, tc) })
	}
}

func TestHoldoutCompareMatchesBenchstat(t *testing.T) {
	for i, tc := range tstHoldoutCompareOracle {
		t.Run(fmt.Sprintf("%03d/n=%d,%d", i, tc.N1, tc.N2), func(t *testing.T) { tstCheckCompare(t, tc) })
	}
}

// Other shapes than the shipped TestRunShape: three workloads, odd
// concurrency values, 3 ms ops, a warm-up.
func TestHoldoutRunShape(t *testing.T) {
	before := tstProcsGuard(t)
	tstSynctest(t, func(t *testing.T) {
		var ws []Workload
		for i := range 3 {
			ws = append(ws, tstNewWorkload(fmt.Sprintf("w%d", i), Kind(1+i%2), 3*time.Millisecond))
		}
		p := Plan{Workloads: ws, Procs: []int{3}, Concurrency: []int{5, 2, 7}, Warmup: 9 * time.Millisecond, Duration: 30 * time.Millisecond, Reps: 3}
		samples, err := tstRun(t, t.Context(), p, time.Hour)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if len(samples) != 3*3*3 {
			t.Fatalf("got %d samples, want 27", len(samples))
		}
		i := 0
		for wi := range 3 {
			for _, c := range p.Concurrency {
				for rep := range 3 {
					s := samples[i]
					i++
					if s.Workload != fmt.Sprintf("w%d", wi) || s.Concurrency != c || s.Rep != rep || s.Procs != 3 || s.Kind != Kind(1+wi%2) {
						t.Fatalf("sample %d: got %s conc=%d rep=%d procs=%d kind=%v, want w%d conc=%d rep=%d procs=3", i-1, s.Workload, s.Concurrency, s.Rep, s.Procs, s.Kind, wi, c, rep)
					}
					if len(s.PerWorker) != c {
						t.Fatalf("sample %d: %d PerWorker, want %d", i-1, len(s.PerWorker), c)
					}
					for _, n := range s.PerWorker {
						if n < 9 || n > 11 {
							t.Errorf("sample %d: a goroutine counted %d ops, want 10 ± 1", i-1, n)
						}
					}
				}
			}
		}
	})
	if runtime.GOMAXPROCS(0) != before {
		t.Errorf("GOMAXPROCS not restored")
	}
}

func TestHoldoutHistogramUniform(t *testing.T) {
	var h Histogram
	for i := 1; i <= 100000; i++ {
		h.Record(time.Duration(i) * time.Microsecond)
	}
	for _, q := range []float64{0.01, 0.5, 0.95, 0.999} {
		want := time.Duration(math.Ceil(q*100000)) * time.Microsecond
		if got := h.Quantile(q); !tstWithin(got, want, 1.0/8) {
			t.Errorf("Quantile(%v): got %v, want %v ± 1/8", q, got, want)
		}
	}
}

func TestHoldoutBenchNames(t *testing.T) {
	for _, tt := range []struct {
		w           string
		procs, conc int
		want        string
	}{
		{"a b\nc", 4, 3, "Benchmarka_b_c/conc=3-4"},
		{"X", 1, 64, "BenchmarkX/conc=64"},
		{"tab\x7f", 16, 1, `Benchmarktab\x7f/conc=1-16`},
	} {
		if got := BenchName(Sample{Workload: tt.w, Procs: tt.procs, Concurrency: tt.conc}); got != tt.want {
			t.Errorf("BenchName(%q): got %q, want %q", tt.w, got, tt.want)
		}
	}
}

// The geometry from the README, computed here rather than read from a
// golden file: an 500 × 260 chart, linear X, log Y.
func TestHoldoutSVGGeometry(t *testing.T) {
	series := []Series{{Name: "s", Points: []Point{{2, 10, 0, 0}, {6, 1000, 0, 0}, {4, 100, 0, 0}}}}
	var buf bytes.Buffer
	if err := RenderSVG(&buf, series, ChartOptions{Width: 500, Height: 260, LogY: true}); err != nil {
		t.Fatalf("RenderSVG: %v", err)
	}
	svg := tstParseSVG(t, buf.Bytes())
	if len(svg.Paths) != 1 || len(svg.Paths[0]) != 3 {
		t.Fatalf("got paths %v, want one of 3 points", svg.Paths)
	}
	left, right, top, bottom := 70.0, 350.0, 40.0, 210.0
	want := [][2]float64{{left, bottom}, {right, top}, {(left + right) / 2, (top + bottom) / 2}}
	for i, p := range svg.Paths[0] {
		if math.Abs(p[0]-want[i][0]) > 0.06 || math.Abs(p[1]-want[i][1]) > 0.06 {
			t.Errorf("point %d: got %v, want %v", i, p, want[i])
		}
	}
}
