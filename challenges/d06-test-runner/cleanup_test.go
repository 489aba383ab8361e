package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestCleanupOrder: cleanups run last-in first-out, after the test's
// function and all its subtests (so a child's cleanups before its parent's),
// even when the test called FailNow or panicked, and even when a cleanup
// itself panics or calls FailNow.
func TestCleanupOrder(t *testing.T) {
	var j journal
	add := func(s string) func() { return func() { j.add(s) } }
	s := one(
		Case{Name: "C", Fn: fn(func(t *T) {
			t.Cleanup(add("C 1"))
			t.Cleanup(add("C 2"))
			t.Run("fatal", func(t *T) {
				t.Cleanup(add("fatal 1"))
				t.Cleanup(add("fatal 2"))
				t.Fatal("stop")
			})
			t.Run("par", func(t *T) {
				t.Cleanup(add("par 1"))
				t.Parallel()
				t.Cleanup(add("par 2"))
				panic("par panics")
			})
			j.add("C returns")
		})},
		Case{Name: "BadCleanups", Fn: fn(func(t *T) {
			t.Cleanup(add("bad 1"))
			t.Cleanup(func() { t.FailNow() })
			t.Cleanup(add("bad 3"))
			t.Cleanup(func() { panic("cleanup panics") })
			t.Cleanup(add("bad 5"))
		})},
	)
	_, evs := execute(t, &Runner{}, s)
	want := []string{
		"fatal 2", "fatal 1", "C returns", "par 2", "par 1", "C 2", "C 1",
		"bad 5", "bad 3", "bad 1",
	}
	if diff := cmp.Diff(want, j.get()); diff != "" {
		t.Errorf("cleanup order (-want +got):\n%s", diff)
	}
	wantResults(t, evs, map[string]string{"C": "fail", "C/fatal": "fail", "C/par": "fail", "BadCleanups": "fail"})
	if out := evs.output("BadCleanups"); !strings.Contains(out, "cleanup panics") {
		t.Errorf("output of BadCleanups: got %q, want the cleanup's panic reported", out)
	}
}

// TestCleanupOutput: what a cleanup logs belongs to its test and comes
// before the test's result line.
func TestCleanupOutput(t *testing.T) {
	s := one(Case{Name: "Logs", Fn: fn(func(t *T) {
		t.Cleanup(func() { t.Log("from cleanup") })
		t.Log("from body")
	})})
	_, evs := execute(t, &Runner{}, s)
	out := evs.output("Logs")
	body, cleanup, result := strings.Index(out, "    from body\n"), strings.Index(out, "    from cleanup\n"), strings.Index(out, "--- PASS: Logs")
	if body < 0 || cleanup < body || result < cleanup {
		t.Errorf("output of Logs: got %q, want body log, then cleanup log, then --- PASS", out)
	}
}

// TestContext: T.Context is live during the test, cancelled just before its
// cleanups run, and cancelled when the ctx given to Execute is.
func TestContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s := one(
			Case{Name: "Live", Fn: fn(func(t *T) {
				c := t.Context()
				j.add(fmt.Sprint("body: ", c.Err()))
				t.Run("sub", func(t *T) { j.add(fmt.Sprint("sub body: ", t.Context().Err())) })
				t.Cleanup(func() { j.add(fmt.Sprint("cleanup: ", c.Err())) })
			})},
			Case{Name: "Cancelled", Fn: fn(func(t *T) {
				cancel() // as if the host program were shutting down
				select {
				case <-t.Context().Done():
					j.add("T.Context done after Execute's ctx was cancelled")
				case <-time.After(time.Second):
					t.Errorf("T.Context: not done 1s after Execute's ctx was cancelled")
				}
			})},
			Case{Name: "NeverStarts", Fn: fn(func(t *T) { j.add("a case started after ctx was cancelled") })},
		)
		w := &lineWriter{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			(&Runner{Out: w}).Execute(ctx, s)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Execute: got no return 10s after its ctx was cancelled")
		}
		want := []string{
			"body: <nil>", "sub body: <nil>", "cleanup: context canceled",
			"T.Context done after Execute's ctx was cancelled",
		}
		if diff := cmp.Diff(want, j.get()); diff != "" {
			t.Errorf("T.Context as the test saw it (-want +got):\n%s", diff)
		}
		data, _ := w.bytes()
		checkStream(t, decode(t, data))
	})
}
