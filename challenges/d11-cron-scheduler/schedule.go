// Package cron is an in-process job scheduler: cron expressions with
// optional seconds, names, steps, ranges, lists and descriptors, a
// timezone-aware Next that is exact across DST gaps and overlaps, and a
// Scheduler with per-job overlap policy, timeout, jitter, panic isolation,
// graceful stop and run history. See README.md for the full statement.
package cron

import (
	"errors"
	"fmt"
	"time"
)

// ErrNotImplemented is returned by the stubs below. Delete it when done.
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
	// TODO: split the fields, parse each into a bitmask (bit v set: value v
	// matches), remember whether day-of-month and day-of-week were `*`, and
	// return a type whose Next searches the wall clock of loc. README.md
	// has the rules for DST gaps and overlaps.
	return nil, ErrNotImplemented
}
