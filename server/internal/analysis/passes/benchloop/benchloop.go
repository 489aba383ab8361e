// Package benchloop defines an Analyzer that reports benchmarks looping
// over b.N instead of using b.Loop.
//
// # Analyzer benchloop
//
// benchloop: report for i := 0; i < b.N; i++ loops in benchmarks
//
// testing.B.Loop (Go 1.24) replaces the b.N loop. With b.N, the testing
// package calls the benchmark function several times with growing N, so
// setup before the loop runs again each time and must be excluded with
// b.ResetTimer by hand; and the compiler may optimize away a call whose
// result is unused, so the benchmark measures nothing. With for b.Loop()
// the function runs once, only the loop is timed, and calls in the loop
// are kept alive.
//
// Reported: for i := 0; i < b.N; i++, for range b.N and for i := range
// b.N in a function with a *testing.B parameter b, in files whose Go
// version allows b.Loop. The suggested fix rewrites the header to for
// b.Loop() when the loop variable is not used in the body, the function
// has a single b.N loop and uses b.N nowhere else.
package benchloop

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed benchloop.md
var Page string

const doc = `report benchmarks that loop over b.N instead of using for b.Loop()

With b.N the benchmark function runs several times, so its setup is
repeated and must be excluded from the timing by hand, and the compiler may
drop a measured call whose result is unused. for b.Loop() (Go 1.24) runs
the setup once, times only the loop and keeps the calls in it.`

// Analyzer reports b.N loops; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "benchloop",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

const message = "benchmark loop over b.N: use for b.Loop(), which runs the setup once, times only the loop and keeps the compiler from optimizing the measured calls away"

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "testing") {
		return nil, nil
	}
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for file := range root.Children() {
		f := file.Node().(*ast.File)
		if v := pass.TypesInfo.FileVersions[f]; v != "" && version.Compare(v, "go1.24") < 0 {
			continue // b.Loop does not exist yet
		}
		for cur := range file.Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			var ftype *ast.FuncType
			var body *ast.BlockStmt
			switch n := cur.Node().(type) {
			case *ast.FuncDecl:
				ftype, body = n.Type, n.Body
			case *ast.FuncLit:
				ftype, body = n.Type, n.Body
			}
			if b := benchParam(pass.TypesInfo, ftype); b != nil && body != nil {
				checkFunc(pass, cur, b)
			}
		}
	}
	return nil, nil
}

// A bLoop is a loop over b.N: its loop variable (nil for for range b.N),
// the header span a fix replaces, and the text of b.
type bLoop struct {
	stmt     ast.Stmt
	iv       types.Object
	from, to token.Pos
	body     *ast.BlockStmt
	b        string
}

// checkFunc reports the b.N loops of fn that belong to it (not to a
// nested func literal).
func checkFunc(pass *analysis.Pass, fn inspector.Cursor, b *types.Var) {
	var loops []bLoop
	for c := range fn.Preorder((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		if owner(c) != fn {
			continue
		}
		if l, ok := matchLoop(pass, c.Node(), b); ok {
			loops = append(loops, l)
		}
	}
	// b.N used outside the loop header (sizing data before the loop, say)
	// is not what it was once b.Loop drives the benchmark: no fix then.
	bN := 0
	for c := range fn.Preorder((*ast.SelectorExpr)(nil)) {
		if isBN(pass, c.Node().(*ast.SelectorExpr), b) {
			bN++
		}
	}
	for _, l := range loops {
		diag := analysis.Diagnostic{Pos: l.stmt.Pos(), End: l.body.Lbrace, Message: message}
		if len(loops) == 1 && bN == 1 && (l.iv == nil || !used(pass, l.body, l.iv)) {
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   "Use for b.Loop()",
				TextEdits: []analysis.TextEdit{{Pos: l.from, End: l.to, NewText: []byte(l.b + ".Loop()")}},
			}}
		}
		pass.Report(diag)
	}
}

// matchLoop recognises for i := 0; i < b.N; i++, for range b.N and
// for i := range b.N.
func matchLoop(pass *analysis.Pass, n ast.Node, b *types.Var) (bLoop, bool) {
	switch n := n.(type) {
	case *ast.ForStmt:
		init, ok := n.Init.(*ast.AssignStmt)
		if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
			return bLoop{}, false
		}
		i, ok := init.Lhs[0].(*ast.Ident)
		if zero, ok2 := init.Rhs[0].(*ast.BasicLit); !ok || !ok2 || zero.Value != "0" {
			return bLoop{}, false
		}
		cond, ok := n.Cond.(*ast.BinaryExpr)
		if !ok || cond.Op != token.LSS || !isIdent(pass, cond.X, pass.TypesInfo.Defs[i]) || !isBN(pass, cond.Y, b) {
			return bLoop{}, false
		}
		post, ok := n.Post.(*ast.IncDecStmt)
		if !ok || post.Tok != token.INC || !isIdent(pass, post.X, pass.TypesInfo.Defs[i]) {
			return bLoop{}, false
		}
		return bLoop{stmt: n, iv: pass.TypesInfo.Defs[i], from: n.Init.Pos(), to: n.Post.End(), body: n.Body,
			b: types.ExprString(cond.Y.(*ast.SelectorExpr).X)}, true
	case *ast.RangeStmt:
		if n.Value != nil || !isBN(pass, n.X, b) {
			return bLoop{}, false
		}
		l := bLoop{stmt: n, from: n.Range, to: n.X.End(), body: n.Body, b: types.ExprString(n.X.(*ast.SelectorExpr).X)}
		if n.Key != nil {
			id, ok := n.Key.(*ast.Ident)
			if !ok || n.Tok != token.DEFINE {
				return bLoop{}, false
			}
			l.from = n.Key.Pos()
			if id.Name != "_" {
				l.iv = pass.TypesInfo.Defs[id]
			}
		}
		return l, true
	}
	return bLoop{}, false
}

// isBN reports whether e is b.N for the benchmark parameter b.
func isBN(pass *analysis.Pass, e ast.Expr, b *types.Var) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "N" && isIdent(pass, sel.X, b)
}

func isIdent(pass *analysis.Pass, e ast.Expr, obj types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && obj != nil && pass.TypesInfo.Uses[id] == obj
}

// used reports whether body refers to obj.
func used(pass *analysis.Pass, body ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == obj {
			found = true
		}
		return !found
	})
	return found
}

// owner returns the innermost function enclosing the loop at c.
func owner(c inspector.Cursor) inspector.Cursor {
	for f := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return f
	}
	return inspector.Cursor{}
}

// benchParam returns the *testing.B parameter of ftype, if any.
func benchParam(info *types.Info, ftype *ast.FuncType) *types.Var {
	for _, field := range ftype.Params.List {
		p, ok := types.Unalias(info.TypeOf(field.Type)).(*types.Pointer)
		if !ok {
			continue
		}
		n, ok := types.Unalias(p.Elem()).(*types.Named)
		if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "testing" || n.Obj().Name() != "B" {
			continue
		}
		for _, name := range field.Names {
			if v, ok := info.Defs[name].(*types.Var); ok && name.Name != "_" {
				return v
			}
		}
	}
	return nil
}
