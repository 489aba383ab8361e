package runner

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// T is the handle a test function receives, like testing.T. Its methods may
// be called from any goroutine except FailNow, SkipNow and the methods that
// call them (Fatal, Fatalf, Skip, Skipf), which must be called from the
// test's own goroutine.
type T struct {
	e      *exec
	suite  *suiteRun
	parent *T
	c      *T // the case (top-level test) this test belongs to; nil for the suite's root
	name   string
	depth  int

	signal   chan struct{} // buffered: receives once, when the test pauses in Parallel
	settled  chan struct{} // closed with the terminal event (finish or timeout)
	sub      sync.WaitGroup
	timer    *time.Timer // set before the test's goroutine starts; used only by it
	timeoutD time.Duration

	// guarded by exec.mu
	ctx        context.Context
	cancel     context.CancelFunc
	barrier    chan struct{} // closed when the body returns; made by the first Parallel child
	start      time.Time
	failed     bool
	skipped    bool
	stopCalled bool // FailNow or SkipNow was called, from whatever goroutine
	isParallel bool
	paused     bool // waiting in Parallel: the case timeout does not run
	hasSlot    bool
	bodyDone   bool
	cleaning   bool
	done       bool // terminal event written: the test's output is ignored from now on
	cleanups   []func()
	names      map[string]int
	prev, next *T // exec.running
}

// Name returns the test's full name: "Case/sub/subsub".
func (t *T) Name() string { return t.name }

// newChild creates, names and announces a subtest of t. exec.mu must be held.
func (t *T) newChild(name string) *T {
	e := t.e
	child := &T{
		e: e, suite: t.suite, parent: t, c: t.c, depth: t.depth + 1,
		signal: make(chan struct{}, 1), settled: make(chan struct{}),
	}
	if t.c == nil {
		child.c = child
	}
	child.name = t.uniqueName(name)
	child.start = time.Now()
	child.next = e.running
	if e.running != nil {
		e.running.prev = child
	}
	e.running = child
	e.emit(t.suite, child.name, "run", 0)
	e.sayLine(t.suite, child.name, "=== RUN   ", child.name)
	return child
}

// uniqueName is testing's naming rule: spaces become underscores and a
// repeated name gets #01, #02, ... exec.mu must be held.
func (t *T) uniqueName(sub string) string {
	sub = strings.ReplaceAll(sub, " ", "_")
	name := sub
	if t.name != "" {
		name = t.name + "/" + sub
	}
	if t.names == nil {
		t.names = make(map[string]int)
	}
	empty := sub == ""
	for {
		next, exists := t.names[name]
		if !empty && !exists {
			t.names[name] = 1
			return name
		}
		// Remember the generated name too, so that an explicit "x#01"
		// later cannot collide with it.
		t.names[name] = next + 1
		name = fmt.Sprintf("%s#%02d", name, next)
		empty = false
	}
}

// Run runs fn as a subtest of t in its own goroutine and waits until it
// finishes or calls Parallel. It reports whether the subtest has not failed
// (so far, for a parallel one).
func (t *T) Run(name string, fn func(*T)) bool {
	e := t.e
	e.mu.Lock()
	if t.done {
		e.mu.Unlock()
		return false
	}
	child := t.newChild(name)
	e.mu.Unlock()

	go child.run(fn)
	select {
	case <-child.signal:
	case <-child.settled:
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return !child.failed
}

// startCase starts case c as a subtest of the suite's root. It does not wait.
func (root *T) startCase(c Case, fixture any) *T {
	e := root.e
	e.mu.Lock()
	t := root.newChild(c.Name)
	e.mu.Unlock()

	d := c.Timeout
	if d <= 0 {
		d = e.r.Timeout
	}
	if d > 0 {
		t.timeoutD = d
		t.timer = time.AfterFunc(d, func() { e.timeout(t, d) })
	}
	fn := c.Fn
	go t.run(func(t *T) {
		if fn == nil {
			t.Fatal("case has no Fn")
		}
		fn(t, fixture)
	})
	return t
}

// run is the test's goroutine, testing's tRunner. `finished` is what tells
// a normal return from runtime.Goexit: both run the deferred function with
// recover() == nil, only a normal return gets to set it.
func (t *T) run(fn func(*T)) {
	// WRONG: no "finished" flag. recover() returns nil both after a normal
	// return and during runtime.Goexit, so every end without a panic looks
	// like a normal one, and a FailNow from another goroutine goes unnoticed.
	defer func() {
		p := recover()
		t.end(true, p)
	}()
	fn(t)
}

func (t *T) end(finished bool, p any) {
	e := t.e
	e.mu.Lock()
	stopped := t.stopCalled
	e.mu.Unlock()
	switch {
	case p != nil:
		// debug.Stack still sees the panicking frames: the stack is not
		// unwound until this deferred call returns.
		t.Errorf("panic: %v\n\n%s", p, debug.Stack())
	case !finished && !stopped:
		t.Error("test executed runtime.Goexit without FailNow or SkipNow: did a subtest call FailNow on its parent?")
	}

	// Release the parallel subtests and wait for them, without holding a
	// parallel slot: they may need it.
	t.endBody()
	t.sub.Wait()

	// Deferred so that it runs even if a cleanup calls FailNow.
	defer t.finish()
	t.runCleanups()
}

// endBody releases the parallel subtests waiting for t's function to return,
// and t's parallel slot: the subtests may need it.
func (t *T) endBody() {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	t.bodyDone = true
	if t.barrier != nil {
		close(t.barrier)
	}
	e.releaseSlot(t)
}

// finish writes the terminal event, unless a timeout already did, and tells
// a parallel test's parent that it is over.
func (t *T) finish() {
	e := t.e
	e.mu.Lock()
	if !t.done {
		e.settle(t, time.Now())
	}
	e.mu.Unlock()
	if t.timer != nil {
		t.timer.Stop()
	}
	if t.isParallel {
		t.parent.sub.Done()
	}
}

// settle writes t's result and terminal event, passes a failure up, and
// wakes whoever waits for t. exec.mu must be held.
func (e *exec) settle(t *T, now time.Time) {
	t.done = true
	secs := now.Sub(t.start)
	switch {
	case t.failed:
		e.sum.Failed++
		e.sayResult(t.suite, t.name, "FAIL", secs)
		e.emit(t.suite, t.name, "fail", secs)
		t.parent.failed = true
		t.suite.failed = true
	case t.skipped:
		e.sum.Skipped++
		e.sayResult(t.suite, t.name, "SKIP", secs)
		e.emit(t.suite, t.name, "skip", secs)
	default:
		e.sum.Passed++
		e.sayResult(t.suite, t.name, "PASS", secs)
		e.emit(t.suite, t.name, "pass", secs)
	}
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		e.running = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	}
	t.prev, t.next = nil, nil
	if t.cancel != nil {
		t.cancel()
	}
	close(t.settled)
}

