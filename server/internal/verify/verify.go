// Package verify keeps the curriculum honest, like rustlings' `dev check`:
// for every challenge it proves that the starter compiles and fails the
// named tests, that the reference solution passes them with the race
// detector (plus hidden hold-out tests), that the benchmarks run and meet
// their allocation gates, and that every wrong solution is caught.
package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/gotest"
	"gochallenge.dev/gochallenge/server/internal/testresult"
)

// ReferenceBudget is how long the reference may take under
// -race -count=3 -shuffle=on on a 2-core machine.
const ReferenceBudget = 60 * time.Second

// Options select what to verify.
type Options struct {
	Root string   // the repository's challenges/ folder (a Go module)
	IDs  []string // empty: every challenge
	Jobs int      // challenges verified at once (default 2)
	// Progress receives one line per finished challenge.
	Progress io.Writer
}

// Result is the verdict on one challenge.
type Result struct {
	ID       string
	Problems []string // any problem fails the challenge
	Notes    []string // what was proven, for the log
	Elapsed  time.Duration
}

// OK reports whether the challenge verified.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

func (r *Result) fail(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}
func (r *Result) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// Run verifies the selected challenges, in parallel.
func Run(ctx context.Context, o Options) ([]*Result, error) {
	root, err := filepath.Abs(o.Root)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return nil, fmt.Errorf("%s is not the curriculum module (no go.mod); run verify in the repository, or pass --dir", root)
	}
	cur, err := curriculum.Load(os.DirFS(root))
	if err != nil {
		return nil, err
	}
	chs := cur.Challenges
	if len(o.IDs) > 0 {
		chs = nil
		for _, id := range o.IDs {
			ch, err := cur.Get(id)
			if err != nil {
				return nil, err
			}
			chs = append(chs, ch)
		}
	}
	jobs := max(o.Jobs, 1)
	if o.Jobs == 0 {
		jobs = 2
	}
	results := make([]*Result, len(chs))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var logMu sync.Mutex
	for i, ch := range chs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			v := &verifier{root: root, ch: ch, res: &Result{ID: ch.ID}}
			v.run(ctx)
			v.res.Elapsed = time.Since(start)
			results[i] = v.res
			if o.Progress != nil {
				logMu.Lock()
				printResult(o.Progress, v.res)
				logMu.Unlock()
			}
		})
	}
	wg.Wait()
	return results, ctx.Err()
}

func printResult(w io.Writer, r *Result) {
	if r.OK() {
		fmt.Fprintf(w, "ok    %-24s %s  (%s)\n", r.ID, r.Elapsed.Round(100*time.Millisecond), strings.Join(r.Notes, "; "))
		return
	}
	fmt.Fprintf(w, "FAIL  %-24s %s\n", r.ID, r.Elapsed.Round(100*time.Millisecond))
	for _, p := range r.Problems {
		fmt.Fprintf(w, "      - %s\n", strings.ReplaceAll(p, "\n", "\n        "))
	}
}

type verifier struct {
	root string
	ch   *curriculum.Challenge
	res  *Result
}

func (v *verifier) dir() string { return filepath.Join(v.root, filepath.FromSlash(v.ch.Dir)) }

func (v *verifier) spec() gotest.Spec {
	dir := v.dir()
	return gotest.Spec{
		Dir: v.root, PackageDir: dir, Timeout: v.ch.Test.Timeout(),
		Learner: func(p string) bool { return filepath.Dir(p) == dir && v.ch.IsLearnerFile(filepath.Base(p)) },
	}
}

func (v *verifier) run(ctx context.Context) {
	if !v.layout() {
		return
	}
	v.starter(ctx)
	solution, err := v.overlay(ctx, "")
	if err != nil {
		v.res.fail("%v", err)
		return
	}
	defer os.RemoveAll(filepath.Dir(solution))
	if v.reference(ctx, solution) {
		v.hints(ctx)
		v.bench(ctx, solution)
	}
	for _, w := range v.ch.WrongSolutions {
		v.wrong(ctx, w)
	}
}

