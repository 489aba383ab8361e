package runner

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// TestConcurrentFailures has parallel subtests fail at the same time while
// a goroutine of their parent keeps asking t.Failed(). Run it with -race: a
// child that marks its parent failed without synchronisation is a data race.
func TestConcurrentFailures(t *testing.T) {
	const cases, subs = 4, 16
	var cs []Case
	for i := range cases {
		cs = append(cs, Case{Name: fmt.Sprint("Case", i), Fn: fn(func(t *T) {
			t.Parallel()
			stop, stopped := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(stopped)
				for {
					select {
					case <-stop:
						return
					default:
						_ = t.Failed()
						runtime.Gosched()
					}
				}
			}()
			t.Cleanup(func() {
				close(stop)
				<-stopped
			})
			for k := range subs {
				t.Run(fmt.Sprint("sub", k), func(t *T) {
					t.Parallel()
					runtime.Gosched()
					t.Errorf("failure %d", k)
				})
			}
		})})
	}
	sum, evs := execute(t, &Runner{MaxParallel: 8}, one(cs...))
	if want := cases * (subs + 1); sum.Failed != want || sum.Passed != 0 {
		t.Errorf("Summary: got %d failed, %d passed, want %d failed, 0 passed", sum.Failed, sum.Passed, want)
	}
	for i := range cases {
		if got := evs.result(fmt.Sprint("Case", i)); got != "fail" {
			t.Errorf("Case%d, all of whose subtests failed: got %q, want fail", i, got)
		}
	}
}

// raceWriter is a bytes.Buffer with no lock at all: under -race, two
// unserialised writes to Out are a reported data race. It also notices
// overlapping calls without -race, when it happens to see them.
type raceWriter struct {
	inflight atomic.Int32
	overlap  atomic.Bool
	buf      bytes.Buffer
}

func (w *raceWriter) Write(p []byte) (int, error) {
	if w.inflight.Add(1) > 1 {
		w.overlap.Store(true)
	}
	defer w.inflight.Add(-1)
	n, err := w.buf.Write(p)
	// Give another goroutine the chance to write now: a runner that does
	// not serialise its writes then writes while this one is in Write.
	runtime.Gosched()
	return n, err
}

// TestConcurrentOutput: parallel tests logging at once into an Out that is
// not safe for concurrent use. Every line must arrive whole and in order.
func TestConcurrentOutput(t *testing.T) {
	const cases, lines = 8, 40
	var cs []Case
	for i := range cases {
		cs = append(cs, Case{Name: fmt.Sprint("Logger", i), Fn: fn(func(t *T) {
			t.Parallel()
			for k := range lines {
				t.Logf("line %d", k)
				if k%8 == 0 {
					runtime.Gosched()
				}
			}
		})})
	}
	w := &raceWriter{}
	sum := (&Runner{MaxParallel: cases, Out: w}).Execute(t.Context(), one(cs...))
	if w.overlap.Load() {
		t.Errorf("Out: got two Write calls at the same time, want writes to Out serialised")
	}
	evs := decode(t, w.buf.Bytes())
	checkStream(t, evs)
	for i := range cases {
		name := fmt.Sprint("Logger", i)
		var want strings.Builder
		for k := range lines {
			fmt.Fprintf(&want, "    line %d\n", k)
		}
		var got strings.Builder
		for _, ev := range evs.of(name) {
			if strings.HasPrefix(ev.Output, "    line") {
				got.WriteString(ev.Output)
			}
		}
		if got.String() != want.String() {
			t.Errorf("log lines of %s: got %q, want %q", name, got.String(), want.String())
		}
	}
	if sum.Passed != cases {
		t.Errorf("Summary.Passed: got %d, want %d", sum.Passed, cases)
	}
}
