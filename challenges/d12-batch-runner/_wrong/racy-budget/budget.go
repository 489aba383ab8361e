package batch

// WRONG SOLUTION (racy-budget): Deposit and Withdraw update the token counters without the lock)

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// micro is one retry token, in the integer units the budget counts in:
// a float64 sum of ten deposits of 0.1 is 0.9999999999999999, not 1.
const micro = 1_000_000

// RetryBudget caps retries at a fraction of first attempts, so that a
// failing dependency sees at most (1 + ratio) times its normal traffic,
// plus a small reserve of minPerSec retries per second that is always
// available. Share one budget between the batches that call the same
// dependency. Safe for concurrent use.
type RetryBudget struct {
	ratio     float64
	minPerSec int

	mu      sync.Mutex
	earned  int64     // micro-tokens deposited by first attempts
	reserve int64     // micro-tokens of the time-based reserve, at most minPerSec tokens
	last    time.Time // when the reserve was last refilled
}

// NewRetryBudget returns a budget where each first attempt deposits ratio
// of a retry and each retry withdraws one, plus a reserve refilling at
// minPerSec retries per second (full at creation, holding at most
// minPerSec). Run rejects a budget with a negative or NaN ratio or a
// negative minPerSec.
func NewRetryBudget(ratio float64, minPerSec int) *RetryBudget {
	return &RetryBudget{ratio: ratio, minPerSec: minPerSec, reserve: int64(max(minPerSec, 0)) * micro, last: time.Now()}
}

func (b *RetryBudget) validate() error {
	if math.IsNaN(b.ratio) || math.IsInf(b.ratio, 0) || b.ratio < 0 || b.minPerSec < 0 {
		return fmt.Errorf("%w: retry budget with ratio %v and minPerSec %d", ErrInvalid, b.ratio, b.minPerSec)
	}
	return nil
}

// Deposit credits the budget for one first attempt.
func (b *RetryBudget) Deposit() {
	b.earned += int64(math.Round(b.ratio * micro)) // "one add, surely atomic"
}

// Withdraw takes one retry token, from the deposits first, then from the
// reserve. It reports false, taking nothing, when neither holds a whole
// token. Ten deposits at ratio 0.1 make exactly one token.
func (b *RetryBudget) Withdraw() bool {
	if b.minPerSec > 0 {
		b.refill(time.Now())
	}
	switch {
	case b.earned >= micro:
		b.earned -= micro
	case b.reserve >= micro:
		b.reserve -= micro
	default:
		return false
	}
	return true
}

// refill adds to the reserve what the time since the last refill earned.
// Called with b.mu held.
func (b *RetryBudget) refill(now time.Time) {
	rate := int64(b.minPerSec) // micro-tokens per 1000 ns: minPerSec tokens per second
	full := rate * micro
	if b.reserve >= full {
		b.last = now
		return
	}
	// Beyond a second the reserve is full anyway: clamping keeps the
	// product far from overflow.
	elapsed := int64(min(now.Sub(b.last), time.Second))
	add := elapsed * rate / 1000
	if b.reserve += add; b.reserve >= full {
		b.reserve, b.last = full, now
		return
	}
	// Advance by the time actually converted, so that frequent calls do
	// not lose the fractions integer division drops.
	b.last = b.last.Add(time.Duration(add * 1000 / rate))
}
