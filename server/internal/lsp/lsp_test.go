package lsp_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/fixture"
	"gochallenge.dev/gochallenge/server/internal/lsp"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

func TestSaveShowsTheFailingAssertion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.writeAndSave("c01-counter/counter.go", mustRead(t, e.path("c01-counter/counter.go")))
	line := fixture.MarkLine(t, e.path("c01-counter/counter_test.go"), "inc")
	e.await("test-failure at counter_test.go mark:inc", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter_test.go", lsp.CodeTestFailure, line) != nil
	})
	e.client.mu.Lock()
	d := e.client.diagnostic(e.root, "c01-counter/counter_test.go", lsp.CodeTestFailure, line)
	e.client.mu.Unlock()
	if msg := message(*d); !strings.HasPrefix(msg, "TestInc: got 0, want 2") || !strings.Contains(msg, "--- FAIL: TestInc") {
		t.Errorf("message %q, want the test name, the assertion and the test's output", msg)
	}
	if src, _ := d.Source.Get(); src != "gochallenge" || d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("source %q severity %d", src, d.Severity)
	}
	e.await("status failing", func(r *recorder) bool { return strings.Join(r.statuses("c01-counter"), ",") == "failing" })
	// The race run fails the same assertion again; the learner sees it once.
	e.client.mu.Lock()
	n := 0
	for _, d := range e.client.diags[uri.File(e.path("c01-counter/counter_test.go"))] {
		if code(d) == lsp.CodeTestFailure && int(d.Range.Start.Line)+1 == line {
			n++
		}
	}
	e.client.mu.Unlock()
	if n != 1 {
		t.Errorf("%d test-failure diagnostics at counter_test.go:%d, want 1", n, line)
	}
}

func TestCompileErrorThenFixClearsEverything(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.writeAndSave("c01-counter/counter.go", "package counter\n\ntype Counter struct{}\n\nfunc (c *Counter) Inc() { c.n++ }\n\nfunc (c *Counter) Value() int { return 0 }\n")
	e.await("compile error at counter.go:5", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter.go", lsp.CodeCompileError, 5) != nil
	})
	e.client.mu.Lock()
	d := e.client.diagnostic(e.root, "c01-counter/counter.go", lsp.CodeCompileError, 5)
	if d.Range.Start.Character != 28 || e.client.diagnostic(e.root, "c01-counter/counter_test.go", lsp.CodeTestFailure, 0) != nil {
		t.Errorf("compile error at column %d (want 28), or a test failure shown for a build failure", d.Range.Start.Character)
	}
	e.client.mu.Unlock()
	e.copyIn("c01-counter/counter.go", "c01-counter/_solution/counter.go")
	e.await("status done and no diagnostics", func(r *recorder) bool {
		s := r.statuses("c01-counter")
		return len(s) > 0 && s[len(s)-1] == "done" && r.total() == 0
	})
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	if got := strings.Join(e.client.statuses("c01-counter"), ","); got != "compile-error,done" {
		t.Errorf("status notifications %s, want compile-error,done", got)
	}
}

func TestDataRaceShowsBothSides(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.copyIn("c01-counter/counter.go", "c01-counter/_wrong/racy/counter.go")
	e.await("data races in counter.go", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter.go", lsp.CodeDataRace, 0) != nil
	})
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	var races []protocol.Diagnostic
	for _, d := range e.client.diags[uri.File(e.path("c01-counter/counter.go"))] {
		if code(d) == lsp.CodeDataRace {
			races = append(races, d)
		}
	}
	if len(races) < 2 {
		t.Fatalf("%d race diagnostics, want both accesses", len(races))
	}
	rel := races[0].RelatedInformation
	if len(rel) < 2 || !strings.Contains(rel[0].Message, "the other access") || !strings.Contains(rel[len(rel)-1].Message, "was started here") {
		t.Errorf("related information %+v, want the other access and where goroutines started", rel)
	}
	if !strings.Contains(message(races[0]), "TestConcurrentInc") {
		t.Errorf("race message %q lacks the test", message(races[0]))
	}
}

