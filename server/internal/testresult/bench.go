package testresult

import (
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// parseBenchmarks reads benchmark result lines with golang.org/x/perf's
// benchfmt, the parser benchstat uses, so units and names are read the
// way the Go team defines them.
func parseBenchmarks(lines []logLine) []Benchmark {
	var text strings.Builder
	for _, l := range lines {
		// Only result lines: "BenchmarkX-2  100  14 ns/op ...". The bare
		// "BenchmarkX" line printed when a benchmark starts is not one.
		if strings.HasPrefix(l.text, "Benchmark") && len(strings.Fields(l.text)) >= 4 {
			text.WriteString(l.text)
		}
	}
	if text.Len() == 0 {
		return nil
	}
	var out []Benchmark
	r := benchfmt.NewReader(strings.NewReader(text.String()), "go test")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		base, parts := res.Name.Parts()
		name := string(base)
		procs := 1
		for _, part := range parts {
			s := string(part)
			if v, ok := strings.CutPrefix(s, "-"); ok {
				if n, err := strconv.Atoi(v); err == nil {
					procs = n
				}
				continue
			}
			name += s
		}
		b := Benchmark{Name: "Benchmark" + strings.TrimPrefix(name, "Benchmark"), Procs: procs, Iterations: res.Iters}
		b.NsPerOp, _ = res.Value("sec/op")
		b.NsPerOp *= 1e9
		var okB, okA bool
		b.BytesPerOp, okB = res.Value("B/op")
		b.AllocsPerOp, okA = res.Value("allocs/op")
		b.HasMem = okB && okA
		out = append(out, b)
	}
	return out
}
