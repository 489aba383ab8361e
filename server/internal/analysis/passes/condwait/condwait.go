// Package condwait defines an Analyzer that reports sync.Cond.Wait calls
// that do not re-check their condition in a for loop.
package condwait

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed condwait.md
var Page string

const doc = `report sync.Cond.Wait calls not in a for loop re-checking the condition

When Wait returns, the caller holds the lock again, but nothing says the
condition it waited for still holds: Broadcast wakes every waiter and
only the first may find the item, Signal may have been sent for another
reason (a Close), and between the Signal and the wake-up another
goroutine can take the lock and consume what was announced. The only
correct shape is "for !condition { c.Wait() }". The pass reports, with
category "noloop", a Wait that is in no for loop of its function (an "if
!ready { c.Wait() }", or a bare Wait), unless the function is a one-line
wrapper or every call to it in the package is inside a for loop; and,
with category "inloop", an "if cond { c.Wait() }" inside a loop that is
followed by code assuming the condition, in the same loop iteration.
When the Wait is alone in an if without else or init statement and in no
loop, a fix turns the if into a for. Test files are not checked: a test
of a Cond may wait for exactly one wake-up on purpose.`

// Analyzer reports Cond.Wait calls that do not re-check their predicate.
var Analyzer = &analysis.Analyzer{
	Name:     "condwait",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories.
const (
	// CategoryNoLoop: the Wait is in no for loop of its function.
	CategoryNoLoop = "noloop"
	// CategoryInLoop: an if-guarded Wait inside a loop, followed by code
	// that runs without re-checking the condition.
	CategoryInLoop = "inloop"
)

const (
	msgIf     = "%s in an if checks the condition once: when Wait returns it may no longer hold (Broadcast woke every waiter, or another goroutine got there first); re-check it in a loop: for %s { %s }"
	msgBare   = "%s outside a for loop assumes that what it waits for holds when it returns, but a wake-up guarantees nothing; wait in a loop re-checking it: for %s { %s }"
	msgInLoop = "%s in an if is followed by code that assumes the condition, but when Wait returns it may no longer hold; re-check it before going on: for %s { %s }"
)

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync") {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	var sites map[*types.Func]callSites // built on first need
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if !isCondWait(pass.TypesInfo, call) || match.InTestFile(pass, call.Pos()) {
			continue // tests of a Cond may count wake-ups on purpose
		}
		stmtCur := cur.Parent()
		stmt, ok := stmtCur.Node().(*ast.ExprStmt)
		if !ok {
			continue // go c.Wait(), defer c.Wait(): too odd to judge
		}
		text := types.ExprString(call)
		ifCur, ifStmt := soleIn(stmtCur, stmt)
		loop, fn := enclosing(stmtCur)

		if loop.Valid() {
			// A loop re-checks unless an if-guarded Wait is followed by
			// more code of the same iteration.
			if ifStmt == nil || ifStmt.Else != nil || !loop.Contains(ifCur) {
				continue
			}
			if _, more := ifCur.NextSibling(); !more {
				continue
			}
			pass.Report(analysis.Diagnostic{
				Pos:      call.Pos(),
				End:      call.End(),
				Category: CategoryInLoop,
				Message:  sprintf(msgInLoop, text, types.ExprString(ifStmt.Cond)),
			})
			continue
		}

		if fn.Valid() && wrapper(fn, stmt) {
			continue // a one-line wrapper: its callers must loop
		}
		if decl, ok := fn.Node().(*ast.FuncDecl); ok {
			if sites == nil {
				sites = callSitesOf(pass, in)
			}
			if f, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func); ok {
				if s := sites[f]; s.calls > 0 && s.calls == s.inLoop && !s.escapes {
					continue // every caller re-checks in a loop
				}
			}
		}
		d := analysis.Diagnostic{
			Pos:      call.Pos(),
			End:      call.End(),
			Category: CategoryNoLoop,
			Message:  sprintf(msgBare, text, "!condition"),
		}
		if ifStmt != nil && ifStmt.Else == nil {
			d.Message = sprintf(msgIf, text, types.ExprString(ifStmt.Cond))
			if ifStmt.Init == nil {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message: "Re-check the condition in a for loop",
					TextEdits: []analysis.TextEdit{{
						Pos:     ifStmt.If,
						End:     ifStmt.If + 2,
						NewText: []byte("for"),
					}},
				}}
			}
		}
		pass.Report(d)
	}
	return nil, nil
}

func sprintf(format, text, cond string) string { return fmt.Sprintf(format, text, cond, text) }

// isCondWait reports whether call is (*sync.Cond).Wait, directly or through
// an embedded Cond.
func isCondWait(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Name() != "Wait" {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && match.NamedOrPointer(recv.Type(), "sync", "Cond")
}

// soleIn returns the if statement whose body is exactly stmt, if any.
func soleIn(stmtCur inspector.Cursor, stmt *ast.ExprStmt) (inspector.Cursor, *ast.IfStmt) {
	block, ok := stmtCur.Parent().Node().(*ast.BlockStmt)
	if !ok || len(block.List) != 1 {
		return inspector.Cursor{}, nil
	}
	ifCur := stmtCur.Parent().Parent()
	ifStmt, ok := ifCur.Node().(*ast.IfStmt)
	if !ok || ifStmt.Body != block {
		return inspector.Cursor{}, nil
	}
	return ifCur, ifStmt
}

// enclosing returns the innermost for statement around cur inside its
// function (zero Cursor if none) and the function itself.
func enclosing(cur inspector.Cursor) (loop, fn inspector.Cursor) {
	for c := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch c.Node().(type) {
		case *ast.ForStmt:
			if !loop.Valid() {
				loop = c
			}
		default:
			return loop, c
		}
	}
	return loop, inspector.Cursor{}
}

// wrapper reports whether the function's body is only the Wait.
func wrapper(fn inspector.Cursor, stmt *ast.ExprStmt) bool {
	var body *ast.BlockStmt
	switch f := fn.Node().(type) {
	case *ast.FuncDecl:
		body = f.Body
	case *ast.FuncLit:
		body = f.Body
	}
	return body != nil && len(body.List) == 1 && body.List[0] == ast.Stmt(stmt)
}

// callSites counts the calls of a package function.
type callSites struct {
	calls, inLoop int
	escapes       bool // used other than by calling it
}

func callSitesOf(pass *analysis.Pass, in *inspector.Inspector) map[*types.Func]callSites {
	out := map[*types.Func]callSites{}
	for cur := range in.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		f, ok := pass.TypesInfo.Uses[id].(*types.Func)
		if !ok || f.Pkg() != pass.Pkg {
			continue
		}
		f = f.Origin()
		s := out[f]
		fun := cur
		if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			fun = cur.Parent()
		}
		call, ok := fun.Parent().Node().(*ast.CallExpr)
		if !ok || call.Fun != fun.Node() {
			s.escapes = true
			out[f] = s
			continue
		}
		s.calls++
		if loop, _ := enclosing(fun); loop.Valid() {
			s.inLoop++
		}
		out[f] = s
	}
	return out
}
