package deferloop_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/deferloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), deferloop.Analyzer, "a")
}
