// Package goexitmisuse defines an Analyzer that reports calls to methods
// that end in runtime.Goexit (a test's FailNow, Fatal, SkipNow...) from a
// goroutine other than the one they are meant to stop.
//
// # Analyzer goexitmisuse
//
// goexitmisuse: report Goexit-ending calls (FailNow, Fatal, Skip...) made inside a goroutine the test started
//
// runtime.Goexit ends the goroutine that calls it, and only that one. A
// test framework's FailNow marks the test failed and calls Goexit so that
// nothing after it in the test runs; called from a goroutine the test
// started, it ends that goroutine instead, and the test goes on past the
// failure (or waits forever for a result the goroutine will never send).
// go vet's testinggoroutine check knows testing.T; this pass finds the
// Goexit-ending functions of the package itself, so it also covers a
// framework's own T.
//
// A function ends in Goexit when its body calls runtime.Goexit, a testing
// FailNow/Fatal/Fatalf/SkipNow/Skip/Skipf, or another such function of
// the package, as a statement of its own (not under an if): FailNow,
// Fatal, Fatalf and friends. A helper may stop its *T when it calls one of
// those on a *T parameter, under a condition or not (must(t, err)).
//
// The Ts are the receiver types of such methods that test bodies receive:
// a func-typed parameter, field or type of the package takes one
// (fn func(*T)). A worker type whose own method calls Goexit to end the
// worker's goroutine is not a T.
//
// Reported: inside a func literal started by go, sync.WaitGroup.Go,
// errgroup's Go/TryGo or time.AfterFunc, a call of a Goexit-ending method
// on a T variable declared outside the literal, or of a helper given such
// a variable; and go t.FailNow() or go helper(t) themselves. Not
// reported: calls on a T the goroutine created, goroutines that run a test
// body with the T they stop (a runner's own goroutine: fn(t) in the same
// literal, or a go'd function that takes a func(*T)), calls in nested func
// literals that the goroutine does not run itself, and the testing
// package's own methods, which go vet's testinggoroutine already reports.
package goexitmisuse

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed goexitmisuse.md
var Page string

const doc = `report Goexit-ending calls (FailNow, Fatal, Skip...) made inside a goroutine the test started

runtime.Goexit stops only the goroutine that calls it. A FailNow or Fatal
that ends in Goexit, called from a goroutine the test started, stops that
goroutine and not the test, which carries on past the failure. The pass
finds the package's own Goexit-ending methods (a framework's T), not only
testing.T's.`

// Analyzer reports Goexit-ending calls in the wrong goroutine; see the
// package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "goexitmisuse",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// testingExits are the methods of package testing that end in Goexit.
var testingExits = map[string]bool{
	"FailNow": true, "Fatal": true, "Fatalf": true, "SkipNow": true, "Skip": true, "Skipf": true,
}

type checker struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	// exits: the package's functions that always end in Goexit.
	exits map[*types.Func]bool
	// subjects: the types whose values such functions stop (the
	// receivers of exiting methods, and testing's T, B, F, TB).
	subjects []types.Type
	// helpers: the package's functions that may stop a *T parameter.
	helpers map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	c := &checker{pass: pass, decls: match.FuncDecls(pass), exits: map[*types.Func]bool{}, helpers: map[*types.Func]bool{}}
	c.findExits()
	c.findHelpers()
	if len(c.exits) == 0 && len(c.helpers) == 0 {
		return nil, nil
	}

	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for cur := range root.Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				c.checkRegion(lit, "go")
			} else {
				c.checkGoCall(n)
			}
		case *ast.CallExpr:
			if what := asyncStarter(pass, n); what != "" {
				for _, a := range n.Args {
					if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
						c.checkRegion(lit, what)
					}
				}
			}
		}
	}
	return nil, nil
}

// callee returns the package function or method a call statically
// invokes (the generic origin), or nil.
func (c *checker) callee(call *ast.CallExpr) *types.Func {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// exiting reports whether a call always ends its goroutine: runtime.Goexit,
// testing's FailNow and friends, or a package function in exits.
func (c *checker) exiting(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "runtime":
		return fn.Name() == "Goexit"
	case "testing":
		return testingExits[fn.Name()] && fn.Signature().Recv() != nil
	}
	return c.exits[fn.Origin()]
}

