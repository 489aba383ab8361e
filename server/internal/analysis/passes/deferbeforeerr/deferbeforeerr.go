// Package deferbeforeerr defines an Analyzer that reports a cleanup
// deferred on a value before the error returned with it was checked.
//
// # Analyzer deferbeforeerr
//
// deferbeforeerr: report a cleanup of a value deferred before the error returned with it is checked
//
// A function that returns a resource together with an error gives no
// resource when the error is set: the value is nil or zero. Deferring its
// cleanup first,
//
//	f, err := os.Open(name)
//	defer f.Close()
//	if err != nil {
//		return err
//	}
//
// registers a call on that nil value: resp.Body.Close() panics at the
// defer, tx.Rollback() or a returned cleanup func panics when the function
// returns, and a release(v) releases a zero value that was never acquired.
// The cleanup belongs after the check.
//
// Reported: after x, ..., err := f() (or =, or var), a defer (or a
// testing Cleanup) that, before any statement uses err or x, calls a
// cleanup on x: a method whose name says cleanup (Close, Release, Unlock,
// Stop, Rollback, Cancel, Shutdown, ...) on x or on a field of x; x itself
// when x is a function (a returned cleanup func); or a cleanup-named
// function taking x as an argument (release(ctx, v), os.Remove(f.Name())).
// A deferred func literal counts when it makes such a call without
// comparing err or x with nil first. Not reported: a defer after any
// statement that uses err or x (that is the check, or the value is in use
// already), and a deferred literal that tests err or x against nil.
//
// Fix: when the defer is immediately followed by an if err != nil { ... }
// whose body always leaves (return, panic, a Fatal), the fix moves the
// defer after that if. Otherwise there is no fix.
package deferbeforeerr

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
//go:embed deferbeforeerr.md
var Page string

const doc = `report a cleanup of a value deferred before the error returned with it is checked

After x, err := open(), x is nil or zero when err is set: a defer x.Close()
(or Rollback, Unlock, a returned cleanup func, release(x)) written before
the err check panics or releases something never acquired when open fails.
Defer the cleanup after the if err != nil { ... } check.`

// Analyzer reports cleanups deferred before the error check; see the
// package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "deferbeforeerr",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for cur := range root.Preorder((*ast.BlockStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		var list []ast.Stmt
		switch n := cur.Node().(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		for i, s := range list {
			if res, ok := resultAssign(pass, s); ok {
				scan(pass, res, list[i+1:])
			}
		}
	}
	return nil, nil
}

// result is an assignment of a call's results: the values and the error.
type result struct {
	call *ast.CallExpr
	vals []*types.Var
	err  *types.Var
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// resultAssign recognises x, ..., err := f() (or =, or var x, err = f()),
// where f's last result is an error and err is a variable.
func resultAssign(pass *analysis.Pass, s ast.Stmt) (result, bool) {
	var lhs []*ast.Ident
	var rhs ast.Expr
	switch s := s.(type) {
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 || len(s.Lhs) < 2 || (s.Tok != token.DEFINE && s.Tok != token.ASSIGN) {
			return result{}, false
		}
		for _, e := range s.Lhs {
			id, ok := e.(*ast.Ident)
			if !ok {
				return result{}, false // a field or an element: not a fresh value
			}
			lhs = append(lhs, id)
		}
		rhs = s.Rhs[0]
	case *ast.DeclStmt:
		gd, ok := s.Decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) != 1 {
			return result{}, false
		}
		vs := gd.Specs[0].(*ast.ValueSpec)
		if len(vs.Values) != 1 || len(vs.Names) < 2 {
			return result{}, false
		}
		lhs, rhs = vs.Names, vs.Values[0]
	default:
		return result{}, false
	}
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if !ok {
		return result{}, false
	}
	tuple, ok := pass.TypesInfo.TypeOf(rhs).(*types.Tuple)
	if !ok || tuple.Len() != len(lhs) || !types.Implements(tuple.At(tuple.Len()-1).Type(), errorType) {
		return result{}, false
	}
	res := result{call: call}
	for i, id := range lhs {
		v, _ := pass.TypesInfo.ObjectOf(id).(*types.Var)
		if v == nil || id.Name == "_" {
			continue
		}
		if i == len(lhs)-1 {
			res.err = v
		} else {
			res.vals = append(res.vals, v)
		}
	}
	return res, res.err != nil && len(res.vals) > 0
}

