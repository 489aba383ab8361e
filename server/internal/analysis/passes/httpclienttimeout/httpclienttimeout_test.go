package httpclienttimeout_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/httpclienttimeout"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), httpclienttimeout.Analyzer, "a")
}
