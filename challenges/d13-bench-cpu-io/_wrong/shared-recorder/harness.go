// Package benchio is a small benchmark harness that characterises how
// CPU-bound and I/O-bound work scales with goroutines and GOMAXPROCS, with
// sound methodology: warm-up, repetitions, robust summaries (median and an
// order-statistic confidence interval), significance tests (Mann–Whitney U),
// output in the Go benchmark format and an SVG chart.
package benchio

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("benchio: not implemented")

// ErrInvalid is wrapped by every error about bad arguments: a bad Plan, bad
// workload options, bad statistics input, bad chart data.
var ErrInvalid = errors.New("benchio: invalid argument")

// ErrPanic is wrapped by the error Run returns when a workload method
// panicked.
var ErrPanic = errors.New("benchio: workload panicked")

// ErrTooFewSamples is wrapped by Compare's error when a sample is too small
// for the test to ever reach significance.
var ErrTooFewSamples = errors.New("benchio: too few samples")

// Kind says what bounds a workload.
type Kind int

const (
	CPU Kind = iota + 1 // bounded by computation
	IO                  // bounded by waiting
)

func (k Kind) String() string {
	switch k {
	case CPU:
		return "cpu"
	case IO:
		return "io"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Workload is one thing to measure. Run calls Setup once per Run, then Op
// from many goroutines at once (Op must be safe for concurrent use), then
// Teardown once, even when something failed.
type Workload interface {
	Name() string
	Kind() Kind
	Setup(context.Context) error
	Op(context.Context) error
	Teardown() error
}

// Plan describes a measurement campaign: every workload × every Procs value
// × every Concurrency value, Reps times each.
type Plan struct {
	Workloads   []Workload
	Concurrency []int // goroutines calling Op at once; each > 0
	Procs       []int // GOMAXPROCS values; each > 0
	Warmup      time.Duration
	Duration    time.Duration
	Reps        int
}

// Sample is one measured repetition of one configuration.
type Sample struct {
	Workload    string
	Kind        Kind
	Procs       int     // GOMAXPROCS during the measurement
	Concurrency int     // goroutines calling Op
	Rep         int     // 0-based repetition
	Ops         int64   // Op calls counted in the measured window
	PerWorker   []int64 // Ops of each goroutine; len == Concurrency, sums to Ops
	// Elapsed runs from the start of the first counted Op to the end of
	// the last one, across all goroutines.
	Elapsed time.Duration
	Latency *Histogram // latency of each counted Op, all goroutines merged
}

// NsPerOp is wall time per operation (Elapsed / Ops), what `go test`
// reports for a parallel benchmark. 0 when Ops is 0.
func (s Sample) NsPerOp() float64 {
	if s.Ops == 0 {
		return 0
	}
	return float64(s.Elapsed.Nanoseconds()) / float64(s.Ops)
}

// OpsPerSec is the throughput, Ops / Elapsed. 0 when Elapsed is 0.
func (s Sample) OpsPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Ops) / s.Elapsed.Seconds()
}

// Recorder is one goroutine's private tally. The zero value is ready to use.
// A Recorder is not safe for concurrent use: give each goroutine its own and
// merge them when the goroutines are done.
type Recorder struct {
	Ops     int64
	Latency Histogram
}

// Do calls w.Op once, timing it. On success it counts the op and records its
// latency; on error it records nothing. It returns the time the op ended, so
// that a caller checking a deadline needs no third clock read.
func (r *Recorder) Do(ctx context.Context, w Workload) (time.Time, error) {
	start := time.Now()
	err := w.Op(ctx)
	end := time.Now()
	if err != nil {
		return end, err
	}
	r.Ops++
	r.Latency.Record(end.Sub(start))
	return end, nil
}

func (p *Plan) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: plan: %s", ErrInvalid, fmt.Sprintf(format, args...))
	}
	if len(p.Workloads) == 0 {
		return bad("no workloads")
	}
	names := map[string]bool{}
	for i, w := range p.Workloads {
		if w == nil {
			return bad("workload %d is nil", i)
		}
		n := w.Name()
		if n == "" {
			return bad("workload %d has an empty name", i)
		}
		if names[n] {
			return bad("two workloads are named %q", n)
		}
		names[n] = true
	}
	if len(p.Concurrency) == 0 {
		return bad("no Concurrency values")
	}
	for _, c := range p.Concurrency {
		if c <= 0 {
			return bad("Concurrency %d, want > 0", c)
		}
	}
	if len(p.Procs) == 0 {
		return bad("no Procs values")
	}
	for _, n := range p.Procs {
		if n <= 0 {
			return bad("Procs %d, want > 0", n)
		}
	}
	switch {
	case p.Warmup < 0:
		return bad("Warmup %v, want >= 0", p.Warmup)
	case p.Duration <= 0:
		return bad("Duration %v, want > 0", p.Duration)
	case p.Reps <= 0:
		return bad("Reps %d, want > 0", p.Reps)
	}
	return nil
}

