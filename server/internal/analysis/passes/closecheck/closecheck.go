// Package closecheck defines an Analyzer that reports ignored errors from
// Close, Flush and Sync on write paths.
//
// # Analyzer closecheck
//
// closecheck: report ignored Close/Flush/Sync errors of files and writers being written
//
// Writes are buffered: by the OS for an *os.File, in memory for a
// bufio.Writer, a compressor or an archive writer. The error that says
// the data did not make it (disk full, quota, NFS, a closed pipe, a
// truncated gzip footer) often surfaces only at Flush or Close. defer
// f.Close() and a bare w.Flush() throw that error away, and the caller
// believes a file was saved that is empty or corrupt.
//
// Reported: defer X.Close()/Sync()/Flush() and X.Close()/Sync()/Flush()
// as a statement, where X is an *os.File opened for writing in the same
// function (os.Create, os.CreateTemp, os.OpenFile with O_WRONLY or
// O_RDWR) or a *bufio.Writer, *gzip.Writer, *zlib.Writer, *tar.Writer or
// *zip.Writer; and a *csv.Writer's Flush not followed by a check of
// w.Error(). Not reported: files opened read-only, _ = f.Close()
// (an explicit decision), writers into a bytes.Buffer or strings.Builder
// (whose writes cannot fail), a Close right before returning another error
// (cleanup on a path that already fails), a deferred Close kept as a
// safety net when the function also checks the error of an explicit
// Close, Sync or Flush on the same value, and _test.go files.
package closecheck

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed closecheck.md
var Page string

const doc = `report ignored Close, Flush and Sync errors of files opened for writing and of buffered writers

The error that says written data did not reach its destination (disk full,
NFS, a truncated gzip footer) often appears only at Flush or Close; defer
f.Close() or a bare w.Flush() throws it away and the caller believes the
write succeeded. Files opened read-only are exempt.`

// Analyzer reports ignored errors on write paths; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "closecheck",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// writers holds the "pkgpath.Type" of the buffered writers whose Close
// and Flush errors matter.
var writers = map[string]bool{
	"bufio.Writer":         true,
	"compress/gzip.Writer": true,
	"compress/zlib.Writer": true,
	"archive/tar.Writer":   true,
	"archive/zip.Writer":   true,
}

func run(pass *analysis.Pass) (any, error) {
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for file := range root.Children() {
		if match.InTestFile(pass, file.Node().Pos()) {
			continue
		}
		for cur := range file.Preorder((*ast.DeferStmt)(nil), (*ast.ExprStmt)(nil)) {
			var call *ast.CallExpr
			deferred := false
			switch s := cur.Node().(type) {
			case *ast.DeferStmt:
				call, deferred = s.Call, true
			case *ast.ExprStmt:
				call, _ = ast.Unparen(s.X).(*ast.CallExpr)
			}
			if call != nil {
				check(pass, cur, call, deferred)
			}
		}
	}
	return nil, nil
}

func check(pass *analysis.Pass, cur inspector.Cursor, call *ast.CallExpr, deferred bool) {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok {
		return
	}
	sig := fn.Type().(*types.Signature)
	if sig.Recv() == nil {
		return
	}
	method := fn.Name()
	if method != "Close" && method != "Flush" && method != "Sync" {
		return
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return
	}
	recv := sel.X
	typ := typeName(pass.TypesInfo.TypeOf(recv))
	outer, ok := outermostFunc(cur)
	if !ok || !deferred && onErrorPath(pass, cur) {
		return
	}
	text := types.ExprString(recv)
	how := text + "." + method + "()"
	if deferred {
		how = "defer " + how
	}

	var msg string
	switch {
	case typ == "encoding/csv.Writer" && method == "Flush":
		if checkedCall(pass, outer, recv, "Error") {
			return
		}
		msg = fmt.Sprintf("%s reports nothing: a failed write is only visible through %s.Error(), which is never checked; check it after Flush", how, text)
	case typ == "os.File" && (method == "Close" || method == "Sync"):
		// A checked Sync or Close elsewhere makes a deferred Close a safety net.
		if !openedForWriting(pass, outer.Node(), recv) || checkedCall(pass, outer, recv, "Sync", method) {
			return
		}
		msg = fmt.Sprintf("%s ignores the error that says whether the written data reached the file (disk full, quota, NFS): close it explicitly on the success path and return that error", how)
	case writers[typ] && sig.Results().Len() == 1:
		// A checked Close also flushes; a checked Flush does not replace Close.
		if checkedCall(pass, outer, recv, "Close", method) || inMemory(pass, outer, recv) {
			return
		}
		msg = fmt.Sprintf("%s ignores the error of the final write of buffered data, so a failed write goes unnoticed and the caller believes it succeeded: check it on the success path", how)
	default:
		return
	}
	pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: msg})
}

