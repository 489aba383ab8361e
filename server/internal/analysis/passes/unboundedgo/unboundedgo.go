// Package unboundedgo defines an Analyzer that reports goroutines started
// once per work item in a loop with nothing bounding how many run at once.
package unboundedgo

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

//go:embed unboundedgo.md
var Page string

const doc = `report a goroutine per work item with no bound on concurrency

A loop over a slice, map, channel or iterator of work items (or an endless
for loop that pulls items until there are none) that starts a goroutine
per item runs as many goroutines as there are items: with a big input that
is thousands of simultaneous connections, files or allocations. The pass
reports go statements, sync.WaitGroup.Go and errgroup.Group.Go calls in
such loops unless something visible bounds them: a semaphore channel
(acquired in the loop and released by the goroutine, or both in the
goroutine), errgroup SetLimit, semaphore.Weighted Acquire, a rate
limiter's Wait, a WaitGroup Wait inside the loop, or a result received in
the loop. To stay quiet on fan-out over the program's own parts rather
than over input, it skips: counting loops (for i := 0; i < n; i++,
for range n, for n < max), loops over arrays, literals, functions, or a
slice the function made for its goroutines (make([]worker, n)), loops that
start a method of each element, loops over shards, nodes, servers,
workers and the like (by name), accept loops (a goroutine per connection),
goroutines started in a select case (event loops) or just before the loop
is left, and test files.`

var Analyzer = &analysis.Analyzer{
	Name:     "unboundedgo",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range in.Root().Preorder((*ast.GoStmt)(nil), (*ast.CallExpr)(nil)) {
		if strings.HasSuffix(pass.Fset.File(cur.Node().Pos()).Name(), "_test.go") {
			continue
		}
		var (
			body  *ast.BlockStmt // the goroutine's code, when visible
			call  *ast.CallExpr  // the go statement's call, or the Go call
			group ast.Expr       // errgroup receiver
			pos   token.Pos
		)
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			call, pos = n.Call, n.Go
			if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
				body = lit.Body
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(pass.TypesInfo, n).(*types.Func)
			if fn == nil || fn.Name() != "Go" || len(n.Args) != 1 {
				continue
			}
			recv := fn.Signature().Recv()
			if recv == nil {
				continue
			}
			switch {
			case match.NamedOrPointer(recv.Type(), "sync", "WaitGroup"):
			case match.NamedOrPointer(recv.Type(), "golang.org/x/sync/errgroup", "Group"):
				group = ast.Unparen(n.Fun).(*ast.SelectorExpr).X
			default:
				continue
			}
			call, pos = n, n.Pos()
			if lit, ok := ast.Unparen(n.Args[0]).(*ast.FuncLit); ok {
				body = lit.Body
			}
		}
		check(pass, cur, call, body, group, pos)
	}
	return nil, nil
}

func check(pass *analysis.Pass, cur inspector.Cursor, call *ast.CallExpr, body *ast.BlockStmt, group ast.Expr, pos token.Pos) {
	// The innermost loop of the same function.
	var loop ast.Stmt
	var fnBody *ast.BlockStmt
	inCase := false
	for c := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.CommClause)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			fnBody = n.Body
		case *ast.FuncDecl:
			fnBody = n.Body
		case *ast.CommClause:
			if loop == nil {
				inCase = true // started on an event of a select loop, not per item
			}
		default:
			if loop == nil && fnBody == nil {
				loop = n.(ast.Stmt)
			}
		}
		if fnBody != nil {
			break
		}
	}
	if loop == nil || fnBody == nil || inCase {
		return
	}
	items, loopBody := workLoop(pass, loop, fnBody)
	if items == "" {
		return
	}
	if spawnsOnce(cur, loop) {
		return
	}
	if group != nil && limited(pass, fnBody, group) {
		return
	}
	if bounded(pass, loopBody, call, body) {
		return
	}
	pass.Report(analysis.Diagnostic{
		Pos: pos,
		End: call.End(),
		Message: fmt.Sprintf("one goroutine per %s with nothing bounding how many run at once: a big input starts them all together; use a fixed pool of workers, a semaphore channel, or errgroup with SetLimit",
			items),
	})
}

