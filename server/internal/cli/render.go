package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// painter colours text when the output is a terminal.
type painter bool

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
func (p painter) red(s string) string    { return p.paint("31", s) }
func (p painter) green(s string) string  { return p.paint("32", s) }
func (p painter) yellow(s string) string { return p.paint("33", s) }
func (p painter) cyan(s string) string   { return p.paint("36", s) }
func (p painter) bold(s string) string   { return p.paint("1", s) }
func (p painter) dim(s string) string    { return p.paint("2", s) }

// statusLabel is a status as the terminal shows it.
func (p painter) status(s progress.Status) string {
	switch s {
	case progress.Done:
		return p.green("✔ done")
	case progress.Passing:
		return p.green("✓ passing")
	case progress.Racy:
		return p.red("⚡ racy")
	case progress.Failing:
		return p.red("✗ failing")
	case progress.CompileError:
		return p.red("✗ compile error")
	default:
		return p.dim("· not started")
	}
}

// renderer prints results with paths relative to the workspace root, so
// terminals and editors can jump to them.
type renderer struct {
	w    io.Writer
	p    painter
	root string
}

func (r renderer) rel(l testresult.Location) string {
	if l.File == "" {
		return "?"
	}
	s := l.File
	if rel, err := filepath.Rel(r.root, l.File); err == nil && !strings.HasPrefix(rel, "..") {
		s = rel
	}
	if l.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", s, l.Line, l.Column)
	}
	return fmt.Sprintf("%s:%d", s, l.Line)
}

func (r renderer) result(res *engine.Result) {
	p := r.p
	took := fmt.Sprintf("tests %s", round(res.Tests.Elapsed))
	if res.Strict != nil {
		took += fmt.Sprintf(", %s %s", res.StrictStage, round(res.Strict.Elapsed))
	}
	fmt.Fprintf(r.w, "%s  %s  %s\n", p.bold(res.Challenge), p.status(res.Status), p.dim("("+took+")"))
	shown := r.report("", res.Tests, nil)
	if res.Strict != nil {
		label := "race"
		if res.StrictStage == engine.StageGate {
			label = "done gate"
		}
		r.report(label, res.Strict, shown)
	}
	if res.Why != "" && res.Status != progress.Failing && res.Status != progress.CompileError {
		fmt.Fprintf(r.w, "  %s\n", p.yellow(res.Why))
	}
}

// report prints one run's findings and returns the failures it printed;
// failures already shown (the race run repeating the plain run's) are
// counted in one line instead of printed again.
func (r renderer) report(stage string, rep *testresult.Report, shown map[string]bool) map[string]bool {
	p := r.p
	printed := map[string]bool{}
	repeated := 0
	prefix := ""
	if stage != "" {
		prefix = "[" + stage + "] "
	}
	if rep.Problem != "" {
		fmt.Fprintf(r.w, "  %s%s\n", prefix, p.red(rep.Problem))
	}
	for _, b := range rep.Build {
		kind := "build"
		if b.Vet {
			kind = "vet"
		}
		fmt.Fprintf(r.w, "  %s%s %s: %s\n", prefix, p.red(kind), p.cyan(r.rel(b.Location)), b.Message)
	}
	for _, race := range rep.Races {
		fmt.Fprintf(r.w, "  %s%s in %s\n", prefix, p.red("DATA RACE"), race.Test)
		r.access("", race.Current)
		r.access("previous ", race.Previous)
	}
	for _, pn := range rep.Panics {
		fmt.Fprintf(r.w, "  %s%s in %s: %s\n", prefix, p.red("PANIC"), pn.Test, pn.Message)
		fmt.Fprintf(r.w, "      at %s %s\n", p.cyan(r.rel(pn.At.Location)), p.dim(pn.At.Func))
	}
	if st := rep.Stuck; st != nil {
		what := "TIMEOUT"
		if st.Kind == testresult.Deadlock {
			what = "DEADLOCK"
		}
		fmt.Fprintf(r.w, "  %s%s %s %s\n", prefix, p.red(what), st.Message, p.dim(strings.Join(st.Tests, " ")))
		for _, g := range st.Goroutines {
			fmt.Fprintf(r.w, "      goroutine %d [%s] stuck at %s %s\n", g.ID, g.State, p.cyan(r.rel(g.At.Location)), p.dim(g.At.Func))
		}
	}
	for _, t := range rep.Failed() {
		if t.Outcome == testresult.Running && rep.Stuck != nil {
			continue
		}
		key := t.Name
		for _, a := range t.Failures {
			key += "\x00" + a.Location.String() + "\x00" + a.Message
		}
		printed[key] = true
		if shown[key] {
			repeated++
			continue
		}
		fmt.Fprintf(r.w, "  %s%s %s %s\n", prefix, p.red("FAIL"), t.Name, p.dim("("+round(t.Elapsed)+")"))
		for _, a := range t.Failures {
			msg := strings.ReplaceAll(a.Message, "\n", "\n        ")
			fmt.Fprintf(r.w, "      %s %s\n", p.cyan(r.rel(a.Location)), msg)
		}
	}
	if repeated > 0 {
		fmt.Fprintf(r.w, "  %s%s\n", prefix, p.dim(fmt.Sprintf("%d failing test(s) as above", repeated)))
	}
	if rep.Truncated {
		fmt.Fprintf(r.w, "  %s%s\n", prefix, p.dim("(some output was dropped to keep memory bounded)"))
	}
	if stage == "" && rep.Passed {
		n := 0
		for _, t := range rep.Tests {
			if t.Outcome == testresult.Pass && !strings.Contains(t.Name, "/") {
				n++
			}
		}
		fmt.Fprintf(r.w, "  %s\n", p.green(fmt.Sprintf("%d tests passed", n)))
	}
	return printed
}

func (r renderer) access(prefix string, a testresult.Access) {
	op := "read"
	if a.Write {
		op = "write"
	}
	line := fmt.Sprintf("      %s%s at %s by goroutine %d", prefix, op, r.p.cyan(r.rel(a.At.Location)), a.Goroutine)
	if !a.CreatedAt.IsZero() {
		line += fmt.Sprintf(", started at %s", r.p.cyan(r.rel(a.CreatedAt.Location)))
	}
	fmt.Fprintln(r.w, line)
}

func round(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// bar draws a progress bar "[######----] 12/50".
func bar(p painter, done, total, width int) string {
	if total == 0 {
		return ""
	}
	full := done * width / total
	return "[" + p.green(strings.Repeat("#", full)) + strings.Repeat("-", width-full) + fmt.Sprintf("] %d/%d done", done, total)
}

func duration(d time.Duration) string {
	d = d.Round(time.Minute)
	if d < time.Hour {
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
