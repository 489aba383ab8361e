package globalstate_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/globalstate"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), globalstate.Analyzer, "a", "b")
}

func TestPage(t *testing.T) {
	if !strings.Contains(globalstate.Page, "**Before**") || !strings.Contains(globalstate.Page, "**After**") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
