package atomicmix_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/atomicmix"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), atomicmix.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(atomicmix.Page, "Before") || !strings.Contains(atomicmix.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
