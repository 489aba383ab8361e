package cron

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseErrorsNameTheField(t *testing.T) {
	cases := []struct {
		spec, field string
	}{
		{"*/0 * * * *", FieldMinute},
		{"60 * * * *", FieldMinute},
		{"-1 * * * *", FieldMinute},
		{"+5 * * * *", FieldMinute},
		{"1,,2 * * * *", FieldMinute},
		{"1-2-3 * * * *", FieldMinute},
		{"*/2/3 * * * *", FieldMinute},
		{"*/x * * * *", FieldMinute},
		{"JAN * * * *", FieldMinute},
		{"0 24 * * *", FieldHour},
		{"0 5-1 * * *", FieldHour},
		{"0 0 0 * *", FieldDayOfMonth},
		{"0 0 32 * *", FieldDayOfMonth},
		{"0 0 * 13 *", FieldMonth},
		{"0 0 * FOO *", FieldMonth},
		{"0 0 * JAN-FOO *", FieldMonth},
		{"0 0 * 0 *", FieldMonth},
		{"0 0 * * FOO", FieldDayOfWeek},
		{"0 0 * * JAN", FieldDayOfWeek},
		{"0 0 * * 8", FieldDayOfWeek},
		{"0 0 * * FRI-MON", FieldDayOfWeek},
		{"60 0 0 * * *", FieldSecond},
		{"*/0 0 0 * * *", FieldSecond},
		{"", FieldSpec},
		{"   ", FieldSpec},
		{"* * * *", FieldSpec},
		{"* * * * * * *", FieldSpec},
		{"@fortnightly", FieldDescriptor},
		{"@every", FieldDescriptor},
		{"@every 0s", FieldDescriptor},
		{"@every -5m", FieldDescriptor},
		{"@every soon", FieldDescriptor},
		{"@every 1m 2m", FieldDescriptor},
		{"@daily 1", FieldDescriptor},
	}
	for _, c := range cases {
		s, err := Parse(c.spec, time.UTC)
		if err == nil {
			t.Errorf("Parse(%q): got nil error, want a *ParseError for the %s", c.spec, c.field)
			continue
		}
		if s != nil {
			t.Errorf("Parse(%q): got a non-nil Schedule with error %v, want nil", c.spec, err)
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q): got error %v (%T), want a *ParseError", c.spec, err, err)
			continue
		}
		if pe.Field != c.field {
			t.Errorf("Parse(%q): got ParseError.Field %q, want %q (error: %v)", c.spec, pe.Field, c.field, err)
		}
		if pe.Spec != c.spec {
			t.Errorf("Parse(%q): got ParseError.Spec %q, want the spec", c.spec, pe.Spec)
		}
		if !strings.Contains(err.Error(), c.field) {
			t.Errorf("Parse(%q): error %q does not name the field %q", c.spec, err, c.field)
		}
	}
}

// TestParseEquivalents: different spellings of one schedule activate at
// the same instants.
func TestParseEquivalents(t *testing.T) {
	ny := tstLoc(t, "America/New_York")
	cases := [][2]string{
		{"0 9 * * MON-FRI", "0 9 * * 1-5"},
		{"0 9 * * mon-fri", "0 9 * * 1,2,3,4,5"},
		{"0 0 1 jan *", "0 0 1 1 *"},
		{"0 0 1 Jan,JUL *", "0 0 1 1,7 *"},
		{"0 0 * * 7", "0 0 * * 0"},
		{"0 0 * * 5-7", "0 0 * * 0,5,6"},
		{"0 0 * * SUN,sat", "0 0 * * 0,6"},
		{"5/15 * * * *", "5,20,35,50 * * * *"},
		{"0-59/20 * * * *", "0,20,40 * * * *"},
		{"*/20 * * * *", "0,20,40 * * * *"},
		{"10-40/15 */6 * * *", "10,25,40 0,6,12,18 * * *"},
		{"0 30 * * * *", "30 * * * *"},
		{"  0   0\t* * *  ", "0 0 * * *"},
		{"00 07 * * *", "0 7 * * *"},
		{"@hourly", "0 * * * *"},
		{"@daily", "0 0 * * *"},
		{"@midnight", "0 0 * * *"},
		{"@weekly", "0 0 * * 0"},
		{"@monthly", "0 0 1 * *"},
		{"@yearly", "0 0 1 1 *"},
		{"@annually", "0 0 1 1 *"},
		{"@DAILY", "0 0 * * *"},
	}
	after := tstTime(t, "2026-02-26T13:14:15.5-05:00")
	for _, c := range cases {
		a, b := tstParse(t, c[0], ny), tstParse(t, c[1], ny)
		if diff := cmp.Diff(tstNexts(b, ny, after, 40), tstNexts(a, ny, after, 40)); diff != "" {
			t.Errorf("%q and %q should activate at the same times (-%q +%q):\n%s", c[0], c[1], c[1], c[0], diff)
		}
	}
}

