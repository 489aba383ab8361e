package wgaddinside_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/wgaddinside"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), wgaddinside.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(wgaddinside.Page, "Before") || !strings.Contains(wgaddinside.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
