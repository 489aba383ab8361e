package gotest_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/fixture"

	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

var fixtures = fixture.Packages()

// mark returns the location of the line carrying "// mark:name" in the
// fixture file.
func mark(t *testing.T, pkg, file, name string) testresult.Location {
	t.Helper()
	path := filepath.Join(fixtures, pkg, file)
	return testresult.Location{File: path, Line: fixture.MarkLine(t, path, name)}
}

func run(t *testing.T, pkg string, timeout time.Duration, flags ...string) *testresult.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	r, err := gotest.Run(ctx, gotest.Spec{
		Dir:        fixtures,
		PackageDir: filepath.Join(fixtures, pkg),
		Flags:      append([]string{"-count=1"}, flags...),
		Timeout:    timeout,
	})
	if err != nil {
		t.Fatalf("run %s: %v", pkg, err)
	}
	return r
}

func sameLine(t *testing.T, what string, got, want testresult.Location) {
	t.Helper()
	if got.File != want.File || got.Line != want.Line {
		t.Errorf("%s at %s, want %s", what, got, want)
	}
}

func TestFailingAssertion(t *testing.T) {
	t.Parallel()
	r := run(t, "assert", 30*time.Second)
	if r.Passed || !r.Compiled() {
		t.Fatalf("passed=%v compiled=%v, want a compiled failing run", r.Passed, r.Compiled())
	}
	add := r.Test("TestAdd")
	if add == nil || add.Outcome != testresult.Fail || len(add.Failures) != 1 {
		t.Fatalf("TestAdd = %+v, want one failure", add)
	}
	sameLine(t, "TestAdd failure", add.Failures[0].Location, mark(t, "assert", "calc_test.go", "add"))
	if add.Failures[0].Message != "got 4, want 3" {
		t.Errorf("message %q, want %q", add.Failures[0].Message, "got 4, want 3")
	}
	sub := r.Test("TestSub/negative")
	if sub == nil || len(sub.Failures) != 1 {
		t.Fatalf("TestSub/negative = %+v, want one failure", sub)
	}
	sameLine(t, "subtest failure", sub.Failures[0].Location, mark(t, "assert", "calc_test.go", "sub"))
	if sub.Failures[0].Message != "first line\nsecond line" {
		t.Errorf("multi-line message %q", sub.Failures[0].Message)
	}
	for name, want := range map[string]testresult.Outcome{
		"TestSub": testresult.Fail, "TestSub/fine": testresult.Pass,
		"TestPasses": testresult.Pass, "TestSkipped": testresult.Skip,
	} {
		if got := r.Test(name); got == nil || got.Outcome != want {
			t.Errorf("%s: %+v, want %s", name, got, want)
		}
	}
}

func TestCompileErrorIsNotATestFailure(t *testing.T) {
	t.Parallel()
	r := run(t, "compile", 30*time.Second)
	if r.Passed || r.Compiled() || len(r.Tests) != 0 {
		t.Fatalf("passed=%v compiled=%v tests=%d, want a build failure and no tests", r.Passed, r.Compiled(), len(r.Tests))
	}
	want := mark(t, "compile", "broken.go", "type")
	b := r.Build[0]
	sameLine(t, "compile error", b.Location, want)
	if b.Column != 9 || b.Vet || !strings.Contains(b.Message, "cannot use") {
		t.Errorf("build error %+v, want column 9, not vet, 'cannot use'", b)
	}
}

func TestVetErrorIsKeptApart(t *testing.T) {
	t.Parallel()
	r := run(t, "vet", 30*time.Second)
	if len(r.Build) != 1 || !r.Build[0].Vet {
		t.Fatalf("build = %+v, want one vet error", r.Build)
	}
	sameLine(t, "vet error", r.Build[0].Location, mark(t, "vet", "format.go", "vet"))
}

func TestPanicLocatedInLearnerFile(t *testing.T) {
	t.Parallel()
	r := run(t, "panic", 30*time.Second)
	if len(r.Panics) != 1 {
		t.Fatalf("panics = %+v, want 1", r.Panics)
	}
	p := r.Panics[0]
	if p.Test != "TestCount" || !strings.Contains(p.Message, "assignment to entry in nil map") {
		t.Errorf("panic %q in %q", p.Message, p.Test)
	}
	sameLine(t, "panic", p.At.Location, mark(t, "panic", "counts.go", "panic"))
	if r.Test("TestCount").Outcome != testresult.Fail {
		t.Errorf("TestCount outcome %s, want fail", r.Test("TestCount").Outcome)
	}
}

func TestDataRaceBothSides(t *testing.T) {
	t.Parallel()
	r := run(t, "race", 60*time.Second, "-race")
	if len(r.Races) == 0 {
		t.Fatalf("no race found; output:\n%s", r.Test("TestTotal").Output)
	}
	race := r.Races[0]
	want := mark(t, "race", "counter.go", "race")
	sameLine(t, "current access", race.Current.At.Location, want)
	sameLine(t, "previous access", race.Previous.At.Location, want)
	if race.Current.Write == race.Previous.Write && !race.Current.Write {
		t.Errorf("two reads cannot race: %+v", race)
	}
	spawn := mark(t, "race", "counter.go", "spawn")
	sameLine(t, "current goroutine created", race.Current.CreatedAt.Location, spawn)
	sameLine(t, "previous goroutine created", race.Previous.CreatedAt.Location, spawn)
	if race.Test != "TestTotal" {
		t.Errorf("race attributed to %q, want TestTotal", race.Test)
	}
}

