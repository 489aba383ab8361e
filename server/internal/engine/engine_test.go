package engine_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/fixture"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

var fixtureCurriculum = fixture.Curriculum()

// newEngine creates a fresh learner workspace from the fixture curriculum.
func newEngine(t *testing.T) *engine.Engine {
	t.Helper()
	ws, err := workspace.Init(filepath.Join(t.TempDir(), "ws"), os.DirFS(fixtureCurriculum))
	if err != nil {
		t.Fatal(err)
	}
	e := engine.New(ws)
	e.Source = os.DirFS(fixtureCurriculum)
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	return c
}

// learnerWrites replaces a learner file with a fixture's version of it, as
// a learner saving in the editor would.
func learnerWrites(t *testing.T, e *engine.Engine, id, file, fromFixture string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtureCurriculum, id, fromFixture))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(e.WS.Root, id, file), string(data))
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, e *engine.Engine, id string, o engine.CheckOptions) *engine.Result {
	t.Helper()
	res, err := e.Check(ctx(t), id, o)
	if err != nil {
		t.Fatalf("check %s: %v", id, err)
	}
	return res
}

func TestStarterIsFailingAtTheAssertion(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	res := check(t, e, "c01-counter", engine.CheckOptions{})
	if res.Status != progress.Failing {
		t.Fatalf("status %s (%s), want failing", res.Status, res.Why)
	}
	inc := res.Tests.Test("TestInc")
	if inc == nil || len(inc.Failures) != 1 {
		t.Fatalf("TestInc = %+v", inc)
	}
	testFile := filepath.Join(e.WS.Root, "c01-counter", "counter_test.go")
	if got := inc.Failures[0]; got.File != testFile || got.Line != fixture.MarkLine(t, testFile, "inc") {
		t.Errorf("failure at %s, want %s:%d", got.Location, testFile, fixture.MarkLine(t, testFile, "inc"))
	}
	// The race run happens even when tests fail (it may explain them).
	if res.Strict == nil || res.StrictStage != engine.StageRace {
		t.Errorf("strict stage %q, want race", res.StrictStage)
	}
	p, _ := e.WS.Progress.Load()
	if c := p.Get("c01-counter"); c.Attempts != 1 || c.FailedRuns != 1 || c.Status != progress.Failing {
		t.Errorf("progress %+v, want one failed attempt", c)
	}
}

func TestCompileErrorIsItsOwnStatus(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	path := filepath.Join(e.WS.Root, "c01-counter", "counter.go")
	write(t, path, "package counter\n\ntype Counter struct{}\n\nfunc (c *Counter) Inc() { c.n++ }\n\nfunc (c *Counter) Value() int { return 0 }\n")
	res := check(t, e, "c01-counter", engine.CheckOptions{})
	if res.Status != progress.CompileError {
		t.Fatalf("status %s, want compile-error", res.Status)
	}
	if len(res.Tests.Tests) != 0 || res.Strict != nil {
		t.Errorf("a build failure ran tests or the race check")
	}
	if b := res.Tests.Build[0]; b.File != path || b.Line != 5 {
		t.Errorf("build error at %s, want %s:5", b.Location, path)
	}
}

func TestRacySolutionIsRacy(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_wrong/racy/counter.go")
	res := check(t, e, "c01-counter", engine.CheckOptions{})
	if res.Status != progress.Racy {
		t.Fatalf("status %s (%s), want racy", res.Status, res.Why)
	}
	race := res.Strict.Races[0]
	learner := filepath.Join(e.WS.Root, "c01-counter", "counter.go")
	if race.Current.At.File != learner || race.Previous.At.File != learner {
		t.Errorf("race located at %s and %s, want both in %s", race.Current.At.Location, race.Previous.At.Location, learner)
	}
}

func TestCorrectSolutionIsDone(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	res := check(t, e, "c01-counter", engine.CheckOptions{})
	if res.Status != progress.Done {
		t.Fatalf("status %s (%s), want done", res.Status, res.Why)
	}
	// The race run doubled as the done gate: repeated and shuffled.
	if got := len(res.Strict.Tests); got != 2 {
		t.Errorf("done gate ran %d tests, want 2", got)
	}
	if !strings.Contains(res.Strict.Output, "-test.shuffle") {
		t.Errorf("done gate was not shuffled; output:\n%s", res.Strict.Output)
	}
	ov, err := e.Overview()
	if err != nil {
		t.Fatal(err)
	}
	if ov.Done != 1 || ov.Today != "c02-words" {
		t.Errorf("overview done=%d today=%q, want 1 and c02-words", ov.Done, ov.Today)
	}
}

