package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

type bench struct {
	bin, ws, challenge, file string
	// rawWS is a copy of the workspace the server does not watch, where
	// the baseline runs on the same edits (so both pay the same compile).
	rawWS    string
	original []byte
}

// edit writes the learner file with a distinct change: every measured
// run compiles the package, as after a real edit.
func (b *bench) edit(ws string, n int) error {
	text := append(append([]byte{}, b.original...), fmt.Sprintf("\n// edit %d\n", n)...)
	rel, _ := filepath.Rel(b.ws, b.file)
	return os.WriteFile(filepath.Join(ws, rel), text, 0o644)
}

// save edits the learner file and tells the server, as an editor does
// on Ctrl+S.
func (b *bench) save(ctx context.Context, s *session, n int) (time.Time, error) {
	if err := b.edit(b.ws, n); err != nil {
		return time.Time{}, err
	}
	t0 := time.Now()
	err := s.conn.Notify(ctx, "textDocument/didSave", map[string]any{"textDocument": map[string]string{"uri": "file://" + b.file}})
	return t0, err
}

// rawGoTest runs what the server runs for a save, straight, in the copy
// of the workspace: the baseline.
func (b *bench) rawGoTest(ctx context.Context, flags ...string) (time.Duration, error) {
	args := append([]string{"test", "-json", "-fullpath", "-timeout", "2m", "-count=1"}, flags...)
	args = append(args, "./"+b.challenge)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = b.rawWS
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=readonly")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	io.Copy(io.Discard, out) // the server reads every event too
	if err := cmd.Wait(); err != nil {
		if _, failed := err.(*exec.ExitError); !failed {
			return 0, err
		}
	}
	return time.Since(t0), nil
}

func (b *bench) initialize(ctx context.Context, t *table) error {
	var samples []time.Duration
	for range 10 {
		t0 := time.Now()
		s, err := b.start(ctx)
		if err != nil {
			return err
		}
		samples = append(samples, time.Since(t0))
		s.stop()
	}
	p50 := median(samples)
	t.add("initialize round trip (process start -> reply), p50 of 10", ms(p50), "<= 100 ms", p50 <= 100*time.Millisecond)
	return nil
}

func (b *bench) saveLatency(ctx context.Context, t *table, n int) error {
	s, err := b.start(ctx)
	if err != nil {
		return err
	}
	defer s.stop()
	// One untimed save: the server's first run pays for loading the
	// curriculum and opening the progress journal.
	if err := b.settle(ctx, s, -1); err != nil {
		return err
	}
	var lsp, raw, full, rawFull []time.Duration
	for i := range n {
		if err := b.edit(b.rawWS, i); err != nil {
			return err
		}
		plain, err := b.rawGoTest(ctx, "-short")
		if err != nil {
			return err
		}
		// The server's race run is full length (no -short), as here.
		race, err := b.rawGoTest(ctx, "-race")
		if err != nil {
			return err
		}
		raw = append(raw, plain)
		rawFull = append(rawFull, plain+race)
		t0, err := b.save(ctx, s, i)
		if err != nil {
			return err
		}
		tests, err := s.testDiagnostics(t0, 3*time.Minute)
		if err != nil {
			return fmt.Errorf("save %d: test diagnostics: %w", i, err)
		}
		end, err := s.waitFor(t0, 5*time.Minute, isRunEnd)
		if err != nil {
			return fmt.Errorf("save %d: race run: %w", i, err)
		}
		lsp = append(lsp, tests.Sub(t0))
		full = append(full, end.at.Sub(t0))
	}
	l, r := median(lsp), median(raw)
	over := l - r
	pct := 100 * float64(over) / float64(r)
	t.add(fmt.Sprintf("save -> test diagnostics, p50 of %d", n), ms(l), "", true)
	t.add("raw `go test -json -short` of the same package, p50", ms(r), "", true)
	t.add("overhead (includes the 50 ms debounce)", fmt.Sprintf("%s (%+.1f%%)", ms(over), pct), "<= 5% or <= 50 ms",
		pct <= 5 || over <= 50*time.Millisecond)
	lf, rf := median(full), median(rawFull)
	t.add("save -> race-checked result, p50", ms(lf), "", true)
	t.add("raw `-short` + `-race` runs, p50", ms(rf), "", true)
	t.add("overhead of the full pipeline", fmt.Sprintf("%s (%+.1f%%)", ms(lf-rf), 100*float64(lf-rf)/float64(rf)), "<= 5% or <= 50 ms",
		100*float64(lf-rf)/float64(rf) <= 5 || lf-rf <= 50*time.Millisecond)
	return nil
}

