package runner

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

type fixtureDB struct{ name string }

// TestSuiteFixture: Setup runs once before the cases, every case gets its
// fixture, and Teardown gets it back after every case has finished,
// parallel ones included.
func TestSuiteFixture(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		db := &fixtureDB{name: "db"}
		use := func(name string) func(*T, any) {
			return func(t *T, f any) {
				if f != db {
					t.Errorf("fixture: got %#v, want the one Setup returned", f)
				}
				if strings.HasPrefix(name, "par") {
					t.Parallel()
					time.Sleep(time.Second)
				}
				j.add(name)
			}
		}
		s := Suite{
			Name: "fixtures",
			Setup: func(ctx context.Context) (any, error) {
				if ctx == nil {
					t.Errorf("Setup: got a nil context")
				}
				j.add("setup")
				return db, nil
			},
			Teardown: func(f any) error {
				if f != db {
					t.Errorf("Teardown: got %#v, want the fixture Setup returned", f)
				}
				j.add("teardown")
				return nil
			},
			Cases: []Case{{Name: "par1", Fn: use("par1")}, {Name: "seq", Fn: use("seq")}, {Name: "par2", Fn: use("par2")}},
		}
		sum, evs := execute(t, &Runner{}, s)
		got := j.get()
		if len(got) == 5 && got[2] == "par2" {
			got[2], got[3] = got[3], got[2]
		}
		if diff := cmp.Diff([]string{"setup", "seq", "par1", "par2", "teardown"}, got); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
		if !sum.OK() || sum.Passed != 3 {
			t.Errorf("Summary: got %+v, want 3 passed and OK", sum)
		}
		if got := evs.suiteResult("fixtures"); got != "pass" {
			t.Errorf("suite: got %q, want pass", got)
		}
		if out := evs.output(""); !strings.Contains(out, "PASS\n") || !strings.Contains(out, "ok  \tfixtures\t") {
			t.Errorf("suite output: got %q, want PASS and an \"ok  \\tfixtures\\t<elapsed>s\" line", out)
		}
	})
}

var errSetup = errors.New("no database")

// TestSetupAndTeardownErrors: a failing Setup runs no case and no Teardown;
// a failing Teardown fails its suite. Both are in Summary.Errors, and the
// next suite runs anyway.
func TestSetupAndTeardownErrors(t *testing.T) {
	var j journal
	errTeardown := errors.New("cannot drop")
	suites := []Suite{
		{
			Name:     "nosetup",
			Setup:    func(context.Context) (any, error) { return nil, errSetup },
			Teardown: func(any) error { j.add("teardown after a failed setup"); return nil },
			Cases:    []Case{{Name: "Unreachable", Fn: fn(func(t *T) { j.add("case ran after a failed setup") })}},
		},
		{
			Name:     "badteardown",
			Teardown: func(any) error { return errTeardown },
			Cases:    []Case{{Name: "Runs", Fn: fn(func(t *T) { j.add("Runs") })}},
		},
		{Name: "fine", Cases: []Case{{Name: "Runs", Fn: fn(func(t *T) { j.add("fine/Runs") })}}},
	}
	sum, evs := execute(t, &Runner{}, suites...)
	if diff := cmp.Diff([]string{"Runs", "fine/Runs"}, j.get()); diff != "" {
		t.Errorf("what ran (-want +got):\n%s", diff)
	}
	for pkg, want := range map[string]string{"nosetup": "fail", "badteardown": "fail", "fine": "pass"} {
		if got := evs.suiteResult(pkg); got != want {
			t.Errorf("suite %s: got %q, want %q", pkg, got, want)
		}
	}
	if len(sum.Errors) != 2 || !errors.Is(sum.Errors[0], errSetup) || !errors.Is(sum.Errors[1], errTeardown) {
		t.Errorf("Summary.Errors: got %v, want the Setup error then the Teardown error (wrapped)", sum.Errors)
	}
	for _, ev := range evs {
		if ev.Package == "nosetup" && ev.Test != "" {
			t.Errorf("suite nosetup: got event %s, want no test events after a failed Setup", show(ev))
		}
	}
	if sum.OK() {
		t.Errorf("Summary.OK(): got true with Errors %v", sum.Errors)
	}
}

