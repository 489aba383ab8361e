package batch

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests: a worker Run
// did not wait for, or a retry sleeping past the end of its batch.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
