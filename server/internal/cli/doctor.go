package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gochallenge.dev/gochallenge/server/internal/gotest"
)

// A check of doctor's: what it looked at, whether it is fine, and what to
// do when it is not.
type diagnosis struct {
	name string
	ok   bool
	warn bool // not fatal
	info string
	fix  string
}

func runDoctor(ctx context.Context, io IO, args []string) error {
	goCmd, err := gotest.GoCommand()
	var results []diagnosis
	if err != nil {
		results = append(results, diagnosis{name: "go command", info: err.Error(), fix: "install Go 1.26+ from https://go.dev/dl/ and put its bin folder on PATH"})
	} else {
		results = append(results, doctorGo(ctx, goCmd)...)
	}
	p := painter(io.Color)
	failed := false
	for _, d := range results {
		mark := p.green("✓")
		switch {
		case !d.ok && d.warn:
			mark = p.yellow("!")
		case !d.ok:
			mark, failed = p.red("✗"), true
		}
		fmt.Fprintf(io.Out, "%s %-22s %s\n", mark, d.name, d.info)
		if !d.ok && d.fix != "" {
			fmt.Fprintf(io.Out, "  %s\n", p.yellow("→ "+d.fix))
		}
	}
	if failed {
		return exitError{1}
	}
	return nil
}

func goOutput(ctx context.Context, goCmd, dir string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	cmd.Env = gotest.Env()
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func doctorGo(ctx context.Context, goCmd string) []diagnosis {
	var out []diagnosis
	v, err := goOutput(ctx, goCmd, "", "env", "GOVERSION")
	d := diagnosis{name: "Go version", info: v}
	switch {
	case err != nil:
		d.info = err.Error()
	case versionAtLeast(v, 1, 26):
		d.ok = true
	default:
		d.fix = "the challenges need Go 1.26 or newer: https://go.dev/dl/"
	}
	out = append(out, d)

	cgo, _ := goOutput(ctx, goCmd, "", "env", "CGO_ENABLED", "CC")
	fields := strings.Fields(cgo)
	d = diagnosis{name: "race detector", info: "cgo and a C compiler are available"}
	switch {
	case len(fields) < 1 || fields[0] != "1":
		d.info, d.fix = "CGO_ENABLED is not 1", "go env -w CGO_ENABLED=1 (the race detector needs cgo)"
	default:
		cc := "gcc"
		if len(fields) > 1 {
			cc = fields[1]
		}
		if _, err := exec.LookPath(cc); err != nil {
			d.info, d.fix = "no C compiler ("+cc+")", "install gcc or clang (Debian/Ubuntu: apt install gcc; macOS: xcode-select --install)"
		} else {
			d.ok = raceWorks(ctx, goCmd, &d)
		}
	}
	out = append(out, d)

	proxy, _ := goOutput(ctx, goCmd, "", "env", "GOPROXY")
	d = diagnosis{name: "module downloads", info: "GOPROXY=" + proxy, warn: true}
	if _, err := goOutput(ctx, goCmd, "", "list", "-m", "-json", "go.uber.org/goleak@v1.3.0"); err != nil {
		d.info += ": cannot reach the module proxy"
		d.fix = "the challenges need github.com/redis/go-redis and friends once; check your network or GOPROXY (cached modules still work offline)"
	} else {
		d.ok = true
	}
	out = append(out, d)

	cache, _ := goOutput(ctx, goCmd, "", "env", "GOCACHE")
	d = diagnosis{name: "build cache", info: cache}
	if cache == "" || cache == "off" {
		d.info, d.fix = "the build cache is off", "unset GOCACHE: every check would rebuild from scratch"
	} else if err := os.MkdirAll(cache, 0o755); err != nil {
		d.info, d.fix = err.Error(), "make GOCACHE writable"
	} else if f, err := os.CreateTemp(cache, "doctor-*"); err != nil {
		d.info, d.fix = "not writable: "+err.Error(), "make "+cache+" writable"
	} else {
		f.Close()
		os.Remove(f.Name())
		d.ok = true
	}
	return append(out, d)
}

// raceWorks builds and runs a tiny racy-free program with -race.
func raceWorks(ctx context.Context, goCmd string, d *diagnosis) bool {
	dir, err := os.MkdirTemp("", "gochallenge-doctor-")
	if err != nil {
		d.info = err.Error()
		return false
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module doctor\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	if out, err := goOutput(ctx, goCmd, dir, "run", "-race", "."); err != nil {
		d.info = "go run -race failed: " + firstLine(out)
		d.fix = "check that your C compiler works (the race runtime links with it)"
		return false
	}
	return true
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// versionAtLeast parses "go1.26.8" (or "go1.27rc1").
func versionAtLeast(v string, major, minor int) bool {
	var ma, mi int
	if _, err := fmt.Sscanf(strings.TrimPrefix(v, "go"), "%d.%d", &ma, &mi); err != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
