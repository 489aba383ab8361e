package cron

// WRONG SOLUTION (stop-no-wait): Stop ends the loop and returns without waiting for the runs in progress.)

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"sync"
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

type state int

const (
	idle state = iota
	running
	stopped
)

// Scheduler runs jobs on their schedules. It is safe for concurrent use.
//
// Design: one loop goroutine owns a time.Timer set to the earliest due
// tick of a min-heap. A single mutex guards the jobs, the heap and each
// job's overlap state; Add and Remove edit them under the lock and poke the
// loop through a one-slot channel so it re-arms the timer. Each run is its
// own goroutine, counted in `active` so Stop can wait for them.
type Scheduler struct {
	loc          *time.Location
	historyLimit int

	mu       sync.Mutex
	state    state
	lastID   ID
	jobs     map[ID]*entry
	queue    queue              // entries waiting for their next tick, earliest due first
	active   int                // run goroutines alive
	cancel   context.CancelFunc // cancels every run's ctx; set by Start
	wake     chan struct{}      // 1-slot: the head of the queue may have changed
	halt     chan struct{}      // closed when the scheduler stops
	loopDone chan struct{}      // closed when the loop has returned; nil before Start
	drained  chan struct{}      // closed once stopped with no run left
}

// entry is a job and its scheduling state.
type entry struct {
	id    ID
	job   Job // immutable after Add: runs read it without the lock
	sched Schedule

	scheduled time.Time // the next tick
	due       time.Time // scheduled + jitter: when it fires
	index     int       // position in the queue, -1 if not queued

	running   int       // runs in progress
	queued    bool      // QueueOne: a run waits for the current one
	queuedFor time.Time // its tick
	removed   bool
	history   []Run // ordered by Scheduled
}

