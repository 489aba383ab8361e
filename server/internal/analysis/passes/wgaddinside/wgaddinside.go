// Package wgaddinside defines an Analyzer that reports sync.WaitGroup.Add
// calls made inside the goroutine they are meant to count.
package wgaddinside

import (
	"bytes"
	_ "embed"
	"go/ast"
	"go/constant"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

//go:embed wgaddinside.md
var Page string

const doc = `report wg.Add called inside the goroutine it counts

A WaitGroup only works if Add happens before Wait can observe the
counter. When the Add is the goroutine's own first act (go func() {
wg.Add(1); defer wg.Done(); ... }()), the spawning code may reach
wg.Wait while the counter is still zero, so Wait returns before the
work has even started. The pass reports an Add in a goroutine started
with a func literal when that Add counts the goroutine itself: it is
the goroutine's first statement, or the goroutine calls Done on the same
WaitGroup, and the goroutine is not already counted by an Add just
before the go statement. Adds in loops or next to nested go statements
(a counted worker adding for the work it spawns) are not reported.
When the Add is the first statement and only uses variables from
outside the goroutine, a fix moves it before the go statement.`

var Analyzer = &analysis.Analyzer{
	Name:     "wgaddinside",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

const message = "wg.Add inside the goroutine it counts races with wg.Wait: call Add before the go statement (or use wg.Go)"

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync") {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.GoStmt)(nil)) {
		gostmt := cur.Node().(*ast.GoStmt)
		lit, ok := ast.Unparen(gostmt.Call.Fun).(*ast.FuncLit)
		if !ok || lit.Body == nil {
			continue
		}
		checkGoroutine(pass, cur, gostmt, lit)
	}
	return nil, nil
}

// wgCall describes a call to a sync.WaitGroup method.
type wgCall struct {
	call   *ast.CallExpr
	method string
	recv   ast.Expr // the WaitGroup expression (receiver of the selector)
	key    string   // identity of the WaitGroup variable, "" if unknown
}

func checkGoroutine(pass *analysis.Pass, cur inspector.Cursor, gostmt *ast.GoStmt, lit *ast.FuncLit) {
	var (
		adds      []*ast.ExprStmt // direct statements of the goroutine (outside loops and nested funcs)
		dones     = map[string]bool{}
		nestedGo  bool
		loopDepth int
	)
	// Collect Done calls anywhere except in nested goroutines, and Add
	// statements that belong to the goroutine itself.
	var walk func(n ast.Node, inFunc bool)
	walk = func(n ast.Node, inFunc bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				nestedGo = true
				return false
			case *ast.FuncLit:
				walk(n.Body, true)
				return false
			case *ast.ForStmt, *ast.RangeStmt:
				loopDepth++
				var body *ast.BlockStmt
				if f, ok := n.(*ast.ForStmt); ok {
					body = f.Body
				} else {
					body = n.(*ast.RangeStmt).Body
				}
				walk(body, inFunc)
				loopDepth--
				return false
			case *ast.ExprStmt:
				if c, ok := wgMethod(pass, n.X); ok && c.method == "Add" && !inFunc && loopDepth == 0 {
					adds = append(adds, n)
				}
			case *ast.CallExpr:
				if c, ok := wgMethod(pass, n); ok && c.method == "Done" && c.key != "" {
					dones[c.key] = true
				}
			}
			return true
		})
	}
	walk(lit.Body, false)
	if nestedGo || len(adds) == 0 {
		return
	}

	for _, stmt := range adds {
		c, _ := wgMethod(pass, stmt.X)
		if c.key == "" || declaredWithin(pass, c.recv, lit) && !isParam(pass, c.recv, lit) {
			continue // a WaitGroup local to the goroutine counts its own work
		}
		if len(c.call.Args) == 1 {
			if tv, ok := pass.TypesInfo.Types[c.call.Args[0]]; ok && tv.Value != nil {
				if v, ok := constant.Int64Val(tv.Value); !ok || v <= 0 {
					continue // Add(-1) is a Done
				}
			}
		}
		first := len(lit.Body.List) > 0 && lit.Body.List[0] == stmt
		if !first && !dones[c.key] {
			continue
		}
		if countedBefore(pass, cur, gostmt, lit, c) {
			continue // the goroutine is already counted; its Add is for other work
		}
		d := analysis.Diagnostic{Pos: c.call.Pos(), End: c.call.End(), Message: message}
		if first {
			if fix, ok := moveFix(pass, cur, gostmt, lit, stmt); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		pass.Report(d)
	}
}

