package benchio

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestLargeCharacterise is the real experiment, opt-in
// (CURRICULUM_LARGE=1 go test -run Large): SHA-256, JSON and PipeIO over
// 1..32 goroutines at GOMAXPROCS 1 and NumCPU, written as benchfmt (feed
// it to benchstat) and as an SVG chart. It takes about a minute and
// asserts nothing about speed: read the chart.
func TestLargeCharacterise(t *testing.T) {
	if os.Getenv("CURRICULUM_LARGE") == "" {
		t.Skip("set CURRICULUM_LARGE=1 to run the full characterisation")
	}
	tstProcsGuard(t)
	sha, err := NewSHA256(16 << 10)
	if err != nil {
		t.Fatal(err)
	}
	js, err := NewJSON(50)
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := NewPipeIO(time.Millisecond, 512)
	if err != nil {
		t.Fatal(err)
	}
	procs := []int{1}
	if n := runtime.NumCPU(); n > 1 {
		procs = append(procs, n)
	}
	p := Plan{
		Workloads:   []Workload{sha, js, pipe},
		Concurrency: []int{1, 2, 4, 8, 16, 32},
		Procs:       procs,
		Warmup:      100 * time.Millisecond,
		Duration:    200 * time.Millisecond,
		Reps:        5,
	}
	samples, err := Run(t.Context(), p)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	dir := filepath.Join(os.TempDir(), "d13-bench-cpu-io")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var txt bytes.Buffer
	if err := WriteBenchfmt(&txt, samples); err != nil {
		t.Fatalf("WriteBenchfmt: %v", err)
	}
	series, err := Scaling(samples, 0.95)
	if err != nil {
		t.Fatalf("Scaling: %v", err)
	}
	var svg bytes.Buffer
	o := ChartOptions{Title: "Throughput vs goroutines", XLabel: "goroutines", YLabel: "ops/s", LogX: true, LogY: true, Width: 900, Height: 560}
	if err := RenderSVG(&svg, series, o); err != nil {
		t.Fatalf("RenderSVG: %v", err)
	}
	for name, data := range map[string][]byte{"bench.txt": txt.Bytes(), "scaling.svg": svg.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(dir, name))
	}
}
