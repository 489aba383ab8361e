package batch

// WRONG SOLUTION (deadline-not-retried): every context error is final, including an attempt that hit its own ItemTimeout)

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"golang.org/x/sync/errgroup"
)

// ErrNotImplemented is returned by the starter's stubs.
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

func (c *Config) validate() error {
	switch {
	case c.Concurrency < 1:
		return fmt.Errorf("%w: Concurrency %d, want >= 1", ErrInvalid, c.Concurrency)
	case c.MaxAttempts < 1:
		return fmt.Errorf("%w: MaxAttempts %d, want >= 1", ErrInvalid, c.MaxAttempts)
	case c.MaxAttempts > 1 && c.Backoff == nil:
		return fmt.Errorf("%w: MaxAttempts %d needs a Backoff", ErrInvalid, c.MaxAttempts)
	case c.ItemTimeout < 0:
		return fmt.Errorf("%w: negative ItemTimeout %v", ErrInvalid, c.ItemTimeout)
	case c.Budget != nil:
		return c.Budget.validate()
	}
	return nil
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
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if items == nil || fn == nil {
		return nil, fmt.Errorf("%w: nil items or fn", ErrInvalid)
	}
	var (
		g     errgroup.Group
		store resultStore[T]
	)
	g.SetLimit(cfg.Concurrency)
	for item := range items {
		r := store.add(item)
		if err := ctx.Err(); err != nil {
			r.Err = err
			finish(cfg.Metrics, outcomeCanceled, r)
			break
		}
		// Go blocks while Concurrency items are in progress: the loop pulls
		// items no faster than they are processed.
		g.Go(func() error {
			process(ctx, &cfg, fn, r)
			return nil
		})
	}
	g.Wait()
	results := store.all()
	if ctx.Err() != nil {
		return results, context.Cause(ctx)
	}
	return results, nil
}

// process runs one item to completion and fills r.
func process[T any](ctx context.Context, cfg *Config, fn func(context.Context, T) error, r *Result[T]) {
	start := time.Now()
	outcome := outcomeFailed
	defer func() {
		r.Elapsed = time.Since(start)
		finish(cfg.Metrics, outcome, r)
	}()
	if err := ctx.Err(); err != nil {
		r.Err, outcome = err, outcomeCanceled
		return
	}
	if cfg.Budget != nil {
		cfg.Budget.Deposit()
	}
	var delay time.Duration
	for {
		r.Attempts++
		err := attempt(ctx, cfg, fn, r.Item)
		if err == nil {
			r.Err, outcome = nil, outcomeSuccess
			return
		}
		r.Err = err
		switch {
		case ctx.Err() != nil:
			outcome = outcomeCanceled
			return
		case r.Attempts >= cfg.MaxAttempts || !retryable(err):
			return
		}
		delay = cfg.Backoff.Next(r.Attempts, delay)
		var ra RetryAfter
		if errors.As(err, &ra) {
			delay = max(delay, ra.RetryAfter())
		}
		if cfg.Budget != nil && !cfg.Budget.Withdraw() {
			r.Err, outcome = fmt.Errorf("%w: %w", ErrBudget, err), outcomeBudget
			return
		}
		cfg.Metrics.retry()
		if !sleep(ctx, delay) {
			r.Err, outcome = ctx.Err(), outcomeCanceled
			return
		}
	}
}

// attempt makes one call, under ItemTimeout if set.
func attempt[T any](ctx context.Context, cfg *Config, fn func(context.Context, T) error, item T) error {
	if cfg.ItemTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.ItemTimeout)
		defer cancel()
	}
	cfg.Metrics.start()
	defer cfg.Metrics.end()
	return fn(ctx, item)
}

// retryable classifies an error once the batch's ctx is known to be alive.
func retryable(err error) bool {
	var r Retryable
	if errors.As(err, &r) {
		return r.Retryable()
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return false // "context errors mean someone gave up"
	}
	// A deadline here is the attempt's own ItemTimeout: worth another try.
	// Anything else unknown is presumed transient.
	return true
}

// sleep waits d, or less if ctx ends first (then it returns false).
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// resultStore hands out stable pointers to results: items are appended by
// the loop while workers fill earlier ones, so a single growing slice
// (which append may move) would race. Chunks never move.
type resultStore[T any] struct {
	chunks [][]Result[T]
	n      int
}

func (s *resultStore[T]) add(item T) *Result[T] {
	last := len(s.chunks) - 1
	if last < 0 || len(s.chunks[last]) == cap(s.chunks[last]) {
		size := 16
		if last >= 0 {
			size = min(2*cap(s.chunks[last]), 4096)
		}
		s.chunks = append(s.chunks, make([]Result[T], 0, size))
		last++
	}
	s.chunks[last] = append(s.chunks[last], Result[T]{Item: item})
	s.n++
	return &s.chunks[last][len(s.chunks[last])-1]
}

func (s *resultStore[T]) all() []Result[T] {
	if s.n == 0 {
		return []Result[T]{}
	}
	out := make([]Result[T], 0, s.n)
	for _, c := range s.chunks {
		out = append(out, c...)
	}
	return out
}
