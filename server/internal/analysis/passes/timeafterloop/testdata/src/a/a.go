package a

import (
	"context"
	"time"
)

type msg struct{}

func handle(msg) {}

// One timer per message, and the timeout restarts after each message.
func Listen(in <-chan msg) error {
	for {
		select {
		case m := <-in:
			handle(m)
		case <-time.After(5 * time.Second): // want `time.After in a loop makes a new timer every iteration, and the timeout restarts whenever another case fires: create one time.Timer before the loop and Reset it, or use a context deadline for an overall limit`
			return context.DeadlineExceeded
		}
	}
}

// A comma-ok receive is a message too.
func Drain(in <-chan msg) {
	for {
		select {
		case m, ok := <-in:
			if !ok {
				return
			}
			handle(m)
		case <-time.After(time.Second): // want `time.After in a loop`
			return
		}
	}
}

// Sending with a timeout, once per item.
func Forward(items []msg, out chan<- msg) int {
	n := 0
	for _, it := range items {
		select {
		case out <- it:
			n++
		case <-time.After(100 * time.Millisecond): // want `time.After in a loop`
		}
	}
	return n
}

// A new ticker every iteration.
func Poll(check func() bool) {
	for !check() {
		<-time.Tick(time.Second) // want `time.Tick in a loop makes a new ticker every iteration \(it waits like a sleep, with no steady rhythm\): create one time.NewTicker before the loop and defer its Stop`
	}
}

// Tick inside a select in a loop.
func Report(ctx context.Context, stats func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.Tick(time.Minute): // want `time.Tick in a loop`
			stats()
		}
	}
}

// In a for loop's condition (runs every iteration).
func Cond(ch chan int) {
	for x := time.Tick(time.Second); x != nil; x = time.Tick(time.Second) { // want `time.Tick in a loop`
		ch <- 1
	}
}
