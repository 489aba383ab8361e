package runner

import (
	"context"
	"fmt"
)

// T is the handle a test function receives, like testing.T. Its methods may
// be called from any goroutine except FailNow, SkipNow and the methods that
// call them (Fatal, Fatalf, Skip, Skipf), which must be called from the
// test's own goroutine.
type T struct {
	// TODO(d06): the test's name, its parent, its state (failed, skipped,
	// done, ...), its cleanups, its context, and the channels its parent
	// and its parallel subtests wait on. Decide which lock guards what.
	_ [0]func()
}

// Name returns the test's full name: "Case/sub/subsub".
func (t *T) Name() string {
	// TODO(d06)
	return ""
}

// Run runs fn as a subtest of t in its own goroutine and waits until it
// finishes or calls Parallel. It reports whether the subtest has not failed
// (so far, for a parallel one).
func (t *T) Run(name string, fn func(*T)) bool {
	// TODO(d06): name it (spaces become _, repeats get #01, #02...), announce
	// it (run event, "=== RUN" line), start its goroutine, wait.
	return false
}

// Parallel signals that t runs in parallel with its parallel siblings: Run
// returns in the parent, and t waits until the parent's function has
// returned, then for a slot among Runner.MaxParallel.
func (t *T) Parallel() {
	// TODO(d06): pause, tell the parent, wait for its body, wait for a slot,
	// continue.
}

// Cleanup registers fn to run after the test and all its subtests have
// finished. Cleanups run last-in first-out.
func (t *T) Cleanup(fn func()) {
	// TODO(d06)
}

// Context returns a context that is cancelled when the test times out, when
// the ctx given to Execute is done, and just before the test's cleanups run.
func (t *T) Context() context.Context {
	// TODO(d06)
	return context.Background()
}

// Log formats its arguments as fmt.Sprintln does and writes them to the
// test's output.
func (t *T) Log(args ...any) { t.log(fmt.Sprintln(args...)) }

// Logf formats its arguments as fmt.Sprintf does and writes them to the
// test's output.
func (t *T) Logf(format string, args ...any) { t.log(fmt.Sprintf(format, args...)) }

// Error is Log followed by Fail.
func (t *T) Error(args ...any) { t.log(fmt.Sprintln(args...)); t.Fail() }

// Errorf is Logf followed by Fail.
func (t *T) Errorf(format string, args ...any) { t.log(fmt.Sprintf(format, args...)); t.Fail() }

// Fatal is Log followed by FailNow.
func (t *T) Fatal(args ...any) { t.log(fmt.Sprintln(args...)); t.FailNow() }

// Fatalf is Logf followed by FailNow.
func (t *T) Fatalf(format string, args ...any) { t.log(fmt.Sprintf(format, args...)); t.FailNow() }

// Skip is Log followed by SkipNow.
func (t *T) Skip(args ...any) { t.log(fmt.Sprintln(args...)); t.SkipNow() }

// Skipf is Logf followed by SkipNow.
func (t *T) Skipf(format string, args ...any) { t.log(fmt.Sprintf(format, args...)); t.SkipNow() }

// Fail marks the test as failed and lets it go on.
func (t *T) Fail() {
	// TODO(d06)
}

// Failed reports whether the test has failed.
func (t *T) Failed() bool {
	// TODO(d06)
	return false
}

// Skipped reports whether the test was skipped.
func (t *T) Skipped() bool {
	// TODO(d06)
	return false
}

// FailNow marks the test as failed and stops it with runtime.Goexit. Call it
// from the test's goroutine only.
func (t *T) FailNow() {
	// TODO(d06): mark, then runtime.Goexit. The goroutine running the test
	// must tell this apart from a normal return.
}

// SkipNow marks the test as skipped and stops it with runtime.Goexit. Call it
// from the test's goroutine only.
func (t *T) SkipNow() {
	// TODO(d06)
}

// log writes s to the test's output as testing does: one output event per
// line, four spaces before the first line and eight before the others.
func (t *T) log(s string) {
	// TODO(d06)
}
