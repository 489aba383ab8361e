package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// runWarm downloads the workspace's modules and compiles every package's
// tests, plain and with -race: a learner's first save would otherwise wait
// for a cold build of Redis clients and the race runtime. `init` starts it
// in the background; after cloning a workspace it can be run by hand.
func runWarm(ctx context.Context, io IO, args []string) error {
	dir := io.Dir
	if len(args) == 1 {
		dir = args[0]
	} else if len(args) > 1 {
		return fmt.Errorf("usage: gochallenge warm [DIR]")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(io.Dir, dir)
	}
	ws, err := workspace.Find(dir)
	if err != nil {
		return err
	}
	goCmd, err := gotest.GoCommand()
	if err != nil {
		return err
	}
	steps := [][]string{
		{"mod", "download"},
		{"test", "-count=1", "-run", "^$", "./..."},
		{"test", "-race", "-count=1", "-run", "^$", "./..."},
	}
	for i, step := range steps {
		cmd := exec.CommandContext(ctx, goCmd, step...)
		cmd.Dir = ws.Root
		cmd.Env = gotest.Env()
		cmd.Stdout, cmd.Stderr = io.Out, io.Err
		// A package that does not build yet still leaves the others warm;
		// without modules nothing can build.
		if err := cmd.Run(); err != nil && i == 0 {
			return fmt.Errorf("go mod download: %w", err)
		}
	}
	return nil
}

// warmInBackground starts `gochallenge warm ROOT` detached from this
// process and its terminal, so init returns at once.
func warmInBackground(root string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self, "warm", root)
	detach(cmd)
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return err
	}
	defer devnull.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
