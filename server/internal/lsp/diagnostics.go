package lsp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

// Diagnostic codes, one per kind of result.
const (
	CodeCompileError = "compile-error"
	CodeVet          = "vet"
	CodeTestFailure  = "test-failure"
	CodePanic        = "panic"
	CodeDataRace     = "data-race"
	CodeTimeout      = "timeout"
	CodeDeadlock     = "deadlock"
	CodeRunProblem   = "run-problem"
)

const source = "gochallenge"

// checkRequest is what a check was asked for.
type checkRequest struct {
	run       string // a -run pattern: one test from a "run test" lens
	raceCheck bool   // "Run Race Check": the race detector, repeated, whatever the settings
}

// check runs a challenge and publishes what it found.
func (s *Server) check(ctx context.Context, st *workspaceState, id string, req checkRequest) (*engine.Result, error) {
	s.running(st, id, +1)
	defer s.running(st, id, -1)
	title := fmt.Sprintf("Running %s tests...", id)
	if req.raceCheck {
		title = fmt.Sprintf("Race check of %s...", id)
	}
	prog := s.beginProgress(title)
	s.mu.Lock()
	set := s.settings
	s.mu.Unlock()
	res, err := st.e.Check(ctx, id, engine.CheckOptions{Run: req.run, RaceCheck: req.raceCheck, NoRace: set.noRace, Timeout: set.timeout, OnTests: func(plain *testresult.Report) {
		s.publish(st, id, plain)
	}, OnStage: func(stage engine.Stage) {
		switch stage {
		case engine.StageRace:
			prog.report("Race check...")
		case engine.StageGate:
			prog.report("Done gate...")
		}
	}})
	if err != nil {
		prog.end("")
		switch {
		case errors.Is(err, engine.ErrSuperseded), errors.Is(err, context.Canceled):
		case s.toolchainBroken():
			// Said once at startup (environment.go), with what to install.
			s.log.Printf("check %s: %v", id, err)
		default:
			s.log.Printf("check %s: %v", id, err)
			s.showError(fmt.Sprintf("gochallenge could not check %s: %v", id, err))
		}
		return nil, err
	}
	prog.end(string(res.Status))
	s.publish(st, id, res.Reports()...)
	s.statusChanged(st, id, res)
	return res, nil
}

// challengeDiags is what a challenge shows: the last test run's results
// and the last hint run's findings, published together per file.
type challengeDiags struct {
	tests     map[uri.URI][]protocol.Diagnostic
	hints     map[uri.URI][]hintDiagnostic
	hintRun   int              // the hint run whose findings may be shown
	hintBusy  bool             // a hint run is in flight
	hintAgain bool             // and another was asked for meanwhile
	published map[uri.URI]bool // files that have diagnostics in the editor
}

func (st *workspaceState) diagsOf(id string) *challengeDiags {
	d := st.diags[id]
	if d == nil {
		d = &challengeDiags{published: map[uri.URI]bool{}}
		st.diags[id] = d
	}
	return d
}

// publish shows test results: they replace the challenge's previous ones.
func (s *Server) publish(st *workspaceState, id string, reports ...*testresult.Report) {
	ch, err := st.e.Challenge(id)
	if err != nil {
		return
	}
	b := &diagBuilder{s: s, dir: st.e.WS.Dir(ch), byFile: map[uri.URI][]protocol.Diagnostic{}}
	for _, r := range reports {
		b.report(r, ch.Files)
	}
	st.pubMu.Lock()
	defer st.pubMu.Unlock()
	s.mu.Lock()
	st.diagsOf(id).tests = b.byFile
	s.mu.Unlock()
	s.flush(st, id, b.dir)
}

