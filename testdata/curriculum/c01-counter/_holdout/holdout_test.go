package counter

import "testing"

func TestHoldoutZero(t *testing.T) {
	var c Counter
	if c.Value() != 0 {
		t.Error("a new counter is not zero")
	}
}
