package lint

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// analyze runs analyzers over one type-checked package.
//
// Written by hand rather than with golang.org/x/tools/go/analysis/checker
// because the checker takes packages from go/packages and, for passes with
// facts, analyzes every dependency from source: the learner's package is
// re-type-checked in place on each save (see cache.go) and its imports come
// from export data, so facts live only within the package. Within it they
// work (ctrlflow's no-return facts feed lostcancel); across packages a fact
// import reports "not found", which every vet pass treats as "unknown".
func analyze(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info, sizes types.Sizes, analyzers []*analysis.Analyzer) ([]reported, error) {
	type key struct {
		obj types.Object
		t   reflect.Type
	}
	objFacts := map[key]analysis.Fact{}
	pkgFacts := map[reflect.Type]analysis.Fact{}
	results := map[*analysis.Analyzer]any{}
	failed := map[*analysis.Analyzer]error{}
	wanted := map[*analysis.Analyzer]bool{}
	for _, a := range analyzers {
		wanted[a] = true
	}
	var diags []reported

	var run func(a *analysis.Analyzer) error
	run = func(a *analysis.Analyzer) (err error) {
		if _, done := results[a]; done {
			return nil
		}
		if err, done := failed[a]; done {
			return err
		}
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%s panicked: %v", a.Name, r)
			}
			if err != nil {
				failed[a] = err
			}
		}()
		resultOf := map[*analysis.Analyzer]any{}
		for _, req := range a.Requires {
			if err := run(req); err != nil {
				return fmt.Errorf("%s needs %s: %w", a.Name, req.Name, err)
			}
			resultOf[req] = results[req]
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       fset,
			Files:      files,
			Pkg:        pkg,
			TypesInfo:  info,
			TypesSizes: sizes,
			ResultOf:   resultOf,
			ReadFile:   os.ReadFile,
			Report: func(d analysis.Diagnostic) {
				if wanted[a] {
					diags = append(diags, reported{a, d})
				}
			},
			ImportObjectFact: func(obj types.Object, f analysis.Fact) bool {
				got, ok := objFacts[key{obj, reflect.TypeOf(f)}]
				if ok {
					reflect.ValueOf(f).Elem().Set(reflect.ValueOf(got).Elem())
				}
				return ok
			},
			ExportObjectFact: func(obj types.Object, f analysis.Fact) {
				objFacts[key{obj, reflect.TypeOf(f)}] = f
			},
			ImportPackageFact: func(p *types.Package, f analysis.Fact) bool {
				got, ok := pkgFacts[reflect.TypeOf(f)]
				if ok && p == pkg {
					reflect.ValueOf(f).Elem().Set(reflect.ValueOf(got).Elem())
					return true
				}
				return false
			},
			ExportPackageFact: func(f analysis.Fact) { pkgFacts[reflect.TypeOf(f)] = f },
			AllObjectFacts: func() []analysis.ObjectFact {
				var out []analysis.ObjectFact
				for k, f := range objFacts {
					out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
				}
				return out
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var out []analysis.PackageFact
				for _, f := range pkgFacts {
					out = append(out, analysis.PackageFact{Package: pkg, Fact: f})
				}
				return out
			},
		}
		res, err := a.Run(pass)
		if err != nil {
			return fmt.Errorf("%s: %w", a.Name, err)
		}
		results[a] = res
		return nil
	}

	var errs []string
	for _, a := range analyzers {
		if err := run(a); err != nil {
			errs = append(errs, err.Error())
		}
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		return diags, fmt.Errorf("some passes failed: %v", errs)
	}
	return diags, nil
}

// reported is a diagnostic and the pass that reported it.
type reported struct {
	by *analysis.Analyzer
	analysis.Diagnostic
}
