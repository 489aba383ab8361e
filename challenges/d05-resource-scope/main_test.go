package scope

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a goroutine outlives the tests: a task that
// Close did not wait for, a cleanup nobody stopped.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
