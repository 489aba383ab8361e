package benchio

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRunValidates(t *testing.T) {
	before := tstProcsGuard(t)
	w := tstNewWorkload("w", CPU, 0)
	good := func() Plan {
		return Plan{Workloads: []Workload{w}, Concurrency: []int{1}, Procs: []int{1}, Duration: time.Millisecond, Reps: 1}
	}
	tests := []struct {
		name string
		edit func(*Plan)
	}{
		{"no workloads", func(p *Plan) { p.Workloads = nil }},
		{"nil workload", func(p *Plan) { p.Workloads = []Workload{w, nil} }},
		{"empty name", func(p *Plan) { p.Workloads = []Workload{tstNewWorkload("", CPU, 0)} }},
		{"duplicate names", func(p *Plan) { p.Workloads = []Workload{w, tstNewWorkload("w", IO, 0)} }},
		{"no concurrency", func(p *Plan) { p.Concurrency = nil }},
		{"concurrency 0", func(p *Plan) { p.Concurrency = []int{1, 0} }},
		{"no procs", func(p *Plan) { p.Procs = []int{} }},
		{"procs -1", func(p *Plan) { p.Procs = []int{-1} }},
		{"negative warmup", func(p *Plan) { p.Warmup = -time.Millisecond }},
		{"zero duration", func(p *Plan) { p.Duration = 0 }},
		{"zero reps", func(p *Plan) { p.Reps = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			tt.edit(&p)
			s, err := Run(t.Context(), p)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Run: got error %v, want one wrapping ErrInvalid", err)
			}
			if len(s) != 0 {
				t.Errorf("Run: got %d samples, want none", len(s))
			}
		})
	}
	if n := w.setups.Load(); n != 0 {
		t.Errorf("invalid plans: got %d Setup calls, want 0 (validate before touching anything)", n)
	}
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after invalid plans: got %d, want %d", got, before)
	}
}

// TestRunShape runs two fake workloads whose Op takes exactly 1 ms of fake
// time, so every count is known.
func TestRunShape(t *testing.T) {
	before := tstProcsGuard(t)
	tstSynctest(t, func(t *testing.T) {
		a := tstNewWorkload("alpha", CPU, time.Millisecond)
		b := tstNewWorkload("beta", IO, time.Millisecond)
		p := Plan{
			Workloads:   []Workload{a, b},
			Procs:       []int{2, 1},
			Concurrency: []int{1, 3},
			Duration:    10 * time.Millisecond,
			Reps:        2,
		}
		samples, err := tstRun(t, t.Context(), p, time.Hour)
		if err != nil {
			t.Fatalf("Run: got error %v, want nil", err)
		}

		type key struct {
			Workload           string
			Kind               Kind
			Procs, Concurrency int
			Rep                int
		}
		var want, got []key
		for _, w := range []string{"alpha", "beta"} {
			kind := map[string]Kind{"alpha": CPU, "beta": IO}[w]
			for _, procs := range p.Procs {
				for _, c := range p.Concurrency {
					for rep := range p.Reps {
						want = append(want, key{w, kind, procs, c, rep})
					}
				}
			}
		}
		for _, s := range samples {
			got = append(got, key{s.Workload, s.Kind, s.Procs, s.Concurrency, s.Rep})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("samples: order by workload, then Procs, then Concurrency, then Rep (-want +got):\n%s", diff)
		}

		for _, s := range samples {
			name := fmt.Sprintf("%s procs=%d conc=%d rep=%d", s.Workload, s.Procs, s.Concurrency, s.Rep)
			if len(s.PerWorker) != s.Concurrency {
				t.Errorf("%s: got %d PerWorker counts, want %d (one per goroutine)", name, len(s.PerWorker), s.Concurrency)
				continue
			}
			var sum int64
			for i, n := range s.PerWorker {
				sum += n
				// 10 ms of 1 ms ops: 10 each, ±1 for how the deadline is checked.
				if n < 9 || n > 11 {
					t.Errorf("%s: goroutine %d counted %d ops, want 10 ± 1 (10 ms of 1 ms ops)", name, i, n)
				}
			}
			if sum != s.Ops {
				t.Errorf("%s: PerWorker sums to %d, want Ops = %d", name, sum, s.Ops)
			}
			if s.Elapsed < p.Duration || s.Elapsed > p.Duration+2*time.Millisecond {
				t.Errorf("%s: Elapsed %v, want %v to %v (first counted op start to last counted op end)", name, s.Elapsed, p.Duration, p.Duration+2*time.Millisecond)
			}
			if s.Latency == nil {
				t.Errorf("%s: Latency is nil, want a histogram", name)
				continue
			}
			if s.Latency.Count() != s.Ops {
				t.Errorf("%s: Latency.Count() = %d, want Ops = %d", name, s.Latency.Count(), s.Ops)
			}
			if got := s.Latency.Quantile(0.5); !tstWithin(got, time.Millisecond, 1.0/8) {
				t.Errorf("%s: median latency %v, want 1ms", name, got)
			}
			if s.Ops > 0 {
				if got, want := s.NsPerOp(), float64(s.Elapsed)/float64(s.Ops); got != want {
					t.Errorf("%s: NsPerOp() = %v, want Elapsed/Ops = %v", name, got, want)
				}
			}
		}
		// With no warm-up every Op call is counted in exactly one sample.
		for _, w := range []*tstWorkload{a, b} {
			byProcs := map[int]int64{}
			for _, s := range samples {
				if s.Workload == w.name {
					byProcs[s.Procs] += s.Ops
				}
			}
			if diff := cmp.Diff(byProcs, w.procs()); diff != "" {
				t.Errorf("%s: ops counted per GOMAXPROCS vs Op calls per GOMAXPROCS seen inside Op (-samples +calls):\n%s", w.name, diff)
			}
			if w.setups.Load() != 1 || w.teardowns.Load() != 1 {
				t.Errorf("%s: got %d Setup and %d Teardown calls, want 1 and 1", w.name, w.setups.Load(), w.teardowns.Load())
			}
			if w.opAfterTeardown.Load() || w.opBeforeSetup.Load() {
				t.Errorf("%s: Op was called outside Setup..Teardown", w.name)
			}
		}
	})
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after Run: got %d, want %d (restored)", got, before)
	}
}

