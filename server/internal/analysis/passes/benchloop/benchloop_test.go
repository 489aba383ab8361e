package benchloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/benchloop"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), benchloop.Analyzer, "a")
}
