package cron

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	// The tests need real time zones on every OS: embed the tz database in
	// the test binary (used only when the system has none).
	_ "time/tzdata"
)

// Test helpers are named tst… so they cannot clash with your code.

// tstLoc loads a time zone or stops the test.
func tstLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("time.LoadLocation(%q): %v", name, err)
	}
	return loc
}

// tstParse parses a spec that must be valid, or stops the test.
func tstParse(t testing.TB, spec string, loc *time.Location) Schedule {
	t.Helper()
	s, err := Parse(spec, loc)
	if err != nil {
		t.Fatalf("Parse(%q): got error %v, want nil", spec, err)
	}
	if s == nil {
		t.Fatalf("Parse(%q): got a nil Schedule and a nil error", spec)
	}
	return s
}

// tstTime parses an RFC 3339 time or stops the test.
func tstTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad time %q in the test: %v", s, err)
	}
	return v
}

// tstNexts returns n successive activations after `after`, in RFC 3339
// with the offset of loc, so a wrong offset shows in the diff.
func tstNexts(s Schedule, loc *time.Location, after time.Time, n int) []string {
	var out []string
	for range n {
		next := s.Next(after)
		if next.IsZero() {
			out = append(out, "never")
			break
		}
		out = append(out, next.In(loc).Format(time.RFC3339))
		if !next.After(after) {
			out = append(out, fmt.Sprintf("(not after %s: stopping)", after.In(loc).Format(time.RFC3339Nano)))
			break
		}
		after = next
	}
	return out
}

// tstAdd adds a job that must be valid, or stops the test.
func tstAdd(t testing.TB, s *Scheduler, j Job) ID {
	t.Helper()
	id, err := s.Add(j)
	if err != nil {
		t.Fatalf("Add(%q, %q): got error %v, want nil", j.Name, j.Spec, err)
	}
	if id == 0 {
		t.Fatalf("Add(%q): got ID 0, want a non-zero ID", j.Name)
	}
	return id
}

// tstStart starts s or stops the test.
func tstStart(t testing.TB, s *Scheduler) {
	t.Helper()
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("Start: got error %v, want nil", err)
	}
}

// tstStop stops s inside a synctest bubble, giving running jobs up to an
// hour of fake time to return. Then it lets another hour pass: if a broken
// Stop returned early, the runs it left behind end inside the bubble, and
// the test reports a failure instead of synctest panicking (a panic would
// hide every other test's result). It returns how long Stop took.
func tstStop(t testing.TB, s *Scheduler) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	called := time.Now()
	if err := s.Stop(ctx); err != nil {
		t.Errorf("Stop: got error %v, want nil", err)
	}
	took := time.Since(called)
	time.Sleep(time.Hour)
	return took
}

// tstClock records the instants a job ran at (time.Now() when Run was
// called) and how many runs were in progress at most.
type tstClock struct {
	mu      sync.Mutex
	starts  []time.Time
	running int
	peak    int
}

// job returns a Run func that records its start, then takes d (a sleep:
// fake time inside synctest) ignoring its ctx, and returns nil.
func (c *tstClock) job(d time.Duration) func(context.Context) error {
	return func(context.Context) error {
		c.mu.Lock()
		c.starts = append(c.starts, time.Now())
		c.running++
		c.peak = max(c.peak, c.running)
		c.mu.Unlock()
		time.Sleep(d)
		c.mu.Lock()
		c.running--
		c.mu.Unlock()
		return nil
	}
}

// offsets returns the recorded starts as durations since epoch.
func (c *tstClock) offsets(epoch time.Time) []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []time.Duration
	for _, s := range c.starts {
		out = append(out, s.Sub(epoch))
	}
	return out
}

func (c *tstClock) maxConcurrent() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peak
}

// tstSummary renders a history relative to epoch, one line per run:
// "+1m0s OK start=+1m0s end=+2m30s" or "+2m0s Skipped (cron: previous run still in progress)".
func tstSummary(h []Run, epoch time.Time) []string {
	var out []string
	for _, r := range h {
		var b strings.Builder
		fmt.Fprintf(&b, "+%v %v", r.Scheduled.Sub(epoch), r.Outcome)
		if !r.Start.IsZero() {
			fmt.Fprintf(&b, " start=+%v end=+%v", r.Start.Sub(epoch), r.End.Sub(epoch))
		}
		if r.Err != nil && (r.Outcome == Skipped || r.Outcome == Failed) {
			fmt.Fprintf(&b, " (%v)", r.Err)
		}
		out = append(out, b.String())
	}
	return out
}