// flush sends diagnostics for every Go file of the challenge: files
// without findings get an empty list, so fixed problems disappear.
// st.pubMu is held, so flushes from the test and hint runs do not
// overtake each other.
func (s *Server) flush(st *workspaceState, id, dir string) {
	files := map[uri.URI]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && isGoFile(e.Name()) {
			files[uri.File(filepath.Join(dir, e.Name()))] = true
		}
	}
	byFile := map[uri.URI][]protocol.Diagnostic{}
	s.mu.Lock()
	d := st.diagsOf(id)
	for u := range d.published {
		files[u] = true // clear files that had diagnostics, even if gone now
	}
	for u, ds := range d.tests {
		byFile[u] = append(byFile[u], ds...)
	}
	for u, hs := range d.hints {
		for _, h := range hs {
			byFile[u] = append(byFile[u], h.Diagnostic)
		}
	}
	d.published = map[uri.URI]bool{}
	for u, ds := range byFile {
		files[u] = true
		if len(ds) > 0 {
			d.published[u] = true
		}
	}
	s.mu.Unlock()
	var uris []uri.URI
	for u := range files {
		uris = append(uris, u)
	}
	sort.Slice(uris, func(i, j int) bool { return uris[i] < uris[j] })
	for _, u := range uris {
		diags := byFile[u]
		if diags == nil {
			diags = []protocol.Diagnostic{}
		}
		s.notifyLSP("textDocument/publishDiagnostics", &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: diags})
	}
}

type diagBuilder struct {
	s      *Server
	dir    string
	byFile map[uri.URI][]protocol.Diagnostic
	lines  map[string][]string
}

func (b *diagBuilder) add(loc testresult.Location, code, msg string, related []protocol.DiagnosticRelatedInformation) {
	if loc.File == "" {
		return
	}
	u := uri.File(loc.File)
	rng := b.rng(loc)
	// The race run repeats the plain run's failures: show each once.
	for _, d := range b.byFile[u] {
		if d.Range == rng && d.Code == protocol.String(code) && d.Message == protocol.String(msg) {
			return
		}
	}
	b.byFile[u] = append(b.byFile[u], protocol.Diagnostic{
		Range:              rng,
		Severity:           protocol.DiagnosticSeverityError,
		Code:               protocol.String(code),
		Source:             protocol.NewOptional(source),
		Message:            protocol.String(msg),
		RelatedInformation: related,
	})
}

func (b *diagBuilder) related(loc testresult.Location, msg string) protocol.DiagnosticRelatedInformation {
	return protocol.DiagnosticRelatedInformation{Location: protocol.Location{URI: uri.File(loc.File), Range: b.rng(loc)}, Message: msg}
}

func (b *diagBuilder) report(r *testresult.Report, learnerFiles []string) {
	if r.Problem != "" {
		loc := testresult.Location{File: filepath.Join(b.dir, learnerFiles[0]), Line: 1}
		b.add(loc, CodeRunProblem, r.Problem, nil)
	}
	for _, e := range r.Build {
		code := CodeCompileError
		if e.Vet {
			code = CodeVet
		}
		b.add(e.Location, code, e.Message, nil)
	}
	explained := map[string]bool{} // tests whose failure another diagnostic shows
	for _, p := range r.Panics {
		var rel []protocol.DiagnosticRelatedInformation
		for _, f := range p.Stack {
			if filepath.Dir(f.File) == b.dir && f.Location != p.At.Location {
				rel = append(rel, b.related(f.Location, "called from "+f.Func))
			}
		}
		b.add(p.At.Location, CodePanic, fmt.Sprintf("panic in %s: %s", p.Test, p.Message), rel)
		explained[p.Test] = true
	}
	for _, race := range r.Races {
		for _, side := range []struct {
			a, other testresult.Access
			which    string
		}{{race.Current, race.Previous, ""}, {race.Previous, race.Current, "previous "}} {
			rel := []protocol.DiagnosticRelatedInformation{b.related(side.other.At.Location, "the other access: "+op(side.other)+" by goroutine "+fmt.Sprint(side.other.Goroutine))}
			if !side.a.CreatedAt.IsZero() {
				rel = append(rel, b.related(side.a.CreatedAt.Location, fmt.Sprintf("goroutine %d was started here", side.a.Goroutine)))
			}
			if !side.other.CreatedAt.IsZero() {
				rel = append(rel, b.related(side.other.CreatedAt.Location, fmt.Sprintf("goroutine %d was started here", side.other.Goroutine)))
			}
			b.add(side.a.At.Location, CodeDataRace, fmt.Sprintf("data race in %s: %s%s by goroutine %d races with %s at line %d", race.Test, side.which, op(side.a), side.a.Goroutine, op(side.other), side.other.At.Line), rel)
		}
		explained[race.Test] = true
	}
	if st := r.Stuck; st != nil {
		code := CodeTimeout
		if st.Kind == testresult.Deadlock {
			code = CodeDeadlock
		}
		for _, g := range st.Goroutines {
			var rel []protocol.DiagnosticRelatedInformation
			if !g.CreatedAt.IsZero() {
				rel = append(rel, b.related(g.CreatedAt.Location, fmt.Sprintf("goroutine %d was started here", g.ID)))
			}
			b.add(g.At.Location, code, fmt.Sprintf("%s: goroutine %d is stuck here [%s] (%s)", st.Message, g.ID, g.State, strings.Join(st.Tests, ", ")), rel)
		}
		for _, t := range st.Tests {
			explained[t] = true
		}
	}
	for _, t := range r.Failed() {
		if len(t.Failures) == 0 {
			if explained[t.Name] || hasFailingSubtest(r, t.Name) || t.Outcome == testresult.Running {
				continue
			}
			if loc, ok := findFunc(b.dir, t.Name); ok {
				b.add(loc, CodeTestFailure, fmt.Sprintf("%s failed\n\n%s", t.Name, trimOutput(t.Output)), nil)
			}
			continue
		}
		for _, a := range t.Failures {
			b.add(a.Location, CodeTestFailure, fmt.Sprintf("%s: %s\n\n%s", t.Name, a.Message, trimOutput(t.Output)), nil)
		}
	}
}

