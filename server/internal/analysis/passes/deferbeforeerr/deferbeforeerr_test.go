package deferbeforeerr_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/deferbeforeerr"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferbeforeerr.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(deferbeforeerr.Page, "**Before**") || !strings.Contains(deferbeforeerr.Page, "**After**") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
