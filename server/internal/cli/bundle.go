package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
)

// runBundle regenerates (-o) or checks (-check) the embedded curriculum.
func runBundle(ctx context.Context, io IO, args []string) error {
	var out, check string
	pos, err := flags(io, "bundle", args, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "write the bundle to this file")
		fs.StringVar(&check, "check", "", "fail if this bundle file is stale")
	})
	if err != nil {
		return err
	}
	if len(pos) != 1 || (out == "") == (check == "") {
		return fmt.Errorf("usage: gochallenge bundle (-o FILE | -check FILE) CHALLENGES_DIR")
	}
	root := pos[0]
	if !filepath.IsAbs(root) {
		root = filepath.Join(io.Dir, root)
	}
	data, err := curriculum.MakeBundle(root)
	if err != nil {
		return err
	}
	if out != "" {
		return os.WriteFile(filepath.Join(io.Dir, out), data, 0o644)
	}
	have, err := os.ReadFile(filepath.Join(io.Dir, check))
	if err != nil {
		return err
	}
	if !bytes.Equal(have, data) {
		return fmt.Errorf("%s is stale: run `make bundle` after editing challenges/", check)
	}
	fmt.Fprintf(io.Out, "%s is up to date\n", check)
	return nil
}
