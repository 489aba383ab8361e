//go:build unix

package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/fixture"
	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// TestNeovimSeesTheFailingAssertion drives `gochallenge serve` with a real,
// independent LSP client: headless Neovim attaches it, saves a file and
// reports the diagnostics it received. CI installs Debian's neovim and sets
// GOCHALLENGE_REQUIRE_NVIM so the test cannot quietly skip there.
func TestNeovimSeesTheFailingAssertion(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("GOCHALLENGE_REQUIRE_NVIM") != "" {
			t.Fatal("nvim is required (GOCHALLENGE_REQUIRE_NVIM is set) but not on PATH")
		}
		t.Skip("nvim not installed; `apt-get install neovim` to run this test")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bin := buildHelper(t, ctx)
	ws, err := workspace.Init(filepath.Join(t.TempDir(), "ws"), os.DirFS(fixture.Curriculum()))
	if err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs("testdata/neovim/save_and_report.lua")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "diagnostics.jsonl")
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-S", script)
	cmd.Dir = ws.Root
	cmd.Env = append(os.Environ(),
		"HOME="+home, "XDG_STATE_HOME="+home, "XDG_CACHE_HOME="+home, "XDG_DATA_HOME="+home,
		"GOCHALLENGE_BIN="+bin,
		"GOCHALLENGE_WS="+ws.Root,
		"GOCHALLENGE_FILE="+filepath.Join(ws.Root, "c01-counter", "counter.go"),
		"GOCHALLENGE_OUT="+out,
		"GOCHALLENGE_WANT_CODE=test-failure",
	)
	// Own process group, so a timeout takes the server and its go test with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}

	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim wrote no report: %v", err)
	}
	wantFile := filepath.Join(ws.Root, "c01-counter", "counter_test.go")
	wantLine := fixture.MarkLine(t, wantFile, "inc")
	found := false
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "error:") {
			t.Error(line)
			continue
		}
		var d struct {
			File, Code, Source, Message string
			Line                        int
		}
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Errorf("bad report line %q: %v", line, err)
			continue
		}
		if d.File == wantFile && d.Line == wantLine && d.Code == "test-failure" && d.Source == "gochallenge" &&
			strings.HasPrefix(d.Message, "TestInc: got 0, want 2") {
			found = true
		}
	}
	if !found {
		t.Errorf("neovim did not receive test-failure at %s:%d (TestInc: got 0, want 2); it received:\n%s", wantFile, wantLine, data)
	}
	if pids := processesRunning(bin); len(pids) > 0 {
		t.Errorf("server processes %v outlived the editor", pids)
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// buildHelper builds the real gochallenge binary, as an editor would run it.
func buildHelper(t *testing.T, ctx context.Context) string {
	t.Helper()
	goCmd, err := gotest.GoCommand()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gochallenge")
	build := exec.CommandContext(ctx, goCmd, "build", "-o", bin, "gochallenge.dev/gochallenge/server/cmd/gochallenge")
	build.Env = gotest.Env()
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return bin
}

// processesRunning lists the pids whose executable is bin, waiting briefly
// for ones that are on their way out.
func processesRunning(bin string) []int {
	var pids []int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		pids = pids[:0]
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == bin {
				pids = append(pids, pid)
			}
		}
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
	}
}
