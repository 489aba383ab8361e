package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

func runInit(ctx context.Context, io IO, args []string) error {
	var noWarm bool
	pos, err := flags(io, "init", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&noWarm, "no-warm", false, "do not warm the build cache in the background")
	})
	if err != nil {
		return err
	}
	dir := "gochallenge-workspace"
	if len(pos) == 1 {
		dir = pos[0]
	} else if len(pos) > 1 {
		return fmt.Errorf("one folder, got %v", pos)
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(io.Dir, dir)
	}
	src, err := curriculum.Bundled()
	if err != nil {
		return fmt.Errorf("the embedded curriculum is damaged: %w", err)
	}
	ws, err := workspace.Init(dir, src)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Out, "Created a workspace with %d challenges in %s\n", len(ws.Curriculum.Challenges), ws.Root)
	if !noWarm {
		if err := warmInBackground(ws.Root); err == nil {
			fmt.Fprintln(io.Out, "Warming the build cache in the background (modules and the race runtime), so your first check is quick.")
		}
	}
	fmt.Fprintf(io.Out, "Next: cd %s && gochallenge watch\n", dir)
	return nil
}