// New returns a stopped scheduler with no jobs.
func New(opts ...Option) *Scheduler {
	s := &Scheduler{
		loc:          time.Local,
		historyLimit: DefaultHistoryLimit,
		jobs:         map[ID]*entry{},
		wake:         make(chan struct{}, 1),
		halt:         make(chan struct{}),
		drained:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Add validates j and schedules it. Before Start the job waits for Start;
// after it, its first tick is the first activation after now. After Stop,
// Add returns ErrStopped. Errors about j wrap ErrInvalid (and the
// *ParseError, for a bad Spec).
func (s *Scheduler) Add(j Job) (ID, error) {
	switch {
	case j.Run == nil:
		return 0, fmt.Errorf("%w: job %q has no Run func", ErrInvalid, j.Name)
	case j.Overlap < Skip || j.Overlap > Allow:
		return 0, fmt.Errorf("%w: job %q: unknown overlap policy %v", ErrInvalid, j.Name, j.Overlap)
	case j.Timeout < 0:
		return 0, fmt.Errorf("%w: job %q: negative timeout %v", ErrInvalid, j.Name, j.Timeout)
	case j.Jitter < 0:
		return 0, fmt.Errorf("%w: job %q: negative jitter %v", ErrInvalid, j.Name, j.Jitter)
	}
	loc := j.Loc
	if loc == nil {
		loc = s.loc
	}
	sched, err := Parse(j.Spec, loc)
	if err != nil {
		return 0, fmt.Errorf("%w: job %q: %w", ErrInvalid, j.Name, err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stopped {
		return 0, ErrStopped
	}
	s.lastID++
	e := &entry{id: s.lastID, job: j, sched: sched, index: -1}
	s.jobs[e.id] = e
	if s.state == running {
		s.plan(e, e.sched.Next(time.Now()))
		s.poke()
	}
	return e.id, nil
}

// Remove unschedules a job and forgets its history. A run in progress is
// not interrupted; a queued one is dropped. It reports whether the job
// existed.
func (s *Scheduler) Remove(id ID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.jobs[id]
	if !ok {
		return false
	}
	delete(s.jobs, id)
	e.removed, e.queued = true, false
	if e.index >= 0 {
		heap.Remove(&s.queue, e.index)
		s.poke()
	}
	return true
}

// History returns a copy of the job's recorded runs, ordered by Scheduled,
// or nil for an unknown job. Runs in progress are not included.
func (s *Scheduler) History(id ID) []Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.jobs[id]
	if !ok || len(e.history) == 0 {
		return nil
	}
	return append([]Run(nil), e.history...)
}

// Start schedules every job and starts dispatching; it returns at once.
// ctx is the parent of every run's ctx: cancelling it cancels the runs in
// progress and stops the scheduler (call Stop to wait for them).
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case running:
		return ErrStarted
	case stopped:
		return ErrStopped
	}
	s.state = running
	ctx, s.cancel = context.WithCancel(ctx)
	now := time.Now()
	for _, e := range s.jobs {
		s.plan(e, e.sched.Next(now))
	}
	s.loopDone = make(chan struct{})
	go s.loop(ctx)
	return nil
}

// Stop stops dispatching: no run starts after Stop returns, a queued or
// jitter-delayed run is recorded as Skipped (ErrStopped). Then it waits for
// the runs in progress to return and returns nil, or, if ctx ends first,
// cancels their ctx and returns ctx.Err(). Stop may be called more than
// once, and before Start.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.shutdown(time.Now())
	loopDone := s.loopDone
	s.mu.Unlock()
	if loopDone != nil {
		select {
		case <-loopDone:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// The loop is gone: nothing new will start. Done.
	return nil
}

// loop fires due ticks and sleeps on one timer until the next one.
func (s *Scheduler) loop(ctx context.Context) {
	defer close(s.loopDone)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if s.state == stopped {
			s.mu.Unlock()
			return
		}
		now := time.Now()
		for len(s.queue) > 0 && !s.queue[0].due.After(now) {
			s.fire(ctx, s.queue[0], now)
		}
		wait := time.Duration(-1)
		if len(s.queue) > 0 {
			wait = s.queue[0].due.Sub(now)
		}
		s.mu.Unlock()

		// Since Go 1.23 Reset and Stop leave no stale value in timer.C.
		if wait >= 0 {
			timer.Reset(wait)
		} else {
			timer.Stop()
		}
		select {
		case <-timer.C:
		case <-s.wake:
		case <-s.halt:
			return
		case <-ctx.Done():
			s.mu.Lock()
			s.shutdown(time.Now())
			s.mu.Unlock()
			return
		}
	}
}

// fire handles e's due tick: it plans the next one, then starts, queues or
// skips this one. Called by the loop with s.mu held.
func (s *Scheduler) fire(ctx context.Context, e *entry, now time.Time) {
	tick := e.scheduled
	// The next tick follows this one, not now, so that jitter and a late
	// loop cause no drift; ticks already in the past are not caught up.
	next := e.sched.Next(tick)
	if !next.IsZero() && !next.After(now) {
		next = e.sched.Next(now)
	}
	heap.Remove(&s.queue, e.index)
	s.plan(e, next)

	switch {
	case e.running == 0 || e.job.Overlap == Allow:
		e.running++
		s.active++
		go s.execute(ctx, e, tick)
	case e.job.Overlap == QueueOne && !e.queued:
		e.queued, e.queuedFor = true, tick
	default:
		s.record(e, Run{Scheduled: tick, Outcome: Skipped, Err: ErrOverlap})
	}
}

// plan queues e for the tick at t (none if t is zero). Called with s.mu held.
func (s *Scheduler) plan(e *entry, t time.Time) {
	if t.IsZero() {
		return
	}
	e.scheduled, e.due = t, t
	if e.job.Jitter > 0 {
		e.due = t.Add(rand.N(e.job.Jitter))
	}
	heap.Push(&s.queue, e)
}

// poke tells the loop to re-arm its timer. Called with s.mu held.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default: // a poke is already pending
	}
}

