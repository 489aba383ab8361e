// Package ctxbackground defines an Analyzer that reports code that throws
// away the caller's context.Context.
//
// # Analyzer ctxbackground
//
// ctxbackground: report context.Background()/TODO() where a ctx is in scope
//
// A function that receives a context.Context has been told by its caller
// when to stop (cancellation, deadline) and what request it serves (values
// such as trace IDs). Calling context.Background() or context.TODO() inside
// it starts a fresh, never-cancelled context and silently drops all of
// that: a cancelled request keeps running, a deadline is ignored. The fix
// is to pass the parameter on.
//
// Three related conventions are reported as information: a
// context.Context that is not the first parameter of a function, and a
// context.Context stored in a struct field instead of being passed to
// each call.
//
// Not reported: calls inside a defer (cleanup often must outlive a
// cancelled ctx), a fresh timeout for a graceful shutdown after
// <-ctx.Done(), parameters named _, testing.TB parameters before ctx,
// embedded Context fields, and structs that own their context (they also
// hold its CancelFunc, or expose it through a method returning
// context.Context, as testing.T and http.Request do).
package ctxbackground

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

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed ctxbackground.md
var Page string

const doc = `report context.Background()/TODO() called where a context.Context parameter is in scope

A function that receives a ctx has been told when to stop and which request
it serves; context.Background() or context.TODO() inside it drops the
cancellation, the deadline and the values. The pass also reports, as
information, a context.Context that is not the first parameter and a
context.Context stored in a struct field.`

// Analyzer reports discarded contexts; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "ctxbackground",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories (anchors in the hint page). Category "background"
// is a bug (Warning); "ctxfirst" and "ctxfield" are conventions
// (Information).
const (
	CategoryBackground = "background"
	CategoryFirst      = "ctxfirst"
	CategoryField      = "ctxfield"
)

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "context") {
		return nil, nil
	}
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()

	for cur := range root.Preorder((*ast.CallExpr)(nil), (*ast.FuncDecl)(nil), (*ast.TypeSpec)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			checkBackground(pass, cur, n)
		case *ast.FuncDecl:
			checkFirst(pass, n)
		case *ast.TypeSpec:
			checkField(pass, n)
		}
	}
	return nil, nil
}

// checkBackground reports context.Background()/TODO() inside a function
// (or a closure in one) that has a context.Context parameter.
func checkBackground(pass *analysis.Pass, cur inspector.Cursor, call *ast.CallExpr) {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "context" ||
		(fn.Name() != "Background" && fn.Name() != "TODO") {
		return
	}

	// Walk outwards to the innermost function with a ctx parameter,
	// noting whether we leave a goroutine or a deferred call on the way.
	var (
		param     *types.Var
		body      *ast.BlockStmt
		goroutine bool
	)
	for c := range cur.Enclosing() {
		var ftype *ast.FuncType
		switch n := c.Node().(type) {
		case *ast.DeferStmt:
			return // cleanup may run after ctx is cancelled
		case *ast.GoStmt:
			goroutine = true
		case *ast.FuncLit:
			ftype, body = n.Type, n.Body
		case *ast.FuncDecl:
			ftype, body = n.Type, n.Body
		}
		if ftype == nil {
			continue
		}
		if p, named := contextParam(pass.TypesInfo, ftype); p != nil {
			if !named {
				return // ctx deliberately ignored (_ or unnamed)
			}
			param = p
			break
		}
		if _, isDecl := c.Node().(*ast.FuncDecl); isDecl {
			return
		}
	}
	if param == nil {
		return
	}
	if shutdownTimeout(pass, cur, call, param, body) {
		return
	}

	name := param.Name()
	what := fmt.Sprintf("context.%s()", fn.Name())
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: CategoryBackground,
	}
	if goroutine {
		diag.Message = fmt.Sprintf("%s in a goroutine started where %s is in scope drops its cancellation and values: pass %s, or context.WithoutCancel(%s) if the work must outlive the caller", what, name, name, name)
		pass.Report(diag)
		return
	}
	diag.Message = fmt.Sprintf("%s discards the caller's %s (cancellation, deadline, values): pass %s instead", what, name, name)
	// Offer the fix only if the name still refers to the parameter here.
	if scope := pass.Pkg.Scope().Innermost(call.Pos()); scope != nil {
		if _, obj := scope.LookupParent(name, call.Pos()); obj == param {
			diag.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   fmt.Sprintf("Replace %s with %s", what, name),
				TextEdits: []analysis.TextEdit{{Pos: call.Pos(), End: call.End(), NewText: []byte(name)}},
			}}
		}
	}
	pass.Report(diag)
}

