// Package scope gives Go the equivalent of Python's ExitStack and
// AsyncExitStack: a Scope owns resources, cleanups and background tasks, and
// Close releases them last-in first-out, exactly once, with bounded time,
// joining their errors. With is the one-resource form of Python's `with`.
package scope

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("scope: not implemented")

// ErrClosed is returned by Acquire on a scope that is closed or closing, and
// is the cause (context.Cause) of the scope's context once Close has begun.
var ErrClosed = errors.New("scope: closed")

// DefaultCleanupTimeout bounds each cleanup slot unless WithCleanupTimeout
// says otherwise.
const DefaultCleanupTimeout = 10 * time.Second

// Option configures a Scope.
type Option func(*config)

type config struct {
	timeout time.Duration
	log     *slog.Logger
}

// WithCleanupTimeout bounds each cleanup slot (one Defer, one Acquire's
// release, one DeferConcurrent group) and the wait for the scope's tasks.
// d <= 0 removes the bound.
func WithCleanupTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// WithLogger makes the scope log what it cannot return: cleanups that fail or
// are abandoned, and calls made after Close. nil: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.log = l }
}

// slot is one entry of the cleanup stack: one function, or several that run
// in parallel.
type slot struct {
	name string
	fns  []func(context.Context) error
}

// Scope owns cleanups and tasks. Create it with New; Close it exactly when
// its owner is done with it. All methods are safe for concurrent use.
type Scope struct {
	parent  context.Context // New's ctx: the parent of cleanups run outside Close
	ctx     context.Context // the scope's context, given to open and to tasks
	cancel  context.CancelCauseFunc
	timeout time.Duration
	log     *slog.Logger

	mu       sync.Mutex
	stack    []slot
	acquired int // numbers the names of Acquire's slots
	closed   bool
	tasks    sync.WaitGroup
	taskErrs []error
	done     chan struct{} // closed when the first Close has finished
	err      error         // the first Close's result, readable once done is closed
}

// New returns an empty scope and its context, which is cancelled (with cause
// ErrClosed) when Close begins, or when ctx is.
func New(ctx context.Context, opts ...Option) (*Scope, context.Context) {
	c := config{timeout: DefaultCleanupTimeout}
	for _, o := range opts {
		o(&c)
	}
	sctx, cancel := context.WithCancelCause(ctx)
	s := &Scope{parent: ctx, ctx: sctx, cancel: cancel, timeout: c.timeout, log: c.log, done: make(chan struct{})}
	return s, sctx
}

// Acquire opens a resource with the scope's context and registers its
// release. If open fails, the scope closes (releasing what it holds, LIFO)
// and Acquire returns open's error, wrapped, joined with any error from the
// closing. On a closed scope it returns ErrClosed without calling open; if
// the scope closed while open ran, the new resource is released at once.
func Acquire[T any](s *Scope, open func(context.Context) (T, error), release func(context.Context, T) error) (T, error) {
	var zero T
	if s.isClosed() {
		return zero, ErrClosed
	}
	v, err := open(s.ctx)
	if err != nil {
		err = fmt.Errorf("scope: acquire: %w", err)
		if s.isClosed() {
			return zero, errors.Join(ErrClosed, err)
		}
		// The scope fails as a unit, like a `with` block: release what
		// was acquired before, so a constructor can just return.
		return zero, errors.Join(err, s.close(s.parent))
	}
	fn := func(ctx context.Context) error { return release(ctx, v) }

	s.mu.Lock()
	if s.closed {
		// Close has swapped the stack out already: nobody else will ever
		// release v, so do it now.
		s.mu.Unlock()
		errs, p := s.runSlot(s.parent, slot{name: "acquired late", fns: []func(context.Context) error{fn}})
		if p != nil {
			panic(p.value)
		}
		return zero, errors.Join(append([]error{ErrClosed}, errs...)...)
	}
	s.acquired++
	s.stack = append(s.stack, slot{name: fmt.Sprintf("acquired[%d]", s.acquired), fns: []func(context.Context) error{fn}})
	s.mu.Unlock()
	return v, nil
}

// Defer registers fn to run at Close. After Close, fn runs at once (its
// error is logged: there is nobody to return it to).
func (s *Scope) Defer(name string, fn func(context.Context) error) {
	s.DeferConcurrent(name, fn)
}

// DeferConcurrent registers fns as one slot of the cleanup stack: at Close,
// when their turn comes, they run in parallel, under one timeout, and the
// next slot starts when all of them have returned.
func (s *Scope) DeferConcurrent(name string, fns ...func(context.Context) error) {
	sl := slot{name: name}
	for _, fn := range fns {
		if fn != nil {
			sl.fns = append(sl.fns, fn)
		}
	}
	if len(sl.fns) == 0 {
		return
	}
	s.mu.Lock()
	if !s.closed {
		s.stack = append(s.stack, sl)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.logf(slog.LevelWarn, "scope: Defer after Close: cleanup runs at once", "name", name)
	_, p := s.runSlot(s.parent, sl)
	if p != nil {
		panic(p.value)
	}
}

// Go runs fn in a goroutine owned by the scope, with the scope's context.
// Close cancels that context and waits for the task before any cleanup runs.
// A task error cancels the scope's context, with the error as its cause, and
// is returned by Close; an error that only reports the end of the scope's
// context (its Err or its Cause) is not reported. After Close, Go does not start fn. A panic in fn is not
// recovered: like any goroutine's, it crashes the program.
func (s *Scope) Go(name string, fn func(context.Context) error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.logf(slog.LevelWarn, "scope: Go after Close: task not started", "name", name)
		return
	}
	// Add under the lock that Close takes to set closed: no Add can race
	// with Close's Wait.
	s.tasks.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.tasks.Done()
		err := fn(s.ctx)
		if err == nil || s.stopping(err) {
			return
		}
		err = fmt.Errorf("scope: task %q: %w", name, err)
		s.mu.Lock()
		s.taskErrs = append(s.taskErrs, err)
		s.mu.Unlock()
		s.cancel(err)
	}()
}

