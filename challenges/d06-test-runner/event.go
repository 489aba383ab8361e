package runner

import "time"

// Event is one line of the event stream, in the schema of `go doc
// cmd/test2json`. Package is the suite's name; Test is empty for events
// about the suite itself.
type Event struct {
	Time    time.Time `json:",omitzero"`
	Action  string    // start, run, pause, cont, output, pass, fail, skip
	Package string    `json:",omitempty"`
	Test    string    `json:",omitempty"`
	Elapsed float64   `json:",omitempty"` // seconds, on pass, fail and skip
	Output  string    `json:",omitempty"`
}

// TODO(d06): write events to Runner.Out, one JSON object per line and one
// Write call per line, serialised: parallel tests log at the same time.
// BenchmarkSubtest allows 10 allocations per trivial subtest for everything
// (its four events included): measure what json.Marshal costs per event
// before you decide how to encode them.
