package runner

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFatalStopsTest: FailNow, Fatal, Fatalf, Skip and SkipNow end the test
// where they are called; the parent of a stopped subtest goes on.
func TestFatalStopsTest(t *testing.T) {
	var j journal
	s := one(
		Case{Name: "Fatalf", Fn: fn(func(t *T) { t.Fatalf("stop %d", 1); j.add("after Fatalf") })},
		Case{Name: "Fatal", Fn: fn(func(t *T) { t.Fatal("stop", 2); j.add("after Fatal") })},
		Case{Name: "FailNow", Fn: fn(func(t *T) { t.FailNow(); j.add("after FailNow") })},
		Case{Name: "Skipf", Fn: fn(func(t *T) { t.Skipf("skip %d", 3); j.add("after Skipf") })},
		Case{Name: "SkipNow", Fn: fn(func(t *T) { t.SkipNow(); j.add("after SkipNow") })},
		Case{Name: "Errorf", Fn: fn(func(t *T) { t.Errorf("soft %d", 4); j.add("after Errorf") })},
		Case{Name: "Parent", Fn: fn(func(t *T) {
			ok := t.Run("sub", func(t *T) { t.Fatal("sub stops"); j.add("after sub Fatal") })
			j.add("parent goes on")
			if ok {
				j.add("Run returned true for a failed subtest")
			}
			if !t.Failed() {
				j.add("parent not failed after its subtest failed")
			}
		})},
	)
	sum, evs := execute(t, &Runner{}, s)
	if diff := cmp.Diff([]string{"after Errorf", "parent goes on"}, j.get()); diff != "" {
		t.Errorf("code that ran (-want +got):\n%s", diff)
	}
	wantResults(t, evs, map[string]string{
		"Fatalf": "fail", "Fatal": "fail", "FailNow": "fail", "Skipf": "skip", "SkipNow": "skip",
		"Errorf": "fail", "Parent": "fail", "Parent/sub": "fail",
	})
	for test, msg := range map[string]string{"Fatalf": "    stop 1\n", "Fatal": "    stop 2\n", "Skipf": "    skip 3\n", "Errorf": "    soft 4\n", "Parent/sub": "    sub stops\n"} {
		if out := evs.output(test); !strings.Contains(out, msg) {
			t.Errorf("output of %s: got %q, want it to contain %q", test, out, msg)
		}
	}
	for _, test := range []string{"Fatalf", "FailNow", "Parent/sub"} {
		if out := evs.output(test); strings.Contains(out, "goroutine") {
			t.Errorf("output of %s: got %q, want no misuse report: FailNow was called from the test's goroutine", test, out)
		}
	}
	if sum.Failed != 6 || sum.Skipped != 2 {
		t.Errorf("Summary: got %d failed, %d skipped, want 6 and 2", sum.Failed, sum.Skipped)
	}
}

// TestFatalFromGoroutineIsMisuse: FailNow from a goroutine the test started
// stops that goroutine only (runtime.Goexit cannot reach another one). The
// test goes on, and the runner must say what happened.
func TestFatalFromGoroutineIsMisuse(t *testing.T) {
	var j journal
	s := one(
		Case{Name: "Misuse", Fn: fn(func(t *T) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				t.Fatalf("stop")
				j.add("helper after Fatalf")
			}()
			<-done
			j.add("test goes on")
		})},
		Case{Name: "Fine", Fn: fn(func(t *T) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				t.Errorf("Errorf is fine from any goroutine")
			}()
			<-done
		})},
	)
	_, evs := execute(t, &Runner{}, s)
	if diff := cmp.Diff([]string{"test goes on"}, j.get()); diff != "" {
		t.Errorf("code that ran (-want +got):\n%s", diff)
	}
	wantResults(t, evs, map[string]string{"Misuse": "fail", "Fine": "fail"})
	if out := evs.output("Misuse"); !strings.Contains(out, "goroutine") {
		t.Errorf("output of Misuse: got %q, want a report that FailNow was called from another goroutine (mentioning \"goroutine\")", out)
	}
	if out := evs.output("Fine"); strings.Contains(out, "goroutine other") || strings.Count(out, "goroutine") > 1 {
		t.Errorf("output of Fine: got %q, want no misuse report for Errorf", out)
	}
}

// panickyHelper is named so that the tests can look for it in the stack.
func panickyHelper() { panic("kaboom") }

// TestPanicFailsOnlyThatTest: a panic fails the test that panicked (with the
// value and the stack in its output) and its parents; everything else runs.
func TestPanicFailsOnlyThatTest(t *testing.T) {
	var j journal
	s := one(
		Case{Name: "First", Fn: fn(func(t *T) { j.add("First") })},
		Case{Name: "Panics", Fn: fn(func(t *T) {
			t.Run("sub", func(t *T) { panickyHelper() })
			j.add("Panics goes on")
		})},
		Case{Name: "ParPanics", Fn: fn(func(t *T) { t.Parallel(); panickyHelper() })},
		Case{Name: "Err", Fn: fn(func(t *T) { panic(errTest) })},
		Case{Name: "Last", Fn: fn(func(t *T) { j.add("Last") })},
	)
	sum, evs := execute(t, &Runner{}, s)
	if diff := cmp.Diff([]string{"First", "Panics goes on", "Last"}, j.get()); diff != "" {
		t.Errorf("code that ran (-want +got):\n%s", diff)
	}
	wantResults(t, evs, map[string]string{
		"First": "pass", "Panics/sub": "fail", "Panics": "fail", "ParPanics": "fail", "Err": "fail", "Last": "pass",
	})
	for _, test := range []string{"Panics/sub", "ParPanics"} {
		out := evs.output(test)
		if !strings.Contains(out, "panic: kaboom") {
			t.Errorf("output of %s: got %q, want the panic value (\"panic: kaboom\")", test, out)
		}
		if !strings.Contains(out, "panickyHelper") {
			t.Errorf("output of %s: got %q, want the stack of the panic (naming panickyHelper)", test, out)
		}
	}
	if out := evs.output("Err"); !strings.Contains(out, "panic: "+errTest.Error()) {
		t.Errorf("output of Err: got %q, want %q", out, "panic: "+errTest.Error())
	}
	if sum.Failed != 4 || sum.Passed != 2 {
		t.Errorf("Summary: got %d passed, %d failed, want 2 and 4", sum.Passed, sum.Failed)
	}
}

type testError struct{}

func (testError) Error() string { return "a test error" }

var errTest error = testError{}