// layout checks the files a challenge must have.
func (v *verifier) layout() bool {
	dir := v.dir()
	if st, err := os.Stat(filepath.Join(dir, "README.md")); err != nil || st.Size() < 200 {
		v.res.fail("README.md is missing or too short to be a statement")
	}
	for _, f := range v.ch.Files {
		if _, err := os.Stat(filepath.Join(dir, curriculum.SolutionDir, f)); err != nil {
			v.res.fail("%s/%s is missing: the reference solution needs every learner file", curriculum.SolutionDir, f)
		}
	}
	listed := map[string]bool{}
	for _, w := range v.ch.WrongSolutions {
		listed[w.Name] = true
		if _, err := os.Stat(v.wrongPatch(w.Name)); err == nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, curriculum.WrongDir, w.Name)); err != nil {
			v.res.fail("wrong solution %q is listed but neither %s/%s.patch nor %s/%s/ exists", w.Name, curriculum.WrongDir, w.Name, curriculum.WrongDir, w.Name)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, curriculum.WrongDir))
	for _, e := range entries {
		if name := strings.TrimSuffix(e.Name(), ".patch"); (e.IsDir() || name != e.Name()) && !listed[name] {
			v.res.fail("%s/%s is not listed in wrongSolutions", curriculum.WrongDir, e.Name())
		}
	}
	for _, h := range v.ch.Hints {
		if strings.TrimSpace(h.Text) == "" {
			v.res.fail("hint %d is empty", h.Level)
		}
	}
	return v.res.OK()
}

// hints runs the challenge's hint passes over the reference solution: a
// Warning there is a false positive (or a bug in the reference), and a
// learner who copied the reference would be told off for it.
func (v *verifier) hints(ctx context.Context) {
	dir := v.dir()
	reference, err := v.replacements(curriculum.SolutionDir, "*.go", nil)
	if err != nil {
		v.res.fail("%v", err)
		return
	}
	overlay := map[string][]byte{}
	for target, source := range reference {
		data, err := os.ReadFile(source)
		if err != nil {
			v.res.fail("%v", err)
			return
		}
		overlay[target] = data
	}
	passes, unknown := suite.For(v.ch.Analyzers)
	found, err := lint.New().Run(ctx, lint.Request{
		ModuleRoot: v.root, Dir: dir, Overlay: overlay, Env: gotest.Env(), Analyzers: suite.Analyzers(passes),
	})
	if err != nil {
		v.res.fail("hint passes on the reference solution: %v", err)
		return
	}
	warnings, infos := 0, 0
	for _, f := range found {
		if _, ours := overlay[f.File]; !ours {
			continue // the shipped tests are not the learner's code
		}
		if p, _ := suite.Lookup(f.Pass); p.SeverityOf(f.Category) == suite.Warning {
			warnings++
			v.res.fail("hint pass %s flags the reference at %s:%d: %s", f.Pass, filepath.Base(f.File), f.Line, f.Message)
		} else {
			infos++
		}
	}
	if warnings == 0 {
		note := fmt.Sprintf("%d hint passes clean on the reference", len(passes))
		if infos > 0 {
			note = fmt.Sprintf("%d hint passes: %d information finding(s) on the reference, no warning", len(passes), infos)
		}
		if len(unknown) > 0 {
			note += fmt.Sprintf(" (manifest names passes not built yet: %s)", strings.Join(unknown, ", "))
		}
		v.res.note("%s", note)
	}
}

// starter: compiles, passes vet, fails every mustFail test by assertion.
func (v *verifier) starter(ctx context.Context) {
	if out, err := v.goCmd(ctx, "vet", "./"+v.ch.Dir); err != nil {
		v.res.fail("starter fails go vet:\n%s", out)
	}
	spec := v.spec()
	spec.Flags = []string{"-count=1"}
	if v.ch.Test.Short {
		spec.Flags = append(spec.Flags, "-short")
	}
	r, err := gotest.Run(ctx, spec)
	if err != nil {
		v.res.fail("starter run: %v", err)
		return
	}
	switch {
	case !r.Compiled():
		v.res.fail("starter does not compile: %s", describe(r))
		return
	case len(r.Panics) > 0:
		v.res.fail("starter panics (a panic hides every other result): %s at %s", r.Panics[0].Message, r.Panics[0].At.Location)
	case r.Stuck != nil:
		v.res.fail("starter blocks: %s", r.Stuck.Message)
	}
	for _, name := range v.ch.MustFail {
		t := r.Test(name)
		switch {
		case t == nil:
			v.res.fail("mustFail test %s did not run against the starter", name)
		case t.Outcome != testresult.Fail:
			v.res.fail("mustFail test %s does not fail against the starter (outcome: %s)", name, t.Outcome)
		}
	}
	if v.res.OK() {
		v.res.note("starter fails %d named tests", len(v.ch.MustFail))
	}
}

