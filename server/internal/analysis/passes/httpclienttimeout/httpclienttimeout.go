// Package httpclienttimeout defines an Analyzer that reports HTTP clients
// and servers with no timeout.
//
// # Analyzer httpclienttimeout
//
// httpclienttimeout: report HTTP clients without a Timeout and servers without ReadHeaderTimeout
//
// http.Client's zero Timeout means "wait forever": a server that accepts
// the connection and then stops answering hangs the calling goroutine for
// good. http.Get, http.Post, http.Head, http.PostForm and
// http.DefaultClient all use such a client. An http.Server without
// ReadHeaderTimeout (or ReadTimeout) lets a client keep a connection open
// by sending its headers one byte at a time (Slowloris).
//
// Not reported: _test.go files (httptest clients talk to loopback
// servers), clients whose Timeout is assigned right after the literal,
// clients whose literal http.Transport sets ResponseHeaderTimeout (long
// downloads cannot use Client.Timeout, which also bounds the body), and
// http.DefaultClient or a client literal as the fallback for an injected
// *http.Client that is nil ("a nil client means http.DefaultClient"): the
// caller chose, and can pass a client with a timeout.
package httpclienttimeout

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed httpclienttimeout.md
var Page string

const doc = `report HTTP clients without a Timeout and HTTP servers without a ReadHeaderTimeout

A zero http.Client.Timeout waits forever for a server that stopped
answering; http.Get, http.Post, http.Head, http.PostForm and
http.DefaultClient all use such a client. An http.Server without
ReadHeaderTimeout lets slow clients hold connections open (Slowloris).
Test files are exempt.`

// Analyzer reports HTTP clients and servers without timeouts; see the
// package documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "httpclienttimeout",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories (anchors in the hint page): "client" findings are
// Warnings, "server" findings are Information.
const (
	CategoryClient = "client"
	CategoryServer = "server"
)

const httpPath = "net/http"

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, httpPath) {
		return nil, nil
	}
	root := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Root()
	for file := range root.Children() {
		if match.InTestFile(pass, file.Node().Pos()) {
			continue // httptest clients and servers are fine in tests
		}
		for cur := range file.Preorder((*ast.CallExpr)(nil), (*ast.Ident)(nil), (*ast.CompositeLit)(nil)) {
			switch n := cur.Node().(type) {
			case *ast.CallExpr:
				checkCall(pass, n)
			case *ast.Ident:
				checkDefaultClient(pass, cur, n)
			case *ast.CompositeLit:
				checkLiteral(pass, cur, n)
			}
		}
	}
	return nil, nil
}

// checkCall reports http.Get, http.Post, http.Head and http.PostForm.
func checkCall(pass *analysis.Pass, call *ast.CallExpr) {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != httpPath || fn.Type().(*types.Signature).Recv() != nil {
		return
	}
	switch fn.Name() {
	case "Get", "Post", "Head", "PostForm":
	default:
		return
	}
	pass.Report(analysis.Diagnostic{
		Pos:      call.Pos(),
		End:      call.Lparen,
		Category: CategoryClient,
		Message:  fmt.Sprintf("http.%s uses http.DefaultClient, which has no timeout, so one stalled server hangs this call forever: use an http.Client with a Timeout", fn.Name()),
	})
}

// checkDefaultClient reports uses of http.DefaultClient.
func checkDefaultClient(pass *analysis.Pass, cur inspector.Cursor, id *ast.Ident) {
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pkg() == nil || v.Pkg().Path() != httpPath || v.Name() != "DefaultClient" {
		return
	}
	if nilFallback(pass, cur) {
		return
	}
	var node ast.Node = id
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == id {
		node = sel
	}
	pass.Report(analysis.Diagnostic{
		Pos:      node.Pos(),
		End:      node.End(),
		Category: CategoryClient,
		Message:  "http.DefaultClient has no timeout, so one stalled server hangs this call forever: use an http.Client with a Timeout",
	})
}

