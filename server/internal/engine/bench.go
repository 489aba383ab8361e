package engine

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

// BenchVerdict judges one benchmark against its manifest targets and the
// learner's own history.
type BenchVerdict struct {
	testresult.Benchmark
	Runs int `json:"runs"` // results the medians come from
	// Gate is nil for benchmarks the manifest does not gate.
	Gate *curriculum.Benchmark `json:"gate,omitempty"`
	// Ratio to the baseline's median ns/op (0 when there is no baseline).
	Ratio    float64 `json:"ratio,omitempty"`
	RatioOK  bool    `json:"ratioOK"`
	AllocsOK bool    `json:"allocsOK"`
	// PreviousBest is the learner's best before this run, if any.
	PreviousBest *progress.Bench `json:"previousBest,omitempty"`
}

// OK reports whether every gate of the benchmark holds.
func (v BenchVerdict) OK() bool { return v.RatioOK && v.AllocsOK }

// BenchReport is the result of running a challenge's benchmarks.
type BenchReport struct {
	Challenge string             `json:"challenge"`
	Verdicts  []BenchVerdict     `json:"verdicts"`
	Run       *testresult.Report `json:"run"`
}

// BenchOptions tune a benchmark run.
type BenchOptions struct {
	// Name restricts the run to one benchmark (its baseline runs too).
	Name string
	// Count is -count (default 6: enough for a stable median).
	Count int
	// Benchtime is -benchtime (default: go test's 1s).
	Benchtime string
	// Overlay replaces files (verify uses it to bench the reference).
	Overlay string
	// NoRecord keeps the results out of progress.
	NoRecord bool
}

