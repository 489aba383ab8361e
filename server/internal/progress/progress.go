// Package progress records what a learner did in a workspace (opened a
// challenge, ran its tests, asked for a hint, benchmarked it, reset it) and
// replays that record into a per-challenge and per-day summary.
//
// # Storage
//
// Progress lives in plain files inside the workspace's .gochallenge/ folder,
// so a learner can commit it and carry it to another machine:
//
//	progress.jsonl  the journal: one JSON event per line, only ever appended to
//	progress.lock   empty; only used for flock(2)
//
// An append-only journal was chosen over a state file that is rewritten on
// every change for two reasons:
//
//   - Crash safety without rewriting the file. An event is appended with a
//     single write and fsynced; nothing already written is ever touched
//     again, so a crash or a SIGKILL can at worst leave one torn last line.
//     The next append starts on a fresh line, and Load skips lines that do
//     not decode and counts them in [Progress.Skipped] so callers can warn.
//   - Two writers never lose each other's events. The CLI and the editor's
//     language server run at the same time. With a read-modify-write state
//     file, the last writer would silently drop what the other recorded in
//     between; appends under an exclusive flock on progress.lock are
//     serialised and all of them survive. Load takes a shared lock so it
//     never sees a line that is being written.
//
// Everything the tools show (status, attempts, time on task, streaks, best
// benchmarks) is derived by replaying the journal, so changing how it is
// derived never needs a migration.
package progress

import (
	"fmt"
	"sort"
	"time"
)

// Status is a challenge's state after its latest test run.
type Status string

// The statuses, from worst to best.
const (
	NotStarted   Status = "not-started"
	CompileError Status = "compile-error"
	Failing      Status = "failing"
	Racy         Status = "racy"
	Passing      Status = "passing" // the tests pass, but not every finishing check did
	Done         Status = "done"
)

func (s Status) valid() bool {
	switch s {
	case NotStarted, CompileError, Failing, Racy, Passing, Done:
		return true
	}
	return false
}

// passed reports whether a run with this status counts as a pass.
func (s Status) passed() bool { return s == Passing || s == Done }

// Kind says what an event records.
type Kind string

// The kinds of events.
const (
	KindOpened   Kind = "opened"   // the challenge was opened (editor or CLI)
	KindRun      Kind = "run"      // its tests ran; Event.Status is the result
	KindHint     Kind = "hint"     // a hint was shown; Event.Hint is its level
	KindBench    Kind = "bench"    // a benchmark result; Event.Bench
	KindReset    Kind = "reset"    // the challenge's files were reset
	KindActive   Kind = "active"   // the learner is working on it (e.g. edited a file)
	KindSolution Kind = "solution" // the learner looked at a solution
)

func (k Kind) valid() bool {
	switch k {
	case KindOpened, KindRun, KindHint, KindBench, KindReset, KindActive, KindSolution:
		return true
	}
	return false
}

// Event is one line of the journal.
type Event struct {
	Time      time.Time `json:"time"`
	Kind      Kind      `json:"kind"`
	Challenge string    `json:"challenge"`
	Status    Status    `json:"status,omitempty"` // kind run: the resulting status
	Hint      int       `json:"hint,omitempty"`   // kind hint: level shown
	Early     bool      `json:"early,omitempty"`  // kind hint: asked before it unlocked
	Bench     *Bench    `json:"bench,omitempty"`  // kind bench
}

// validate checks everything but Time (Record fills a zero Time).
func (ev *Event) validate() error {
	if ev.Challenge == "" {
		return fmt.Errorf("progress: %s event without a challenge id", ev.Kind)
	}
	if !ev.Kind.valid() {
		return fmt.Errorf("progress: unknown event kind %q for challenge %s", ev.Kind, ev.Challenge)
	}
	if ev.Status != "" && !ev.Status.valid() {
		return fmt.Errorf("progress: unknown status %q for challenge %s", ev.Status, ev.Challenge)
	}
	switch ev.Kind {
	case KindRun:
		if ev.Status == "" || ev.Status == NotStarted {
			return fmt.Errorf("progress: run event for challenge %s needs a result status, not %q", ev.Challenge, ev.Status)
		}
	case KindHint:
		if ev.Hint < 1 {
			return fmt.Errorf("progress: hint event for challenge %s with level %d (levels start at 1)", ev.Challenge, ev.Hint)
		}
	case KindBench:
		if ev.Bench == nil || ev.Bench.Name == "" {
			return fmt.Errorf("progress: bench event for challenge %s without a benchmark name", ev.Challenge)
		}
	}
	return nil
}

// Bench is one benchmark result.
type Bench struct {
	Name        string  `json:"name"`
	NsPerOp     float64 `json:"nsPerOp"`
	BytesPerOp  float64 `json:"bytesPerOp"`
	AllocsPerOp float64 `json:"allocsPerOp"`
}

// BenchPoint is a benchmark result and when it was recorded.
type BenchPoint struct {
	Time time.Time `json:"time"`
	Bench
}

// Progress is the replayed journal.
type Progress struct {
	Challenges map[string]*Challenge
	Days       map[string]*Day // key "2006-01-02" in the time zone of the event time
	Skipped    int             // journal lines that were damaged or invalid and ignored
}