func TestEditedTestsNeverDone(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	testFile := filepath.Join(e.WS.Root, "c01-counter", "counter_test.go")
	data, _ := os.ReadFile(testFile)
	write(t, testFile, string(data)+"\n// I was here\n")
	res := check(t, e, "c01-counter", engine.CheckOptions{})
	if res.Status != progress.Passing || !strings.Contains(res.Why, "counter_test.go") {
		t.Errorf("status %s (%s), want passing because counter_test.go was edited", res.Status, res.Why)
	}
}

func TestSkippedRaceCheckIsNeverDone(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	res := check(t, e, "c01-counter", engine.CheckOptions{NoRace: true})
	if res.Status != progress.Passing || res.Strict != nil {
		t.Errorf("status %s, strict %v: want passing without a race run", res.Status, res.Strict != nil)
	}
}

func TestChallengeWithoutRaceCheck(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c02-words", "words.go", "_solution/words.go")
	res := check(t, e, "c02-words", engine.CheckOptions{})
	if res.Status != progress.Done || res.Strict != nil {
		t.Errorf("status %s (%s), strict run %v: want done from the plain run", res.Status, res.Why, res.Strict != nil)
	}
}

func TestNewRunSupersedesTheOneInFlight(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	// A learner file whose tests would block for a long time.
	write(t, filepath.Join(e.WS.Root, "c01-counter", "counter.go"),
		"package counter\n\nimport \"time\"\n\ntype Counter struct{ n int }\n\nfunc (c *Counter) Inc() { time.Sleep(time.Hour) }\n\nfunc (c *Counter) Value() int { return c.n }\n")
	first := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		_, err := e.Check(ctx(t), "c01-counter", engine.CheckOptions{OnStage: func(engine.Stage) {
			select {
			case <-started:
			default:
				close(started)
			}
		}})
		first <- err
	}()
	<-started
	time.Sleep(500 * time.Millisecond) // let go test start its processes
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	res := check(t, e, "c01-counter", engine.CheckOptions{NoRace: true})
	select {
	case err := <-first:
		if !errors.Is(err, engine.ErrSuperseded) {
			t.Errorf("first run ended with %v, want ErrSuperseded", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the superseded run did not end")
	}
	if res.Status != progress.Passing {
		t.Errorf("second run status %s, want passing", res.Status)
	}
}

func TestHintsUnlockProgressively(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	if _, err := e.ShowHint("c01-counter", 0, false); err == nil {
		t.Fatal("hint 1 shown before any attempt")
	} else if l, ok := engine.IsHintLocked(err); !ok || l.Level != 1 || l.FailedRuns != 1 {
		t.Fatalf("err %v, want hint 1 locked for one more failed run", err)
	}
	check(t, e, "c01-counter", engine.CheckOptions{NoRace: true}) // one failed run
	h, err := e.ShowHint("c01-counter", 0, false)
	if err != nil || h.Level != 1 || h.Early {
		t.Fatalf("hint = %+v, %v; want level 1 unlocked", h, err)
	}
	// The workspace holds it sealed; the text comes from the curriculum.
	if want := "Several goroutines write the same field: something has to order them."; h.Text != want {
		t.Errorf("hint 1 text %q, want %q", h.Text, want)
	}
	if _, err := e.ShowHint("c01-counter", 3, false); err == nil {
		t.Error("hint 3 shown before hint 2")
	}
	h, err = e.ShowHint("c01-counter", 0, true)
	if err != nil || h.Level != 2 || !h.Early {
		t.Fatalf("early hint = %+v, %v; want level 2, early", h, err)
	}
	p, _ := e.WS.Progress.Load()
	if c := p.Get("c01-counter"); c.HintsUsed != 2 || c.EarlyHints != 1 {
		t.Errorf("progress hints used %d early %d, want 2 and 1", c.HintsUsed, c.EarlyHints)
	}
}

func TestBenchmarksJudgedAndRecorded(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	rep, err := e.Bench(ctx(t), "c01-counter", engine.BenchOptions{Count: 2, Benchtime: "1000x"})
	if err != nil {
		t.Fatal(err)
	}
	var inc *engine.BenchVerdict
	for i := range rep.Verdicts {
		if rep.Verdicts[i].Name == "BenchmarkInc" {
			inc = &rep.Verdicts[i]
		}
	}
	if inc == nil || inc.Gate == nil || inc.Runs != 2 || !inc.AllocsOK || inc.Ratio <= 0 {
		t.Fatalf("BenchmarkInc verdict %+v, want a gated 2-run median with a ratio and 0 allocs", inc)
	}
	p, _ := e.WS.Progress.Load()
	if best, ok := p.Get("c01-counter").Best["BenchmarkInc"]; !ok || best.NsPerOp <= 0 {
		t.Errorf("best BenchmarkInc not recorded: %+v", p.Get("c01-counter").Best)
	}
}

func TestResetRestoresAndBacksUp(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	ch, _ := e.Challenge("c01")
	backup, err := e.WS.Reset(ch, os.DirFS(fixtureCurriculum))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(e.WS.Root, "c01-counter", "counter.go"))
	starter, _ := os.ReadFile(filepath.Join(fixtureCurriculum, "c01-counter", "counter.go"))
	if string(got) != string(starter) {
		t.Error("counter.go not restored to the starter")
	}
	saved, _ := os.ReadFile(filepath.Join(backup, "counter.go"))
	solution, _ := os.ReadFile(filepath.Join(fixtureCurriculum, "c01-counter", "_solution", "counter.go"))
	if string(saved) != string(solution) {
		t.Error("the learner's counter.go was not backed up")
	}
	if _, err := os.Stat(filepath.Join(e.WS.Root, "c01-counter", "_solution")); err == nil {
		t.Error("reset wrote the solution into the workspace")
	}
}