// settle saves once and waits for the judged end of that run.
func (b *bench) settle(ctx context.Context, s *session, n int) error {
	t0, err := b.save(ctx, s, n)
	if err != nil {
		return err
	}
	_, err = s.waitFor(t0, 5*time.Minute, isRunEnd)
	return err
}

func (b *bench) burst(ctx context.Context, t *table) error {
	s, err := b.start(ctx)
	if err != nil {
		return err
	}
	defer s.stop()
	if err := b.settle(ctx, s, -1); err != nil {
		return err
	}
	first := time.Now()
	for i := range 20 {
		if _, err := b.save(ctx, s, 1000+i); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	last := time.Now()
	if _, err := s.waitFor(last, 5*time.Minute, isRunEnd); err != nil {
		return fmt.Errorf("burst: %w", err)
	}
	time.Sleep(3 * time.Second) // a stray result would arrive in this time
	results := s.count(first, isRunEnd)
	t.add("burst of 20 saves in 2 s: judged results", strconv.Itoa(results), "1", results == 1)
	orphans := b.strays(s.cmd.Process.Pid)
	t.add("burst: processes left running in the workspace", strconv.Itoa(len(orphans)), "0", len(orphans) == 0)
	return nil
}

func (b *bench) memory(ctx context.Context, t *table, cycles int) error {
	s, err := b.start(ctx)
	if err != nil {
		return err
	}
	defer s.stop()
	var early int
	for i := range cycles {
		t0, err := b.save(ctx, s, 2000+i)
		if err != nil {
			return err
		}
		// Wait for the test diagnostics only: the next save cancels the
		// race run in flight, so the cycles also exercise cancellation.
		if _, err := s.testDiagnostics(t0, 3*time.Minute); err != nil {
			return fmt.Errorf("cycle %d: %w", i, err)
		}
		if i == 9 {
			early = rssKB(s.cmd.Process.Pid)
		}
		if i%50 == 49 {
			s.forget()
			fmt.Fprintf(os.Stderr, "  %d cycles, RSS %d MB\n", i+1, rssKB(s.cmd.Process.Pid)/1024)
		}
	}
	if err := b.settle(ctx, s, 9999); err != nil {
		return err
	}
	rss := rssKB(s.cmd.Process.Pid)
	measured := fmt.Sprintf("%.1f MB", float64(rss)/1024)
	if cycles > 10 {
		measured += fmt.Sprintf(" (%.1f MB after 10)", float64(early)/1024)
	}
	t.add(fmt.Sprintf("helper RSS after %d save cycles", cycles), measured, "<= 60 MB", rss <= 60*1024)
	orphans := b.strays(s.cmd.Process.Pid)
	t.add(fmt.Sprintf("processes left running after %d cycles", cycles), strconv.Itoa(len(orphans)), "0", len(orphans) == 0)
	return nil
}

// strays lists processes, other than the server, whose working directory
// is inside the workspace: go test and test binaries that outlived their run.
func (b *bench) strays(server int) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == server {
			continue
		}
		cwd, err := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if err == nil && (cwd == b.ws || strings.HasPrefix(cwd, b.ws+string(filepath.Separator))) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// rssKB reads the resident set size of a process from /proc.
func rssKB(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return -1
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond)) }
