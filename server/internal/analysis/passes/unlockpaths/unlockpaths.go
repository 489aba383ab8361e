// Package unlockpaths defines an Analyzer that reports return statements
// reached with a mutex still locked in functions that unlock it by hand.
package unlockpaths

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/locks"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

//go:embed unlockpaths.md
var Page string

const doc = `report returns that leave a mutex locked

When a function calls mu.Lock() and releases it with an explicit
mu.Unlock() rather than defer, every return between the two must unlock
too. One early return that forgets (an error path, usually) leaves the
mutex locked forever: the next Lock blocks, and the program deadlocks the
first time that error happens in production. The pass follows each
function body from Lock (or RLock) to the matching Unlock (RUnlock) and
reports a return reached with the lock held, when the function has no
deferred Unlock for that mutex and its normal exit does release it (so
helpers that return locked by design are left alone). A call to a
function of this package that unlocks, or to a function value, is
assumed to release the lock. Where the returned values cannot read
guarded state, a fix inserts the Unlock before the return.`

var Analyzer = &analysis.Analyzer{
	Name:     "unlockpaths",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync") {
		return nil, nil
	}
	decls := match.FuncDecls(pass)
	u := &unlockers{pass: pass, decls: decls, memo: map[*types.Func]bool{}}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var body *ast.BlockStmt
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body != nil {
			checkFunc(pass, u, cur, body)
		}
	}
	return nil, nil
}

// lock is a mutex held at some point of the walk.
type lock struct {
	name   string    // source text of the mutex expression
	unlock string    // "Unlock" or "RUnlock"
	pos    token.Pos // the Lock call
}

type held = locks.Held[lock]

type exit struct {
	ret  *ast.ReturnStmt // nil for falling off the end
	held held
}

type walker struct {
	pass      *analysis.Pass
	u         *unlockers
	exits     []exit
	unlocked  map[string]bool // keys with an explicit Unlock in the function
	deferred  map[string]bool // keys with a deferred Unlock
	unknownUn bool            // a deferred call we cannot see into
}