// Bench runs the challenge's benchmarks and judges them. Benchmarks only
// run when the tests they live beside compile; failing tests do not stop
// them (-run '^$').
func (e *Engine) Bench(ctx context.Context, id string, o BenchOptions) (*BenchReport, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	var rep *BenchReport
	err = e.exclusive(ctx, ch.ID, func(ctx context.Context) error {
		spec := e.spec(ch, CheckOptions{})
		rep, err = RunBench(ctx, ch, spec, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	if o.NoRecord || !rep.Run.Compiled() {
		return rep, nil
	}
	p, err := e.WS.Progress.Load()
	if err != nil {
		return nil, err
	}
	prev := p.Get(ch.ID)
	for i := range rep.Verdicts {
		v := &rep.Verdicts[i]
		if best, ok := prev.Best[v.Name]; ok {
			v.PreviousBest = &best
		}
		err := e.WS.Progress.Record(progress.Event{Kind: progress.KindBench, Challenge: ch.ID, Bench: &progress.Bench{
			Name: v.Name, NsPerOp: v.NsPerOp, BytesPerOp: v.BytesPerOp, AllocsPerOp: v.AllocsPerOp,
		}})
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// RunBench runs and judges benchmarks for a package described by spec.
// It is shared by the engine and verify (which benches reference solutions
// through an overlay).
func RunBench(ctx context.Context, ch *curriculum.Challenge, spec gotest.Spec, o BenchOptions) (*BenchReport, error) {
	if o.Count <= 0 {
		o.Count = 6
	}
	pattern := "."
	if o.Name != "" {
		names := []string{o.Name}
		for _, b := range ch.Benchmarks {
			if b.Name == o.Name && b.Baseline != "" {
				names = append(names, b.Baseline)
			}
		}
		for i, n := range names {
			names[i] = regexp.QuoteMeta(strings.TrimPrefix(n, "Benchmark"))
		}
		pattern = "^Benchmark(" + strings.Join(names, "|") + ")$"
	}
	spec.Flags = []string{"-run", "^$", "-bench", pattern, "-benchmem", "-count", strconv.Itoa(o.Count)}
	if o.Benchtime != "" {
		spec.Flags = append(spec.Flags, "-benchtime", o.Benchtime)
	}
	spec.Overlay = o.Overlay
	// Each -count repetition of each benchmark takes about a benchtime.
	spec.Timeout = ch.Test.Timeout() + benchBudget(o.Count, len(ch.Benchmarks))
	r, err := gotest.Run(ctx, spec)
	if err != nil {
		return nil, err
	}
	rep := &BenchReport{Challenge: ch.ID, Run: r}
	medians := medianByName(r.Benchmarks)
	var names []string
	for n := range medians {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m := medians[n]
		v := BenchVerdict{Benchmark: m.Benchmark, Runs: m.runs, RatioOK: true, AllocsOK: true}
		idx := slices.IndexFunc(ch.Benchmarks, func(b curriculum.Benchmark) bool { return b.Name == n })
		if idx >= 0 {
			g := ch.Benchmarks[idx]
			v.Gate = &g
			if g.MaxAllocsPerOp != nil {
				v.AllocsOK = m.HasMem && m.AllocsPerOp <= *g.MaxAllocsPerOp
			}
			if base, ok := medians[g.Baseline]; ok && base.NsPerOp > 0 {
				v.Ratio = m.NsPerOp / base.NsPerOp
				if g.MaxRatio > 0 {
					v.RatioOK = v.Ratio <= g.MaxRatio
				}
			}
		}
		rep.Verdicts = append(rep.Verdicts, v)
	}
	return rep, nil
}

// benchBudget allows each repetition of each benchmark (and its baseline)
// a few benchtimes: a benchmark's ramp-up runs it several times.
func benchBudget(count, n int) time.Duration {
	return time.Duration(count*max(n*2, 2)) * 3 * time.Second
}

type median struct {
	testresult.Benchmark
	runs int
}

// medianByName reduces repeated results (-count N) to their medians, the
// statistic benchstat reports, robust to one noisy run.
func medianByName(bs []testresult.Benchmark) map[string]median {
	group := map[string][]testresult.Benchmark{}
	for _, b := range bs {
		group[b.Name] = append(group[b.Name], b)
	}
	out := map[string]median{}
	for name, g := range group {
		m := median{Benchmark: g[0], runs: len(g)}
		m.NsPerOp = med(g, func(b testresult.Benchmark) float64 { return b.NsPerOp })
		m.BytesPerOp = med(g, func(b testresult.Benchmark) float64 { return b.BytesPerOp })
		m.AllocsPerOp = med(g, func(b testresult.Benchmark) float64 { return b.AllocsPerOp })
		out[name] = m
	}
	return out
}

func med(g []testresult.Benchmark, f func(testresult.Benchmark) float64) float64 {
	xs := make([]float64, len(g))
	for i, b := range g {
		xs[i] = f(b)
	}
	sort.Float64s(xs)
	if n := len(xs); n%2 == 1 {
		return xs[n/2]
	} else {
		return (xs[n/2-1] + xs[n/2]) / 2
	}
}

// String renders a verdict on one line, the way the lens and the CLI show it:
// "1,210 ns/op, 0 allocs/op (1.4x baseline, max 2x)".
func (v BenchVerdict) String() string {
	s := fmt.Sprintf("%s ns/op, %s allocs/op", Thousands(v.NsPerOp), Thousands(v.AllocsPerOp))
	if v.Gate != nil {
		if v.Ratio > 0 && v.Gate.MaxRatio > 0 {
			s += fmt.Sprintf(" (%.2fx baseline, max %.2gx)", v.Ratio, v.Gate.MaxRatio)
		}
		if v.Gate.MaxAllocsPerOp != nil {
			s += fmt.Sprintf(", allocs target <= %s", Thousands(*v.Gate.MaxAllocsPerOp))
		}
		if v.Gate.TargetNsPerOp > 0 {
			s += fmt.Sprintf(", advisory <= %s ns/op", Thousands(v.Gate.TargetNsPerOp))
		}
	}
	return s
}

// Thousands formats a number with thousands separators and no more
// precision than a benchmark deserves.
func Thousands(x float64) string {
	if x < 100 && x != float64(int64(x)) {
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(x+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// BenchmarkTarget describes the gate of ch's named benchmark for people:
// "<= 0 allocs/op, <= 2x BenchmarkBaseline"; empty for ungated ones.
func BenchmarkTarget(ch *curriculum.Challenge, name string) string {
	for _, b := range ch.Benchmarks {
		if b.Name != name {
			continue
		}
		var parts []string
		if b.MaxAllocsPerOp != nil {
			parts = append(parts, fmt.Sprintf("<= %s allocs/op", Thousands(*b.MaxAllocsPerOp)))
		}
		if b.MaxRatio > 0 {
			parts = append(parts, fmt.Sprintf("<= %gx %s", b.MaxRatio, b.Baseline))
		}
		if b.TargetNsPerOp > 0 {
			parts = append(parts, fmt.Sprintf("<= %s ns/op", Thousands(b.TargetNsPerOp)))
		}
		return strings.Join(parts, ", ")
	}
	return ""
}
