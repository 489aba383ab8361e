package curriculum

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const validManifest = `{
  "id": "d01-x", "week": 1, "day": 1, "title": "Title", "twist": "Twist",
  "difficulty": 2, "estimateMinutes": 60, "files": ["x.go"], "mustFail": ["TestX"],
  "test": {"race": true, "timeoutSeconds": 30, "doneGate": {"count": 3, "shuffle": true}},
  "benchmarks": [{"name": "BenchmarkX", "baseline": "BenchmarkY", "maxRatio": 2, "maxAllocsPerOp": 0}],
  "hints": [
    {"level": 1, "unlockAfter": {"failedRuns": 1, "minutes": 10}, "text": "first hint, long enough"},
    {"level": 2, "unlockAfter": {"failedRuns": 2, "minutes": 20}, "text": "second hint, long enough"},
    {"level": 3, "unlockAfter": {"failedRuns": 3, "minutes": 30}, "text": "third hint, long enough"}
  ]
}`

func TestParseManifest(t *testing.T) {
	m, err := ParseManifest([]byte(validManifest))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "d01-x" || *m.Benchmarks[0].MaxAllocsPerOp != 0 || m.Test.Timeout().Seconds() != 30 || m.Label() != "Day 1" || m.Section() != "Week 1" {
		t.Errorf("decoded %+v", m)
	}
	for name, tc := range map[string]struct{ from, to, wantErr string }{
		"unknown field": {`"twist": "Twist",`, `"twist": "Twist", "colour": "blue",`, "colour"},
		"two hints": {`,
    {"level": 3, "unlockAfter": {"failedRuns": 3, "minutes": 30}, "text": "third hint, long enough"}`, ``, "hints"},
		"hints out of order":   {`"level": 2,`, `"level": 3,`, "levels 1, 2, 3"},
		"hint unlocks earlier": {`"failedRuns": 3, "minutes": 30`, `"failedRuns": 1, "minutes": 30`, "unlocks before"},
		"drill with a day":     {`"week": 1,`, `"week": 1, "drill": 2,`, "schema"},
		"test file as learner": {`["x.go"]`, `["x_test.go"]`, "files"},
		"ratio without base":   {`"baseline": "BenchmarkY", `, ``, "baseline"},
		"not json":             {`{`, `[`, "JSON"},
	} {
		t.Run(name, func(t *testing.T) {
			bad := strings.Replace(validManifest, tc.from, tc.to, 1)
			if bad == validManifest {
				t.Fatalf("test case did not change the manifest")
			}
			_, err := ParseManifest([]byte(bad))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.wantErr)
			}
		})
	}
}

func TestLoadReportsEveryBrokenManifest(t *testing.T) {
	fsys := fstest.MapFS{
		"d01-x/challenge.json": {Data: []byte(validManifest)},
		"d01-x/x.go":           {Data: []byte("package x\n")},
		"d02-y/challenge.json": {Data: []byte(strings.Replace(validManifest, `"d01-x"`, `"d02-zzz"`, 1))},
		"d03-z/challenge.json": {Data: []byte(`{"id": 3}`)},
		"notes/readme.md":      {Data: []byte("not a challenge")},
	}
	_, err := Load(fsys)
	if err == nil {
		t.Fatal("Load accepted broken manifests")
	}
	for _, want := range []string{"d02-y/challenge.json: id \"d02-zzz\" does not match its folder", "d03-z/challenge.json"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestGetAcceptsUniquePrefixes(t *testing.T) {
	fsys := fstest.MapFS{
		"d01-x/challenge.json": {Data: []byte(validManifest)},
		"d01-x/x.go":           {Data: []byte("package x\n")},
	}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if ch, err := c.Get("d01"); err != nil || ch.ID != "d01-x" {
		t.Errorf("Get(d01) = %v, %v", ch, err)
	}
	if _, err := c.Get("zz"); err == nil || !strings.Contains(err.Error(), "unknown challenge") {
		t.Errorf("Get(zz) err = %v", err)
	}
}

// The embedded bundle must be what `make bundle` makes of challenges/,
// and it must load: a stale or broken bundle would ship learners an old
// curriculum.
func TestBundleIsFreshAndLoads(t *testing.T) {
	root := filepath.Join("..", "..", "..", "challenges")
	want, err := MakeBundle(root)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, bundleData) {
		t.Fatal("server/internal/curriculum/bundle.txtar is stale: run `make bundle`")
	}
	fsys, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range c.Challenges {
		if _, err := fs.Stat(fsys, ch.Dir+"/"+HoldoutDir); err == nil {
			t.Errorf("%s: hold-out tests are in the bundle", ch.ID)
		}
		if _, err := fs.Stat(fsys, ch.Dir+"/"+WrongDir); err == nil {
			t.Errorf("%s: wrong solutions are in the bundle", ch.ID)
		}
		for _, f := range ch.Files {
			if _, err := fs.Stat(fsys, ch.Dir+"/"+SolutionDir+"/"+f); err != nil {
				t.Errorf("%s: reference %s missing from the bundle", ch.ID, f)
			}
		}
	}
	for _, f := range authoringOnly {
		if _, err := fs.Stat(fsys, f); err == nil {
			t.Errorf("authoring file %s is in the bundle", f)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
		if _, err := fs.Stat(fsys, "go.mod"); err != nil {
			t.Error("go.mod is missing from the bundle")
		}
	}
}

func TestBundleSkipsLitterAndAuthoringFoldersAndRejectsBinaries(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n")
	write("c01/x.go", "package x\n")
	write("c01.test", "\x7fELF binary from go test -c\n")
	write("c01/x.go~", "editor backup\n")
	write("c01/_oracle/gen.go", "package main // generates test tables; authoring only\n")
	write("c01/_solution/x.go", "package x // the reference\n")
	data, err := MakeBundle(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, litter := range []string{"c01.test", "x.go~", "_oracle"} {
		if bytes.Contains(data, []byte(litter)) {
			t.Errorf("%s is in the bundle", litter)
		}
	}
	for _, want := range []string{"c01/x.go", "c01/_solution/x.go"} {
		if !bytes.Contains(data, []byte("-- "+want+" --")) {
			t.Errorf("%s is missing from the bundle", want)
		}
	}

	write("c01/testdata/blob.bin", "a\x00b\n")
	if _, err := MakeBundle(root); err == nil || !strings.Contains(err.Error(), "c01/testdata/blob.bin: binary") {
		t.Errorf("MakeBundle with a binary file: err = %v, want one naming the file", err)
	}
}
