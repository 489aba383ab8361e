// Package deferloop defines an Analyzer that reports defer statements
// directly inside loops.
//
// # Analyzer deferloop
//
// deferloop: report defer directly inside a for or range loop
//
// A deferred call runs when the surrounding function returns, not at the
// end of the loop iteration. A loop that opens a file, takes a lock or
// starts a transaction and defers its release keeps every one of them
// until the function returns: file descriptors run out, the second Lock
// of the same mutex deadlocks, connections pile up. The remedy is to move
// the loop body into its own function (or func literal), so the defer
// runs once per iteration.
//
// Not reported: defers inside a func literal in the loop; defers followed
// in the same block by return, panic or a break out of the loop (the
// deferred call then runs at most once); and defers of values the loop is
// collecting on purpose to keep them all alive until return: the range
// variable itself (for _, f := range files { defer f.Close() }) or a
// value that is also appended or stored outside the iteration (opening
// every input of a k-way merge).
package deferloop

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed deferloop.md
var Page string

const doc = `report defer statements directly inside a for or range loop

A deferred call runs when the function returns, not at the end of the
iteration: every iteration's file, lock or connection stays held until
then. Move the loop body into a function so each defer runs per iteration.`

// Analyzer reports defers in loops; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "deferloop",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for cur := range root.Preorder((*ast.DeferStmt)(nil)) {
		check(pass, cur, cur.Node().(*ast.DeferStmt))
	}
	return nil, nil
}

func check(pass *analysis.Pass, cur inspector.Cursor, d *ast.DeferStmt) {
	// Find the innermost loop, unless a function boundary comes first.
	var loop inspector.Cursor
	switched := false // a switch or select between the defer and the loop captures "break"
	for c := range cur.Parent().Enclosing() {
		switch c.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			switched = true
		case *ast.ForStmt, *ast.RangeStmt:
			loop = c
		}
		if loop.Valid() {
			break
		}
	}
	if !loop.Valid() {
		return
	}
	if runsOnce(pass, cur, loop, switched) || keptAlive(pass, d, loop) {
		return
	}
	pass.Report(analysis.Diagnostic{
		Pos: d.Pos(),
		End: d.End(),
		Message: fmt.Sprintf("defer %s in a loop runs only when the function returns, so every iteration's resource stays held until then: move the loop body into a function, or call it at the end of the iteration",
			types.ExprString(d.Call.Fun)),
	})
}

// runsOnce reports whether a statement after the defer in its own block
// leaves the loop (return, panic, or break out of it), so the defer is
// registered at most once.
func runsOnce(pass *analysis.Pass, cur, loop inspector.Cursor, switched bool) bool {
	var list []ast.Stmt
	switch p := cur.Parent().Node().(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	}
	// Labels of the loop and of the statements around it: break L leaves the loop.
	labels := make(map[string]bool)
	for c := range loop.Enclosing((*ast.LabeledStmt)(nil)) {
		labels[c.Node().(*ast.LabeledStmt).Label.Name] = true
	}
	after := false
	for _, s := range list {
		if s == cur.Node() {
			after = true
			continue
		}
		if !after {
			continue
		}
		switch s := s.(type) {
		case *ast.ReturnStmt:
			return true
		case *ast.ExprStmt:
			if call, ok := s.X.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
					if b, ok := pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
						return true
					}
				}
			}
		case *ast.BranchStmt:
			if s.Tok == token.BREAK && (s.Label == nil && !switched || s.Label != nil && labels[s.Label.Name]) {
				return true
			}
		}
	}
	return false
}

// keptAlive reports whether the deferred call releases something the loop
// deliberately keeps until return: the range variable, or a value that is
// also stored outside the iteration.
func keptAlive(pass *analysis.Pass, d *ast.DeferStmt, loop inspector.Cursor) bool {
	// The loop's own variables that the deferred call refers to.
	l := loop.Node()
	objs := make(map[types.Object]bool)
	ast.Inspect(d.Call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := pass.TypesInfo.Uses[id].(*types.Var); ok && !v.IsField() && l.Pos() <= v.Pos() && v.Pos() < l.End() {
				objs[v] = true
			}
		}
		return true
	})
	if len(objs) == 0 {
		return false
	}
	if r, ok := l.(*ast.RangeStmt); ok {
		for _, e := range []ast.Expr{r.Key, r.Value} {
			if id, ok := e.(*ast.Ident); ok && objs[pass.TypesInfo.ObjectOf(id)] {
				return true
			}
		}
	}
	body := loopBody(l)
	inLoop := func(obj types.Object) bool { return body.Pos() <= obj.Pos() && obj.Pos() < body.End() }
	uses := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && objs[pass.TypesInfo.Uses[id]] {
				found = true
			}
			return !found
		})
		return found
	}
	escapes := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr: // append(all, f)
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "append" {
					for _, a := range n.Args[1:] {
						escapes = escapes || uses(a)
					}
				}
			}
		case *ast.CompositeLit: // []io.Reader{f}, &merger{f}
			for _, e := range n.Elts {
				escapes = escapes || uses(e)
			}
		case *ast.SendStmt: // ch <- f
			escapes = escapes || uses(n.Value)
		case *ast.AssignStmt: // readers[i] = f, last = f
			if len(n.Lhs) != len(n.Rhs) {
				break
			}
			for i, lhs := range n.Lhs {
				if !uses(n.Rhs[i]) {
					continue
				}
				if id, ok := lhs.(*ast.Ident); ok {
					if obj := pass.TypesInfo.ObjectOf(id); obj != nil && (n.Tok == token.DEFINE && pass.TypesInfo.Defs[id] != nil || inLoop(obj)) {
						continue // a local of the iteration
					}
				}
				escapes = true
			}
		}
		return !escapes
	})
	return escapes
}

func loopBody(n ast.Node) *ast.BlockStmt {
	switch n := n.(type) {
	case *ast.ForStmt:
		return n.Body
	case *ast.RangeStmt:
		return n.Body
	}
	return nil
}
