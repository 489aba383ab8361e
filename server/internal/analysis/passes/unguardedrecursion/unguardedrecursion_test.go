package unguardedrecursion_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unguardedrecursion"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unguardedrecursion.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(unguardedrecursion.Page, "Before") || !strings.Contains(unguardedrecursion.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
