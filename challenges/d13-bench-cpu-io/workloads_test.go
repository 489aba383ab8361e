package benchio

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestWorkloadConstructors(t *testing.T) {
	type made struct {
		w   Workload
		err error
	}
	mk := func(w Workload, err error) made { return made{w, err} }
	good := []struct {
		name     string
		m        made
		wantName string
		wantKind Kind
	}{
		{"NewSHA256(1024)", mk(NewSHA256(1024)), "SHA256/size=1024", CPU},
		{"NewJSON(10)", mk(NewJSON(10)), "JSON/records=10", CPU},
		{"NewPipeIO(2ms, 64)", mk(NewPipeIO(2*time.Millisecond, 64)), "PipeIO/latency=2ms", IO},
		{"NewPipeIO(0, 1)", mk(NewPipeIO(0, 1)), "PipeIO/latency=0s", IO},
	}
	for _, tt := range good {
		if tt.m.err != nil || tt.m.w == nil {
			t.Errorf("%s: got (%v, %v), want a workload and nil", tt.name, tt.m.w, tt.m.err)
			continue
		}
		if got := tt.m.w.Name(); got != tt.wantName {
			t.Errorf("%s.Name(): got %q, want %q", tt.name, got, tt.wantName)
		}
		if got := tt.m.w.Kind(); got != tt.wantKind {
			t.Errorf("%s.Kind(): got %v, want %v", tt.name, got, tt.wantKind)
		}
	}
	bad := []struct {
		name string
		m    made
	}{
		{"NewSHA256(0)", mk(NewSHA256(0))},
		{"NewSHA256(-1)", mk(NewSHA256(-1))},
		{"NewJSON(0)", mk(NewJSON(0))},
		{"NewPipeIO(-1ns, 8)", mk(NewPipeIO(-1, 8))},
		{"NewPipeIO(1ms, 0)", mk(NewPipeIO(time.Millisecond, 0))},
	}
	for _, tt := range bad {
		if !errors.Is(tt.m.err, ErrInvalid) {
			t.Errorf("%s: got error %v, want one wrapping ErrInvalid", tt.name, tt.m.err)
		}
	}
	if CPU.String() != "cpu" || IO.String() != "io" {
		t.Errorf("Kind strings: got %q and %q, want \"cpu\" and \"io\"", CPU.String(), IO.String())
	}
}

