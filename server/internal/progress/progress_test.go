package progress

import (
	"reflect"
	"testing"
	"time"
)

// bound fails the whole test binary if the test runs longer than d: no
// test may hang the suite.
func bound(t testing.TB, d time.Duration) {
	t.Helper()
	name := t.Name()
	timer := time.AfterFunc(d, func() { panic(name + " did not finish within " + d.String()) })
	t.Cleanup(func() { timer.Stop() })
}

var (
	plus2  = time.FixedZone("PLUS2", 2*3600)
	plus1  = time.FixedZone("PLUS1", 1*3600)
	minus5 = time.FixedZone("MINUS5", -5*3600)
)

func at(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
	return time.Date(y, mo, d, h, m, 0, 0, loc)
}

func TestReplay(t *testing.T) {
	bound(t, 10*time.Second)
	t0 := at(plus2, 2025, 3, 1, 10, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	fast := func(ns float64) *Bench {
		return &Bench{Name: "BenchmarkFast", NsPerOp: ns, BytesPerOp: 16, AllocsPerOp: 1}
	}

	type want struct {
		challenges map[string]*Challenge
		days       map[string]*Day
	}
	tests := []struct {
		name   string
		events []Event
		want   want
	}{
		{
			name: "runs hints benches reset",
			events: []Event{
				{Time: m(0), Kind: KindOpened, Challenge: "a"},
				{Time: m(3), Kind: KindRun, Challenge: "a", Status: Failing},
				{Time: m(5), Kind: KindRun, Challenge: "a", Status: CompileError},
				{Time: m(30), Kind: KindRun, Challenge: "a", Status: Passing}, // 25 min idle: 10 credited
				{Time: m(31), Kind: KindHint, Challenge: "a", Hint: 1, Early: true},
				{Time: m(33), Kind: KindHint, Challenge: "a", Hint: 2},
				{Time: m(34), Kind: KindHint, Challenge: "a", Hint: 1}, // shown again: highest stays 2
				{Time: m(35), Kind: KindBench, Challenge: "a", Bench: fast(100)},
				{Time: m(36), Kind: KindBench, Challenge: "a", Bench: fast(80)},
				{Time: m(37), Kind: KindBench, Challenge: "a", Bench: fast(90)},
				{Time: m(40), Kind: KindRun, Challenge: "a", Status: Done},
				{Time: m(41), Kind: KindReset, Challenge: "a"},
				{Time: m(42), Kind: KindRun, Challenge: "a", Status: Racy},
				{Time: m(43), Kind: KindRun, Challenge: "a", Status: Done}, // DoneAt stays the first
			},
			want: want{
				challenges: map[string]*Challenge{"a": {
					ID: "a", FirstOpened: m(0), LastActive: m(43),
					Attempts: 6, FailedRuns: 1, FirstPass: m(30), DoneAt: m(40), Status: Done,
					TimeOnTask: 3*time.Minute + 2*time.Minute + 10*time.Minute + 13*time.Minute,
					HintsUsed:  2, EarlyHints: 1,
					Best: map[string]Bench{"BenchmarkFast": *fast(80)},
					History: map[string][]BenchPoint{"BenchmarkFast": {
						{Time: m(35), Bench: *fast(100)}, {Time: m(36), Bench: *fast(80)}, {Time: m(37), Bench: *fast(90)},
					}},
				}},
				days: map[string]*Day{"2025-03-01": {Date: "2025-03-01", Solved: []string{"a"}, Runs: 6, Active: 28 * time.Minute}},
			},
		},
		{
			name: "reset keeps history",
			events: []Event{
				{Time: m(0), Kind: KindRun, Challenge: "r", Status: Failing},
				{Time: m(1), Kind: KindRun, Challenge: "r", Status: Failing},
				{Time: m(2), Kind: KindBench, Challenge: "r", Bench: fast(5)},
				{Time: m(3), Kind: KindHint, Challenge: "r", Hint: 1},
				{Time: m(4), Kind: KindReset, Challenge: "r"},
			},
			want: want{
				challenges: map[string]*Challenge{"r": {
					ID: "r", FirstOpened: m(0), LastActive: m(4), Attempts: 2, FailedRuns: 0,
					Status: NotStarted, TimeOnTask: 4 * time.Minute, HintsUsed: 1,
					Best:    map[string]Bench{"BenchmarkFast": *fast(5)},
					History: map[string][]BenchPoint{"BenchmarkFast": {{Time: m(2), Bench: *fast(5)}}},
				}},
				days: map[string]*Day{"2025-03-01": {Date: "2025-03-01", Solved: []string{}, Runs: 2, Active: 4 * time.Minute}},
			},
		},
		{
			name: "two challenges across midnight",
			events: []Event{
				{Time: at(plus2, 2025, 3, 1, 23, 55), Kind: KindRun, Challenge: "b", Status: Failing},
				{Time: at(plus2, 2025, 3, 1, 23, 58), Kind: KindOpened, Challenge: "c"},
				{Time: at(plus2, 2025, 3, 2, 0, 4), Kind: KindRun, Challenge: "b", Status: Passing},
				{Time: at(plus2, 2025, 3, 2, 0, 5), Kind: KindRun, Challenge: "c", Status: Done},
			},
			want: want{
				challenges: map[string]*Challenge{
					"b": {
						ID: "b", FirstOpened: at(plus2, 2025, 3, 1, 23, 55), LastActive: at(plus2, 2025, 3, 2, 0, 4),
						Attempts: 2, FailedRuns: 1, FirstPass: at(plus2, 2025, 3, 2, 0, 4), Status: Passing,
						TimeOnTask: 9 * time.Minute, Best: map[string]Bench{}, History: map[string][]BenchPoint{},
					},
					"c": {
						ID: "c", FirstOpened: at(plus2, 2025, 3, 1, 23, 58), LastActive: at(plus2, 2025, 3, 2, 0, 5),
						Attempts: 1, FirstPass: at(plus2, 2025, 3, 2, 0, 5), DoneAt: at(plus2, 2025, 3, 2, 0, 5), Status: Done,
						TimeOnTask: 7 * time.Minute, Best: map[string]Bench{}, History: map[string][]BenchPoint{},
					},
				},
				// Day.Active counts wall-clock gaps once (3 min, then 6+1),
				// though the two challenges' times overlap.
				days: map[string]*Day{
					"2025-03-01": {Date: "2025-03-01", Solved: []string{}, Runs: 1, Active: 3 * time.Minute},
					"2025-03-02": {Date: "2025-03-02", Solved: []string{"b", "c"}, Runs: 2, Active: 7 * time.Minute},
				},
			},
		},
		{
			// The wall clock goes back an hour (end of summer time): the
			// gap is the real 10 minutes, and both events are on the 26th.
			name: "DST-like clock change, events out of journal order",
			events: []Event{
				{Time: at(plus1, 2025, 10, 26, 1, 5), Kind: KindRun, Challenge: "d", Status: Passing},
				{Time: at(plus2, 2025, 10, 26, 1, 55), Kind: KindRun, Challenge: "d", Status: Failing},
			},
			want: want{
				challenges: map[string]*Challenge{"d": {
					ID: "d", FirstOpened: at(plus2, 2025, 10, 26, 1, 55), LastActive: at(plus1, 2025, 10, 26, 1, 5),
					Attempts: 2, FailedRuns: 1, FirstPass: at(plus1, 2025, 10, 26, 1, 5), Status: Passing,
					TimeOnTask: 10 * time.Minute, Best: map[string]Bench{}, History: map[string][]BenchPoint{},
				}},
				days: map[string]*Day{"2025-10-26": {Date: "2025-10-26", Solved: []string{"d"}, Runs: 2, Active: 10 * time.Minute}},
			},
		},
		{
			// 23:30 at UTC-5 is already the next day in UTC: the day is the
			// learner's local one.
			name: "local date, not UTC",
			events: []Event{
				{Time: at(minus5, 2025, 1, 31, 23, 30), Kind: KindRun, Challenge: "e", Status: Done},
			},
			want: want{
				challenges: map[string]*Challenge{"e": {
					ID: "e", FirstOpened: at(minus5, 2025, 1, 31, 23, 30), LastActive: at(minus5, 2025, 1, 31, 23, 30),
					Attempts: 1, FirstPass: at(minus5, 2025, 1, 31, 23, 30), DoneAt: at(minus5, 2025, 1, 31, 23, 30), Status: Done,
					Best: map[string]Bench{}, History: map[string][]BenchPoint{},
				}},
				days: map[string]*Day{"2025-01-31": {Date: "2025-01-31", Solved: []string{"e"}, Runs: 1}},
			},
		},
		{
			name:   "empty",
			events: nil,
			want:   want{challenges: map[string]*Challenge{}, days: map[string]*Day{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := replay(append([]Event(nil), tt.events...))
			if !reflect.DeepEqual(p.Challenges, tt.want.challenges) {
				for id, c := range p.Challenges {
					t.Errorf("got  %s: %+v", id, *c)
				}
				for id, c := range tt.want.challenges {
					t.Errorf("want %s: %+v", id, *c)
				}
			}
			if !reflect.DeepEqual(p.Days, tt.want.days) {
				for k, d := range p.Days {
					t.Errorf("got  day %s: %+v", k, *d)
				}
				for k, d := range tt.want.days {
					t.Errorf("want day %s: %+v", k, *d)
				}
			}
		})
	}
}

func TestGetUnknown(t *testing.T) {
	bound(t, 10*time.Second)
	p := replay(nil)
	c := p.Get("nope")
	if c == nil || c.ID != "nope" || c.Status != NotStarted || c.Attempts != 0 || !c.FirstOpened.IsZero() {
		t.Fatalf("Get(unknown) = %+v", c)
	}
	if _, ok := c.Best["x"]; ok {
		t.Fatal("unexpected best")
	}
	if len(p.Challenges) != 0 {
		t.Fatal("Get added a challenge")
	}
}

func TestStreak(t *testing.T) {
	bound(t, 10*time.Second)
	run := &Day{Runs: 1}
	solvedOnly := &Day{Solved: []string{"x"}}
	idle := &Day{Active: time.Hour} // opened and worked, but no run: doesn't count
	today := at(plus2, 2025, 3, 10, 9, 0)
	tests := []struct {
		name             string
		days             map[string]*Day
		today            time.Time
		current, longest int
	}{
		{"nothing", nil, today, 0, 0},
		{"today only", map[string]*Day{"2025-03-10": run}, today, 1, 1},
		{"yesterday only: still alive", map[string]*Day{"2025-03-09": run}, today, 1, 1},
		{"two days ago: broken", map[string]*Day{"2025-03-08": run}, today, 0, 1},
		{"three days up to yesterday", map[string]*Day{"2025-03-07": run, "2025-03-08": run, "2025-03-09": run}, today, 3, 3},
		{"four days up to today", map[string]*Day{"2025-03-07": run, "2025-03-08": run, "2025-03-09": solvedOnly, "2025-03-10": run}, today, 4, 4},
		{"gap", map[string]*Day{"2025-03-08": run, "2025-03-10": run}, today, 1, 1},
		{"longest in the past", map[string]*Day{
			"2025-02-26": run, "2025-02-27": run, "2025-02-28": run, "2025-03-01": run, "2025-03-02": run, // over a month end
			"2025-03-09": run, "2025-03-10": run,
		}, today, 2, 5},
		{"idle days don't count", map[string]*Day{"2025-03-09": run, "2025-03-10": idle, "2025-03-08": idle}, today, 1, 1},
		{"year boundary", map[string]*Day{"2024-12-30": run, "2024-12-31": run, "2025-01-01": run}, at(plus2, 2025, 1, 1, 12, 0), 3, 3},
		// Just after midnight at UTC+1 it is still the previous day in UTC;
		// today is the local date.
		{"today is local", map[string]*Day{"2025-01-01": run, "2025-01-02": run}, at(plus1, 2025, 1, 2, 0, 30), 2, 2},
		{"today is local, UTC-5 late evening", map[string]*Day{"2025-01-01": run}, at(minus5, 2025, 1, 1, 23, 30), 1, 1},
		// Summer time starts on 2025-03-30 (a 23-hour day) and the zone of
		// "today" differs from the days' zone: still consecutive.
		{"DST-like short day", map[string]*Day{"2025-03-29": run, "2025-03-30": run, "2025-03-31": run}, at(plus2, 2025, 3, 31, 0, 10), 3, 3},
		{"future days count for longest only", map[string]*Day{"2025-03-12": run, "2025-03-13": run}, today, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Progress{Days: tt.days}
			cur, long := p.Streak(tt.today)
			if cur != tt.current || long != tt.longest {
				t.Errorf("Streak = %d, %d; want %d, %d", cur, long, tt.current, tt.longest)
			}
		})
	}
}

// TestStreakFromEvents goes from events to a streak, across midnight and
// a time-zone change (the learner travelled or the zone's offset changed).
func TestStreakFromEvents(t *testing.T) {
	bound(t, 10*time.Second)
	p := replay([]Event{
		{Time: at(plus2, 2025, 10, 24, 23, 59), Kind: KindRun, Challenge: "a", Status: Failing},
		{Time: at(plus2, 2025, 10, 25, 0, 1), Kind: KindRun, Challenge: "a", Status: Failing},
		{Time: at(plus1, 2025, 10, 26, 23, 50), Kind: KindRun, Challenge: "a", Status: Passing},
		{Time: at(plus1, 2025, 10, 27, 10, 0), Kind: KindOpened, Challenge: "b"}, // today: no run yet
	})
	cur, long := p.Streak(at(plus1, 2025, 10, 27, 11, 0))
	if cur != 3 || long != 3 {
		t.Errorf("Streak = %d, %d; want 3, 3", cur, long)
	}
	if cur, _ := p.Streak(at(plus1, 2025, 10, 28, 11, 0)); cur != 0 {
		t.Errorf("Streak the day after an empty day = %d; want 0", cur)
	}
}
