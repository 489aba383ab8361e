package benchio

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// tstValues regenerates the seeded samples of the benchstat oracle tables
// (oracle_test.go, produced by _oracle/gen.go: keep the two in sync). The
// values are integers, so they are exact on every platform: untied samples
// are 2^34 + 32 random bits (+ shift), tied ones 100 + (0..11) (+ shift).
func tstValues(seed uint64, n int, tied bool, shift int64) []float64 {
	r := rand.New(rand.NewPCG(seed, 0xd13))
	xs := make([]float64, n)
	for i := range xs {
		x := r.Uint64()
		if tied {
			xs[i] = float64(100 + shift + int64(x%12))
		} else {
			xs[i] = float64(1<<34 + shift + int64(x>>32))
		}
	}
	return xs
}

// tstSummaryCase is one row of the Summarize oracle: what
// benchmath.AssumeNothing.Summary returned, and the 1-based ranks of its
// interval (0 and N+1 stand for -Inf and +Inf).
type tstSummaryCase struct {
	Seed           uint64
	N              int
	Tied           bool
	Confidence     float64
	Center, Lo, Hi float64
	Cover          float64
	LoRank, HiRank int
}

// tstCompareCase is one row of the Compare oracle: the p-value of
// benchmath.AssumeNothing.Compare for the two generated samples.
type tstCompareCase struct {
	SeedA, SeedB uint64
	N1, N2       int
	Tied         bool
	Shift        int64
	P            float64
}

var tstErrBoom = errors.New("boom")

// tstWorkload is a configurable fake Workload. Its Op sleeps OpTime (on
// the fake clock inside a synctest bubble), ignoring ctx unless
// HonourCtx is set, and records what the harness did.
type tstWorkload struct {
	name      string
	kind      Kind
	OpTime    time.Duration
	HonourCtx bool
	Spin      func() // called by every Op: real CPU work, for real-time tests

	FailAt      int64 // Op call number (1-based) that returns tstErrBoom; 0: never
	PanicAt     int64 // Op call number that panics; 0: never
	SetupErr    error
	SetupPanic  bool
	TeardownErr error

	calls           atomic.Int64
	setups          atomic.Int64
	teardowns       atomic.Int64
	opAfterTeardown atomic.Bool
	opBeforeSetup   atomic.Bool

	mu         sync.Mutex
	procsCalls map[int]int64 // Op calls by the GOMAXPROCS they saw
}

func tstNewWorkload(name string, kind Kind, opTime time.Duration) *tstWorkload {
	return &tstWorkload{name: name, kind: kind, OpTime: opTime}
}

func (w *tstWorkload) Name() string { return w.name }
func (w *tstWorkload) Kind() Kind   { return w.kind }

func (w *tstWorkload) Setup(context.Context) error {
	w.setups.Add(1)
	if w.SetupPanic {
		panic("setup exploded")
	}
	return w.SetupErr
}

func (w *tstWorkload) Teardown() error {
	w.teardowns.Add(1)
	return w.TeardownErr
}

func (w *tstWorkload) Op(ctx context.Context) error {
	n := w.calls.Add(1)
	if w.setups.Load() == 0 {
		w.opBeforeSetup.Store(true)
	}
	if w.teardowns.Load() >= w.setups.Load() {
		w.opAfterTeardown.Store(true)
	}
	procs := runtime.GOMAXPROCS(0)
	w.mu.Lock()
	if w.procsCalls == nil {
		w.procsCalls = map[int]int64{}
	}
	w.procsCalls[procs]++
	w.mu.Unlock()
	if n == w.PanicAt {
		panic(fmt.Sprintf("op %d exploded", n))
	}
	if n == w.FailAt {
		return tstErrBoom
	}
	if w.Spin != nil {
		w.Spin()
	}
	if w.OpTime <= 0 {
		return nil
	}
	if !w.HonourCtx {
		time.Sleep(w.OpTime)
		return nil
	}
	t := time.NewTimer(w.OpTime)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (w *tstWorkload) procs() map[int]int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[int]int64{}
	for k, v := range w.procsCalls {
		out[k] = v
	}
	return out
}

// tstRun runs Run in its own goroutine and waits at most limit for it
// (fake time inside a bubble), so that a harness that never returns fails
// the test instead of hanging it.
func tstRun(t *testing.T, ctx context.Context, p Plan, limit time.Duration) ([]Sample, error) {
	t.Helper()
	type result struct {
		s   []Sample
		err error
	}
	done := make(chan result, 1)
	go func() {
		s, err := Run(ctx, p)
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.s, r.err
	case <-time.After(limit):
		t.Fatalf("Run did not return within %v", limit)
		return nil, nil
	}
}

// tstSynctest runs f in a synctest bubble (fake clock) with a real-time
// watchdog. Inside a bubble, time only moves when every goroutine is
// durably blocked; a goroutine waiting for a sync.Mutex is not, so code
// that holds a mutex across a wait (one connection shared under a lock,
// say) freezes the bubble for good. The watchdog turns that hang into a
// failure with an explanation instead of a test timeout.
func tstSynctest(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	done := make(chan struct{})
	defer close(done)
	name := t.Name()
	go func() {
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			panic(name + ": no progress for 20 s of real time inside a synctest bubble. Goroutines there are " +
				"waiting on something that is not durably blocking, such as a sync.Mutex held while another " +
				"goroutine waits for I/O or a timer: that serialises work that should run in parallel.")
		}
	}()
	synctest.Test(t, f)
}

// tstDeadline bounds a wait: inside a bubble the deadline is on the fake
// clock, so a broken workload fails at once instead of deadlocking.
func tstDeadline(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// tstProcsGuard restores GOMAXPROCS after a test whatever Run did, so that
// one broken Run cannot skew the tests after it.
func tstProcsGuard(t *testing.T) int {
	t.Helper()
	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	return prev
}
