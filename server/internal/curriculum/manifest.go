// Package curriculum knows the shape of the course: each challenge's
// manifest (challenge.json), where its starter, tests, reference solution,
// hold-out tests and wrong solutions live, and the bundle of all of it that
// the helper embeds so a workspace can be created without the repository.
package curriculum

import (
	"encoding/json"
	"fmt"
	"time"
)

// Manifest is one challenge's challenge.json, the contract between the
// content and every tool that runs it.
type Manifest struct {
	ID              string      `json:"id"`
	Week            int         `json:"week,omitempty"`  // 1..5 for daily challenges
	Day             int         `json:"day,omitempty"`   // 1..40 for daily challenges
	Drill           int         `json:"drill,omitempty"` // 1..10 for concurrency drills
	Title           string      `json:"title"`
	Twist           string      `json:"twist"`
	Difficulty      int         `json:"difficulty"`
	EstimateMinutes int         `json:"estimateMinutes"`
	Files           []string    `json:"files"`    // what the learner edits
	MustFail        []string    `json:"mustFail"` // tests the starter must fail (never by a build failure)
	Test            TestFlags   `json:"test"`
	Benchmarks      []Benchmark `json:"benchmarks"`
	Hints           []Hint      `json:"hints"`
	Tags            []string    `json:"tags,omitempty"`
	DependsOn       []string    `json:"dependsOn,omitempty"`
	Analyzers       []string    `json:"analyzers,omitempty"`
	WrongSolutions  []Wrong     `json:"wrongSolutions,omitempty"`
}

// TestFlags says how the challenge's tests are run.
type TestFlags struct {
	Race           bool     `json:"race"`           // run the race detector after the plain run compiles
	Short          bool     `json:"short"`          // pass -short on the save tier
	TimeoutSeconds int      `json:"timeoutSeconds"` // per run; the run is killed a little after this
	DoneGate       DoneGate `json:"doneGate"`
}

// DoneGate is the stricter run a passing challenge must survive before it
// counts as done: repeated and shuffled, so order-dependent or flaky
// solutions do not graduate.
type DoneGate struct {
	Count   int  `json:"count"`
	Shuffle bool `json:"shuffle"`
}

// Benchmark is one gated benchmark. Time is judged as a ratio to a baseline
// benchmark in the same package where one is named, because absolute
// nanoseconds depend on the machine; allocations are judged exactly.
type Benchmark struct {
	Name           string   `json:"name"`
	Baseline       string   `json:"baseline,omitempty"`
	MaxRatio       float64  `json:"maxRatio,omitempty"`
	MaxAllocsPerOp *float64 `json:"maxAllocsPerOp,omitempty"`
	TargetNsPerOp  float64  `json:"targetNsPerOp,omitempty"` // advisory, on a 2-core reference machine
}

// Hint is one of three progressive hints.
type Hint struct {
	Level       int         `json:"level"`
	UnlockAfter UnlockAfter `json:"unlockAfter"`
	Text        string      `json:"text"`
}

// UnlockAfter opens a hint when either threshold is reached.
type UnlockAfter struct {
	FailedRuns int `json:"failedRuns"`
	Minutes    int `json:"minutes"`
}

// Wrong is a deliberately wrong solution that verify proves the tests catch.
// It is _wrong/<name>.patch, a unified diff against the reference solution
// (the planted bug is the diff), or a folder _wrong/<name>/ of whole files
// replacing the reference's files of the same name.
type Wrong struct {
	Name string `json:"name"`
	Why  string `json:"why"`
	// Catches names tests of which at least one must fail (plain or race run).
	Catches []string `json:"catches"`
}

// Timeout is the per-run timeout, with a default for manifests that leave
// it out.
func (f TestFlags) Timeout() time.Duration {
	if f.TimeoutSeconds <= 0 {
		return 60 * time.Second
	}
	return time.Duration(f.TimeoutSeconds) * time.Second
}

// Section names where a challenge sits in the course ("Week 1", "Drills").
func (m *Manifest) Section() string {
	if m.Drill > 0 {
		return "Concurrency drills"
	}
	return fmt.Sprintf("Week %d", m.Week)
}

// Order sorts daily challenges by day and puts drills after them.
func (m *Manifest) Order() int {
	if m.Drill > 0 {
		return 1000 + m.Drill
	}
	return m.Day
}

// Label is the short name shown in lists ("D01", "T1").
func (m *Manifest) Label() string {
	if m.Drill > 0 {
		return fmt.Sprintf("Drill %d", m.Drill)
	}
	return fmt.Sprintf("Day %d", m.Day)
}

// SealedHint replaces each hint's text in the copy of challenge.json a
// learner's workspace receives: hints unlock as the learner works, so their
// text must not sit in a file beside the code. The helper reads the text
// from the curriculum built into it. (It satisfies the schema's minimum
// length, so a sealed manifest still loads.)
const SealedHint = "(sealed: `gochallenge hint` shows it once it unlocks)"

// SealHints returns a manifest with every hint's text replaced by
// SealedHint. The result is indented JSON with keys in sorted order.
func SealHints(manifest []byte) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(manifest, &doc); err != nil {
		return nil, fmt.Errorf("sealing hints: %w", err)
	}
	var hints []map[string]json.RawMessage
	if raw, ok := doc["hints"]; ok {
		if err := json.Unmarshal(raw, &hints); err != nil {
			return nil, fmt.Errorf("sealing hints: %w", err)
		}
	}
	sealed, _ := json.Marshal(SealedHint)
	for _, h := range hints {
		h["text"] = sealed
	}
	if hints != nil {
		raw, err := json.Marshal(hints)
		if err != nil {
			return nil, err
		}
		doc["hints"] = raw
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
