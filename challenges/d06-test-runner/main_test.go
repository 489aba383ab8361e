package runner

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine a runner starts must be gone when the tests end, including
// the ones of deliberately hung tests once the test that hung them lets go.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
