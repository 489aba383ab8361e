package lint_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
	"gochallenge.dev/gochallenge/server/internal/fixture"
	"gochallenge.dev/gochallenge/server/internal/gotest"
)

func request(t *testing.T) lint.Request {
	passes, _ := suite.For(nil)
	return lint.Request{
		ModuleRoot: fixture.Packages(),
		Dir:        filepath.Join(fixture.Packages(), "hints"),
		Env:        gotest.Env(),
		Analyzers:  suite.Analyzers(passes),
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func TestFindingsAreLocated(t *testing.T) {
	r := request(t)
	got, err := lint.New().Run(ctx(t), r)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(r.Dir, "hints.go")
	for pass, mark := range map[string]string{"copylocks": "copy", "lostcancel": "cancel"} {
		line := fixture.MarkLine(t, file, mark)
		found := false
		for _, f := range got {
			if f.Pass == pass && f.File == file && f.Line == line {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding at hints.go:%d; got %+v", pass, line, got)
		}
	}
	for _, f := range got {
		if strings.HasSuffix(f.File, "_test.go") {
			t.Errorf("finding in a clean test file: %+v", f)
		}
	}
}

func TestEditsDoNotReload(t *testing.T) {
	r := request(t)
	l := lint.New()
	file := filepath.Join(r.Dir, "hints.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Run(ctx(t), r); err != nil {
		t.Fatal(err)
	}
	// Fixing the copy (a content edit, same imports) is a re-check only.
	r.Overlay = map[string][]byte{file: []byte(strings.Replace(string(src), "func (c Counter) Value", "func (c *Counter) Value", 1))}
	got, err := l.Run(ctx(t), r)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		if f.Pass == "copylocks" {
			t.Errorf("copylocks still reported after the fix: %+v", f)
		}
	}
	if loads, checks := l.Stats(); loads != 1 || checks != 2 {
		t.Errorf("after an edit: %d loads, %d checks; want 1 load, 2 checks", loads, checks)
	}
	// A new import needs its types: one more load.
	r.Overlay = map[string][]byte{file: []byte(strings.Replace(string(src), "import (", "import (\n\t_ \"strings\"", 1))}
	if _, err := l.Run(ctx(t), r); err != nil {
		t.Fatal(err)
	}
	if loads, _ := l.Stats(); loads != 2 {
		t.Errorf("after a new import: %d loads, want 2", loads)
	}
}

func TestBrokenCodeIsNotLinted(t *testing.T) {
	r := request(t)
	file := filepath.Join(r.Dir, "hints.go")
	for name, src := range map[string]string{
		"syntax": "package hints\n\nfunc (",
		"types":  "package hints\n\nfunc F() int { return \"x\" }\n",
	} {
		r.Overlay = map[string][]byte{file: []byte(src)}
		got, err := lint.New().Run(ctx(t), r)
		if !errors.Is(err, lint.ErrDoesNotTypeCheck) || len(got) != 0 {
			t.Errorf("%s error: got %v, %v; want ErrDoesNotTypeCheck and no findings", name, got, err)
		}
	}
}

func TestMissingPackageIsAnError(t *testing.T) {
	r := request(t)
	r.Dir = filepath.Join(fixture.Packages(), "no-such-package")
	if _, err := lint.New().Run(ctx(t), r); err == nil {
		t.Fatal("no error for a missing package")
	}
}

// BenchmarkSave is the cost of the hints for one save once the package is
// loaded: parse, type-check and run every pass.
func BenchmarkSave(b *testing.B) {
	passes, _ := suite.For(nil)
	r := lint.Request{
		ModuleRoot: fixture.Packages(),
		Dir:        filepath.Join(fixture.Packages(), "hints"),
		Env:        gotest.Env(),
		Analyzers:  suite.Analyzers(passes),
	}
	l := lint.New()
	if _, err := l.Run(context.Background(), r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Run(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}