// shutdownTimeout reports whether call is the parent of a
// context.WithTimeout/WithDeadline after the function has waited on
// param.Done(): the graceful-shutdown idiom, where ctx is already
// cancelled and a fresh bounded context is the point.
func shutdownTimeout(pass *analysis.Pass, cur inspector.Cursor, call *ast.CallExpr, param *types.Var, body *ast.BlockStmt) bool {
	parent, ok := cur.Parent().Node().(*ast.CallExpr)
	if !ok || len(parent.Args) == 0 || parent.Args[0] != call {
		return false
	}
	fn, ok := typeutil.Callee(pass.TypesInfo, parent).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "context" || !strings.HasPrefix(fn.Name(), "With") ||
		(!strings.Contains(fn.Name(), "Timeout") && !strings.Contains(fn.Name(), "Deadline")) {
		return false
	}
	waited := false
	ast.Inspect(body, func(n ast.Node) bool {
		if waited || n == nil || n.Pos() >= call.Pos() {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == param {
				waited = true
			}
		}
		return true
	})
	return waited
}

// contextParam returns the first context.Context parameter of ftype and
// whether it has a usable name.
func contextParam(info *types.Info, ftype *ast.FuncType) (*types.Var, bool) {
	if ftype.Params == nil {
		return nil, false
	}
	for _, field := range ftype.Params.List {
		if !isContext(info.TypeOf(field.Type)) {
			continue
		}
		if len(field.Names) == 0 {
			return types.NewVar(token.NoPos, nil, "", nil), false
		}
		id := field.Names[0]
		v, _ := info.Defs[id].(*types.Var)
		if v == nil || id.Name == "_" {
			return types.NewVar(token.NoPos, nil, "", nil), false
		}
		return v, true
	}
	return nil, false
}

// checkFirst reports a function declaration whose context.Context
// parameter is not the first one (testing.TB-like parameters before it
// are allowed, as is conventional in test helpers).
func checkFirst(pass *analysis.Pass, decl *ast.FuncDecl) {
	if decl.Type.Params == nil {
		return
	}
	i := 0
	for _, field := range decl.Type.Params.List {
		t := pass.TypesInfo.TypeOf(field.Type)
		if isContext(t) {
			if i > 0 {
				pass.Report(analysis.Diagnostic{
					Pos:      field.Pos(),
					End:      field.End(),
					Category: CategoryFirst,
					Message:  fmt.Sprintf("context.Context should be the first parameter of %s: move it first, where every caller and reader expects it", decl.Name.Name),
				})
			}
			return
		}
		if isTesting(t) {
			continue
		}
		i += max(len(field.Names), 1)
	}
}

// checkField reports a named struct type with a context.Context field,
// unless the struct owns that context.
func checkField(pass *analysis.Pass, spec *ast.TypeSpec) {
	st, ok := spec.Type.(*ast.StructType)
	if !ok || match.InTestFile(pass, spec.Pos()) {
		return
	}
	var fields []*ast.Field
	for _, field := range st.Fields.List {
		t := pass.TypesInfo.TypeOf(field.Type)
		if isCancelFunc(t) {
			return // it created the context and controls its lifetime
		}
		if len(field.Names) > 0 && isContext(t) {
			fields = append(fields, field)
		}
	}
	if len(fields) == 0 {
		return
	}
	if obj, ok := pass.TypesInfo.Defs[spec.Name].(*types.TypeName); ok && exposesContext(obj.Type()) {
		return // a Context() accessor: the value is the context's scope (testing.T, http.Request)
	}
	for _, field := range fields {
		pass.Report(analysis.Diagnostic{
			Pos:      field.Pos(),
			End:      field.End(),
			Category: CategoryField,
			Message:  fmt.Sprintf("context.Context stored in struct %s outlives the call it belongs to: pass ctx as the first parameter of the methods that need it", spec.Name.Name),
		})
	}
}

// exposesContext reports whether T or *T has a method returning a
// context.Context.
func exposesContext(t types.Type) bool {
	mset := types.NewMethodSet(types.NewPointer(t))
	for i := range mset.Len() {
		sig, ok := mset.At(i).Type().(*types.Signature)
		if !ok {
			continue
		}
		for r := range sig.Results().Variables() {
			if isContext(r.Type()) {
				return true
			}
		}
	}
	return false
}

func isContext(t types.Type) bool { return match.Named(t, "context", "Context") }

func isCancelFunc(t types.Type) bool {
	return match.Named(t, "context", "CancelFunc") || match.Named(t, "context", "CancelCauseFunc")
}

func isTesting(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return match.Named(t, "testing", "T") || match.Named(t, "testing", "B") ||
		match.Named(t, "testing", "F") || match.Named(t, "testing", "TB")
}
