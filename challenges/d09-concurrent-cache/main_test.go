package cache

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests: a load that
// never finished, for example.
func TestMain(m *testing.M) {
	// go-redis logs when it drops a connection after an error reply (the
	// outage test causes some on purpose); keep the test output readable.
	redis.SetLogger(quietLogger{})
	goleak.VerifyTestMain(m)
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
