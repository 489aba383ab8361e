// Package errwrap defines an Analyzer that reports errors that lose
// their identity: fmt.Errorf without %w, and errors compared with ==.
//
// # Analyzer errwrap
//
// errwrap: report fmt.Errorf that does not wrap, and == on sentinel errors
//
// fmt.Errorf("...: %v", err) turns err into text: errors.Is and errors.As
// can no longer find it, so a caller that checks for os.ErrNotExist or
// context.DeadlineExceeded silently takes the wrong branch. %w keeps the
// error in the chain. Likewise err == ErrNotFound is false as soon as
// anyone between the source and the check wraps the error; errors.Is
// walks the chain.
//
// Not reported: fmt.Errorf in _test.go files (the error is a message for
// t.Error, not a value to inspect), calls that already use %w, errors
// formatted with other verbs or flags (%q, %+v), comparisons with nil,
// comparisons with io.EOF (io.Reader implementations must return io.EOF
// itself, and == is its documented test), comparisons of ctx.Err() or
// context.Cause(ctx), which return the sentinel itself, and comparisons
// inside an Is(error) bool method, where identity is the point.
package errwrap

import (
	"bytes"
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/format"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed errwrap.md
var Page string

const doc = `report fmt.Errorf calls that format an error without %w, and errors compared with == against a sentinel

fmt.Errorf("...: %v", err) flattens err to text, so errors.Is and errors.As
no longer find it; %w keeps it in the chain. err == ErrX stops matching as
soon as the error is wrapped anywhere on its way up; errors.Is(err, ErrX)
does not.`

// Analyzer reports errors that lose their identity; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "errwrap",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories (anchors in the hint page); both are Warnings.
const (
	CategoryErrorf  = "errorf"
	CategoryCompare = "compare"
)

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func run(pass *analysis.Pass) (any, error) {
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for cur := range root.Preorder((*ast.CallExpr)(nil), (*ast.BinaryExpr)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			checkErrorf(pass, n)
		case *ast.BinaryExpr:
			checkCompare(pass, cur, n)
		}
	}
	return nil, nil
}

// checkErrorf reports fmt.Errorf calls with no %w that format an error
// operand with a plain %v or %s.
func checkErrorf(pass *analysis.Pass, call *ast.CallExpr) {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "fmt" || fn.Name() != "Errorf" ||
		len(call.Args) < 2 || call.Ellipsis.IsValid() || match.InTestFile(pass, call.Pos()) {
		return
	}
	tv := pass.TypesInfo.Types[call.Args[0]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return // not a constant format
	}
	verbs, ok := parseVerbs(constant.StringVal(tv.Value))
	if !ok {
		return
	}
	for _, v := range verbs {
		if v.verb == 'w' {
			return // already wraps
		}
	}
	var wrap []int // indices into verbs
	var names []string
	for i, v := range verbs {
		if v.arg < 0 || v.arg+1 >= len(call.Args) || v.flags != "" || (v.verb != 'v' && v.verb != 's') {
			continue
		}
		arg := call.Args[v.arg+1]
		if !isError(pass.TypesInfo.TypeOf(arg)) {
			continue
		}
		wrap = append(wrap, i)
		names = append(names, types.ExprString(arg))
	}
	if len(wrap) == 0 {
		return
	}
	v := verbs[wrap[0]]
	diag := analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.End(),
		Category: CategoryErrorf,
		Message: fmt.Sprintf("fmt.Errorf formats the error %s with %%%c, which cuts it out of the error chain: use %%w so callers can still match it with errors.Is and errors.As",
			strings.Join(names, ", "), v.verb),
	}

	// The fix edits the literal, so the verbs must sit at the same places
	// in its source text as in its value (no escapes inside verbs).
	if lit, ok := ast.Unparen(call.Args[0]).(*ast.BasicLit); ok && lit.Kind == token.STRING && len(lit.Value) >= 2 {
		srcVerbs, ok := parseVerbs(lit.Value[1 : len(lit.Value)-1])
		if ok && sameVerbs(srcVerbs, verbs) {
			var edits []analysis.TextEdit
			for _, i := range wrap {
				pos := lit.Pos() + 1 + token.Pos(srcVerbs[i].end-1)
				edits = append(edits, analysis.TextEdit{Pos: pos, End: pos + 1, NewText: []byte("w")})
			}
			diag.SuggestedFixes = []analysis.SuggestedFix{{Message: "Wrap the error with %w", TextEdits: edits}}
		}
	}
	pass.Report(diag)
}