// countedBefore reports whether a statement preceding the go statement in
// its block calls Add on the same WaitGroup, so the goroutine already runs
// with a positive counter.
func countedBefore(pass *analysis.Pass, cur inspector.Cursor, gostmt *ast.GoStmt, lit *ast.FuncLit, inner wgCall) bool {
	outerKey := inner.key
	if isParam(pass, inner.recv, lit) {
		// go func(wg *sync.WaitGroup) { wg.Add(1) ... }(&wg): follow the argument.
		arg := argumentFor(pass, gostmt, lit, inner.recv)
		if arg == nil {
			return true // unknown: stay quiet
		}
		outerKey = wgKey(pass, arg)
		if outerKey == "" {
			return true
		}
	}
	for c := cur; ; {
		prev, ok := c.PrevSibling()
		if !ok {
			break
		}
		c = prev
		found := false
		ast.Inspect(prev.Node(), func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok {
				if w, ok := wgMethod(pass, call); ok && w.method == "Add" && w.key == outerKey {
					found = true
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// moveFix moves the Add statement from the start of the goroutine to just
// before the go statement, when that is a pure move.
func moveFix(pass *analysis.Pass, cur inspector.Cursor, gostmt *ast.GoStmt, lit *ast.FuncLit, stmt *ast.ExprStmt) (analysis.SuggestedFix, bool) {
	if _, ok := cur.Parent().Node().(*ast.BlockStmt); !ok {
		if _, ok := cur.Parent().Node().(*ast.CaseClause); !ok {
			if _, ok := cur.Parent().Node().(*ast.CommClause); !ok {
				return analysis.SuggestedFix{}, false
			}
		}
	}
	// Every identifier in the statement must be declared outside the goroutine.
	local := false
	ast.Inspect(stmt, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if declaredWithin(pass, id, lit) {
				local = true
			}
		}
		return !local
	})
	if local {
		return analysis.SuggestedFix{}, false
	}
	tf := pass.Fset.File(stmt.Pos())
	if tf == nil {
		return analysis.SuggestedFix{}, false
	}
	line := tf.Line(stmt.Pos())
	if line != tf.Line(stmt.End()) || line >= tf.LineCount() || tf.Line(lit.Body.Lbrace) == line {
		return analysis.SuggestedFix{}, false
	}
	// The statement must be alone on its line (no comment, no other statement).
	if len(lit.Body.List) > 1 && tf.Line(lit.Body.List[1].Pos()) == line {
		return analysis.SuggestedFix{}, false
	}
	if tf.Line(lit.Body.Rbrace) == line {
		return analysis.SuggestedFix{}, false
	}
	for _, f := range pass.Files {
		if pass.Fset.File(f.Pos()) != tf {
			continue
		}
		for _, cg := range f.Comments {
			for _, cm := range cg.List {
				if tf.Line(cm.Pos()) == line || tf.Line(cm.End()) == line {
					return analysis.SuggestedFix{}, false
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := format.Node(&buf, pass.Fset, stmt); err != nil {
		return analysis.SuggestedFix{}, false
	}
	indent := lineIndent(pass, tf, gostmt.Pos())
	return analysis.SuggestedFix{
		Message: "Move wg.Add before the go statement",
		TextEdits: []analysis.TextEdit{
			{Pos: gostmt.Pos(), End: gostmt.Pos(), NewText: []byte(buf.String() + "\n" + indent)},
			{Pos: tf.LineStart(line), End: tf.LineStart(line + 1)},
		},
	}, true
}

// lineIndent returns the whitespace before pos on its line.
func lineIndent(pass *analysis.Pass, tf *token.File, pos token.Pos) string {
	start := tf.LineStart(tf.Line(pos))
	if pass.ReadFile != nil {
		if src, err := pass.ReadFile(tf.Name()); err == nil {
			lo, hi := tf.Offset(start), tf.Offset(pos)
			if hi <= len(src) && strings.TrimLeft(string(src[lo:hi]), " \t") == "" {
				return string(src[lo:hi])
			}
		}
	}
	return strings.Repeat("\t", int(pos-start)) // gofmt'd code indents with tabs
}

// wgMethod reports whether e is a call to a method of sync.WaitGroup.
func wgMethod(pass *analysis.Pass, e ast.Expr) (wgCall, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return wgCall{}, false
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return wgCall{}, false
	}
	recv := fn.Signature().Recv()
	if recv == nil || !match.NamedOrPointer(recv.Type(), "sync", "WaitGroup") {
		return wgCall{}, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return wgCall{}, false
	}
	return wgCall{call: call, method: fn.Name(), recv: sel.X, key: wgKey(pass, sel.X)}, true
}

// wgKey names the variable (or field path) a WaitGroup expression denotes,
// so two expressions can be compared; it returns "" when unsure.
func wgKey(pass *analysis.Pass, e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj := pass.TypesInfo.ObjectOf(e); obj != nil {
			if _, ok := obj.(*types.Var); ok {
				return objID(pass, obj)
			}
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return wgKey(pass, e.X)
		}
	case *ast.StarExpr:
		return wgKey(pass, e.X)
	case *ast.SelectorExpr:
		if sel, ok := pass.TypesInfo.Selections[e]; ok && sel.Kind() == types.FieldVal {
			if base := wgKey(pass, e.X); base != "" {
				return base + "." + e.Sel.Name
			}
			return ""
		}
		if obj := pass.TypesInfo.Uses[e.Sel]; obj != nil { // pkg.Var
			return objID(pass, obj)
		}
	}
	return ""
}

func objID(pass *analysis.Pass, obj types.Object) string {
	return pass.Fset.Position(obj.Pos()).String() + ":" + obj.Name()
}

// rootIdent returns the leftmost identifier of a selector/address chain.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// declaredWithin reports whether the root variable of e is declared inside
// lit (its parameters included).
func declaredWithin(pass *analysis.Pass, e ast.Expr, lit *ast.FuncLit) bool {
	id := rootIdent(e)
	if id == nil {
		return false
	}
	obj := pass.TypesInfo.ObjectOf(id)
	if obj == nil {
		return false
	}
	if _, ok := obj.(*types.Var); !ok {
		return false
	}
	return obj.Pos() >= lit.Pos() && obj.Pos() < lit.End()
}

func isParam(pass *analysis.Pass, e ast.Expr, lit *ast.FuncLit) bool {
	id := rootIdent(e)
	if id == nil {
		return false
	}
	obj := pass.TypesInfo.ObjectOf(id)
	return obj != nil && obj.Pos() >= lit.Type.Pos() && obj.Pos() < lit.Type.End()
}

// argumentFor returns the argument the go statement passes for the
// parameter that roots e (e.g. &wg for parameter wg), or nil.
func argumentFor(pass *analysis.Pass, gostmt *ast.GoStmt, lit *ast.FuncLit, e ast.Expr) ast.Expr {
	obj := pass.TypesInfo.ObjectOf(rootIdent(e))
	i := 0
	for _, field := range lit.Type.Params.List {
		if len(field.Names) == 0 {
			i++
			continue
		}
		for _, name := range field.Names {
			if pass.TypesInfo.Defs[name] == obj {
				if _, ok := ast.Unparen(e).(*ast.Ident); !ok || i >= len(gostmt.Call.Args) || gostmt.Call.Ellipsis.IsValid() {
					return nil
				}
				return gostmt.Call.Args[i]
			}
			i++
		}
	}
	return nil
}
