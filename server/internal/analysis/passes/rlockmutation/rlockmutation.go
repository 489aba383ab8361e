// Package rlockmutation defines an Analyzer that reports writes to the
// data an RWMutex guards made while only its read lock is held.
package rlockmutation

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

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/locks"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

//go:embed rlockmutation.md
var Page string

const doc = `report mutations of guarded data under an RWMutex read lock

RLock lets any number of readers in at once, so it only protects code
that really only reads. Between mu.RLock() and mu.RUnlock() (or to the end
of the function after defer mu.RUnlock()) the pass reports writes to the
struct that holds the RWMutex (or, for a package-level RWMutex, to
package-level variables): field assignments, map writes and deletes,
append-assigns, ++/--, container/list mutations (MoveToFront, Remove,
PushFront...), container/heap operations, and calls to methods of the
same package that modify their receiver. The classic case is an LRU
cache whose Get "only reads" but moves the entry to the front of the
list. A plain field write is reported only when the package also touches
that field under the same mutex's write lock somewhere (so the mutex does
guard it, unlike a close guard whose owner writes its own fields under
RLock); map writes and list, heap and method mutations are always
reported. Writes made while a write lock (some Mutex.Lock) is also held,
and atomic operations, are not reported. Where the function takes the read
lock once and nothing else locks, a fix turns RLock/RUnlock into
Lock/Unlock.`

// Diagnostic categories.
const (
	CategoryField     = "field"     // a field write, ++, append-assign
	CategoryMap       = "map"       // a map write or delete/clear
	CategoryContainer = "container" // container/list or container/heap mutation
	CategoryMethod    = "method"    // a same-package method that modifies its receiver
)

var Analyzer = &analysis.Analyzer{
	Name:     "rlockmutation",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync") {
		return nil, nil
	}
	decls := match.FuncDecls(pass)
	sum := &summaries{pass: pass, decls: decls, memo: map[*types.Func]int{}, fields: map[*types.Func]map[string]bool{}}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	// Phase 1 learns which fields each mutex guards: those the package
	// touches while holding its write lock. Phase 2 reports.
	guarded := map[string]map[string]bool{}
	for _, collect := range []bool{true, false} {
		for n := range in.PreorderSeq((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			var body *ast.BlockStmt
			switch n := n.(type) {
			case *ast.FuncDecl:
				body = n.Body
			case *ast.FuncLit:
				body = n.Body
			}
			if body == nil {
				continue
			}
			c := &checker{
				pass:     pass,
				sum:      sum,
				body:     body,
				paths:    newPaths(pass, body),
				reported: map[ast.Node]bool{},
				fixed:    map[*ast.CallExpr]bool{},
				collect:  collect,
				guarded:  guarded,
			}
			c.block(body.List, nil)
		}
	}
	return nil, nil
}

// lock is a mutex held at some point of the walk.
type lock struct {
	read  bool
	name  string        // source text of the mutex expression
	base  string        // path of what it guards: the struct holding it, or "pkg"
	call  *ast.CallExpr // the RLock call
	mukey string
	guard string // names the mutex across functions (type and field), "" if unknown
}

type held = locks.Held[lock]

type checker struct {
	pass     *analysis.Pass
	sum      *summaries
	body     *ast.BlockStmt
	paths    *paths
	reported map[ast.Node]bool
	fixed    map[*ast.CallExpr]bool // RLock calls whose fix was already offered
	collect  bool                   // phase 1: record what write locks guard
	guarded  map[string]map[string]bool
}

// segment returns the part of p that names what lk guards: the field of
// the struct after lk.base, or the package-level variable.
func segment(lk lock, p path) (string, bool) {
	if lk.base == "pkg" {
		return p.root, p.pkgVar
	}
	if lk.base == "" || !strings.HasPrefix(p.s, lk.base+".") {
		return "", false
	}
	rest := p.s[len(lk.base)+1:]
	if i := strings.IndexAny(rest, ".["); i >= 0 {
		rest = rest[:i]
	}
	return rest, true
}

