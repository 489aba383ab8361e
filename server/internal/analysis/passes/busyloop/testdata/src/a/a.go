package a

import (
	"context"
	"runtime"
	"sync/atomic"
)

// The classic: waiting for a message by polling.
func Consume(ch <-chan int, out *[]int) {
	for { // want `this loop spins: the select's default case runs at once when no channel is ready, so the loop burns a CPU while waiting; remove the default to block, or wait on a timer or ticker`
		select {
		case v := <-ch:
			*out = append(*out, v)
		default:
		}
	}
}

// Waiting for cancellation by polling.
func Wait(ctx context.Context, done <-chan struct{}) error {
	for { // want `this loop spins`
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-done:
			return nil
		default:
		}
	}
}

// Gosched yields, but the loop still spins.
func Yield(ch <-chan int) int {
	for { // want `this loop spins`
		select {
		case v := <-ch:
			return v
		default:
			runtime.Gosched()
		}
	}
}

// A condition loop polling a flag and a channel: spins, but removing the
// default could hang on the flag, so no automatic fix.
func Flag(stop *atomic.Bool, ch <-chan int) (n int) {
	for !stop.Load() { // want `this loop spins`
		select {
		case <-ch:
			n++
		default:
		}
	}
	return n
}

// A counter in the default case is no work.
func Count(ch <-chan int) int {
	spins := 0
	for { // want `this loop spins`
		select {
		case <-ch:
			return spins
		default:
			spins++
		}
	}
}

// A plain break in default only leaves the select.
func Break(ch <-chan int) int {
	for { // want `this loop spins`
		select {
		case v := <-ch:
			return v
		default:
			break
		}
	}
}