// stopping reports whether a task's error only says that the scope's context
// ended: its Err or its cause (ErrClosed, or another task's error).
func (s *Scope) stopping(err error) bool {
	return s.ctx.Err() != nil && (errors.Is(err, s.ctx.Err()) || errors.Is(err, context.Cause(s.ctx)))
}

// Close cancels the scope's context, waits for its tasks, then runs the
// cleanups last-in first-out, each slot with a context that keeps ctx's
// values but not its cancellation, bounded by the cleanup timeout. It
// returns every error joined. Close is idempotent: every call, concurrent or
// later, waits for the one run and returns its result. If a cleanup panics,
// the others still run, and the first Close re-panics with that value.
func (s *Scope) Close(ctx context.Context) error { return s.close(ctx) }

func (s *Scope) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Scope) close(ctx context.Context) (err error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.done
		return s.err
	}
	s.closed = true
	// Swap the stack out: from here on, Acquire and Defer see closed and
	// release their own resources; nothing appends to what we iterate.
	stack := s.stack
	s.stack = nil
	s.mu.Unlock()

	var (
		errs   []error
		panics []*panicked
	)
	defer func() {
		s.err = errors.Join(errs...)
		err = s.err
		close(s.done)
		if len(panics) > 0 {
			panic(panics[0].value)
		}
	}()

	s.cancel(ErrClosed)
	if !s.waitTasks() {
		errs = append(errs, fmt.Errorf("scope: tasks still running after %v: %w", s.timeout, context.DeadlineExceeded))
		s.logf(slog.LevelError, "scope: tasks abandoned after the cleanup timeout")
	}
	s.mu.Lock()
	errs = append(errs, s.taskErrs...)
	s.mu.Unlock()

	for i := len(stack) - 1; i >= 0; i-- {
		e, p := s.runSlot(ctx, stack[i])
		errs = append(errs, e...)
		if p != nil {
			panics = append(panics, p)
			errs = append(errs, fmt.Errorf("scope: cleanup %q panicked: %v", p.name, p.value))
		}
	}
	return nil // the deferred function sets the result
}

// waitTasks waits for the tasks, at most the cleanup timeout.
func (s *Scope) waitTasks() bool {
	done := make(chan struct{})
	go func() {
		s.tasks.Wait()
		close(done)
	}()
	if s.timeout <= 0 {
		<-done
		return true
	}
	t := time.NewTimer(s.timeout)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

type panicked struct {
	name  string
	value any
}

// runSlot runs the functions of one slot in parallel and waits until they
// return or the slot's deadline passes. A function still running then is
// abandoned and reported as context.DeadlineExceeded: a cleanup that ignores
// its context must not hold the whole shutdown hostage.
func (s *Scope) runSlot(ctx context.Context, sl slot) ([]error, *panicked) {
	// Values survive, cancellation does not: the parent may well be the
	// request that just ended, and the cleanup must still run.
	cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	if s.timeout > 0 {
		cctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	}
	defer cancel()

	type result struct {
		i     int
		err   error
		panic *panicked
	}
	name := func(i int) string {
		if len(sl.fns) == 1 {
			return sl.name
		}
		return fmt.Sprintf("%s[%d]", sl.name, i)
	}
	results := make(chan result, len(sl.fns)) // buffered: an abandoned cleanup never blocks
	for i, fn := range sl.fns {
		go func() {
			defer func() {
				if r := recover(); r != nil {
					results <- result{i: i, panic: &panicked{name: name(i), value: r}}
				}
			}()
			results <- result{i: i, err: fn(cctx)}
		}()
	}

	var (
		errs  []error
		first *panicked
		got   = make([]bool, len(sl.fns))
	)
	take := func(r result) {
		got[r.i] = true
		switch {
		case r.panic != nil:
			if first == nil {
				first = r.panic
			}
			s.logf(slog.LevelError, "scope: cleanup panicked", "name", r.panic.name, "panic", r.panic.value)
		case r.err != nil:
			err := fmt.Errorf("scope: cleanup %q: %w", name(r.i), r.err)
			errs = append(errs, err)
			s.logf(slog.LevelError, "scope: cleanup failed", "name", name(r.i), "err", r.err)
		}
	}
	for pending := len(sl.fns); pending > 0; pending-- {
		select {
		case r := <-results:
			take(r)
			continue
		case <-cctx.Done():
		}
		// The deadline passed. Take what has already arrived, abandon the rest.
		for drained := false; !drained; {
			select {
			case r := <-results:
				take(r)
			default:
				drained = true
			}
		}
		for i, ok := range got {
			if !ok {
				errs = append(errs, fmt.Errorf("scope: cleanup %q abandoned: %w", name(i), context.DeadlineExceeded))
				s.logf(slog.LevelError, "scope: cleanup abandoned after its deadline", "name", name(i), "err", context.DeadlineExceeded)
			}
		}
		break
	}
	return errs, first
}

func (s *Scope) logf(level slog.Level, msg string, args ...any) {
	if s.log != nil {
		s.log.Log(s.parent, level, msg, args...)
	}
}
