// Package atomicmix defines an Analyzer that reports variables and struct
// fields accessed both through the sync/atomic functions and by plain loads
// or stores.
package atomicmix

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

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed atomicmix.md
var Page string

const doc = `report fields and variables accessed both with sync/atomic and plainly

An atomic operation only protects a word if every concurrent access to it
is atomic. When one goroutine does atomic.AddInt64(&s.n, 1) while another
reads s.n, writes s.n = 0 or does s.n++, the plain access is a data race:
the reader may see a torn or stale value, the plain increment loses
updates, and the race detector fails the run. The pass finds the
variables and fields (identified by their declaration, so every instance
of a struct type counts) whose address is passed to a sync/atomic
function somewhere in the package, and reports the other, plain loads and
stores of them. Fields declared with the typed atomics (atomic.Int64,
atomic.Bool, ...) cannot be accessed plainly, which is why the message
suggests them.

Not reported, as they cannot race with the atomic accesses: struct
literal keys, and accesses to a struct the function has just created
with a literal, before anything could share it (a go statement, a call
or closure given it, a channel send); plain accesses in _test.go files;
accesses after a sync.WaitGroup or errgroup Wait in the same function; a
local variable's accesses in its own function before the first closure
that uses it; and plain reads made while holding a mutex when every
atomic write to the same word also holds one.`

// Analyzer reports plain accesses to words also accessed atomically.
var Analyzer = &analysis.Analyzer{
	Name:     "atomicmix",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// atomicUse summarises how the package accesses one word atomically.
type atomicUse struct {
	fn             string // the first sync/atomic function seen, e.g. "AddInt64"
	arg            string // its address operand, e.g. "s.n"
	unlockedWrites bool   // some atomic write does not hold a mutex
}

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync/atomic") {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	// First, the words whose address a sync/atomic function takes.
	atomics := map[*types.Var]*atomicUse{}
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync/atomic" || fn.Signature().Recv() != nil || len(call.Args) == 0 {
			continue
		}
		addr, ok := ast.Unparen(call.Args[0]).(*ast.UnaryExpr)
		if !ok || addr.Op != token.AND {
			continue
		}
		v := wordOf(pass, addr.X)
		if v == nil {
			continue
		}
		u := atomics[v]
		if u == nil {
			u = &atomicUse{fn: fn.Name(), arg: types.ExprString(ast.Unparen(addr.X))}
			atomics[v] = u
		}
		if !strings.HasPrefix(fn.Name(), "Load") && !lockHeld(pass, cur) {
			u.unlockedWrites = true
		}
	}
	if len(atomics) == 0 {
		return nil, nil
	}

	// Then every other use of those words.
	for cur := range in.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		v, ok := pass.TypesInfo.Uses[id].(*types.Var)
		if !ok {
			continue
		}
		u := atomics[v.Origin()]
		if u == nil || match.InTestFile(pass, id.Pos()) {
			continue
		}
		// The expression denoting the word: id itself, or x.id.
		ecur := cur
		if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			ecur = cur.Parent()
		}
		kind := accessKind(ecur, v.IsField())
		if kind == "" {
			continue
		}
		if kind == "read" && !u.unlockedWrites && lockHeld(pass, ecur) {
			continue // reads and writes all hold a lock: not concurrent
		}
		if afterJoin(pass, ecur) || initialising(pass, ecur) || beforeShared(pass, v, ecur) {
			continue
		}
		pass.Report(analysis.Diagnostic{
			Pos:     ecur.Node().Pos(),
			End:     ecur.Node().End(),
			Message: message(kind, ecur, u),
		})
	}
	return nil, nil
}

// wordOf returns the variable or field (its generic origin) that e
// denotes, or nil when e is anything else (an index, a dereference).
func wordOf(pass *analysis.Pass, e ast.Expr) *types.Var {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := pass.TypesInfo.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.SelectorExpr:
		if sel, ok := pass.TypesInfo.Selections[e]; ok {
			if sel.Kind() != types.FieldVal {
				return nil
			}
			if v, ok := sel.Obj().(*types.Var); ok {
				return v.Origin()
			}
			return nil
		}
		if v, ok := pass.TypesInfo.Uses[e.Sel].(*types.Var); ok { // pkg.V
			return v.Origin()
		}
	}
	return nil
}

