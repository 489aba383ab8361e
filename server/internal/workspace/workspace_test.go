package workspace

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/fixture"
)

var fixtureCurriculum = fixture.Curriculum()

func newWorkspace(t *testing.T) *Workspace {
	t.Helper()
	w, err := Init(filepath.Join(t.TempDir(), "ws"), os.DirFS(fixtureCurriculum))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestInitShipsNoSolutions(t *testing.T) {
	w := newWorkspace(t)
	err := filepath.WalkDir(w.Root, func(p string, d os.DirEntry, err error) error {
		if strings.HasPrefix(d.Name(), "_") {
			t.Errorf("%s shipped to the learner", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Meta.ShippedTests) != 3 {
		t.Errorf("hashed %d shipped test files, want 3: %v", len(w.Meta.ShippedTests), w.Meta.ShippedTests)
	}
}

func TestHintTextsAreSealedInTheWorkspace(t *testing.T) {
	w := newWorkspace(t)
	source, err := curriculum.Load(os.DirFS(fixtureCurriculum))
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := source.Get("c01-counter")
	assertSealed := func(when string) {
		t.Helper()
		shipped := mustRead(t, filepath.Join(w.Root, "c01-counter", curriculum.ManifestFile))
		for _, h := range ch.Hints {
			if strings.Contains(shipped, h.Text) {
				t.Errorf("%s: hint %d's text is readable in the workspace's challenge.json", when, h.Level)
			}
		}
		if n := strings.Count(shipped, "sealed"); n != len(ch.Hints) {
			t.Errorf("%s: %d sealed hints, want %d:\n%s", when, n, len(ch.Hints), shipped)
		}
	}
	assertSealed("after init")
	// The sealed manifest still loads, with the hints' levels and unlock rules.
	got, _ := w.Curriculum.Get("c01-counter")
	if len(got.Hints) != 3 || got.Hints[2].UnlockAfter != ch.Hints[2].UnlockAfter {
		t.Errorf("sealed hints %+v, want the levels and unlock rules of %+v", got.Hints, ch.Hints)
	}
	if _, err := w.Reset(got, os.DirFS(fixtureCurriculum)); err != nil {
		t.Fatal(err)
	}
	assertSealed("after reset")
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFindWalksUp(t *testing.T) {
	w := newWorkspace(t)
	got, err := Find(filepath.Join(w.Root, "c01-counter"))
	if err != nil || got.Root != w.Root {
		t.Fatalf("Find from a challenge folder: %v, %v", got, err)
	}
	if _, err := Find(t.TempDir()); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("Find outside: %v, want ErrNoWorkspace", err)
	}
}

func TestInitNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "c01-counter"), 0o755)
	os.WriteFile(filepath.Join(dir, "c01-counter", "counter.go"), []byte("package mine\n"), 0o644)
	if _, err := Init(dir, os.DirFS(fixtureCurriculum)); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("Init over existing files: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "c01-counter", "counter.go")); string(b) != "package mine\n" {
		t.Error("Init changed an existing file")
	}
	w := newWorkspace(t)
	if _, err := Init(w.Root, os.DirFS(fixtureCurriculum)); err == nil {
		t.Error("Init over a workspace succeeded")
	}
}

func TestEditedTests(t *testing.T) {
	w := newWorkspace(t)
	ch, _ := w.Curriculum.Get("c01-counter")
	if got := w.EditedTests(ch); len(got) != 0 {
		t.Fatalf("fresh workspace has edited tests %v", got)
	}
	os.Remove(filepath.Join(w.Dir(ch), "bench_test.go"))
	f := filepath.Join(w.Dir(ch), "counter_test.go")
	data, _ := os.ReadFile(f)
	os.WriteFile(f, append(data, '\n'), 0o644)
	got := w.EditedTests(ch)
	if strings.Join(got, ",") != "bench_test.go,counter_test.go" {
		t.Errorf("edited = %v, want the deleted and the changed file", got)
	}
}

func TestOpenWithoutGoMod(t *testing.T) {
	w := newWorkspace(t)
	os.Remove(filepath.Join(w.Root, "go.mod"))
	if _, err := Open(w.Root); err == nil || !strings.Contains(err.Error(), "no go.mod") {
		t.Errorf("Open without go.mod: %v", err)
	}
}