func TestPanicShowsTheLearnerLine(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.writeAndSave("c02-words/words.go", "package words\n\nfunc Words(s string) int {\n\tvar seen map[string]int\n\tseen[s]++\n\treturn 0\n}\n")
	e.await("panic at words.go:5", func(r *recorder) bool {
		return r.diagnostic(e.root, "c02-words/words.go", lsp.CodePanic, 5) != nil
	})
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	d := e.client.diagnostic(e.root, "c02-words/words.go", lsp.CodePanic, 5)
	if msg := message(*d); !strings.Contains(msg, "nil map") || !strings.Contains(msg, "TestWords") {
		t.Errorf("panic message %q, want the panic value and the test", msg)
	}
}

func TestDeadlockShowsWhereEveryGoroutineWaits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// init runs before the test alarm is armed, so the runtime itself
	// reports that all goroutines are asleep.
	e.writeAndSave("c02-words/words.go", "package words\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc init() {\n\tmu.Lock()\n\tmu.Lock()\n}\n\nfunc Words(s string) int { return 0 }\n")
	e.await("deadlock at words.go:9", func(r *recorder) bool {
		return r.diagnostic(e.root, "c02-words/words.go", lsp.CodeDeadlock, 9) != nil
	})
	e.await("status failing", func(r *recorder) bool { return strings.Join(r.statuses("c02-words"), ",") == "failing" })
}

func TestTimeoutShowsWhereTheGoroutineIsStuck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	// c02 has a 30 s timeout; a learner loop that never ends hits it.
	e.writeAndSave("c02-words/words.go", "package words\n\nfunc Words(s string) int {\n\tch := make(chan int)\n\treturn <-ch\n}\n")
	e.await("timeout diagnostic at words.go:5", func(r *recorder) bool {
		return r.diagnostic(e.root, "c02-words/words.go", lsp.CodeTimeout, 5) != nil
	})
}

func TestBurstOfSavesRunsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for range 20 {
		e.copyIn("c02-words/words.go", "c02-words/_solution/words.go")
		time.Sleep(5 * time.Millisecond)
	}
	e.await("status done", func(r *recorder) bool { return len(r.statuses("c02-words")) == 1 })
	time.Sleep(500 * time.Millisecond) // a second run would have started by now
	data, _ := os.ReadFile(filepath.Join(e.root, ".gochallenge", progress.JournalFile))
	if runs := strings.Count(string(data), `"kind":"run"`); runs != 1 {
		t.Errorf("%d runs recorded for a burst of 20 saves, want 1", runs)
	}
}

func TestBurstOfEditsShowsOnlyTheLastVersion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	solution := mustRead(t, filepath.Join(fixture.Curriculum(), "c02-words/_solution/words.go"))
	for i := range 20 {
		// Every save but the last is broken; only the last may be judged.
		text := "package words\n\nfunc Words(s string) int { return " + strconv.Itoa(i) + " }\n"
		if i == 19 {
			text = solution + "// edit " + strconv.Itoa(i) + "\n"
		}
		e.writeAndSave("c02-words/words.go", text)
		time.Sleep(20 * time.Millisecond)
	}
	e.await("a status", func(r *recorder) bool { return len(r.statuses("c02-words")) > 0 })
	time.Sleep(500 * time.Millisecond) // a second result would have arrived by now
	e.client.mu.Lock()
	got := e.client.statuses("c02-words")
	e.client.mu.Unlock()
	if strings.Join(got, ",") != "done" {
		t.Errorf("statuses %v after a burst ending in a solution, want only [done]", got)
	}
	data, _ := os.ReadFile(filepath.Join(e.root, ".gochallenge", progress.JournalFile))
	if runs := strings.Count(string(data), `"kind":"run"`); runs != 1 {
		t.Errorf("%d runs recorded for a burst of 20 edits, want 1", runs)
	}
}

