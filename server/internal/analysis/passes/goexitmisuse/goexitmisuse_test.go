package goexitmisuse_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/goexitmisuse"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), goexitmisuse.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(goexitmisuse.Page, "**Before**") || !strings.Contains(goexitmisuse.Page, "**After**") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
