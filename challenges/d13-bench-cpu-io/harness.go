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
	// TODO
	return 0
}

// OpsPerSec is the throughput, Ops / Elapsed. 0 when Elapsed is 0.
func (s Sample) OpsPerSec() float64 {
	// TODO
	return 0
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
	// TODO: two clock reads around w.Op, nothing that allocates.
	return time.Time{}, ErrNotImplemented
}

// Run measures every configuration of p and returns one Sample per
// repetition, ordered by workload, then Procs, then Concurrency, then Rep,
// in the order the Plan lists them. GOMAXPROCS is restored when Run returns,
// whatever happened. On error, Run returns the samples completed so far.
//
// See the README for the rules: validation, when Setup and Teardown run,
// warm-up, which ops are counted, errors, panics and cancellation.
func Run(ctx context.Context, p Plan) ([]Sample, error) {
	// TODO: validate p; for each workload: Setup, then for each Procs value
	// set GOMAXPROCS, then for each Concurrency value run Reps trials of
	// Concurrency goroutines, each with its own Recorder; Teardown.
	return nil, ErrNotImplemented
}