// shutdown moves to the stopped state, once. Called with s.mu held.
func (s *Scheduler) shutdown(now time.Time) {
	if s.state == stopped {
		return
	}
	s.state = stopped
	close(s.halt)
	// A tick that has come but waits for its jitter is dropped; a tick
	// still in the future is simply not recorded.
	for _, e := range s.queue {
		if !e.scheduled.After(now) {
			s.record(e, Run{Scheduled: e.scheduled, Outcome: Skipped, Err: ErrStopped})
		}
		e.index = -1
	}
	s.queue = nil
	s.checkDrained()
}

// checkDrained closes drained once stopped with no run left. Called with
// s.mu held.
func (s *Scheduler) checkDrained() {
	if s.state == stopped && s.active == 0 {
		select {
		case <-s.drained:
		default:
			close(s.drained)
			if s.cancel != nil {
				s.cancel() // release the runs' parent context
			}
		}
	}
}

// execute runs e for tick, then any run queued meanwhile (QueueOne).
func (s *Scheduler) execute(ctx context.Context, e *entry, tick time.Time) {
	for {
		r := runJob(ctx, e.job, tick)
		s.mu.Lock()
		e.running--
		s.record(e, r)
		if !e.queued {
			break
		}
		e.queued = false
		if s.state == stopped {
			s.record(e, Run{Scheduled: e.queuedFor, Outcome: Skipped, Err: ErrStopped})
			break
		}
		tick = e.queuedFor
		e.running++
		s.mu.Unlock()
	}
	s.active--
	s.checkDrained()
	s.mu.Unlock()
}

// record adds r to e's history, keeping it ordered by Scheduled and within
// the limit. Called with s.mu held.
func (s *Scheduler) record(e *entry, r Run) {
	if e.removed {
		return
	}
	i := len(e.history)
	for i > 0 && e.history[i-1].Scheduled.After(r.Scheduled) {
		i--
	}
	e.history = append(e.history, Run{})
	copy(e.history[i+1:], e.history[i:])
	e.history[i] = r
	if over := len(e.history) - s.historyLimit; over > 0 {
		e.history = append(e.history[:0], e.history[over:]...)
	}
}

// errTimeout is the cause of a run's ctx ending at its Timeout. It wraps
// context.DeadlineExceeded, so a job returning context.Cause(ctx) still
// counts as having honoured it.
var errTimeout = fmt.Errorf("cron: job timeout: %w", context.DeadlineExceeded)

// runJob calls j.Run once and says how it went.
func runJob(ctx context.Context, j Job, tick time.Time) Run {
	cancel := context.CancelFunc(func() {})
	if j.Timeout > 0 {
		ctx, cancel = context.WithTimeoutCause(ctx, j.Timeout, errTimeout)
	}
	defer cancel()
	r := Run{Scheduled: tick, Start: time.Now()}
	perr, err := call(ctx, j.Run)
	r.End = time.Now()
	switch {
	case perr != nil:
		r.Outcome, r.Err = Panicked, perr
	case context.Cause(ctx) == errTimeout:
		r.Outcome, r.Err = Overrun, err
		if errors.Is(err, context.DeadlineExceeded) {
			r.Outcome = TimedOut
		}
	case err != nil:
		r.Outcome, r.Err = Failed, err
	}
	return r
}

// call isolates a panic in f.
func call(ctx context.Context, f func(context.Context) error) (perr *PanicError, err error) {
	defer func() {
		if v := recover(); v != nil {
			perr = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return nil, f(ctx)
}

// queue is a min-heap of entries by due time (then ID, for a stable order).
type queue []*entry

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].id < q[j].id
}
func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *queue) Push(x any) {
	e := x.(*entry)
	e.index = len(*q)
	*q = append(*q, e)
}
func (q *queue) Pop() any {
	old := *q
	e := old[len(old)-1]
	old[len(old)-1] = nil
	e.index = -1
	*q = old[:len(old)-1]
	return e
}
