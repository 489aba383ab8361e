// Package batch runs large batches of calls to an unreliable service with
// bounded concurrency, pluggable backoff, retry classification through
// error interfaces, a retry budget against retry storms, per-attempt
// deadlines, ordered results and Prometheus metrics. See README.md.
package batch

import "time"

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
	// TODO
	return todoBackoff{}
}

// FullJitter returns a uniformly random delay in [0, Exponential(base,
// limit).Next(attempt)] ("full jitter"). Its random source is seeded with
// seed, so the sequence of delays it returns is reproducible. Safe for
// concurrent use.
func FullJitter(base, limit time.Duration, seed uint64) Backoff {
	// TODO: math/rand/v2 with a PCG source built from seed.
	return todoBackoff{}
}

// DecorrelatedJitter returns a uniformly random delay in [base, 3·prev]
// (prev below base counts as base), capped at limit (limit <= 0: no cap):
// "decorrelated jitter". Seeded and safe for concurrent use like
// FullJitter; a base <= 0 gives 0.
func DecorrelatedJitter(base, limit time.Duration, seed uint64) Backoff {
	// TODO
	return todoBackoff{}
}

// todoBackoff stands in for the Backoffs you will write. Delete it.
type todoBackoff struct{}

func (todoBackoff) Next(int, time.Duration) time.Duration { return 0 }