// TestRunFilter: Runner.Run selects cases by name; subtests are not filtered;
// a suite with nothing selected neither sets up nor fails.
func TestRunFilter(t *testing.T) {
	var j journal
	cs := func(names ...string) []Case {
		var out []Case
		for _, n := range names {
			out = append(out, Case{Name: n, Fn: fn(func(t *T) {
				j.add(n)
				t.Run("sub", func(t *T) { j.add(n + "/sub") })
			})})
		}
		return out
	}
	suites := []Suite{
		{Name: "one", Cases: cs("Alpha", "Beta", "Gamma", "AlphaBeta")},
		{Name: "two", Setup: func(context.Context) (any, error) { j.add("setup of two"); return nil, nil }, Cases: cs("Delta")},
	}
	sum, evs := execute(t, &Runner{Run: regexp.MustCompile(`^(Alpha|Gamma)$`)}, suites...)
	if diff := cmp.Diff([]string{"Alpha", "Alpha/sub", "Gamma", "Gamma/sub"}, j.get()); diff != "" {
		t.Errorf("what ran (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Alpha", "Alpha/sub", "Gamma", "Gamma/sub"}, evs.tests()); diff != "" {
		t.Errorf("tests in the stream (-want +got):\n%s", diff)
	}
	if got := evs.suiteResult("two"); got != "pass" {
		t.Errorf("suite with no selected case: got %q, want pass", got)
	}
	if !sum.OK() || sum.Passed != 4 {
		t.Errorf("Summary: got %+v, want 4 passed and OK", sum)
	}
}

// TestShuffle: Shuffle != 0 runs the cases in an order that depends only on
// the seed, and says so in the stream as go test does.
func TestShuffle(t *testing.T) {
	var cases []Case
	var names []string
	for i := range 10 {
		n := fmt.Sprint("Case", i)
		names = append(names, n)
		cases = append(cases, Case{Name: n, Fn: fn(func(t *T) {
			t.Run("sub1", func(t *T) {})
			t.Run("sub2", func(t *T) {})
		})})
	}
	order := func(seed int64) ([]string, stream) {
		_, evs := execute(t, &Runner{Shuffle: seed}, one(cases...))
		var got []string
		for _, test := range evs.tests() {
			if !strings.Contains(test, "/") {
				got = append(got, test)
			}
		}
		return got, evs
	}
	if got, _ := order(0); !slices.Equal(got, names) {
		t.Errorf("Shuffle=0: got order %v, want declaration order", got)
	}
	first, evs := order(42)
	if !slices.Equal(slices.Sorted(slices.Values(first)), names) {
		t.Fatalf("Shuffle=42: got cases %v, want every case exactly once", first)
	}
	if out := evs.output(""); !strings.HasPrefix(out, "-test.shuffle 42\n") {
		t.Errorf("suite output with Shuffle=42: got %q, want it to start with %q", out, "-test.shuffle 42\n")
	}
	var subs []string
	for _, test := range evs.tests() {
		if sub, ok := strings.CutPrefix(test, first[0]+"/"); ok {
			subs = append(subs, sub)
		}
	}
	if !slices.Equal(subs, []string{"sub1", "sub2"}) {
		t.Errorf("Shuffle=42: got subtests %v of %s, want [sub1 sub2]: only cases are shuffled", subs, first[0])
	}
	if again, _ := order(42); !slices.Equal(again, first) {
		t.Errorf("Shuffle=42 twice: got %v then %v, want the same order", first, again)
	}
	differs := 0
	for seed := int64(1); seed <= 5; seed++ {
		if got, _ := order(seed); !slices.Equal(got, names) {
			differs++
		}
	}
	if differs == 0 {
		t.Errorf("Shuffle=1..5: got declaration order every time, want shuffled orders")
	}
}

// TestElapsed: the terminal events and Summary carry durations (on
// synctest's fake clock, exact).
func TestElapsed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := one(
			Case{Name: "Sleeps", Fn: fn(func(t *T) {
				time.Sleep(1500 * time.Millisecond)
				t.Run("sub", func(t *T) { time.Sleep(250 * time.Millisecond) })
			})},
		)
		sum, evs := execute(t, &Runner{}, s)
		for test, want := range map[string]float64{"Sleeps": 1.75, "Sleeps/sub": 0.25} {
			var got float64 = -1
			for _, ev := range evs.of(test) {
				if ev.Action == "pass" {
					got = ev.Elapsed
				}
			}
			if got != want {
				t.Errorf("Elapsed of %s's pass event: got %v, want %v", test, got, want)
			}
		}
		if out := evs.output("Sleeps"); !strings.Contains(out, "--- PASS: Sleeps (1.75s)\n") {
			t.Errorf("output of Sleeps: got %q, want a --- PASS: Sleeps (1.75s) line", out)
		}
		if sum.Elapsed != 1750*time.Millisecond {
			t.Errorf("Summary.Elapsed: got %v, want 1.75s", sum.Elapsed)
		}
	})
}
