package testresult

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"

	"github.com/maruel/panicparse/v2/stack"
)

// scanCrashes finds race reports, panics and goroutine dumps in the output
// and parses their stacks with panicparse, which knows every variant of the
// runtime's traceback format (elided frames, "created by ... in goroutine",
// race detector frames).
func (p *Parser) scanCrashes(lines []logLine) {
	for i := 0; i < len(lines); i++ {
		text := strings.TrimRight(lines[i].text, "\n")
		switch {
		case text == "WARNING: DATA RACE":
			end := i + 1
			for end < len(lines) && !strings.HasPrefix(lines[end].text, "==================") {
				end++
			}
			// panicparse recognises a race report by its opening rule.
			start := max(i-1, 0)
			if race, ok := p.race(lines[start:min(end+1, len(lines))]); ok {
				race.Test = lines[i].test
				p.report.Races = append(p.report.Races, race)
			}
			i = end
		case strings.HasPrefix(text, "panic: test timed out after"):
			p.stuck(Timeout, text, lines[i+1:])
			return
		case strings.HasPrefix(text, "fatal error: all goroutines are asleep"),
			strings.HasPrefix(text, "panic: deadlock: "):
			p.stuck(Deadlock, strings.TrimSuffix(strings.TrimPrefix(text, "panic: "), " [recovered, repanicked]"), lines[i+1:])
			return
		case strings.HasPrefix(text, "panic: "), strings.HasPrefix(text, "fatal error: "):
			p.panic(lines[i].test, text, lines[i+1:])
			return
		}
	}
}

func joinLines(lines []logLine) []byte {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l.text)
	}
	return b.Bytes()
}

// snapshot parses the first goroutine dump in lines.
func snapshot(lines []logLine) *stack.Snapshot {
	opts := stack.DefaultOpts()
	opts.GuessPaths = false
	opts.AnalyzeSources = false
	s, _, err := stack.ScanSnapshot(bytes.NewReader(joinLines(lines)), io.Discard, opts)
	if s == nil || (err != nil && err != io.EOF) && len(s.Goroutines) == 0 {
		return nil
	}
	return s
}

func frames(calls []stack.Call) []Frame {
	out := make([]Frame, 0, len(calls))
	for _, c := range calls {
		out = append(out, Frame{Func: c.Func.Complete, Location: Location{File: filepath.Clean(c.RemoteSrcPath), Line: c.Line}})
	}
	return out
}

// locate picks the innermost frame in a learner file, else the innermost
// frame in the package (a test file), else the innermost frame.
func (p *Parser) locate(fs []Frame) Frame {
	for _, f := range fs {
		if p.opts.Learner(f.File) {
			return f
		}
	}
	for _, f := range fs {
		if p.inPackage(f.File) {
			return f
		}
	}
	if len(fs) > 0 {
		return fs[0]
	}
	return Frame{}
}

func (p *Parser) inPackage(file string) bool {
	return p.opts.PackageDir != "" && filepath.Dir(file) == p.opts.PackageDir
}

func (p *Parser) touchesPackage(fs []Frame) bool {
	for _, f := range fs {
		if p.inPackage(f.File) || p.opts.Learner(f.File) {
			return true
		}
	}
	return false
}

func (p *Parser) race(lines []logLine) (Race, bool) {
	s := snapshot(lines)
	if s == nil || len(s.Goroutines) < 2 {
		return Race{}, false
	}
	access := func(g *stack.Goroutine) Access {
		st := frames(g.Stack.Calls)
		created := frames(g.CreatedBy.Calls)
		a := Access{Write: g.RaceWrite, Goroutine: g.ID, Stack: st, At: p.locate(st)}
		if len(created) > 0 {
			a.CreatedAt = p.locate(created)
		}
		return a
	}
	return Race{Current: access(s.Goroutines[0]), Previous: access(s.Goroutines[1])}, true
}

func (p *Parser) panic(test, first string, rest []logLine) {
	msg := strings.TrimSuffix(strings.TrimPrefix(first, "panic: "), " [recovered, repanicked]")
	msg = strings.TrimSuffix(msg, " [recovered]")
	pn := Panic{Test: test, Message: msg}
	if s := snapshot(rest); s != nil && len(s.Goroutines) > 0 {
		// The first goroutine of a panic dump is the one that panicked.
		g := s.Goroutines[0]
		pn.Stack = frames(g.Stack.Calls)
		pn.At = p.locate(dropRuntime(pn.Stack))
	}
	p.report.Panics = append(p.report.Panics, pn)
}

// dropRuntime skips the frames of the panic machinery itself so that
// locate falls back to user code rather than testing.tRunner.func1.
func dropRuntime(fs []Frame) []Frame {
	for i, f := range fs {
		if f.Func == "panic" || strings.HasPrefix(f.Func, "runtime.gopanic") {
			return fs[i+1:]
		}
	}
	return fs
}

func (p *Parser) stuck(kind StuckKind, msg string, rest []logLine) {
	st := &Stuck{Kind: kind, Message: strings.TrimPrefix(msg, "fatal error: ")}
	var dump []logLine
	for i, l := range rest {
		t := strings.TrimSpace(l.text)
		if strings.HasPrefix(l.text, "goroutine ") {
			dump = rest[i:]
			break
		}
		if t != "" && t != "running tests:" {
			// "TestStuck (2s)"
			name, _, _ := strings.Cut(t, " ")
			st.Tests = append(st.Tests, name)
		}
	}
	if s := snapshot(dump); s != nil {
		for _, g := range s.Goroutines {
			fs := frames(g.Stack.Calls)
			if !p.touchesPackage(fs) {
				continue // the testing harness and runtime helpers
			}
			gr := Goroutine{ID: g.ID, State: g.State, Stack: fs, At: p.locate(fs)}
			if created := frames(g.CreatedBy.Calls); len(created) > 0 {
				gr.CreatedAt = p.locate(created)
			}
			st.Goroutines = append(st.Goroutines, gr)
		}
	}
	p.report.Stuck = st
}
