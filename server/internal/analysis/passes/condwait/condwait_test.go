package condwait_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/condwait"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), condwait.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(condwait.Page, "Before") || !strings.Contains(condwait.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
