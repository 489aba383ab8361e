package engine

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

// Stage is a step of a check.
type Stage string

const (
	StageTests Stage = "tests" // the save tier: go test [-short]
	StageRace  Stage = "race"  // go test -race (and the done gate when the tests pass)
	StageGate  Stage = "gate"  // the done gate alone, for challenges without a race check
)

type strict struct {
	stage Stage
	flags []string
	count int
}

// strictRun decides the second run. It only happens once the tests
// compile. With the race detector on, it runs -race; when the tests passed
// it is also the done gate: full length (no -short), repeated and
// shuffled, so an order-dependent or flaky solution does not graduate.
func strictRun(ch *curriculum.Challenge, plain *testresult.Report, o CheckOptions) (strict, bool) {
	if !plain.Compiled() {
		return strict{}, false
	}
	race := (ch.Test.Race && !o.NoRace) || o.RaceCheck
	gate := plain.Passed && o.Run == ""
	s := strict{stage: StageRace, count: 1}
	switch {
	case race:
		s.flags = []string{"-race"}
	case gate && !ch.Test.Race && (ch.Test.DoneGate.Count > 1 || ch.Test.DoneGate.Shuffle):
		s.stage = StageGate
	default:
		return strict{}, false
	}
	if gate {
		s.count = max(ch.Test.DoneGate.Count, 1)
		if ch.Test.DoneGate.Shuffle {
			s.flags = append(s.flags, "-shuffle=on")
		}
	} else if o.Run != "" {
		s.flags = append(s.flags, "-run", o.Run)
	}
	if o.RaceCheck {
		s.count = max(s.count, RaceCheckCount)
	}
	s.flags = append(s.flags, "-count="+strconv.Itoa(s.count))
	return s, true
}

// RaceCheckCount is how many times a race check repeats the tests.
const RaceCheckCount = 5

// CheckOptions tune a check.
type CheckOptions struct {
	// RaceCheck asks for the race detector whatever the manifest and NoRace
	// say, with the tests repeated RaceCheckCount times: an explicit "Run
	// Race Check" should shake out a race that a single run can miss.
	RaceCheck bool
	// NoRace skips the race stage even when the manifest asks for it
	// (an editor setting; a challenge checked this way is never done).
	NoRace bool
	// OnStage is called as each stage starts.
	OnStage func(Stage)
	// OnTests is called with the plain run's report when a second run
	// follows, so a front end can show failing tests while the race
	// detector still runs.
	OnTests func(*testresult.Report)
	// Run restricts to tests matching this -run pattern (a "run test" lens);
	// such a check is never done either.
	Run string
	// Timeout, when positive, replaces the manifest's per-run timeout (an
	// editor setting for slow machines).
	Timeout time.Duration
}

// Result is the outcome of checking one challenge.
type Result struct {
	Challenge string          `json:"challenge"`
	Status    progress.Status `json:"status"`
	// Why explains a status short of done ("race check skipped", "tests
	// edited: lru_test.go", "done gate failed on run 2 of 3").
	Why   string             `json:"why,omitempty"`
	Tests *testresult.Report `json:"tests"`
	// Strict is the second run: the race detector, and the done gate
	// when the tests passed. Nil when it did not run.
	Strict      *testresult.Report `json:"strict,omitempty"`
	StrictStage Stage              `json:"strictStage,omitempty"`
	EditedTests []string           `json:"editedTests,omitempty"`
	Started     time.Time          `json:"started"`
	Elapsed     time.Duration      `json:"elapsed"`
}

// Reports returns the reports of the stages that ran.
func (r *Result) Reports() []*testresult.Report {
	out := []*testresult.Report{r.Tests}
	if r.Strict != nil {
		out = append(out, r.Strict)
	}
	return out
}

// Check runs a challenge's tests, then (if they compile) the race
// detector; when everything passes the race run doubles as the done gate
// (-count=N -shuffle=on). The resulting status is recorded in progress.
func (e *Engine) Check(ctx context.Context, id string, o CheckOptions) (*Result, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	var res *Result
	err = e.exclusive(ctx, ch.ID, func(ctx context.Context) error {
		res, err = e.check(ctx, ch, o)
		return err
	})
	return res, err
}

