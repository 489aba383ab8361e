// Package toolchain checks that this machine can run the challenges: a go
// command new enough, cgo and a C compiler for the race detector, module
// downloads and a writable build cache. `gochallenge doctor` prints every
// check; the language server runs the quick ones when it starts so that an
// editor can say once, clearly, what to install instead of failing on
// every save.
package toolchain

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

// Check is one thing looked at: whether it is fine, and what to do when
// it is not.
type Check struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	Warn bool   `json:"warn,omitempty"` // not fatal: challenges still run
	Info string `json:"info"`
	Fix  string `json:"fix,omitempty"`
}

// Fatal reports whether the check failed in a way that stops challenges.
func (c Check) Fatal() bool { return !c.OK && !c.Warn }

// Diagnose runs the checks. Quick ones take a few milliseconds (finding
// go, its version, cgo and the C compiler); thorough adds a -race build,
// a module proxy query and a build cache write.
func Diagnose(ctx context.Context, thoroughly bool) []Check {
	goCmd, err := gotest.GoCommand()
	if err != nil {
		return []Check{{Name: "go command", Info: err.Error(), Fix: "install Go 1.26 or newer from https://go.dev/dl/ (or your package manager) and put its bin folder on PATH, then restart"}}
	}
	checks := []Check{goVersion(ctx, goCmd), raceDetector(ctx, goCmd, thoroughly)}
	if thoroughly {
		checks = append(checks, moduleDownloads(ctx, goCmd), buildCache(ctx, goCmd))
	}
	return checks
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

func goVersion(ctx context.Context, goCmd string) Check {
	v, err := goOutput(ctx, goCmd, "", "env", "GOVERSION")
	d := Check{Name: "Go version", Info: v}
	switch {
	case err != nil:
		d.Info = err.Error()
	case versionAtLeast(v, 1, 26):
		d.OK = true
	default:
		d.Info = v + " is too old"
		d.Fix = "the challenges need Go 1.26 or newer: install it from https://go.dev/dl/ and restart"
	}
	return d
}

// raceDetector needs cgo and a C compiler; thoroughly, it also builds and
// runs a program with -race (a second or more on a cold cache).
func raceDetector(ctx context.Context, goCmd string, thoroughly bool) Check {
	cgo, _ := goOutput(ctx, goCmd, "", "env", "CGO_ENABLED", "CC")
	fields := strings.Fields(cgo)
	d := Check{Name: "race detector", Info: "cgo and a C compiler are available"}
	switch {
	case len(fields) < 1 || fields[0] != "1":
		d.Info, d.Fix = "CGO_ENABLED is not 1", "go env -w CGO_ENABLED=1 (the race detector needs cgo)"
		return d
	}
	cc := "gcc"
	if len(fields) > 1 {
		cc = fields[1]
	}
	if _, err := exec.LookPath(cc); err != nil {
		d.Info, d.Fix = "no C compiler ("+cc+")", "install gcc or clang (Debian/Ubuntu: apt install gcc; macOS: xcode-select --install)"
		return d
	}
	d.OK = !thoroughly || raceWorks(ctx, goCmd, &d)
	return d
}

func moduleDownloads(ctx context.Context, goCmd string) Check {
	proxy, _ := goOutput(ctx, goCmd, "", "env", "GOPROXY")
	d := Check{Name: "module downloads", Info: "GOPROXY=" + proxy, Warn: true}
	if _, err := goOutput(ctx, goCmd, "", "list", "-m", "-json", "go.uber.org/goleak@v1.3.0"); err != nil {
		d.Info += ": cannot reach the module proxy"
		d.Fix = "the challenges need github.com/redis/go-redis and friends once; check your network or GOPROXY (cached modules still work offline)"
	} else {
		d.OK = true
	}
	return d
}

func buildCache(ctx context.Context, goCmd string) Check {
	cache, _ := goOutput(ctx, goCmd, "", "env", "GOCACHE")
	d := Check{Name: "build cache", Info: cache}
	if cache == "" || cache == "off" {
		d.Info, d.Fix = "the build cache is off", "unset GOCACHE: every check would rebuild from scratch"
	} else if err := os.MkdirAll(cache, 0o755); err != nil {
		d.Info, d.Fix = err.Error(), "make GOCACHE writable"
	} else if f, err := os.CreateTemp(cache, "doctor-*"); err != nil {
		d.Info, d.Fix = "not writable: "+err.Error(), "make "+cache+" writable"
	} else {
		f.Close()
		os.Remove(f.Name())
		d.OK = true
	}
	return d
}

// raceWorks builds and runs a tiny racy-free program with -race.
func raceWorks(ctx context.Context, goCmd string, d *Check) bool {
	dir, err := os.MkdirTemp("", "gochallenge-doctor-")
	if err != nil {
		d.Info = err.Error()
		return false
	}
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module doctor\n\ngo 1.26\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644)
	if out, err := goOutput(ctx, goCmd, dir, "run", "-race", "."); err != nil {
		d.Info = "go run -race failed: " + firstLine(out)
		d.Fix = "check that your C compiler works (the race runtime links with it)"
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
