package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
)

func runReset(ctx context.Context, io IO, args []string) error {
	var yes bool
	pos, err := flags(io, "reset", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&yes, "yes", false, "do not ask for confirmation")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: gochallenge reset ID")
	}
	e, err := open(io)
	if err != nil {
		return err
	}
	ch, err := e.Challenge(pos[0])
	if err != nil {
		return err
	}
	if !yes {
		if !io.TTY {
			return fmt.Errorf("reset replaces your files in %s; pass --yes to confirm", ch.Dir)
		}
		fmt.Fprintf(io.Out, "Restore %s as shipped? Your current files are backed up first. [y/N] ", ch.ID)
		answer, _ := bufio.NewReader(io.In).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(answer), "y") {
			return exitError{1}
		}
	}
	backup, err := e.Reset(ch.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "Reset %s. Your previous files are in %s\n", ch.ID, backup)
	return nil
}
