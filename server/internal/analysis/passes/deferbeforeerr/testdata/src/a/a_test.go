package a

import (
	"os"
	"testing"
)

func TestTemp(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	t.Cleanup(func() { f.Close() }) // want `f.Close\(\) in t.Cleanup comes before the check of err`
	if err != nil {
		t.Fatal(err)
	}
}

func TestTempFine(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
}