func TestRunWarmupNotCounted(t *testing.T) {
	tstProcsGuard(t)
	tstSynctest(t, func(t *testing.T) {
		w := tstNewWorkload("w", IO, time.Millisecond)
		p := Plan{
			Workloads: []Workload{w}, Procs: []int{1}, Concurrency: []int{1},
			Warmup: 5 * time.Millisecond, Duration: 10 * time.Millisecond, Reps: 2,
		}
		samples, err := tstRun(t, t.Context(), p, time.Hour)
		if err != nil {
			t.Fatalf("Run: got error %v, want nil", err)
		}
		if len(samples) != 2 {
			t.Fatalf("Run: got %d samples, want 2", len(samples))
		}
		var counted int64
		for _, s := range samples {
			if s.Ops < 9 || s.Ops > 11 {
				t.Errorf("rep %d: Ops %d, want 10 ± 1 (warm-up ops are not counted)", s.Rep, s.Ops)
			}
			counted += s.Ops
		}
		// 5 warm-up ops before the first repetition only, then 10 + 10.
		if calls := w.calls.Load(); calls-counted < 4 || calls-counted > 6 {
			t.Errorf("got %d Op calls for %d counted ops, want about 5 more: one %v warm-up per configuration, before its first repetition", calls, counted, p.Warmup)
		}
	})
}

// TestRunConcurrencyScalesIO is the point of the harness: waiting scales
// with goroutines, whatever GOMAXPROCS is. Inside a synctest bubble it is
// exact.
func TestRunConcurrencyScalesIO(t *testing.T) {
	tstProcsGuard(t)
	tstSynctest(t, func(t *testing.T) {
		w := tstNewWorkload("wait", IO, 2*time.Millisecond)
		p := Plan{Workloads: []Workload{w}, Procs: []int{1, 2}, Concurrency: []int{1, 8}, Duration: 100 * time.Millisecond, Reps: 1}
		samples, err := tstRun(t, t.Context(), p, time.Hour)
		if err != nil {
			t.Fatalf("Run: got error %v, want nil", err)
		}
		tput := map[[2]int]float64{}
		for _, s := range samples {
			tput[[2]int{s.Procs, s.Concurrency}] = s.OpsPerSec()
		}
		for _, procs := range p.Procs {
			one, eight := tput[[2]int{procs, 1}], tput[[2]int{procs, 8}]
			if one < 450 || one > 550 {
				t.Errorf("procs=%d conc=1: %.0f ops/s, want about 500 (2 ms per op)", procs, one)
			}
			if ratio := eight / one; ratio < 7.5 || ratio > 8.5 {
				t.Errorf("procs=%d: 8 goroutines give %.2f× the throughput of 1, want 8×", procs, ratio)
			}
		}
	})
}

