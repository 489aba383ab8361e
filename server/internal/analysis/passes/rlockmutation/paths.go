package rlockmutation

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// A path names the memory an expression denotes: the root variable
// followed by field names and "[]" for elements, e.g. "c.items[]".
// Local pointers, maps and slices read from guarded data (n := c.items[k])
// are aliases: writes through them are writes to the guarded data.
type path struct {
	s      string
	root   string // the root variable's part of s
	pkgVar bool   // rooted at a package-level variable of this package
}

type paths struct {
	pass    *analysis.Pass
	aliases map[types.Object]path
}

// newPaths records the aliases assigned in body.
func newPaths(pass *analysis.Pass, body *ast.BlockStmt) *paths {
	ps := &paths{pass: pass, aliases: map[types.Object]path{}}
	record := func(lhs ast.Expr, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var)
		if !ok || v.Pos() < body.Pos() || v.Pos() >= body.End() || !sharesMemory(v.Type()) {
			return
		}
		if _, done := ps.aliases[v]; done {
			return
		}
		if p, ok := ps.of(rhs); ok {
			ps.aliases[v] = p
		}
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			switch {
			case len(n.Lhs) == len(n.Rhs):
				for i := range n.Lhs {
					record(n.Lhs[i], n.Rhs[i])
				}
			case len(n.Rhs) == 1 && len(n.Lhs) == 2: // v, ok := m[k] / x.(T)
				record(n.Lhs[0], n.Rhs[0])
			}
		case *ast.ValueSpec:
			if len(n.Names) == len(n.Values) {
				for i := range n.Names {
					record(n.Names[i], n.Values[i])
				}
			}
		case *ast.RangeStmt:
			// for _, e := range c.entries: e aliases an element when it is a pointer.
			if n.Value != nil {
				if p, ok := ps.of(n.X); ok {
					if id, ok := n.Value.(*ast.Ident); ok {
						if v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var); ok && sharesMemory(v.Type()) {
							if _, done := ps.aliases[v]; !done {
								ps.aliases[v] = path{s: p.s + "[]", root: p.root, pkgVar: p.pkgVar}
							}
						}
					}
				}
			}
		}
		return true
	})
	return ps
}

func sharesMemory(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Map, *types.Slice:
		return true
	}
	return false
}

// of returns the path of e, if it can be named.
func (ps *paths) of(e ast.Expr) (path, bool) {
	info := ps.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.ObjectOf(e).(*types.Var)
		if !ok {
			return path{}, false
		}
		if p, ok := ps.aliases[v]; ok {
			return p, true
		}
		k := ps.pass.Fset.Position(v.Pos()).String() + ":" + v.Name()
		return path{s: k, root: k, pkgVar: ps.isPkgVar(e)}, true
	case *ast.SelectorExpr:
		if sel, ok := info.Selections[e]; ok {
			if sel.Kind() != types.FieldVal {
				return path{}, false
			}
			p, ok := ps.of(e.X)
			if !ok {
				return path{}, false
			}
			return path{s: p.s + "." + e.Sel.Name, root: p.root, pkgVar: p.pkgVar}, true
		}
		return ps.of(e.Sel) // pkg.Var
	case *ast.IndexExpr:
		switch info.TypeOf(e.X).Underlying().(type) {
		case *types.Map, *types.Slice, *types.Array, *types.Pointer:
			p, ok := ps.of(e.X)
			if !ok {
				return path{}, false
			}
			return path{s: p.s + "[]", root: p.root, pkgVar: p.pkgVar}, true
		}
	case *ast.StarExpr:
		return ps.of(e.X)
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return ps.of(e.X)
		}
	case *ast.TypeAssertExpr:
		return ps.of(e.X)
	case *ast.CallExpr:
		// List navigation stays inside the list: c.ll.Front(), e.Next().
		fn, _ := typeutil.Callee(info, e).(*types.Func)
		if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "container/list" {
			switch fn.Name() {
			case "Front", "Back", "Next", "Prev":
				if sel, ok := ast.Unparen(e.Fun).(*ast.SelectorExpr); ok {
					return ps.of(sel.X)
				}
			}
		}
	}
	return path{}, false
}

func (ps *paths) isPkgVar(id *ast.Ident) bool {
	v, ok := ps.pass.TypesInfo.ObjectOf(id).(*types.Var)
	return ok && !v.IsField() && v.Pkg() == ps.pass.Pkg && v.Parent() == v.Pkg().Scope()
}
