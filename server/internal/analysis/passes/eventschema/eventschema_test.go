package eventschema_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/eventschema"
)

func Test(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), eventschema.Analyzer, "a", "b")
}

func TestPage(t *testing.T) {
	if !strings.Contains(eventschema.Page, "Before") || !strings.Contains(eventschema.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
