package counter

import (
	"sync"
	"testing"
)

func TestInc(t *testing.T) {
	var c Counter
	c.Inc()
	c.Inc()
	if got := c.Value(); got != 2 {
		t.Errorf("got %d, want 2", got) // mark:inc
	}
}

func TestConcurrentInc(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				c.Inc()
			}
		})
	}
	wg.Wait()
	if got := c.Value(); got != 800 {
		t.Errorf("got %d, want 800", got)
	}
}
