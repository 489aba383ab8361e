// Package runner is an embeddable test runner with the execution semantics
// of the standard testing package (subtests, Cleanup, Parallel, Fatal as
// runtime.Goexit) plus what a host program needs and `go test` does not
// give it: per-case timeouts that report a hung test instead of killing the
// process, panics that fail one test instead of all of them, suite fixtures,
// and a cmd/test2json event stream.
package runner

import (
	"context"
	"io"
	"regexp"
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

// Execute runs the suites one after another and returns when every case has
// finished or been abandoned at its timeout. Once ctx is done no new case
// starts, and the contexts of running tests are cancelled.
func (r *Runner) Execute(ctx context.Context, suites ...Suite) Summary {
	// TODO(d06): per suite: the "start" event, the case selection (Run,
	// Shuffle), Setup, the cases run one by one as subtests of an invisible
	// root test (parallel ones pause and are released after the loop), the
	// case timeouts, Teardown, and the suite's terminal events.
	return Summary{}
}
