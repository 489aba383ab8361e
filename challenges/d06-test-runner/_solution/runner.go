// Package runner is an embeddable test runner with the execution semantics
// of the standard testing package (subtests, Cleanup, Parallel, Fatal as
// runtime.Goexit) plus what a host program needs and `go test` does not
// give it: per-case timeouts that report a hung test instead of killing the
// process, panics that fail one test instead of all of them, suite fixtures,
// and a cmd/test2json event stream.
package runner

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"time"
)

// Case is one top-level test of a suite.
type Case struct {
	Name    string
	Timeout time.Duration // > 0: overrides Runner.Timeout for this case
	Fn      func(t *T, fixture any)
}

// Suite is a group of cases sharing a fixture. It plays the role of a
// package in the event stream.
type Suite struct {
	Name     string
	Setup    func(ctx context.Context) (fixture any, err error) // nil: the fixture is nil
	Teardown func(fixture any) error                            // nil: nothing to do
	Cases    []Case
}

// Runner executes suites. The zero value is usable: GOMAXPROCS parallel
// tests, no timeout, every case, declaration order, no event stream.
type Runner struct {
	MaxParallel int            // parallel tests running at once; <= 0: runtime.GOMAXPROCS(0)
	Timeout     time.Duration  // per case; <= 0: none
	Run         *regexp.Regexp // nil: every case; otherwise only cases whose name matches
	Shuffle     int64          // 0: declaration order; otherwise the seed of the case order
	Out         io.Writer      // test2json events, one JSON object per line; nil: none
}

// Summary is the outcome of Execute.
type Summary struct {
	Passed, Failed, Skipped int      // tests and subtests, by their terminal event
	Leaked                  []string // "<suite>/<test>" of tests abandoned at a timeout
	Errors                  []error  // Setup and Teardown failures
	Elapsed                 time.Duration
}

// OK reports whether nothing failed, leaked or errored.
func (s Summary) OK() bool { return s.Failed == 0 && len(s.Leaked) == 0 && len(s.Errors) == 0 }

// exec is the state of one Execute call. Its mutex guards the event stream,
// the summary and every field of every T marked "guarded by exec.mu": one
// lock for everything, because reporting a test and updating its parent
// must be atomic, and tests are not fast enough for the lock to matter.
type exec struct {
	r   *Runner
	sem chan struct{} // one token per running parallel test

	mu      sync.Mutex
	ew      eventWriter
	sum     Summary
	closed  bool // Execute has returned: leaked goroutines write nothing
	running *T   // tests started and not yet settled, most recent first
}

