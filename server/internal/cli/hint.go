package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

func runHint(ctx context.Context, io IO, args []string) error {
	var level int
	var early bool
	pos, err := flags(io, "hint", args, func(fs *flag.FlagSet) {
		fs.IntVar(&level, "level", 0, "hint level (default: the next one)")
		fs.BoolVar(&early, "early", false, "show a hint that has not unlocked yet (recorded)")
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
	h, err := e.ShowHint(id, level, early)
	if l, ok := engine.IsHintLocked(err); ok && io.TTY {
		fmt.Fprintf(io.Out, "Hint %d is still locked (%d more failed run(s) or %d more minute(s)).\nShow it anyway? It is recorded as an early hint. [y/N] ", l.Level, l.FailedRuns, l.Minutes)
		answer, _ := bufio.NewReader(io.In).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(answer), "y") {
			return exitError{1}
		}
		h, err = e.ShowHint(id, level, true)
	}
	if err != nil {
		return err
	}
	printHint(io, h)
	return nil
}

func printHint(io IO, h *engine.Hint) {
	p := painter(io.Color)
	note := ""
	if h.Early {
		note = p.dim(" (early)")
	}
	fmt.Fprintf(io.Out, "%s%s\n%s\n", p.bold(fmt.Sprintf("Hint %d/%d for %s", h.Level, h.Of, h.Challenge)), note, h.Text)
}
