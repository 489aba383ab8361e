package a

import (
	"sync"
	"testing"
)

// A test counting wake-ups may wait once on purpose.
func TestSignal(t *testing.T) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	go func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	}()
	c.Wait()
	mu.Unlock()
}
