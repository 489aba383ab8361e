package testresult

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// event is one line of `go test -json` (see `go doc test2json` and
// `go help buildjson`). We decode it with encoding/json rather than through
// gotestsum's testjson package: decoding is the easy part, and testjson's
// aggregation marks benchmarks as failed (gotestsum#332) and drops the
// per-line ordering we need to locate panics and races.
type event struct {
	Time        time.Time
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

// Options tell the parser where the run happened so that relative paths
// can be resolved and frames can be judged as the learner's.
type Options struct {
	// WorkDir is the directory `go test` ran in: compile errors are
	// printed relative to it.
	WorkDir string
	// PackageDir is the absolute directory of the package under test.
	PackageDir string
	// Learner reports whether an absolute path is a file the learner edits.
	// Nil means every non-test file in PackageDir.
	Learner func(path string) bool
	// MaxOutput bounds the output kept in memory (0: 4 MiB). Past it the
	// head is kept and only the tail of the rest, so a crash report at the
	// end of a flood is still found.
	MaxOutput int
}

// Parser accumulates a run's events. Feed it every stdout line with Line,
// stderr with Stderr, then call Finish.
type Parser struct {
	opts    Options
	report  Report
	tests   map[string]*Test
	log     outputLog
	build   buildParser
	stray   strings.Builder // non-JSON stdout lines
	stderr  strings.Builder
	started time.Time
	ended   bool
}

// NewParser returns a parser for one package's run.
func NewParser(o Options) *Parser {
	if o.MaxOutput <= 0 {
		o.MaxOutput = 4 << 20
	}
	if o.Learner == nil {
		dir := o.PackageDir
		o.Learner = func(p string) bool {
			return filepath.Dir(p) == dir && !strings.HasSuffix(p, "_test.go")
		}
	}
	p := &Parser{opts: o, tests: map[string]*Test{}}
	p.log.max = o.MaxOutput
	p.build.workDir = o.WorkDir
	return p
}

// Line consumes one line of `go test -json` stdout.
func (p *Parser) Line(line []byte) {
	line = bytes.TrimRight(line, "\r\n")
	if len(line) == 0 {
		return
	}
	var e event
	if line[0] != '{' || json.Unmarshal(line, &e) != nil {
		if p.stray.Len() < 64<<10 {
			p.stray.Write(line)
			p.stray.WriteByte('\n')
		}
		return
	}
	p.event(e)
}

// Stderr consumes output the go command wrote to stderr.
func (p *Parser) Stderr(b []byte) {
	if p.stderr.Len() < 64<<10 {
		p.stderr.Write(b)
	}
}

func (p *Parser) event(e event) {
	switch e.Action {
	case "build-output":
		p.build.line(e.Output)
		return
	case "build-fail":
		return
	}
	if p.report.Package == "" {
		p.report.Package = e.Package
	}
	if e.Action == "start" {
		p.started = e.Time
		return
	}
	if e.Test == "" {
		switch e.Action {
		case "output":
			p.log.add("", e.Output)
		case "pass", "fail", "skip":
			p.ended = true
			p.report.Passed = e.Action != "fail"
			p.report.Elapsed = seconds(e.Elapsed)
		}
		return
	}
	t := p.test(e.Test)
	switch e.Action {
	case "output":
		p.log.add(e.Test, e.Output)
	case "pass", "fail", "skip":
		t.Outcome = Outcome(e.Action)
		t.Elapsed = seconds(e.Elapsed)
	case "bench":
		// A benchmark that finished: test2json sends no pass event for
		// benchmarks (golang/go#61767), only this.
		t.Outcome = Pass
	}
}

func (p *Parser) test(name string) *Test {
	t := p.tests[name]
	if t == nil {
		t = &Test{Name: name, Outcome: Running}
		p.tests[name] = t
		p.report.Tests = append(p.report.Tests, t)
	}
	return t
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// Finish analyses everything seen and returns the report.
func (p *Parser) Finish() *Report {
	r := &p.report
	r.Build = p.build.errors
	r.Truncated = p.log.dropped > 0
	r.Stderr = strings.TrimSpace(p.stderr.String())
	if s := strings.TrimSpace(p.stray.String()); s != "" {
		r.Stderr = strings.TrimSpace(r.Stderr + "\n" + s)
	}
	lines := p.log.lines()
	p.fillTestOutput(lines)
	p.scanCrashes(lines)
	r.Benchmarks = parseBenchmarks(lines)
	for _, b := range r.Benchmarks {
		if t := p.tests[b.Name]; t != nil && t.Outcome == Running {
			t.Outcome = Pass
		}
	}
	// A test still "running" when the binary went away only ran if the run
	// really ended there; otherwise leave the outcome as is.
	if !r.Passed && !p.ended && r.Problem == "" && len(r.Build) == 0 && len(r.Tests) == 0 {
		if r.Stderr != "" {
			r.Problem = firstLine(r.Stderr)
		}
	}
	if len(r.Build) > 0 {
		r.Passed = false
	}
	return r
}

// fillTestOutput gives each test its own output and pulls out assertion
// lines ("    file_test.go:42: got 3, want 4" plus indented continuation
// lines).
func (p *Parser) fillTestOutput(lines []logLine) {
	var pkg strings.Builder
	outputs := map[string]*strings.Builder{}
	for _, l := range lines {
		if l.test == "" {
			if pkg.Len() < 256<<10 {
				pkg.WriteString(l.text)
			}
			continue
		}
		b := outputs[l.test]
		if b == nil {
			b = &strings.Builder{}
			outputs[l.test] = b
		}
		if b.Len() < 256<<10 {
			b.WriteString(l.text)
		}
	}
	p.report.Output = pkg.String()
	for name, b := range outputs {
		t := p.test(name)
		t.Output = b.String()
		t.Failures = p.assertions(t.Output)
	}
}

// assertionLine matches what testing prints for t.Error and friends: four
// spaces per nesting level, then file:line: message.
var assertionLine = regexp.MustCompile(`^(\s+)(\S+\.go):(\d+): ?(.*)$`)

func (p *Parser) assertions(output string) []Assertion {
	var out []Assertion
	var indent string
	for _, line := range strings.Split(output, "\n") {
		if m := assertionLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[3])
			indent = m[1]
			out = append(out, Assertion{
				Location: Location{File: p.resolve(m[2]), Line: n},
				Message:  m[4],
			})
			continue
		}
		// Continuation lines of a multi-line message are indented four
		// more spaces than the file:line prefix.
		if len(out) > 0 && indent != "" && strings.HasPrefix(line, indent+"    ") {
			last := &out[len(out)-1]
			last.Message += "\n" + strings.TrimPrefix(line, indent+"    ")
			continue
		}
		indent = ""
	}
	return out
}

// resolve makes a path from test output absolute: with -fullpath it
// already is; without, testing prints only the base name, which lives in
// the package directory.
func (p *Parser) resolve(file string) string {
	if filepath.IsAbs(file) {
		return filepath.Clean(file)
	}
	if !strings.ContainsRune(file, '/') && p.opts.PackageDir != "" {
		return filepath.Join(p.opts.PackageDir, file)
	}
	if p.opts.WorkDir != "" {
		return filepath.Join(p.opts.WorkDir, file)
	}
	return file
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
