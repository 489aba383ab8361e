package unlockpaths_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unlockpaths"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unlockpaths.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(unlockpaths.Page, "Before") || !strings.Contains(unlockpaths.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