// A watcher event or didSave that arrives after its write's run began (a
// slow file-system notification) is an echo, not a new request.
func TestLateEchoOfASaveDoesNotRunAgain(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.copyIn("c02-words/words.go", "c02-words/_solution/words.go")
	e.await("the run to start", func(r *recorder) bool { return r.count("$/progress") > 0 })
	e.notify("textDocument/didSave", map[string]any{"textDocument": map[string]string{"uri": string(uri.File(e.path("c02-words/words.go")))}})
	e.await("status done", func(r *recorder) bool { return len(r.statuses("c02-words")) == 1 })
	time.Sleep(500 * time.Millisecond) // a second run would have started by now
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	begun := 0
	for _, n := range e.client.notes {
		if n.method == "$/progress" && strings.Contains(string(n.params), `"kind":"begin"`) {
			begun++
		}
	}
	if begun != 1 {
		t.Errorf("%d runs began for one write and its echo, want 1", begun)
	}
}

// The editor's settings reach the engine: with the race detector off on
// save a correct solution is passing, never done, and says why.
func TestSettingsFromTheEditor(t *testing.T) {
	t.Parallel()
	e := newEnv(t, map[string]any{"raceOnSave": false, "debounceMs": 10, "timeoutSeconds": 30})
	e.copyIn("c01-counter/counter.go", "c01-counter/_solution/counter.go")
	e.await("status passing", func(r *recorder) bool { return strings.Join(r.statuses("c01-counter"), ",") == "passing" })
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	for _, n := range e.client.notes {
		if strings.HasSuffix(n.method, "statusChanged") && !strings.Contains(string(n.params), "race") {
			t.Errorf("status without the reason (race check skipped): %s", n.params)
		}
	}
}

func TestShutdownWithARunInFlight(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.writeAndSave("c02-words/words.go", "package words\n\nimport \"time\"\n\nfunc Words(s string) int { time.Sleep(time.Hour); return 0 }\n")
	e.await("the run to start", func(r *recorder) bool { return r.count("$/progress") > 0 })
	if err := e.call("shutdown", nil, nil); err != nil {
		t.Fatal(err)
	}
	e.notify("exit", nil)
	select {
	case code := <-e.exit:
		if code != 0 {
			t.Errorf("exit code %d after shutdown, want 0", code)
		}
		e.exit <- code // for the cleanup
	case <-time.After(time.Minute):
		t.Fatal("server did not exit with a run in flight")
	}
}

func TestExitWithoutShutdownIsCodeOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.notify("exit", nil)
	select {
	case code := <-e.exit:
		e.exit <- code
		if code != 1 {
			t.Errorf("exit code %d, want 1", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit")
	}
}

func TestUnknownMethodIsMethodNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	err := e.call("textDocument/hover", map[string]any{}, nil)
	var re *jsonrpc2.Error
	if !errors.As(err, &re) || re.Code != jsonrpc2.CodeMethodNotFound {
		t.Errorf("err %v, want MethodNotFound", err)
	}
}