// accessKind says how the expression at cur uses the word: "read",
// "write" (x = v), "update" (x++, x += v), or "" when it is no plain
// access (a struct literal key, an address taken, a method receiver).
func accessKind(cur inspector.Cursor, field bool) string {
	e := cur.Node()
	p := cur.Parent()
	for {
		if _, ok := p.Node().(*ast.ParenExpr); !ok {
			break
		}
		e, p = p.Node(), p.Parent()
	}
	switch pn := p.Node().(type) {
	case *ast.KeyValueExpr:
		if _, ok := e.(*ast.Ident); ok && field && pn.Key == e {
			return "" // a struct literal key names the field: no access
		}
	case *ast.UnaryExpr:
		if pn.Op == token.AND {
			return ""
		}
	case *ast.SelectorExpr:
		if pn.X == e {
			return "" // a method call or a deeper field: not a plain word access
		}
	case *ast.AssignStmt:
		for _, l := range pn.Lhs {
			if l == e {
				if pn.Tok == token.ASSIGN || pn.Tok == token.DEFINE {
					return "write"
				}
				return "update:" + strings.TrimSuffix(pn.Tok.String(), "=")
			}
		}
	case *ast.IncDecStmt:
		return "update:" + pn.Tok.String()[:1]
	case *ast.RangeStmt:
		if pn.Key == e || pn.Value == e {
			return "write"
		}
	}
	return "read"
}

// message words the finding for one plain access.
func message(kind string, cur inspector.Cursor, u *atomicUse) string {
	expr := types.ExprString(cur.Node().(ast.Expr))
	suffix := u.fn
	for _, p := range []string{"CompareAndSwap", "Add", "And", "Or", "Load", "Store", "Swap"} {
		if s, ok := strings.CutPrefix(u.fn, p); ok {
			suffix = s
			break
		}
	}
	typed := "atomic." + suffix
	if suffix == "Pointer" {
		typed = "atomic.Pointer[T]"
	}
	var what, instead string
	switch kind {
	case "read":
		what, instead = "plain read of "+expr, "atomic.Load"+suffix
	case "write":
		what, instead = "plain write to "+expr, "atomic.Store"+suffix
	case "update:+":
		what, instead = "plain increment of "+expr, "atomic.Add"+suffix
	case "update:-":
		what, instead = "plain decrement of "+expr, "atomic.Add"+suffix
	default:
		what, instead = "plain read-modify-write of "+expr, "a CompareAndSwap"+suffix+" loop"
	}
	return fmt.Sprintf("%s races with atomic.%s(&%s, ...) elsewhere: use %s here too, or better declare it as an %s so no access can be plain",
		what, u.fn, u.arg, instead, typed)
}

// enclosingFunc returns the body of the innermost function containing cur.
func enclosingFunc(cur inspector.Cursor) (inspector.Cursor, *ast.BlockStmt) {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		switch f := c.Node().(type) {
		case *ast.FuncDecl:
			return c, f.Body
		case *ast.FuncLit:
			return c, f.Body
		}
	}
	return inspector.Cursor{}, nil
}

// lockHeld reports whether, in the function containing cur, the last
// Lock/RLock/Unlock/RUnlock call before it (among those in blocks that
// enclose it, deferred calls excluded) is a Lock or RLock.
func lockHeld(pass *analysis.Pass, cur inspector.Cursor) bool {
	fcur, body := enclosingFunc(cur)
	if body == nil {
		return false
	}
	pos := cur.Node().Pos()
	held := false
	for c := range fcur.Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if call.Pos() >= pos {
			break
		}
		_, _, op, ok := locks.Call(pass.TypesInfo, call)
		if !ok || !sameFunc(c, fcur) || deferred(c, fcur) {
			continue
		}
		// The call's statement must sit in a block enclosing cur.
		stmt := c.Parent()
		if _, ok := stmt.Node().(*ast.ExprStmt); !ok {
			continue
		}
		if !stmt.Parent().Contains(cur) {
			continue
		}
		held = op == "Lock" || op == "RLock"
	}
	return held
}

// sameFunc reports whether c belongs to the function fcur itself, not to a
// function literal nested in it.
func sameFunc(c, fcur inspector.Cursor) bool {
	f, _ := enclosingFunc(c)
	return f == fcur
}

func deferred(c, fcur inspector.Cursor) bool {
	for p := c.Parent(); p != fcur; p = p.Parent() {
		if _, ok := p.Node().(*ast.DeferStmt); ok {
			return true
		}
	}
	return false
}

// afterJoin reports whether a sync.WaitGroup or errgroup.Group Wait call
// precedes cur in its function (outside nested function literals): the
// goroutines that used the word atomically have finished.
func afterJoin(pass *analysis.Pass, cur inspector.Cursor) bool {
	fcur, body := enclosingFunc(cur)
	if body == nil {
		return false
	}
	pos := cur.Node().Pos()
	for c := range fcur.Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		if call.Pos() >= pos {
			return false
		}
		fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok || fn.Name() != "Wait" || fn.Signature().Recv() == nil || !sameFunc(c, fcur) {
			continue
		}
		recv := fn.Signature().Recv().Type()
		if match.NamedOrPointer(recv, "sync", "WaitGroup") || match.NamedOrPointer(recv, "golang.org/x/sync/errgroup", "Group") {
			return true
		}
	}
	return false
}

