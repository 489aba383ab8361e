package batch

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestExponentialExact(t *testing.T) {
	const ms = time.Millisecond
	cases := []struct {
		name        string
		base, limit time.Duration
		want        []time.Duration // for attempts 1, 2, 3...
	}{
		{"no cap", 100 * ms, 0, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 6400 * ms}},
		{"capped", 100 * ms, time.Second, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}},
		{"cap below base", time.Second, 300 * ms, []time.Duration{300 * ms, 300 * ms}},
		{"one nanosecond", 1, 0, []time.Duration{1, 2, 4, 8, 16}},
		{"zero base", 0, time.Second, []time.Duration{0, 0, 0}},
	}
	for _, c := range cases {
		b := Exponential(c.base, c.limit)
		var got []time.Duration
		for i := range c.want {
			got = append(got, b.Next(i+1, 0))
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s: Exponential(%v, %v).Next(1..%d) (-want +got):\n%s", c.name, c.base, c.limit, len(c.want), diff)
		}
	}
	// prev is irrelevant, and an attempt below 1 counts as 1.
	b := Exponential(100*ms, 0)
	for _, a := range []int{0, -1, math.MinInt} {
		if got := b.Next(a, time.Hour); got != 100*ms {
			t.Errorf("Exponential(100ms, 0).Next(%d, 1h): got %v, want 100ms", a, got)
		}
	}
}

// TestExponentialNeverOverflows: the delay saturates; it never wraps
// negative (or to a small value) however large the attempt.
func TestExponentialNeverOverflows(t *testing.T) {
	for _, base := range []time.Duration{1, 100 * time.Millisecond, time.Hour, math.MaxInt64 / 3} {
		b := Exponential(base, 0)
		prev := time.Duration(0)
		for _, a := range []int{1, 2, 30, 40, 62, 63, 64, 65, 100, 1000, math.MaxInt} {
			got := b.Next(a, 0)
			if got < prev {
				t.Errorf("Exponential(%v, 0).Next(%d): got %v, less than %v for an earlier attempt", base, a, got, prev)
			}
			prev = got
		}
		if got := b.Next(100, 0); got != math.MaxInt64 {
			t.Errorf("Exponential(%v, 0).Next(100): got %v, want math.MaxInt64 (saturated)", base, got)
		}
	}
	if got := Exponential(100*time.Millisecond, time.Hour).Next(100, 0); got != time.Hour {
		t.Errorf("Exponential(100ms, 1h).Next(100): got %v, want 1h", got)
	}
}

func TestFullJitterBounded(t *testing.T) {
	const base, limit = 100 * time.Millisecond, 2 * time.Second
	b := FullJitter(base, limit, 42)
	for attempt := 1; attempt <= 8; attempt++ {
		hi := Exponential(base, limit).Next(attempt, 0)
		low, high := false, false
		for range 500 {
			d := b.Next(attempt, 0)
			if d < 0 || d > hi {
				t.Fatalf("FullJitter(100ms, 2s).Next(%d): got %v, want within [0, %v]", attempt, d, hi)
			}
			low = low || d < hi/10
			high = high || d > hi-hi/10
		}
		if !low || !high {
			t.Errorf("FullJitter(100ms, 2s).Next(%d): 500 draws never reached the bottom or the top tenth of [0, %v]: not uniform", attempt, hi)
		}
	}
	for _, a := range []int{64, 100, math.MaxInt} {
		if d := FullJitter(time.Second, 0, 1).Next(a, 0); d < 0 {
			t.Errorf("FullJitter(1s, 0).Next(%d): got %v, want >= 0", a, d)
		}
	}
	if d := FullJitter(0, time.Second, 1).Next(3, 0); d != 0 {
		t.Errorf("FullJitter(0, 1s).Next(3): got %v, want 0", d)
	}
}

func TestDecorrelatedJitterBounded(t *testing.T) {
	const base, limit = 100 * time.Millisecond, 10 * time.Second
	b := DecorrelatedJitter(base, limit, 3)
	prev := time.Duration(0)
	atLimit := 0
	for i := range 1000 {
		d := b.Next(i+1, prev)
		hi := min(limit, 3*max(prev, base))
		if d < base || d > hi {
			t.Fatalf("DecorrelatedJitter(100ms, 10s).Next(%d, %v): got %v, want within [100ms, %v]", i+1, prev, d, hi)
		}
		if d == limit {
			atLimit++
		}
		prev = d
	}
	if atLimit == 0 {
		t.Errorf("1000 chained DecorrelatedJitter delays never reached the 10s cap: they do not grow with prev")
	}
	// No overflow with a huge prev and no cap.
	for _, prev := range []time.Duration{math.MaxInt64 / 3, math.MaxInt64 / 2, math.MaxInt64} {
		if d := DecorrelatedJitter(base, 0, 5).Next(100, prev); d < base {
			t.Errorf("DecorrelatedJitter(100ms, 0).Next(100, %v): got %v, want >= 100ms", prev, d)
		}
	}
}

// TestJitterSeedDeterministic: the same seed gives the same sequence, a
// different seed a different one.
func TestJitterSeedDeterministic(t *testing.T) {
	ctors := map[string]func(seed uint64) Backoff{
		"FullJitter":         func(seed uint64) Backoff { return FullJitter(10*time.Millisecond, time.Minute, seed) },
		"DecorrelatedJitter": func(seed uint64) Backoff { return DecorrelatedJitter(10*time.Millisecond, time.Minute, seed) },
	}
	seq := func(b Backoff) []time.Duration {
		var out []time.Duration
		prev := time.Duration(0)
		for i := range 40 {
			prev = b.Next(i%12+1, prev)
			out = append(out, prev)
		}
		return out
	}
	for name, ctor := range ctors {
		a, b, c := seq(ctor(7)), seq(ctor(7)), seq(ctor(8))
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s with seed 7, twice: sequences differ (-first +second):\n%s", name, diff)
		}
		if cmp.Equal(a, c) {
			t.Errorf("%s with seeds 7 and 8: identical sequences, want different", name)
		}
	}
}

// TestBackoffConcurrent [race]: one jittered Backoff is shared by every
// worker of a batch.
func TestBackoffConcurrent(t *testing.T) {
	for _, b := range []Backoff{FullJitter(time.Millisecond, time.Second, 1), DecorrelatedJitter(time.Millisecond, time.Second, 1)} {
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				prev := time.Duration(0)
				for i := range 500 {
					prev = b.Next(i%10+1+g%2, prev)
				}
			})
		}
		wg.Wait()
	}
}
