package a

import (
	"context"
	"time"
)

func work() {}

// Checking for cancellation between units of real work.
func Process(ctx context.Context, items []int) error {
	i := 0
	for i < len(items) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
			work()
		}
		i++
	}
	return nil
}

// Draining a channel without blocking: default leaves the loop.
func Drain(ch <-chan int) (n int) {
	for {
		select {
		case <-ch:
			n++
		default:
			return n
		}
	}
}

// Labeled break out of the loop.
func DrainLabeled(ch <-chan int) (n int) {
loop:
	for {
		select {
		case <-ch:
			n++
		default:
			break loop
		}
	}
	return n
}

// Polling with a sleep: slow, but not a spin.
func Poll(ch <-chan int) int {
	for {
		select {
		case v := <-ch:
			return v
		default:
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// A blocking receive elsewhere in the loop.
func Relay(in <-chan int, out chan int) {
	for {
		v := <-in
		select {
		case out <- v:
		default: // drop when the reader is slow
		}
	}
}

// A select without default blocks.
func Block(ch <-chan int) int {
	for {
		select {
		case v := <-ch:
			return v
		case <-time.After(time.Second):
		}
	}
}

// A counting loop ends.
func Try(ch chan int) bool {
	for i := 0; i < 3; i++ {
		select {
		case ch <- i:
			return true
		default:
		}
	}
	return false
}

// A range loop over items with a non-blocking send each.
func Offer(items []int, ch chan int) {
	for _, it := range items {
		select {
		case ch <- it:
		default:
		}
	}
}

// Work done around the select.
func Pump(ch chan int, next func() int) {
	for {
		v := next()
		select {
		case ch <- v:
		default:
		}
	}
}
