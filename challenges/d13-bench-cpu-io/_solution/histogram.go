package benchio

import (
	"math"
	"math/bits"
	"time"
)

// The histogram is log-linear, like HDR histograms: each power of two is
// split into subBuckets equal buckets, so a bucket's width is at most
// 1/subBuckets of its lower bound. Values below subBuckets get one bucket
// each (exact).
const (
	subBits    = 4
	subBuckets = 1 << subBits
	numBuckets = (64 - subBits + 1) * subBuckets // index of 2^63-1 is 975
)

// Histogram counts durations in fixed buckets. Record never allocates;
// Quantile is accurate to within 1/8 of the true value (this one: 1/32).
// The zero value is an empty histogram. Not safe for concurrent use.
type Histogram struct {
	counts   [numBuckets]int64
	n        int64
	min, max time.Duration
}

func bucketOf(v uint64) int {
	if v < subBuckets {
		return int(v)
	}
	e := bits.Len64(v) - 1 // v is in [2^e, 2^(e+1)), e >= subBits
	sub := (v >> (e - subBits)) & (subBuckets - 1)
	return (e-subBits+1)*subBuckets + int(sub)
}

// bucketMid is the midpoint of bucket i, the value Quantile reports.
func bucketMid(i int) uint64 {
	if i < subBuckets {
		return uint64(i)
	}
	e := i/subBuckets + subBits - 1
	sub := uint64(i % subBuckets)
	width := uint64(1) << (e - subBits)
	return (subBuckets+sub)<<(e-subBits) + width/2
}

// Record adds one duration. Negative durations count as 0.
func (h *Histogram) Record(d time.Duration) {
	d = max(d, 0)
	h.counts[bucketOf(uint64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if h.n == 0 || d > h.max {
		h.max = d
	}
	h.n++
}

// Merge adds every duration recorded in o.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if h.n == 0 || o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
}

// Count is the number of durations recorded.
func (h *Histogram) Count() int64 { return h.n }

// Min and Max are exact. Both are 0 for an empty histogram.
func (h *Histogram) Min() time.Duration { return h.min }
func (h *Histogram) Max() time.Duration { return h.max }

// Quantile estimates the q-quantile with the nearest-rank definition: the
// smallest recorded value v such that at least ⌈q·Count⌉ values are <= v.
// q <= 0 gives Min, q >= 1 gives Max, an empty histogram gives 0.
func (h *Histogram) Quantile(q float64) time.Duration {
	switch {
	case h.n == 0:
		return 0
	case q <= 0 || math.IsNaN(q):
		return h.min
	case q >= 1:
		return h.max
	}
	rank := max(int64(math.Ceil(q*float64(h.n))), 1)
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			// The midpoint may lie outside what was recorded in the
			// extreme buckets; the exact bounds are better there.
			return min(max(time.Duration(bucketMid(i)), h.min), h.max)
		}
	}
	return h.max
}
