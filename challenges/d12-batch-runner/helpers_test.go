package batch

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"
)

// Test helpers are named tst… so they cannot clash with your code.

// tstRetryable is an error that says whether it may be retried.
type tstRetryable struct {
	msg   string
	retry bool
}

func (e *tstRetryable) Error() string   { return e.msg }
func (e *tstRetryable) Retryable() bool { return e.retry }

// tstThrottled is a retryable error carrying a Retry-After.
type tstThrottled struct{ after time.Duration }

func (e *tstThrottled) Error() string             { return fmt.Sprintf("throttled: retry after %v", e.after) }
func (e *tstThrottled) RetryAfter() time.Duration { return e.after }

// tstSeq yields 0..n-1 and counts how many items were pulled.
func tstSeq(n int, pulled *int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if pulled != nil {
				*pulled++
			}
			if !yield(i) {
				return
			}
		}
	}
}

// tstGauge tracks the calls in progress and the peak.
type tstGauge struct {
	mu          sync.Mutex
	now, peak   int
	calls       int
	callTimes   []time.Duration
	sinceOrigin time.Time
}

func (g *tstGauge) enter() {
	g.mu.Lock()
	g.now++
	g.calls++
	g.peak = max(g.peak, g.now)
	if !g.sinceOrigin.IsZero() {
		g.callTimes = append(g.callTimes, time.Since(g.sinceOrigin))
	}
	g.mu.Unlock()
}

func (g *tstGauge) exit() {
	g.mu.Lock()
	g.now--
	g.mu.Unlock()
}

func (g *tstGauge) snapshot() (peak, calls int, times []time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak, g.calls, append([]time.Duration(nil), g.callTimes...)
}

// tstRun runs a batch that must not fail as a whole, or stops the test.
func tstRun[T any](t testing.TB, ctx context.Context, cfg Config, items iter.Seq[T], fn func(context.Context, T) error) []Result[T] {
	t.Helper()
	res, err := Run(ctx, cfg, items, fn)
	if err != nil {
		t.Fatalf("Run: got error %v, want nil", err)
	}
	return res
}

// tstSum returns the attempts made over all results.
func tstSum[T any](res []Result[T]) int {
	n := 0
	for _, r := range res {
		n += r.Attempts
	}
	return n
}
