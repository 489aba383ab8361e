package servicelocator_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/servicelocator"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), servicelocator.Analyzer, "di", "app", "cmd/demo", "locator", "other")
}

func TestPage(t *testing.T) {
	if !strings.Contains(servicelocator.Page, "Before") || !strings.Contains(servicelocator.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
