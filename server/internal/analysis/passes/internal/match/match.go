// Package match holds the small recognisers the analysis passes share: is
// this type a given named type, is this call a builtin or a call that never
// returns, which variable or field path does this expression denote. Each
// pass used to carry its own copy of these; keeping one copy here keeps
// their answers identical across passes.
package match

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// Imports reports whether pkg imports path directly. Passes use it to skip
// packages that cannot contain what they look for.
func Imports(pkg *types.Package, path string) bool {
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return true
		}
	}
	return false
}

// FuncDecls indexes the function and method declarations of the package
// that have a body by their *types.Func, so that a pass can look into the
// body of a same-package callee (does it lock, unlock, write its receiver).
func FuncDecls(pass *analysis.Pass) map[*types.Func]*ast.FuncDecl {
	decls := map[*types.Func]*ast.FuncDecl{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[fn] = fd
				}
			}
		}
	}
	return decls
}

// Named reports whether t (after resolving aliases) is the named type
// pkg.name, where pkg is an import path. A pointer to it does not count;
// see NamedOrPointer. A nil t is not named.
func Named(t types.Type, pkg, name string) bool {
	if t == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	obj := n.Obj()
	return obj.Pkg() != nil && obj.Pkg().Path() == pkg && obj.Name() == name
}

// NamedOrPointer reports whether t is the named type pkg.name or a pointer
// to it, as a method receiver or an addressable operand usually is.
func NamedOrPointer(t types.Type, pkg, name string) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	return Named(t, pkg, name)
}

// InTestFile reports whether pos lies in a _test.go file, for passes that
// treat test code differently.
func InTestFile(pass *analysis.Pass, pos token.Pos) bool {
	f := pass.Fset.File(pos)
	return f != nil && strings.HasSuffix(f.Name(), "_test.go")
}

// IsBuiltin reports whether fun, the function of a call, names the
// predeclared builtin name (len, make, append, panic...) rather than a
// user declaration that shadows it.
func IsBuiltin(info *types.Info, fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// IsNoReturn reports whether e is a call that never returns: panic,
// os.Exit, or log.Fatal*/log.Panic*. Statement walkers treat it like a
// return, ending the path.
func IsNoReturn(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	if IsBuiltin(info, call.Fun, "panic") {
		return true
	}
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "os":
		return fn.Name() == "Exit"
	case "log":
		return strings.HasPrefix(fn.Name(), "Fatal") || strings.HasPrefix(fn.Name(), "Panic")
	}
	return false
}

// IsPkgVar reports whether id denotes a package-level variable of pkg (not
// a field, not a local), the kind a package-level mutex guards.
func IsPkgVar(info *types.Info, pkg *types.Package, id *ast.Ident) bool {
	v, ok := info.ObjectOf(id).(*types.Var)
	return ok && !v.IsField() && v.Pkg() == pkg && v.Parent() == v.Pkg().Scope()
}

// VarKey names the variable or field path an expression denotes (x, &x,
// *p, s.f.g, pkg.V), so that two expressions for the same storage get the
// same key; "" when e is anything else (a call, an index, a method value).
// The root variable is named by its declaring position, so shadowed names
// do not collide.
func VarKey(pass *analysis.Pass, e ast.Expr) string {
	return varKey(pass, e, false)
}

// VarKeyIndexed is VarKey that also names an index expression a[i] by the
// key of a and the source text of i (shards[i].mu), for callers that accept
// that two different index texts may denote the same element.
func VarKeyIndexed(pass *analysis.Pass, e ast.Expr) string {
	return varKey(pass, e, true)
}

func varKey(pass *analysis.Pass, e ast.Expr, index bool) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if obj, ok := pass.TypesInfo.ObjectOf(e).(*types.Var); ok {
			return pass.Fset.Position(obj.Pos()).String() + ":" + obj.Name()
		}
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return varKey(pass, e.X, index)
		}
	case *ast.StarExpr:
		return varKey(pass, e.X, index)
	case *ast.SelectorExpr:
		if sel, ok := pass.TypesInfo.Selections[e]; ok {
			if sel.Kind() != types.FieldVal {
				return ""
			}
			if base := varKey(pass, e.X, index); base != "" {
				return base + "." + e.Sel.Name
			}
			return ""
		}
		return varKey(pass, e.Sel, index) // pkg.Var
	case *ast.IndexExpr:
		if !index {
			return ""
		}
		if base := varKey(pass, e.X, index); base != "" {
			return base + "[" + types.ExprString(e.Index) + "]"
		}
	}
	return ""
}
