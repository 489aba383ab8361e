package suite

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// Every pass must run in the in-process driver (no cross-package facts)
// and explain itself with a page a learner can open.
func TestEveryPassIsUsable(t *testing.T) {
	all := All()
	if err := analysis.Validate(Analyzers(all)); err != nil {
		t.Fatal(err)
	}
	if n := len(own); n < 10 {
		t.Errorf("%d curriculum passes, want at least 10", n)
	}
	seen := map[string]bool{}
	for _, p := range all {
		name := p.Name()
		if seen[name] {
			t.Errorf("two passes named %s", name)
		}
		seen[name] = true
		if !p.Vet && len(p.Analyzer.FactTypes) > 0 {
			t.Errorf("%s uses facts: the in-process driver cannot import them across packages", name)
		}
		if p.Severity != Warning && p.Severity != Information {
			t.Errorf("%s has no severity", name)
		}
		for _, section := range []string{"Before", "After"} {
			if !strings.Contains(p.Page, section) {
				t.Errorf("%s: the page has no %q example", name, section)
			}
		}
		if !strings.Contains(p.Page, "```go") {
			t.Errorf("%s: the page has no Go example", name)
		}
	}
}

func TestForAddsOptInPassesTheManifestNames(t *testing.T) {
	saved := own
	t.Cleanup(func() { own = saved })
	own = append([]Pass{{Analyzer: &analysis.Analyzer{Name: "special", Doc: "x", Run: func(*analysis.Pass) (any, error) { return nil, nil }}, OptIn: true, Severity: Information}}, own...)
	names := func(ps []Pass) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name())
		}
		return strings.Join(out, ",")
	}
	without, _ := For(nil)
	with, unknown := For([]string{"special", "nosuchpass", "ctxflow"})
	if strings.Contains(names(without), "special") || !strings.Contains(names(with), "special") {
		t.Errorf("opt-in pass: without the manifest %s; with it %s", names(without), names(with))
	}
	if strings.Join(unknown, ",") != "nosuchpass" {
		t.Errorf("unknown = %v, want [nosuchpass] (ctxflow is a suite)", unknown)
	}
}

func TestSuitesNameRealPasses(t *testing.T) {
	for suite, members := range suites {
		for _, m := range members {
			if _, ok := Lookup(m); !ok {
				t.Errorf("suite %s names %s, which is not a pass", suite, m)
			}
		}
	}
}
