package batch

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Timing tests run inside testing/synctest: the clock is fake and jumps
// when every goroutine of the bubble is blocked, so backoff sleeps cost no
// real time and every duration below is exact.

// TestResultsInInputOrder: items finish out of order; results come back in
// the order the items were taken, and Concurrency bounds the calls in
// progress (and is reached).
func TestResultsInInputOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g tstGauge
		fn := func(ctx context.Context, i int) error {
			g.enter()
			defer g.exit()
			time.Sleep(time.Duration((i*37)%11) * time.Millisecond)
			return nil
		}
		res := tstRun(t, context.Background(), Config{Concurrency: 7, MaxAttempts: 1}, tstSeq(200, nil), fn)
		if len(res) != 200 {
			t.Fatalf("Run over 200 items: got %d results, want 200", len(res))
		}
		for i, r := range res {
			want := Result[int]{Item: i, Attempts: 1, Elapsed: time.Duration((i*37)%11) * time.Millisecond}
			if diff := cmp.Diff(want, r); diff != "" {
				t.Errorf("result %d (-want +got):\n%s", i, diff)
				break
			}
		}
		if peak, calls, _ := g.snapshot(); peak != 7 || calls != 200 {
			t.Errorf("got %d calls with at most %d in progress, want 200 with at most 7 (and 7 reached)", calls, peak)
		}
	})
}

func TestConcurrencyOneIsSequential(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var g tstGauge
		start := time.Now()
		tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 1}, tstSeq(10, nil), func(ctx context.Context, i int) error {
			g.enter()
			defer g.exit()
			time.Sleep(10 * time.Millisecond)
			return nil
		})
		if peak, _, _ := g.snapshot(); peak != 1 {
			t.Errorf("Concurrency 1: got %d calls in progress at once, want 1", peak)
		}
		if got := time.Since(start); got != 100*time.Millisecond {
			t.Errorf("10 sequential 10ms items took %v, want 100ms", got)
		}
	})
}

func TestEmptyBatch(t *testing.T) {
	res, err := Run(context.Background(), Config{Concurrency: 3, MaxAttempts: 1}, tstSeq(0, nil), func(context.Context, int) error {
		t.Errorf("fn called for an empty batch")
		return nil
	})
	if err != nil || len(res) != 0 {
		t.Errorf("Run over no items: got %d results and error %v, want 0 and nil", len(res), err)
	}
}

// TestClassification: Retryable decides; without it, errors are retried.
func TestClassification(t *testing.T) {
	permanent := &tstRetryable{"bad request", false}
	transient := &tstRetryable{"try again", true}
	plain := errors.New("connection reset")
	cases := []struct {
		name  string
		err   error
		tries int
	}{
		{"Retryable() false", permanent, 1},
		{"wrapped Retryable() false", fmt.Errorf("call failed: %w", permanent), 1},
		{"Retryable() true", transient, 4},
		{"wrapped Retryable() true", fmt.Errorf("call failed: %w", transient), 4},
		{"plain error", plain, 4},
		{"joined, permanent first", errors.Join(permanent, plain), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				calls := 0
				res := tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 4, Backoff: Exponential(time.Millisecond, 0)},
					tstSeq(1, nil), func(context.Context, int) error { calls++; return c.err })
				if calls != c.tries || res[0].Attempts != c.tries {
					t.Errorf("got %d calls and Attempts %d, want %d", calls, res[0].Attempts, c.tries)
				}
				if !errors.Is(res[0].Err, c.err) {
					t.Errorf("Result.Err: got %v, want the last attempt's error %v", res[0].Err, c.err)
				}
			})
		})
	}
}

