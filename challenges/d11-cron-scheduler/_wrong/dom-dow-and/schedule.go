// Package cron is an in-process job scheduler: cron expressions with
// optional seconds, names, steps, ranges, lists and descriptors, a
// timezone-aware Next that is exact across DST gaps and overlaps, and a
// Scheduler with per-job overlap policy, timeout, jitter, panic isolation,
// graceful stop and run history. See README.md for the full statement.
package cron

// WRONG SOLUTION (dom-dow-and): day-of-month and day-of-week are always ANDed, missing the Vixie rule.)

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"time"
)

// ErrNotImplemented is returned by the starter's stubs.
var ErrNotImplemented = errors.New("cron: not implemented")

// Names of the parts of a spec, as reported in ParseError.Field.
const (
	FieldSpec       = "spec"       // the spec as a whole: empty, or a wrong number of fields
	FieldDescriptor = "descriptor" // an @-descriptor: unknown, or a bad @every duration
	FieldSecond     = "second"
	FieldMinute     = "minute"
	FieldHour       = "hour"
	FieldDayOfMonth = "day-of-month"
	FieldMonth      = "month"
	FieldDayOfWeek  = "day-of-week"
)

// Schedule gives the activation times of a job.
type Schedule interface {
	// Next returns the first activation strictly after `after`, in the
	// schedule's location, or the zero Time if there is none.
	Next(after time.Time) time.Time
}

// ParseError reports what is wrong with a spec, and where.
type ParseError struct {
	Spec  string // the whole spec given to Parse
	Field string // one of the Field* constants
	Value string // the offending text
	Msg   string // what is wrong with it
}

func (e *ParseError) Error() string {
	if e.Field == FieldSpec {
		return fmt.Sprintf("cron: spec %q: %s", e.Spec, e.Msg)
	}
	return fmt.Sprintf("cron: %s field %q in %q: %s", e.Field, e.Value, e.Spec, e.Msg)
}

// bounds describes one field: the values it accepts, the values `*` and an
// open-ended step (`N/step`) cover, and its names (index = value).
type bounds struct {
	field    string
	min, max int // accepted values
	top      int // the highest value `*` and `N/step` reach
	names    []string
}

