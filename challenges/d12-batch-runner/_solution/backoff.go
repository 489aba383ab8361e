// Package batch runs large batches of calls to an unreliable service with
// bounded concurrency, pluggable backoff, retry classification through
// error interfaces, a retry budget against retry storms, per-attempt
// deadlines, ordered results and Prometheus metrics. See README.md.
package batch

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// Backoff is a retry delay policy.
type Backoff interface {
	// Next returns the delay before the next attempt, given the number of
	// attempts made so far (1 after the first failure) and the previous
	// delay (0 before the first retry). It never returns a negative delay.
	Next(attempt int, prev time.Duration) time.Duration
}

// Retryable is implemented by errors that know whether the call that
// returned them may be retried.
type Retryable interface{ Retryable() bool }

// RetryAfter is implemented by errors that say how long to wait before
// the next attempt (an HTTP 429 or 503 with a Retry-After header).
type RetryAfter interface{ RetryAfter() time.Duration }

// Exponential returns base·2^(attempt-1), capped at limit (limit <= 0: no
// cap). It saturates instead of overflowing: the delay never goes negative.
// An attempt below 1 counts as 1; a base <= 0 gives 0.
func Exponential(base, limit time.Duration) Backoff {
	return exponential{base: base, limit: limit}
}

type exponential struct{ base, limit time.Duration }

func (e exponential) Next(attempt int, _ time.Duration) time.Duration {
	return expDelay(e.base, e.limit, attempt)
}

// expDelay is base<<(attempt-1), saturating at math.MaxInt64, then capped.
func expDelay(base, limit time.Duration, attempt int) time.Duration {
	if base <= 0 {
		return 0
	}
	shift := max(attempt, 1) - 1
	d := time.Duration(math.MaxInt64)
	if shift < 63 && base <= math.MaxInt64>>shift {
		d = base << shift
	}
	if limit > 0 && d > limit {
		d = limit
	}
	return d
}

// FullJitter returns a uniformly random delay in [0, Exponential(base,
// limit).Next(attempt)] ("full jitter"). Its random source is seeded with
// seed, so the sequence of delays it returns is reproducible. Safe for
// concurrent use.
func FullJitter(base, limit time.Duration, seed uint64) Backoff {
	return &fullJitter{base: base, limit: limit, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

type fullJitter struct {
	base, limit time.Duration
	mu          sync.Mutex // rand.Rand is not safe for concurrent use
	r           *rand.Rand
}

func (j *fullJitter) Next(attempt int, _ time.Duration) time.Duration {
	e := expDelay(j.base, j.limit, attempt)
	if e <= 0 {
		return 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if e == math.MaxInt64 {
		return time.Duration(j.r.Int64N(math.MaxInt64))
	}
	return time.Duration(j.r.Int64N(int64(e) + 1))
}

// DecorrelatedJitter returns a uniformly random delay in [base, 3·prev]
// (prev below base counts as base), capped at limit (limit <= 0: no cap):
// "decorrelated jitter". Seeded and safe for concurrent use like
// FullJitter; a base <= 0 gives 0.
func DecorrelatedJitter(base, limit time.Duration, seed uint64) Backoff {
	return &decorrelatedJitter{base: base, limit: limit, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

type decorrelatedJitter struct {
	base, limit time.Duration
	mu          sync.Mutex
	r           *rand.Rand
}

func (j *decorrelatedJitter) Next(_ int, prev time.Duration) time.Duration {
	if j.base <= 0 {
		return 0
	}
	p := max(prev, j.base)
	hi := time.Duration(math.MaxInt64)
	if p <= math.MaxInt64/3 {
		hi = 3 * p
	}
	j.mu.Lock()
	// hi - base < MaxInt64 because base >= 1, so the +1 cannot overflow.
	d := j.base + time.Duration(j.r.Int64N(int64(hi-j.base)+1))
	j.mu.Unlock()
	if j.limit > 0 && d > j.limit {
		d = j.limit
	}
	return d
}