// nilFallback reports whether the function around cur compares an
// *http.Client with nil: the client at cur is then the default for one
// the caller may inject, not a choice made here.
func nilFallback(pass *analysis.Pass, cur inspector.Cursor) bool {
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		found := false
		for c := range fn.Preorder((*ast.BinaryExpr)(nil)) {
			b := c.Node().(*ast.BinaryExpr)
			if b.Op != token.EQL && b.Op != token.NEQ {
				continue
			}
			if isNil(pass.TypesInfo, b.X) && isClientPtr(pass.TypesInfo.TypeOf(b.Y)) ||
				isNil(pass.TypesInfo, b.Y) && isClientPtr(pass.TypesInfo.TypeOf(b.X)) {
				found = true
				break
			}
		}
		return found
	}
	return false
}

// checkLiteral reports http.Client literals without Timeout and
// http.Server literals without ReadHeaderTimeout or ReadTimeout.
func checkLiteral(pass *analysis.Pass, cur inspector.Cursor, lit *ast.CompositeLit) {
	t := pass.TypesInfo.TypeOf(lit)
	var want []string // any of these fields sets a timeout
	var category, message string
	switch {
	case match.Named(t, httpPath, "Client"):
		want = []string{"Timeout"}
		category = CategoryClient
		message = "http.Client without a Timeout waits forever for a server that stops answering: set Timeout (or bound every request with a context deadline)"
	case match.Named(t, httpPath, "Server"):
		want = []string{"ReadHeaderTimeout", "ReadTimeout"}
		category = CategoryServer
		message = "http.Server without ReadHeaderTimeout lets a slow client hold a connection open forever (Slowloris): set ReadHeaderTimeout"
	default:
		return
	}
	fields := make(map[string]ast.Expr)
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			return // unkeyed: every field is set
		}
		if key, ok := kv.Key.(*ast.Ident); ok {
			fields[key.Name] = kv.Value
		}
	}
	for _, f := range want {
		if _, ok := fields[f]; ok {
			return
		}
	}
	if category == CategoryClient && (transportTimeout(pass.TypesInfo, fields["Transport"]) || nilFallback(pass, cur)) {
		return
	}
	if setLater(pass, cur, want) {
		return
	}
	end := lit.Lbrace
	if lit.Type != nil {
		end = lit.Type.End()
	}
	pass.Report(analysis.Diagnostic{Pos: lit.Pos(), End: end, Category: category, Message: message})
}

// transportTimeout reports whether e is an http.Transport literal (or its
// address) that sets ResponseHeaderTimeout: the client is bounded until
// the headers arrive, and the body may legitimately take long.
func transportTimeout(info *types.Info, e ast.Expr) bool {
	if e == nil {
		return false
	}
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok || !match.Named(info.TypeOf(lit), httpPath, "Transport") {
		return false
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "ResponseHeaderTimeout" {
				return true
			}
		}
	}
	return false
}

// setLater reports whether the literal at cur is assigned to a variable or
// field x and the enclosing function then assigns one of x.<fields>.
func setLater(pass *analysis.Pass, cur inspector.Cursor, fields []string) bool {
	c := cur.Parent()
	if u, ok := c.Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
		cur, c = c, c.Parent()
	}
	var target string
	switch p := c.Node().(type) {
	case *ast.AssignStmt:
		for i, rhs := range p.Rhs {
			if rhs == cur.Node() && i < len(p.Lhs) && len(p.Lhs) == len(p.Rhs) {
				target = types.ExprString(p.Lhs[i])
			}
		}
	case *ast.ValueSpec:
		for i, v := range p.Values {
			if v == cur.Node() && i < len(p.Names) && len(p.Names) == len(p.Values) {
				target = p.Names[i].Name
			}
		}
	}
	if target == "" {
		return false
	}
	for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		for a := range fn.Preorder((*ast.AssignStmt)(nil)) {
			for _, lhs := range a.Node().(*ast.AssignStmt).Lhs {
				s := types.ExprString(lhs)
				for _, f := range fields {
					if s == target+"."+f {
						return true
					}
				}
			}
		}
		return false
	}
	return false
}

func isNil(info *types.Info, e ast.Expr) bool {
	return info.Types[e].IsNil()
}

func isClientPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	return ok && match.Named(p.Elem(), httpPath, "Client")
}
