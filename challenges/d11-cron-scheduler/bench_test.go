package cron

import (
	"testing"
	"time"
)

var (
	tstBenchFrom = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tstBenchWant = time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)
)

// BenchmarkNextLeapDay is Next of "0 0 29 2 *" from 1 March 2025: the
// answer, 29 February 2028, is three years (1.6 million minutes) away.
// Gated: 0 allocs/op, and at most 1/1000 of
// BenchmarkNextLeapDayMinuteByMinute.
func BenchmarkNextLeapDay(b *testing.B) {
	s, err := Parse("0 0 29 2 *", time.UTC)
	if err != nil {
		b.Fatalf("Parse: %v", err)
	}
	if got := s.Next(tstBenchFrom); !got.Equal(tstBenchWant) {
		b.Fatalf("Next: got %v, want %v", got, tstBenchWant)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Next(tstBenchFrom)
	}
}

// BenchmarkNextLeapDayMinuteByMinute is the baseline: the obvious search,
// one minute at a time, for the same schedule written by hand.
func BenchmarkNextLeapDayMinuteByMinute(b *testing.B) {
	if got := tstMinuteByMinute(tstBenchFrom); !got.Equal(tstBenchWant) {
		b.Fatalf("minute-by-minute search: got %v, want %v", got, tstBenchWant)
	}
	b.ReportAllocs()
	for b.Loop() {
		tstMinuteByMinute(tstBenchFrom)
	}
}

func tstMinuteByMinute(after time.Time) time.Time {
	t := after.Truncate(time.Minute)
	for range 10 * 366 * 24 * 60 {
		t = t.Add(time.Minute)
		_, month, day := t.Date()
		hour, minute, _ := t.Clock()
		if minute == 0 && hour == 0 && day == 29 && month == time.February {
			return t
		}
	}
	return time.Time{}
}

// BenchmarkNextEveryMinute is Next of "* * * * *" in New York: the common
// case. Not gated.
func BenchmarkNextEveryMinute(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatalf("LoadLocation: %v", err)
	}
	s, err := Parse("* * * * *", ny)
	if err != nil {
		b.Fatalf("Parse: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Next(tstBenchFrom)
	}
}
