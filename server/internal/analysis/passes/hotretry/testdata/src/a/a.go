package a

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"time"
)

func send(ctx context.Context, msg string) error { return nil }
func fetch() ([]byte, error)                     { return nil, nil }
func retryable(err error) bool                   { return true }

// Loops until success, nothing in between.
func SendForever(ctx context.Context, msg string) {
	for {
		err := send(ctx, msg) // want `send is retried at once when it fails: a failing dependency turns this loop into a hot loop`
		if err == nil {
			return
		}
		log.Printf("send: %v", err)
	}
}

// continue on error, return on success.
func Fetch() []byte {
	for {
		b, err := fetch()
		if err != nil {
			continue // want `fetch is retried at once when it fails`
		}
		return b
	}
}

// A bounded retry is still a burst of immediate retries.
func Bounded(ctx context.Context, msg string, max int) error {
	var err error
	for attempt := 0; attempt < max; attempt++ {
		if err = send(ctx, msg); err == nil { // want `send is retried at once`
			return nil
		}
		if !retryable(err) {
			return err
		}
	}
	return err
}

// The d12 shape: attempts counted in a field, the item unchanged.
type result struct {
	Item     string
	Attempts int
	Err      error
}

func process(ctx context.Context, fn func(context.Context, string) error, r *result, max int) {
	for r.Attempts < max {
		r.Attempts++
		err := fn(ctx, r.Item) // want `fn is retried at once`
		if err == nil {
			r.Err = nil
			return
		}
		r.Err = err
		if !retryable(err) {
			return
		}
	}
}

// A poller that sleeps only on success: an error skips the pacing.
func Poll(interval time.Duration) {
	for {
		b, err := fetch()
		if err != nil {
			log.Print(err)
			continue // want `fetch is retried at once`
		}
		_ = b
		time.Sleep(interval)
	}
}

// Looping while the error is non-nil.
func Dial(addr string) net.Conn {
	conn, err := net.Dial("tcp", addr)
	for err != nil {
		conn, err = net.Dial("tcp", addr) // want `net.Dial is retried at once`
	}
	return conn
}

// The error wrapped before it is tested: the operation is still send.
func Wrapped(ctx context.Context) error {
	for {
		err := send(ctx, "x") // want `send is retried at once`
		if err != nil {
			err = fmt.Errorf("send: %w", err)
		}
		if err == nil { // the test after the wrap
			return nil
		}
	}
}

// A classifier through an interface, as d12 does it.
type temporary interface{ Temporary() bool }

func Classified(ctx context.Context) error {
	for {
		err := send(ctx, "x")
		var t temporary
		if errors.As(err, &t) && t.Temporary() {
			continue // want `send is retried at once`
		}
		return err
	}
}

// time.Sleep as the backoff while a ctx is at hand.
func SleepBackoff(ctx context.Context, msg string) error {
	for attempt := 1; ; attempt++ {
		err := send(ctx, msg)
		if err == nil || attempt == 5 {
			return err
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond) // want `time.Sleep between retries cannot be cut short: when ctx ends`
	}
}

// The same through a helper of the package that sleeps, then checks ctx.
func pause(ctx context.Context, d time.Duration) bool {
	time.Sleep(d)
	return ctx.Err() == nil
}

func SleepHelper(ctx context.Context, msg string) error {
	for {
		err := send(ctx, msg)
		if err == nil {
			return nil
		}
		if !pause(ctx, time.Second) { // want `pause waits with time.Sleep between retries, which ctx cannot cut short`
			return ctx.Err()
		}
	}
}

// A computed delay that nobody waits for.
type Backoff interface {
	Next(attempt int) time.Duration
}

func Forgot(ctx context.Context, b Backoff) error {
	for attempt := 1; ; attempt++ {
		err := send(ctx, "x") // want `send is retried at once`
		if err == nil {
			return nil
		}
		d := b.Next(attempt)
		_ = d
		continue
	}
}

// A ctx check on the error path stops the loop when the caller gives up,
// but it still retries at once until then.
func CtxChecked(ctx context.Context, msg string) error {
	for {
		if err := send(ctx, msg); err == nil { // want `send is retried at once when it fails: the ctx check ends the loop when ctx does`
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// The ctx check in the loop condition.
func WhileAlive(ctx context.Context) {
	for ctx.Err() == nil {
		if _, err := fetch(); err == nil { // want `fetch is retried at once when it fails: the ctx check ends the loop`
			return
		}
	}
}

// A method of an outer value called with changing arguments does not make
// the outer value an input that changes.
type policy interface {
	Next(attempt int, prev time.Duration) time.Duration
}

type config struct {
	Backoff policy
	Max     int
}

func attemptOnce(ctx context.Context, cfg *config, item string) error { return nil }

func D12(ctx context.Context, cfg *config, item string) error {
	var delay time.Duration
	for attempt := 1; ; attempt++ {
		err := attemptOnce(ctx, cfg, item) // want `attemptOnce is retried at once`
		if err == nil || attempt >= cfg.Max {
			return err
		}
		delay = cfg.Backoff.Next(attempt, delay)
	}
}
