// Package sleepsync defines an Analyzer that reports time.Sleep used in
// tests to wait for goroutines or results.
//
// # Analyzer sleepsync
//
// sleepsync: report time.Sleep in tests outside a synctest bubble
//
// A test that sleeps "long enough" for a goroutine to finish guesses at a
// timing it does not control. The guess that works on a laptop fails under
// -race, on a loaded CI runner or with -count=100, and every run waits the
// whole duration even when the work took a microsecond. Wait for the event
// itself: a channel, a sync.WaitGroup, or testing/synctest, where
// synctest.Wait blocks until every goroutine in the bubble is idle and
// time.Sleep advances a fake clock instantly and exactly.
//
// Reported: time.Sleep in a _test.go file inside a function with a
// *testing.T parameter, or in a closure without parameters in one (go
// func() {...}, t.Cleanup callbacks). Not reported: sleeps inside a
// synctest.Test bubble (including helpers only called from bubbles), in
// callbacks with parameters (a fake handler or job simulating a slow
// dependency), in loops (polling until a condition holds, or jitter in
// a stress test) and in helpers without a *testing.T parameter.
package sleepsync

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed sleepsync.md
var Page string

const doc = `report time.Sleep in test functions, outside testing/synctest bubbles

A sleep that waits "long enough" for goroutines is a guess: too short
flakes under -race or load, too long slows every run. Wait on a channel or
a sync.WaitGroup, or run the test in testing/synctest, where time.Sleep
moves a fake clock and synctest.Wait waits for the goroutines.`

// Analyzer reports sleeping tests; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "sleepsync",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

const message = "time.Sleep guesses how long the goroutines need: too short flakes under -race or load, too long slows every run; wait on a channel or sync.WaitGroup, or use testing/synctest where sleeps are exact and instant"

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "testing") || !match.Imports(pass.Pkg, "time") {
		return nil, nil
	}
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()

	// Bubbles: the callbacks given to synctest.Test (and the old
	// synctest.Run), or to a helper that passes its func parameter on to
	// it, as source ranges or as named functions.
	var calls []*ast.CallExpr
	for cur := range root.Preorder((*ast.CallExpr)(nil)) {
		calls = append(calls, cur.Node().(*ast.CallExpr))
	}
	var bubbles []ast.Node
	bubbleFuncs := make(map[types.Object]bool)
	wrappers := make(map[types.Object]int) // helper func -> index of its bubble parameter
	for changed := true; changed; {
		changed = false
		for _, call := range calls {
			fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if !ok {
				continue
			}
			idx, ok := wrappers[fn]
			if fn.Pkg() != nil && fn.Pkg().Path() == "testing/synctest" && (fn.Name() == "Test" || fn.Name() == "Run") {
				idx, ok = len(call.Args)-1, true
			}
			if !ok || idx < 0 || idx >= len(call.Args) {
				continue
			}
			switch f := ast.Unparen(call.Args[idx]).(type) {
			case *ast.FuncLit:
				if !slices.Contains(bubbles, ast.Node(f)) {
					bubbles = append(bubbles, f)
				}
			case *ast.Ident:
				switch obj := pass.TypesInfo.Uses[f].(type) {
				case *types.Func:
					bubbleFuncs[obj] = true
				case *types.Var: // a parameter of the enclosing helper?
					if helper, i := paramOf(pass, obj); helper != nil {
						if _, seen := wrappers[helper]; !seen {
							wrappers[helper] = i
							changed = true
						}
					}
				}
			}
		}
	}
	inBubble := func(pos token.Pos) bool {
		for _, b := range bubbles {
			if b.Pos() <= pos && pos < b.End() {
				return true
			}
		}
		return false
	}
	// onlyInBubbles reports whether fn is used, and only inside bubbles.
	onlyInBubbles := func(fn types.Object) bool {
		if bubbleFuncs[fn] {
			return true
		}
		used := false
		for id, obj := range pass.TypesInfo.Uses {
			if obj == fn {
				if !inBubble(id.Pos()) && !bubbleFuncs[fn] {
					return false
				}
				used = true
			}
		}
		return used
	}

	for file := range root.Children() {
		if !match.InTestFile(pass, file.Node().Pos()) {
			continue
		}
		for cur := range file.Preorder((*ast.CallExpr)(nil)) {
			call := cur.Node().(*ast.CallExpr)
			fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
			if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Name() != "Sleep" || inBubble(call.Pos()) {
				continue
			}
			if inTest(pass, cur, onlyInBubbles) {
				pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: message})
			}
		}
	}
	return nil, nil
}

// paramOf returns the function declaration whose parameter v is, and
// the parameter's index.
func paramOf(pass *analysis.Pass, v *types.Var) (types.Object, int) {
	for _, f := range pass.Files {
		if v.Pos() < f.FileStart || v.Pos() >= f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			decl, ok := d.(*ast.FuncDecl)
			if !ok || v.Pos() < decl.Type.Pos() || v.Pos() >= decl.Type.End() {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
			if !ok {
				return nil, 0
			}
			params := fn.Type().(*types.Signature).Params()
			for i := range params.Len() {
				if params.At(i) == v {
					return fn, i
				}
			}
		}
	}
	return nil, 0
}

// inTest reports whether the sleep at cur runs on behalf of a function
// with a *testing.T parameter: in it, or in parameterless closures in it.
func inTest(pass *analysis.Pass, cur inspector.Cursor, onlyInBubbles func(types.Object) bool) bool {
	for c := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil), (*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		switch f := c.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return false // polling until a condition holds, or jitter between operations
		case *ast.FuncLit:
			if hasTestingT(pass.TypesInfo, f.Type) {
				return true // a subtest: t.Run(name, func(t *testing.T) {...})
			}
			if f.Type.Params.NumFields() > 0 {
				return false // a callback (handler, job) simulating a slow dependency
			}
		case *ast.FuncDecl:
			if !hasTestingT(pass.TypesInfo, f.Type) {
				return false
			}
			obj := pass.TypesInfo.Defs[f.Name]
			return obj == nil || !onlyInBubbles(obj)
		}
	}
	return false
}

func hasTestingT(info *types.Info, ftype *ast.FuncType) bool {
	for _, field := range ftype.Params.List {
		p, ok := types.Unalias(info.TypeOf(field.Type)).(*types.Pointer)
		if !ok {
			continue
		}
		if match.Named(p.Elem(), "testing", "T") {
			return true
		}
	}
	return false
}
