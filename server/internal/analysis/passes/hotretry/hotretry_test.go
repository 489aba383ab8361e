package hotretry_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/hotretry"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), hotretry.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(hotretry.Page, "Before") || !strings.Contains(hotretry.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