func TestNextGoldens(t *testing.T) {
	ny, tokyo := tstLoc(t, "America/New_York"), tstLoc(t, "Asia/Tokyo")
	cases := []struct {
		name, spec string
		loc        *time.Location
		after      string
		want       []string
	}{
		{"weekday mornings", "*/15 9-10 * * MON-FRI", time.UTC, "2026-01-02T10:50:00Z", []string{
			"2026-01-05T09:00:00Z", "2026-01-05T09:15:00Z", "2026-01-05T09:30:00Z", "2026-01-05T09:45:00Z",
			"2026-01-05T10:00:00Z", "2026-01-05T10:15:00Z", "2026-01-05T10:30:00Z", "2026-01-05T10:45:00Z",
			"2026-01-06T09:00:00Z"}},
		// Both day fields restricted: a day matches if EITHER matches.
		{"day-of-month OR day-of-week", "0 12 1 * MON", time.UTC, "2026-02-25T00:00:00Z", []string{
			"2026-03-01T12:00:00Z", "2026-03-02T12:00:00Z", "2026-03-09T12:00:00Z", "2026-03-16T12:00:00Z",
			"2026-03-23T12:00:00Z", "2026-03-30T12:00:00Z", "2026-04-01T12:00:00Z", "2026-04-06T12:00:00Z"}},
		// One of them `*`: both must match, and `*` matches everything.
		{"day-of-week only", "0 12 * * MON", time.UTC, "2026-02-25T00:00:00Z", []string{
			"2026-03-02T12:00:00Z", "2026-03-09T12:00:00Z", "2026-03-16T12:00:00Z"}},
		{"day-of-month only", "0 12 1 * *", time.UTC, "2026-02-25T00:00:00Z", []string{
			"2026-03-01T12:00:00Z", "2026-04-01T12:00:00Z", "2026-05-01T12:00:00Z"}},
		{"a step is a restriction", "0 12 */10 * MON", time.UTC, "2026-02-25T00:00:00Z", []string{
			"2026-03-01T12:00:00Z", "2026-03-02T12:00:00Z", "2026-03-09T12:00:00Z", "2026-03-11T12:00:00Z",
			"2026-03-16T12:00:00Z", "2026-03-21T12:00:00Z", "2026-03-23T12:00:00Z", "2026-03-30T12:00:00Z",
			"2026-03-31T12:00:00Z"}},
		{"leap day", "0 0 29 2 *", time.UTC, "2026-01-01T00:00:00Z", []string{
			"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"}},
		{"leap day across 2100", "0 0 29 2 *", time.UTC, "2096-03-01T00:00:00Z", []string{
			"2104-02-29T00:00:00Z"}},
		{"31st, from a match", "0 0 31 * *", time.UTC, "2026-01-31T00:00:00Z", []string{
			"2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"}},
		{"seconds", "*/20 * * * * *", time.UTC, "2026-01-01T00:00:59.5Z", []string{
			"2026-01-01T00:01:00Z", "2026-01-01T00:01:20Z", "2026-01-01T00:01:40Z", "2026-01-01T00:02:00Z"}},
		{"new year", "0 0 1 1 *", time.UTC, "2026-12-31T23:59:59.999Z", []string{
			"2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"}},
		{"stepped range", "0 8-18/4 * * *", time.UTC, "2026-05-05T07:00:00Z", []string{
			"2026-05-05T08:00:00Z", "2026-05-05T12:00:00Z", "2026-05-05T16:00:00Z", "2026-05-06T08:00:00Z"}},
		{"month names", "30 6 15 MAR,sep *", time.UTC, "2026-03-15T06:30:00Z", []string{
			"2026-09-15T06:30:00Z", "2027-03-15T06:30:00Z"}},
		{"after given in another zone", "0 9 * * *", ny, "2026-06-01T21:00:00+09:00", []string{
			"2026-06-01T09:00:00-04:00", "2026-06-02T09:00:00-04:00"}},
		{"no DST", "0 0 * * *", tokyo, "2026-03-08T00:00:00+09:00", []string{
			"2026-03-09T00:00:00+09:00", "2026-03-10T00:00:00+09:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := tstParse(t, c.spec, c.loc)
			got := tstNexts(s, c.loc, tstTime(t, c.after), len(c.want))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("successive Next of %q from %s (-want +got):\n%s", c.spec, c.after, diff)
			}
		})
	}
}