// TestFailTwiceExactly300ms: two failures under Exponential(100ms) cost
// 100ms + 200ms: the third attempt succeeds at exactly 300ms.
func TestFailTwiceExactly300ms(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		g := tstGauge{sinceOrigin: start}
		res := tstRun(t, context.Background(), Config{Concurrency: 2, MaxAttempts: 5, Backoff: Exponential(100*time.Millisecond, 0)},
			tstSeq(1, nil), func(context.Context, int) error {
				g.enter()
				defer g.exit()
				if _, calls, _ := g.snapshot(); calls <= 2 {
					return errors.New("flaky")
				}
				return nil
			})
		if got := time.Since(start); got != 300*time.Millisecond {
			t.Errorf("Run returned after %v, want exactly 300ms", got)
		}
		if diff := cmp.Diff(Result[int]{Item: 0, Attempts: 3, Elapsed: 300 * time.Millisecond}, res[0]); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
		_, _, times := g.snapshot()
		if diff := cmp.Diff([]time.Duration{0, 100 * time.Millisecond, 300 * time.Millisecond}, times); diff != "" {
			t.Errorf("attempt times (-want +got):\n%s", diff)
		}
	})
}

// TestMaxAttemptsExhausted: the last attempt's error is the result.
func TestMaxAttemptsExhausted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		var last error
		res := tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 4, Backoff: Exponential(10*time.Millisecond, 0)},
			tstSeq(1, nil), func(context.Context, int) error {
				calls++
				last = fmt.Errorf("failure %d", calls)
				return last
			})
		if res[0].Attempts != 4 || res[0].Err != last || res[0].Elapsed != 70*time.Millisecond {
			t.Errorf("got Attempts %d, Err %v, Elapsed %v; want 4, %v, 70ms", res[0].Attempts, res[0].Err, res[0].Elapsed, last)
		}
	})
}

// TestItemTimeoutRetried: ItemTimeout bounds each attempt; an attempt that
// hits it is retried, with a fresh deadline.
func TestItemTimeoutRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var deadlines []time.Duration
		res := tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 3, Backoff: Exponential(100*time.Millisecond, 0), ItemTimeout: 50 * time.Millisecond},
			tstSeq(1, nil), func(ctx context.Context, _ int) error {
				dl, ok := ctx.Deadline()
				if !ok {
					return errors.New("no deadline")
				}
				deadlines = append(deadlines, dl.Sub(start))
				if len(deadlines) == 1 {
					<-ctx.Done() // a hung call
					return ctx.Err()
				}
				return nil
			})
		if diff := cmp.Diff(Result[int]{Attempts: 2, Elapsed: 150 * time.Millisecond}, res[0]); diff != "" {
			t.Errorf("result (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]time.Duration{50 * time.Millisecond, 200 * time.Millisecond}, deadlines); diff != "" {
			t.Errorf("attempt deadlines since start (-want +got):\n%s", diff)
		}
	})
}

// TestRetryAfterHonoured: the server's Retry-After wins when it is longer
// than the backoff, and only then.
func TestRetryAfterHonoured(t *testing.T) {
	cases := []struct {
		name  string
		after time.Duration
		times []time.Duration
	}{
		{"longer than the backoff", 750 * time.Millisecond, []time.Duration{0, 750 * time.Millisecond, 1500 * time.Millisecond}},
		{"shorter than the backoff", 10 * time.Millisecond, []time.Duration{0, 100 * time.Millisecond, 300 * time.Millisecond}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				g := tstGauge{sinceOrigin: time.Now()}
				res := tstRun(t, context.Background(), Config{Concurrency: 1, MaxAttempts: 3, Backoff: Exponential(100*time.Millisecond, 0)},
					tstSeq(1, nil), func(context.Context, int) error {
						g.enter()
						defer g.exit()
						if _, calls, _ := g.snapshot(); calls < 3 {
							return fmt.Errorf("429: %w", &tstThrottled{c.after})
						}
						return nil
					})
				_, _, times := g.snapshot()
				if diff := cmp.Diff(c.times, times); diff != "" {
					t.Errorf("attempt times with Retry-After %v and Exponential(100ms) (-want +got):\n%s", c.after, diff)
				}
				if res[0].Err != nil {
					t.Errorf("Result.Err: got %v, want nil", res[0].Err)
				}
			})
		})
	}
}

