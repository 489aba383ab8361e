package batch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Hidden tests: run against the reference solution only, so that the
// shipped tests cannot be passed by hard-coding their shapes.

func TestHoldoutExponentialOtherParams(t *testing.T) {
	const ms = time.Millisecond
	b := Exponential(3*ms, 50*ms)
	var got []time.Duration
	for a := 1; a <= 7; a++ {
		got = append(got, b.Next(a, 0))
	}
	if diff := cmp.Diff([]time.Duration{3 * ms, 6 * ms, 12 * ms, 24 * ms, 48 * ms, 50 * ms, 50 * ms}, got); diff != "" {
		t.Errorf("Exponential(3ms, 50ms) (-want +got):\n%s", diff)
	}
	d := DecorrelatedJitter(7*ms, 0, 11)
	prev := time.Duration(0)
	for range 200 {
		next := d.Next(1, prev)
		if next < 7*ms || next > 3*max(prev, 7*ms) {
			t.Fatalf("DecorrelatedJitter(7ms, 0).Next(_, %v) = %v, out of [7ms, %v]", prev, next, 3*max(prev, 7*ms))
		}
		prev = next
	}
}

func TestHoldoutCappedBackoffTiming(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		calls := 0
		res := tstRun(t, context.Background(), Config{Concurrency: 3, MaxAttempts: 6, Backoff: Exponential(40*time.Millisecond, 100*time.Millisecond)},
			tstSeq(1, nil), func(context.Context, int) error {
				calls++
				if calls <= 3 {
					return errors.New("flaky")
				}
				return nil
			})
		if got := time.Since(start); got != 220*time.Millisecond || res[0].Attempts != 4 {
			t.Errorf("3 failures under Exponential(40ms, 100ms): finished after %v with %d attempts, want 220ms and 4", got, res[0].Attempts)
		}
	})
}

func TestHoldoutRetryAfterBeatsJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		calls := 0
		tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 2, Backoff: FullJitter(100*time.Millisecond, 0, 9)},
			tstSeq(1, nil), func(context.Context, int) error {
				calls++
				if calls == 1 {
					return &tstThrottled{time.Second}
				}
				return nil
			})
		if got := time.Since(start); got != time.Second {
			t.Errorf("Retry-After 1s with a jittered backoff under 100ms: finished after %v, want 1s", got)
		}
	})
}

// TestHoldoutScriptedStrings: string items, scripted failures, results in
// order with the right attempt counts.
func TestHoldoutScriptedStrings(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		seen := map[string]int{}
		var names []string
		for i := range 60 {
			names = append(names, fmt.Sprintf("item-%02d", i))
		}
		items := func(yield func(string) bool) {
			for _, s := range names {
				if !yield(s) {
					return
				}
			}
		}
		failures := func(s string) int { return int(s[len(s)-1]-'0') % 4 } // 0..3 failures
		res := tstRun(t, context.Background(), Config{Concurrency: 3, MaxAttempts: 3, Backoff: Exponential(time.Millisecond, 0)},
			items, func(_ context.Context, s string) error {
				mu.Lock()
				seen[s]++
				n := seen[s]
				mu.Unlock()
				time.Sleep(time.Duration(len(s)%5) * time.Millisecond)
				if n <= failures(s) {
					return &tstRetryable{"again", true}
				}
				return nil
			})
		for i, r := range res {
			f := failures(names[i])
			wantAttempts, wantErr := f+1, false
			if f >= 3 {
				wantAttempts, wantErr = 3, true
			}
			if r.Item != names[i] || r.Attempts != wantAttempts || (r.Err != nil) != wantErr {
				t.Errorf("result %d: got %+v, want item %s, %d attempts, error: %v", i, r, names[i], wantAttempts, wantErr)
			}
		}
	})
}

// TestHoldoutPermanentDeadline: a Retryable(false) error wins over the
// deadline it wraps.
func TestHoldoutPermanentDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		res := tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 5, Backoff: Exponential(time.Millisecond, 0), ItemTimeout: 10 * time.Millisecond},
			tstSeq(1, nil), func(ctx context.Context, _ int) error {
				calls++
				<-ctx.Done()
				return fmt.Errorf("%w: %w", &tstRetryable{"gave up", false}, ctx.Err())
			})
		if calls != 1 || !errors.Is(res[0].Err, context.DeadlineExceeded) {
			t.Errorf("got %d calls and Err %v, want 1 call and an Err wrapping context.DeadlineExceeded", calls, res[0].Err)
		}
	})
}

func TestHoldoutConcurrencyAboveItems(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g tstGauge
		tstRun(t, context.Background(), Config{Concurrency: 100, MaxAttempts: 1}, tstSeq(50, nil), func(context.Context, int) error {
			g.enter()
			defer g.exit()
			time.Sleep(time.Millisecond)
			return nil
		})
		if peak, calls, _ := g.snapshot(); peak != 50 || calls != 50 {
			t.Errorf("50 items with Concurrency 100: peak %d, calls %d, want 50 and 50", peak, calls)
		}
	})
}

func TestHoldoutMetricsGoldenBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg, m := tstMetrics(t, "ingest")
		cfg := Config{Concurrency: 1, MaxAttempts: 3, Backoff: Exponential(250*time.Millisecond, 0), Budget: NewRetryBudget(0, 1), Metrics: m}
		tstRun(t, context.Background(), cfg, tstSeq(3, nil), func(context.Context, int) error { return errors.New("down") })
		const want = `
# HELP ingest_batch_attempts_total Calls made to the item function, first attempts and retries.
# TYPE ingest_batch_attempts_total counter
ingest_batch_attempts_total 4
# HELP ingest_batch_item_duration_seconds Time from an item's first attempt to the end of its last, backoff included.
# TYPE ingest_batch_item_duration_seconds histogram
ingest_batch_item_duration_seconds_bucket{le="0.01"} 2
ingest_batch_item_duration_seconds_bucket{le="0.1"} 2
ingest_batch_item_duration_seconds_bucket{le="1"} 3
ingest_batch_item_duration_seconds_bucket{le="10"} 3
ingest_batch_item_duration_seconds_bucket{le="+Inf"} 3
ingest_batch_item_duration_seconds_sum 0.25
ingest_batch_item_duration_seconds_count 3
# HELP ingest_batch_items_total Items finished, by result: success, failed, budget_exhausted or canceled.
# TYPE ingest_batch_items_total counter
ingest_batch_items_total{result="budget_exhausted"} 3
ingest_batch_items_total{result="canceled"} 0
ingest_batch_items_total{result="failed"} 0
ingest_batch_items_total{result="success"} 0
# HELP ingest_batch_retries_total Retries granted (by the retry budget, if any).
# TYPE ingest_batch_retries_total counter
ingest_batch_retries_total 1
`
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "ingest_batch_attempts_total", "ingest_batch_item_duration_seconds", "ingest_batch_items_total", "ingest_batch_retries_total"); err != nil {
			t.Errorf("metrics:\n%v", err)
		}
	})
}
