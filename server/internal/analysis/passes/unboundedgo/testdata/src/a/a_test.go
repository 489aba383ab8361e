package a

import "testing"

// Tests create concurrency on purpose.
func TestConcurrent(t *testing.T) {
	for _, u := range []string{"x"} {
		go fetch(u)
	}
	urls := make([]string, 100)
	for _, u := range urls {
		go fetch(u)
	}
}