// Execute runs the suites one after another and returns when every case has
// finished or been abandoned at its timeout. Once ctx is done no new case
// starts, and the contexts of running tests are cancelled.
func (r *Runner) Execute(ctx context.Context, suites ...Suite) Summary {
	n := r.MaxParallel
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	e := &exec{r: r, sem: make(chan struct{}, n), ew: eventWriter{w: r.Out}}
	start := time.Now()
	for _, s := range suites {
		if ctx.Err() != nil {
			break
		}
		e.runSuite(ctx, s)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closed = true
	sum := e.sum
	sum.Leaked = slices.Clone(sum.Leaked)
	sum.Errors = slices.Clone(sum.Errors)
	sum.Elapsed = time.Since(start)
	return sum
}

// suiteRun is one suite being executed.
type suiteRun struct {
	name   string
	failed bool // guarded by exec.mu
}

func (e *exec) runSuite(ctx context.Context, s Suite) {
	sr := &suiteRun{name: s.Name}
	start := time.Now()
	e.mu.Lock()
	e.emit(sr, "", "start", 0)
	if e.r.Shuffle != 0 {
		e.say(sr, "", fmt.Sprintf("-test.shuffle %d\n", e.r.Shuffle))
	}
	e.mu.Unlock()

	cases := make([]Case, 0, len(s.Cases))
	for _, c := range s.Cases {
		if e.r.Run == nil || e.r.Run.MatchString(c.Name) {
			cases = append(cases, c)
		}
	}
	if e.r.Shuffle != 0 {
		rng := rand.New(rand.NewPCG(uint64(e.r.Shuffle), 0x5eed))
		rng.Shuffle(len(cases), func(i, j int) { cases[i], cases[j] = cases[j], cases[i] })
	}

	if len(cases) == 0 {
		e.mu.Lock()
		e.say(sr, "", "testing: warning: no tests to run\n")
		e.mu.Unlock()
	} else if fixture, err := setup(ctx, s); err != nil {
		e.suiteError(sr, fmt.Errorf("suite %s: setup: %w", s.Name, err))
	} else {
		e.runCases(ctx, sr, cases, fixture)
		if s.Teardown != nil {
			if err := teardown(s, fixture); err != nil {
				e.suiteError(sr, fmt.Errorf("suite %s: teardown: %w", s.Name, err))
			}
		}
	}

	elapsed := time.Since(start)
	e.mu.Lock()
	defer e.mu.Unlock()
	if sr.failed {
		e.say(sr, "", "FAIL\n")
		e.say(sr, "", fmt.Sprintf("FAIL\t%s\t%.3fs\n", sr.name, elapsed.Seconds()))
		e.emit(sr, "", "fail", elapsed)
	} else {
		e.say(sr, "", "PASS\n")
		e.say(sr, "", fmt.Sprintf("ok  \t%s\t%.3fs\n", sr.name, elapsed.Seconds()))
		e.emit(sr, "", "pass", elapsed)
	}
}

// runCases is the suite's "main test": the cases run one by one like the
// subtests of a parent body; the parallel ones pause, are released when the
// loop is over, and are waited for.
func (e *exec) runCases(ctx context.Context, sr *suiteRun, cases []Case, fixture any) {
	root := &T{e: e, suite: sr, ctx: ctx, barrier: make(chan struct{})}
	var paused []*T
	for _, c := range cases {
		if ctx.Err() != nil {
			break
		}
		t := root.startCase(c, fixture)
		select {
		case <-t.signal:
			paused = append(paused, t)
		case <-t.settled:
		}
	}
	root.endBody()
	for _, t := range paused {
		<-t.settled
	}
}

func (e *exec) suiteError(sr *suiteRun, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	sr.failed = true
	e.sum.Errors = append(e.sum.Errors, err)
	e.say(sr, "", err.Error()+"\n")
}

func setup(ctx context.Context, s Suite) (fixture any, err error) {
	if s.Setup == nil {
		return nil, nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return s.Setup(ctx)
}

func teardown(s Suite, fixture any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return s.Teardown(fixture)
}

// timeout abandons case c and every test of its tree that has not settled:
// their goroutines cannot be stopped, so they are reported as failed, listed
// as leaked, and from then on whatever they do is ignored.
func (e *exec) timeout(c *T, d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if c.done || c.paused {
		return
	}
	var tree []*T
	for t := e.running; t != nil; t = t.next {
		if t.c == c {
			tree = append(tree, t)
		}
	}
	// Children before parents, so that every parent's terminal event
	// follows its children's, as on a normal finish.
	slices.SortStableFunc(tree, func(a, b *T) int { return cmp.Compare(b.depth, a.depth) })
	now := time.Now()
	for _, t := range tree {
		if t.cancel != nil {
			t.cancel()
		}
		t.failed = true
		e.releaseSlot(t)
		e.say(t.suite, t.name, fmt.Sprintf("    test timed out after %v: abandoned, its goroutine is still running\n", d))
		e.sum.Leaked = append(e.sum.Leaked, t.suite.name+"/"+t.name)
		e.settle(t, now)
	}
}

// releaseSlot gives back t's parallel token, if it holds one. e.mu must be
// held: a token is given back once, whether by the test or by its timeout.
func (e *exec) releaseSlot(t *T) {
	if t.hasSlot {
		t.hasSlot = false
		<-e.sem
	}
}

// emit writes an event without output. e.mu must be held.
func (e *exec) emit(sr *suiteRun, test, action string, elapsed time.Duration) {
	if e.closed || e.ew.w == nil {
		return
	}
	e.ew.begin(time.Now(), action, sr.name, test)
	switch action {
	case "pass", "fail", "skip":
		e.ew.elapsed(elapsed)
	}
	e.ew.end(false)
}

// say writes an output event whose text s ends with a newline. e.mu must
// be held.
func (e *exec) say(sr *suiteRun, test, s string) {
	if e.closed || e.ew.w == nil {
		return
	}
	e.ew.begin(time.Now(), "output", sr.name, test)
	e.ew.output()
	e.ew.str(s)
	e.ew.end(true)
}

// sayLine writes the output event prefix+s+"\n" without building that
// string. e.mu must be held.
func (e *exec) sayLine(sr *suiteRun, test, prefix, s string) {
	if e.closed || e.ew.w == nil {
		return
	}
	e.ew.begin(time.Now(), "output", sr.name, test)
	e.ew.output()
	e.ew.str(prefix)
	e.ew.str(s)
	e.ew.str("\n")
	e.ew.end(true)
}

// sayResult writes "--- PASS: name (0.00s)\n". e.mu must be held.
func (e *exec) sayResult(sr *suiteRun, test, verb string, d time.Duration) {
	if e.closed || e.ew.w == nil {
		return
	}
	e.ew.begin(time.Now(), "output", sr.name, test)
	e.ew.output()
	e.ew.str("--- ")
	e.ew.str(verb)
	e.ew.str(": ")
	e.ew.str(test)
	e.ew.str(" (")
	e.ew.buf = appendSeconds(e.ew.buf, d, 2)
	e.ew.str("s)\n")
	e.ew.end(true)
}
