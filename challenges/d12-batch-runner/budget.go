package batch

// RetryBudget caps retries at a fraction of first attempts, so that a
// failing dependency sees at most (1 + ratio) times its normal traffic,
// plus a small reserve of minPerSec retries per second that is always
// available. Share one budget between the batches that call the same
// dependency. Safe for concurrent use.
type RetryBudget struct {
	// TODO: the parameters, a lock, the tokens earned by first attempts,
	// the time-based reserve and when it was last refilled.
}

// NewRetryBudget returns a budget where each first attempt deposits ratio
// of a retry and each retry withdraws one, plus a reserve refilling at
// minPerSec retries per second (full at creation, holding at most
// minPerSec). Run rejects a budget with a negative or NaN ratio or a
// negative minPerSec.
func NewRetryBudget(ratio float64, minPerSec int) *RetryBudget {
	// TODO
	return &RetryBudget{}
}

// Deposit credits the budget for one first attempt.
func (b *RetryBudget) Deposit() {
	// TODO
}

// Withdraw takes one retry token, from the deposits first, then from the
// reserve. It reports false, taking nothing, when neither holds a whole
// token. Ten deposits at ratio 0.1 make exactly one token.
func (b *RetryBudget) Withdraw() bool {
	// TODO
	return false
}
