package cli

import (
	"context"
	"fmt"

	"gochallenge.dev/gochallenge/server/internal/toolchain"
)

func runDoctor(ctx context.Context, io IO, args []string) error {
	p := painter(io.Color)
	failed := false
	for _, d := range toolchain.Diagnose(ctx, true) {
		mark := p.green("✓")
		switch {
		case !d.OK && d.Warn:
			mark = p.yellow("!")
		case d.Fatal():
			mark, failed = p.red("✗"), true
		}
		fmt.Fprintf(io.Out, "%s %-22s %s\n", mark, d.Name, d.Info)
		if !d.OK && d.Fix != "" {
			fmt.Fprintf(io.Out, "  %s\n", p.yellow("→ "+d.Fix))
		}
	}
	if failed {
		return exitError{1}
	}
	return nil
}
