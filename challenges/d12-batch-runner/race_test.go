package batch

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestConcurrentBudgetAndMetrics [race]: two batches share one budget, one
// jittered Backoff and one *Metrics, 16 workers each, on the real clock.
// Run it with -race: a token counter or a random source updated without
// synchronisation is reported here, and the totals must still add up.
func TestConcurrentBudgetAndMetrics(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 400
	}
	const ratio, minPerSec = 0.2, 20
	_, m := tstMetrics(t, "shared")
	budget := NewRetryBudget(ratio, minPerSec)
	cfg := Config{
		Concurrency: 16, MaxAttempts: 4, Budget: budget, Metrics: m,
		Backoff: FullJitter(time.Microsecond, 50*time.Microsecond, 1),
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var (
		wg      sync.WaitGroup
		results [2][]Result[int]
	)
	for b := range 2 {
		wg.Go(func() {
			// Every third item fails its first two attempts.
			var mu sync.Mutex
			attempts := make([]int, n)
			res, err := Run(ctx, cfg, tstSeq(n, nil), func(ctx context.Context, i int) error {
				mu.Lock()
				k := attempts[i]
				attempts[i]++
				mu.Unlock()
				if i%3 == 0 && k < 2 {
					return errors.New("transient")
				}
				return nil
			})
			if err != nil {
				t.Errorf("batch %d: Run: got error %v, want nil", b, err)
			}
			results[b] = res
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	total, failed := 0, 0
	for b := range 2 {
		if len(results[b]) != n {
			t.Fatalf("batch %d: got %d results, want %d", b, len(results[b]), n)
		}
		total += tstSum(results[b])
		for _, r := range results[b] {
			if r.Err != nil {
				failed++
			}
		}
	}
	if got := testutil.ToFloat64(m.Attempts); got != float64(total) {
		t.Errorf("attempts_total: got %v, want %d (the attempts in the results)", got, total)
	}
	if got := testutil.ToFloat64(m.Retries); got != float64(total-2*n) {
		t.Errorf("retries_total: got %v, want %d", got, total-2*n)
	}
	var items float64
	for _, r := range []string{"success", "failed", "budget_exhausted", "canceled"} {
		items += testutil.ToFloat64(m.Items.WithLabelValues(r))
	}
	if items != float64(2*n) {
		t.Errorf("items_total over all results: got %v, want %d", items, 2*n)
	}
	if got := testutil.ToFloat64(m.Items.WithLabelValues("success")); got != float64(2*n-failed) {
		t.Errorf(`items_total{result="success"}: got %v, want %d`, got, 2*n-failed)
	}
	if got := testutil.ToFloat64(m.InFlight); got != 0 {
		t.Errorf("in_flight_attempts after the batches: got %v, want 0", got)
	}
	retries := total - 2*n
	if bound := int(float64(2*n)*ratio) + minPerSec*(1+int(math.Ceil(elapsed.Seconds()))); retries > bound {
		t.Errorf("%d retries for %d first attempts in %v: the shared budget allows at most %d", retries, 2*n, elapsed, bound)
	}
}
