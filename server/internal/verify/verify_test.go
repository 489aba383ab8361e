package verify_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/fixture"

	"gochallenge.dev/gochallenge/server/internal/verify"
)

var fixtureCurriculum = fixture.Curriculum()

func run(t *testing.T, root string) map[string]*verify.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	results, err := verify.Run(ctx, verify.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*verify.Result{}
	for _, r := range results {
		byID[r.ID] = r
	}
	return byID
}

func TestFixtureCurriculumVerifies(t *testing.T) {
	t.Parallel()
	res := run(t, fixtureCurriculum)
	for id, r := range res {
		if !r.OK() {
			t.Errorf("%s: %v", id, r.Problems)
		}
	}
	notes := strings.Join(res["c01-counter"].Notes, "\n")
	for _, want := range []string{"starter fails 2 named tests", "reference passes -race -count=3", "wrong solution racy caught by TestConcurrentInc under -race", "bench: Inc"} {
		if !strings.Contains(notes, want) {
			t.Errorf("c01-counter notes lack %q:\n%s", want, notes)
		}
	}
}

// copyTree copies the fixture so a test can break it.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "curriculum")
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func TestVerifyCatchesDishonestContent(t *testing.T) {
	t.Parallel()
	root := copyTree(t, fixtureCurriculum)
	// A "wrong" solution that is in fact right must be reported.
	sol, _ := os.ReadFile(filepath.Join(root, "c01-counter", "_solution", "counter.go"))
	os.WriteFile(filepath.Join(root, "c01-counter", "_wrong", "racy", "counter.go"), sol, 0o644)
	// A starter that already passes teaches nothing.
	sol, _ = os.ReadFile(filepath.Join(root, "c02-words", "_solution", "words.go"))
	os.WriteFile(filepath.Join(root, "c02-words", "words.go"), sol, 0o644)
	res := run(t, root)
	if p := strings.Join(res["c01-counter"].Problems, "\n"); !strings.Contains(p, "wrong solution racy") || !strings.Contains(p, "was not caught") {
		t.Errorf("c01-counter problems: %q, want the uncaught wrong solution", p)
	}
	if p := strings.Join(res["c02-words"].Problems, "\n"); !strings.Contains(p, "mustFail test TestWords does not fail against the starter") {
		t.Errorf("c02-words problems: %q, want the passing starter", p)
	}
}

func TestVerifyRejectsAHoldoutShadowingAShippedTest(t *testing.T) {
	t.Parallel()
	root := copyTree(t, fixtureCurriculum)
	data, _ := os.ReadFile(filepath.Join(root, "c01-counter", "_holdout", "holdout_test.go"))
	os.WriteFile(filepath.Join(root, "c01-counter", "_holdout", "counter_test.go"), data, 0o644)
	res := run(t, root)
	if p := strings.Join(res["c01-counter"].Problems, "\n"); !strings.Contains(p, "has the name of a shipped test file") {
		t.Errorf("problems %q", p)
	}
}

func TestVerifyRejectsAReferenceTheHintsFlag(t *testing.T) {
	t.Parallel()
	root := copyTree(t, fixtureCurriculum)
	// A defer in a loop holds every file until the function returns: a
	// Warning of our own deferloop pass (go vet has no such check).
	leak := "package words\n\nimport \"os\"\n\nfunc sizes(paths []string) int {\n\tn := 0\n\tfor _, p := range paths {\n\t\tf, err := os.Open(p)\n\t\tif err != nil {\n\t\t\tcontinue\n\t\t}\n\t\tdefer f.Close()\n\t\tn++\n\t}\n\treturn n\n}\n"
	os.WriteFile(filepath.Join(root, "c02-words", "_solution", "sizes.go"), []byte(leak), 0o644)
	res := run(t, root)
	if p := strings.Join(res["c02-words"].Problems, "\n"); !strings.Contains(p, "hint pass deferloop flags the reference at sizes.go:12") {
		t.Errorf("c02-words problems: %q, want the deferloop warning on the reference", p)
	}
	if notes := strings.Join(res["c01-counter"].Notes, "\n"); !strings.Contains(notes, "hint passes clean on the reference") {
		t.Errorf("c01-counter notes lack the clean hint run:\n%s", notes)
	}
}

// racyPatch is c01's racy wrong solution written as a patch against the
// reference, the form the curriculum uses.
const racyPatch = `--- a/counter.go
+++ b/counter.go
@@ -1,23 +1,12 @@
 package counter
 
-import "sync"
-
-// Counter counts. It is safe for concurrent use.
+// Counter counts, unsafely.
 type Counter struct {
-	mu sync.Mutex
-	n  int
+	n int
 }
 
-// Inc adds one.
-func (c *Counter) Inc() {
-	c.mu.Lock()
-	c.n++
-	c.mu.Unlock()
-}
+// Inc adds one without synchronisation.
+func (c *Counter) Inc() { c.n++ }
 
 // Value returns the count.
-func (c *Counter) Value() int {
-	c.mu.Lock()
-	defer c.mu.Unlock()
-	return c.n
-}
+func (c *Counter) Value() int { return c.n }
`

func TestWrongSolutionsAsPatches(t *testing.T) {
	t.Parallel()
	root := copyTree(t, fixtureCurriculum)
	wrong := filepath.Join(root, "c01-counter", "_wrong")
	os.RemoveAll(filepath.Join(wrong, "racy"))
	os.WriteFile(filepath.Join(wrong, "racy.patch"), []byte(racyPatch), 0o644)
	res := run(t, root)
	if r := res["c01-counter"]; !r.OK() || !strings.Contains(strings.Join(r.Notes, "\n"), "wrong solution racy caught by TestConcurrentInc under -race") {
		t.Errorf("c01-counter with the racy patch: problems %q, notes %q", r.Problems, r.Notes)
	}

	// A reference edited after the patch was written: the patch no longer
	// applies, and verify says which and why instead of testing garbage.
	root = copyTree(t, fixtureCurriculum)
	wrong = filepath.Join(root, "c01-counter", "_wrong")
	os.RemoveAll(filepath.Join(wrong, "racy"))
	os.WriteFile(filepath.Join(wrong, "racy.patch"), []byte(strings.Replace(racyPatch, "-// Inc adds one.", "-// Inc adds one to the count.", 1)), 0o644)
	res = run(t, root)
	if p := strings.Join(res["c01-counter"].Problems, "\n"); !strings.Contains(p, "wrong solution racy no longer applies to _solution/counter.go") {
		t.Errorf("stale patch: problems %q, want it named as no longer applying", p)
	}
}
