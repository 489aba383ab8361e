package batch

import (
	"context"
	"errors"
	"iter"
	"time"
)

// ErrNotImplemented is returned by the stubs below. Delete it when done.
var ErrNotImplemented = errors.New("batch: not implemented")

var (
	// ErrInvalid is wrapped by every error about a bad argument.
	ErrInvalid = errors.New("batch: invalid argument")
	// ErrBudget is wrapped, with the last attempt's error, in the Err of an
	// item whose retry the RetryBudget refused.
	ErrBudget = errors.New("batch: retry budget exhausted")
)

// Config configures Run.
type Config struct {
	Concurrency int           // items in progress at once, >= 1
	MaxAttempts int           // attempts per item, first one included, >= 1
	Backoff     Backoff       // the delay before each retry; required if MaxAttempts > 1
	Budget      *RetryBudget  // optional: caps retries across items (and batches sharing it)
	ItemTimeout time.Duration // > 0: each attempt's ctx ends after this long
	Metrics     *Metrics      // optional
}

// Result is the fate of one item.
type Result[T any] struct {
	Item     T
	Attempts int           // calls made to fn; 0 if ctx ended before the first
	Err      error         // nil on success, else the last attempt's error (see Run)
	Elapsed  time.Duration // from the first attempt to the last one's end, backoff included
}

// Run calls fn for every item, at most cfg.Concurrency at a time, retrying
// failures, and returns one Result per item it took from items, in the
// order it took them.
//
// After a failed attempt, the item is retried when all of these hold: the
// batch's ctx is not done; the error is retryable (an error in its chain
// implementing Retryable decides; otherwise an attempt that hit
// ItemTimeout is retryable, and so is any other error); fewer than
// MaxAttempts attempts were made; and the budget, if any, grants a
// withdrawal (if not, Err wraps ErrBudget and the error). The delay is
// Backoff.Next(attempts, previous delay), or the error's RetryAfter if that
// is longer; ctx ending cuts it short.
//
// If ctx ends, Run takes no more items, running attempts see it through
// their ctx, no item is retried, and Run returns the results so far with
// context.Cause(ctx). An item taken after ctx ended is not attempted. Per
// item errors are in the results; Run's own error is about the batch:
// ErrInvalid for a bad argument, or ctx's.
func Run[T any](ctx context.Context, cfg Config, items iter.Seq[T], fn func(context.Context, T) error) ([]Result[T], error) {
	// TODO: validate; an errgroup.Group (golang.org/x/sync/errgroup) with
	// SetLimit(cfg.Concurrency); results written by index (careful: a
	// slice that grows while workers write into it races); retries that
	// wait in a select with ctx.Done().
	return nil, ErrNotImplemented
}
