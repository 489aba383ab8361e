package runner

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestParallelRunsConcurrently: two parallel cases that wait for each other
// pass only if they really run at the same time. Inside synctest the
// one-second wait costs no real time.
func TestParallelRunsConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var arrived atomic.Int32
		both := make(chan struct{})
		meet := fn(func(t *T) {
			t.Parallel()
			if arrived.Add(1) == 2 {
				close(both)
			}
			select {
			case <-both:
			case <-time.After(time.Second):
				t.Errorf("partner never arrived: the two parallel tests did not run at the same time")
			}
		})
		s := one(
			Case{Name: "Left", Fn: meet},
			Case{Name: "Between", Fn: fn(func(t *T) {})},
			Case{Name: "Right", Fn: meet},
		)
		sum, evs := execute(t, &Runner{MaxParallel: 2}, s)
		wantResults(t, evs, map[string]string{"Left": "pass", "Right": "pass", "Between": "pass"})
		if !sum.OK() {
			t.Errorf("Summary: got %+v, want OK", sum)
		}
	})
}

// TestMaxParallelCap counts the bodies of parallel tests running at once:
// the peak must be exactly MaxParallel, with parallel cases and parallel
// subtests competing for the same slots.
func TestMaxParallelCap(t *testing.T) {
	for _, limit := range []int{1, 2, 3} {
		t.Run("MaxParallel="+strconv.Itoa(limit), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var running, peak, ran atomic.Int32
				work := func(t *T) {
					n := running.Add(1)
					for {
						p := peak.Load()
						if n <= p || peak.CompareAndSwap(p, n) {
							break
						}
					}
					time.Sleep(10 * time.Millisecond)
					running.Add(-1)
					ran.Add(1)
				}
				var cases []Case
				for i := range 6 {
					cases = append(cases, Case{Name: fmt.Sprint("P", i), Fn: fn(func(t *T) {
						t.Parallel()
						work(t)
					})})
				}
				cases = append(cases, Case{Name: "Subs", Fn: fn(func(t *T) {
					t.Parallel()
					for i := range 4 {
						t.Run(fmt.Sprint("s", i), func(t *T) {
							t.Parallel()
							work(t)
						})
					}
				})})
				_, evs := execute(t, &Runner{MaxParallel: limit}, one(cases...))
				if got := ran.Load(); got != 10 {
					t.Errorf("parallel bodies run: got %d, want 10", got)
				}
				if got := peak.Load(); got != int32(limit) {
					t.Errorf("peak parallel bodies with MaxParallel=%d: got %d, want %d", limit, got, limit)
				}
				if got := evs.result("Subs"); got != "pass" {
					t.Errorf("Subs: got %q, want pass\n%s", got, evs.output("Subs"))
				}
			})
		})
	}
}

// TestParallelWaitsForParentBody: a parallel subtest pauses until its
// parent's function returns (Run returns at once), the parent settles after
// all its subtests, and the next case starts only after all of that.
// Parallel cases wait for every sequential case of the suite.
func TestParallelWaitsForParentBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var j journal
		child := func(name string) func(*T) {
			return func(t *T) {
				t.Parallel()
				j.add(name + " runs")
				time.Sleep(time.Millisecond)
			}
		}
		s := one(
			Case{Name: "ParCase", Fn: fn(func(t *T) {
				t.Parallel()
				j.add("ParCase runs")
			})},
			Case{Name: "Parent", Fn: fn(func(t *T) {
				ok := t.Run("c1", child("c1"))
				j.add(fmt.Sprint("Run(c1) returned ", ok))
				t.Run("c2", child("c2"))
				time.Sleep(time.Millisecond) // the children must still wait
				j.add("Parent body returns")
			})},
			Case{Name: "Next", Fn: fn(func(t *T) { j.add("Next runs") })},
		)
		_, evs := execute(t, &Runner{MaxParallel: 4}, s)
		got := j.get()
		// c1 and c2 run concurrently: either order.
		if len(got) == 6 && got[2] == "c2 runs" && got[3] == "c1 runs" {
			got[2], got[3] = got[3], got[2]
		}
		want := []string{"Run(c1) returned true", "Parent body returns", "c1 runs", "c2 runs", "Next runs", "ParCase runs"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("order of events in the test bodies (-want +got):\n%s", diff)
		}
		for _, c := range []string{"Parent/c1", "Parent/c2"} {
			if evs.index(c, "pause", "") < 0 || evs.index(c, "cont", "") < 0 {
				t.Errorf("%s: got no pause or no cont event, want both", c)
			}
			if evs.index(c, "output", "=== PAUSE "+c+"\n") < 0 || evs.index(c, "output", "=== CONT  "+c+"\n") < 0 {
				t.Errorf("%s: got output %q, want === PAUSE and === CONT lines", c, evs.output(c))
			}
		}
		wantResults(t, evs, map[string]string{"Parent": "pass", "Parent/c1": "pass", "Parent/c2": "pass", "Next": "pass", "ParCase": "pass"})
	})
}

// TestNestedParallelDoesNotDeadlock: with one slot, a parallel test whose
// parallel subtests have parallel subtests must still finish. A parent that
// keeps its slot while it waits for its subtests deadlocks here.
func TestNestedParallelDoesNotDeadlock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var leaves atomic.Int32
		tree := fn(func(t *T) {
			t.Parallel()
			for i := range 2 {
				t.Run(fmt.Sprint("mid", i), func(t *T) {
					t.Parallel()
					for k := range 2 {
						t.Run(fmt.Sprint("leaf", k), func(t *T) {
							t.Parallel()
							leaves.Add(1)
						})
					}
				})
			}
		})
		sum, evs := execute(t, &Runner{MaxParallel: 1}, one(Case{Name: "A", Fn: tree}, Case{Name: "B", Fn: tree}))
		if got := leaves.Load(); got != 8 {
			t.Errorf("leaf tests run: got %d, want 8", got)
		}
		if sum.Passed != 14 || !sum.OK() {
			t.Errorf("Summary: got %+v, want 14 passed and OK", sum)
		}
		wantResults(t, evs, map[string]string{"A": "pass", "B/mid1/leaf1": "pass"})
	})
}
