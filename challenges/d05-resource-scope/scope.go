// Package scope gives Go the equivalent of Python's ExitStack and
// AsyncExitStack: a Scope owns resources, cleanups and background tasks, and
// Close releases them last-in first-out, exactly once, with bounded time,
// joining their errors. With is the one-resource form of Python's `with`.
package scope

import (
	"context"
	"errors"
	"log/slog"
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

// Scope owns cleanups and tasks. Create it with New; Close it exactly when
// its owner is done with it. All methods are safe for concurrent use.
type Scope struct {
	// TODO(d05): the options, the scope's context and its cancel function,
	// a mutex, the stack of named cleanup slots, a closed flag, the tasks,
	// and what lets every Close return the result of the one that ran.
}

// New returns an empty scope and its context, which is cancelled (with cause
// ErrClosed) when Close begins, or when ctx is.
func New(ctx context.Context, opts ...Option) (*Scope, context.Context) {
	// TODO(d05): apply the options over the defaults (DefaultCleanupTimeout,
	// no logger), derive the scope's context with context.WithCancelCause.
	return &Scope{}, ctx
}

// Acquire opens a resource with the scope's context and registers its
// release. If open fails, the scope closes (releasing what it holds, LIFO)
// and Acquire returns open's error, wrapped, joined with any error from the
// closing. On a closed scope it returns ErrClosed without calling open; if
// the scope closed while open ran, the new resource is released at once.
func Acquire[T any](s *Scope, open func(context.Context) (T, error), release func(context.Context, T) error) (T, error) {
	// TODO(d05): open outside the lock, register under it, and check again
	// whether Close got there first.
	var zero T
	return zero, ErrNotImplemented
}

// Defer registers fn to run at Close. After Close, fn runs at once (its
// error is logged: there is nobody to return it to).
func (s *Scope) Defer(name string, fn func(context.Context) error) {
	// TODO(d05)
}

// DeferConcurrent registers fns as one slot of the cleanup stack: at Close,
// when their turn comes, they run in parallel, under one timeout, and the
// next slot starts when all of them have returned.
func (s *Scope) DeferConcurrent(name string, fns ...func(context.Context) error) {
	// TODO(d05)
}

// Go runs fn in a goroutine owned by the scope, with the scope's context.
// Close cancels that context and waits for the task before any cleanup runs.
// A task error cancels the scope's context, with the error as its cause, and
// is returned by Close; an error that only reports the end of the scope's
// context (its Err or its Cause) is not reported. After Close, Go does not
// start fn. A panic in fn is not recovered: like any goroutine's, it crashes
// the program.
func (s *Scope) Go(name string, fn func(context.Context) error) {
	// TODO(d05)
}

// Close cancels the scope's context, waits for its tasks, then runs the
// cleanups last-in first-out, each slot with a context that keeps ctx's
// values but not its cancellation, bounded by the cleanup timeout. It
// returns every error joined. Close is idempotent: every call, concurrent or
// later, waits for the one run and returns its result. If a cleanup panics,
// the others still run, and the first Close re-panics with that value.
func (s *Scope) Close(ctx context.Context) error {
	// TODO(d05): swap the stack out under the mutex and mark the scope
	// closed; cancel, wait for the tasks; run the slots in reverse outside
	// the lock.
	return ErrNotImplemented
}
