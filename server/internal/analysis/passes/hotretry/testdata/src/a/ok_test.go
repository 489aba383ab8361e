package a

import (
	"context"
	"errors"
	"testing"
)

var errBusy = errors.New("busy")

// Retrying one named error, failing the test on any other.
func TestRetryBusy(t *testing.T) {
	ctx := context.Background()
	for {
		err := send(ctx, "x")
		if err == nil {
			break
		}
		if errors.Is(err, errBusy) {
			// the other process lets go soon
		} else {
			t.Fatalf("send: %v", err)
		}
	}
}

// Repeating a call that must fail.
func TestAlwaysFails(t *testing.T) {
	for i := 0; i < 10; i++ {
		if err := send(context.Background(), ""); err == nil {
			t.Fatal("want an error")
		}
	}
}