// TestNextInScheduleLocation: Next answers in the schedule's location,
// whatever the location of its argument.
func TestNextInScheduleLocation(t *testing.T) {
	berlin := tstLoc(t, "Europe/Berlin")
	after := tstTime(t, "2026-07-01T10:00:00-07:00")
	for _, spec := range []string{"0 12 * * *", "@every 90s", "@daily"} {
		got := tstParse(t, spec, berlin).Next(after)
		if got.Location() != berlin {
			t.Errorf("Parse(%q, Europe/Berlin).Next: got a time in %q, want Europe/Berlin", spec, got.Location())
		}
	}
}

// TestNextNever: a spec no date satisfies returns the zero Time, at once.
func TestNextNever(t *testing.T) {
	after := tstTime(t, "2026-03-01T00:00:00Z")
	for _, spec := range []string{"0 0 30 2 *", "0 0 30-31 feb *", "0 0 31 4,6,9,11 *", "0 0 0 31 2 *"} {
		if got := tstParse(t, spec, time.UTC).Next(after); !got.IsZero() {
			t.Errorf("Parse(%q).Next: got %v, want the zero Time (no such date)", spec, got)
		}
	}
	// With a restricted day-of-week the day fields are ORed: Mondays in February.
	got := tstNexts(tstParse(t, "0 0 30 2 MON", time.UTC), time.UTC, after, 2)
	if diff := cmp.Diff([]string{"2027-02-01T00:00:00Z", "2027-02-08T00:00:00Z"}, got); diff != "" {
		t.Errorf("Next of \"0 0 30 2 MON\" (-want +got):\n%s", diff)
	}
}

// TestEvery: @every is an interval of absolute time, DST or not.
func TestEvery(t *testing.T) {
	ny := tstLoc(t, "America/New_York")
	cases := []struct {
		spec string
		d    time.Duration
	}{
		{"@every 90s", 90 * time.Second},
		{"@every 1h", time.Hour},
		{"@every 2h45m30s", 2*time.Hour + 45*time.Minute + 30*time.Second},
		{"@every 250ms", 250 * time.Millisecond},
	}
	for _, c := range cases {
		s := tstParse(t, c.spec, ny)
		// Across the fall-back: 01:30 EDT + 1h is 01:30 EST.
		after := tstTime(t, "2026-11-01T01:30:00.123456789-04:00")
		for range 5 {
			got := s.Next(after)
			if want := after.Add(c.d); !got.Equal(want) {
				t.Errorf("Parse(%q).Next(%v): got %v, want %v", c.spec, after, got, want)
				break
			}
			after = got
		}
	}
}

