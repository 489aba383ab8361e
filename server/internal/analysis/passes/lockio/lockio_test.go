package lockio_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/lockio"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), lockio.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(lockio.Page, "Before") || !strings.Contains(lockio.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
