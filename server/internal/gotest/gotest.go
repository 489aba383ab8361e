// Package gotest runs `go test -json` on one package the way a careful
// teacher would: no toolchain downloads, a wall-clock limit, the whole
// process tree killed on timeout or cancellation, and output kept bounded
// however much the test prints.
package gotest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gochallenge.dev/gochallenge/server/internal/testresult"
)

// ErrGoMissing is returned when no go command can be found.
var ErrGoMissing = errors.New("the go command was not found on PATH: install Go 1.26 or newer (https://go.dev/dl/) and restart")

// Spec describes one run.
type Spec struct {
	// Dir is the module root the command runs in.
	Dir string
	// PackageDir is the absolute directory of the package to test.
	PackageDir string
	// Flags are extra `go test` flags (-race, -short, -run, -bench, ...).
	Flags []string
	// Timeout is passed as -timeout, so a hung test prints its goroutines.
	// The process tree is killed if it is still alive BuildAllowance later.
	Timeout time.Duration
	// BuildAllowance is the extra wall-clock time given for compiling
	// (default 2 minutes: a cold -race build of a package with Redis
	// dependencies takes most of a minute on 2 cores).
	BuildAllowance time.Duration
	// Overlay is a `go build -overlay` file, used to test a reference
	// solution without copying the package.
	Overlay string
	// Env is added to the environment.
	Env []string
	// Learner reports whether a file is one the learner edits.
	Learner func(path string) bool
	// MaxStream bounds how much the command may print before it is
	// stopped as a flood (default 64 MiB).
	MaxStream int64
}

// GoCommand finds the go command, or returns ErrGoMissing.
func GoCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	// Go's installer puts it here even when PATH was not updated.
	if p := "/usr/local/go/bin/go"; isExecutable(p) {
		return p, nil
	}
	return "", ErrGoMissing
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// Env returns the environment for go commands run on a learner's behalf:
// GOTOOLCHAIN=local so a go.mod never triggers a toolchain download, and
// GOWORK=off so a go.work above the workspace cannot change what is built.
func Env(extra ...string) []string {
	env := os.Environ()
	env = append(env, "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=readonly")
	return append(env, extra...)
}

// Run runs the package's tests and parses what they print. The error is
// non-nil only when the run could not be started or was cancelled; test
// failures, build failures and floods are described in the report.
func Run(ctx context.Context, s Spec) (*testresult.Report, error) {
	goCmd, err := GoCommand()
	if err != nil {
		return nil, err
	}
	if s.Timeout <= 0 {
		s.Timeout = time.Minute
	}
	if s.BuildAllowance <= 0 {
		s.BuildAllowance = 2 * time.Minute
	}
	if s.MaxStream <= 0 {
		s.MaxStream = 64 << 20
	}
	rel, err := filepath.Rel(s.Dir, s.PackageDir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil, fmt.Errorf("package %s is not inside %s", s.PackageDir, s.Dir)
	}
	args := []string{"test", "-json", "-fullpath", "-timeout", s.Timeout.String()}
	if s.Overlay != "" {
		args = append(args, "-overlay", s.Overlay)
	}
	args = append(args, s.Flags...)
	args = append(args, "./"+filepath.ToSlash(rel))

	runCtx, cancel := context.WithTimeout(ctx, s.Timeout+s.BuildAllowance)
	defer cancel()
	cmd := exec.CommandContext(runCtx, goCmd, args...)
	cmd.Dir = s.Dir
	cmd.Env = Env(s.Env...)
	// Own process group: a test's children (servers, `sleep`s) die with it.
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second

	parser := testresult.NewParser(testresult.Options{WorkDir: s.Dir, PackageDir: s.PackageDir, Learner: s.Learner})
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 64 << 10}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting go test: %w", err)
	}
	flooded := readLines(stdout, s.MaxStream, parser.Line)
	if flooded {
		_ = killGroup(cmd)
	}
	waitErr := cmd.Wait()
	// Whatever the test left behind in its process group goes too.
	_ = killGroup(cmd)
	parser.Stderr(stderr.Bytes())
	report := parser.Finish()

	switch {
	case ctx.Err() != nil:
		return report, ctx.Err()
	case flooded:
		report.Passed = false
		report.Problem = fmt.Sprintf("output flood: the tests printed more than %d MiB, so the run was stopped", s.MaxStream>>20)
	case runCtx.Err() != nil:
		report.Passed = false
		report.Problem = fmt.Sprintf("the run did not finish within %s and was stopped", s.Timeout+s.BuildAllowance)
	case waitErr != nil && report.Package == "" && len(report.Build) == 0:
		// The go command failed before testing anything: a broken go.mod,
		// a missing module, an unknown flag.
		report.Passed = false
		if report.Problem == "" {
			report.Problem = strings.TrimSpace(firstLines(report.Stderr, 5))
			if report.Problem == "" {
				report.Problem = waitErr.Error()
			}
		}
	}
	return report, nil
}

// readLines calls fn for every line of r, cutting lines longer than 1 MiB,
// and reports whether more than limit bytes arrived (it stops reading then).
func readLines(r io.Reader, limit int64, fn func([]byte)) (flooded bool) {
	const maxLine = 1 << 20
	br := bufio.NewReaderSize(r, 64<<10)
	var total int64
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		total += int64(len(chunk))
		if total > limit {
			return true
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if len(long) < maxLine {
				long = append(long, chunk...)
			}
			continue
		case len(long) > 0:
			if len(long) < maxLine {
				long = append(long, chunk...)
			}
			fn(long)
			long = long[:0]
		case len(chunk) > 0:
			fn(chunk)
		}
		if err != nil {
			return false
		}
	}
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