var (
	secondBounds = bounds{field: FieldSecond, min: 0, max: 59, top: 59}
	minuteBounds = bounds{field: FieldMinute, min: 0, max: 59, top: 59}
	hourBounds   = bounds{field: FieldHour, min: 0, max: 23, top: 23}
	domBounds    = bounds{field: FieldDayOfMonth, min: 1, max: 31, top: 31}
	monthBounds  = bounds{field: FieldMonth, min: 1, max: 12, top: 12, names: []string{
		"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}}
	// 7 is accepted as Sunday, but `*` means 0-6.
	dowBounds = bounds{field: FieldDayOfWeek, min: 0, max: 7, top: 6, names: []string{
		"sun", "mon", "tue", "wed", "thu", "fri", "sat"}}
)

var descriptors = map[string]string{
	"@yearly":   "0 0 0 1 1 *",
	"@annually": "0 0 0 1 1 *",
	"@monthly":  "0 0 0 1 * *",
	"@weekly":   "0 0 0 * * 0",
	"@daily":    "0 0 0 * * *",
	"@midnight": "0 0 0 * * *",
	"@hourly":   "0 0 * * * *",
}

// Parse parses a cron spec and returns its Schedule on the wall clock of
// loc (nil means time.Local). A spec is one of:
//
//   - five fields: minute hour day-of-month month day-of-week;
//   - six fields: second minute hour day-of-month month day-of-week;
//   - a descriptor: @yearly (= @annually), @monthly, @weekly, @daily
//     (= @midnight), @hourly, or @every <duration> (time.ParseDuration, > 0).
//
// Each field is a comma-separated list of `*`, `N` or `A-B`, each optionally
// followed by `/step`; `N/step` means `N-max/step`. Months and days of the
// week also accept three-letter names (JAN, mon...), in any case; day-of-week
// 7 is Sunday. Every error is a *ParseError naming the field at fault.
func Parse(spec string, loc *time.Location) (Schedule, error) {
	if loc == nil {
		loc = time.Local
	}
	fields := strings.Fields(spec)
	if len(fields) == 0 {
		return nil, &ParseError{Spec: spec, Field: FieldSpec, Msg: "empty spec"}
	}
	if strings.HasPrefix(fields[0], "@") {
		return parseDescriptor(spec, fields, loc)
	}
	switch len(fields) {
	case 5:
		fields = append([]string{"0"}, fields...)
	case 6:
	default:
		return nil, &ParseError{Spec: spec, Field: FieldSpec,
			Msg: fmt.Sprintf("got %d fields, want 5 (minute hour day-of-month month day-of-week) or 6 (with a leading second)", len(fields))}
	}
	s := &cronSchedule{loc: loc}
	var err error
	for i, p := range []struct {
		dst *uint64
		b   bounds
	}{{&s.second, secondBounds}, {&s.minute, minuteBounds}, {&s.hour, hourBounds},
		{&s.dom, domBounds}, {&s.month, monthBounds}, {&s.dow, dowBounds}} {
		if *p.dst, err = parseField(spec, fields[i], p.b); err != nil {
			return nil, err
		}
	}
	if s.dow&(1<<7) != 0 { // 7 is Sunday
		s.dow = s.dow&^(1<<7) | 1
	}
	s.domStar, s.dowStar = fields[3] == "*", fields[5] == "*"
	s.prepare()
	return s, nil
}

func parseDescriptor(spec string, fields []string, loc *time.Location) (Schedule, error) {
	name := strings.ToLower(fields[0])
	if name == "@every" {
		if len(fields) != 2 {
			return nil, &ParseError{Spec: spec, Field: FieldDescriptor, Value: strings.Join(fields, " "),
				Msg: "want @every followed by one duration, such as @every 90s"}
		}
		d, err := time.ParseDuration(fields[1])
		if err != nil {
			return nil, &ParseError{Spec: spec, Field: FieldDescriptor, Value: fields[1], Msg: "not a duration"}
		}
		if d <= 0 {
			return nil, &ParseError{Spec: spec, Field: FieldDescriptor, Value: fields[1], Msg: "the interval must be positive"}
		}
		return every{d: d, loc: loc}, nil
	}
	expanded, ok := descriptors[name]
	if !ok {
		return nil, &ParseError{Spec: spec, Field: FieldDescriptor, Value: fields[0], Msg: "unknown descriptor"}
	}
	if len(fields) != 1 {
		return nil, &ParseError{Spec: spec, Field: FieldDescriptor, Value: strings.Join(fields, " "),
			Msg: "a descriptor takes no other fields"}
	}
	return Parse(expanded, loc)
}

// parseField turns one field (a comma-separated list of `*`, `N`, `A-B`,
// each optionally followed by `/step`) into a bitmask: bit v set = v matches.
func parseField(spec, expr string, b bounds) (uint64, error) {
	fail := func(value, format string, args ...any) (uint64, error) {
		return 0, &ParseError{Spec: spec, Field: b.field, Value: value, Msg: fmt.Sprintf(format, args...)}
	}
	var mask uint64
	for part := range strings.SplitSeq(expr, ",") {
		if part == "" {
			return fail(expr, "empty list element")
		}
		rng, stepText, hasStep := strings.Cut(part, "/")
		var lo, hi int
		if rng == "*" {
			lo, hi = b.min, b.top
		} else {
			loText, hiText, isRange := strings.Cut(rng, "-")
			var ok bool
			if lo, ok = b.value(loText); !ok {
				return fail(part, "%q is not a value of the %s field (%s)", loText, b.field, b.describe())
			}
			switch {
			case isRange:
				if hi, ok = b.value(hiText); !ok {
					return fail(part, "%q is not a value of the %s field (%s)", hiText, b.field, b.describe())
				}
				if lo > hi {
					return fail(part, "range %d-%d runs backwards", lo, hi)
				}
			case hasStep: // N/step means N-top/step
				hi = max(lo, b.top)
			default:
				hi = lo
			}
		}
		step := 1
		if hasStep {
			n, ok := number(stepText)
			if !ok {
				return fail(part, "step %q is not a number", stepText)
			}
			if n < 1 {
				return fail(part, "step must be at least 1")
			}
			step = n
		}
		for v := lo; v <= hi; v += step {
			mask |= 1 << v
		}
	}
	return mask, nil
}

// value parses a number or a name within bounds.
func (b bounds) value(s string) (int, bool) {
	if n, ok := number(s); ok {
		return n, n >= b.min && n <= b.max
	}
	for i, name := range b.names {
		if name != "" && strings.EqualFold(s, name) {
			return i, true
		}
	}
	return 0, false
}

func (b bounds) describe() string {
	if b.names == nil {
		return fmt.Sprintf("%d-%d", b.min, b.max)
	}
	return fmt.Sprintf("%d-%d or a three-letter name", b.min, b.max)
}

// number accepts plain decimal digits only: no sign, no spaces.
func number(s string) (int, bool) {
	if s == "" || len(s) > 4 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// cronSchedule is a parsed cron spec: one bitmask per field.
type cronSchedule struct {
	second, minute, hour uint64 // bits 0-59, 0-59, 0-23
	dom, month, dow      uint64 // bits 1-31, 1-12, 0-6 (0 = Sunday)
	// domStar/dowStar: the field was written `*`. If either is, a day must
	// match both fields; if neither is, it may match either (Vixie cron).
	domStar, dowStar bool
	loc              *time.Location

	// dowDays[w] is the set of days of a month whose day 1 is weekday w
	// that match the day-of-week field.
	dowDays [7]uint64
	never   bool // no date can ever match (say, 30 February)
}

func (s *cronSchedule) prepare() {
	const weekly = 1 | 1<<7 | 1<<14 | 1<<21 | 1<<28 // days 1, 8, 15, 22, 29 when shifted by 1
	for first := range 7 {
		for wd := range 7 {
			if s.dow&(1<<wd) != 0 {
				s.dowDays[first] |= weekly << (1 + (wd-first+7)%7)
			}
		}
	}
	// Only a restricted day-of-month with an unrestricted day-of-week can
	// be impossible: every other combination matches some day each month.
	if !s.domStar && s.dowStar {
		s.never = true
		for m := 1; m <= 12; m++ {
			if s.month&(1<<m) != 0 && s.dom&monthDays(29, m) != 0 {
				s.never = false
			}
		}
	}
}

// monthDays returns the mask of days 1..n, n being the length of month m
// in a year whose February has feb days.
func monthDays(feb, m int) uint64 {
	n := [13]int{0, 31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	return (1<<(n+1) - 1) &^ 1
}

// nextBit returns the lowest set bit of mask at or above from, or 64.
func nextBit(mask uint64, from int) int {
	if from >= 64 {
		return 64
	}
	return bits.TrailingZeros64(mask >> from << from)
}

// Next implements Schedule.
//
// Matching happens on the wall clock of the location: a date and time of
// day, written here as a time.Time in UTC, where every day has 24 hours.
// The matching wall time is then placed on the real time line:
//   - a wall time skipped by a spring-forward gap runs at the end of the
//     gap (the transition instant), once however many skipped times matched;
//   - a wall time repeated by a fall-back runs at its first occurrence only.
func (s *cronSchedule) Next(after time.Time) time.Time {
	if s.never {
		return time.Time{}
	}
	w := wallClock(after.In(s.loc))
	for {
		wall, ok := s.nextWall(w)
		if !ok {
			return time.Time{}
		}
		if t := s.instant(wall); t.After(after) {
			return t
		}
		// The first occurrence of this wall time is behind us: we are in the
		// second pass through a repeated hour. Try the next wall time (at most
		// an hour of them).
		w = wall
	}
}

// wallClock returns t's date and time of day, whole seconds, as UTC.
func wallClock(t time.Time) time.Time {
	_, offset := t.Zone()
	return time.Unix(t.Unix()+int64(offset), 0).UTC()
}

// nextWall returns the first wall time strictly after w that matches,
// searching ten years ahead (the longest gap between matches is eight
// years: 29 February across a non-leap century year).
func (s *cronSchedule) nextWall(w time.Time) (time.Time, bool) {
	w = w.Add(time.Second)
	year, mon, day := w.Date()
	hour, minute, sec := w.Clock()
	month := int(mon)
	limit := year + 10
	// When a field has no match left, advance the next larger field and
	// reset the smaller ones; overflow (month 13, day 32, hour 24...) is
	// caught by the larger field's own check on the next pass.
	for year <= limit {
		if m := nextBit(s.month, month); m > 12 {
			year, month, day, hour, minute, sec = year+1, 1, 1, 0, 0, 0
			continue
		} else if m != month {
			month, day, hour, minute, sec = m, 1, 0, 0, 0
		}
		if d := nextBit(s.days(year, month), day); d == 64 {
			month, day, hour, minute, sec = month+1, 1, 0, 0, 0
			continue
		} else if d != day {
			day, hour, minute, sec = d, 0, 0, 0
		}
		if h := nextBit(s.hour, hour); h == 64 {
			day, hour, minute, sec = day+1, 0, 0, 0
			continue
		} else if h != hour {
			hour, minute, sec = h, 0, 0
		}
		if m := nextBit(s.minute, minute); m == 64 {
			hour, minute, sec = hour+1, 0, 0
			continue
		} else if m != minute {
			minute, sec = m, 0
		}
		if x := nextBit(s.second, sec); x == 64 {
			minute, sec = minute+1, 0
			continue
		} else {
			sec = x
		}
		return time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC), true
	}
	return time.Time{}, false
}

// days returns the mask of the days of the month that match.
func (s *cronSchedule) days(year, month int) uint64 {
	feb := 28
	if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
		feb = 29
	}
	valid := monthDays(feb, month)
	first := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC).Weekday()
	dom, dow := s.dom&valid, s.dowDays[first]&valid
	return dom & dow // a day must match both fields
}

// instant places a wall time of s.loc on the time line (see Next).
func (s *cronSchedule) instant(wall time.Time) time.Time {
	year, month, day := wall.Date()
	hour, minute, sec := wall.Clock()
	t := time.Date(year, month, day, hour, minute, sec, 0, s.loc)
	if got := wallClock(t); !got.Equal(wall) {
		// The wall time does not exist. time.Date read it with the offset
		// from one side of the gap: the transition is where that zone
		// period ends (or begins).
		start, end := t.ZoneBounds()
		if got.Before(wall) {
			return end
		}
		return start
	}
	// The wall time may exist twice, and time.Date may pick either (it
	// picks the later one east of Greenwich). If the zone period before
	// t's also shows this wall time, that earlier instant is the first.
	start, _ := t.ZoneBounds()
	if !start.IsZero() {
		_, prevOffset := start.Add(-time.Second).Zone()
		if earlier := time.Unix(wall.Unix()-int64(prevOffset), 0); earlier.Before(start) {
			return earlier.In(s.loc)
		}
	}
	return t
}

// every is an @every schedule: a fixed interval of absolute time.
type every struct {
	d   time.Duration
	loc *time.Location
}

func (e every) Next(after time.Time) time.Time { return after.Add(e.d).In(e.loc) }
