package batch

import "github.com/prometheus/client_golang/prometheus"

// The values of the `result` label of <namespace>_batch_items_total.
const (
	outcomeSuccess  = "success"          // fn returned nil
	outcomeFailed   = "failed"           // not retryable, or MaxAttempts reached
	outcomeBudget   = "budget_exhausted" // the RetryBudget refused a retry
	outcomeCanceled = "canceled"         // the batch's ctx ended
)

// Metrics are the Prometheus metrics of Run. A nil *Metrics records
// nothing. The collectors are exported so that you can read them (tests do,
// with testutil.ToFloat64) or add them to dashboards; do not write them.
type Metrics struct {
	Items    *prometheus.CounterVec // <ns>_batch_items_total{result}: items finished
	Attempts prometheus.Counter     // <ns>_batch_attempts_total: calls to fn
	Retries  prometheus.Counter     // <ns>_batch_retries_total: retries granted
	InFlight prometheus.Gauge       // <ns>_batch_in_flight_attempts: calls to fn in progress
	Duration prometheus.Histogram   // <ns>_batch_item_duration_seconds: Result.Elapsed of attempted items

	// TODO: anything else you need.
}

// DurationBuckets are the buckets of <ns>_batch_item_duration_seconds.
func DurationBuckets() []float64 { return []float64{0.01, 0.1, 1, 10} }

// NewMetrics creates the metrics under namespace and registers them with
// reg. If reg already holds them (a second NewMetrics with the same
// namespace), the registered collectors are reused, so both *Metrics count
// into the same series. Any other registration error is returned, and the
// collectors this call registered are unregistered. A nil reg is an error
// wrapping ErrInvalid.
func NewMetrics(reg prometheus.Registerer, namespace string) (*Metrics, error) {
	// TODO: register each collector of newCollectors(namespace); on a
	// prometheus.AlreadyRegisteredError, use its ExistingCollector.
	return nil, ErrNotImplemented
}

// newCollectors creates (without registering) the collectors with the
// names, help strings and buckets the tests expect. Use it as it is.
func newCollectors(namespace string) *Metrics {
	return &Metrics{
		Items: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "batch", Name: "items_total",
			Help: "Items finished, by result: success, failed, budget_exhausted or canceled.",
		}, []string{"result"}),
		Attempts: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "batch", Name: "attempts_total",
			Help: "Calls made to the item function, first attempts and retries.",
		}),
		Retries: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "batch", Name: "retries_total",
			Help: "Retries granted (by the retry budget, if any).",
		}),
		InFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "batch", Name: "in_flight_attempts",
			Help: "Calls to the item function in progress.",
		}),
		Duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "batch", Name: "item_duration_seconds",
			Help:    "Time from an item's first attempt to the end of its last, backoff included.",
			Buckets: DurationBuckets(),
		}),
	}
}
