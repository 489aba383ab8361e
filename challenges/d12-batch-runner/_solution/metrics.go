package batch

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

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

	// The four children of Items, resolved once: WithLabelValues on
	// every item would cost a lookup and an allocation.
	success, failed, budget, canceled prometheus.Counter
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
	if reg == nil {
		return nil, fmt.Errorf("%w: nil Registerer", ErrInvalid)
	}
	m := newCollectors(namespace)
	var registered []prometheus.Collector
	fail := func(err error) (*Metrics, error) {
		for _, c := range registered {
			reg.Unregister(c)
		}
		return nil, fmt.Errorf("batch: registering metrics: %w", err)
	}
	var err error
	if m.Items, err = register(reg, m.Items, &registered); err != nil {
		return fail(err)
	}
	if m.Attempts, err = register(reg, m.Attempts, &registered); err != nil {
		return fail(err)
	}
	if m.Retries, err = register(reg, m.Retries, &registered); err != nil {
		return fail(err)
	}
	if m.InFlight, err = register(reg, m.InFlight, &registered); err != nil {
		return fail(err)
	}
	if m.Duration, err = register(reg, m.Duration, &registered); err != nil {
		return fail(err)
	}
	// Resolving the children also makes every result show up at 0 before
	// it first happens, which is what alerting rules want.
	m.success = m.Items.WithLabelValues(outcomeSuccess)
	m.failed = m.Items.WithLabelValues(outcomeFailed)
	m.budget = m.Items.WithLabelValues(outcomeBudget)
	m.canceled = m.Items.WithLabelValues(outcomeCanceled)
	return m, nil
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

// register registers c, or returns the collector already registered in
// its place if it has the same type.
func register[C prometheus.Collector](reg prometheus.Registerer, c C, registered *[]prometheus.Collector) (C, error) {
	err := reg.Register(c)
	if err == nil {
		*registered = append(*registered, c)
		return c, nil
	}
	if are, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
		err = fmt.Errorf("%w (as a %T, not a %T)", err, are.ExistingCollector, c)
	}
	return c, err
}

func (m *Metrics) start() {
	if m != nil {
		m.Attempts.Inc()
		m.InFlight.Inc()
	}
}

func (m *Metrics) end() {
	if m != nil {
		m.InFlight.Dec()
	}
}

func (m *Metrics) retry() {
	if m != nil {
		m.Retries.Inc()
	}
}

// finish counts a finished item.
func finish[T any](m *Metrics, outcome string, r *Result[T]) {
	if m == nil {
		return
	}
	switch outcome {
	case outcomeSuccess:
		m.success.Inc()
	case outcomeFailed:
		m.failed.Inc()
	case outcomeBudget:
		m.budget.Inc()
	default:
		m.canceled.Inc()
	}
	if r.Attempts > 0 {
		m.Duration.Observe(r.Elapsed.Seconds())
	}
}
