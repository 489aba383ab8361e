package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/fixture"

	"gochallenge.dev/gochallenge/server/internal/workspace"
)

var fixtureCurriculum = fixture.Curriculum()

func fixtureWorkspace(t *testing.T) string {
	t.Helper()
	ws, err := workspace.Init(filepath.Join(t.TempDir(), "ws"), os.DirFS(fixtureCurriculum))
	if err != nil {
		t.Fatal(err)
	}
	return ws.Root
}

// gochallenge runs a command line in dir and returns exit code, stdout, stderr.
func gochallenge(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, IO{In: strings.NewReader(""), Out: &out, Err: &errb, Dir: dir})
	return code, out.String(), errb.String()
}

func TestOutsideAWorkspace(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"list", "check", "progress", "hint"} {
		code, _, errOut := gochallenge(t, t.TempDir(), cmd)
		if code == 0 || !strings.Contains(errOut, "not inside a gochallenge workspace") || strings.Contains(errOut, "goroutine") {
			t.Errorf("%s outside a workspace: exit %d, stderr %q", cmd, code, errOut)
		}
	}
}

func TestUnknownChallengeAndCommand(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	code, _, errOut := gochallenge(t, root, "check", "d99-nope")
	if code != 1 || !strings.Contains(errOut, `unknown challenge "d99-nope"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = gochallenge(t, root, "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestListFromASubfolder(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	code, out, errOut := gochallenge(t, filepath.Join(root, "c02-words"), "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ov struct {
		Challenges []struct{ ID, Status string }
		Today      string
		Total      int
	}
	if err := json.Unmarshal([]byte(out), &ov); err != nil {
		t.Fatal(err)
	}
	if ov.Total != 2 || ov.Challenges[0].ID != "c01-counter" || ov.Challenges[0].Status != "not-started" || ov.Today != "c01-counter" {
		t.Errorf("list = %+v", ov)
	}
}

func TestCheckExitCodeAndLocatedOutput(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	code, out, _ := gochallenge(t, root, "check", "c02")
	if code != 1 || !strings.Contains(out, "c02-words/words_test.go:") || !strings.Contains(out, "FAIL TestWords") {
		t.Errorf("starter check: exit %d, output:\n%s", code, out)
	}
	sol, _ := os.ReadFile(filepath.Join(fixtureCurriculum, "c02-words", "_solution", "words.go"))
	os.WriteFile(filepath.Join(root, "c02-words", "words.go"), sol, 0o644)
	code, out, _ = gochallenge(t, root, "check", "c02-words")
	if code != 0 || !strings.Contains(out, "done") {
		t.Errorf("solved check: exit %d, output:\n%s", code, out)
	}
	code, out, _ = gochallenge(t, root, "progress", "--json")
	if code != 0 || !strings.Contains(out, `"solved": [`) || !strings.Contains(out, "c02-words") {
		t.Errorf("progress after solving: exit %d\n%s", code, out)
	}
}

func TestHintNeedsConfirmationWhenLocked(t *testing.T) {
	t.Parallel()
	root := bundledWorkspace(t)
	code, _, errOut := gochallenge(t, root, "hint", "d01")
	if code != 1 || !strings.Contains(errOut, "--early") {
		t.Errorf("locked hint: exit %d, stderr %q", code, errOut)
	}
	// The workspace's manifest holds the hint sealed; the text is the
	// curriculum's.
	code, out, _ := gochallenge(t, root, "hint", "d01", "--early")
	if code != 0 || !strings.Contains(out, "Hint 1/3") || !strings.Contains(out, "(early)") || !strings.Contains(out, "doubly linked list") {
		t.Errorf("early hint: exit %d, out %q", code, out)
	}
}

// bundledWorkspace is a workspace of the real, embedded curriculum.
func bundledWorkspace(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "ws")
	if code, _, errOut := gochallenge(t, t.TempDir(), "init", "--no-warm", root); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	return root
}

func TestResetAsksThenBacksUp(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	file := filepath.Join(root, "c02-words", "words.go")
	os.WriteFile(file, []byte("package words\n\n// mine\nfunc Words(s string) int { return 1 }\n"), 0o644)
	code, _, errOut := gochallenge(t, root, "reset", "c02-words")
	if code == 0 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("reset without confirmation: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "// mine") {
		t.Fatal("unconfirmed reset changed the file")
	}
	// The embedded curriculum has no c02-words: reset must say so and keep
	// the learner's file.
	code, _, errOut = gochallenge(t, root, "reset", "c02-words", "--yes")
	if code == 0 || !strings.Contains(errOut, "c02-words") {
		t.Errorf("reset of a challenge missing from the bundle: exit %d, %q", code, errOut)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "// mine") {
		t.Error("a failed reset lost the learner's file")
	}
}

func TestDamagedMarkerIsAClearError(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	os.WriteFile(filepath.Join(root, workspace.MarkerFile), []byte("{not json"), 0o644)
	code, _, errOut := gochallenge(t, root, "list")
	if code != 1 || !strings.Contains(errOut, "damaged") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestWatchRerunsOnSave(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	stdinR, stdinW := io.Pipe()
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"watch", "c02-words"}, IO{In: stdinR, Out: out, Err: out, Dir: root})
	}()
	waitFor(t, out, "FAIL TestWords", 2*time.Minute)
	sol, _ := os.ReadFile(filepath.Join(fixtureCurriculum, "c02-words", "_solution", "words.go"))
	os.WriteFile(filepath.Join(root, "c02-words", "words.go"), sol, 0o644)
	waitFor(t, out, "✔ done", 2*time.Minute)
	stdinW.Write([]byte("q\n"))
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("watch exited %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not quit on q")
	}
}

func waitFor(t *testing.T, b *syncBuffer, want string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q within %s; output:\n%s", want, d, b.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestBrokenGoModIsExplained(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module fixture.curriculum\n\ngo 1.26\nrequire (\n"), 0o644)
	code, out, errOut := gochallenge(t, root, "check", "c02-words")
	if code != 1 || !strings.Contains(out, "go.mod") || !strings.Contains(out, "compile error") || strings.Contains(errOut, "goroutine ") {
		t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestDoctorOnThisMachine(t *testing.T) {
	t.Parallel()
	code, out, _ := gochallenge(t, t.TempDir(), "doctor")
	// The machines this runs on have Go 1.26 and gcc: everything but module
	// access (a warning) must be fine.
	if code != 0 {
		t.Errorf("doctor exit %d:\n%s", code, out)
	}
	for _, want := range []string{"Go version", "race detector", "build cache"} {
		if !strings.Contains(out, "✓ "+want) {
			t.Errorf("doctor output lacks a passing %q:\n%s", want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := gochallenge(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "gochallenge ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestLintAndCheckShowHints(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	code, out, errOut := gochallenge(t, root, "lint", "c02")
	if code != 0 || !strings.Contains(out, "no hints") {
		t.Errorf("lint on the starter: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A cancel function dropped: lostcancel, located, with how to read more.
	bad := "package words\n\nimport (\n\t\"context\"\n\t\"strings\"\n)\n\n// Words counts words.\nfunc Words(s string) int {\n" +
		"\tctx, _ := context.WithCancel(context.Background())\n\t_ = ctx\n\treturn len(strings.Fields(s))\n}\n"
	os.WriteFile(filepath.Join(root, "c02-words", "words.go"), []byte(bad), 0o644)
	code, out, _ = gochallenge(t, root, "lint", "c02")
	if code != 1 || !strings.Contains(out, "c02-words/words.go:10:") || !strings.Contains(out, "[lostcancel]") ||
		!strings.Contains(out, "gochallenge lint --explain lostcancel") {
		t.Errorf("lint with a dropped cancel: exit %d, output:\n%s", code, out)
	}
	_, out, _ = gochallenge(t, root, "check", "c02")
	if !strings.Contains(out, "Hints") || !strings.Contains(out, "[lostcancel]") {
		t.Errorf("check does not show the hint under the results:\n%s", out)
	}
	code, out, _ = gochallenge(t, root, "lint", "--explain", "lostcancel")
	if code != 0 || !strings.Contains(out, "**Before**") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
	code, _, errOut = gochallenge(t, root, "lint", "--explain", "nosuchpass")
	if code == 0 || !strings.Contains(errOut, `no hint pass named "nosuchpass"`) {
		t.Errorf("explain of an unknown pass: exit %d, stderr %q", code, errOut)
	}
	os.WriteFile(filepath.Join(root, "c02-words", "words.go"), []byte("package words\n\nfunc Words(s string) int { return \"x\" }\n"), 0o644)
	code, _, errOut = gochallenge(t, root, "lint", "c02")
	if code == 0 || !strings.Contains(errOut, "does not compile yet") {
		t.Errorf("lint of broken code: exit %d, stderr %q", code, errOut)
	}
}

func TestRaceRunDoesNotRepeatTheSameFailures(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	_, out, _ := gochallenge(t, root, "check", "c01")
	if n := strings.Count(out, "FAIL TestInc"); n != 1 || !strings.Contains(out, "[race] 2 failing test(s) as above") {
		t.Errorf("TestInc shown %d times; want once, with the race run summarising the repeats:\n%s", n, out)
	}
}

func TestSolutionAfterEveryHintAndAConfirm(t *testing.T) {
	t.Parallel()
	root := bundledWorkspace(t)
	code, out, errOut := gochallenge(t, root, "solution", "d01")
	if code == 0 || !strings.Contains(errOut, "3 not seen yet") || strings.Contains(out, "package") {
		t.Fatalf("solution before trying: exit %d, stdout %q, stderr %q; want refused, pointing at the hints", code, out, errOut)
	}
	for range 3 {
		if code, _, errOut := gochallenge(t, root, "hint", "d01", "--early"); code != 0 {
			t.Fatalf("hint --early: %s", errOut)
		}
	}
	if code, _, errOut = gochallenge(t, root, "solution", "d01"); code == 0 || !strings.Contains(errOut, "--yes") {
		t.Fatalf("solution after every hint, unconfirmed: exit %d, stderr %q; want a request for --yes", code, errOut)
	}
	code, out, errOut = gochallenge(t, root, "solution", "d01", "--yes")
	reference, err := os.ReadFile(filepath.Join("..", "..", "..", "challenges", "d01-lru-cache", "_solution", "lru.go"))
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(out, "d01-lru-cache/lru.go (reference solution") || !strings.Contains(out, string(reference)) {
		t.Errorf("solution --yes: exit %d, stderr %q, stdout:\n%.400s", code, errOut, out)
	}
}

func TestWarmBuildsEveryChallengeOnce(t *testing.T) {
	t.Parallel()
	root := fixtureWorkspace(t)
	code, out, errOut := gochallenge(t, root, "warm")
	if code != 0 {
		t.Fatalf("warm: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if code, _, errOut := gochallenge(t, t.TempDir(), "warm"); code == 0 || !strings.Contains(errOut, "not inside a gochallenge workspace") {
		t.Errorf("warm outside a workspace: exit %d, stderr %q", code, errOut)
	}
}