// checkCompare reports err == ErrX and err != ErrX where ErrX is a
// package-level error variable.
func checkCompare(pass *analysis.Pass, cur inspector.Cursor, e *ast.BinaryExpr) {
	if e.Op != token.EQL && e.Op != token.NEQ {
		return
	}
	x, y := e.X, e.Y
	sentinel := sentinelVar(pass.TypesInfo, y)
	if sentinel == nil {
		x, y = y, x // ErrX == err
		sentinel = sentinelVar(pass.TypesInfo, y)
	}
	if sentinel == nil || sentinelVar(pass.TypesInfo, x) != nil {
		return
	}
	if sentinel.Pkg() != nil && sentinel.Pkg().Path() == "io" && sentinel.Name() == "EOF" {
		return // io.Reader's contract: Read returns io.EOF itself, tested with ==
	}
	xt := pass.TypesInfo.TypeOf(x)
	if xt == nil || !types.IsInterface(xt) || !isError(xt) {
		return
	}
	if inIsMethod(pass, cur) || exactSource(pass.TypesInfo, x) {
		return
	}

	xs, ys := exprText(pass.Fset, x), exprText(pass.Fset, y)
	not := ""
	if e.Op == token.NEQ {
		not = "!"
	}
	diag := analysis.Diagnostic{
		Pos:      e.Pos(),
		End:      e.End(),
		Category: CategoryCompare,
		Message: fmt.Sprintf("comparing errors with %s misses %s once it is wrapped: use %serrors.Is(%s, %s)",
			e.Op, ys, not, xs, ys),
	}
	if name := errorsName(pass, e); name != "" {
		text := fmt.Sprintf("%s%s.Is(%s, %s)", not, name, xs, ys)
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message:   "Use errors.Is",
			TextEdits: []analysis.TextEdit{{Pos: e.Pos(), End: e.End(), NewText: []byte(text)}},
		}}
	}
	pass.Report(diag)
}

// sentinelVar returns the package-level error variable e denotes, if any.
func sentinelVar(info *types.Info, e ast.Expr) *types.Var {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return nil
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() || !isError(v.Type()) {
		return nil
	}
	return v
}

// exactSource reports whether e is a call documented to return the
// sentinel itself, never wrapped: ctx.Err() returns context.Canceled or
// context.DeadlineExceeded, and context.Cause(ctx) returns the very cause
// given to WithCancelCause/WithTimeoutCause, so == is an exact test.
func exactSource(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	switch {
	case recv == nil:
		return fn.Name() == "Cause"
	default:
		return fn.Name() == "Err" && types.IsInterface(recv.Type())
	}
}

// inIsMethod reports whether cur is inside a method Is(error) bool, the
// hook errors.Is calls, where comparing identities is the job.
func inIsMethod(pass *analysis.Pass, cur inspector.Cursor) bool {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		decl := c.Node().(*ast.FuncDecl)
		if decl.Recv == nil || decl.Name.Name != "Is" {
			return false
		}
		fn, ok := pass.TypesInfo.Defs[decl.Name].(*types.Func)
		if !ok {
			return false
		}
		sig := fn.Type().(*types.Signature)
		return sig.Params().Len() == 1 && types.Identical(sig.Params().At(0).Type(), types.Universe.Lookup("error").Type())
	}
	return false
}

// errorsName returns the name under which the file containing n imports
// package errors, if it does and the name is not shadowed at n.
func errorsName(pass *analysis.Pass, n ast.Node) string {
	scope := pass.Pkg.Scope().Innermost(n.Pos())
	if scope == nil {
		return ""
	}
	for _, f := range pass.Files {
		if f.FileStart > n.Pos() || n.Pos() >= f.FileEnd {
			continue
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path != "errors" {
				continue
			}
			name := "errors"
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == "_" || name == "." {
				return ""
			}
			if _, obj := scope.LookupParent(name, n.Pos()); obj != nil {
				if pn, ok := obj.(*types.PkgName); ok && pn.Imported().Path() == "errors" {
					return name
				}
			}
		}
	}
	return ""
}

func isError(t types.Type) bool {
	return t != nil && types.Implements(t, errorType)
}

func exprText(fset *token.FileSet, e ast.Expr) string {
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, e); err != nil {
		return types.ExprString(e)
	}
	return buf.String()
}

// A verb is one formatting directive of a printf format.
type verb struct {
	start, end int // byte offsets of "%...v" in the format
	flags      string
	verb       rune
	arg        int // operand index, -1 for %%
}

// parseVerbs splits a printf format into its directives. It gives up
// (ok=false) on explicit argument indexes, '*' widths and truncated
// directives, which no fix should touch.
func parseVerbs(format string) (verbs []verb, ok bool) {
	arg := 0
	for i := 0; i < len(format); {
		if format[i] != '%' {
			i++
			continue
		}
		v := verb{start: i}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			v.flags += format[i : i+1]
			i++
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '.') {
			i++
		}
		if i >= len(format) || format[i] == '[' || format[i] == '*' {
			return nil, false
		}
		v.verb = rune(format[i])
		if v.verb >= 0x80 {
			return nil, false
		}
		i++
		v.end = i
		if v.verb == '%' {
			v.arg = -1
		} else {
			v.arg = arg
			arg++
		}
		verbs = append(verbs, v)
	}
	return verbs, true
}

func sameVerbs(a, b []verb) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].verb != b[i].verb || a[i].arg != b[i].arg || a[i].flags != b[i].flags ||
			a[i].end-a[i].start != b[i].end-b[i].start {
			return false
		}
	}
	return true
}
