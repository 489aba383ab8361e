package cron

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: run against the reference solution only, so that the
// shipped tests cannot be passed by hard-coding their shapes.

// TestHoldoutRobfigOtherZones: another seed, other zones (a half-hour
// offset, the southern hemisphere, Europe/London's 01:00 UTC transitions).
func TestHoldoutRobfigOtherZones(t *testing.T) {
	n := 700
	if testing.Short() {
		n = 150
	}
	tstCompareWithRobfig(t, 99, n, []string{"Europe/London", "America/Chicago", "Asia/Kolkata", "Pacific/Auckland"})
}

func TestHoldoutParseErrors(t *testing.T) {
	cases := []struct{ spec, field string }{
		{"0 0 * * SUN-SAT/0", FieldDayOfWeek},
		{"0 0 ? * *", FieldDayOfMonth},
		{"0 0 L * *", FieldDayOfMonth},
		{"1-60 * * * *", FieldMinute},
		{"0 0 1 1 * 2027", FieldDayOfWeek},
		{"0 0-24 * * *", FieldHour},
		{"0 0 * DEC-JAN *", FieldMonth},
		{"0 0 * * MONDAY", FieldDayOfWeek},
		{"61 * * * * *", FieldSecond},
		{"@every 1x", FieldDescriptor},
		{"@reboot", FieldDescriptor},
		{"0 0 1,2, * *", FieldDayOfMonth},
		{"0 0 * * * * * *", FieldSpec},
	}
	for _, c := range cases {
		_, err := Parse(c.spec, time.UTC)
		pe, ok := errors.AsType[*ParseError](err)
		if !ok || pe.Field != c.field {
			t.Errorf("Parse(%q): got %v, want a *ParseError for the %s", c.spec, err, c.field)
		}
	}
}

func TestHoldoutDSTGoldens(t *testing.T) {
	ny, london, lhi := tstLoc(t, "America/New_York"), tstLoc(t, "Europe/London"), tstLoc(t, "Australia/Lord_Howe")
	cases := []struct {
		spec  string
		loc   *time.Location
		after string
		want  []string
	}{
		// 2027: 14 March and 7 November in New York.
		{"45 2 * * *", ny, "2027-03-13T23:00:00-05:00", []string{"2027-03-14T03:00:00-04:00", "2027-03-15T02:45:00-04:00"}},
		{"15,45 1 * * *", ny, "2027-11-07T00:00:00-04:00", []string{
			"2027-11-07T01:15:00-04:00", "2027-11-07T01:45:00-04:00", "2027-11-08T01:15:00-05:00"}},
		// London: 01:00 -> 02:00 on 29 March 2026, 02:00 -> 01:00 on 25 October.
		{"*/30 1 * * *", london, "2026-03-29T00:00:00Z", []string{"2026-03-29T02:00:00+01:00", "2026-03-30T01:00:00+01:00"}},
		{"10 1 * * *", london, "2026-10-25T01:20:00Z", []string{"2026-10-26T01:10:00Z"}},
		// Lord Howe moves by half an hour: 02:00 -> 02:30 on 4 October 2026.
		{"15 2 * * *", lhi, "2026-10-03T12:00:00+10:30", []string{"2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"}},
		{"40 2 * * *", lhi, "2026-10-03T12:00:00+10:30", []string{"2026-10-04T02:40:00+11:00"}},
	}
	for _, c := range cases {
		got := tstNexts(tstParse(t, c.spec, c.loc), c.loc, tstTime(t, c.after), len(c.want))
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("successive Next of %q in %v from %s (-want +got):\n%s", c.spec, c.loc, c.after, diff)
		}
	}
}

// TestHoldoutSkipLongerJob: 150 s every minute under Skip runs every third tick.
func TestHoldoutSkipLongerJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		tstAdd(t, s, Job{Spec: "* * * * *", Run: c.job(150 * time.Second)})
		tstStart(t, s)
		time.Sleep(8*time.Minute + 15*time.Second)
		tstStop(t, s)
		if diff := cmp.Diff([]time.Duration{time.Minute, 4 * time.Minute, 7 * time.Minute}, c.offsets(epoch)); diff != "" {
			t.Errorf("run starts (-want +got):\n%s", diff)
		}
	})
}