// record notes the guarded data that n touches under write locks.
func (c *checker) record(n ast.Node, h held) {
	var writes []lock
	for _, lk := range h {
		if !lk.read && lk.guard != "" {
			writes = append(writes, lk)
		}
	}
	if len(writes) == 0 || n == nil {
		return
	}
	note := func(lk lock, seg string) {
		if c.guarded[lk.guard] == nil {
			c.guarded[lk.guard] = map[string]bool{}
		}
		c.guarded[lk.guard][seg] = true
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.Ident, *ast.SelectorExpr:
			p, ok := c.paths.of(n.(ast.Expr))
			if !ok {
				return true
			}
			for _, lk := range writes {
				if seg, ok := segment(lk, p); ok {
					note(lk, seg)
				}
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func)
			sel, _ := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if fn == nil || fn.Pkg() != c.pass.Pkg || sel == nil {
				return true
			}
			p, ok := c.paths.of(sel.X)
			if !ok {
				return true
			}
			for _, lk := range writes {
				if lk.base != "" && lk.base != "pkg" && p.s == lk.base {
					for f := range c.sum.receiverFields(fn, 0) {
						note(lk, f)
					}
				}
			}
		}
		return true
	})
}

func (c *checker) block(list []ast.Stmt, h held) (held, bool) {
	return locks.Block(list, h, c.stmt)
}

func (c *checker) stmt(s ast.Stmt, h held) (held, bool) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if op, key, lk, ok := c.lockCall(s.X); ok {
			h = h.Clone()
			switch op {
			case "RLock":
				lk.read = true
				h[key] = lk
			case "Lock":
				h[key] = lk
			default:
				delete(h, key)
			}
			return h, false
		}
		c.scan(s, h)
		if match.IsNoReturn(c.pass.TypesInfo, s.X) {
			return h, true
		}
	case *ast.ReturnStmt:
		c.scan(s, h)
		return h, true
	case *ast.BranchStmt:
		return h, s.Tok != token.FALLTHROUGH
	case *ast.DeferStmt, *ast.GoStmt:
		// Run later (deferred calls usually unlock); not under this region.
	case *ast.BlockStmt:
		return c.block(s.List, h)
	case *ast.LabeledStmt:
		return c.stmt(s.Stmt, h)
	case *ast.IfStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		c.scan(s.Cond, h)
		h1, t1 := c.block(s.Body.List, h.Clone())
		h2, t2 := h, false
		if s.Else != nil {
			h2, t2 = c.stmt(s.Else, h.Clone())
		}
		return locks.Join(h1, t1, h2, t2)
	case *ast.ForStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		if s.Cond != nil {
			c.scan(s.Cond, h)
		}
		out, _ := c.block(s.Body.List, h.Clone())
		if s.Post != nil {
			c.stmt(s.Post, out)
		}
		return locks.Meet(h, out), false
	case *ast.RangeStmt:
		c.scan(s.X, h)
		if s.Tok == token.ASSIGN {
			for _, e := range []ast.Expr{s.Key, s.Value} {
				if e != nil {
					c.write(e, e, h, "write to")
				}
			}
		}
		out, _ := c.block(s.Body.List, h.Clone())
		return locks.Meet(h, out), false
	case *ast.SwitchStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		if s.Tag != nil {
			c.scan(s.Tag, h)
		}
		return c.clauses(s.Body, h)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		c.scan(s.Assign, h)
		return c.clauses(s.Body, h)
	case *ast.SelectStmt:
		return c.clauses(s.Body, h)
	default:
		c.scan(s, h)
	}
	return h, false
}

func (c *checker) clauses(body *ast.BlockStmt, h held) (held, bool) {
	return locks.Clauses(body, h, func(cl ast.Stmt, list []ast.Stmt, h held) (held, bool) {
		switch cl := cl.(type) {
		case *ast.CaseClause:
			for _, e := range cl.List {
				c.scan(e, h)
			}
		case *ast.CommClause:
			if cl.Comm != nil {
				c.scan(cl.Comm, h)
			}
		}
		return c.block(list, h)
	})
}

// readOnly returns the read locks held when no write lock is held.
func readOnly(h held) []lock {
	var rs []lock
	for _, lk := range h {
		if !lk.read {
			return nil
		}
		rs = append(rs, lk)
	}
	return rs
}

// scan reports mutations inside a simple statement or expression.
func (c *checker) scan(n ast.Node, h held) {
	if c.collect {
		c.record(n, h)
		return
	}
	if n == nil || len(readOnly(h)) == 0 {
		return
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, lhs := range n.Lhs {
					what := "write to"
					if len(n.Rhs) == 1 && len(n.Lhs) == 1 && isAppendOf(c.pass, n.Rhs[0], lhs) {
						what = "append to"
					}
					c.write(lhs, lhs, h, what)
				}
			}
		case *ast.IncDecStmt:
			c.write(n.X, n.X, h, "write to")
		case *ast.CallExpr:
			c.call(n, h)
		}
		return true
	})
}

