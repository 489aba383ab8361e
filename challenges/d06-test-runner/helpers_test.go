package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lineWriter is the Out of most tests. It takes whole lines only (every Write
// must end with a newline: a reader of the stream must never see half an
// event) and flags Write calls that overlap, which means the runner does not
// serialise its writes.
type lineWriter struct {
	inflight atomic.Int32
	mu       sync.Mutex
	buf      bytes.Buffer
	problems []string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	overlap := w.inflight.Add(1) > 1
	defer w.inflight.Add(-1)
	w.mu.Lock()
	defer w.mu.Unlock()
	if overlap {
		w.problem("two Write calls on Out at the same time: writes to Out must be serialised")
	}
	if len(p) == 0 || p[len(p)-1] != '\n' {
		w.problem(fmt.Sprintf("Write(%q): got a partial line, want whole JSON lines (one Write per event)", trim(p)))
	}
	return w.buf.Write(p)
}

func (w *lineWriter) problem(s string) {
	if len(w.problems) < 5 && !slices.Contains(w.problems, s) {
		w.problems = append(w.problems, s)
	}
}

func (w *lineWriter) bytes() ([]byte, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return bytes.Clone(w.buf.Bytes()), slices.Clone(w.problems)
}

func trim(p []byte) string {
	if len(p) > 80 {
		return string(p[:80]) + "..."
	}
	return string(p)
}

// stream is the decoded event stream of one Execute.
type stream []Event

// decode parses Out, one JSON object per line.
func decode(t testing.TB, data []byte) stream {
	t.Helper()
	var evs stream
	for i, line := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		if len(line) == 0 {
			if len(data) == 0 {
				break
			}
			t.Fatalf("Out line %d: got an empty line, want a JSON object", i+1)
		}
		var ev Event
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ev); err != nil {
			t.Fatalf("Out line %d: %s\ngot error %v, want one test2json event (Time, Action, Package, Test, Elapsed, Output)", i+1, line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

// execute runs r over the suites with a lineWriter as Out, checks that the
// stream is well formed (see checkStream) and returns the summary and the
// events. A runner that does not return within 30 s (of fake time, inside a
// synctest bubble) fails the test instead of hanging it.
func execute(t *testing.T, r *Runner, suites ...Suite) (Summary, stream) {
	t.Helper()
	w := &lineWriter{}
	r.Out = w
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sum Summary
	done := make(chan struct{})
	go func() {
		defer close(done)
		sum = r.Execute(ctx, suites...)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatalf("Execute: got no return after 30s, want it to return (a test waiting for another that never comes?)")
	}
	data, problems := w.bytes()
	for _, p := range problems {
		t.Errorf("Out: %s", p)
	}
	evs := decode(t, data)
	checkStream(t, evs)
	return sum, evs
}

// checkStream checks the rules every stream follows: per suite a "start"
// first and a pass/fail last; per test a "run" first, exactly one terminal
// event (pass, fail or skip) last, at most one pause followed by one cont;
// every subtest settled before its parent; Time on every event; Elapsed >= 0.
func checkStream(t *testing.T, evs stream) {
	t.Helper()
	type state struct {
		events   []string
		terminal bool
	}
	tests := map[string]*state{} // key: package + "\x00" + test
	pkgOpen := map[string]bool{}
	pkgDone := map[string]bool{}
	bad := func(i int, format string, args ...any) {
		t.Helper()
		t.Errorf("event %d %s: %s", i+1, show(evs[i]), fmt.Sprintf(format, args...))
	}
	for i, ev := range evs {
		if ev.Time.IsZero() {
			bad(i, "got no Time, want the time of the event")
		}
		if ev.Elapsed < 0 {
			bad(i, "got Elapsed %v, want >= 0", ev.Elapsed)
		}
		if ev.Test == "" {
			switch {
			case ev.Action == "start":
				if pkgOpen[ev.Package] || pkgDone[ev.Package] {
					bad(i, "got a second start for suite %q", ev.Package)
				}
				pkgOpen[ev.Package] = true
			case !pkgOpen[ev.Package]:
				bad(i, "got a suite event before the suite's start event (or after its terminal event)")
			case ev.Action == "pass" || ev.Action == "fail":
				pkgOpen[ev.Package], pkgDone[ev.Package] = false, true
				for k, s := range tests {
					if strings.HasPrefix(k, ev.Package+"\x00") && !s.terminal {
						bad(i, "suite ended while test %q had no terminal event", strings.TrimPrefix(k, ev.Package+"\x00"))
					}
				}
			case ev.Action != "output":
				bad(i, "got action %q on a suite, want start, output, pass or fail", ev.Action)
			}
			continue
		}
		if !pkgOpen[ev.Package] {
			bad(i, "got a test event outside its suite's start ... pass/fail")
		}
		k := ev.Package + "\x00" + ev.Test
		s := tests[k]
		if s == nil {
			if ev.Action != "run" {
				bad(i, "got %q as the first event of the test, want run", ev.Action)
			}
			if p, _, ok := cut(ev.Test); ok {
				if ps := tests[ev.Package+"\x00"+p]; ps == nil || ps.terminal {
					bad(i, "subtest started but its parent %q is not running", p)
				}
			}
			s = &state{}
			tests[k] = s
		} else if s.terminal {
			bad(i, "got an event after the test's terminal event (one terminal event per run, nothing after it)")
			continue
		}
		s.events = append(s.events, ev.Action)
		switch ev.Action {
		case "run":
			if len(s.events) > 1 {
				bad(i, "got a second run event for the same test (duplicate names must get #01, #02...)")
			}
		case "pause":
			if slices.Contains(s.events[:len(s.events)-1], "pause") {
				bad(i, "got a second pause")
			}
		case "cont":
			if !slices.Contains(s.events, "pause") || slices.Contains(s.events[:len(s.events)-1], "cont") {
				bad(i, "got cont without one earlier pause")
			}
		case "pass", "fail", "skip":
			s.terminal = true
			for k2, s2 := range tests {
				if strings.HasPrefix(k2, k+"/") && !s2.terminal {
					bad(i, "parent settled before its subtest %q", strings.TrimPrefix(k2, ev.Package+"\x00"))
				}
			}
		case "output":
		default:
			bad(i, "unknown action %q", ev.Action)
		}
	}
	for k, s := range tests {
		if !s.terminal {
			pkg, test, _ := strings.Cut(k, "\x00")
			t.Errorf("test %q of suite %q: got events %v, want exactly one terminal event (pass, fail or skip)", test, pkg, s.events)
		}
	}
	for p, open := range pkgOpen {
		if open {
			t.Errorf("suite %q: got no terminal event (pass or fail)", p)
		}
	}
}

// cut splits "a/b/c" into "a/b" and "c".
func cut(name string) (parent, last string, ok bool) {
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return "", name, false
	}
	return name[:i], name[i+1:], true
}

func show(ev Event) string {
	s := ev.Action
	if ev.Test != "" {
		s += " " + ev.Test
	}
	if ev.Output != "" {
		s += fmt.Sprintf(" %q", ev.Output)
	}
	return "(" + s + ")"
}

// of returns the events of one test.
func (s stream) of(test string) stream {
	var out stream
	for _, ev := range s {
		if ev.Test == test {
			out = append(out, ev)
		}
	}
	return out
}

// output is the concatenated Output of one test ("" for the suite's own).
func (s stream) output(test string) string {
	var b strings.Builder
	for _, ev := range s.of(test) {
		b.WriteString(ev.Output)
	}
	return b.String()
}

// result is the test's terminal action, or "" if it has none.
func (s stream) result(test string) string {
	for _, ev := range s.of(test) {
		switch ev.Action {
		case "pass", "fail", "skip":
			return ev.Action
		}
	}
	return ""
}

// suiteResult is the suite's terminal action.
func (s stream) suiteResult(pkg string) string {
	for _, ev := range s {
		if ev.Package == pkg && ev.Test == "" && (ev.Action == "pass" || ev.Action == "fail") {
			return ev.Action
		}
	}
	return ""
}

// index is the position of the first event matching, or -1.
func (s stream) index(test, action, outputContains string) int {
	for i, ev := range s {
		if ev.Test == test && ev.Action == action && strings.Contains(ev.Output, outputContains) {
			return i
		}
	}
	return -1
}

// tests lists the tests that started, in order.
func (s stream) tests() []string {
	var out []string
	for _, ev := range s {
		if ev.Action == "run" {
			out = append(out, ev.Test)
		}
	}
	return out
}

// wantResults checks the terminal action of each test.
func wantResults(t *testing.T, evs stream, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for test := range want {
		got[test] = evs.result(test)
	}
	for test, w := range want {
		if got[test] != w {
			t.Errorf("test %q: got terminal action %q, want %q\noutput:\n%s", test, got[test], w, evs.output(test))
		}
	}
}

// one is a suite named "s" with the given cases.
func one(cases ...Case) Suite { return Suite{Name: "s", Cases: cases} }

// fn turns a func(*T) into a Case.Fn that ignores the fixture.
func fn(f func(t *T)) func(*T, any) { return func(t *T, _ any) { f(t) } }

// journal is a concurrency-safe list of strings fixtures append to.
type journal struct {
	mu sync.Mutex
	s  []string
}

func (l *journal) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.s = append(l.s, s)
}

func (l *journal) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.s)
}
