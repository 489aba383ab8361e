package unboundedgo_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unboundedgo"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), unboundedgo.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(unboundedgo.Page, "Before") || !strings.Contains(unboundedgo.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
