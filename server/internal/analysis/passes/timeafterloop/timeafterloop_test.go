package timeafterloop_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/timeafterloop"
)

func Test(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), timeafterloop.Analyzer, "a")
}

func TestPage(t *testing.T) {
	if !strings.Contains(timeafterloop.Page, "Before") || !strings.Contains(timeafterloop.Page, "After") {
		t.Fatal("hint page lacks Before/After examples")
	}
}