// TestCPUWorkloadsConcurrentOps calls Op from several goroutines at once,
// as Run does. Under -race it fails if Op writes shared state.
func TestCPUWorkloadsConcurrentOps(t *testing.T) {
	for _, mk := range []func() (Workload, error){
		func() (Workload, error) { return NewSHA256(4096) },
		func() (Workload, error) { return NewJSON(20) },
	} {
		w, err := mk()
		if err != nil {
			t.Fatalf("constructor: got error %v, want nil", err)
		}
		t.Run(w.Name(), func(t *testing.T) {
			ctx := t.Context()
			if err := w.Op(ctx); err == nil {
				t.Errorf("Op before Setup: got nil, want an error (and no panic)")
			}
			if err := w.Setup(ctx); err != nil {
				t.Fatalf("Setup: got error %v, want nil", err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 4*20)
			for range 4 {
				wg.Go(func() {
					for range 20 {
						if err := w.Op(ctx); err != nil {
							errs <- err
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("Op: got error %v, want nil", err)
			}
			if err := w.Teardown(); err != nil {
				t.Errorf("Teardown: got error %v, want nil", err)
			}
		})
	}
}

func tstPipe(t *testing.T, latency time.Duration) Workload {
	t.Helper()
	w, err := NewPipeIO(latency, 64)
	if err != nil {
		t.Fatalf("NewPipeIO(%v, 64): got error %v, want nil", latency, err)
	}
	if err := w.Setup(t.Context()); err != nil {
		t.Fatalf("Setup: got error %v, want nil", err)
	}
	return w
}

func TestPipeIOLatency(t *testing.T) {
	tstSynctest(t, func(t *testing.T) {
		const latency = 7 * time.Millisecond
		w := tstPipe(t, latency)
		defer w.Teardown()
		ctx := tstDeadline(t, time.Minute)
		for i := range 3 {
			start := time.Now()
			if err := w.Op(ctx); err != nil {
				t.Fatalf("Op %d: got error %v, want nil", i, err)
			}
			if took := time.Since(start); took != latency {
				t.Errorf("Op %d took %v (fake clock), want exactly %v", i, took, latency)
			}
		}
	})
}

// TestPipeIOConcurrentOpsOverlap: I/O-bound work waits in parallel. Eight
// concurrent Ops must all finish one latency later, not eight latencies.
func TestPipeIOConcurrentOpsOverlap(t *testing.T) {
	tstSynctest(t, func(t *testing.T) {
		const latency = 10 * time.Millisecond
		w := tstPipe(t, latency)
		defer w.Teardown()
		ctx := tstDeadline(t, time.Minute)
		for round := range 2 { // the second round reuses pooled connections
			start := time.Now()
			var wg sync.WaitGroup
			took := make([]time.Duration, 8)
			errs := make([]error, 8)
			for i := range 8 {
				wg.Go(func() {
					errs[i] = w.Op(ctx)
					took[i] = time.Since(start)
				})
			}
			wg.Wait()
			for i := range 8 {
				if errs[i] != nil {
					t.Errorf("round %d, Op %d: got error %v, want nil", round, i, errs[i])
				} else if took[i] != latency {
					t.Errorf("round %d, Op %d finished after %v, want %v: concurrent Ops must wait in parallel", round, i, took[i], latency)
				}
			}
		}
	})
}

func TestPipeIOHonoursCtx(t *testing.T) {
	tstSynctest(t, func(t *testing.T) {
		const latency = 50 * time.Millisecond
		w := tstPipe(t, latency)
		defer w.Teardown()

		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := w.Op(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Op with a 10ms deadline and 50ms latency: got error %v, want context.DeadlineExceeded", err)
		}
		if took := time.Since(start); took != 10*time.Millisecond {
			t.Errorf("Op with a 10ms deadline returned after %v, want 10ms", took)
		}
		// The abandoned exchange must not poison later Ops: its late
		// response must never be read as another Op's.
		later := tstDeadline(t, time.Minute)
		for i := range 3 {
			start = time.Now()
			if err := w.Op(later); err != nil {
				t.Fatalf("Op %d after a cancelled one: got error %v, want nil", i, err)
			}
			if took := time.Since(start); took != latency {
				t.Errorf("Op %d after a cancelled one took %v, want %v", i, took, latency)
			}
		}
		done, cancelDone := context.WithCancel(t.Context())
		cancelDone()
		if err := w.Op(done); !errors.Is(err, context.Canceled) {
			t.Errorf("Op with a cancelled ctx: got error %v, want context.Canceled", err)
		}
	})
}

// TestPipeIOTeardown runs for real and checks with goleak that Teardown
// stops every server goroutine, including one waiting out its latency.
func TestPipeIOTeardown(t *testing.T) {
	baseline := goleak.IgnoreCurrent() // before any server goroutine exists
	w := tstPipe(t, time.Millisecond)
	ctx := tstDeadline(t, 10*time.Second)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { w.Op(ctx) })
	}
	wg.Wait()
	// Leave one exchange in flight: a server mid-latency when Teardown runs.
	slow, cancel := context.WithTimeout(ctx, 100*time.Microsecond)
	defer cancel()
	w.Op(slow)
	if err := w.Teardown(); err != nil {
		t.Errorf("Teardown: got error %v, want nil", err)
	}
	goleak.VerifyNone(t, baseline)
	if err := w.Op(ctx); err == nil {
		t.Errorf("Op after Teardown: got nil, want an error")
	}
	if err := w.Teardown(); err != nil {
		t.Errorf("second Teardown: got error %v, want nil", err)
	}
}