func TestSolutionOpensAfterAllHintsAndAConfirm(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	if _, err := e.RevealSolution("c01-counter", true); err == nil {
		t.Fatal("solution shown before any attempt or hint, even with confirm")
	} else if l, ok := engine.IsSolutionLocked(err); !ok || l.NeedsConfirm || l.HintsLeft != 3 {
		t.Fatalf("err %v, want locked with 3 hints left", err)
	}
	for level := 1; level <= 3; level++ {
		if _, err := e.ShowHint("c01-counter", 0, true); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.RevealSolution("c01-counter", false); err == nil {
		t.Fatal("solution shown after all hints without a confirm")
	} else if l, ok := engine.IsSolutionLocked(err); !ok || !l.NeedsConfirm {
		t.Fatalf("err %v, want a request to confirm", err)
	}
	sol, err := e.RevealSolution("c01-counter", true)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(fixtureCurriculum, "c01-counter", "_solution", "counter.go"))
	if len(sol.Files) != 1 || sol.Files[0].Reference != string(want) || sol.Files[0].Path != filepath.Join(e.WS.Root, "c01-counter", "counter.go") || !sol.BeforePass {
		t.Errorf("solution %+v, want counter.go's reference beside the learner's file, revealed before passing", sol.Files)
	}
	p, _ := e.WS.Progress.Load()
	if p.Get("c01-counter").SolutionAt.IsZero() {
		t.Error("revealing the solution was not recorded")
	}
}

func TestSolutionOpensOncePassed(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	learnerWrites(t, e, "c01-counter", "counter.go", "_solution/counter.go")
	if res := check(t, e, "c01-counter", engine.CheckOptions{NoRace: true}); res.Status != progress.Passing {
		t.Fatalf("status %s, want passing", res.Status)
	}
	sol, err := e.RevealSolution("c01", false)
	if err != nil || sol.BeforePass {
		t.Fatalf("solution after passing: %+v, %v; want it without a confirm", sol, err)
	}
}

func TestRaceCheckRunsWhateverTheSettingAndManifestSay(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	// The editor setting is off (NoRace); the race check still finds it.
	learnerWrites(t, e, "c01-counter", "counter.go", "_wrong/racy/counter.go")
	if res := check(t, e, "c01-counter", engine.CheckOptions{NoRace: true, RaceCheck: true}); res.Status != progress.Racy {
		t.Errorf("race check of a racy counter: %s (%s), want racy", res.Status, res.Why)
	}
	// c02-words asks for no race check: an explicit one runs anyway.
	learnerWrites(t, e, "c02-words", "words.go", "_solution/words.go")
	res := check(t, e, "c02-words", engine.CheckOptions{RaceCheck: true})
	if res.Strict == nil || res.StrictStage != engine.StageRace || res.Status != progress.Done {
		t.Errorf("race check of c02: strict run %v, stage %q, status %s (%s); want a race stage and done", res.Strict != nil, res.StrictStage, res.Status, res.Why)
	}
}
