package busyloop_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/busyloop"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), busyloop.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(busyloop.Page, "Before") || !strings.Contains(busyloop.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
