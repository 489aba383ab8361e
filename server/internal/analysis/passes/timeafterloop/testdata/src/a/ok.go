package a

import (
	"context"
	"time"
)

// One timer, reset per message.
func ListenTimer(in <-chan msg) error {
	t := time.NewTimer(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case m := <-in:
			handle(m)
			t.Reset(5 * time.Second)
		case <-t.C:
			return context.DeadlineExceeded
		}
	}
}

// One ticker for the whole loop.
func Tick(ctx context.Context, stats func()) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			stats()
		}
	}
}

// A range header is evaluated once.
func Every(n int) {
	i := 0
	for range time.Tick(time.Second) {
		i++
		if i == n {
			return
		}
	}
}

// A context-aware sleep between retries: no message stream.
func Retry(ctx context.Context, try func() error) error {
	for attempt := 0; ; attempt++ {
		if err := try(); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt) * time.Second):
		}
	}
}

// Outside any loop.
func Once(in <-chan msg) {
	select {
	case m := <-in:
		handle(m)
	case <-time.After(time.Second):
	}
}

// In a function literal started from a loop (its own timer per goroutine).
func Spawn(items []msg) {
	for _, it := range items {
		go func() {
			select {
			case <-time.After(time.Second):
				handle(it)
			}
		}()
	}
}

// Signals without values: a wake-up channel next to the timeout.
func Wait(wake <-chan struct{}, d time.Duration) {
	for {
		select {
		case <-wake:
		case <-time.After(d):
			return
		}
	}
}

// The for loop's init statement runs once.
func Init(ch chan int) {
	for t := time.After(time.Second); ; {
		select {
		case <-t:
			return
		case <-ch:
		}
	}
}
