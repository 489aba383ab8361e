package engine

import (
	"sort"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// ChallengeSummary is one line of the course overview.
type ChallengeSummary struct {
	ID         string          `json:"id"`
	Label      string          `json:"label"`
	Section    string          `json:"section"`
	Title      string          `json:"title"`
	Twist      string          `json:"twist"`
	Difficulty int             `json:"difficulty"`
	Status     progress.Status `json:"status"`
	Today      bool            `json:"today,omitempty"`
	Attempts   int             `json:"attempts"`
	TimeOnTask time.Duration   `json:"timeOnTask"`
	HintsUsed  int             `json:"hintsUsed"`
	HintsOf    int             `json:"hintsOf"`
	FirstPass  *time.Time      `json:"firstPass,omitempty"`
	DoneAt     *time.Time      `json:"doneAt,omitempty"`
	SolutionAt *time.Time      `json:"solutionSeen,omitempty"` // when the reference solution was first shown
}

// Overview is the whole course at a glance.
type Overview struct {
	Challenges []ChallengeSummary `json:"challenges"`
	Today      string             `json:"today,omitempty"` // suggested challenge id
	Done       int                `json:"done"`
	Total      int                `json:"total"`
	Streak     int                `json:"streak"`
	Longest    int                `json:"longestStreak"`
	Days       []*progress.Day    `json:"days"`
	Benchmarks []BenchSeries      `json:"benchmarks"`
	Skipped    int                `json:"skippedProgressLines,omitempty"`
}

// BenchSeries is every recorded result of one benchmark of one challenge,
// oldest first: the learner's own history, for charts.
type BenchSeries struct {
	Challenge string                `json:"challenge"`
	Name      string                `json:"name"`
	Target    string                `json:"target,omitempty"` // BenchmarkTarget; empty when ungated
	Best      progress.Bench        `json:"best"`             // lowest ns/op
	Points    []progress.BenchPoint `json:"points"`
}

// Overview loads progress and summarises every challenge.
func (e *Engine) Overview() (*Overview, error) {
	p, err := e.WS.Progress.Load()
	if err != nil {
		return nil, err
	}
	now := e.Now()
	o := &Overview{Total: len(e.WS.Curriculum.Challenges), Skipped: p.Skipped, Benchmarks: []BenchSeries{}}
	o.Streak, o.Longest = p.Streak(now)
	o.Today = Suggest(e.WS.Curriculum, p)
	for _, ch := range e.WS.Curriculum.Challenges {
		c := p.Get(ch.ID)
		s := ChallengeSummary{
			ID: ch.ID, Label: ch.Label(), Section: ch.Section(), Title: ch.Title, Twist: ch.Twist,
			Difficulty: ch.Difficulty, Status: c.Status, Today: ch.ID == o.Today,
			Attempts: c.Attempts, TimeOnTask: c.TimeOnTask, HintsUsed: c.HintsUsed, HintsOf: len(ch.Hints),
			FirstPass: timePtr(c.FirstPass), DoneAt: timePtr(c.DoneAt), SolutionAt: timePtr(c.SolutionAt),
		}
		if c.Status == progress.Done {
			o.Done++
		}
		o.Challenges = append(o.Challenges, s)
		names := make([]string, 0, len(c.History))
		for name := range c.History {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			o.Benchmarks = append(o.Benchmarks, BenchSeries{
				Challenge: ch.ID, Name: name, Target: BenchmarkTarget(ch, name),
				Best: c.Best[name], Points: c.History[name],
			})
		}
	}
	for _, d := range p.Days {
		o.Days = append(o.Days, d)
	}
	sort.Slice(o.Days, func(i, j int) bool { return o.Days[i].Date < o.Days[j].Date })
	return o, nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Suggest picks today's challenge: the most recently worked-on challenge
// that is not done yet, else the first not done whose dependencies are
// done, else none.
func Suggest(c *curriculum.Curriculum, p *progress.Progress) string {
	var recent *progress.Challenge
	for _, ch := range c.Challenges {
		pc := p.Get(ch.ID)
		if pc.Status == progress.Done || pc.LastActive.IsZero() {
			continue
		}
		if recent == nil || pc.LastActive.After(recent.LastActive) {
			recent = pc
		}
	}
	if recent != nil {
		return recent.ID
	}
next:
	for _, ch := range c.Challenges {
		if p.Get(ch.ID).Status == progress.Done {
			continue
		}
		for _, dep := range ch.DependsOn {
			if p.Get(dep).Status != progress.Done {
				continue next
			}
		}
		return ch.ID
	}
	return ""
}
