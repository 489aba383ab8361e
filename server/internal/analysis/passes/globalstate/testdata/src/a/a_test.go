package a

import "testing"

// Tests set package variables to fake things: not reported.
func TestFX(t *testing.T) {
	old := FXURL
	FXURL = "http://127.0.0.1:1"
	t.Cleanup(func() { FXURL = old })
	count = 0
}