// findExits computes, to a fixed point, the package functions whose body
// calls an exiting function as one of its own statements.
func (c *checker) findExits() {
	for changed := true; changed; {
		changed = false
		for fn, fd := range c.decls {
			if c.exits[fn] {
				continue
			}
			for _, s := range fd.Body.List {
				es, ok := s.(*ast.ExprStmt)
				if !ok {
					continue
				}
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && c.exiting(call) {
					c.exits[fn] = true
					changed = true
					break
				}
			}
		}
	}
	bodies := c.bodyTypes()
	for fn := range c.exits {
		if recv := fn.Signature().Recv(); recv != nil && bodies[typeName(recv.Type())] {
			c.subjects = append(c.subjects, recv.Type())
		}
	}
}

// typeName returns the (origin) type name of a named type or a pointer to
// one, or nil.
func typeName(t types.Type) *types.TypeName {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin().Obj()
	}
	return nil
}

// bodyTypes returns the types that test bodies receive: the parameter
// types of the package's func-typed parameters, fields, variables and
// named func types (fn func(*T), Fn func(*T, any), type Body func(*T)).
// Only such a type's Goexit is a test's: a worker's own
// func (w *worker) quit() { runtime.Goexit() } is meant to end the
// goroutine that calls it.
func (c *checker) bodyTypes() map[*types.TypeName]bool {
	out := map[*types.TypeName]bool{}
	for _, obj := range c.pass.TypesInfo.Defs {
		var t types.Type
		switch obj := obj.(type) {
		case *types.Var:
			t = obj.Type()
		case *types.TypeName:
			t = obj.Type()
		default:
			continue
		}
		sig, ok := t.Underlying().(*types.Signature)
		if !ok {
			continue
		}
		for p := range sig.Params().Variables() {
			if tn := typeName(p.Type()); tn != nil {
				out[tn] = true
			}
		}
	}
	return out
}

// isSubject reports whether t is (a pointer to) a type an exiting method
// stops, or testing's T, B, F or TB.
func (c *checker) isSubject(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	for _, name := range []string{"T", "B", "F", "TB"} {
		if match.Named(t, "testing", name) {
			return true
		}
	}
	for _, s := range c.subjects {
		if p, ok := s.Underlying().(*types.Pointer); ok {
			s = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			if sn, ok := types.Unalias(s).(*types.Named); ok && n.Origin() == sn.Origin() {
				return true
			}
		}
	}
	return false
}

// runsBodies reports whether a signature takes a test body: a func whose
// parameters include a subject type. A function that does is a runner,
// whose goroutine is the test's own.
func (c *checker) runsBodies(sig *types.Signature) bool {
	for p := range sig.Params().Variables() {
		if fs, ok := p.Type().Underlying().(*types.Signature); ok {
			for q := range fs.Params().Variables() {
				if c.isSubject(q.Type()) {
					return true
				}
			}
		}
	}
	return false
}

// findHelpers computes, to a fixed point, the package functions that may
// stop one of their T parameters: they call an exiting function, or
// another helper, on it (must(t, err), t.Fatal under an if). Methods of a
// T itself and runners are not helpers.
func (c *checker) findHelpers() {
	for changed := true; changed; {
		changed = false
		for fn, fd := range c.decls {
			if c.exits[fn] || c.helpers[fn] || c.runsBodies(fn.Signature()) {
				continue
			}
			params := map[*types.Var]bool{}
			for p := range fn.Signature().Params().Variables() {
				params[p] = true // t *T, or f *fixture holding one
			}
			if len(params) == 0 {
				continue
			}
			found := false
			inspectRun(fd.Body, func(call *ast.CallExpr) {
				if found || !c.stops(call) {
					return
				}
				for _, sub := range c.subjectsOf(call) {
					if params[sub.root] {
						found = true
					}
				}
			})
			if found {
				c.helpers[fn] = true
				changed = true
			}
		}
	}
}

// stops reports whether a call may stop the goroutine: an exiting call
// or a helper.
func (c *checker) stops(call *ast.CallExpr) bool {
	return c.exiting(call) || c.helpers[c.callee(call)]
}

// subject is a T a call acts on: the expression and its root variable.
type subject struct {
	expr string
	root *types.Var
}

// subjectsOf returns the Ts a call acts on: its receiver and arguments of
// a subject type that are rooted at a variable (t, f.t, &t).
func (c *checker) subjectsOf(call *ast.CallExpr) []subject {
	var exprs []ast.Expr
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
			exprs = append(exprs, sel.X)
		}
	}
	exprs = append(exprs, call.Args...)
	var subs []subject
	for _, e := range exprs {
		if t := c.pass.TypesInfo.TypeOf(e); t == nil || !c.isSubject(t) {
			continue
		}
		if v := rootVar(c.pass.TypesInfo, e); v != nil {
			subs = append(subs, subject{types.ExprString(e), v})
		}
	}
	return subs
}