// scan walks the statements after the assignment up to the first one that
// uses err or one of the values, reporting the cleanups deferred on the way.
func scan(pass *analysis.Pass, res result, rest []ast.Stmt) {
	for i, s := range rest {
		call, kind := deferred(pass, s)
		if call == nil {
			if uses(pass, s, res.err) || usesAny(pass, s, res.vals) {
				return // the check, or the value in use: what follows is not ours to judge
			}
			switch s.(type) {
			case *ast.ReturnStmt, *ast.BranchStmt, *ast.LabeledStmt:
				return
			}
			continue
		}
		v, what := cleanupOf(pass, call, res, kind)
		if v == nil {
			if uses(pass, s, res.err) {
				return
			}
			continue
		}
		d := analysis.Diagnostic{
			Pos: s.Pos(),
			End: s.End(),
			Message: fmt.Sprintf("%s comes before the check of %s: when %s fails, %s is nil or zero and the cleanup panics or releases what was never acquired; defer it after if %s != nil { ... }",
				what, res.err.Name(), calleeName(res.call), v.Name(), res.err.Name()),
		}
		if i+1 < len(rest) {
			if fix, ok := moveFix(pass, s, rest[i+1], res.err); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		pass.Report(d)
	}
}

// calleeName names the function whose results are checked, for the message.
func calleeName(call *ast.CallExpr) string {
	s := types.ExprString(call.Fun)
	if len(s) > 40 {
		return "the call"
	}
	return s
}

// deferred returns the call a statement registers for later, and how:
// "defer" for defer call(), "t.Cleanup" for t.Cleanup(func() { ... }) of
// package testing (returned as a call of the func literal, as if deferred).
func deferred(pass *analysis.Pass, s ast.Stmt) (*ast.CallExpr, string) {
	switch s := s.(type) {
	case *ast.DeferStmt:
		return s.Call, "defer"
	case *ast.ExprStmt:
		c, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok || len(c.Args) != 1 {
			return nil, ""
		}
		fn, ok := typeutil.Callee(pass.TypesInfo, c).(*types.Func)
		if !ok || fn.Name() != "Cleanup" || fn.Pkg() == nil || fn.Pkg().Path() != "testing" {
			return nil, ""
		}
		if lit, ok := ast.Unparen(c.Args[0]).(*ast.FuncLit); ok {
			return &ast.CallExpr{Fun: lit, Lparen: lit.End(), Rparen: lit.End()}, types.ExprString(c.Fun)
		}
	}
	return nil, ""
}

// cleanupOf reports which value the registered call cleans up, if any, and
// describes the call for the message.
func cleanupOf(pass *analysis.Pass, call *ast.CallExpr, res result, kind string) (*types.Var, string) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		if len(call.Args) > 0 {
			return nil, ""
		}
		var v *types.Var
		var what string
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if v != nil {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if v, what = cleanupCall(pass, n, res); v != nil && guarded(pass, lit.Body, n, res) {
					v = nil
				}
				if v != nil {
					if kind == "defer" {
						what = "the deferred " + what
					} else {
						what = what + " in " + kind
					}
				}
			}
			return v == nil
		})
		return v, what
	}
	if usesExpr(pass, call, res.err) {
		return nil, ""
	}
	if v, what := cleanupCall(pass, call, res); v != nil {
		return v, kind + " " + what
	}
	return nil, ""
}

