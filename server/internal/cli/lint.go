package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

func runLint(ctx context.Context, io IO, args []string) error {
	var asJSON bool
	var explain string
	pos, err := flags(io, "lint", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the findings as JSON")
		fs.StringVar(&explain, "explain", "", "print the page that explains a hint `PASS`")
	})
	if err != nil {
		return err
	}
	if explain != "" {
		p, ok := suite.Lookup(explain)
		if !ok {
			return fmt.Errorf("no hint pass named %q", explain)
		}
		fmt.Fprint(io.Out, p.Page)
		return nil
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	id, err := pick(e, io, pos)
	if err != nil {
		return err
	}
	found, err := e.Analyze(ctx, id)
	if errors.Is(err, lint.ErrDoesNotTypeCheck) {
		return fmt.Errorf("%s does not compile yet: `gochallenge check %s` shows why", id, id)
	}
	if err != nil && found == nil {
		return err
	}
	if asJSON {
		if found == nil {
			found = []engine.Finding{}
		}
		if err := writeJSON(io, found); err != nil {
			return err
		}
	} else {
		r := renderer{w: io.Out, p: painter(io.Color), root: e.WS.Root}
		if len(found) == 0 {
			fmt.Fprintf(io.Out, "%s: no hints\n", id)
		}
		r.hints(found)
	}
	if len(found) > 0 {
		return exitError{1}
	}
	return nil
}

// hints prints hint findings, one located line each, with how to read more.
func (r renderer) hints(found []engine.Finding) {
	if len(found) == 0 {
		return
	}
	fmt.Fprintf(r.w, "%s\n", r.p.bold("Hints"))
	seen := map[string]bool{}
	var passes []string
	for _, f := range found {
		at := r.rel(testresult.Location{File: f.File, Line: f.Line, Column: f.Col})
		label := r.p.cyan(f.Severity.String())
		if f.Severity == suite.Warning {
			label = r.p.yellow(f.Severity.String())
		}
		fix := ""
		if len(f.Fixes) > 0 {
			fix = r.p.dim(" (quick fix in the editor)")
		}
		fmt.Fprintf(r.w, "  %s %s: %s %s%s\n", label, at, f.Message, r.p.dim("["+f.Pass+"]"), fix)
		if !seen[f.Pass] {
			seen[f.Pass] = true
			passes = append(passes, f.Pass)
		}
	}
	for _, p := range passes {
		fmt.Fprintf(r.w, "  %s\n", r.p.dim("why: gochallenge lint --explain "+p))
	}
}