// TestNextDSTSpringForward: a wall time the clocks skip runs at the end of
// the gap, once, however many skipped times match.
func TestNextDSTSpringForward(t *testing.T) {
	ny, berlin, sydney := tstLoc(t, "America/New_York"), tstLoc(t, "Europe/Berlin"), tstLoc(t, "Australia/Sydney")
	cases := []struct {
		name, spec string
		loc        *time.Location
		after      string
		want       []string
	}{
		{"New York 02:30 runs at 03:00", "30 2 * * *", ny, "2026-03-07T12:00:00-05:00", []string{
			"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"}},
		{"from just before the gap", "30 2 * * *", ny, "2026-03-08T01:59:59.5-05:00", []string{
			"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"from the transition itself", "30 2 * * *", ny, "2026-03-08T03:00:00-04:00", []string{
			"2026-03-09T02:30:00-04:00"}},
		{"skipped times collapse into one run", "*/20 * * * *", ny, "2026-03-08T01:30:00-05:00", []string{
			"2026-03-08T01:40:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:20:00-04:00", "2026-03-08T03:40:00-04:00"}},
		{"03:00 itself runs once", "30 2,3 * * *", ny, "2026-03-08T00:00:00-05:00", []string{
			"2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"times outside the gap are untouched", "0 3 * * *", ny, "2026-03-07T12:00:00-05:00", []string{
			"2026-03-08T03:00:00-04:00", "2026-03-09T03:00:00-04:00"}},
		{"Berlin", "30 2 * * *", berlin, "2026-03-28T12:00:00+01:00", []string{
			"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}},
		{"Sydney", "15 2 * * *", sydney, "2026-10-03T12:00:00+10:00", []string{
			"2026-10-04T03:00:00+11:00", "2026-10-05T02:15:00+11:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tstNexts(tstParse(t, c.spec, c.loc), c.loc, tstTime(t, c.after), len(c.want))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("successive Next of %q in %v from %s (-want +got):\n%s", c.spec, c.loc, c.after, diff)
			}
		})
	}
}

// TestNextDSTFallBack: a wall time the clocks show twice runs once, at its
// first occurrence.
func TestNextDSTFallBack(t *testing.T) {
	ny, berlin, sydney := tstLoc(t, "America/New_York"), tstLoc(t, "Europe/Berlin"), tstLoc(t, "Australia/Sydney")
	cases := []struct {
		name, spec string
		loc        *time.Location
		after      string
		want       []string
	}{
		{"New York 01:30 runs once", "30 1 * * *", ny, "2026-10-31T12:00:00-04:00", []string{
			"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"from inside the second pass", "30 1 * * *", ny, "2026-11-01T01:10:00-05:00", []string{
			"2026-11-02T01:30:00-05:00"}},
		{"hourly: the repeated hour counts once", "0 * * * *", ny, "2026-11-01T00:30:00-04:00", []string{
			"2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T03:00:00-05:00"}},
		{"from the end of the first pass", "*/30 * * * *", ny, "2026-11-01T01:45:00-04:00", []string{
			"2026-11-01T02:00:00-05:00"}},
		// East of Greenwich, time.Date resolves an ambiguous wall time to
		// the SECOND occurrence: do not trust it.
		{"Berlin", "30 2 * * *", berlin, "2026-10-24T12:00:00+02:00", []string{
			"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		{"Berlin, from the second pass", "30 2 * * *", berlin, "2026-10-25T02:10:00+01:00", []string{
			"2026-10-26T02:30:00+01:00"}},
		{"Berlin, every 20 minutes", "*/20 2 * * *", berlin, "2026-10-25T01:50:00+02:00", []string{
			"2026-10-25T02:00:00+02:00", "2026-10-25T02:20:00+02:00", "2026-10-25T02:40:00+02:00", "2026-10-26T02:00:00+01:00"}},
		{"Sydney", "30 2 * * *", sydney, "2026-04-04T12:00:00+11:00", []string{
			"2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := tstNexts(tstParse(t, c.spec, c.loc), c.loc, tstTime(t, c.after), len(c.want))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("successive Next of %q in %v from %s (-want +got):\n%s", c.spec, c.loc, c.after, diff)
			}
		})
	}
}
