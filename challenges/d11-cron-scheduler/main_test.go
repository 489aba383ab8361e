package cron

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests: a dispatch
// loop that Stop did not end, or a run nobody waited for.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
