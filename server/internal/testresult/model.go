// Package testresult turns what `go test -json` prints into located
// results: every failing assertion, compile error, panic, data race and
// stuck goroutine is tied to a file and line, preferably in a file the
// learner edits, so an editor can put it where the learner is looking.
package testresult

import (
	"fmt"
	"time"
)

// Location is a position in a source file. Line and Column are 1-based;
// Column is 0 when the report did not say.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column,omitempty"`
}

func (l Location) String() string {
	if l.File == "" {
		return ""
	}
	if l.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// IsZero reports whether the location is unknown.
func (l Location) IsZero() bool { return l.File == "" }

// Frame is one call in a stack, innermost first.
type Frame struct {
	Func string `json:"func"`
	Location
}

// Outcome of one test.
type Outcome string

const (
	Pass    Outcome = "pass"
	Fail    Outcome = "fail"
	Skip    Outcome = "skip"
	Running Outcome = "running" // never finished: the binary died or timed out inside it
)

// Report is everything one `go test` run of one package said.
type Report struct {
	Package string `json:"package"`
	// Build holds compile and vet errors. When it is non-empty no test ran,
	// and nothing here is a test failure.
	Build      []BuildError `json:"build,omitempty"`
	Tests      []*Test      `json:"tests,omitempty"`
	Panics     []Panic      `json:"panics,omitempty"`
	Races      []Race       `json:"races,omitempty"`
	Stuck      *Stuck       `json:"stuck,omitempty"`
	Benchmarks []Benchmark  `json:"benchmarks,omitempty"`
	// Passed is the package's own verdict.
	Passed bool `json:"passed"`
	// Output is package-level output that belongs to no test.
	Output string `json:"output,omitempty"`
	// Stderr is what the go command itself printed (module errors and the like).
	Stderr  string        `json:"stderr,omitempty"`
	Elapsed time.Duration `json:"elapsed"`
	// Truncated says some output was dropped to keep memory bounded.
	Truncated bool `json:"truncated,omitempty"`
	// Problem is set when the run could not be judged normally: killed
	// for flooding output, the go command failing before any package
	// result, or cancellation.
	Problem string `json:"problem,omitempty"`
}

// BuildError is one compile or vet error.
type BuildError struct {
	Location
	Message string `json:"message"`
	Vet     bool   `json:"vet,omitempty"`
}

// Test is one test or subtest ("TestX/sub").
type Test struct {
	Name     string        `json:"name"`
	Outcome  Outcome       `json:"outcome"`
	Elapsed  time.Duration `json:"elapsed"`
	Output   string        `json:"output,omitempty"`
	Failures []Assertion   `json:"failures,omitempty"`
}

// Assertion is a message a test logged with t.Error/t.Fatal (or t.Log on a
// failing test), located at the line that logged it.
type Assertion struct {
	Location
	Message string `json:"message"`
}

// Panic is a panic that ended the test binary.
type Panic struct {
	Test    string  `json:"test,omitempty"`
	Message string  `json:"message"`
	At      Frame   `json:"at"` // the deepest frame in a learner file, else the deepest in the package
	Stack   []Frame `json:"stack"`
}

// Race is one data race report: two conflicting accesses.
type Race struct {
	Test     string `json:"test,omitempty"`
	Current  Access `json:"current"`
	Previous Access `json:"previous"`
}

// Access is one side of a data race.
type Access struct {
	Write     bool    `json:"write"`
	Goroutine int     `json:"goroutine"`
	At        Frame   `json:"at"`
	Stack     []Frame `json:"stack"`
	CreatedAt Frame   `json:"createdAt"` // where the goroutine was started; zero for the main goroutine
}

// Stuck describes a run that stopped making progress: the test timeout
// fired, the runtime found every goroutine asleep, or a synctest bubble
// deadlocked.
type Stuck struct {
	Kind       StuckKind   `json:"kind"`
	Message    string      `json:"message"`
	Tests      []string    `json:"tests,omitempty"` // tests that were running
	Goroutines []Goroutine `json:"goroutines"`      // only those blocked in package code
}

// StuckKind says how the run got stuck.
type StuckKind string

const (
	Timeout  StuckKind = "timeout"
	Deadlock StuckKind = "deadlock"
)

// Goroutine is one blocked goroutine of a Stuck run.
type Goroutine struct {
	ID        int     `json:"id"`
	State     string  `json:"state"` // "chan receive", "sync.Mutex.Lock", ...
	At        Frame   `json:"at"`
	Stack     []Frame `json:"stack"`
	CreatedAt Frame   `json:"createdAt"`
}

// Benchmark is one benchmark result line.
type Benchmark struct {
	Name        string  `json:"name"` // without the -GOMAXPROCS suffix
	Procs       int     `json:"procs"`
	Iterations  int     `json:"iterations"`
	NsPerOp     float64 `json:"nsPerOp"`
	BytesPerOp  float64 `json:"bytesPerOp"`
	AllocsPerOp float64 `json:"allocsPerOp"`
	HasMem      bool    `json:"hasMem"`
}

// Test returns the named test, or nil.
func (r *Report) Test(name string) *Test {
	for _, t := range r.Tests {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Failed lists the tests that failed or never finished.
func (r *Report) Failed() []*Test {
	var out []*Test
	for _, t := range r.Tests {
		if t.Outcome == Fail || t.Outcome == Running {
			out = append(out, t)
		}
	}
	return out
}

// Compiled reports whether the test binary was built.
func (r *Report) Compiled() bool { return len(r.Build) == 0 && r.Problem == "" }
