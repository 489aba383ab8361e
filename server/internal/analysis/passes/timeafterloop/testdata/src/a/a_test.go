package a

import (
	"testing"
	"time"
)

// Tests poll with time.After all the time; not reported.
func TestPoll(t *testing.T) {
	in := make(chan msg)
	for i := 0; i < 3; i++ {
		select {
		case m := <-in:
			handle(m)
		case <-time.After(time.Millisecond):
		}
	}
}