func (t *T) runCleanups() {
	e := t.e
	e.mu.Lock()
	t.cleaning = true
	if t.cancel != nil {
		t.cancel()
	}
	e.mu.Unlock()
	for {
		e.mu.Lock()
		n := len(t.cleanups)
		if n == 0 {
			e.mu.Unlock()
			return
		}
		fn := t.cleanups[n-1]
		t.cleanups = t.cleanups[:n-1]
		e.mu.Unlock()
		t.callCleanup(fn)
	}
}

func (t *T) callCleanup(fn func()) {
	normal := false
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic in cleanup: %v\n\n%s", p, debug.Stack())
		} else if !normal {
			// FailNow in a cleanup: run the others before Goexit goes on.
			t.runCleanups()
		}
	}()
	fn()
	normal = true
}

// Parallel signals that t runs in parallel with its parallel siblings: Run
// returns in the parent, and t waits until the parent's function has
// returned, then for a slot among Runner.MaxParallel.
func (t *T) Parallel() {
	e := t.e
	e.mu.Lock()
	if t.done {
		e.mu.Unlock()
		runtime.Goexit()
	}
	if t.isParallel {
		e.mu.Unlock()
		t.Error("Parallel called more than once")
		return
	}
	t.isParallel = true
	t.paused = true
	p := t.parent
	if p.barrier == nil {
		p.barrier = make(chan struct{})
		if p.bodyDone {
			close(p.barrier)
		}
	}
	barrier := p.barrier
	p.sub.Add(1)
	e.sayLine(t.suite, t.name, "=== PAUSE ", t.name)
	e.emit(t.suite, t.name, "pause", 0)
	e.mu.Unlock()

	if t.timer != nil {
		t.timer.Stop() // waiting is not running: the case timeout restarts at CONT
	}
	t.signal <- struct{}{}
	<-barrier
	e.sem <- struct{}{}

	e.mu.Lock()
	t.hasSlot = true
	if t.done {
		// Abandoned while paused (its case timed out): do not run.
		e.releaseSlot(t)
		e.mu.Unlock()
		runtime.Goexit()
	}
	t.paused = false
	t.start = time.Now()
	e.emit(t.suite, t.name, "cont", 0)
	e.sayLine(t.suite, t.name, "=== CONT  ", t.name)
	e.mu.Unlock()
	if t.timer != nil {
		t.timer.Reset(t.timeoutD)
	}
}

// Cleanup registers fn to run after the test and all its subtests have
// finished. Cleanups run last-in first-out.
func (t *T) Cleanup(fn func()) {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	t.cleanups = append(t.cleanups, fn)
}

// Context returns a context that is cancelled when the test times out, when
// the ctx given to Execute is done, and just before the test's cleanups run.
func (t *T) Context() context.Context {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	return t.contextLocked()
}

// contextLocked makes the context on first use: most tests never ask, and a
// context costs allocations. exec.mu must be held.
func (t *T) contextLocked() context.Context {
	if t.ctx == nil {
		t.ctx, t.cancel = context.WithCancel(t.parent.contextLocked())
		if t.cleaning || t.done {
			t.cancel()
		}
	}
	return t.ctx
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
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	t.failed = true
}

// Failed reports whether the test has failed.
func (t *T) Failed() bool {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	return t.failed
}

// Skipped reports whether the test was skipped.
func (t *T) Skipped() bool {
	t.e.mu.Lock()
	defer t.e.mu.Unlock()
	return t.skipped
}

// FailNow marks the test as failed and stops it with runtime.Goexit. Call it
// from the test's goroutine only.
func (t *T) FailNow() {
	t.e.mu.Lock()
	t.failed = true
	t.stopCalled = true
	t.e.mu.Unlock()
	runtime.Goexit()
}

// SkipNow marks the test as skipped and stops it with runtime.Goexit. Call it
// from the test's goroutine only.
func (t *T) SkipNow() {
	t.e.mu.Lock()
	t.skipped = true
	t.stopCalled = true
	t.e.mu.Unlock()
	runtime.Goexit()
}

// log writes s as testing does: four spaces before the first line, eight
// before the others, one output event per line.
func (t *T) log(s string) {
	e := t.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if t.done {
		return
	}
	s = strings.TrimSuffix(s, "\n")
	indent := "    "
	for {
		line, rest, more := strings.Cut(s, "\n")
		e.sayLine(t.suite, t.name, indent, line)
		if !more {
			return
		}
		s, indent = rest, "        "
	}
}