func TestCodeLensAndBenchmark(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bench := uri.File(e.path("c01-counter/bench_test.go"))
	var lenses []struct {
		Command struct {
			Title     string
			Command   string
			Arguments []json.RawMessage
		}
	}
	if err := e.call("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": string(bench)}}, &lenses); err != nil {
		t.Fatal(err)
	}
	if len(lenses) != 2 || lenses[0].Command.Command != lsp.CommandRunBenchmark || !strings.Contains(lenses[0].Command.Title, "target <= 0 allocs/op, <= 50x BenchmarkAtomicAdd") {
		t.Fatalf("lenses %+v", lenses)
	}
	e.copyIn("c01-counter/counter.go", "c01-counter/_solution/counter.go")
	e.await("status done", func(r *recorder) bool { return len(r.statuses("c01-counter")) == 1 })
	var res struct {
		Verdicts []struct {
			Name     string
			NsPerOp  float64
			AllocsOK bool
		}
	}
	args := []any{string(bench), "BenchmarkInc"}
	if err := e.call("workspace/executeCommand", map[string]any{"command": lsp.CommandRunBenchmark, "arguments": args}, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Verdicts) != 2 || res.Verdicts[1].Name != "BenchmarkInc" || !res.Verdicts[1].AllocsOK || res.Verdicts[1].NsPerOp <= 0 {
		t.Fatalf("verdicts %+v", res.Verdicts)
	}
	e.await("benchmark notification", func(r *recorder) bool { return r.count("gochallenge/benchmarkResult") == 1 })
	if err := e.call("textDocument/codeLens", map[string]any{"textDocument": map[string]string{"uri": string(bench)}}, &lenses); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lenses[0].Command.Title, "ns/op") {
		t.Errorf("lens after a run %q, want the last result", lenses[0].Command.Title)
	}
}

func TestCancelRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.writeAndSave("c02-words/words.go", "package words\n\nimport \"time\"\n\nfunc Words(s string) int { time.Sleep(time.Hour); return 0 }\n")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w, err := e.conn.DispatchCall(ctx, "workspace/executeCommand", map[string]any{"command": lsp.CommandCheck, "arguments": []any{"c02-words"}}, jsonrpc2.PickID(jsonrpc2.ID{Num: 4242}))
	if err != nil {
		t.Fatal(err)
	}
	e.await("the run to start", func(r *recorder) bool { return r.count("$/progress") > 0 })
	e.notify("$/cancelRequest", map[string]any{"id": 4242})
	err = w.Wait(ctx, nil)
	var re *jsonrpc2.Error
	if !errors.As(err, &re) || re.Code != -32800 {
		t.Errorf("cancelled request ended with %v, want RequestCancelled", err)
	}
}

func TestTreeHintAndStatement(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var tree lsp.Tree
	if err := e.call("gochallenge/tree", nil, &tree); err != nil {
		t.Fatal(err)
	}
	if len(tree.Sections) != 1 || tree.Sections[0].Name != "Week 1" || tree.Sections[0].Total != 2 || tree.Today != "c01-counter" {
		t.Errorf("tree %+v", tree)
	}
	var hint lsp.HintResult
	if err := e.call("gochallenge/hint", lsp.HintParams{Challenge: "c01-counter"}, &hint); err != nil {
		t.Fatal(err)
	}
	if hint.Locked == nil || hint.Locked.Level != 1 {
		t.Errorf("hint before trying %+v, want locked", hint)
	}
	if err := e.call("gochallenge/hint", lsp.HintParams{Challenge: "c01-counter", Early: true}, &hint); err != nil || hint.Hint == nil || !hint.Hint.Early {
		t.Errorf("early hint %+v %v", hint, err)
	}
	var st lsp.Statement
	if err := e.call("gochallenge/statement", lsp.ChallengeParams{Challenge: "c02"}, &st); err != nil || st.README != e.path("c02-words/README.md") || st.MainFile != e.path("c02-words/words.go") {
		t.Errorf("statement %+v %v", st, err)
	}
}

func TestOutsideAWorkspaceTheServerIsQuiet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644)
	e := startEnv(t, dir)
	e.notify("textDocument/didSave", map[string]any{"textDocument": map[string]string{"uri": string(uri.File(filepath.Join(dir, "main.go")))}})
	err := e.call("gochallenge/tree", nil, nil)
	if err == nil {
		t.Error("tree outside a workspace succeeded")
	}
	time.Sleep(300 * time.Millisecond)
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	if n := e.client.count("textDocument/publishDiagnostics"); n != 0 {
		t.Errorf("%d diagnostics published outside a workspace", n)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