func (e *Engine) check(ctx context.Context, ch *curriculum.Challenge, o CheckOptions) (*Result, error) {
	res := &Result{Challenge: ch.ID, Started: e.Now()}
	stage := func(s Stage) {
		if o.OnStage != nil {
			o.OnStage(s)
		}
	}
	spec := e.spec(ch, o)
	spec.Flags = []string{"-count=1"}
	if ch.Test.Short {
		spec.Flags = append(spec.Flags, "-short")
	}
	if o.Run != "" {
		spec.Flags = append(spec.Flags, "-run", o.Run)
	}
	stage(StageTests)
	plain, err := gotest.Run(ctx, spec)
	if err != nil {
		return nil, err
	}
	res.Tests = plain

	if second, ok := strictRun(ch, plain, o); ok {
		if o.OnTests != nil {
			o.OnTests(plain)
		}
		stage(second.stage)
		spec := e.spec(ch, o)
		spec.Flags = second.flags
		spec.Timeout *= time.Duration(second.count)
		if res.Strict, err = gotest.Run(ctx, spec); err != nil {
			return nil, err
		}
		res.StrictStage = second.stage
	}
	res.EditedTests = e.WS.EditedTests(ch)
	res.Status, res.Why = judge(ch, res, o)
	res.Elapsed = e.Now().Sub(res.Started)
	if err := e.WS.Progress.Record(progress.Event{Kind: progress.KindRun, Challenge: ch.ID, Status: res.Status}); err != nil {
		return res, fmt.Errorf("recording progress: %w", err)
	}
	return res, nil
}

// judge turns reports into a status. A build failure is never a failing
// test; a race outranks failing tests because it is the bug to fix first.
func judge(ch *curriculum.Challenge, r *Result, o CheckOptions) (progress.Status, string) {
	plain := r.Tests
	if !plain.Compiled() {
		if plain.Problem != "" {
			return progress.CompileError, plain.Problem
		}
		return progress.CompileError, fmt.Sprintf("%d build error(s)", len(plain.Build))
	}
	if len(plain.Races) > 0 || (r.Strict != nil && len(r.Strict.Races) > 0) {
		return progress.Racy, "the race detector found a data race"
	}
	if !plain.Passed {
		return progress.Failing, failingWhy(plain)
	}
	if r.Strict != nil && !r.Strict.Passed {
		return progress.Failing, fmt.Sprintf("the %s run failed: %s", r.StrictStage, failingWhy(r.Strict))
	}
	switch {
	case o.Run != "":
		return progress.Passing, "only some tests ran"
	case ch.Test.Race && r.StrictStage != StageRace:
		return progress.Passing, "the race check was skipped"
	case len(r.EditedTests) > 0:
		return progress.Passing, "the shipped tests were edited; restore them (gochallenge reset keeps a backup) to finish: " + strings.Join(r.EditedTests, ", ")
	}
	return progress.Done, ""
}

func failingWhy(r *testresult.Report) string {
	switch {
	case r.Problem != "":
		return r.Problem
	case r.Stuck != nil:
		return string(r.Stuck.Kind) + ": " + r.Stuck.Message
	case len(r.Panics) > 0:
		return "panic: " + r.Panics[0].Message
	}
	var names []string
	for _, t := range r.Failed() {
		names = append(names, t.Name)
	}
	if len(names) == 0 {
		return "the tests failed"
	}
	if len(names) > 3 {
		return fmt.Sprintf("%s and %d more failed", names[:3], len(names)-3)
	}
	return fmt.Sprintf("%v failed", names)
}

func (e *Engine) spec(ch *curriculum.Challenge, o CheckOptions) gotest.Spec {
	timeout := ch.Test.Timeout()
	if o.Timeout > 0 {
		timeout = o.Timeout
	}
	return gotest.Spec{
		Dir:        e.WS.Root,
		PackageDir: e.WS.Dir(ch),
		Timeout:    timeout,
		Learner:    e.WS.Learner(ch),
	}
}