// Challenge is one challenge's record.
type Challenge struct {
	ID          string
	FirstOpened time.Time // its first event of any kind
	LastActive  time.Time // its latest event of any kind
	Attempts    int       // runs
	FailedRuns  int       // runs whose status is not Passing/Done (since the last reset)
	FirstPass   time.Time // first Passing or Done run
	DoneAt      time.Time // first Done run
	Status      Status    // status of the latest run; NotStarted before any; reset -> NotStarted
	TimeOnTask  time.Duration
	HintsUsed   int                     // highest hint level shown
	EarlyHints  int                     // hints shown before they unlocked
	SolutionAt  time.Time               // first time the reference solution was shown
	Best        map[string]Bench        // per benchmark name, lowest NsPerOp
	History     map[string][]BenchPoint // per benchmark name, every result in time order
}

// Day is what happened on one calendar day.
type Day struct {
	Date   string        `json:"date"`   // "2006-01-02"
	Solved []string      `json:"solved"` // challenges whose first pass or done happened that day, sorted, no dups
	Runs   int           `json:"runs"`
	Active time.Duration `json:"active"`
}

// idleCap bounds the time credited for the gap between two events: an idle
// learner doesn't accrue time.
const idleCap = 10 * time.Minute

const dateLayout = "2006-01-02"

func newChallenge(id string) *Challenge {
	return &Challenge{ID: id, Status: NotStarted, Best: map[string]Bench{}, History: map[string][]BenchPoint{}}
}

// Get returns the record of challenge id, never nil: a NotStarted zero
// record for ids without events. The result must not be modified.
func (p *Progress) Get(id string) *Challenge {
	if c := p.Challenges[id]; c != nil {
		return c
	}
	return newChallenge(id)
}

// counted reports whether a day counts toward a streak.
func (d *Day) counted() bool { return d != nil && (d.Runs > 0 || len(d.Solved) > 0) }

// Streak returns the current and the longest streak of consecutive days
// with at least one run or solve. The current streak ends today, or
// yesterday when today has nothing yet (it is alive until today ends).
// today's date is taken in today's time zone.
func (p *Progress) Streak(today time.Time) (current, longest int) {
	var days []int64
	for key, d := range p.Days {
		if !d.counted() {
			continue
		}
		n, ok := dayNumber(key)
		if !ok {
			continue
		}
		days = append(days, n)
	}
	if len(days) == 0 {
		return 0, 0
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	set := make(map[int64]bool, len(days))
	run := 0
	for i, n := range days {
		set[n] = true
		if i > 0 && n == days[i-1]+1 {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
	}
	t, _ := dayNumber(today.Format(dateLayout))
	if !set[t] {
		t-- // today has nothing yet: the streak may end yesterday
	}
	for set[t] {
		current++
		t--
	}
	return current, longest
}

// dayNumber turns "2006-01-02" into a day count, so that consecutive
// calendar days are consecutive numbers whatever the time zone or DST did.
func dayNumber(date string) (int64, bool) {
	t, err := time.Parse(dateLayout, date) // UTC: every day has 24 hours
	if err != nil {
		return 0, false
	}
	return t.Unix() / 86400, true
}

// replay folds events into a Progress. Events are taken in time order
// (stable, so equal times keep journal order): two processes may append in
// a slightly different order than their clocks read.
func replay(events []Event) *Progress {
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.Before(events[j].Time) })
	p := &Progress{Challenges: map[string]*Challenge{}, Days: map[string]*Day{}}
	solved := map[*Day]map[string]bool{}
	solve := func(d *Day, id string) {
		if solved[d] == nil {
			solved[d] = map[string]bool{}
		}
		if !solved[d][id] {
			solved[d][id] = true
			d.Solved = append(d.Solved, id)
		}
	}
	var prev time.Time // the previous event of any challenge
	for i := range events {
		ev := &events[i]
		t := ev.Time
		key := t.Format(dateLayout)
		d := p.Days[key]
		if d == nil {
			d = &Day{Date: key, Solved: []string{}}
			p.Days[key] = d
		}
		c := p.Challenges[ev.Challenge]
		if c == nil {
			c = newChallenge(ev.Challenge)
			c.FirstOpened = t
			p.Challenges[ev.Challenge] = c
		} else {
			c.TimeOnTask += min(t.Sub(c.LastActive), idleCap)
		}
		// Day.Active uses the gaps between consecutive events of any
		// challenge, so switching back and forth between two challenges
		// doesn't count the same minutes twice.
		if !prev.IsZero() {
			d.Active += min(t.Sub(prev), idleCap)
		}
		prev = t
		c.LastActive = t

		switch ev.Kind {
		case KindRun:
			c.Attempts++
			d.Runs++
			c.Status = ev.Status
			if !ev.Status.passed() {
				c.FailedRuns++
			}
			if ev.Status.passed() && c.FirstPass.IsZero() {
				c.FirstPass = t
				solve(d, c.ID)
			}
			if ev.Status == Done && c.DoneAt.IsZero() {
				c.DoneAt = t
				solve(d, c.ID)
			}
		case KindHint:
			c.HintsUsed = max(c.HintsUsed, ev.Hint)
			if ev.Early {
				c.EarlyHints++
			}
		case KindBench:
			b := *ev.Bench
			c.History[b.Name] = append(c.History[b.Name], BenchPoint{Time: t, Bench: b})
			if best, ok := c.Best[b.Name]; !ok || b.NsPerOp < best.NsPerOp {
				c.Best[b.Name] = b
			}
		case KindSolution:
			if c.SolutionAt.IsZero() {
				c.SolutionAt = t
			}
		case KindReset:
			c.Status = NotStarted
			c.FailedRuns = 0
		}
	}
	for d := range solved {
		sort.Strings(d.Solved)
	}
	return p
}
