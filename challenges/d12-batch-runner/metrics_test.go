package batch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// tstMetrics creates the metrics on a fresh pedantic registry (one that
// also checks every collected metric against its description).
func tstMetrics(t testing.TB, namespace string) (*prometheus.Registry, *Metrics) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	m, err := NewMetrics(reg, namespace)
	if err != nil {
		t.Fatalf("NewMetrics(pedantic registry, %q): got error %v, want nil", namespace, err)
	}
	if m == nil {
		t.Fatalf("NewMetrics: got a nil *Metrics and a nil error")
	}
	return reg, m
}

var tstMetricNames = []string{
	"shop_batch_items_total", "shop_batch_attempts_total", "shop_batch_retries_total",
	"shop_batch_in_flight_attempts", "shop_batch_item_duration_seconds",
}

// TestMetricsGolden: a scripted batch, then the exposition compared line
// by line. Five items: "ok" succeeds at once; "flaky" fails twice and then
// succeeds (125ms + 250ms of backoff); "bad" fails with a permanent error;
// "slow" takes 2s and succeeds; "dead" fails three times (MaxAttempts).
func TestMetricsGolden(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg, m := tstMetrics(t, "shop")
		calls := map[string]int{}
		fn := func(_ context.Context, item string) error {
			// One goroutine per item: each key is touched by one goroutine.
			switch item {
			case "ok":
				return nil
			case "flaky":
				calls[item]++
				if calls[item] <= 2 {
					return errors.New("flaky")
				}
				return nil
			case "bad":
				return &tstRetryable{"bad request", false}
			case "slow":
				time.Sleep(2 * time.Second)
				return nil
			default:
				return errors.New("dead")
			}
		}
		items := func(yield func(string) bool) {
			for _, s := range []string{"ok", "flaky", "bad", "slow", "dead"} {
				if !yield(s) {
					return
				}
			}
		}
		cfg := Config{Concurrency: 5, MaxAttempts: 3, Backoff: Exponential(125*time.Millisecond, 0), Metrics: m}
		tstRun(t, context.Background(), cfg, items, fn)

		const want = `
# HELP shop_batch_attempts_total Calls made to the item function, first attempts and retries.
# TYPE shop_batch_attempts_total counter
shop_batch_attempts_total 9
# HELP shop_batch_in_flight_attempts Calls to the item function in progress.
# TYPE shop_batch_in_flight_attempts gauge
shop_batch_in_flight_attempts 0
# HELP shop_batch_item_duration_seconds Time from an item's first attempt to the end of its last, backoff included.
# TYPE shop_batch_item_duration_seconds histogram
shop_batch_item_duration_seconds_bucket{le="0.01"} 2
shop_batch_item_duration_seconds_bucket{le="0.1"} 2
shop_batch_item_duration_seconds_bucket{le="1"} 4
shop_batch_item_duration_seconds_bucket{le="10"} 5
shop_batch_item_duration_seconds_bucket{le="+Inf"} 5
shop_batch_item_duration_seconds_sum 2.75
shop_batch_item_duration_seconds_count 5
# HELP shop_batch_items_total Items finished, by result: success, failed, budget_exhausted or canceled.
# TYPE shop_batch_items_total counter
shop_batch_items_total{result="budget_exhausted"} 0
shop_batch_items_total{result="canceled"} 0
shop_batch_items_total{result="failed"} 2
shop_batch_items_total{result="success"} 3
# HELP shop_batch_retries_total Retries granted (by the retry budget, if any).
# TYPE shop_batch_retries_total counter
shop_batch_retries_total 4
`
		if err := testutil.GatherAndCompare(reg, strings.NewReader(want), tstMetricNames...); err != nil {
			t.Errorf("metrics after the scripted batch:\n%v", err)
		}
		if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
			t.Errorf("GatherAndLint: got problems %v and error %v, want none", problems, err)
		}
	})
}