// write reports an assignment to target when it modifies guarded data.
func (c *checker) write(report ast.Node, target ast.Expr, h held, what string) {
	target = ast.Unparen(target)
	if id, ok := target.(*ast.Ident); ok {
		// A bare variable is local unless it is a package-level variable
		// under a package-level lock.
		if !c.paths.isPkgVar(id) {
			return
		}
	}
	p, ok := c.paths.of(target)
	if !ok {
		return
	}
	if ix, ok := target.(*ast.IndexExpr); ok && what == "write to" {
		if _, isMap := c.pass.TypesInfo.TypeOf(ix.X).Underlying().(*types.Map); isMap {
			what = "map write to"
			target = ix.X
		}
	}
	for _, lk := range readOnly(h) {
		if !guards(lk, p) {
			continue
		}
		if what != "map write to" && lk.guard != "" {
			// A plain field write counts only if the package touches that
			// field under the write lock somewhere: otherwise the RWMutex
			// does not guard it (an owner-only field next to a close guard).
			if seg, ok := segment(lk, p); !ok || !c.guarded[lk.guard][seg] {
				continue
			}
		}
		category := CategoryField
		if what == "map write to" {
			category = CategoryMap
		}
		c.report(report, lk, category, fmt.Sprintf("%s %s", what, types.ExprString(target)))
		return
	}
}

// guards reports whether data at path p is guarded by lk.
func guards(lk lock, p path) bool {
	if lk.base == "pkg" {
		return p.pkgVar
	}
	return lk.base != "" && (strings.HasPrefix(p.s, lk.base+".") || strings.HasPrefix(p.s, lk.base+"[]"))
}

var listMutators = map[string]bool{
	"MoveToFront": true, "MoveToBack": true, "MoveBefore": true, "MoveAfter": true,
	"Remove": true, "PushFront": true, "PushBack": true, "PushFrontList": true,
	"PushBackList": true, "InsertBefore": true, "InsertAfter": true, "Init": true,
}

var heapMutators = map[string]bool{"Push": true, "Pop": true, "Remove": true, "Fix": true, "Init": true}

func (c *checker) call(call *ast.CallExpr, h held) {
	// Builtins delete and clear.
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") && len(call.Args) > 0 {
			c.mutates(call, call.Args[0], h, CategoryMap, b.Name()+" on "+types.ExprString(call.Args[0]))
		}
		return
	}
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return
	}
	sel, _ := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	recv := fn.Signature().Recv()
	switch {
	case fn.Pkg().Path() == "container/list" && recv != nil && listMutators[fn.Name()] && sel != nil:
		c.mutates(call, sel.X, h, CategoryContainer, types.ExprString(call.Fun)+" mutates the list")
	case fn.Pkg().Path() == "container/heap" && recv == nil && heapMutators[fn.Name()] && len(call.Args) > 0:
		c.mutates(call, call.Args[0], h, CategoryContainer, types.ExprString(call.Fun)+" reorders the heap")
	case fn.Pkg() == c.pass.Pkg && recv != nil && sel != nil:
		if c.sum.mutatesReceiver(fn) {
			if s, ok := c.pass.TypesInfo.Selections[sel]; ok && s.Kind() == types.MethodVal {
				c.mutates(call, sel.X, h, CategoryMethod, types.ExprString(call.Fun)+" modifies "+types.ExprString(sel.X))
			}
		}
	}
}

// mutates reports a call that modifies the data x denotes, if guarded.
func (c *checker) mutates(call *ast.CallExpr, x ast.Expr, h held, category, what string) {
	p, ok := c.paths.of(ast.Unparen(x))
	if !ok {
		return
	}
	for _, lk := range readOnly(h) {
		if guards(lk, p) || lk.base != "" && p.s == lk.base {
			c.report(call, lk, category, what)
			return
		}
	}
}

