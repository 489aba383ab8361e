package runner

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHoldoutMaxParallelFour(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var running, peak atomic.Int32
		var cases []Case
		for i := range 9 {
			cases = append(cases, Case{Name: fmt.Sprint("W", i), Fn: fn(func(t *T) {
				t.Parallel()
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Duration(i+1) * time.Millisecond)
				running.Add(-1)
			})})
		}
		sum, _ := execute(t, &Runner{MaxParallel: 4}, Suite{Name: "h", Cases: cases})
		if got := peak.Load(); got != 4 {
			t.Errorf("peak with MaxParallel=4: got %d, want 4", got)
		}
		if sum.Passed != 9 {
			t.Errorf("Passed: got %d, want 9", sum.Passed)
		}
	})
}

func TestHoldoutNameCollisions(t *testing.T) {
	s := Suite{Name: "h", Cases: []Case{{Name: "N", Fn: fn(func(t *T) {
		t.Run("x", func(t *T) {})
		t.Run("x", func(t *T) {})
		t.Run("x#01", func(t *T) {})
		t.Run("", func(t *T) {})
		t.Run("a  b", func(t *T) {})
	})}}}
	_, evs := execute(t, &Runner{}, s)
	want := []string{"N", "N/x", "N/x#01", "N/x#01#01", "N/#00", "N/a__b"}
	if diff := cmp.Diff(want, evs.tests()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
}

func TestHoldoutGoexitAndPanicNil(t *testing.T) {
	var j journal
	s := Suite{Name: "h", Cases: []Case{
		{Name: "Goexit", Fn: fn(func(t *T) { runtime.Goexit() })},
		{Name: "PanicNil", Fn: fn(func(t *T) { panic(nil) })},
		{Name: "SkipFromGoroutine", Fn: fn(func(t *T) {
			done := make(chan struct{})
			go func() { defer close(done); t.SkipNow() }()
			<-done
			j.add("goes on")
		})},
		{Name: "SkipAfterError", Fn: fn(func(t *T) { t.Error("x"); t.Skip("y") })},
		{Name: "NilFn"},
		{Name: "Fine", Fn: fn(func(t *T) {})},
	}}
	_, evs := execute(t, &Runner{}, s)
	wantResults(t, evs, map[string]string{
		"Goexit": "fail", "PanicNil": "fail", "SkipFromGoroutine": "fail", "SkipAfterError": "fail", "NilFn": "fail", "Fine": "pass",
	})
	if diff := cmp.Diff([]string{"goes on"}, j.get()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestHoldoutFatalInSubtestCleanup(t *testing.T) {
	var j journal
	s := Suite{Name: "h", Cases: []Case{{Name: "P", Fn: fn(func(t *T) {
		t.Cleanup(func() { j.add("P cleanup") })
		t.Run("c", func(t *T) {
			t.Cleanup(func() { j.add("c 1") })
			t.Cleanup(func() { t.Fatal("in cleanup"); j.add("after fatal in cleanup") })
			t.Cleanup(func() { j.add("c 3") })
		})
		j.add("P body")
	})}}}
	_, evs := execute(t, &Runner{}, s)
	if diff := cmp.Diff([]string{"c 3", "c 1", "P body", "P cleanup"}, j.get()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	wantResults(t, evs, map[string]string{"P/c": "fail", "P": "fail"})
}

func TestHoldoutParallelSubtestHangs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		s := Suite{Name: "h", Cases: []Case{
			{Name: "Outer", Timeout: 3 * time.Second, Fn: fn(func(t *T) {
				t.Parallel()
				t.Run("ok", func(t *T) { t.Parallel() })
				t.Run("hung", func(t *T) { t.Parallel(); <-release })
			})},
			{Name: "Next", Fn: fn(func(t *T) { t.Parallel() })},
		}}
		sum, evs := execute(t, &Runner{MaxParallel: 2}, s)
		wantResults(t, evs, map[string]string{"Outer": "fail", "Outer/hung": "fail", "Outer/ok": "pass", "Next": "pass"})
		if diff := cmp.Diff([]string{"h/Outer", "h/Outer/hung"}, slices.Sorted(slices.Values(sum.Leaked))); diff != "" {
			t.Errorf("Leaked (-want +got):\n%s", diff)
		}
		close(release)
		synctest.Wait()
	})
}

func TestHoldoutSetupPanicsAndCancelledExecute(t *testing.T) {
	sum, evs := execute(t, &Runner{}, Suite{
		Name:  "boom",
		Setup: func(context.Context) (any, error) { panic("setup panics") },
		Cases: []Case{{Name: "X", Fn: fn(func(t *T) {})}},
	}, Suite{Name: "after", Cases: []Case{{Name: "Y", Fn: fn(func(t *T) {})}}})
	if len(sum.Errors) != 1 || !strings.Contains(sum.Errors[0].Error(), "setup panics") {
		t.Errorf("Errors: got %v, want the Setup panic", sum.Errors)
	}
	if evs.suiteResult("boom") != "fail" || evs.suiteResult("after") != "pass" {
		t.Errorf("suites: got %q and %q, want fail and pass", evs.suiteResult("boom"), evs.suiteResult("after"))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	got := (&Runner{}).Execute(ctx, Suite{Name: "c", Cases: []Case{{Name: "Z", Fn: fn(func(t *T) { ran = true })}}})
	if ran || got.Passed+got.Failed != 0 {
		t.Errorf("Execute with a cancelled ctx: got %+v (ran=%v), want nothing run", got, ran)
	}
}

func TestHoldoutShuffleTwoSuitesAndFilter(t *testing.T) {
	var cases []Case
	for i := range 12 {
		cases = append(cases, Case{Name: fmt.Sprintf("T%02d", i), Fn: fn(func(t *T) {})})
	}
	run := func(seed int64) []string {
		_, evs := execute(t, &Runner{Shuffle: seed, Run: regexp.MustCompile(`^T0`)},
			Suite{Name: "a", Cases: cases}, Suite{Name: "b", Cases: cases})
		return evs.tests()
	}
	x, y := run(-7), run(-7)
	if !slices.Equal(x, y) || len(x) != 20 {
		t.Errorf("Shuffle=-7: got %v and %v, want the same 20 tests twice", x, y)
	}
	if slices.IsSorted(x[:10]) {
		t.Errorf("Shuffle=-7: got sorted order %v", x[:10])
	}
}

func TestHoldoutRunAfterDone(t *testing.T) {
	var late *T
	s := Suite{Name: "h", Cases: []Case{{Name: "A", Fn: fn(func(t *T) { late = t })}}}
	execute(t, &Runner{}, s)
	if late == nil {
		t.Fatal("case did not run")
	}
	ran := false
	if late.Run("late", func(*T) { ran = true }) || ran {
		t.Errorf("Run on a finished test: got ran=%v, want false and not run", ran)
	}
	late.Log("ignored")
	late.Error("ignored")
}
