// Command lspbench measures the language server the way an editor uses it
// and prints one table (`make bench`). Targets are reported, not asserted:
// numbers on a shared 2-core machine are evidence, not a test.
//
//	save -> test diagnostics   vs the same package's raw `go test -json`
//	save -> hint diagnostics   vs `go vet -vettool` with the same passes
//	burst of 20 saves in 2 s   results published, processes left behind
//	RSS after N save cycles    the helper's resident memory
//	initialize round trip      process start to initialize reply
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

func main() {
	challenge := flag.String("challenge", "d01-lru-cache", "challenge of the bundled curriculum to measure")
	file := flag.String("file", "lru.go", "learner file the saves rewrite")
	saves := flag.Int("saves", 10, "save -> diagnostics samples (and raw go test samples)")
	cycles := flag.Int("cycles", 200, "save cycles before RSS is read")
	flag.Parse()
	if err := run(*challenge, *file, *saves, *cycles); err != nil {
		fmt.Fprintln(os.Stderr, "lspbench:", err)
		os.Exit(1)
	}
}

func run(challenge, file string, saves, cycles int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Minute)
	defer cancel()
	tmp, err := os.MkdirTemp("", "lspbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	bin := filepath.Join(tmp, "gochallenge")
	vettool := filepath.Join(tmp, "gochallenge-vet")
	fmt.Fprintln(os.Stderr, "building the helper...")
	if err := command(ctx, "", "go", "build", "-o", bin, "./server/cmd/gochallenge"); err != nil {
		return err
	}
	if err := command(ctx, "", "go", "build", "-o", vettool, "./server/cmd/gochallenge-vet"); err != nil {
		return err
	}
	ws := filepath.Join(tmp, "ws")
	if err := command(ctx, "", bin, "init", "--no-warm", ws); err != nil {
		return err
	}
	b := &bench{bin: bin, ws: ws, rawWS: filepath.Join(tmp, "ws-raw"), challenge: challenge, file: filepath.Join(ws, challenge, file)}
	if b.original, err = os.ReadFile(b.file); err != nil {
		return err
	}
	if err := command(ctx, "", "cp", "-a", ws, b.rawWS); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "warming the build cache...")
	if _, err := b.rawGoTest(ctx, "-short"); err != nil {
		return err
	}
	if _, err := b.rawGoTest(ctx, "-race"); err != nil {
		return err
	}

	var t table
	fmt.Fprintln(os.Stderr, "initialize round trips...")
	if err := b.initialize(ctx, &t); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "save -> test diagnostics...")
	if err := b.saveLatency(ctx, &t, saves); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "save -> hints vs go vet...")
	if err := b.hints(ctx, &t, saves, vettool); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "burst of 20 saves...")
	if err := b.burst(ctx, &t); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%d save cycles...\n", cycles)
	if err := b.memory(ctx, &t, cycles); err != nil {
		return err
	}
	t.print(os.Stdout, challenge)
	return nil
}

// command runs a setup step, showing its output only when it fails.
func command(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	return nil
}