// reference: passes vet and -race -count=3 -shuffle=on within budget,
// hold-out tests included.
func (v *verifier) reference(ctx context.Context, overlay string) bool {
	ok := true
	if out, err := v.goCmd(ctx, "vet", "-overlay", overlay, "./"+v.ch.Dir); err != nil {
		v.res.fail("reference solution fails go vet:\n%s", out)
		ok = false
	}
	spec := v.spec()
	spec.Overlay = overlay
	spec.Timeout = ReferenceBudget
	spec.Flags = []string{"-race", "-count=3", "-shuffle=on"}
	r, err := gotest.Run(ctx, spec)
	if err != nil {
		v.res.fail("reference run: %v", err)
		return false
	}
	if !r.Passed {
		v.res.fail("reference solution fails -race -count=3 -shuffle=on: %s", describe(r))
		return false
	}
	if r.Elapsed > ReferenceBudget {
		v.res.fail("reference solution took %s under -race -count=3, over the %s budget", r.Elapsed.Round(time.Second/10), ReferenceBudget)
		ok = false
	}
	v.res.note("reference passes -race -count=3 -shuffle=on in %s", r.Elapsed.Round(time.Second/10))
	return ok
}

// bench: every manifest benchmark runs on the reference and meets its
// allocation gate. Time ratios are noted, not enforced: on a shared CI
// machine they are advisory.
func (v *verifier) bench(ctx context.Context, overlay string) {
	rep, err := engine.RunBench(ctx, v.ch, v.spec(), engine.BenchOptions{Count: 1, Benchtime: "200ms", Overlay: overlay})
	if err != nil {
		v.res.fail("benchmarks: %v", err)
		return
	}
	if !rep.Run.Compiled() {
		v.res.fail("benchmarks do not build: %s", describe(rep.Run))
		return
	}
	var notes []string
	for _, g := range v.ch.Benchmarks {
		i := slices.IndexFunc(rep.Verdicts, func(b engine.BenchVerdict) bool { return b.Name == g.Name })
		if i < 0 {
			v.res.fail("benchmark %s did not run on the reference solution", g.Name)
			continue
		}
		if g.Baseline != "" && !slices.ContainsFunc(rep.Verdicts, func(b engine.BenchVerdict) bool { return b.Name == g.Baseline }) {
			v.res.fail("baseline %s of %s did not run", g.Baseline, g.Name)
		}
		b := rep.Verdicts[i]
		if !b.AllocsOK {
			v.res.fail("reference %s: %s allocs/op, gate is <= %v", g.Name, engine.Thousands(b.AllocsPerOp), *g.MaxAllocsPerOp)
		}
		notes = append(notes, fmt.Sprintf("%s %s", strings.TrimPrefix(g.Name, "Benchmark"), b.String()))
	}
	v.res.note("bench: %s", strings.Join(notes, "; "))
}

// wrong: each wrong solution must fail one of the tests it is meant to be
// caught by, in the plain run or under -race.
func (v *verifier) wrong(ctx context.Context, w curriculum.Wrong) {
	overlay, err := v.overlay(ctx, w.Name)
	if err != nil {
		v.res.fail("%v", err)
		return
	}
	defer os.RemoveAll(filepath.Dir(overlay))
	for _, flags := range [][]string{{"-count=1"}, {"-race", "-count=1"}} {
		if slices.Contains(flags, "-race") && !v.ch.Test.Race {
			break
		}
		spec := v.spec()
		spec.Overlay = overlay
		spec.Flags = flags
		r, err := gotest.Run(ctx, spec)
		if err != nil {
			v.res.fail("wrong solution %s: %v", w.Name, err)
			return
		}
		if !r.Compiled() {
			v.res.fail("wrong solution %s does not compile (it must fail by test, not build): %s", w.Name, describe(r))
			return
		}
		for _, name := range w.Catches {
			if t := r.Test(name); t != nil && (t.Outcome == testresult.Fail || t.Outcome == testresult.Running) {
				v.res.note("wrong solution %s caught by %s%s", w.Name, name, map[bool]string{true: " under -race"}[len(flags) > 1])
				return
			}
		}
	}
	v.res.fail("wrong solution %s (%s) was not caught by any of %v", w.Name, w.Why, w.Catches)
}