// Run measures every configuration of p and returns one Sample per
// repetition, ordered by workload, then Procs, then Concurrency, then Rep,
// in the order the Plan lists them. GOMAXPROCS is restored when Run returns,
// whatever happened. On error, Run returns the samples completed so far.
func Run(ctx context.Context, p Plan) ([]Sample, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	// Deferred, so that it also runs on the error paths and if anything
	// below panics through Run.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))

	var out []Sample
	for _, w := range p.Workloads {
		var err error
		out, err = runWorkload(ctx, p, w, out)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

func runWorkload(ctx context.Context, p Plan, w Workload, out []Sample) (_ []Sample, err error) {
	name := w.Name()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	if err := protect(func() error { return w.Setup(ctx) }); err != nil {
		return out, fmt.Errorf("benchio: %s: setup: %w", name, err)
	}
	defer func() {
		if terr := protect(w.Teardown); terr != nil && err == nil {
			err = fmt.Errorf("benchio: %s: teardown: %w", name, terr)
		}
	}()
	for _, procs := range p.Procs {
		runtime.GOMAXPROCS(procs)
		for _, conc := range p.Concurrency {
			for rep := range p.Reps {
				if err := ctx.Err(); err != nil {
					return out, err
				}
				// Warm up once per configuration: the first repetition's
				// goroutines run for Warmup before they start counting.
				warmup := time.Duration(0)
				if rep == 0 {
					warmup = p.Warmup
				}
				s, err := trial(ctx, w, conc, warmup, p.Duration)
				if err != nil {
					return out, fmt.Errorf("benchio: %s (procs=%d, concurrency=%d): %w", name, procs, conc, err)
				}
				s.Workload, s.Kind, s.Procs, s.Concurrency, s.Rep = name, w.Kind(), procs, conc, rep
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// worker is what each goroutine of a trial reports.
type worker struct {
	rec         *Recorder // WRONG: every worker of a trial points at the same Recorder
	ops         int64
	first, last time.Time // start of the first counted op, end of the last
}

// trial runs conc goroutines calling w.Op: for warmup without counting,
// then for d counting. Each goroutine has its own Recorder; they are merged
// after all goroutines have returned, so no counter is ever shared.
func trial(ctx context.Context, w Workload, conc int, warmup, d time.Duration) (Sample, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	start := time.Now()
	warmEnd, end := start.Add(warmup), start.Add(warmup+d)
	workers := make([]worker, conc)
	shared := new(Recorder)
	var wg sync.WaitGroup
	for i := range workers {
		wk := &workers[i]
		wk.rec = shared
		wg.Go(func() {
			if err := protect(func() error { return wk.run(ctx, w, warmEnd, end) }); err != nil {
				cancel(err) // the first cause wins; the others stop at their next check
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return Sample{}, err
	}

	s := Sample{PerWorker: make([]int64, conc), Latency: new(Histogram)}
	s.Ops = shared.Ops
	s.Latency.Merge(&shared.Latency)
	var first, last time.Time
	for i := range workers {
		wk := &workers[i]
		s.PerWorker[i] = wk.ops
		if wk.ops == 0 {
			continue
		}
		if first.IsZero() || wk.first.Before(first) {
			first = wk.first
		}
		if wk.last.After(last) {
			last = wk.last
		}
	}
	if s.Ops > 0 {
		s.Elapsed = last.Sub(first)
	}
	return s, nil
}

func (wk *worker) run(ctx context.Context, w Workload, warmEnd, end time.Time) error {
	now := time.Now()
	for now.Before(warmEnd) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.Op(ctx); err != nil {
			return err
		}
		now = time.Now()
	}
	// Every op that starts before end is counted, including the one that
	// finishes after it: stopping mid-op would lose work that was done.
	for now.Before(end) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if wk.ops == 0 {
			wk.first = now
		}
		t, err := wk.rec.Do(ctx, w)
		if err != nil {
			return err
		}
		wk.ops++
		now, wk.last = t, t
	}
	return nil
}

// protect runs f, turning a panic into an error wrapping ErrPanic. Without
// it, a panic in a worker goroutine would kill the whole process, and no
// deferred GOMAXPROCS restore would ever run.
func protect(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v\n%s", ErrPanic, r, debug.Stack())
		}
	}()
	return f()
}
