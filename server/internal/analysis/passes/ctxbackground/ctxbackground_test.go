package ctxbackground_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/ctxbackground"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), ctxbackground.Analyzer, "a")
}