// rootVar returns the variable an expression is rooted at: t, t.parent,
// *t, &t.
func rootVar(info *types.Info, e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			return v
		case *ast.SelectorExpr:
			if s, ok := info.Selections[x]; !ok || s.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

// inspectRun calls f for each call in body that runs when body runs:
// nested func literals are skipped unless called or deferred on the spot.
func inspectRun(body *ast.BlockStmt, f func(*ast.CallExpr)) {
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			return false // another goroutine: checked on its own
		case *ast.CallExpr:
			f(n)
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				inspectRun(lit.Body, f) // func() { ... }() and defer func() { ... }()
			}
		}
		return true
	})
}

// asyncStarter names a call that runs its func argument in a new
// goroutine: sync.WaitGroup.Go, errgroup.Group.Go/TryGo, time.AfterFunc.
func asyncStarter(pass *analysis.Pass, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	recv := fn.Signature().Recv()
	switch {
	case fn.Pkg().Path() == "time" && fn.Name() == "AfterFunc" && recv == nil:
		return "time.AfterFunc"
	case fn.Pkg().Path() == "sync" && fn.Name() == "Go" && recv != nil && match.NamedOrPointer(recv.Type(), "sync", "WaitGroup"):
		return "wg.Go"
	case fn.Pkg().Path() == "golang.org/x/sync/errgroup" && (fn.Name() == "Go" || fn.Name() == "TryGo") && recv != nil:
		return "errgroup's " + fn.Name()
	}
	return ""
}

// checkRegion reports the stopping calls in a func literal run as a new
// goroutine, on T variables declared outside it.
func (c *checker) checkRegion(lit *ast.FuncLit, how string) {
	outside := func(v *types.Var) bool { return v.Pos() < lit.Pos() || v.Pos() >= lit.End() }
	// A runner's goroutine hands its T to a test body: fn(t), c.Fn(t, x).
	handed := map[*types.Var]bool{}
	inspectRun(lit.Body, func(call *ast.CallExpr) {
		var id *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		}
		if id == nil {
			return
		}
		if _, ok := c.pass.TypesInfo.Uses[id].(*types.Var); !ok {
			return // a declared function or a method: not a test body
		}
		for _, a := range call.Args {
			if v := rootVar(c.pass.TypesInfo, a); v != nil {
				handed[v] = true
			}
		}
	})
	inspectRun(lit.Body, func(call *ast.CallExpr) {
		fn := c.callee(call)
		if fn == nil || !c.exits[fn] && !c.helpers[fn] {
			return // testing's own methods are vet's testinggoroutine's
		}
		for _, sub := range c.subjectsOf(call) {
			if outside(sub.root) && !handed[sub.root] {
				c.report(call, fn, sub.expr, how)
				return
			}
		}
	})
}

// checkGoCall reports go t.FailNow() and go helper(t).
func (c *checker) checkGoCall(g *ast.GoStmt) {
	fn := c.callee(g.Call)
	if fn == nil || c.runsBodies(fn.Signature()) {
		return
	}
	if c.exits[fn] {
		c.pass.Report(analysis.Diagnostic{
			Pos: g.Pos(), End: g.End(),
			Message: fmt.Sprintf("go %s: %s ends in runtime.Goexit, which here stops only the new goroutine, not the test; call it from the test's goroutine",
				types.ExprString(g.Call.Fun), fn.Name()),
		})
		return
	}
	if c.helpers[fn] {
		if vs := c.subjectsOf(g.Call); len(vs) > 0 {
			c.pass.Report(analysis.Diagnostic{
				Pos: g.Pos(), End: g.End(),
				Message: fmt.Sprintf("go %s: %s may stop %s with runtime.Goexit (FailNow, Fatal...), which in a new goroutine stops only that goroutine while the test carries on; run it in the test's goroutine or have it return an error",
					types.ExprString(g.Call.Fun), fn.Name(), vs[0].expr),
			})
		}
	}
}

func (c *checker) report(call *ast.CallExpr, fn *types.Func, t, how string) {
	name := types.ExprString(call.Fun)
	var msg string
	if c.exits[fn] {
		msg = fmt.Sprintf("%s ends in runtime.Goexit, which stops only the goroutine started by %s, not the test: the test carries on past the failure; use %s.Errorf (or send the error back) and stop the test from its own goroutine",
			name, how, t)
	} else {
		msg = fmt.Sprintf("%s may stop %s with runtime.Goexit (FailNow, Fatal...), which inside the goroutine started by %s stops only that goroutine: the test carries on past the failure; return the error and fail the test from its own goroutine",
			name, t, how)
	}
	c.pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: msg})
}