// cleanupCall matches one call: x(), x.Close(), x.f.Close(),
// release(ctx, x), os.Remove(x.Name()).
func cleanupCall(pass *analysis.Pass, call *ast.CallExpr, res result) (*types.Var, string) {
	fun := ast.Unparen(call.Fun)
	if ix, ok := fun.(*ast.IndexExpr); ok { // release[T](x)
		if tv, ok := pass.TypesInfo.Types[ix.Index]; ok && tv.IsType() {
			fun = ix.X
		}
	}
	// x(): a cleanup func returned with the error.
	if id, ok := fun.(*ast.Ident); ok {
		if v := valueVar(pass, id, res); v != nil {
			if _, ok := v.Type().Underlying().(*types.Signature); ok {
				return v, id.Name + "()"
			}
		}
	}
	var name string
	switch f := fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
		// x.Close(), x.Body.Close(), x.cleanup() (a func field).
		if v := rootVar(pass, f.X, res); v != nil && isCleanupName(name) {
			return v, types.ExprString(call.Fun) + "()"
		}
	default:
		return nil, ""
	}
	if !isCleanupName(name) {
		return nil, ""
	}
	// release(ctx, x), os.Remove(x.Name()): a cleanup function given x.
	for _, a := range call.Args {
		if v := rootVar(pass, a, res); v != nil {
			return v, types.ExprString(call.Fun) + "(" + argList(call) + ")"
		}
	}
	return nil, ""
}

func argList(call *ast.CallExpr) string {
	var args []string
	for _, a := range call.Args {
		args = append(args, types.ExprString(a))
	}
	s := strings.Join(args, ", ")
	if len(s) > 40 {
		return "..."
	}
	return s
}

// rootVar returns the value variable an expression is rooted at: x, x.f,
// *x, x[i], x.f.Name(), &x.
func rootVar(pass *analysis.Pass, e ast.Expr, res result) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return valueVar(pass, x, res)
		case *ast.SelectorExpr:
			if _, ok := pass.TypesInfo.Selections[x]; !ok {
				return nil // pkg.Name
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return nil
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.CallExpr: // x.Name(), a method call on the value
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			if !ok {
				return nil
			}
			if s, ok := pass.TypesInfo.Selections[sel]; !ok || s.Kind() != types.MethodVal {
				return nil
			}
			e = sel.X
		default:
			return nil
		}
	}
}

func valueVar(pass *analysis.Pass, id *ast.Ident, res result) *types.Var {
	v, _ := pass.TypesInfo.Uses[id].(*types.Var)
	for _, w := range res.vals {
		if v == w {
			return v
		}
	}
	return nil
}

// cleanupWords are the names (lower-cased prefixes) of calls that release
// something. Whether a call is a cleanup is a naming question: no type says
// it.
var cleanupWords = []string{
	"close", "release", "unlock", "runlock", "stop", "rollback", "cancel",
	"shutdown", "free", "destroy", "dispose", "cleanup", "terminate", "kill",
	"disconnect", "abort", "finish", "unsubscribe", "unregister", "remove",
	"unmount", "detach", "teardown",
}

func isCleanupName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range cleanupWords {
		if strings.HasPrefix(l, w) {
			return true
		}
	}
	return false
}

// guarded reports whether the cleanup call in a deferred body is under a
// check of its own: inside an if whose condition tests err or a value
// (if f != nil { f.Close() }, if err == nil { ... }), or after such an if
// (if f == nil { return }). The if of if cerr := f.Close(); cerr != nil does
// not count: its call runs before the test.
func guarded(pass *analysis.Pass, body *ast.BlockStmt, call *ast.CallExpr, res result) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok || found {
			return !found
		}
		if !uses(pass, ifs.Cond, res.err) && !usesAny(pass, ifs.Cond, res.vals) {
			return true
		}
		within := func(n ast.Node) bool { return n != nil && n.Pos() <= call.Pos() && call.End() <= n.End() }
		found = within(ifs.Body) || within(ifs.Else) || ifs.End() <= call.Pos()
		return !found
	})
	return found
}

func uses(pass *analysis.Pass, n ast.Node, v *types.Var) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pass.TypesInfo.ObjectOf(id) == v {
			found = true
		}
		return !found
	})
	return found
}

