package runner

import (
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestTimeoutAbandonsHungTest: a goroutine cannot be killed, so a test that
// outlives its timeout is reported as failed and leaked, and the run goes
// on without it. When the hung test finally returns, nothing more reaches
// the stream. All on synctest's fake clock.
func TestTimeoutAbandonsHungTest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var j journal
		s := one(
			Case{Name: "Before", Fn: fn(func(t *T) {})},
			Case{Name: "Hang", Timeout: time.Second, Fn: fn(func(t *T) {
				t.Run("stuck", func(t *T) {
					<-release // ignores its context: the worst case
					j.add("stuck released")
					t.Log("late output")
					t.Run("late subtest", func(t *T) { j.add("late subtest ran") })
				})
				t.Log("late output from Hang")
			})},
			Case{Name: "Cooperative", Timeout: 2 * time.Second, Fn: fn(func(t *T) {
				<-t.Context().Done()
				j.add("Cooperative saw its context cancelled")
			})},
			Case{Name: "After", Fn: fn(func(t *T) {})},
		)
		r := &Runner{Timeout: time.Hour}
		start := time.Now()
		sum, evs := execute(t, r, s)
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("Execute took %v of fake time, want 3s (a 1s and a 2s timeout; the case's Timeout overrides the Runner's)", got)
		}
		wantResults(t, evs, map[string]string{"Before": "pass", "Hang/stuck": "fail", "Hang": "fail", "Cooperative": "fail", "After": "pass"})
		leaked := slices.Sorted(slices.Values(sum.Leaked))
		if diff := cmp.Diff([]string{"s/Cooperative", "s/Hang", "s/Hang/stuck"}, leaked); diff != "" {
			t.Errorf("Summary.Leaked (-want +got):\n%s", diff)
		}
		if sum.Failed != 3 || sum.Passed != 2 || sum.OK() {
			t.Errorf("Summary: got %+v, want 3 failed, 2 passed, not OK", sum)
		}
		if out := evs.output("Hang"); !strings.Contains(out, "timed out") {
			t.Errorf("output of Hang: got %q, want it to say the test timed out", out)
		}
		if got := evs.suiteResult("s"); got != "fail" {
			t.Errorf("suite with a timed-out test: got %q, want fail", got)
		}
		synctest.Wait()
		if diff := cmp.Diff([]string{"Cooperative saw its context cancelled"}, j.get()); diff != "" {
			t.Errorf("after the timeout, before the release (-want +got):\n%s", diff)
		}

		// Let the hung test go: its goroutine must end (goleak checks) and
		// write nothing more: it has already been reported.
		w := r.Out.(*lineWriter)
		before, _ := w.bytes()
		close(release)
		synctest.Wait()
		after, _ := w.bytes()
		if len(after) != len(before) {
			t.Errorf("Out after the abandoned test returned: got %d more bytes %q, want nothing", len(after)-len(before), after[len(before):])
		}
		if got := j.get(); !slices.Contains(got, "stuck released") || slices.Contains(got, "late subtest ran") {
			t.Errorf("after the release: got %q, want the hung test to finish without running new subtests", got)
		}
	})
}

// TestTimeoutOfParallelCase: a parallel case's timeout counts from CONT,
// not while it waits for the sequential cases; and a hung parallel test
// gives its slot back, so the other parallel tests still run.
func TestTimeoutOfParallelCase(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		s := one(
			Case{Name: "Waits", Fn: fn(func(t *T) {
				t.Parallel()
				time.Sleep(500 * time.Millisecond)
			})},
			Case{Name: "HangPar", Fn: fn(func(t *T) {
				t.Parallel()
				<-release
			})},
			Case{Name: "Slow", Fn: fn(func(t *T) { time.Sleep(5 * time.Second) }), Timeout: 10 * time.Second},
			Case{Name: "Other", Fn: fn(func(t *T) {
				t.Parallel()
				time.Sleep(500 * time.Millisecond)
			})},
		)
		sum, evs := execute(t, &Runner{MaxParallel: 1, Timeout: time.Second}, s)
		wantResults(t, evs, map[string]string{"Waits": "pass", "Slow": "pass", "HangPar": "fail", "Other": "pass"})
		if diff := cmp.Diff([]string{"s/HangPar"}, sum.Leaked); diff != "" {
			t.Errorf("Summary.Leaked (-want +got):\n%s", diff)
		}
	})
}
