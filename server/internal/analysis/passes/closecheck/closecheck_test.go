package closecheck_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/closecheck"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), closecheck.Analyzer, "a")
}
