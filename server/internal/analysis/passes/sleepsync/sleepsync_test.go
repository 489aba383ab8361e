package sleepsync_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/sleepsync"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), sleepsync.Analyzer, "a")
}
