package a

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSave(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "x"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // tests are exempt
}
