package runner

import (
	"encoding/json"
	"io"
	"testing"
	"time"
)

// countWriter counts lines; the benchmark checks that every subtest really
// produced its events.
type countWriter struct{ lines int }

func (w *countWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if c == '\n' {
			w.lines++
		}
	}
	return len(p), nil
}

func trivial(*T) {}

// BenchmarkSubtest is gated: one trivial subtest (t.Run of an empty
// function, its four events encoded) costs at most 10 allocations and at
// most 2x BenchmarkBareSubtest.
func BenchmarkSubtest(b *testing.B) {
	w := &countWriter{}
	r := &Runner{Out: w}
	n := 0
	b.ReportAllocs()
	sum := r.Execute(b.Context(), Suite{Name: "bench", Cases: []Case{{Name: "Loop", Fn: fn(func(t *T) {
		for b.Loop() {
			t.Run("trivial", trivial)
			n++
		}
	})}}})
	if sum.Passed != n+1 {
		b.Fatalf("Summary.Passed: got %d, want %d", sum.Passed, n+1)
	}
	if w.lines < 4*n {
		b.Fatalf("Out: got %d lines for %d subtests, want at least 4 per subtest (run, === RUN, --- PASS, pass)", w.lines, n)
	}
}

// BenchmarkBareSubtest is the baseline: the least any runner with testing's
// semantics does per test. The body runs in its own goroutine under a
// deferred recover, the parent waits on a channel, the elapsed time is
// measured, and the four test2json events are encoded with encoding/json.
func BenchmarkBareSubtest(b *testing.B) {
	enc := json.NewEncoder(io.Discard)
	emit := func(ev *Event) {
		ev.Time = time.Now()
		if err := enc.Encode(ev); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		emit(&Event{Action: "run", Package: "bench", Test: "Loop/trivial"})
		emit(&Event{Action: "output", Package: "bench", Test: "Loop/trivial", Output: "=== RUN   Loop/trivial\n"})
		done := make(chan bool)
		go func() {
			ok := false
			defer func() {
				recover()
				done <- ok
			}()
			trivial(nil)
			ok = true
		}()
		<-done
		el := time.Since(start).Seconds()
		emit(&Event{Action: "output", Package: "bench", Test: "Loop/trivial", Output: "--- PASS: Loop/trivial (0.00s)\n"})
		emit(&Event{Action: "pass", Package: "bench", Test: "Loop/trivial", Elapsed: el})
	}
}