// workLoop decides whether loop iterates over work items and names them
// for the message ("" if the loop counts or walks program structure).
func workLoop(pass *analysis.Pass, loop ast.Stmt, fnBody *ast.BlockStmt) (string, *ast.BlockStmt) {
	switch l := loop.(type) {
	case *ast.RangeStmt:
		x := ast.Unparen(l.X)
		if _, ok := x.(*ast.CompositeLit); ok {
			return "", nil // a literal list: a fixed, small fan-out
		}
		t := pass.TypesInfo.TypeOf(x)
		if t == nil {
			return "", nil
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		var elem types.Type
		switch u := t.Underlying().(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Map:
			elem = u.Elem()
		case *types.Chan:
			elem = u.Elem()
		case *types.Signature: // range over an iterator
			if u.Params().Len() == 1 {
				if y, ok := u.Params().At(0).Type().Underlying().(*types.Signature); ok && y.Params().Len() > 0 {
					elem = y.Params().At(y.Params().Len() - 1).Type()
				}
			}
			if elem == nil {
				return "", nil
			}
		case *types.Basic:
			// for i := range len(items) iterates over items; range n counts.
			if c, ok := x.(*ast.CallExpr); ok && match.IsBuiltin(pass.TypesInfo, c.Fun, "len") && len(c.Args) == 1 {
				return "item of " + types.ExprString(c.Args[0]), l.Body
			}
			return "", nil
		default: // arrays have a fixed size
			return "", nil
		}
		if _, ok := elem.Underlying().(*types.Signature); ok {
			return "", nil // running a list of functions concurrently
		}
		if startsElementMethod(pass, l) || slots(pass, x, fnBody) || structural(x, elem) {
			return "", nil
		}
		return "item of " + types.ExprString(x), l.Body
	case *ast.ForStmt:
		if l.Init == nil && l.Post == nil {
			if countsToBound(l.Cond) {
				return "", nil // for n < max: counts up to a bound
			}
			if accepts(pass, l.Body) {
				return "", nil // a goroutine per connection is the server idiom
			}
			return "loop iteration", l.Body // pulls work until something says stop
		}
		// for i := 0; i < len(items); i++
		if b, ok := l.Cond.(*ast.BinaryExpr); ok && (b.Op == token.LSS || b.Op == token.LEQ) {
			if c, ok := ast.Unparen(b.Y).(*ast.CallExpr); ok && match.IsBuiltin(pass.TypesInfo, c.Fun, "len") && len(c.Args) == 1 {
				return "item of " + types.ExprString(c.Args[0]), l.Body
			}
		}
	}
	return "", nil
}

// countsToBound reports a condition that compares (n < max), possibly
// among other conditions joined by &&.
func countsToBound(e ast.Expr) bool {
	b, ok := ast.Unparen(e).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch b.Op {
	case token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	case token.LAND:
		return countsToBound(b.X) || countsToBound(b.Y)
	}
	return false
}

// structuralWords name the parts of a system: a loop over them fans out
// over a handful of nodes fixed by configuration, not over input data.
var structuralWords = []string{"shard", "node", "master", "slave", "replica", "server", "peer",
	"backend", "upstream", "sentinel", "partition", "listener", "subscriber", "worker", "cluster"}

// structural reports a range over program structure, judged by the name of
// the ranged expression or of the element type.
func structural(x ast.Expr, elem types.Type) bool {
	var names []string
	switch x := x.(type) {
	case *ast.Ident:
		names = append(names, x.Name)
	case *ast.SelectorExpr:
		names = append(names, x.Sel.Name)
	}
	if p, ok := elem.(*types.Pointer); ok {
		elem = p.Elem()
	}
	if n, ok := types.Unalias(elem).(*types.Named); ok {
		names = append(names, n.Obj().Name())
	}
	for _, name := range names {
		name = strings.ToLower(name)
		for _, w := range structuralWords {
			if strings.Contains(name, w) {
				return true
			}
		}
	}
	return false
}

// accepts reports a loop that accepts network connections.
func accepts(pass *analysis.Pass, body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			fn, _ := typeutil.Callee(pass.TypesInfo, c).(*types.Func)
			if fn != nil && fn.Signature().Recv() != nil && strings.HasPrefix(fn.Name(), "Accept") {
				res := fn.Signature().Results()
				if fn.Pkg() != nil && fn.Pkg().Path() == "net" || res.Len() > 0 && match.NamedOrPointer(res.At(0).Type(), "net", "Conn") {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// slots reports a range over a local slice made with a length
// (workers := make([]worker, n)) and never appended to: the function sized
// it for its goroutines, so it is a pool, not input.
func slots(pass *analysis.Pass, x ast.Expr, fnBody *ast.BlockStmt) bool {
	id, ok := x.(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.Pos() < fnBody.Pos() || v.Pos() >= fnBody.End() {
		return false
	}
	made, appended := false, false
	ast.Inspect(fnBody, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			lid, ok := ast.Unparen(l).(*ast.Ident)
			if !ok || pass.TypesInfo.ObjectOf(lid) != v {
				continue
			}
			c, ok := ast.Unparen(as.Rhs[i]).(*ast.CallExpr)
			switch {
			case ok && match.IsBuiltin(pass.TypesInfo, c.Fun, "make") && len(c.Args) >= 2:
				if tv, ok := pass.TypesInfo.Types[c.Args[1]]; !ok || tv.Value == nil || tv.Value.String() != "0" {
					made = true
				}
			case ok && match.IsBuiltin(pass.TypesInfo, c.Fun, "append"):
				appended = true
			default:
				appended = true // reassigned from elsewhere
			}
		}
		return true
	})
	return made && !appended
}

// startsElementMethod reports a range loop whose body starts a method of
// the element (go srv.Serve()): fan-out over the program's own parts.
func startsElementMethod(pass *analysis.Pass, l *ast.RangeStmt) bool {
	id, ok := l.Value.(*ast.Ident)
	if !ok {
		if l.Value == nil {
			id, ok = l.Key.(*ast.Ident)
		}
		if !ok || id == nil {
			return false
		}
	}
	obj := pass.TypesInfo.ObjectOf(id)
	if obj == nil {
		return false
	}
	found := false
	ast.Inspect(l.Body, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			if sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr); ok {
				if x, ok := ast.Unparen(sel.X).(*ast.Ident); ok && pass.TypesInfo.Uses[x] == obj {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// spawnsOnce reports a go statement followed by a return or a break out
// of the loop (in its block or an enclosing one inside the loop): the loop
// starts at most one goroutine.
func spawnsOnce(cur inspector.Cursor, loop ast.Stmt) bool {
	c := cur
	if _, ok := c.Node().(*ast.CallExpr); ok {
		c = c.Parent() // the ExprStmt of wg.Go(...)
	}
	inSwitch := false // a plain break here leaves a switch or select, not the loop
	for ; c.Node() != loop; c = c.Parent() {
		switch c.Node().(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			inSwitch = false
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false // an inner loop: its exits are not ours
		}
		switch c.Parent().Node().(type) {
		case *ast.CaseClause, *ast.CommClause:
			inSwitch = true
		case *ast.BlockStmt:
		default:
			continue
		}
		for next, ok := c.NextSibling(); ok; next, ok = next.NextSibling() {
			switch s := next.Node().(type) {
			case *ast.ReturnStmt:
				return true
			case *ast.BranchStmt:
				if s.Tok == token.GOTO || s.Tok == token.BREAK && (s.Label != nil || !inSwitch) {
					return true
				}
			}
		}
	}
	return false
}

// limited reports whether the errgroup has SetLimit called in the function,
// or is not a local variable (configured elsewhere: unknown).
func limited(pass *analysis.Pass, fnBody *ast.BlockStmt, group ast.Expr) bool {
	key := match.VarKey(pass, group)
	id, ok := ast.Unparen(group).(*ast.Ident)
	if !ok || key == "" {
		return true
	}
	if v, ok := pass.TypesInfo.ObjectOf(id).(*types.Var); !ok || v.Pos() < fnBody.Pos() || v.Pos() >= fnBody.End() {
		return true
	}
	found := false
	ast.Inspect(fnBody, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			fn, _ := typeutil.Callee(pass.TypesInfo, c).(*types.Func)
			if fn != nil && fn.Name() == "SetLimit" && fn.Pkg() != nil && fn.Pkg().Path() == "golang.org/x/sync/errgroup" {
				if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && match.VarKey(pass, sel.X) == key {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// bounded looks for something that limits how many goroutines run: a
// semaphore channel, a blocking acquire or wait in the loop.
func bounded(pass *analysis.Pass, loopBody *ast.BlockStmt, call *ast.CallExpr, body *ast.BlockStmt) bool {
	type ops struct{ send, recv bool }
	loopOps := map[string]*ops{}
	goOps := map[string]*ops{}
	goMentions := map[string]bool{}
	waits := false

	record := func(m map[string]*ops, ch ast.Expr, send bool) {
		k := match.VarKey(pass, ch)
		if k == "" {
			return
		}
		if m[k] == nil {
			m[k] = &ops{}
		}
		if send {
			m[k].send = true
		} else {
			m[k].recv = true
		}
	}
	var visit func(n ast.Node, m map[string]*ops, inGo bool)
	visit = func(root ast.Node, m map[string]*ops, inGo bool) {
		ast.Inspect(root, func(n ast.Node) bool {
			if n == call && !inGo {
				// The goroutine itself: its body and arguments.
				if body != nil {
					visit(body, goOps, true)
				}
				for _, a := range call.Args {
					ast.Inspect(a, func(n ast.Node) bool {
						if e, ok := n.(ast.Expr); ok {
							if k := match.VarKey(pass, e); k != "" {
								goMentions[k] = true
							}
						}
						return true
					})
				}
				return false
			}
			switch n := n.(type) {
			case *ast.SendStmt:
				record(m, n.Chan, true)
			case *ast.UnaryExpr:
				if n.Op == token.ARROW {
					record(m, n.X, false)
				}
			case *ast.RangeStmt:
				if t := pass.TypesInfo.TypeOf(n.X); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						record(m, n.X, false)
					}
				}
			case *ast.Ident:
				if inGo {
					if k := match.VarKey(pass, n); k != "" {
						goMentions[k] = true
					}
				}
			case *ast.SelectorExpr:
				if inGo {
					if k := match.VarKey(pass, n); k != "" {
						goMentions[k] = true
					}
				}
			case *ast.CallExpr:
				if isWait(pass, n, inGo) {
					waits = true
				}
			}
			return true
		})
	}
	// Operations of the loop body outside the goroutine; a range over a
	// channel is the work source, not a bound, so only the body counts.
	visit(loopBody, loopOps, false)
	if waits {
		return true
	}
	for k, o := range loopOps {
		g := goOps[k]
		switch {
		case g != nil && (o.send && g.recv || o.recv && g.send):
			return true // acquire in the loop, release in the goroutine (or results read back)
		case goMentions[k] && (o.send || o.recv) && body == nil:
			return true // the channel is handed to a named function: assume it releases
		}
	}
	for _, g := range goOps {
		if g.send && g.recv {
			return true // acquire and release inside the goroutine
		}
	}
	return false
}

// isWait recognises calls that throttle or bound a loop. Inside the
// goroutine only a semaphore acquire bounds anything.
func isWait(pass *analysis.Pass, call *ast.CallExpr, inGo bool) bool {
	fn, _ := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	recv := fn.Signature().Recv()
	if fn.Pkg().Path() == "golang.org/x/sync/semaphore" {
		return fn.Name() == "Acquire" || fn.Name() == "TryAcquire"
	}
	if inGo {
		return false
	}
	switch fn.Pkg().Path() {
	case "golang.org/x/time/rate":
		return fn.Name() == "Wait" || fn.Name() == "WaitN" || fn.Name() == "Allow" || fn.Name() == "AllowN"
	case "golang.org/x/sync/errgroup":
		return fn.Name() == "Wait"
	case "sync":
		return recv != nil && fn.Name() == "Wait"
	case "time":
		return recv == nil && fn.Name() == "Sleep"
	}
	return false
}