func TestRunOpErrorStopsEverything(t *testing.T) {
	before := tstProcsGuard(t)
	tstSynctest(t, func(t *testing.T) {
		w := tstNewWorkload("flaky", CPU, time.Millisecond)
		w.FailAt = 25
		p := Plan{Workloads: []Workload{w}, Procs: []int{1}, Concurrency: []int{4}, Duration: time.Minute, Reps: 3}
		start := time.Now()
		_, err := tstRun(t, t.Context(), p, time.Hour)
		if !errors.Is(err, tstErrBoom) {
			t.Fatalf("Run: got error %v, want one wrapping the Op's error", err)
		}
		if took := time.Since(start); took > 10*time.Millisecond {
			t.Errorf("Run returned %v after start, want within a few ms of the failing op (the other goroutines must stop too)", took)
		}
		if w.teardowns.Load() != 1 {
			t.Errorf("Teardown calls after an Op error: got %d, want 1", w.teardowns.Load())
		}
	})
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after a failed Run: got %d, want %d", got, before)
	}
}

func TestRunRestoresProcs(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*tstWorkload)
		wantErr   error
		teardowns int64
	}{
		{"op error", func(w *tstWorkload) { w.FailAt = 30 }, tstErrBoom, 1},
		{"op panic", func(w *tstWorkload) { w.PanicAt = 30 }, ErrPanic, 1},
		{"setup error", func(w *tstWorkload) { w.SetupErr = tstErrBoom }, tstErrBoom, 0},
		{"setup panic", func(w *tstWorkload) { w.SetupPanic = true }, ErrPanic, 0},
		{"teardown error", func(w *tstWorkload) { w.TeardownErr = tstErrBoom }, tstErrBoom, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tstProcsGuard(t)
			tstSynctest(t, func(t *testing.T) {
				ok := tstNewWorkload("ok", CPU, time.Millisecond)
				w := tstNewWorkload("bad", CPU, time.Millisecond)
				tt.edit(w)
				p := Plan{Workloads: []Workload{ok, w}, Procs: []int{before + 1, 1}, Concurrency: []int{2}, Duration: 20 * time.Millisecond, Reps: 1}
				_, err := tstRun(t, t.Context(), p, time.Hour)
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("Run: got error %v, want one wrapping %v", err, tt.wantErr)
				}
				if got := w.teardowns.Load(); got != tt.teardowns {
					t.Errorf("Teardown calls on the failing workload: got %d, want %d (Teardown follows every successful Setup)", got, tt.teardowns)
				}
				if got := ok.teardowns.Load(); got != 1 {
					t.Errorf("Teardown calls on the workload before it: got %d, want 1", got)
				}
			})
			if got := runtime.GOMAXPROCS(0); got != before {
				t.Errorf("GOMAXPROCS after Run failed with %s: got %d, want %d (restore it whatever happens)", tt.name, got, before)
			}
		})
	}
}

func TestRunCancel(t *testing.T) {
	for _, honour := range []bool{true, false} {
		t.Run(fmt.Sprintf("op honours ctx=%v", honour), func(t *testing.T) {
			before := tstProcsGuard(t)
			tstSynctest(t, func(t *testing.T) {
				// With HonourCtx an Op waits up to 1 h unless ctx ends;
				// without it each Op takes 1 ms and the harness itself
				// must notice the cancellation between ops.
				opTime := time.Millisecond
				if honour {
					opTime = time.Hour
				}
				w := tstNewWorkload("slow", IO, opTime)
				w.HonourCtx = honour
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p := Plan{Workloads: []Workload{w}, Procs: []int{1}, Concurrency: []int{4}, Duration: 10 * time.Minute, Reps: 1}
				type result struct {
					err error
					at  time.Time
				}
				done := make(chan result, 1)
				go func() {
					_, err := Run(ctx, p)
					done <- result{err, time.Now()}
				}()
				time.Sleep(5*time.Millisecond + time.Microsecond)
				cancelled := time.Now()
				cancel()
				select {
				case r := <-done:
					if !errors.Is(r.err, context.Canceled) {
						t.Errorf("Run after cancel: got error %v, want context.Canceled", r.err)
					}
					if late := r.at.Sub(cancelled); late > time.Millisecond {
						t.Errorf("Run returned %v after cancel, want at most one op (1ms) later", late)
					}
				case <-time.After(time.Hour):
					t.Fatalf("Run did not return within an hour (fake) of cancel")
				}
				if w.teardowns.Load() != 1 {
					t.Errorf("Teardown calls after cancel: got %d, want 1", w.teardowns.Load())
				}
			})
			if got := runtime.GOMAXPROCS(0); got != before {
				t.Errorf("GOMAXPROCS after a cancelled Run: got %d, want %d", got, before)
			}
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	tstProcsGuard(t)
	w := tstNewWorkload("w", CPU, 0)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	p := Plan{Workloads: []Workload{w}, Procs: []int{1}, Concurrency: []int{1}, Duration: time.Second, Reps: 1}
	_, err := tstRun(t, ctx, p, 10*time.Second)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled ctx: got error %v, want context.Canceled", err)
	}
	if n := w.calls.Load(); n != 0 {
		t.Errorf("Run with a cancelled ctx: got %d Op calls, want 0", n)
	}
}
