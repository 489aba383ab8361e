package benchio

import "time"

// Histogram counts durations in fixed buckets. Record never allocates;
// Quantile is accurate to within 1/8 of the true value. The zero value is
// an empty histogram. Not safe for concurrent use.
type Histogram struct {
	// TODO: fixed-size state only (an array, not a slice or a map), so that
	// Record never allocates and the zero value works.
}

// Record adds one duration. Negative durations count as 0.
func (h *Histogram) Record(d time.Duration) {
	// TODO
}

// Merge adds every duration recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	// TODO
}

// Count is the number of durations recorded.
func (h *Histogram) Count() int64 {
	// TODO
	return 0
}

// Min and Max are exact. Both are 0 for an empty histogram.
func (h *Histogram) Min() time.Duration {
	// TODO
	return 0
}

func (h *Histogram) Max() time.Duration {
	// TODO
	return 0
}

// Quantile estimates the q-quantile with the nearest-rank definition: the
// smallest recorded value v such that at least ⌈q·Count⌉ values are <= v.
// q <= 0 gives Min, q >= 1 gives Max, an empty histogram gives 0.
func (h *Histogram) Quantile(q float64) time.Duration {
	// TODO
	return 0
}