// TestParentCancelDuringAttempt: cancelling the batch reaches the attempts
// through their ctx; nothing is retried and nothing new is attempted.
func TestParentCancelDuringAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		defer time.AfterFunc(30*time.Millisecond, cancel).Stop()
		var g tstGauge
		pulled := 0
		start := time.Now()
		res, err := Run(ctx, Config{Concurrency: 2, MaxAttempts: 5, Backoff: Exponential(time.Millisecond, 0)},
			tstSeq(10, &pulled), func(ctx context.Context, _ int) error {
				g.enter()
				defer g.exit()
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Second):
					return nil
				}
			})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run: got error %v, want context.Canceled", err)
		}
		if got := time.Since(start); got != 30*time.Millisecond {
			t.Errorf("Run returned after %v, want 30ms (when ctx was cancelled)", got)
		}
		if _, calls, _ := g.snapshot(); calls != 2 {
			t.Errorf("fn was called %d times, want 2 (the two attempts in progress; no retry, no new item)", calls)
		}
		if len(res) != pulled || pulled > 4 {
			t.Errorf("pulled %d items and got %d results: want one result per item pulled, and at most Concurrency+2 pulled", pulled, len(res))
		}
		for i, r := range res {
			if !errors.Is(r.Err, context.Canceled) || r.Attempts > 1 || r.Item != i {
				t.Errorf("result %d: got %+v, want item %d, at most 1 attempt, Err wrapping context.Canceled", i, r, i)
			}
		}
	})
}

// TestParentCancelDuringBackoff: a retry waiting in its backoff returns as
// soon as the batch is cancelled, not when the backoff ends.
func TestParentCancelDuringBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cause := errors.New("operator pressed stop")
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		defer time.AfterFunc(50*time.Millisecond, func() { cancel(cause) }).Stop()
		calls := 0
		start := time.Now()
		res, err := Run(ctx, Config{Concurrency: 1, MaxAttempts: 5, Backoff: Exponential(100*time.Millisecond, 0)},
			tstSeq(1, nil), func(context.Context, int) error { calls++; return errors.New("flaky") })
		if !errors.Is(err, cause) {
			t.Errorf("Run: got error %v, want the ctx's cause %v", err, cause)
		}
		if got := time.Since(start); got != 50*time.Millisecond {
			t.Errorf("Run returned after %v, want 50ms: the backoff must wait in a select with ctx.Done()", got)
		}
		if calls != 1 || len(res) != 1 || !errors.Is(res[0].Err, context.Canceled) {
			t.Errorf("got %d calls and results %+v, want 1 call and one result with Err wrapping context.Canceled", calls, res)
		}
	})
}

func TestParentAlreadyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pulled := 0
	res, err := Run(ctx, Config{Concurrency: 4, MaxAttempts: 1}, tstSeq(100, &pulled), func(context.Context, int) error {
		t.Errorf("fn called with a cancelled batch ctx")
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run: got error %v, want context.Canceled", err)
	}
	if pulled > 1 || len(res) != pulled {
		t.Errorf("pulled %d items and got %d results, want at most 1 pulled and one result per item pulled", pulled, len(res))
	}
	for _, r := range res {
		if r.Attempts != 0 || !errors.Is(r.Err, context.Canceled) {
			t.Errorf("result %+v: want 0 attempts and Err wrapping context.Canceled", r)
		}
	}
}