func (c *checker) report(n ast.Node, lk lock, category, what string) {
	if c.collect || c.reported[n] {
		return
	}
	c.reported[n] = true
	d := analysis.Diagnostic{
		Pos:      n.Pos(),
		End:      n.End(),
		Category: category,
		Message: fmt.Sprintf("%s under %s.RLock: readers run in parallel, so this is a data race; take %s.Lock on paths that mutate",
			what, lk.name, lk.name),
	}
	if !c.fixed[lk.call] {
		c.fixed[lk.call] = true
		if fix, ok := c.fix(lk); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	c.pass.Report(d)
}

// fix turns the function's RLock/RUnlock pair on this mutex into
// Lock/Unlock, when the function locks it exactly once, every RUnlock is a
// plain call or a defer in the function itself, and no call in the function
// reaches code of this package that takes a lock (a recursive lock would
// deadlock with Lock).
func (c *checker) fix(lk lock) (analysis.SuggestedFix, bool) {
	var rlocks, runlocks []*ast.SelectorExpr
	bad := false
	var visit func(n ast.Node, nested bool)
	visit = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			if bad {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				visit(n.Body, true)
				return false
			case *ast.DeferStmt:
				if op, key, _, ok := c.lockCall(n.Call); ok && key == lk.mukey && op == "RUnlock" {
					runlocks = append(runlocks, ast.Unparen(n.Call.Fun).(*ast.SelectorExpr))
					return false
				}
			case *ast.CallExpr:
				if op, key, _, ok := c.lockCall(n); ok {
					if key != lk.mukey {
						return true
					}
					switch {
					case op == "RLock" && !nested:
						rlocks = append(rlocks, ast.Unparen(n.Fun).(*ast.SelectorExpr))
					case op == "RUnlock" && !nested:
						runlocks = append(runlocks, ast.Unparen(n.Fun).(*ast.SelectorExpr))
					default:
						bad = true
					}
					return true
				}
				if fn, ok := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func); ok && fn.Pkg() == c.pass.Pkg && c.sum.locks(fn) {
					bad = true
				}
			}
			return true
		})
	}
	visit(c.body, false)
	if bad || len(rlocks) != 1 || len(runlocks) == 0 {
		return analysis.SuggestedFix{}, false
	}
	edits := []analysis.TextEdit{{Pos: rlocks[0].Sel.Pos(), End: rlocks[0].Sel.End(), NewText: []byte("Lock")}}
	for _, s := range runlocks {
		edits = append(edits, analysis.TextEdit{Pos: s.Sel.Pos(), End: s.Sel.End(), NewText: []byte("Unlock")})
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Use %s.Lock and %s.Unlock", lk.name, lk.name),
		TextEdits: edits,
	}, true
}

// lockCall recognises Lock, RLock, Unlock and RUnlock on a sync.Mutex or
// sync.RWMutex (possibly embedded).
func (c *checker) lockCall(e ast.Expr) (op, key string, lk lock, ok bool) {
	call, mu, op, ok := locks.Call(c.pass.TypesInfo, e)
	if !ok {
		return "", "", lock{}, false
	}
	p, ok := c.paths.of(mu)
	if !ok {
		return "", "", lock{}, false
	}
	lk = lock{name: types.ExprString(mu), call: call, mukey: p.s}
	x := ast.Unparen(mu)
	switch {
	case locks.IsMutex(c.pass.TypesInfo.TypeOf(x)):
		if s, ok := x.(*ast.SelectorExpr); ok {
			if sl, ok := c.pass.TypesInfo.Selections[s]; ok && sl.Kind() == types.FieldVal {
				if bp, ok := c.paths.of(s.X); ok {
					lk.base = bp.s // s.mu guards the rest of s
				}
			} else if p.pkgVar {
				lk.base = "pkg"
			}
		} else if p.pkgVar {
			lk.base = "pkg"
		}
	default:
		lk.base = p.s // a struct embedding the mutex guards itself
	}
	lk.guard = c.guardKey(x, lk)
	return op, p.s, lk, true
}

// guardKey names a mutex the same way in every function: the named type
// that holds it and the field, or the package-level variable.
func (c *checker) guardKey(x ast.Expr, lk lock) string {
	named := func(e ast.Expr) string {
		t := c.pass.TypesInfo.TypeOf(e)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Pkg().Path() + "." + n.Obj().Name()
		}
		return ""
	}
	switch {
	case lk.base == "pkg":
		return "pkg#" + lk.name
	case lk.base == "":
		return ""
	}
	if s, ok := x.(*ast.SelectorExpr); ok && locks.IsMutex(c.pass.TypesInfo.TypeOf(x)) {
		if t := named(s.X); t != "" {
			return t + "#" + s.Sel.Name
		}
		return ""
	}
	if t := named(x); t != "" {
		return t + "#embedded"
	}
	return ""
}

// isAppendOf reports whether rhs is append(lhs, ...).
func isAppendOf(pass *analysis.Pass, rhs, lhs ast.Expr) bool {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	return ok && len(call.Args) > 0 && match.IsBuiltin(pass.TypesInfo, call.Fun, "append") &&
		types.ExprString(call.Args[0]) == types.ExprString(lhs)
}