func TestTimeoutShowsWhereGoroutinesAreStuck(t *testing.T) {
	t.Parallel()
	r := run(t, "hang", 2*time.Second)
	if r.Stuck == nil || r.Stuck.Kind != testresult.Timeout {
		t.Fatalf("stuck = %+v, want a timeout", r.Stuck)
	}
	if len(r.Stuck.Tests) != 1 || r.Stuck.Tests[0] != "TestWait" {
		t.Errorf("running tests %v, want [TestWait]", r.Stuck.Tests)
	}
	if len(r.Stuck.Goroutines) != 1 {
		t.Fatalf("goroutines %+v, want only the test's", r.Stuck.Goroutines)
	}
	g := r.Stuck.Goroutines[0]
	sameLine(t, "stuck goroutine", g.At.Location, mark(t, "hang", "wait.go", "hang"))
	if g.State != "chan receive" {
		t.Errorf("state %q, want chan receive", g.State)
	}
}

func TestRuntimeDeadlock(t *testing.T) {
	t.Parallel()
	r := run(t, "deadlock", 30*time.Second)
	if r.Stuck == nil || r.Stuck.Kind != testresult.Deadlock {
		t.Fatalf("stuck = %+v, want a deadlock", r.Stuck)
	}
	if len(r.Stuck.Goroutines) != 1 {
		t.Fatalf("goroutines %+v", r.Stuck.Goroutines)
	}
	sameLine(t, "deadlocked goroutine", r.Stuck.Goroutines[0].At.Location, mark(t, "deadlock", "setup.go", "deadlock"))
}

func TestSynctestBubbleDeadlock(t *testing.T) {
	t.Parallel()
	r := run(t, "bubble", 30*time.Second)
	if r.Stuck == nil || r.Stuck.Kind != testresult.Deadlock {
		t.Fatalf("stuck = %+v, want a deadlock", r.Stuck)
	}
	var lines []int
	for _, g := range r.Stuck.Goroutines {
		lines = append(lines, g.At.Line)
	}
	recv := mark(t, "bubble", "pipe_test.go", "recv")
	found := false
	for _, g := range r.Stuck.Goroutines {
		if g.At.Location == recv {
			found = true
		}
	}
	if !found {
		t.Errorf("blocked goroutines at lines %v, want one at %s", lines, recv)
	}
}

func TestOutputFloodIsStopped(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	r, err := gotest.Run(ctx, gotest.Spec{
		Dir: fixtures, PackageDir: filepath.Join(fixtures, "flood"),
		Flags: []string{"-count=1"}, Timeout: time.Minute, MaxStream: 8 << 20,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed || !strings.Contains(r.Problem, "output flood") {
		t.Errorf("problem %q, want an output flood", r.Problem)
	}
	if ft := r.Test("TestFlood"); ft == nil || len(ft.Output) > 512<<10 {
		t.Errorf("kept output not bounded")
	}
}

func TestCancelledRunLeavesNoProcess(t *testing.T) {
	t.Parallel()
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := gotest.Run(ctx, gotest.Spec{
			Dir: fixtures, PackageDir: filepath.Join(fixtures, "child"),
			Flags: []string{"-count=1"}, Timeout: time.Minute,
			Env: []string{"CHILD_PID_FILE=" + pidFile},
		})
		done <- err
	}()
	var pid int
	deadline := time.Now().Add(2 * time.Minute)
	for pid == 0 {
		if time.Now().After(deadline) {
			t.Fatal("child never started")
		}
		if b, err := os.ReadFile(pidFile); err == nil && len(b) > 0 {
			pid, _ = strconv.Atoi(string(b))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Error("cancelled run returned no error")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	for start := time.Now(); alive(pid); {
		if time.Since(start) > 10*time.Second {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("child process %d outlived the cancelled run", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// alive reports whether pid is a live process (zombies waiting to be
// reaped by init count as gone).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	f := strings.Fields(string(b))
	return len(f) > 2 && f[2] != "Z"
}

func TestBenchmarksParsed(t *testing.T) {
	t.Parallel()
	r := run(t, "bench", 60*time.Second, "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", "100x")
	if len(r.Benchmarks) != 2 {
		t.Fatalf("benchmarks = %+v, want 2", r.Benchmarks)
	}
	byName := map[string]testresult.Benchmark{}
	for _, b := range r.Benchmarks {
		byName[b.Name] = b
	}
	sum, cp := byName["BenchmarkSum"], byName["BenchmarkCopy"]
	if !sum.HasMem || sum.AllocsPerOp != 0 || sum.Iterations != 100 || sum.NsPerOp <= 0 {
		t.Errorf("BenchmarkSum = %+v, want 100 iterations, 0 allocs/op, ns/op > 0", sum)
	}
	if cp.AllocsPerOp != 1 || cp.BytesPerOp != 64 {
		t.Errorf("BenchmarkCopy = %+v, want 1 alloc and 64 B per op", cp)
	}
	if !r.Passed {
		t.Errorf("benchmark run not passed: %s", r.Output)
	}
}

func TestBrokenGoModIsAClearProblem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module broken\n\ngo 1.26\nrequire (\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "x_test.go"), []byte("package x\n"), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := gotest.Run(ctx, gotest.Spec{Dir: dir, PackageDir: dir, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if r.Passed || !strings.Contains(r.Problem, "go.mod") {
		t.Errorf("problem %q, want one naming go.mod", r.Problem)
	}
}
