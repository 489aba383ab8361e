package runner

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// goTestSuite is testdata/x_test.go.txt rewritten for this runner. Its
// `go test -json` output, recorded with Go 1.26, is testdata/gotest.json.
func goTestSuite() Suite {
	return Suite{Name: "example.com/t2j", Cases: []Case{
		{Name: "TestA", Fn: fn(func(t *T) {
			t.Log("hello")
			t.Logf("two\nlines")
		})},
		{Name: "TestB", Fn: fn(func(t *T) {
			t.Run("one", func(t *T) { t.Log("in one") })
			t.Run("two", func(t *T) {
				t.Run("deep", func(t *T) { t.Errorf("bad %d", 1) })
			})
			t.Log("after")
		})},
		{Name: "TestC", Fn: fn(func(t *T) {
			t.Skip("not today")
		})},
		{Name: "TestD", Fn: fn(func(t *T) {
			t.Run("p", func(t *T) {
				t.Parallel()
				t.Log("p runs")
			})
			t.Log("body done")
		})},
		{Name: "TestE", Fn: fn(func(t *T) {
			t.Cleanup(func() { t.Log("cleanup 1") })
			t.Cleanup(func() { t.Log("cleanup 2") })
			t.Fatalf("fatal %s", "x")
			t.Log("never")
		})},
		{Name: "TestF", Fn: fn(func(t *T) {
			t.Run("dup", func(t *T) {})
			t.Run("dup", func(t *T) {})
			t.Run("a b", func(t *T) {})
		})},
	}}
}

// normEvent is an event without what differs from run to run.
type normEvent struct{ Action, Package, Test, Output string }

var (
	fileLine = regexp.MustCompile(`^(\s+)\S+\.go:\d+: `) // testing's "x_test.go:12: " prefix
	testDur  = regexp.MustCompile(`\(\d+\.\d\ds\)\n$`)
	suiteDur = regexp.MustCompile(`\t\d+\.\d{3}s\n$`)
)

func normalise(evs stream) []normEvent {
	out := make([]normEvent, 0, len(evs))
	for _, ev := range evs {
		o := fileLine.ReplaceAllString(ev.Output, "$1")
		o = testDur.ReplaceAllString(o, "(X.XXs)\n")
		o = suiteDur.ReplaceAllString(o, "\tX.XXXs\n")
		out = append(out, normEvent{ev.Action, ev.Package, ev.Test, o})
	}
	return out
}

// TestEventStreamMatchesGoTest runs the tests of testdata/x_test.go.txt and
// compares the stream with what `go test -json` printed for them, ignoring
// times, durations and testing's file:line prefix.
func TestEventStreamMatchesGoTest(t *testing.T) {
	data, err := os.ReadFile("testdata/gotest.json")
	if err != nil {
		t.Fatal(err)
	}
	want := normalise(decode(t, data))
	_, evs := execute(t, &Runner{MaxParallel: 1}, goTestSuite())
	if diff := cmp.Diff(want, normalise(evs)); diff != "" {
		t.Errorf("event stream vs go test -json (-go test +yours):\n%s", diff)
	}
}

// TestOneTerminalEventPerRun mixes every outcome, in sequential and
// parallel tests, and checks the stream's invariants (execute calls
// checkStream) and that the Summary counts what the stream says.
func TestOneTerminalEventPerRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mixed := func(t *T) {
			t.Run("pass", func(t *T) {})
			t.Run("fail", func(t *T) { t.Error("no") })
			t.Run("skip", func(t *T) { t.Skip("later") })
			t.Run("fatal", func(t *T) { t.Fatal("stop") })
			t.Run("panic", func(t *T) { panic("boom") })
			t.Run("par", func(t *T) {
				t.Parallel()
				time.Sleep(time.Millisecond)
				t.Run("inner", func(t *T) { t.Parallel(); t.Log("inner") })
			})
		}
		s := one(
			Case{Name: "seq", Fn: fn(mixed)},
			Case{Name: "par", Fn: fn(func(t *T) { t.Parallel(); mixed(t) })},
			Case{Name: "ok", Fn: fn(func(t *T) {})},
			Case{Name: "skipped", Fn: fn(func(t *T) { t.SkipNow() })},
		)
		sum, evs := execute(t, &Runner{MaxParallel: 2}, s)

		count := map[string]int{}
		for _, ev := range evs {
			if ev.Test != "" {
				count[ev.Action]++
			}
		}
		got := Summary{Passed: sum.Passed, Failed: sum.Failed, Skipped: sum.Skipped}
		want := Summary{Passed: count["pass"], Failed: count["fail"], Skipped: count["skip"]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Summary counts vs terminal events in the stream (-stream +summary):\n%s", diff)
		}
		// seq: pass, par/inner, par pass; fail, fatal, panic fail, seq fails;
		// skip skips. Same under par. ok passes, skipped skips.
		if got, want := [3]int{sum.Passed, sum.Failed, sum.Skipped}, [3]int{7, 8, 3}; got != want {
			t.Errorf("Summary Passed, Failed, Skipped: got %v, want %v", got, want)
		}
		if sum.OK() {
			t.Errorf("Summary.OK(): got true with %d failures, want false", sum.Failed)
		}
		if got := evs.suiteResult("s"); got != "fail" {
			t.Errorf("suite with failing tests: got terminal action %q, want fail", got)
		}
	})
}

func TestSubtestNames(t *testing.T) {
	var names journal
	var runResults []bool
	s := one(
		Case{Name: "Dup", Fn: fn(func(t *T) {
			for range 3 {
				t.Run("x", func(t *T) { names.add(t.Name()) })
			}
			t.Run("with space", func(t *T) { names.add(t.Name()) })
			runResults = append(runResults,
				t.Run("passes", func(t *T) {}),
				t.Run("fails", func(t *T) { t.Fail() }),
				t.Run("skips", func(t *T) { t.SkipNow() }),
			)
			names.add(t.Name())
		})},
		Case{Name: "Dup", Fn: fn(func(t *T) { names.add(t.Name()) })},
	)
	_, evs := execute(t, &Runner{}, s)
	want := []string{"Dup/x", "Dup/x#01", "Dup/x#02", "Dup/with_space", "Dup", "Dup#01"}
	if diff := cmp.Diff(want, names.get()); diff != "" {
		t.Errorf("T.Name() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, true}, runResults); diff != "" {
		t.Errorf("Run's result for a passing, a failing and a skipped subtest (-want +got):\n%s", diff)
	}
	wantTests := []string{"Dup", "Dup/x", "Dup/x#01", "Dup/x#02", "Dup/with_space", "Dup/passes", "Dup/fails", "Dup/skips", "Dup#01"}
	if diff := cmp.Diff(wantTests, evs.tests()); diff != "" {
		t.Errorf("tests in the stream (-want +got):\n%s", diff)
	}
	if got, want := evs.output("Dup/x#01"), "=== RUN   Dup/x#01\n--- PASS: Dup/x#01 (0.00s)\n"; !strings.HasPrefix(got, "=== RUN   Dup/x#01\n") || !strings.Contains(got, "--- PASS: Dup/x#01 (") {
		t.Errorf("output of Dup/x#01: got %q, want like %q", got, want)
	}
}
