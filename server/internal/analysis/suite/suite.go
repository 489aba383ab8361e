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

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/atomicmix"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/benchloop"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/busyloop"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/closecheck"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/condwait"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/ctxbackground"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/deferbeforeerr"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/deferloop"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/errwrap"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/eventschema"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/globalstate"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/goexitmisuse"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/hotretry"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/httpclienttimeout"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/lockio"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/rlockmutation"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/servicelocator"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/sleepsync"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/timeafterloop"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unboundedgo"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unguardedrecursion"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/unlockpaths"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/wgaddinside"
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
	// ByCategory overrides Severity for some of the pass's categories
	// (a pass sure of one kind of finding and not of another).
	ByCategory map[string]Severity
	// Page is the markdown a learner opens from the hint.
	Page string
	// OptIn passes run only for challenges whose manifest names them.
	OptIn bool
	// Vet marks the passes that come from go vet.
	Vet bool
}

// Name is the pass's name, the diagnostic code.
func (p Pass) Name() string { return p.Analyzer.Name }

// SeverityOf returns the severity of a finding in a category.
func (p Pass) SeverityOf(category string) Severity {
	if s, ok := p.ByCategory[category]; ok {
		return s
	}
	return p.Severity
}

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
var own = []Pass{
	{Analyzer: benchloop.Analyzer, Page: benchloop.Page, Severity: Information},
	{Analyzer: busyloop.Analyzer, Page: busyloop.Page, Severity: Warning},
	{Analyzer: closecheck.Analyzer, Page: closecheck.Page, Severity: Information},
	{Analyzer: ctxbackground.Analyzer, Page: ctxbackground.Page, Severity: Information,
		ByCategory: map[string]Severity{ctxbackground.CategoryBackground: Warning}},
	{Analyzer: deferloop.Analyzer, Page: deferloop.Page, Severity: Warning},
	{Analyzer: errwrap.Analyzer, Page: errwrap.Page, Severity: Warning},
	{Analyzer: httpclienttimeout.Analyzer, Page: httpclienttimeout.Page, Severity: Information,
		ByCategory: map[string]Severity{httpclienttimeout.CategoryClient: Warning}},
	// Expert code blocks under a lock on purpose now and then; only a
	// sleep under a lock is always wrong.
	{Analyzer: lockio.Analyzer, Page: lockio.Page, Severity: Information,
		ByCategory: map[string]Severity{lockio.CategorySleep: Warning}},
	{Analyzer: rlockmutation.Analyzer, Page: rlockmutation.Page, Severity: Warning},
	{Analyzer: sleepsync.Analyzer, Page: sleepsync.Page, Severity: Information},
	{Analyzer: timeafterloop.Analyzer, Page: timeafterloop.Page, Severity: Information},
	{Analyzer: unboundedgo.Analyzer, Page: unboundedgo.Page, Severity: Information},
	{Analyzer: unlockpaths.Analyzer, Page: unlockpaths.Page, Severity: Warning},
	{Analyzer: wgaddinside.Analyzer, Page: wgaddinside.Page, Severity: Warning},

	// Challenge-specific passes: they know the API the challenge builds, so
	// they run only where a manifest names them (directly or by suite).
	{Analyzer: atomicmix.Analyzer, Page: atomicmix.Page, Severity: Warning, OptIn: true},
	{Analyzer: condwait.Analyzer, Page: condwait.Page, Severity: Warning, OptIn: true,
		ByCategory: map[string]Severity{condwait.CategoryInLoop: Information}},
	{Analyzer: deferbeforeerr.Analyzer, Page: deferbeforeerr.Page, Severity: Warning, OptIn: true},
	{Analyzer: eventschema.Analyzer, Page: eventschema.Page, Severity: Warning, OptIn: true},
	{Analyzer: goexitmisuse.Analyzer, Page: goexitmisuse.Page, Severity: Warning, OptIn: true},
	{Analyzer: globalstate.Analyzer, Page: globalstate.Page, Severity: Information, OptIn: true},
	// A retry that only checks ctx, or only sleeps, still gets a look.
	{Analyzer: hotretry.Analyzer, Page: hotretry.Page, Severity: Warning, OptIn: true,
		ByCategory: map[string]Severity{hotretry.CategoryCtxOnly: Information, hotretry.CategorySleep: Information}},
	{Analyzer: servicelocator.Analyzer, Page: servicelocator.Page, Severity: Information, OptIn: true},
	{Analyzer: unguardedrecursion.Analyzer, Page: unguardedrecursion.Page, Severity: Warning, OptIn: true},
}

// vet lists the go vet passes worth a hint. atomic, printf and the other
// passes `go test` already runs are left out: their findings arrive as vet
// errors from the test run. So is waitgroup: wgaddinside reports all it
// does, with a fix.
var vet = []Pass{
	vetPass(copylock.Analyzer),
	vetPass(httpresponse.Analyzer),
	vetPass(lostcancel.Analyzer),
	vetPass(testinggoroutine.Analyzer),
	vetPass(unusedresult.Analyzer),
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

// suites maps the curriculum's suite names (CURRICULUM.md, Appendix C),
// which manifests may name, to the passes that implement them so far.
var suites = map[string][]string{
	"ctxflow":      {"ctxbackground"},
	"gobound":      {"unboundedgo"},
	"chanowner":    {"busyloop", "timeafterloop"},
	"httphygiene":  {"httpclienttimeout"},
	"benchhygiene": {"benchloop"},
	"unlockpaths":  {"unlockpaths"},
	"closecheck":   {"closecheck", "deferbeforeerr"},
	"lockio":       {"lockio", "rlockmutation", "unlockpaths", "condwait"},
	"sleepsync":    {"sleepsync", "hotretry"},
	"globalstate":  {"globalstate", "servicelocator"},
}

// For returns the passes for a challenge: every pass that is not opt-in,
// plus the opt-in passes its manifest names (directly or through a
// suite). Names that are neither are returned apart, so verify can say
// which passes the curriculum still asks for.
func For(manifestAnalyzers []string) (passes []Pass, unknown []string) {
	named := map[string]bool{}
	for _, name := range manifestAnalyzers {
		if members, ok := suites[name]; ok {
			for _, m := range members {
				named[m] = true
			}
			continue
		}
		if _, ok := Lookup(name); !ok {
			unknown = append(unknown, name)
		}
		named[name] = true
	}
	for _, p := range All() {
		if !p.OptIn || named[p.Name()] {
			passes = append(passes, p)
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
