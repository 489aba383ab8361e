// Package busyloop defines an Analyzer that reports for loops spinning on
// a select with an idle default case.
package busyloop

import (
	_ "embed"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

//go:embed busyloop.md
var Page string

const doc = `report for loops that spin on a select with an idle default case

A select with a default case never waits: when no channel is ready it
takes default at once. Put in an endless loop (for { select { case
<-ch: ...; default: } }) it polls the channels as fast as the CPU allows,
burning a whole core while "waiting" and starving other goroutines. The
pass reports a for loop without init and post statements whose body
contains a select with a default case, when nothing else in the loop can
wait or do work: the default case and the statements around the select
call no function (other than builtins, conversions, sync/atomic,
time.Now/Since and runtime.Gosched) and do not leave the loop. When the
loop is an endless for and the default case is empty, a fix removes the
default so the select blocks until a case is ready.`

var Analyzer = &analysis.Analyzer{
	Name:     "busyloop",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil)) {
		loop := cur.Node().(*ast.ForStmt)
		if loop.Init != nil || loop.Post != nil {
			continue // a counting loop ends
		}
		var label *ast.Ident
		if l, ok := cur.Parent().Node().(*ast.LabeledStmt); ok {
			label = l.Label
		}
		checkLoop(pass, loop, label)
	}
	return nil, nil
}

func checkLoop(pass *analysis.Pass, loop *ast.ForStmt, label *ast.Ident) {
	var sel *ast.SelectStmt
	var def *ast.CommClause
	for _, s := range loop.Body.List {
		if ss, ok := s.(*ast.SelectStmt); ok {
			if d := defaultClause(ss); d != nil {
				if sel != nil {
					return // several selects: too clever to judge
				}
				sel, def = ss, d
			}
		}
	}
	if sel == nil {
		return
	}
	// Everything that runs on the spinning path: the loop condition, the
	// statements around the select, and the default clause.
	idle := !mayWait(pass, loop.Cond)
	for _, s := range loop.Body.List {
		if s == sel {
			continue
		}
		if mayWait(pass, s) || leaves(pass, s, label, true) {
			idle = false
		}
	}
	for _, s := range def.Body {
		if mayWait(pass, s) || leaves(pass, s, label, false) {
			idle = false
		}
	}
	if !idle {
		return
	}
	d := analysis.Diagnostic{
		Pos:     loop.For,
		End:     loop.Body.Lbrace,
		Message: "this loop spins: the select's default case runs at once when no channel is ready, so the loop burns a CPU while waiting; remove the default to block, or wait on a timer or ticker",
	}
	if fix, ok := removeDefault(pass, loop, sel, def); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	pass.Report(d)
}

func defaultClause(s *ast.SelectStmt) *ast.CommClause {
	for _, c := range s.Body.List {
		if cc := c.(*ast.CommClause); cc.Comm == nil {
			return cc
		}
	}
	return nil
}

// mayWait reports whether n contains something that can block or does
// real work: a channel operation, a nested select, or a call that is not
// known to be cheap and non-blocking.
func mayWait(pass *analysis.Pass, n ast.Node) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SendStmt, *ast.SelectStmt, *ast.GoStmt:
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.RangeStmt:
			if t := pass.TypesInfo.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					found = true
				}
			}
		case *ast.CallExpr:
			if !cheap(pass, n) {
				found = true
			}
		}
		return !found
	})
	return found
}

// cheap recognises calls that neither block nor do meaningful work.
func cheap(pass *analysis.Pass, call *ast.CallExpr) bool {
	if tv, ok := pass.TypesInfo.Types[call.Fun]; ok && tv.IsType() {
		return true // conversion
	}
	switch fn := typeutil.Callee(pass.TypesInfo, call).(type) {
	case *types.Builtin:
		return fn.Name() != "panic" // panic leaves the loop
	case *types.Func:
		if fn.Pkg() == nil {
			return false
		}
		switch fn.Pkg().Path() {
		case "sync/atomic":
			return true
		case "time":
			return fn.Name() == "Now" || fn.Name() == "Since" || fn.Name() == "Until"
		case "runtime":
			return fn.Name() == "Gosched" || fn.Name() == "NumGoroutine"
		}
	}
	return false
}

// leaves reports whether s can leave the loop: return, goto, a break that
// targets the loop (a plain break outside select/switch/for, or a labeled
// one), or a call that does not return.
func leaves(pass *analysis.Pass, s ast.Stmt, label *ast.Ident, plainBreakLeaves bool) bool {
	found := false
	var visit func(n ast.Node, plain bool)
	visit = func(root ast.Node, plain bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = true
			case *ast.BranchStmt:
				switch n.Tok {
				case token.GOTO:
					found = true
				case token.BREAK:
					if n.Label == nil && plain || n.Label != nil && label != nil && n.Label.Name == label.Name {
						found = true
					}
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if n != root {
					// a plain break in here exits the inner statement only
					visit(n, false)
					return false
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
					if b, ok := pass.TypesInfo.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
						found = true
					}
				}
			}
			return true
		})
	}
	visit(s, plainBreakLeaves)
	return found
}

// removeDefault deletes an empty default clause from the select of an
// endless loop that has at least one other case, so the select blocks.
func removeDefault(pass *analysis.Pass, loop *ast.ForStmt, sel *ast.SelectStmt, def *ast.CommClause) (analysis.SuggestedFix, bool) {
	if loop.Cond != nil || len(sel.Body.List) < 2 {
		return analysis.SuggestedFix{}, false
	}
	for _, s := range def.Body {
		if _, ok := s.(*ast.EmptyStmt); !ok {
			return analysis.SuggestedFix{}, false
		}
	}
	tf := pass.Fset.File(def.Pos())
	if tf == nil {
		return analysis.SuggestedFix{}, false
	}
	first, last := tf.Line(def.Pos()), tf.Line(def.End())
	// The clause must have its lines to itself: the previous clause ends
	// on an earlier line, and the closing brace (or the next clause) starts
	// on a later one.
	var prevEnd, nextStart token.Pos = sel.Body.Lbrace, sel.Body.Rbrace
	for i, c := range sel.Body.List {
		if c == def {
			if i > 0 {
				prevEnd = sel.Body.List[i-1].End()
			}
			if i+1 < len(sel.Body.List) {
				nextStart = sel.Body.List[i+1].Pos()
			}
		}
	}
	if tf.Line(prevEnd) >= first || tf.Line(nextStart) <= last || last >= tf.LineCount() {
		return analysis.SuggestedFix{}, false
	}
	// No comment on those lines (it would be lost or orphaned).
	for _, f := range pass.Files {
		if pass.Fset.File(f.Pos()) != tf {
			continue
		}
		for _, cg := range f.Comments {
			if l := tf.Line(cg.Pos()); l >= first && l <= last {
				return analysis.SuggestedFix{}, false
			}
		}
	}
	return analysis.SuggestedFix{
		Message:   "Remove the default case so the select blocks",
		TextEdits: []analysis.TextEdit{{Pos: tf.LineStart(first), End: tf.LineStart(last + 1)}},
	}, true
}
