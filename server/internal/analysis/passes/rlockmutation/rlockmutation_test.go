package rlockmutation_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/rlockmutation"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), rlockmutation.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(rlockmutation.Page, "Before") || !strings.Contains(rlockmutation.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
