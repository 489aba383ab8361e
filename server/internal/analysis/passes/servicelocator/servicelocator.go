// Package servicelocator defines an Analyzer that reports code pulling its
// dependencies out of a dependency-injection container (Resolve, Invoke)
// instead of receiving them, away from the composition root.
package servicelocator

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed servicelocator.md
var Page string

const doc = `report Resolve and Invoke on a DI container outside the composition root

A container belongs to one place, the composition root (usually main),
that builds the object graph and hands out the top-level objects. Code
that calls Resolve or Invoke anywhere else uses the container as a
service locator: its dependencies are hidden in function bodies, its
tests need a container, and a missing dependency shows up at run time in
the middle of a request instead of at startup. A container is a named
type whose methods include Provide or Register and Resolve or Invoke
(the d03 container, go.uber.org/dig); the pass reports calls of its
Resolve, Invoke, MustResolve or MustInvoke methods, and of package-level
functions of those names that take the container (di.Resolve[T](ctx, c)).
Calls are not reported in package main, in the file that wires the
container (a file that calls its Provide, Register or Decorate, or a
function of its package that returns a new one), in _test.go files, or
in the container's own package.`

// Analyzer reports service-locator calls; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "servicelocator",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

var (
	locate = map[string]bool{"Resolve": true, "Invoke": true, "MustResolve": true, "MustInvoke": true}
	wire   = map[string]bool{"Provide": true, "Register": true, "Decorate": true}
)

func run(pass *analysis.Pass) (any, error) {
	if pass.Pkg.Name() == "main" {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	type finding struct {
		call      *ast.CallExpr
		fn        *types.Func
		container *types.Named
	}
	var (
		found []finding
		roots = map[*token.File]bool{} // files that wire a container
	)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok || fn.Pkg() == nil {
			continue
		}
		file := pass.Fset.File(call.Pos())
		if wires(fn) {
			roots[file] = true
			continue
		}
		if !locate[fn.Name()] || match.InTestFile(pass, call.Pos()) {
			continue
		}
		n := containerOf(fn)
		if n == nil || n.Obj().Pkg() == pass.Pkg {
			continue // the container's own implementation
		}
		found = append(found, finding{call, fn, n})
	}
	for _, f := range found {
		if roots[pass.Fset.File(f.call.Pos())] {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:     f.call.Pos(),
			End:     f.call.End(),
			Message: message(pass, f.call, f.fn, f.container),
		})
	}
	return nil, nil
}

// wires reports whether fn builds a container: a Provide, Register or
// Decorate method of one, or a function of a container's package that
// returns a new container.
func wires(fn *types.Func) bool {
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		return wire[fn.Name()] && isContainer(named(recv.Type()))
	}
	res := sig.Results()
	for i := range res.Len() {
		if n := named(res.At(i).Type()); n != nil && n.Obj().Pkg() == fn.Pkg() && isContainer(n) {
			return true
		}
	}
	return false
}

// containerOf returns the container type fn resolves from: the receiver
// of a Resolve/Invoke method, or the container parameter of a
// package-level Resolve/Invoke function of the container's package.
func containerOf(fn *types.Func) *types.Named {
	sig := fn.Signature()
	if recv := sig.Recv(); recv != nil {
		if n := named(recv.Type()); isContainer(n) {
			return n
		}
		return nil
	}
	params := sig.Params()
	for i := range params.Len() {
		if n := named(params.At(i).Type()); n != nil && n.Obj().Pkg() == fn.Pkg() && isContainer(n) {
			return n
		}
	}
	return nil
}

// named returns the named type t or *t denotes, or nil.
func named(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// isContainer reports whether n is a DI container: its methods (on n or
// *n) include Provide or Register, and Resolve or Invoke; or it has
// Provide or Register and its package has a Resolve function taking it.
func isContainer(n *types.Named) bool {
	if n == nil || n.Obj().Pkg() == nil {
		return false
	}
	if _, ok := n.Underlying().(*types.Interface); ok {
		return false
	}
	ms := types.NewMethodSet(types.NewPointer(n))
	has := func(names ...string) bool {
		for _, name := range names {
			if sel := ms.Lookup(n.Obj().Pkg(), name); sel != nil {
				if _, ok := sel.Obj().(*types.Func); ok {
					return true
				}
			}
		}
		return false
	}
	if !has("Provide", "Register") {
		return false
	}
	if has("Resolve", "Invoke") {
		return true
	}
	for _, name := range []string{"Resolve", "MustResolve"} {
		fn, ok := n.Obj().Pkg().Scope().Lookup(name).(*types.Func)
		if !ok {
			continue
		}
		params := fn.Signature().Params()
		for i := range params.Len() {
			if named(params.At(i).Type()) == n {
				return true
			}
		}
	}
	return false
}

func message(pass *analysis.Pass, call *ast.CallExpr, fn *types.Func, n *types.Named) string {
	qual := func(p *types.Package) string {
		if p == pass.Pkg {
			return ""
		}
		return p.Name()
	}
	what := fn.Name()
	if fn.Signature().Recv() == nil {
		what = fn.Pkg().Name() + "." + fn.Name()
	} else {
		what = types.TypeString(n, qual) + "." + fn.Name()
	}
	need := "what it needs"
	if inst, ok := pass.TypesInfo.Instances[funcIdent(call.Fun)]; ok && inst.TypeArgs.Len() == 1 {
		t := types.TypeString(inst.TypeArgs.At(0), qual)
		what += "[" + t + "]"
		need = t
	}
	// Invoke(ctx, func(db *DB, log Logger) {...}): name the parameters.
	for _, a := range call.Args {
		sig, ok := pass.TypesInfo.TypeOf(a).(*types.Signature)
		if !ok || sig.Params().Len() == 0 {
			continue
		}
		var ts []string
		for i := range sig.Params().Len() {
			if t := sig.Params().At(i).Type(); !match.Named(t, "context", "Context") {
				ts = append(ts, types.TypeString(t, qual))
			}
		}
		if len(ts) > 0 {
			need = strings.Join(ts, ", ")
		}
		break
	}
	return fmt.Sprintf("%s in package %s uses the container as a service locator, hiding a dependency and deferring a missing one to run time: "+
		"take %s as a constructor parameter and resolve only in main (the composition root)", what, pass.Pkg.Name(), need)
}

// funcIdent returns the identifier naming the function of a call:
// Resolve, di.Resolve, di.Resolve[T].
func funcIdent(fun ast.Expr) *ast.Ident {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr:
		return funcIdent(f.X)
	case *ast.IndexListExpr:
		return funcIdent(f.X)
	}
	return nil
}