func op(a testresult.Access) string {
	if a.Write {
		return "write"
	}
	return "read"
}

func hasFailingSubtest(r *testresult.Report, name string) bool {
	for _, t := range r.Failed() {
		if strings.HasPrefix(t.Name, name+"/") {
			return true
		}
	}
	return false
}

// trimOutput keeps a test's output readable in a hover.
func trimOutput(s string) string {
	const max = 4000
	s = strings.TrimSpace(s)
	if len(s) > max {
		s = s[:max] + "\n…"
	}
	return s
}

// findFunc finds "func Name(" in the package's test files, to anchor a
// failure that printed no file:line (the top-level test of a table).
func findFunc(dir, name string) (testresult.Location, bool) {
	base, _, _ := strings.Cut(name, "/")
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for n := 1; sc.Scan(); n++ {
			if strings.HasPrefix(sc.Text(), "func "+base+"(") {
				return testresult.Location{File: f, Line: n}, true
			}
		}
	}
	return testresult.Location{}, false
}

// rng converts a 1-based line and byte column to an LSP range in UTF-16
// code units. Without a column the range covers the line's text.
func (b *diagBuilder) rng(loc testresult.Location) protocol.Range {
	line := b.line(loc.File, loc.Line)
	ln := uint32(max(loc.Line-1, 0))
	if loc.Column > 0 {
		c := utf16Len(line[:min(loc.Column-1, len(line))])
		return protocol.Range{Start: protocol.Position{Line: ln, Character: c}, End: protocol.Position{Line: ln, Character: c}}
	}
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	return protocol.Range{
		Start: protocol.Position{Line: ln, Character: utf16Len(line[:indent])},
		End:   protocol.Position{Line: ln, Character: utf16Len(line)},
	}
}

func (b *diagBuilder) line(file string, n int) string {
	if b.lines == nil {
		b.lines = map[string][]string{}
	}
	lines, ok := b.lines[file]
	if !ok {
		text, open := b.s.document(uri.File(file))
		if !open {
			data, _ := os.ReadFile(file)
			text = string(data)
		}
		lines = strings.Split(text, "\n")
		b.lines[file] = lines
	}
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

func utf16Len(s string) uint32 {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		n += utf16.RuneLen(r)
	}
	return uint32(n)
}

// document returns the text of an open document.
func (s *Server) document(u uri.URI) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.docs[u]
	return t, ok
}
