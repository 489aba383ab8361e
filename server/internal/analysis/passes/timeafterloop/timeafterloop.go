// Package timeafterloop defines an Analyzer that reports time.After and
// time.Tick called on every iteration of a loop.
package timeafterloop

import (
	_ "embed"
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

//go:embed timeafterloop.md
var Page string

const doc = `report time.After and time.Tick created anew on every loop iteration

time.After(d) makes a new timer each time it is called. In a for-select
loop that also receives messages, that is one timer per message, and the
timeout restarts whenever another case fires, so "give up after 5s" quietly
becomes "give up after 5s of silence". time.Tick(d) in a loop makes a new
ticker per iteration: it waits d each time, like a sleep, and keeps no
steady rhythm. The pass reports time.Tick called in a loop body, and
time.After in a loop body when it is a case of a select that also has a
case receiving a value or sending (a message loop). A time.After that only
races a cancellation channel (a context-aware sleep between retries) is
not reported, nor are calls in a range header (evaluated once), in
function literals, or in test files.`

var Analyzer = &analysis.Analyzer{
	Name:     "timeafterloop",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories.
const (
	CategoryAfter = "after" // time.After in a message loop
	CategoryTick  = "tick"  // time.Tick in a loop
)

const (
	afterMsg = "time.After in a loop makes a new timer every iteration, and the timeout restarts whenever another case fires: create one time.Timer before the loop and Reset it, or use a context deadline for an overall limit"
	tickMsg  = "time.Tick in a loop makes a new ticker every iteration (it waits like a sleep, with no steady rhythm): create one time.NewTicker before the loop and defer its Stop"
)

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "time") {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Signature().Recv() != nil {
			continue
		}
		if fn.Name() != "After" && fn.Name() != "Tick" {
			continue
		}
		if strings.HasSuffix(pass.Fset.File(call.Pos()).Name(), "_test.go") {
			continue
		}
		if !inLoopBody(cur) {
			continue
		}
		if fn.Name() == "Tick" {
			pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: CategoryTick, Message: tickMsg})
			continue
		}
		if sel, ok := selectOf(cur); ok && messageLoop(pass, sel) {
			pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: CategoryAfter, Message: afterMsg})
		}
	}
	return nil, nil
}

// inLoopBody reports whether the call runs once per iteration of a loop of
// the same function: in a loop body, condition or post statement, not in a
// range expression or init statement (evaluated once).
func inLoopBody(cur inspector.Cursor) bool {
	child := cur
	for c := cur.Parent(); c.Valid(); child, c = c, c.Parent() {
		switch n := c.Node().(type) {
		case nil, *ast.File, *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt:
			if child.Node() != n.Init {
				return true
			}
		case *ast.RangeStmt:
			if child.Node() == n.Body {
				return true
			}
		}
	}
	return false
}

// selectOf returns the select whose case receives from this call
// (case <-time.After(d): or case v := <-time.After(d):).
func selectOf(cur inspector.Cursor) (*ast.SelectStmt, bool) {
	c := cur.Parent()
	if u, ok := c.Node().(*ast.UnaryExpr); !ok || u.Op != token.ARROW {
		return nil, false
	}
	c = c.Parent()
	switch c.Node().(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
		c = c.Parent()
	default:
		return nil, false
	}
	if _, ok := c.Node().(*ast.CommClause); !ok {
		return nil, false
	}
	sel, ok := c.Parent().Parent().Node().(*ast.SelectStmt)
	return sel, ok
}

// messageLoop reports whether the select has a case that sends, or that
// receives a value from a channel other than a timer's: a stream of
// messages, each of which restarts the timeout.
func messageLoop(pass *analysis.Pass, sel *ast.SelectStmt) bool {
	for _, cl := range sel.Body.List {
		switch comm := cl.(*ast.CommClause).Comm.(type) {
		case *ast.SendStmt:
			return true
		case *ast.AssignStmt:
			if len(comm.Rhs) == 1 {
				if u, ok := ast.Unparen(comm.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW && !isTimeChan(pass, u.X) && !isBlank(comm.Lhs[0]) {
					return true
				}
			}
		}
	}
	return false
}

// isTimeChan reports a time.After/time.Tick call or a Timer/Ticker's C.
func isTimeChan(pass *analysis.Pass, e ast.Expr) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		return fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "time"
	}
	if s, ok := e.(*ast.SelectorExpr); ok && s.Sel.Name == "C" {
		t := pass.TypesInfo.TypeOf(s.X)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "time" {
			return true
		}
	}
	return false
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}
