package lsp_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gochallenge.dev/gochallenge/server/internal/fixture"
	"gochallenge.dev/gochallenge/server/internal/lsp"
	"gochallenge.dev/gochallenge/server/internal/toolchain"
)

// These tests cover what the course UI asks of the server beyond LSP:
// spinners, the race check, the reference solution, reset and the
// toolchain.

func TestASaveIsAnnouncedAsRunningUntilItEnds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.copyIn("c02-words/words.go", "c02-words/_solution/words.go")
	e.await("c02 to finish", func(r *recorder) bool { return slices.Contains(r.statuses("c02-words"), "done") })
	e.await("the end of the run to be announced", func(r *recorder) bool {
		got := r.running("c02-words")
		return len(got) > 0 && !got[len(got)-1]
	})
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	if got := e.client.running("c02-words"); !slices.Equal(got, []bool{true, false}) {
		t.Errorf("running announcements %v, want [true false]", got)
	}
}

func TestRaceCheckFindsWhatASaveWithoutTheRaceDetectorMissed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, map[string]any{"raceOnSave": false})
	e.copyIn("c01-counter/counter.go", "c01-counter/_wrong/racy/counter.go")
	e.await("the racy counter to pass without the race detector", func(r *recorder) bool {
		return slices.Contains(r.statuses("c01-counter"), "passing")
	})
	var res struct{ Status string }
	if err := e.call("workspace/executeCommand", map[string]any{"command": lsp.CommandRaceCheck, "arguments": []string{"c01-counter"}}, &res); err != nil {
		t.Fatal(err)
	}
	if res.Status != "racy" {
		t.Errorf("race check status %q, want racy", res.Status)
	}
	e.await("a data-race diagnostic", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter.go", lsp.CodeDataRace, 0) != nil
	})
}

func TestSolutionOnlyAfterPassingOrEveryHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var res lsp.SolutionResult
	if err := e.call("gochallenge/solution", lsp.SolutionParams{Challenge: "c02", Confirm: true}, &res); err != nil {
		t.Fatal(err)
	}
	if res.Solution != nil || res.Locked == nil || res.Locked.HintsLeft == 0 {
		t.Fatalf("solution before trying: %+v, want locked with hints left", res)
	}
	e.copyIn("c02-words/words.go", "c02-words/_solution/words.go")
	e.await("c02 to be done", func(r *recorder) bool { return slices.Contains(r.statuses("c02-words"), "done") })
	res = lsp.SolutionResult{}
	if err := e.call("gochallenge/solution", lsp.SolutionParams{Challenge: "c02"}, &res); err != nil {
		t.Fatal(err)
	}
	if res.Solution == nil || len(res.Solution.Files) != 1 || res.Solution.Files[0].Path != e.path("c02-words/words.go") ||
		res.Solution.Files[0].Reference != mustRead(t, e.path("c02-words/words.go")) {
		t.Errorf("solution after passing: %+v, want words.go's reference beside the learner's file", res)
	}
}

func TestMissingGoIsSaidOnceWithWhatToInstall(t *testing.T) {
	t.Parallel()
	noGo := func(context.Context) []toolchain.Check {
		return []toolchain.Check{{Name: "go command", Info: "the go command was not found on PATH", Fix: "install Go 1.26 or newer from https://go.dev/dl/"}}
	}
	e := startEnvWith(t, newWorkspace(t), lsp.Options{Toolchain: noGo})
	var env lsp.Environment
	if err := e.call("gochallenge/environment", nil, &env); err != nil {
		t.Fatal(err)
	}
	if env.Ready || len(env.Checks) != 1 {
		t.Errorf("environment %+v, want not ready with the go command check", env)
	}
	e.await("the message", func(r *recorder) bool { return len(r.messages()) > 0 })
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	msgs := e.client.messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0], "go.dev/dl") {
		t.Errorf("messages %q, want one saying where to get Go", msgs)
	}
}

func TestResetRestoresTheStarterFromTheCurriculum(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mine := "package words\n\n// mine\nfunc Words(s string) int { return 1 }\n"
	if err := os.WriteFile(e.path("c02-words/words.go"), []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	var res lsp.ResetResult
	if err := e.call("gochallenge/reset", lsp.ChallengeParams{Challenge: "c02"}, &res); err != nil {
		t.Fatal(err)
	}
	starter := mustRead(t, filepath.Join(fixture.Curriculum(), "c02-words", "words.go"))
	if got := mustRead(t, e.path("c02-words/words.go")); got != starter {
		t.Errorf("words.go after reset:\n%s\nwant the starter:\n%s", got, starter)
	}
	if got := mustRead(t, filepath.Join(res.Backup, "words.go")); got != mine {
		t.Errorf("backup holds %q, want the learner's file", got)
	}
}
