package toolchain_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gochallenge.dev/gochallenge/server/internal/toolchain"
)

// fakeGo puts a go command first on PATH that answers `go env` like the
// given Go version would, with no C compiler beside it.
func fakeGo(t *testing.T, version string) {
	dir := t.TempDir()
	script := "#!/bin/sh\ncase \"$*\" in\n" +
		"\"env GOVERSION\") echo " + version + " ;;\n" +
		"\"env CGO_ENABLED CC\") printf '1\\nno-such-cc\\n' ;;\n" +
		"esac\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
}

func diagnose(t *testing.T) map[string]toolchain.Check {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	byName := map[string]toolchain.Check{}
	for _, c := range toolchain.Diagnose(ctx, false) {
		byName[c.Name] = c
	}
	return byName
}

func TestAnOldGoIsFatalWithWhereToGetANewOne(t *testing.T) {
	fakeGo(t, "go1.21.0")
	got := diagnose(t)["Go version"]
	if !got.Fatal() || !strings.Contains(got.Info, "go1.21.0") || !strings.Contains(got.Fix, "go.dev/dl") {
		t.Errorf("Go version check %+v, want fatal, naming go1.21.0 and go.dev/dl", got)
	}
}

func TestNoCCompilerMeansNoRaceDetector(t *testing.T) {
	fakeGo(t, "go1.26.3")
	checks := diagnose(t)
	if v := checks["Go version"]; !v.OK {
		t.Errorf("go1.26.3 judged %+v, want fine", v)
	}
	if r := checks["race detector"]; !r.Fatal() || !strings.Contains(r.Info, "no-such-cc") {
		t.Errorf("race detector check %+v, want fatal naming the missing compiler", r)
	}
}

func TestThisMachineIsReady(t *testing.T) {
	for name, c := range diagnose(t) {
		if c.Fatal() {
			t.Errorf("%s: %s (%s); the test machines have Go 1.26 and gcc", name, c.Info, c.Fix)
		}
	}
}
