// Package locks recognises sync.Mutex and sync.RWMutex Lock/Unlock calls
// and provides the held-locks set that the lock passes (lockio,
// rlockmutation, unlockpaths) carry through a function body: copying it at
// a branch, keeping what is held on both sides where paths merge, and
// merging the clauses of a switch or select. What each pass records per
// lock, and what it does at each statement, stays in the pass.
package locks

import (
	"go/ast"
	"go/types"
	"maps"

	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// IsMutex reports whether t is sync.Mutex or sync.RWMutex, or a pointer
// to one.
func IsMutex(t types.Type) bool {
	return match.NamedOrPointer(t, "sync", "Mutex") || match.NamedOrPointer(t, "sync", "RWMutex")
}

// IsLockMethod reports whether fn is the Lock, RLock, Unlock or RUnlock
// method of sync.Mutex or sync.RWMutex (a nil fn is not).
func IsLockMethod(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	recv := fn.Signature().Recv()
	if recv == nil || !IsMutex(recv.Type()) {
		return false
	}
	switch fn.Name() {
	case "Lock", "RLock", "Unlock", "RUnlock":
		return true
	}
	return false
}

// Call recognises e as x.Lock(), x.RLock(), x.Unlock() or x.RUnlock() on a
// sync.Mutex or sync.RWMutex (x may be a struct embedding one). It returns
// the call, the mutex expression x and the method name; the pass decides
// how to name x.
func Call(info *types.Info, e ast.Expr) (call *ast.CallExpr, mu ast.Expr, op string, ok bool) {
	call, ok = ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return nil, nil, "", false
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if !IsLockMethod(fn) {
		return nil, nil, "", false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, "", false
	}
	return call, sel.X, fn.Name(), true
}

// Held maps a key naming a mutex to what a pass records about it while it
// is held. A walker treats it as a value: it clones before changing a set
// that another path may still use.
type Held[L any] map[string]L

// Clone returns a copy of h that may be changed freely (never nil).
func (h Held[L]) Clone() Held[L] {
	if h == nil {
		return Held[L]{}
	}
	return maps.Clone(h)
}

// Meet keeps the locks of a that b holds too: what is certainly held where
// two paths merge.
func Meet[L any](a, b Held[L]) Held[L] {
	out := Held[L]{}
	for k, v := range a {
		if _, ok := b[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Join merges the two branches of an if: h1/t1 and h2/t2 are the locks
// held at the end of each and whether it always leaves (return, break...).
// A branch that leaves does not reach the merge point.
func Join[L any](h1 Held[L], t1 bool, h2 Held[L], t2 bool) (Held[L], bool) {
	switch {
	case t1 && t2:
		return h1, true
	case t1:
		return h2, false
	case t2:
		return h1, false
	}
	return Meet(h1, h2), false
}

// Block walks a statement list in order with stmt, starting from h (an
// empty set if nil), and returns the locks held at its end and whether
// every path through it leaves, stopping at the first statement that does.
func Block[L any](list []ast.Stmt, h Held[L], stmt func(ast.Stmt, Held[L]) (Held[L], bool)) (Held[L], bool) {
	if h == nil {
		h = Held[L]{}
	}
	for _, s := range list {
		var term bool
		h, term = stmt(s, h)
		if term {
			return h, true
		}
	}
	return h, false
}

// Clauses walks the clauses of a switch, type switch or select body with
// clause, which gets each *ast.CaseClause or *ast.CommClause, the
// statements of its body and its own copy of h, and merges the results:
// the locks held after the statement, and whether every clause leaves.
// Without a default clause a switch may also run no clause and go on with
// h; a select always runs one.
func Clauses[L any](body *ast.BlockStmt, h Held[L], clause func(cl ast.Stmt, list []ast.Stmt, h Held[L]) (Held[L], bool)) (Held[L], bool) {
	var out Held[L]
	allTerm, hasDefault := true, false
	for _, cl := range body.List {
		var list []ast.Stmt
		switch cl := cl.(type) {
		case *ast.CaseClause:
			list = cl.Body
			if cl.List == nil {
				hasDefault = true
			}
		case *ast.CommClause:
			list = cl.Body
			hasDefault = true
		}
		ho, t := clause(cl, list, h.Clone())
		if t {
			continue
		}
		allTerm = false
		if out == nil {
			out = ho
		} else {
			out = Meet(out, ho)
		}
	}
	if !hasDefault {
		if out == nil {
			out = h
		} else {
			out = Meet(out, h)
		}
		allTerm = false
	}
	if out == nil {
		out = h
	}
	return out, allTerm && len(body.List) > 0
}
