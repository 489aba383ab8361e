package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"gochallenge.dev/gochallenge/server/internal/verify"
)

func runVerify(ctx context.Context, io IO, args []string) error {
	var dir string
	var jobs int
	ids, err := flags(io, "verify", args, func(fs *flag.FlagSet) {
		fs.StringVar(&dir, "dir", "challenges", "the curriculum folder of the repository")
		fs.IntVar(&jobs, "j", 2, "challenges verified at once")
	})
	if err != nil {
		return err
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(io.Dir, dir)
	}
	results, err := verify.Run(ctx, verify.Options{Root: dir, IDs: ids, Jobs: jobs, Progress: io.Out})
	if err != nil {
		return err
	}
	passed, failed := 0, 0
	for _, r := range results {
		if r.OK() {
			passed++
		} else {
			failed++
		}
	}
	fmt.Fprintf(io.Out, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitError{1}
	}
	return nil
}