// overlay writes a `go build -overlay` file mapping the learner files to
// the reference solution, adding the hold-out tests, and, for a wrong
// solution, its files on top.
//
// The overlay file and any patched files live in one temporary folder:
// the caller removes filepath.Dir of the returned path.
func (v *verifier) overlay(ctx context.Context, wrong string) (file string, err error) {
	replace, err := v.replacements(curriculum.SolutionDir, "*.go", nil)
	if err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp("", "gochallenge-overlay-")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if wrong == "" {
		if replace, err = v.replacements(curriculum.HoldoutDir, "*_test.go", replace); err != nil {
			return "", err
		}
		for target := range replace {
			if strings.HasSuffix(target, "_test.go") {
				if _, err := os.Stat(target); err == nil {
					return "", fmt.Errorf("hold-out test %s has the name of a shipped test file", filepath.Base(target))
				}
			}
		}
	} else if _, err := os.Stat(v.wrongPatch(wrong)); err == nil {
		if err := v.applyWrongPatch(wrong, tmp, replace); err != nil {
			return "", err
		}
	} else if replace, err = v.replacements(filepath.Join(curriculum.WrongDir, wrong), "*.go", replace); err != nil {
		return "", err
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	file = filepath.Join(tmp, "overlay.json")
	return file, os.WriteFile(file, data, 0o644)
}

// wrongPatch is where a wrong solution written as a patch lives.
func (v *verifier) wrongPatch(name string) string {
	return filepath.Join(v.dir(), curriculum.WrongDir, name+".patch")
}

// applyWrongPatch applies _wrong/<name>.patch, a unified diff against the
// reference solution (one planted bug, visible at a glance in review),
// writing the patched files into tmp and mapping the learner files to
// them. Patches name files by base name: a/_solution/lru.go, lru.go and
// a/lru.go all mean the reference's lru.go.
func (v *verifier) applyWrongPatch(name, tmp string, replace map[string]string) error {
	patch, err := os.Open(v.wrongPatch(name))
	if err != nil {
		return err
	}
	defer patch.Close()
	files, _, err := gitdiff.Parse(patch)
	if err != nil {
		return fmt.Errorf("wrong solution %s: %w", name, err)
	}
	if len(files) == 0 {
		return fmt.Errorf("wrong solution %s: the patch changes nothing", name)
	}
	for _, f := range files {
		base := path.Base(f.NewName)
		if f.IsDelete || f.IsNew || f.IsRename || base != path.Base(f.OldName) {
			return fmt.Errorf("wrong solution %s: the patch may only change files of the reference solution in place (%s)", name, f.OldName)
		}
		reference, err := os.Open(filepath.Join(v.dir(), curriculum.SolutionDir, base))
		if err != nil {
			return fmt.Errorf("wrong solution %s patches %s: %w", name, base, err)
		}
		var out bytes.Buffer
		err = gitdiff.Apply(&out, reference, f)
		reference.Close()
		if err != nil {
			return fmt.Errorf("wrong solution %s no longer applies to %s/%s (update the patch after changing the reference): %w", name, curriculum.SolutionDir, base, err)
		}
		patched := filepath.Join(tmp, "wrong-"+base)
		if err := os.WriteFile(patched, out.Bytes(), 0o644); err != nil {
			return err
		}
		replace[filepath.Join(v.dir(), base)] = patched
	}
	return nil
}

// replacements adds to replace (a new map when nil) the files matching
// pattern in the challenge's sub-folder, each standing in for the package
// file of the same name: learner path -> source path.
func (v *verifier) replacements(folder, pattern string, replace map[string]string) (map[string]string, error) {
	if replace == nil {
		replace = map[string]string{}
	}
	dir := v.dir()
	files, err := filepath.Glob(filepath.Join(dir, folder, pattern))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		replace[filepath.Join(dir, filepath.Base(f))] = f
	}
	return replace, nil
}

func (v *verifier) goCmd(ctx context.Context, args ...string) (string, error) {
	goCmd, err := gotest.GoCommand()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = v.root
	cmd.Env = gotest.Env()
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// describe summarises why a run failed, in one or a few lines.
func describe(r *testresult.Report) string {
	var parts []string
	if r.Problem != "" {
		parts = append(parts, r.Problem)
	}
	for i, b := range r.Build {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more build errors", len(r.Build)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s: %s", b.Location, b.Message))
	}
	for _, p := range r.Panics {
		parts = append(parts, fmt.Sprintf("panic in %s: %s at %s", p.Test, p.Message, p.At.Location))
	}
	for _, race := range r.Races {
		parts = append(parts, fmt.Sprintf("data race in %s at %s and %s", race.Test, race.Current.At.Location, race.Previous.At.Location))
	}
	if r.Stuck != nil {
		parts = append(parts, fmt.Sprintf("%s: %s (%v)", r.Stuck.Kind, r.Stuck.Message, r.Stuck.Tests))
	}
	for i, t := range r.Failed() {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		msg := ""
		if len(t.Failures) > 0 {
			msg = ": " + firstLine(t.Failures[0].Message)
		}
		parts = append(parts, t.Name+" failed"+msg)
	}
	if len(parts) == 0 {
		return "failed (no details)"
	}
	return strings.Join(parts, "\n")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
