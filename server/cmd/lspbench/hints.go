package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// hintFile is a file the hints scenario adds to the challenge package: a
// dropped cancel function (lostcancel), moved down one line per save so
// each save's hint is told apart from the last one's.
const hintFile = "zz_bench_hint.go"

func (b *bench) writeHintFile(ws string, n int) (line int, err error) {
	pkg := "main"
	for _, l := range strings.Split(string(b.original), "\n") {
		if name, ok := strings.CutPrefix(l, "package "); ok {
			pkg = strings.TrimSpace(name)
			break
		}
	}
	pad := strings.Repeat("\n", n%20)
	src := fmt.Sprintf("package %s\n\nimport \"context\"\n%s\nfunc benchDetached() context.Context {\n\tctx, _ := context.WithCancel(context.Background())\n\treturn ctx\n}\n", pkg, pad)
	line = 6 + n%20 // the line of `ctx, _ :=`
	return line, os.WriteFile(filepath.Join(ws, b.challenge, hintFile), []byte(src), 0o644)
}

// hints measures save -> hint diagnostics against `go vet` running the
// same passes on the same package.
func (b *bench) hints(ctx context.Context, t *table, n int, vettool string) error {
	defer os.Remove(filepath.Join(b.ws, b.challenge, hintFile))
	defer os.Remove(filepath.Join(b.rawWS, b.challenge, hintFile))
	s, err := b.start(ctx)
	if err != nil {
		return err
	}
	defer s.stop()
	// The first hint run loads the package (go list); it is not "warm".
	if _, err := b.writeHintFile(b.ws, 99); err != nil {
		return err
	}
	if err := b.settle(ctx, s, -1); err != nil {
		return err
	}
	var lsp, vet []time.Duration
	for i := range n {
		if _, err := b.writeHintFile(b.rawWS, i); err != nil {
			return err
		}
		d, err := b.goVet(ctx, vettool)
		if err != nil {
			return err
		}
		vet = append(vet, d)

		line, err := b.writeHintFile(b.ws, i)
		if err != nil {
			return err
		}
		t0 := time.Now()
		uri := "file://" + filepath.Join(b.ws, b.challenge, hintFile)
		if err := s.conn.Notify(ctx, "textDocument/didSave", map[string]any{"textDocument": map[string]string{"uri": uri}}); err != nil {
			return err
		}
		e, err := s.waitFor(t0, time.Minute, func(e event) bool { return hasHintAt(e, uri, line) })
		if err != nil {
			return fmt.Errorf("save %d: hint: %w", i, err)
		}
		lsp = append(lsp, e.at.Sub(t0))
		if _, err := s.waitFor(t0, 5*time.Minute, isRunEnd); err != nil {
			return fmt.Errorf("save %d: tests: %w", i, err)
		}
	}
	l, v := median(lsp), median(vet)
	t.add(fmt.Sprintf("save -> hint diagnostics (warm), p50 of %d", n), ms(l), "<= 150 ms", l <= 150*time.Millisecond)
	t.add("`go vet -vettool` with the same passes, p50", ms(v), "", true)
	ratio := float64(v) / float64(l)
	t.add("hints speed-up over go vet", fmt.Sprintf("%.1fx", ratio), ">= 3x", ratio >= 3)
	return nil
}

func hasHintAt(e event, uri string, line int) bool {
	if !isDiagnostics(e) {
		return false
	}
	var p struct {
		URI         string `json:"uri"`
		Diagnostics []struct {
			Source string `json:"source"`
			Range  struct {
				Start struct{ Line int } `json:"start"`
			} `json:"range"`
		} `json:"diagnostics"`
	}
	if json.Unmarshal(e.params, &p) != nil || p.URI != uri {
		return false
	}
	for _, d := range p.Diagnostics {
		if d.Source == "gochallenge-hint" && d.Range.Start.Line == line-1 {
			return true
		}
	}
	return false
}

func (b *bench) goVet(ctx context.Context, vettool string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, "go", "vet", "-vettool="+vettool, "./"+b.challenge)
	cmd.Dir = b.rawWS
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=-mod=readonly")
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(t0)
	if !strings.Contains(string(out), "cancel function") {
		return 0, fmt.Errorf("go vet did not report the planted finding (%v):\n%s", err, out)
	}
	return d, nil
}