// initialising reports whether cur is x.f (or x.f.g) where x is a local
// variable that the same function declared with a composite literal (x :=
// &T{...}, x := T{...}, var x T), and nothing between that declaration and
// cur can have shared x with another goroutine: no go statement, no
// function literal or call given x (a method of x included), no channel
// send of it.
func initialising(pass *analysis.Pass, cur inspector.Cursor) bool {
	sel, ok := cur.Node().(*ast.SelectorExpr)
	if !ok {
		return false
	}
	base := sel.X
	for {
		inner, ok := ast.Unparen(base).(*ast.SelectorExpr)
		if !ok {
			break
		}
		base = inner.X
	}
	id, ok := ast.Unparen(base).(*ast.Ident)
	if !ok {
		return false
	}
	obj, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	fcur, body := enclosingFunc(cur)
	if body == nil || obj.Pos() < body.Pos() || obj.Pos() >= body.End() {
		return false
	}
	// The declaration, directly in the function (not in a closure).
	var declEnd token.Pos
	for c := range fcur.Preorder((*ast.AssignStmt)(nil), (*ast.DeclStmt)(nil)) {
		switch st := c.Node().(type) {
		case *ast.AssignStmt:
			if declares(pass, st, obj) {
				declEnd = st.End()
			}
		case *ast.DeclStmt:
			if declaresVar(pass, st, obj) {
				declEnd = st.End()
			}
		}
		if declEnd.IsValid() {
			if f, _ := enclosingFunc(c); f != fcur {
				return false
			}
			break
		}
	}
	if !declEnd.IsValid() || declEnd > cur.Node().Pos() {
		return false
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == obj {
				found = true
			}
			return !found
		})
		return found
	}
	shared := false
	fcur.Inspect(nil, func(c inspector.Cursor) bool {
		n := c.Node()
		if shared || n.End() <= declEnd || n.Pos() >= cur.Node().Pos() || c.Contains(cur) {
			return !shared && n.Pos() < cur.Node().Pos() && n.End() > declEnd
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			shared = true
		case *ast.FuncLit:
			shared = c != fcur && mentions(n)
			return false
		case *ast.SendStmt:
			shared = mentions(n.Value)
		case *ast.CallExpr:
			if tv, ok := pass.TypesInfo.Types[n.Fun]; ok && (tv.IsBuiltin() || tv.IsType()) {
				return true // append(x.deps, d), len(x.deps), T(x.n)
			}
			for _, a := range n.Args {
				if mentions(a) {
					shared = true
				}
			}
			if s, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && mentions(s.X) {
				if sel, ok := pass.TypesInfo.Selections[s]; ok && sel.Kind() == types.MethodVal {
					shared = true
				}
			}
		}
		return !shared
	})
	return !shared
}

// declares reports whether st is "x := T{...}" or "x := &T{...}" for obj.
func declares(pass *analysis.Pass, st *ast.AssignStmt, obj types.Object) bool {
	if st.Tok != token.DEFINE || len(st.Lhs) != len(st.Rhs) {
		return false
	}
	for i, l := range st.Lhs {
		if id, ok := l.(*ast.Ident); ok && pass.TypesInfo.Defs[id] == obj {
			return isLiteral(st.Rhs[i])
		}
	}
	return false
}

func declaresVar(pass *analysis.Pass, st *ast.DeclStmt, obj types.Object) bool {
	gd, ok := st.Decl.(*ast.GenDecl)
	if !ok || gd.Tok != token.VAR {
		return false
	}
	for _, spec := range gd.Specs {
		vs := spec.(*ast.ValueSpec)
		for i, id := range vs.Names {
			if pass.TypesInfo.Defs[id] == obj {
				return len(vs.Values) == 0 || i < len(vs.Values) && isLiteral(vs.Values[i])
			}
		}
	}
	return false
}

func isLiteral(e ast.Expr) bool {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	_, ok := e.(*ast.CompositeLit)
	return ok
}

// beforeShared reports whether cur accesses a local variable v in the
// function that declares it, before any function literal of that
// function uses v: until then no other goroutine can see it. Accesses of
// a local variable that no function literal uses at all are never
// concurrent either.
func beforeShared(pass *analysis.Pass, v *types.Var, cur inspector.Cursor) bool {
	if v.IsField() || v.Parent() == nil || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return false
	}
	fcur, body := enclosingFunc(cur)
	if body == nil || !(v.Pos() >= fcur.Node().Pos() && v.Pos() < fcur.Node().End()) {
		return false // cur is in a closure (or v is a parameter of an outer one)
	}
	pos := cur.Node().Pos()
	for c := range fcur.Preorder((*ast.FuncLit)(nil)) {
		if c == fcur {
			continue
		}
		used := false
		ast.Inspect(c.Node(), func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == v {
				used = true
			}
			return !used
		})
		if used {
			return pos < c.Node().Pos()
		}
	}
	return true
}
