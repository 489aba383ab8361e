// Package suite is the list of hint passes gochallenge runs on a learner's
// code: our curriculum passes (../passes) and the go vet passes that catch
// what senior reviewers catch. Each pass has a severity and a page that
// explains the finding with a before/after example.
package suite

import (
	"embed"
	"fmt"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/httpresponse"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/testinggoroutine"
	"golang.org/x/tools/go/analysis/passes/unusedresult"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
)

// Severity says how sure a pass is.
type Severity int

const (
	// Information: a smell worth a look; correct code may trigger it.
	Information Severity = iota + 1
	// Warning: almost certainly a bug. verify fails a reference
	// solution with a Warning.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "information"
}

// Pass is one hint pass.
type Pass struct {
	Analyzer *analysis.Analyzer
	Severity Severity
	// Page is the markdown a learner opens from the hint.
	Page string
	// OptIn passes run only for challenges whose manifest names them.
	OptIn bool
	// Vet marks the passes that come from go vet.
	Vet bool
}

// Name is the pass's name, the diagnostic code.
func (p Pass) Name() string { return p.Analyzer.Name }

//go:embed pages/*.md
var vetPages embed.FS

func vetPass(a *analysis.Analyzer) Pass {
	page, err := vetPages.ReadFile("pages/" + a.Name + ".md")
	if err != nil {
		panic(fmt.Sprintf("suite: no page for vet pass %s", a.Name))
	}
	return Pass{Analyzer: a, Severity: Warning, Page: string(page), Vet: true}
}

// own lists the curriculum's passes.
var own = []Pass{}

// vet lists the go vet passes worth a hint. atomic, printf and the other
// passes `go test` already runs are left out: their findings arrive as vet
// errors from the test run.
var vet = []Pass{
	vetPass(copylock.Analyzer),
	vetPass(httpresponse.Analyzer),
	vetPass(lostcancel.Analyzer),
	vetPass(testinggoroutine.Analyzer),
	vetPass(unusedresult.Analyzer),
	vetPass(waitgroup.Analyzer),
}

// All returns every pass, sorted by name.
func All() []Pass {
	all := append(slices.Clone(own), vet...)
	sort.Slice(all, func(i, j int) bool { return all[i].Name() < all[j].Name() })
	return all
}

// Lookup finds a pass by name.
func Lookup(name string) (Pass, bool) {
	for _, p := range All() {
		if p.Name() == name {
			return p, true
		}
	}
	return Pass{}, false
}

// For returns the passes for a challenge: every pass that is not opt-in,
// plus the opt-in passes its manifest names. Names that are not passes
// are returned apart, so verify can report them.
func For(manifestAnalyzers []string) (passes []Pass, unknown []string) {
	for _, p := range All() {
		if !p.OptIn || slices.Contains(manifestAnalyzers, p.Name()) {
			passes = append(passes, p)
		}
	}
	for _, name := range manifestAnalyzers {
		if _, ok := Lookup(name); !ok {
			unknown = append(unknown, name)
		}
	}
	return passes, unknown
}

// Analyzers returns the analyzers of passes.
func Analyzers(passes []Pass) []*analysis.Analyzer {
	out := make([]*analysis.Analyzer, len(passes))
	for i, p := range passes {
		out[i] = p.Analyzer
	}
	return out
}
