package a

import "testing"

// Tests read the counters once the work is done.
func TestHits(t *testing.T) {
	c := &Cache{m: map[string]int{}}
	c.Get("x")
	if c.misses != 1 {
		t.Fatal(c.misses)
	}
}
