package cron

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Errors returned by the Scheduler, or recorded in a Run.
var (
	// ErrInvalid is wrapped by every error Add returns for a bad Job.
	ErrInvalid = errors.New("cron: invalid job")
	// ErrStarted is returned by Start on a running scheduler.
	ErrStarted = errors.New("cron: scheduler already started")
	// ErrStopped is returned by Start and Add after Stop, and is the Err of
	// a Skipped run that Stop dropped.
	ErrStopped = errors.New("cron: scheduler stopped")
	// ErrOverlap is the Err of a run skipped by the job's Overlap policy.
	ErrOverlap = errors.New("cron: previous run still in progress")
)

// Overlap says what happens when a job's tick comes while a previous run of
// the same job is still going.
type Overlap int

const (
	// Skip records the tick as Skipped (ErrOverlap). The zero value.
	Skip Overlap = iota
	// QueueOne starts the run as soon as the previous one returns; if a run
	// is already queued, the tick is Skipped (ErrOverlap).
	QueueOne
	// Allow starts the run at once, concurrently with the previous ones.
	Allow
)

func (o Overlap) String() string {
	switch o {
	case Skip:
		return "Skip"
	case QueueOne:
		return "QueueOne"
	case Allow:
		return "Allow"
	}
	return fmt.Sprintf("Overlap(%d)", int(o))
}

// Job is a unit of scheduled work.
type Job struct {
	Name    string         // for errors and logs; need not be unique
	Spec    string         // a cron spec, see Parse
	Loc     *time.Location // nil: the scheduler's location
	Overlap Overlap
	// Timeout > 0 bounds each run: its ctx is cancelled Timeout after the
	// run starts.
	Timeout time.Duration
	// Jitter > 0 delays each run by a random duration in [0, Jitter).
	Jitter time.Duration
	Run    func(context.Context) error
}

// ID identifies a job within its Scheduler. IDs start at 1.
type ID int64

// Outcome is how a run ended.
type Outcome int

const (
	OK       Outcome = iota // Run returned nil
	Failed                  // Run returned an error
	TimedOut                // the Timeout passed and Run returned an error wrapping context.DeadlineExceeded
	Overrun                 // the Timeout passed and Run returned anything else: it ignored its ctx
	Panicked                // Run panicked; Err is a *PanicError
	Skipped                 // the tick did not run; Err is ErrOverlap or ErrStopped
)

func (o Outcome) String() string {
	switch o {
	case OK:
		return "OK"
	case Failed:
		return "Failed"
	case TimedOut:
		return "TimedOut"
	case Overrun:
		return "Overrun"
	case Panicked:
		return "Panicked"
	case Skipped:
		return "Skipped"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Run records one tick of a job.
type Run struct {
	Scheduled time.Time // the tick: the schedule's activation time, before jitter
	Start     time.Time // when Job.Run was called; zero if Skipped
	End       time.Time // when Job.Run returned; zero if Skipped
	Outcome   Outcome
	Err       error // what Run returned; a *PanicError; ErrOverlap or ErrStopped
}

// PanicError is the Err of a Panicked run.
type PanicError struct {
	Value any    // what Run panicked with
	Stack []byte // the goroutine's stack at the panic
}

func (e *PanicError) Error() string { return fmt.Sprintf("cron: job panicked: %v", e.Value) }

// Unwrap returns the panic value if it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// DefaultHistoryLimit is the number of runs kept per job unless
// WithHistoryLimit says otherwise.
const DefaultHistoryLimit = 100

// Option configures New.
type Option func(*Scheduler)

// WithLocation sets the location of jobs whose Loc is nil (default
// time.Local). A nil loc is ignored.
func WithLocation(loc *time.Location) Option {
	return func(s *Scheduler) {
		if loc != nil {
			s.loc = loc
		}
	}
}

// WithHistoryLimit sets how many runs History keeps per job (the most
// recent ones). n <= 0 is ignored.
func WithHistoryLimit(n int) Option {
	return func(s *Scheduler) {
		if n > 0 {
			s.historyLimit = n
		}
	}
}

// Scheduler runs jobs on their schedules. It is safe for concurrent use.
type Scheduler struct {
	loc          *time.Location // WithLocation
	historyLimit int            // WithHistoryLimit

	// TODO: a mutex; the jobs by ID with their next tick, overlap state and
	// history; a way to wake the dispatch loop; what Stop needs to wait for.
}

// New returns a stopped scheduler with no jobs.
func New(opts ...Option) *Scheduler {
	s := &Scheduler{loc: time.Local, historyLimit: DefaultHistoryLimit}
	for _, o := range opts {
		o(s)
	}
	// TODO: initialise the rest.
	return s
}

// Add validates j and schedules it. Before Start the job waits for Start;
// after it, its first tick is the first activation after now. After Stop,
// Add returns ErrStopped. Errors about j wrap ErrInvalid (and the
// *ParseError, for a bad Spec). IDs start at 1.
func (s *Scheduler) Add(j Job) (ID, error) {
	// TODO
	return 0, ErrNotImplemented
}

// Remove unschedules a job and forgets its history. A run in progress is
// not interrupted; a queued one is dropped. It reports whether the job
// existed.
func (s *Scheduler) Remove(id ID) bool {
	// TODO
	return false
}

// History returns a copy of the job's recorded runs, ordered by Scheduled,
// or nil for an unknown job. Runs in progress are not included.
func (s *Scheduler) History(id ID) []Run {
	// TODO
	return nil
}

// Start schedules every job and starts dispatching; it returns at once
// (ErrStarted if already started, ErrStopped after Stop). ctx is the parent
// of every run's ctx: cancelling it cancels the runs in progress and stops
// the scheduler (call Stop to wait for them).
func (s *Scheduler) Start(ctx context.Context) error {
	// TODO: one goroutine that sleeps on one time.Timer until the earliest
	// due tick, fires it according to the job's Overlap policy, and plans
	// the job's next tick.
	return ErrNotImplemented
}

// Stop stops dispatching: no run starts after Stop returns, a queued or
// jitter-delayed run is recorded as Skipped (ErrStopped). Then it waits for
// the runs in progress to return and returns nil, or, if ctx ends first,
// cancels their ctx and returns ctx.Err(). Stop may be called more than
// once, and before Start.
func (s *Scheduler) Stop(ctx context.Context) error {
	// TODO
	return ErrNotImplemented
}