func usesExpr(pass *analysis.Pass, e ast.Expr, v *types.Var) bool { return uses(pass, e, v) }

func usesAny(pass *analysis.Pass, n ast.Node, vs []*types.Var) bool {
	for _, v := range vs {
		if uses(pass, n, v) {
			return true
		}
	}
	return false
}

// moveFix moves the defer after the if err != nil { ... } that follows it
// at once, when that if always leaves the function: on the success path
// the defer is then registered at the same point, and on the failure path
// not at all. Whole lines move, comments included.
func moveFix(pass *analysis.Pass, d ast.Stmt, next ast.Stmt, errVar *types.Var) (analysis.SuggestedFix, bool) {
	ifs, ok := next.(*ast.IfStmt)
	if !ok || ifs.Init != nil || ifs.Else != nil || !isErrNotNil(pass, ifs.Cond, errVar) || !leaves(pass, ifs.Body) {
		return analysis.SuggestedFix{}, false
	}
	tf := pass.Fset.File(d.Pos())
	if tf == nil || pass.ReadFile == nil {
		return analysis.SuggestedFix{}, false
	}
	src, err := pass.ReadFile(tf.Name())
	if err != nil || len(src) != tf.Size() {
		return analysis.SuggestedFix{}, false // not the text that was parsed
	}
	first, last := tf.Line(d.Pos()), tf.Line(d.End())
	ifEnd := tf.Line(ifs.End())
	if tf.Line(ifs.Pos()) == last || ifEnd >= tf.LineCount() {
		return analysis.SuggestedFix{}, false
	}
	start := tf.LineStart(first)
	// Alone on its lines: only indentation before it, nothing but a
	// comment after it.
	if strings.TrimLeft(string(src[tf.Offset(start):tf.Offset(d.Pos())]), " \t") != "" {
		return analysis.SuggestedFix{}, false
	}
	after := strings.TrimSpace(string(src[tf.Offset(d.End()):tf.Offset(tf.LineStart(last+1))]))
	if after != "" && !strings.HasPrefix(after, "//") {
		return analysis.SuggestedFix{}, false
	}
	// Nothing but a comment after the if's closing brace.
	rest := strings.TrimSpace(string(src[tf.Offset(ifs.End()):tf.Offset(tf.LineStart(ifEnd+1))]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return analysis.SuggestedFix{}, false
	}
	text := src[tf.Offset(start):tf.Offset(tf.LineStart(last+1))]
	return analysis.SuggestedFix{
		Message: "Move the defer after the error check",
		TextEdits: []analysis.TextEdit{
			{Pos: start, End: tf.LineStart(last + 1)},
			{Pos: tf.LineStart(ifEnd + 1), End: tf.LineStart(ifEnd + 1), NewText: append([]byte(nil), text...)},
		},
	}, true
}

func isErrNotNil(pass *analysis.Pass, cond ast.Expr, errVar *types.Var) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	isErr := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && pass.TypesInfo.Uses[id] == errVar
	}
	isNil := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return false
		}
		_, ok = pass.TypesInfo.Uses[id].(*types.Nil)
		return ok
	}
	return isErr(b.X) && isNil(b.Y) || isNil(b.X) && isErr(b.Y)
}

// leaves reports whether a block always ends by leaving: return, panic,
// os.Exit, log.Fatal, a testing Fatal/FailNow/Skip, runtime.Goexit, or a
// branch statement.
func leaves(pass *analysis.Pass, body *ast.BlockStmt) bool {
	if len(body.List) == 0 {
		return false
	}
	switch s := body.List[len(body.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok != token.FALLTHROUGH
	case *ast.ExprStmt:
		if match.IsNoReturn(pass.TypesInfo, s.X) {
			return true
		}
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok || fn.Pkg() == nil {
			return false
		}
		switch fn.Pkg().Path() {
		case "runtime":
			return fn.Name() == "Goexit"
		case "testing":
			switch fn.Name() {
			case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
				return true
			}
		}
	}
	return false
}
