package app

import (
	"testing"

	"di"
)

// Tests build their own graph and may resolve from it.
func TestService(t *testing.T) {
	c := di.New()
	if _, err := di.Resolve[*Service](t.Context(), c); err != nil {
		t.Log(err)
	}
}