func checkFunc(pass *analysis.Pass, u *unlockers, cur inspector.Cursor, body *ast.BlockStmt) {
	w := &walker{pass: pass, u: u, unlocked: map[string]bool{}, deferred: map[string]bool{}}
	end, term := w.block(body.List, nil)
	if !term {
		w.exits = append(w.exits, exit{held: end})
	}
	if w.unknownUn || len(w.exits) == 0 {
		return
	}
	// The normal exits: the final return, or falling off the end. When the
	// body ends in a loop or a switch that returns, every return counts.
	normal := w.exits[len(w.exits)-1:]
	if len(body.List) > 0 {
		if r, ok := body.List[len(body.List)-1].(*ast.ReturnStmt); ok {
			for _, e := range w.exits {
				if e.ret == r {
					normal = []exit{e}
				}
			}
		} else if term {
			normal = w.exits
		}
	}
	// releasedAtExit: some normal exit has released the lock, so the
	// function means to give it back.
	releasedAtExit := func(k string) bool {
		for _, e := range normal {
			if _, held := e.held[k]; !held {
				return true
			}
		}
		return false
	}
	for _, e := range w.exits {
		if e.ret == nil {
			continue
		}
		keys := slices.Sorted(maps.Keys(e.held))
		var leaked []string
		for _, k := range keys {
			if !releasedAtExit(k) || !w.unlocked[k] || w.deferred[k] {
				continue
			}
			leaked = append(leaked, k)
		}
		if len(leaked) == 0 {
			continue
		}
		lk := e.held[leaked[0]]
		d := analysis.Diagnostic{
			Pos: e.ret.Pos(),
			End: e.ret.End(),
			Message: fmt.Sprintf("return with %s still locked (Lock at line %d, no defer): the next Lock deadlocks; call %s.%s() before returning, or defer it",
				lk.name, pass.Fset.Position(lk.pos).Line, lk.name, lk.unlock),
		}
		if len(leaked) == 1 {
			if fix, ok := unlockFix(pass, cur, e.ret, lk); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		pass.Report(d)
	}
}

func (w *walker) block(list []ast.Stmt, h held) (held, bool) {
	return locks.Block(list, h, w.stmt)
}

func (w *walker) stmt(s ast.Stmt, h held) (held, bool) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if op, key, name, ok := w.lockCall(s.X); ok {
			h = h.Clone()
			switch op {
			case "Lock":
				h[key+"#w"] = lock{name: name, unlock: "Unlock", pos: s.Pos()}
			case "RLock":
				h[key+"#r"] = lock{name: name, unlock: "RUnlock", pos: s.Pos()}
			case "Unlock":
				delete(h, key+"#w")
				w.unlocked[key+"#w"] = true
			case "RUnlock":
				delete(h, key+"#r")
				w.unlocked[key+"#r"] = true
			}
			return h, false
		}
		h = w.calls(s, h)
		if match.IsNoReturn(w.pass.TypesInfo, s.X) {
			return h, true
		}
	case *ast.ReturnStmt:
		h = w.calls(s, h)
		w.exits = append(w.exits, exit{ret: s, held: h})
		return h, true
	case *ast.BranchStmt:
		return h, s.Tok != token.FALLTHROUGH
	case *ast.DeferStmt:
		w.deferCall(s.Call)
	case *ast.GoStmt:
	case *ast.BlockStmt:
		return w.block(s.List, h)
	case *ast.LabeledStmt:
		return w.stmt(s.Stmt, h)
	case *ast.IfStmt:
		if s.Init != nil {
			h, _ = w.stmt(s.Init, h)
		}
		h = w.calls(s.Cond, h)
		h1, t1 := w.block(s.Body.List, h.Clone())
		h2, t2 := h, false
		if s.Else != nil {
			h2, t2 = w.stmt(s.Else, h.Clone())
		}
		return locks.Join(h1, t1, h2, t2)
	case *ast.ForStmt:
		if s.Init != nil {
			h, _ = w.stmt(s.Init, h)
		}
		out, _ := w.block(s.Body.List, h.Clone())
		if s.Cond == nil && !hasBreak(s.Body) {
			return out, true // for {} without break only leaves by return
		}
		return locks.Meet(h, out), false
	case *ast.RangeStmt:
		h = w.calls(s.X, h)
		out, _ := w.block(s.Body.List, h.Clone())
		return locks.Meet(h, out), false
	case *ast.SwitchStmt:
		if s.Init != nil {
			h, _ = w.stmt(s.Init, h)
		}
		return w.clauses(s.Body, h)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			h, _ = w.stmt(s.Init, h)
		}
		return w.clauses(s.Body, h)
	case *ast.SelectStmt:
		return w.clauses(s.Body, h)
	default:
		h = w.calls(s, h)
	}
	return h, false
}

func (w *walker) clauses(body *ast.BlockStmt, h held) (held, bool) {
	return locks.Clauses(body, h, func(_ ast.Stmt, list []ast.Stmt, h held) (held, bool) {
		return w.block(list, h)
	})
}

// hasBreak reports whether a break statement leaves the loop with body.
func hasBreak(body *ast.BlockStmt) bool {
	found := false
	depth := 0
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.BREAK && (n.Label != nil || depth == 0) || n.Tok == token.GOTO {
				found = true
			}
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			depth++
			ast.Inspect(n, func(m ast.Node) bool {
				if m == n {
					return true
				}
				return visit(m)
			})
			depth--
			return false
		}
		return !found
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if n == body {
			return true
		}
		return visit(n)
	})
	return found
}

// calls treats a call that may release locks as releasing them all: a call
// to a function value, or to a function of this package that unlocks.
func (w *walker) calls(n ast.Node, h held) held {
	if n == nil || len(h) == 0 {
		return h
	}
	release := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if w.mayUnlock(n) {
				release = true
			}
		}
		return !release
	})
	if release {
		return held{}
	}
	return h
}

func (w *walker) mayUnlock(call *ast.CallExpr) bool {
	info := w.pass.TypesInfo
	if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
		return false // a conversion
	}
	switch callee := typeutil.Callee(info, call).(type) {
	case *types.Builtin:
		return false
	case *types.Func:
		if callee.Pkg() == w.pass.Pkg {
			return w.u.unlocks(callee, 0)
		}
		// A method of an interface may be anything, but lock wrappers behind
		// interfaces are rare; other packages' functions cannot see our locks
		// unless we pass them, which we treat as an unlock.
		if callee.Name() == "Unlock" || callee.Name() == "RUnlock" {
			return true
		}
		for _, a := range call.Args {
			if t := info.TypeOf(a); locks.IsMutex(t) {
				return true
			}
		}
		return false
	case *types.Var:
		return true // a function value: unlock := mu.Unlock
	}
	return true
}