// TestHoldoutJitterDroppedAtStop: a tick waiting for its jitter when Stop
// comes is recorded as Skipped with ErrStopped.
func TestHoldoutJitterDroppedAtStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Spec: "@every 1h", Jitter: 59 * time.Minute, Run: c.job(0)})
		tstStart(t, s)
		time.Sleep(time.Hour + time.Nanosecond)
		tstStop(t, s)
		want := []string{"+1h0m0s Skipped (cron: scheduler stopped)"}
		if diff := cmp.Diff(want, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
		if n := len(c.offsets(epoch)); n != 0 {
			t.Errorf("the job ran %d times, want 0", n)
		}
	})
}

// TestHoldoutHistoryOrderedBySchedule: with Allow, runs end out of order;
// History is still ordered by tick.
func TestHoldoutHistoryOrderedBySchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		durations := []time.Duration{200 * time.Second, 10 * time.Second, 100 * time.Second, 5 * time.Second}
		var mu sync.Mutex
		n := 0
		id := tstAdd(t, s, Job{Spec: "* * * * *", Overlap: Allow, Run: func(context.Context) error {
			mu.Lock()
			d := durations[n%len(durations)]
			n++
			mu.Unlock()
			time.Sleep(d)
			return nil
		}})
		tstStart(t, s)
		time.Sleep(4*time.Minute + 30*time.Second)
		tstStop(t, s)
		want := []string{
			"+1m0s OK start=+1m0s end=+4m20s",
			"+2m0s OK start=+2m0s end=+2m10s",
			"+3m0s OK start=+3m0s end=+4m40s",
			"+4m0s OK start=+4m0s end=+4m5s",
		}
		if diff := cmp.Diff(want, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
	})
}

// TestHoldoutLocations: Job.Loc overrides WithLocation; nil falls back to it.
func TestHoldoutLocations(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		tokyo, ny := tstLoc(t, "Asia/Tokyo"), tstLoc(t, "America/New_York")
		epoch := time.Now() // 2000-01-01 00:00 UTC = 09:00 Tokyo = 19:00 (31 Dec) New York
		s := New(WithLocation(tokyo))
		var a, b tstClock
		tstAdd(t, s, Job{Spec: "0 10 * * *", Run: a.job(0)})
		tstAdd(t, s, Job{Spec: "0 20 * * *", Loc: ny, Run: b.job(0)})
		tstStart(t, s)
		time.Sleep(26 * time.Hour)
		tstStop(t, s)
		if diff := cmp.Diff([]time.Duration{time.Hour, 25 * time.Hour}, a.offsets(epoch)); diff != "" {
			t.Errorf("10:00 Tokyo (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]time.Duration{time.Hour, 25 * time.Hour}, b.offsets(epoch)); diff != "" {
			t.Errorf("20:00 New York (-want +got):\n%s", diff)
		}
	})
}

// TestHoldoutRemoveDuringRun: Remove does not interrupt the run in
// progress, and Stop still waits for it.
func TestHoldoutRemoveDuringRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Spec: "@every 1m", Overlap: QueueOne, Run: c.job(3 * time.Minute)})
		tstStart(t, s)
		time.Sleep(2*time.Minute + 30*time.Second) // one run going, one queued
		if !s.Remove(id) {
			t.Fatalf("Remove: got false, want true")
		}
		if got := tstStop(t, s); got != 90*time.Second {
			t.Errorf("Stop took %v, want 1m30s (the end of the removed job's run)", got)
		}
		if n := len(c.offsets(time.Time{})); n != 1 {
			t.Errorf("the removed job ran %d times, want 1 (its queued run is dropped)", n)
		}
	})
}
