package a

import (
	"testing"
	"time"
)

// Worker does its job in a goroutine and reports on done.
func Worker(done chan<- int) { go func() { done <- 42 }() }

// WaitABit is not in a _test.go file: not a test, not reported.
func WaitABit(t *testing.T) { time.Sleep(time.Millisecond) }