func (w *walker) deferCall(call *ast.CallExpr) {
	if op, key, _, ok := w.lockCall(call); ok {
		switch op {
		case "Unlock":
			w.deferred[key+"#w"] = true
		case "RUnlock":
			w.deferred[key+"#r"] = true
		}
		return
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if op, key, _, ok := w.lockCall(c); ok {
					switch op {
					case "Unlock":
						w.deferred[key+"#w"] = true
					case "RUnlock":
						w.deferred[key+"#r"] = true
					}
				} else if w.mayUnlock(c) {
					w.unknownUn = true
				}
			}
			return true
		})
		return
	}
	if w.mayUnlock(call) {
		w.unknownUn = true
	}
}

// lockCall recognises Lock, RLock, Unlock and RUnlock of a sync.Mutex or
// sync.RWMutex.
func (w *walker) lockCall(e ast.Expr) (op, key, name string, ok bool) {
	_, mu, op, ok := locks.Call(w.pass.TypesInfo, e)
	if !ok {
		return "", "", "", false
	}
	key = match.VarKeyIndexed(w.pass, mu)
	if key == "" {
		return "", "", "", false
	}
	return op, key, types.ExprString(mu), true
}

// unlockers tells whether a function of the package unlocks a mutex,
// directly or through same-package calls (bounded depth).
type unlockers struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	memo  map[*types.Func]bool
}

func (u *unlockers) unlocks(fn *types.Func, depth int) bool {
	if r, ok := u.memo[fn]; ok {
		return r
	}
	u.memo[fn] = false
	fd := u.decls[fn]
	if fd == nil || depth > 4 {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			callee, _ := typeutil.Callee(u.pass.TypesInfo, c).(*types.Func)
			if locks.IsLockMethod(callee) && (callee.Name() == "Unlock" || callee.Name() == "RUnlock") {
				found = true
			} else if callee != nil && callee.Pkg() == u.pass.Pkg && u.unlocks(callee, depth+1) {
				found = true
			}
		}
		return !found
	})
	u.memo[fn] = found
	return found
}

// unlockFix inserts the Unlock before the return, when the returned values
// are plain names or literals (evaluating them after the Unlock cannot read
// guarded state) and the return sits in a statement list.
func unlockFix(pass *analysis.Pass, cur inspector.Cursor, ret *ast.ReturnStmt, lk lock) (analysis.SuggestedFix, bool) {
	for _, r := range ret.Results {
		switch r := ast.Unparen(r).(type) {
		case *ast.BasicLit:
		case *ast.Ident:
			if v, ok := pass.TypesInfo.Uses[r].(*types.Var); ok && v.Parent() == v.Pkg().Scope() && !isError(v.Type()) {
				return analysis.SuggestedFix{}, false // a package-level variable may be guarded (sentinel errors are not)
			}
		default:
			return analysis.SuggestedFix{}, false
		}
	}
	rc, ok := cur.FindNode(ret)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	switch rc.Parent().Node().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
		return analysis.SuggestedFix{}, false
	}
	tf := pass.Fset.File(ret.Pos())
	if tf == nil {
		return analysis.SuggestedFix{}, false
	}
	// The return must start its line (no "{ return" on one line).
	line := tf.Line(ret.Pos())
	start := tf.LineStart(line)
	indent, ok := lineIndent(pass, tf, start, ret.Pos())
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Call %s.%s() before returning", lk.name, lk.unlock),
		TextEdits: []analysis.TextEdit{{
			Pos:     ret.Pos(),
			End:     ret.Pos(),
			NewText: []byte(lk.name + "." + lk.unlock + "()\n" + indent),
		}},
	}, true
}

// lineIndent returns the text between the start of the line and pos when
// it is only blanks.
func lineIndent(pass *analysis.Pass, tf *token.File, start, pos token.Pos) (string, bool) {
	if pass.ReadFile != nil {
		if src, err := pass.ReadFile(tf.Name()); err == nil {
			lo, hi := tf.Offset(start), tf.Offset(pos)
			if hi <= len(src) {
				s := string(src[lo:hi])
				return s, strings.TrimLeft(s, " \t") == ""
			}
		}
	}
	return strings.Repeat("\t", int(pos-start)), true
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func isError(t types.Type) bool { return types.Implements(t, errorType) }