// TestMetricsBudgetAndCancel: the other two results, read one series at a
// time with testutil.ToFloat64.
func TestMetricsBudgetAndCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, m := tstMetrics(t, "shop")
		fail := func(context.Context, int) error { time.Sleep(time.Millisecond); return errors.New("503") }
		// No budget at all: every retry is refused.
		cfg := Config{Concurrency: 4, MaxAttempts: 5, Backoff: Exponential(time.Millisecond, 0), Budget: NewRetryBudget(0, 0), Metrics: m}
		tstRun(t, context.Background(), cfg, tstSeq(10, nil), fail)
		if got := testutil.ToFloat64(m.Items.WithLabelValues("budget_exhausted")); got != 10 {
			t.Errorf(`items_total{result="budget_exhausted"}: got %v, want 10`, got)
		}
		if got := testutil.ToFloat64(m.Retries); got != 0 {
			t.Errorf("retries_total with an empty budget: got %v, want 0", got)
		}

		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cfg.Budget = nil
		Run(ctx, cfg, tstSeq(10, nil), fail)
		if got := testutil.ToFloat64(m.Items.WithLabelValues("canceled")); got < 1 {
			t.Errorf(`items_total{result="canceled"} after a cancelled batch: got %v, want >= 1`, got)
		}
		if got := testutil.ToFloat64(m.Attempts); got != 10 {
			t.Errorf("attempts_total: got %v, want 10 (nothing attempted in the cancelled batch)", got)
		}
		if got := testutil.ToFloat64(m.InFlight); got != 0 {
			t.Errorf("in_flight_attempts after the batches: got %v, want 0", got)
		}
	})
}

// TestMetricsDoubleRegistration: a second NewMetrics on the same registry
// reuses the registered collectors (prometheus.AlreadyRegisteredError);
// a real conflict is an error and leaves nothing half-registered.
func TestMetricsDoubleRegistration(t *testing.T) {
	reg, m1 := tstMetrics(t, "shop")
	m2, err := NewMetrics(reg, "shop")
	if err != nil {
		t.Fatalf("second NewMetrics(reg, \"shop\"): got error %v, want nil", err)
	}
	if m2.Attempts != m1.Attempts || m2.Items != m1.Items || m2.Duration != m1.Duration {
		t.Errorf("second NewMetrics: got new collectors, want the ones already registered")
	}
	ok := func(context.Context, int) error { return nil }
	tstRun(t, context.Background(), Config{Concurrency: 2, MaxAttempts: 1, Metrics: m1}, tstSeq(3, nil), ok)
	tstRun(t, context.Background(), Config{Concurrency: 2, MaxAttempts: 1, Metrics: m2}, tstSeq(4, nil), ok)
	if got := testutil.ToFloat64(m1.Attempts); got != 7 {
		t.Errorf("attempts_total after batches of 3 and 4 through two *Metrics: got %v, want 7", got)
	}
	if n, err := testutil.GatherAndCount(reg, "shop_batch_attempts_total"); err != nil || n != 1 {
		t.Errorf("shop_batch_attempts_total series: got %d (error %v), want 1", n, err)
	}
	// Another namespace on the same registry is independent.
	other, err := NewMetrics(reg, "admin")
	if err != nil {
		t.Fatalf("NewMetrics(reg, \"admin\"): got error %v, want nil", err)
	}
	if got := testutil.ToFloat64(other.Attempts); got != 0 {
		t.Errorf("admin_batch_attempts_total: got %v, want 0", got)
	}

	// A conflicting metric of another type is an error, not a reuse.
	reg2 := prometheus.NewPedanticRegistry()
	reg2.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "shop_batch_retries_total", Help: "Something else."}))
	if m, err := NewMetrics(reg2, "shop"); err == nil || m != nil {
		t.Errorf("NewMetrics over a conflicting gauge: got (%v, %v), want (nil, an error)", m, err)
	}
	for _, name := range []string{"shop_batch_items_total", "shop_batch_attempts_total", "shop_batch_in_flight_attempts"} {
		if n, err := testutil.GatherAndCount(reg2, name); err != nil || n != 0 {
			t.Errorf("after the failed NewMetrics, %s has %d series (error %v): want it unregistered", name, n, err)
		}
	}
	if _, err := NewMetrics(nil, "shop"); !errors.Is(err, ErrInvalid) {
		t.Errorf("NewMetrics(nil, ...): got error %v, want ErrInvalid", err)
	}
}
