package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

// runSolution prints a challenge's reference solution, once the learner
// may see it (engine.RevealSolution says when).
func runSolution(ctx context.Context, io IO, args []string) error {
	var yes bool
	pos, err := flags(io, "solution", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&yes, "yes", false, "confirm seeing it before your tests pass (after every hint)")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: gochallenge solution ID [--yes]")
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	sol, err := e.RevealSolution(pos[0], yes)
	if l, ok := engine.IsSolutionLocked(err); ok && l.NeedsConfirm && io.TTY {
		fmt.Fprintf(io.Out, "%s\nShow it now? [y/N] ", l.Reason)
		answer, _ := bufio.NewReader(io.In).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(answer), "y") {
			return exitError{1}
		}
		sol, err = e.RevealSolution(pos[0], true)
	}
	if l, ok := engine.IsSolutionLocked(err); ok {
		if l.NeedsConfirm {
			return fmt.Errorf("%s (pass --yes)", l.Reason)
		}
		return l
	}
	if err != nil {
		return err
	}
	p := painter(io.Color)
	for _, f := range sol.Files {
		fmt.Fprintf(io.Out, "%s\n%s", p.bold(fmt.Sprintf("── %s/%s (reference solution; yours: %s)", sol.Challenge, f.Name, f.Path)), f.Reference)
		if !strings.HasSuffix(f.Reference, "\n") {
			fmt.Fprintln(io.Out)
		}
	}
	return nil
}
