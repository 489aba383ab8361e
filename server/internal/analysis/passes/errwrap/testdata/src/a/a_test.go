package a

import (
	"fmt"
	"testing"
)

func check(got, want error) error {
	if got != want {
		return fmt.Errorf("got %v, want %v", got, want) // a message for t.Error, not a chain
	}
	return nil
}

func TestFind(t *testing.T) {
	if err := check(open("x"), ErrNotFound); err != nil {
		t.Log(err)
	}
}
