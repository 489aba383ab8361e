package rlockmutation

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/locks"
)

// summaries answers two questions about functions declared in the package
// being analysed: does a method modify its receiver, and does a function
// take a lock. Both look through same-package calls, to a bounded depth.
type summaries struct {
	pass   *analysis.Pass
	decls  map[*types.Func]*ast.FuncDecl
	memo   map[*types.Func]int // bit 1: computed mutates, bit 2: mutates, bit 4: computed locks, bit 8: locks
	fields map[*types.Func]map[string]bool
}

// receiverFields returns the names of the receiver's fields that a method
// touches, directly or through same-package methods of the receiver.
func (s *summaries) receiverFields(fn *types.Func, depth int) map[string]bool {
	if f, ok := s.fields[fn]; ok {
		return f
	}
	out := map[string]bool{}
	s.fields[fn] = out // provisional, breaks recursion
	fd := s.decls[fn]
	if fd == nil || depth >= maxDepth || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return out
	}
	recvObj := s.pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]]
	if recvObj == nil {
		return out
	}
	ps := newPaths(s.pass, fd.Body)
	rp := s.pass.Fset.Position(recvObj.Pos()).String() + ":" + recvObj.Name()
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if p, ok := ps.of(n); ok && strings.HasPrefix(p.s, rp+".") {
				rest := p.s[len(rp)+1:]
				if i := strings.IndexAny(rest, ".["); i >= 0 {
					rest = rest[:i]
				}
				out[rest] = true
			}
		case *ast.CallExpr:
			callee, _ := typeutil.Callee(s.pass.TypesInfo, n).(*types.Func)
			sel, _ := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			if callee != nil && callee.Pkg() == s.pass.Pkg && sel != nil {
				if p, ok := ps.of(sel.X); ok && p.s == rp {
					for f := range s.receiverFields(callee, depth+1) {
						out[f] = true
					}
				}
			}
		}
		return true
	})
	return out
}

const maxDepth = 4

func (s *summaries) mutatesReceiver(fn *types.Func) bool { return s.mutates(fn, 0) }

func (s *summaries) mutates(fn *types.Func, depth int) bool {
	if m := s.memo[fn]; m&1 != 0 {
		return m&2 != 0
	}
	s.memo[fn] |= 1 // provisional "no" breaks recursion
	r := depth < maxDepth && s.computeMutates(fn, depth)
	if r {
		s.memo[fn] |= 2
	}
	return r
}

func (s *summaries) computeMutates(fn *types.Func, depth int) bool {
	fd := s.decls[fn]
	if fd == nil || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return false
	}
	recvObj, ok := s.pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]].(*types.Var)
	if !ok {
		return false
	}
	if _, ptr := recvObj.Type().(*types.Pointer); !ptr {
		return false // a value receiver modifies a copy
	}
	if s.locks(fn) {
		return false // a method that locks for itself is another problem
	}
	ps := newPaths(s.pass, fd.Body)
	rp := path{s: s.pass.Fset.Position(recvObj.Pos()).String() + ":" + recvObj.Name()}
	rp.root = rp.s
	under := func(e ast.Expr) bool {
		p, ok := ps.of(e)
		return ok && (strings.HasPrefix(p.s, rp.s+".") || strings.HasPrefix(p.s, rp.s+"[]"))
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					if _, bare := ast.Unparen(l).(*ast.Ident); !bare && under(l) {
						found = true
					}
				}
			}
		case *ast.IncDecStmt:
			if _, bare := ast.Unparen(n.X).(*ast.Ident); !bare && under(n.X) {
				found = true
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok {
				if b, ok := s.pass.TypesInfo.Uses[id].(*types.Builtin); ok && (b.Name() == "delete" || b.Name() == "clear") && len(n.Args) > 0 && under(n.Args[0]) {
					found = true
				}
				break
			}
			callee, _ := typeutil.Callee(s.pass.TypesInfo, n).(*types.Func)
			if callee == nil || callee.Pkg() == nil {
				break
			}
			sel, _ := ast.Unparen(n.Fun).(*ast.SelectorExpr)
			recv := callee.Signature().Recv()
			switch {
			case callee.Pkg().Path() == "container/list" && recv != nil && listMutators[callee.Name()] && sel != nil:
				p, ok := ps.of(sel.X)
				found = ok && (p.s == rp.s || strings.HasPrefix(p.s, rp.s+".") || strings.HasPrefix(p.s, rp.s+"[]"))
			case callee.Pkg().Path() == "container/heap" && recv == nil && heapMutators[callee.Name()] && len(n.Args) > 0:
				found = under(n.Args[0])
			case callee.Pkg() == s.pass.Pkg && recv != nil && sel != nil:
				if p, ok := ps.of(sel.X); ok && p.s == rp.s && s.mutates(callee, depth+1) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// locks reports whether fn (or a same-package function it calls) calls a
// Lock or RLock method of a sync mutex.
func (s *summaries) locks(fn *types.Func) bool { return s.locksDepth(fn, 0) }

func (s *summaries) locksDepth(fn *types.Func, depth int) bool {
	if m := s.memo[fn]; m&4 != 0 {
		return m&8 != 0
	}
	s.memo[fn] |= 4
	fd := s.decls[fn]
	if fd == nil || depth >= maxDepth {
		return false
	}
	found := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			callee, _ := typeutil.Callee(s.pass.TypesInfo, call).(*types.Func)
			if locks.IsLockMethod(callee) && (callee.Name() == "Lock" || callee.Name() == "RLock") {
				found = true
			} else if callee != nil && callee.Pkg() == s.pass.Pkg && s.locksDepth(callee, depth+1) {
				found = true
			}
		}
		return !found
	})
	if found {
		s.memo[fn] |= 8
	}
	return found
}