// onErrorPath reports whether the statement at cur is directly followed
// by a return of a non-nil error: cleanup on a path that already fails,
// where the first error is the one worth returning.
func onErrorPath(pass *analysis.Pass, cur inspector.Cursor) bool {
	next, ok := cur.NextSibling()
	if !ok {
		return false
	}
	ret, ok := next.Node().(*ast.ReturnStmt)
	if !ok || len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	if call, ok := ast.Unparen(last).(*ast.CallExpr); ok {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			switch sel.Sel.Name {
			case "Close", "Flush", "Sync", "Error":
				return false // return f.Close(): the success path
			}
		}
	}
	tv := pass.TypesInfo.Types[last]
	return !tv.IsNil() && tv.Type != nil && types.Implements(tv.Type, errorType)
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// inMemory reports whether every destination fn gives the writer recv
// (through pkg.NewWriter...(dst) or recv.Reset(dst)) is a *bytes.Buffer
// or *strings.Builder, whose writes cannot fail.
func inMemory(pass *analysis.Pass, fn inspector.Cursor, recv ast.Expr) bool {
	var dests []ast.Expr
	for c := range fn.Preorder((*ast.CallExpr)(nil), (*ast.AssignStmt)(nil)) {
		switch n := c.Node().(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Reset" && len(n.Args) == 1 && sameExpr(pass, sel.X, recv) {
				dests = append(dests, n.Args[0])
			}
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if i >= len(n.Rhs) || len(n.Lhs) != len(n.Rhs) || !sameExpr(pass, lhs, recv) {
					continue
				}
				call, ok := ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
				if !ok || len(call.Args) == 0 {
					continue
				}
				if f, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func); ok && strings.HasPrefix(f.Name(), "NewWriter") {
					dests = append(dests, call.Args[0])
				}
			}
		}
	}
	known := 0
	for _, d := range dests {
		if pass.TypesInfo.Types[d].IsNil() {
			continue // NewWriter(nil): the destination comes with Reset
		}
		if t := typeName(pass.TypesInfo.TypeOf(d)); t != "bytes.Buffer" && t != "strings.Builder" {
			return false
		}
		known++
	}
	return known > 0
}

// checkedCall reports whether fn calls one of methods on recv and uses
// the result (not as a bare statement, a defer or a go statement).
func checkedCall(pass *analysis.Pass, fn inspector.Cursor, recv ast.Expr, methods ...string) bool {
	for c := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := c.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || !slices.Contains(methods, sel.Sel.Name) || !sameExpr(pass, sel.X, recv) {
			continue
		}
		p := c.Parent()
		for {
			if _, ok := p.Node().(*ast.ParenExpr); !ok {
				break
			}
			p = p.Parent()
		}
		switch p.Node().(type) {
		case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
			continue
		}
		return true
	}
	return false
}

// sameExpr reports whether a and b denote the same variable (or, for
// field paths, have the same text).
func sameExpr(pass *analysis.Pass, a, b ast.Expr) bool {
	ai, aok := ast.Unparen(a).(*ast.Ident)
	bi, bok := ast.Unparen(b).(*ast.Ident)
	if aok && bok {
		return pass.TypesInfo.ObjectOf(ai) != nil && pass.TypesInfo.ObjectOf(ai) == pass.TypesInfo.ObjectOf(bi)
	}
	return types.ExprString(a) == types.ExprString(b)
}

// openedForWriting reports whether recv is a variable that fn assigns
// from os.Create, os.CreateTemp, or os.OpenFile with a constant flag
// including O_WRONLY or O_RDWR.
func openedForWriting(pass *analysis.Pass, fn ast.Node, recv ast.Expr) bool {
	id, ok := ast.Unparen(recv).(*ast.Ident)
	if !ok {
		return false
	}
	obj := pass.TypesInfo.ObjectOf(id)
	if obj == nil {
		return false
	}
	isOpen := func(lhs []*ast.Ident, rhs []ast.Expr) bool {
		if len(rhs) != 1 || len(lhs) == 0 || pass.TypesInfo.ObjectOf(lhs[0]) != obj {
			return false
		}
		call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
		if !ok {
			return false
		}
		f, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
		if !ok || f.Pkg() == nil || f.Pkg().Path() != "os" {
			return false
		}
		switch f.Name() {
		case "Create", "CreateTemp":
			return true
		case "OpenFile":
			if len(call.Args) < 2 {
				return false
			}
			v := pass.TypesInfo.Types[call.Args[1]].Value
			if v == nil || v.Kind() != constant.Int {
				return false
			}
			flag, exact := constant.Int64Val(v)
			return exact && flag&int64(os.O_WRONLY|os.O_RDWR) != 0
		}
		return false
	}
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			var lhs []*ast.Ident
			for _, e := range n.Lhs {
				if id, ok := e.(*ast.Ident); ok {
					lhs = append(lhs, id)
				} else {
					lhs = append(lhs, ast.NewIdent("_"))
				}
			}
			found = isOpen(lhs, n.Rhs)
		case *ast.ValueSpec:
			found = isOpen(n.Names, n.Values)
		}
		return !found
	})
	return found
}

// outermostFunc returns the top-level function declaration (or, outside
// one, the outermost func literal) containing cur.
func outermostFunc(cur inspector.Cursor) (fn inspector.Cursor, ok bool) {
	for c := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		fn, ok = c, true
	}
	return fn, ok
}

// typeName returns "pkgpath.Name" for a named type or a pointer to one.
func typeName(t types.Type) string {
	if t == nil {
		return ""
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return ""
	}
	return n.Obj().Pkg().Path() + "." + n.Obj().Name()
}
