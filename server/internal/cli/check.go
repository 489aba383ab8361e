package cli

import (
	"context"
	"flag"
	"fmt"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

func runCheck(ctx context.Context, io IO, args []string) error {
	var asJSON, noRace, race bool
	pos, err := flags(io, "check", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "print the full result as JSON")
		fs.BoolVar(&noRace, "no-race", false, "skip the race check (the challenge cannot become done)")
		fs.BoolVar(&race, "race", false, fmt.Sprintf("race check: the race detector, tests repeated %d times, even where the challenge asks for none", engine.RaceCheckCount))
	})
	if err != nil {
		return err
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	id, err := pick(e, io, pos)
	if err != nil {
		return err
	}
	p := painter(io.Color)
	if race && noRace {
		return fmt.Errorf("--race and --no-race contradict each other")
	}
	opts := engine.CheckOptions{NoRace: noRace, RaceCheck: race}
	if !asJSON {
		opts.OnStage = func(s engine.Stage) { fmt.Fprintf(io.Err, "%s\n", p.dim(fmt.Sprintf("running %s %s…", id, s))) }
	}
	res, err := e.Check(ctx, id, opts)
	if err != nil {
		return err
	}
	// Hints need code that compiles; the test results explain when not.
	hints, _ := e.Analyze(ctx, id)
	if asJSON {
		out := struct {
			*engine.Result
			Hints []engine.Finding `json:"hints"`
		}{res, hints}
		if out.Hints == nil {
			out.Hints = []engine.Finding{}
		}
		if err := writeJSON(io, out); err != nil {
			return err
		}
	} else {
		r := renderer{w: io.Out, p: p, root: e.WS.Root}
		r.result(res)
		r.hints(hints)
	}
	// check exits 0 only when the challenge passes.
	if res.Status != progress.Passing && res.Status != progress.Done {
		return exitError{1}
	}
	return nil
}