// TestRetryBudgetBoundsAttempts: 100% failures. The budget holds the total
// to items × (1 + ratio) plus the reserve, and the items it refuses say so.
func TestRetryBudgetBoundsAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const (
			n          = 1000
			ratio      = 0.1
			minPerSec  = 5
			concurrent = 16
		)
		fail := errors.New("503")
		var g tstGauge
		budget := NewRetryBudget(ratio, minPerSec)
		start := time.Now()
		res := tstRun(t, context.Background(), Config{Concurrency: concurrent, MaxAttempts: 10, Backoff: Exponential(10*time.Millisecond, time.Second), Budget: budget},
			tstSeq(n, nil), func(context.Context, int) error {
				g.enter()
				defer g.exit()
				time.Sleep(5 * time.Millisecond)
				return fail
			})
		elapsed := time.Since(start)
		attempts := tstSum(res)
		bound := int(n*(1+ratio)) + minPerSec*(1+int(math.Ceil(elapsed.Seconds())))
		if attempts > bound {
			t.Errorf("%d attempts for %d always-failing items in %v: want at most %d = n×(1+ratio) + minPerSec×(1+seconds)", attempts, n, elapsed, bound)
		}
		if attempts < n+90 {
			t.Errorf("%d attempts for %d items: the budget granted fewer than 90 retries, want about n×ratio = 100", attempts, n)
		}
		refused := 0
		for i, r := range res {
			if r.Item != i || r.Attempts < 1 || !errors.Is(r.Err, fail) {
				t.Fatalf("result %d: got %+v, want item %d, at least one attempt, Err wrapping the last error", i, r, i)
			}
			if errors.Is(r.Err, ErrBudget) {
				refused++
			}
		}
		if refused < 800 {
			t.Errorf("%d of %d results wrap ErrBudget, want at least 800", refused, n)
		}
		if peak, _, _ := g.snapshot(); peak != concurrent {
			t.Errorf("calls in progress at once: got %d, want %d", peak, concurrent)
		}
	})
}

func TestRunValidates(t *testing.T) {
	ok := Config{Concurrency: 2, MaxAttempts: 3, Backoff: Exponential(time.Millisecond, 0)}
	cases := []struct {
		name string
		edit func(*Config)
	}{
		{"Concurrency 0", func(c *Config) { c.Concurrency = 0 }},
		{"Concurrency < 0", func(c *Config) { c.Concurrency = -1 }},
		{"MaxAttempts 0", func(c *Config) { c.MaxAttempts = 0 }},
		{"retries without a Backoff", func(c *Config) { c.Backoff = nil }},
		{"negative ItemTimeout", func(c *Config) { c.ItemTimeout = -time.Second }},
		{"budget with a negative ratio", func(c *Config) { c.Budget = NewRetryBudget(-0.1, 1) }},
		{"budget with a NaN ratio", func(c *Config) { c.Budget = NewRetryBudget(math.NaN(), 1) }},
		{"budget with a negative minimum", func(c *Config) { c.Budget = NewRetryBudget(0.1, -1) }},
	}
	fn := func(context.Context, int) error {
		t.Errorf("fn called despite an invalid Config")
		return nil
	}
	for _, c := range cases {
		cfg := ok
		c.edit(&cfg)
		pulled := 0
		res, err := Run(context.Background(), cfg, tstSeq(5, &pulled), fn)
		if !errors.Is(err, ErrInvalid) || res != nil || pulled != 0 {
			t.Errorf("%s: got %d results, error %v, %d items pulled; want nil, ErrInvalid, 0", c.name, len(res), err, pulled)
		}
	}
	if _, err := Run(context.Background(), ok, nil, fn); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil items: got error %v, want ErrInvalid", err)
	}
	if _, err := Run[int](context.Background(), ok, tstSeq(5, nil), nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil fn: got error %v, want ErrInvalid", err)
	}
	one := Config{Concurrency: 1, MaxAttempts: 1}
	if _, err := Run(context.Background(), one, tstSeq(1, nil), func(context.Context, int) error { return nil }); err != nil {
		t.Errorf("MaxAttempts 1 without a Backoff: got error %v, want nil (no retry, no backoff needed)", err)
	}
}
