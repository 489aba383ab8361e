// Package hotretry defines an Analyzer that reports retry loops that try a
// failed operation again at once, without waiting.
package hotretry

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
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
//go:embed hotretry.md
var Page string

const doc = `report retry loops that try a failed operation again without waiting

A loop that retries a failing call at once (continue on error, or
looping again until err == nil) turns a dependency's bad minute into a
hot loop: it burns a CPU and sends the dependency as many requests as
the network allows, which keeps it down. Retries must wait, with backoff
and jitter, in a way that a cancelled ctx cuts short.

The pass looks at for loops (not range loops: skipping a failing item
of a collection is not a retry) whose error path tries the same
operation again: a continue under an if that tests an error, when the
success path leaves the loop or waits; a loop body that leaves on
"err == nil" and otherwise goes round; or a loop running while
"err != nil". The operation is the call the error comes from, and its
arguments must not change from one iteration to the next (an index
that advances, the next item of a queue): otherwise the loop is walking
through work, not retrying; so is a call that takes an io.Reader, or
whose other results the loop goes on to use (n of a Write, a fragment
of a read). Loops whose condition calls a function (an iterator's Next
or Scan) and loops that stop on io.EOF are iterations too. Retrying one
named error at once (err == syscall.EINTR, errors.Is(err, ErrConflict))
is a decision, not an oversight, and is not reported either.

Category "hot": nothing on the error path waits or checks the ctx: no
time.Sleep, timer, ticker, time.After, channel operation or select, no
ctx.Err(), ctx.Done() or context.Cause, no call to a function of the
package that does one of these, nor to a function named like a wait
(Wait, Sleep, Backoff, Delay, Pause, Throttle) that does not merely
return a time.Duration. Category "ctxonly": the error path checks the
ctx (ctx.Err() and the like) but nothing waits: the loop stops when the
ctx ends and hammers the dependency until then. Category "sleep": the
only wait on the error path is time.Sleep (directly or in a helper of
the package) while the function has a context.Context parameter: the
backoff cannot be cut short when the ctx ends.`

// Analyzer reports retry loops without a wait between attempts.
var Analyzer = &analysis.Analyzer{
	Name:     "hotretry",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories.
const (
	// CategoryHot: nothing waits between attempts.
	CategoryHot = "hot"
	// CategoryCtxOnly: the error path checks the ctx but does not wait:
	// the loop ends when ctx does, and hammers the dependency until then.
	CategoryCtxOnly = "ctxonly"
	// CategorySleep: the wait is a time.Sleep that ctx cannot cut short.
	CategorySleep = "sleep"
)

const (
	msgHot      = "%s is retried at once when it fails: a failing dependency turns this loop into a hot loop that burns a CPU and hammers it; wait before the next attempt, with backoff, in a select on a timer and ctx.Done()"
	msgCtxOnly  = "%s is retried at once when it fails: the ctx check ends the loop when ctx does, but until then a failing dependency gets retries as fast as the CPU allows; wait before the next attempt, with backoff, in a select on a timer and ctx.Done()"
	msgSleep    = "time.Sleep between retries cannot be cut short: when ctx ends the loop still waits out the whole backoff; wait in a select on a time.NewTimer and ctx.Done()"
	msgSleepVia = "%s waits with time.Sleep between retries, which ctx cannot cut short: when ctx ends the loop still waits out the whole backoff; wait in a select on a time.NewTimer and ctx.Done()"
)

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	w := &waits{pass: pass, decls: match.FuncDecls(pass), memo: map[*types.Func]kinds{}}
	for cur := range in.Root().Preorder((*ast.ForStmt)(nil)) {
		loop := cur.Node().(*ast.ForStmt)
		var label *types.Label
		if l, ok := cur.Parent().Node().(*ast.LabeledStmt); ok {
			label, _ = pass.TypesInfo.Defs[l.Label].(*types.Label)
		}
		c := &checker{pass: pass, w: w, cur: cur, loop: loop, label: label}
		c.check()
	}
	return nil, nil
}

// checker examines one for loop.
type checker struct {
	pass    *analysis.Pass
	w       *waits
	cur     inspector.Cursor
	loop    *ast.ForStmt
	label   *types.Label
	varying []string // keys of variables that change from one iteration to the next
}

// A retry path: the failing call, where to report, and the code that runs
// between the failure and the next attempt.
type retry struct {
	op   *ast.CallExpr
	at   ast.Node
	path []ast.Node
}

func (c *checker) check() {
	if c.loop.Cond != nil && iterates(c.pass.TypesInfo, c.loop.Cond) {
		return
	}
	c.varying = varyingKeys(c.pass, c.loop)
	var r retry
	ok := false
	for _, find := range []func() (retry, bool){c.continueRetry, c.fallThroughRetry, c.whileErrRetry} {
		if r, ok = find(); ok {
			break
		}
	}
	if !ok {
		return
	}
	var k kinds
	var sleepAt *ast.CallExpr
	for _, n := range r.path {
		kn, s := c.w.scan(n)
		k |= kn
		if sleepAt == nil {
			sleepAt = s
		}
	}
	switch {
	case k == 0:
		c.pass.Report(analysis.Diagnostic{
			Pos:      r.at.Pos(),
			End:      r.at.End(),
			Category: CategoryHot,
			Message:  fmt.Sprintf(msgHot, types.ExprString(r.op.Fun)),
		})
	case k == kCtx:
		c.pass.Report(analysis.Diagnostic{
			Pos:      r.at.Pos(),
			End:      r.at.End(),
			Category: CategoryCtxOnly,
			Message:  fmt.Sprintf(msgCtxOnly, types.ExprString(r.op.Fun)),
		})
	case k&kSleep != 0 && k&kCancel == 0 && sleepAt != nil && c.hasCtxParam():
		msg := msgSleep
		if !isTimeSleep(c.pass.TypesInfo, sleepAt) {
			msg = fmt.Sprintf(msgSleepVia, types.ExprString(sleepAt.Fun))
		}
		c.pass.Report(analysis.Diagnostic{
			Pos:      sleepAt.Pos(),
			End:      sleepAt.End(),
			Category: CategorySleep,
			Message:  msg,
		})
	}
}

// continueRetry finds "if <error test> { ...; continue }" whose success
// path leaves the loop or waits.
func (c *checker) continueRetry() (retry, bool) {
next:
	for bc := range c.cur.Preorder((*ast.BranchStmt)(nil)) {
		br := bc.Node().(*ast.BranchStmt)
		if br.Tok != token.CONTINUE || !c.targetsLoop(bc, br) {
			continue
		}
		var (
			path    = []ast.Node{c.loop.Cond, c.loop.Post}
			guards  []ast.Expr
			failing ast.Expr // the error whose failure leads here
			success bool
		)
		// guard records an error test on the way to the continue: neg
		// when the continue is on its false side.
		guard := func(cond ast.Expr, neg bool) bool {
			guards = append(guards, cond)
			for _, t := range c.errTests(cond, neg) {
				switch t.kind {
				case testSpecific:
					return false // retrying one named error (EINTR, a conflict) on purpose
				case testFailure, testNotSpecific:
					if failing == nil {
						failing = t.err
					}
				}
			}
			return true
		}
		child := bc
		for p := bc.Parent(); ; child, p = p, p.Parent() {
			switch pn := p.Node().(type) {
			case *ast.BlockStmt:
				i := indexOf(pn.List, child.Node())
				path = append(path, nodes(pn.List[:i])...)
				if failing != nil && !success {
					success = c.leavesOrWaits(p, pn.List[i+1:])
				}
			case *ast.CaseClause:
				if i := indexOf(pn.Body, child.Node()); i >= 0 {
					path = append(path, exprNodes(pn.List)...)
					path = append(path, nodes(pn.Body[:i])...)
					sw, _ := p.Parent().Parent().Node().(*ast.SwitchStmt)
					if sw != nil && sw.Tag != nil && isError(c.pass.TypesInfo.TypeOf(sw.Tag)) {
						for _, v := range pn.List {
							if !isNil(c.pass.TypesInfo, v) {
								continue next // switch err { case syscall.EINTR: continue }
							}
						}
					}
					for _, e := range pn.List {
						if !guard(e, false) {
							continue next
						}
					}
				}
			case *ast.CommClause:
				path = append(path, pn.Comm)
			case *ast.IfStmt:
				if child.Node() == ast.Node(pn.Body) || pn.Else != nil && child.Node() == ast.Node(pn.Else) {
					path = append(path, pn.Init, pn.Cond)
					if !guard(pn.Cond, child.Node() != ast.Node(pn.Body)) {
						continue next
					}
				}
			case *ast.SwitchStmt:
				path = append(path, pn.Init, pn.Tag)
			case *ast.TypeSwitchStmt:
				path = append(path, pn.Init, pn.Assign)
			case *ast.ForStmt, *ast.RangeStmt:
				path = append(path, pn) // an inner loop left with continue L
			}
			if p.Node() == ast.Node(c.loop.Body) {
				break
			}
		}
		if failing == nil || !success {
			continue
		}
		if r, ok := c.retryOf(failing, br, path, guards, failing.Pos()); ok {
			return r, true
		}
	}
	return retry{}, false
}

// fallThroughRetry finds a body that leaves on "err == nil" and otherwise
// reaches its end, going round again.
func (c *checker) fallThroughRetry() (retry, bool) {
	list := c.loop.Body.List
	var (
		ok      *ast.IfStmt // the if leaving on success
		succeed ast.Expr
		guards  []ast.Expr
	)
	for _, s := range list {
		ifs, isIf := s.(*ast.IfStmt)
		if !isIf {
			continue
		}
		if ifs.Else != nil {
			for _, t := range c.errTests(ifs.Cond, false) {
				if t.kind == testSpecific && c.leaves(ifs.Else) {
					return retry{}, false // if errors.Is(err, X) { retry } else { leave }
				}
			}
			continue
		}
		if !c.returns(ifs.Body) {
			continue // not leaving, or failing the test on an unexpected success
		}
		guards = append(guards, ifs.Cond)
		for _, t := range c.errTests(ifs.Cond, false) {
			switch t.kind {
			case testNotSpecific:
				return retry{}, false // the loop goes round for one named error only
			case testSuccess:
				if ok == nil {
					ok, succeed = ifs, t.err
				}
			}
		}
	}
	if ok == nil {
		return retry{}, false
	}
	i := indexOf(list, ok)
	if slices.ContainsFunc(list[i+1:], c.leaves) {
		return retry{}, false // the failure path leaves too
	}
	path := []ast.Node{c.loop.Cond, c.loop.Post, ok.Init, ok.Cond}
	path = append(path, nodes(list[:i])...)
	path = append(path, nodes(list[i+1:])...)
	return c.retryOf(succeed, nil, path, guards, succeed.Pos())
}

// whileErrRetry finds "for err != nil { ... }" loops.
func (c *checker) whileErrRetry() (retry, bool) {
	if c.loop.Cond == nil {
		return retry{}, false
	}
	var failing ast.Expr
	for _, t := range c.errTests(c.loop.Cond, false) {
		switch t.kind {
		case testSpecific, testNotSpecific:
			return retry{}, false
		case testFailure:
			if b, ok := ast.Unparen(t.whole).(*ast.BinaryExpr); ok && b.Op == token.NEQ && failing == nil {
				failing = t.err
			}
		}
	}
	if failing == nil {
		return retry{}, false
	}
	path := []ast.Node{c.loop.Cond, c.loop.Body, c.loop.Post}
	return c.retryOf(failing, nil, path, []ast.Expr{c.loop.Cond}, token.NoPos)
}

// retryOf completes a retry path found for the error expression e: it
// finds the operation, checks that the loop retries it rather than walking
// through work, and reports at at (or at the operation if at is nil).
func (c *checker) retryOf(e ast.Expr, at ast.Node, path []ast.Node, guards []ast.Expr, before token.Pos) (retry, bool) {
	op, results := c.opOf(e, path, before)
	if op == nil || !c.invariant(op) || c.stopsOnEOF() || c.usesResults(results, path, guards) {
		return retry{}, false
	}
	if at == nil {
		at = op
	}
	return retry{op: op, at: at, path: path}, true
}

// How a condition tests an error.
type testKind int

const (
	testSuccess     testKind = iota + 1 // err == nil
	testFailure                         // err != nil, retryable(err), errors.As(err, ...)
	testSpecific                        // err == ErrX, errors.Is(err, ErrX)
	testNotSpecific                     // err != ErrX, !errors.Is(err, ErrX)
)

type errTest struct {
	err   ast.Expr // the error value tested
	whole ast.Expr // the test
	kind  testKind
}

// errTests returns the error tests in cond, through !, && and ||, as they
// read when cond holds (or, with neg, when it does not).
func (c *checker) errTests(cond ast.Expr, neg bool) []errTest {
	info := c.pass.TypesInfo
	var out []errTest
	var walk func(e ast.Expr, neg bool)
	walk = func(e ast.Expr, neg bool) {
		switch x := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			if x.Op == token.NOT {
				walk(x.X, !neg)
			}
		case *ast.BinaryExpr:
			switch x.Op {
			case token.LAND, token.LOR:
				walk(x.X, neg)
				walk(x.Y, neg)
			case token.EQL, token.NEQ:
				a, b := ast.Unparen(x.X), ast.Unparen(x.Y)
				if c.sentinel(a) {
					a, b = b, a
				}
				if !isError(info.TypeOf(a)) || c.sentinel(a) || !c.sentinel(b) {
					return
				}
				eq := (x.Op == token.EQL) != neg
				switch {
				case isNil(info, b) && eq:
					out = append(out, errTest{a, x, testSuccess})
				case isNil(info, b):
					out = append(out, errTest{a, x, testFailure})
				case eq:
					out = append(out, errTest{a, x, testSpecific})
				default:
					out = append(out, errTest{a, x, testNotSpecific})
				}
			}
		case *ast.CallExpr:
			var arg ast.Expr
			for _, a := range x.Args {
				if id, ok := ast.Unparen(a).(*ast.Ident); ok && isError(info.TypeOf(id)) && !c.sentinel(id) {
					arg = id
					break
				}
			}
			if arg == nil {
				return
			}
			fn, _ := typeutil.Callee(info, x).(*types.Func)
			if fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "errors" && fn.Name() == "Is" {
				if neg {
					out = append(out, errTest{arg, x, testNotSpecific})
				} else {
					out = append(out, errTest{arg, x, testSpecific})
				}
				return
			}
			out = append(out, errTest{arg, x, testFailure}) // a classifier: retryable(err), errors.As
		}
	}
	walk(cond, neg)
	return out
}

// sentinel reports whether e is nil, a constant or a package-level
// variable (io.EOF, syscall.EINTR, ErrConflict): a named error, not the
// result of a call.
func (c *checker) sentinel(e ast.Expr) bool {
	info := c.pass.TypesInfo
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && (tv.IsNil() || tv.Value != nil) {
		return true
	}
	var id *ast.Ident
	switch x := e.(type) {
	case *ast.Ident:
		id = x
	case *ast.SelectorExpr:
		id = x.Sel
	default:
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && !v.IsField() && v.Pkg() != nil && v.Parent() == v.Pkg().Scope()
}

// opOf returns the call the error value e comes from: e itself if it is a
// call, else the last assignment to the variable e in the path (through
// fmt.Errorf or errors.Join wrapping) before the position before (if
// valid), with the other variables that assignment sets; nil when there is
// none.
func (c *checker) opOf(e ast.Expr, path []ast.Node, before token.Pos) (*ast.CallExpr, []types.Object) {
	info := c.pass.TypesInfo
	for range 4 {
		if call, ok := e.(*ast.CallExpr); ok {
			if !wraps(info, call) {
				return call, nil
			}
			if before.IsValid() {
				before = call.Pos()
			}
			e = c.errorArg(call.Args)
			if e == nil {
				return nil, nil
			}
			continue
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return nil, nil
		}
		v := info.Uses[id]
		if v == nil {
			return nil, nil
		}
		var (
			rhs    ast.Expr
			others []types.Object
		)
		for _, n := range path {
			if n == nil {
				continue
			}
			ast.Inspect(n, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.AssignStmt:
					if before.IsValid() && n.End() > before {
						return false
					}
					for i, l := range n.Lhs {
						lid, ok := ast.Unparen(l).(*ast.Ident)
						if !ok || info.ObjectOf(lid) != v {
							continue
						}
						switch {
						case len(n.Rhs) == len(n.Lhs):
							rhs, others = n.Rhs[i], nil
						case len(n.Rhs) == 1:
							rhs, others = n.Rhs[0], lhsObjects(info, n.Lhs, v)
						}
					}
				case *ast.ValueSpec:
					if before.IsValid() && n.End() > before {
						return false
					}
					for i, name := range n.Names {
						if info.Defs[name] != v {
							continue
						}
						switch {
						case len(n.Values) == len(n.Names):
							rhs, others = n.Values[i], nil
						case len(n.Values) == 1:
							rhs, others = n.Values[0], nil
						}
					}
				}
				return true
			})
		}
		if rhs == nil {
			return nil, nil
		}
		e = ast.Unparen(rhs)
		if call, ok := e.(*ast.CallExpr); ok && !wraps(info, call) {
			return call, others
		}
		if _, ok := e.(*ast.CallExpr); !ok {
			return nil, nil
		}
	}
	return nil, nil
}

// errorArg returns the first argument that is an error variable.
func (c *checker) errorArg(args []ast.Expr) ast.Expr {
	for _, a := range args {
		if id, ok := ast.Unparen(a).(*ast.Ident); ok && isError(c.pass.TypesInfo.TypeOf(id)) {
			return id
		}
	}
	return nil
}

// lhsObjects returns the variables assigned in lhs other than v.
func lhsObjects(info *types.Info, lhs []ast.Expr, v types.Object) []types.Object {
	var out []types.Object
	for _, l := range lhs {
		if id, ok := ast.Unparen(l).(*ast.Ident); ok {
			if o := info.ObjectOf(id); o != nil && o != v {
				out = append(out, o)
			}
		}
	}
	return out
}

// usesResults reports whether the path reads another result of the
// operation (n of n, err := w.Write(p), a fragment, a "seen" flag): the
// loop consumes what each call produced, so it is making progress rather
// than retrying. Nil checks, Close calls and the error tests themselves
// do not count.
func (c *checker) usesResults(results []types.Object, path []ast.Node, guards []ast.Expr) bool {
	if len(results) == 0 {
		return false
	}
	info := c.pass.TypesInfo
	is := func(id *ast.Ident) bool {
		o := info.Uses[id]
		for _, r := range results {
			if o != nil && o == r {
				return true
			}
		}
		return false
	}
	allowed := map[*ast.Ident]bool{}
	for _, n := range path {
		if n == nil {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok {
						allowed[id] = true
					}
				}
			case *ast.BinaryExpr:
				if isNil(info, n.X) || isNil(info, n.Y) {
					for _, e := range []ast.Expr{n.X, n.Y} {
						if id, ok := ast.Unparen(e).(*ast.Ident); ok {
							allowed[id] = true
						}
					}
				}
			case *ast.CallExpr:
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Close" {
					if id := rootIdent(sel.X); id != nil {
						allowed[id] = true
					}
				}
			}
			return true
		})
	}
	used := false
	for _, n := range path {
		if n == nil || used {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			if e, ok := n.(ast.Expr); ok {
				for _, g := range guards {
					if e == g {
						return false
					}
				}
			}
			if id, ok := n.(*ast.Ident); ok && is(id) && !allowed[id] {
				used = true
			}
			return !used
		})
	}
	return used
}

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// wraps reports whether call only wraps errors (fmt.Errorf, errors.Join).
func wraps(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	switch fn.Pkg().Path() + "." + fn.Name() {
	case "fmt.Errorf", "errors.Join":
		return true
	}
	return false
}

// invariant reports whether op's operands (receiver, arguments, captured
// variables) stay the same from one iteration to the next: then the loop
// retries op rather than walking through work.
func (c *checker) invariant(op *ast.CallExpr) bool {
	for _, a := range op.Args {
		if isReader(c.pass.TypesInfo.TypeOf(a)) {
			return false // each call consumes the stream: rsa.GenerateKey(random, bits)
		}
	}
	for _, r := range refs(c.pass, op) {
		for _, v := range c.varying {
			if r == v || strings.HasPrefix(r, v+".") || strings.HasPrefix(v, r+".") {
				return false
			}
		}
	}
	return true
}

// stopsOnEOF reports whether the loop compares an error with io.EOF (or a
// package's Done or EOF sentinel): it consumes a stream to its end.
func (c *checker) stopsOnEOF() bool {
	found := false
	ast.Inspect(c.loop.Body, func(n ast.Node) bool {
		var id *ast.Ident
		switch n := n.(type) {
		case *ast.Ident:
			id = n
		case *ast.SelectorExpr:
			id = n.Sel
		default:
			return !found
		}
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && v.Pkg() != nil && v.Parent() == v.Pkg().Scope() &&
			isError(v.Type()) && (strings.HasSuffix(v.Name(), "EOF") || v.Name() == "Done") {
			found = true
		}
		return !found
	})
	return found
}

// leavesOrWaits reports whether the statements after an error check (the
// success path) leave the loop or wait: then the loop is a retry, or a
// paced poll whose error path skips the pacing.
func (c *checker) leavesOrWaits(block inspector.Cursor, list []ast.Stmt) bool {
	// An unlabeled break in a switch or select breaks that statement.
	breaks := true
	for p := block; p != c.cur; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			breaks = false
		}
	}
	for _, s := range list {
		if br, ok := s.(*ast.BranchStmt); ok && br.Tok == token.BREAK && br.Label == nil && !breaks {
			continue
		}
		if c.leaves(s) {
			return true
		}
		if k, _ := c.w.scan(s); k&(kSleep|kCancel) != 0 {
			return true
		}
	}
	return false
}

// leaves reports whether s leaves the loop: return, break of this loop,
// goto, panic, os.Exit, log.Fatal.
func (c *checker) leaves(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		return match.IsNoReturn(c.pass.TypesInfo, s.X) || stopsTest(c.pass.TypesInfo, s.X)
	case *ast.IfStmt:
		return s.Else != nil && c.leaves(s.Body) && c.leaves(s.Else)
	case *ast.BranchStmt:
		switch s.Tok {
		case token.GOTO:
			return true
		case token.BREAK:
			if s.Label != nil {
				return c.label != nil && c.pass.TypesInfo.Uses[s.Label] == c.label
			}
			return true // at the top of the loop body, or in a block directly in it
		}
	case *ast.BlockStmt:
		return len(s.List) > 0 && c.leaves(s.List[len(s.List)-1])
	}
	return false
}

// returns reports whether the block ends with a return, a break of the
// loop or a goto: a way to leave with the result, not to fail.
func (c *checker) returns(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return c.leaves(s)
	}
	return false
}

// stopsTest reports whether e is t.Fatal, t.FailNow, t.Skip and the like,
// which end the test's goroutine.
func stopsTest(info *types.Info, e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "testing" || fn.Signature().Recv() == nil {
		return false
	}
	switch fn.Name() {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}

// targetsLoop reports whether the continue at bc continues this loop.
func (c *checker) targetsLoop(bc inspector.Cursor, br *ast.BranchStmt) bool {
	if br.Label != nil {
		return c.label != nil && c.pass.TypesInfo.Uses[br.Label] == c.label
	}
	for p := bc.Parent(); p.Valid(); p = p.Parent() {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return p == c.cur
		case *ast.FuncLit:
			return false
		}
	}
	return false
}

func (c *checker) hasCtxParam() bool {
	for f := range c.cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var ft *ast.FuncType
		switch fn := f.Node().(type) {
		case *ast.FuncDecl:
			ft = fn.Type
		case *ast.FuncLit:
			ft = fn.Type
		}
		for _, field := range ft.Params.List {
			if match.Named(c.pass.TypesInfo.TypeOf(field.Type), "context", "Context") {
				return true
			}
		}
	}
	return false
}

// iterates reports whether a loop condition advances something itself: it
// calls a function (sc.Scan(), it.Next()) or receives from a channel.
// len, cap, the time package (a deadline) and ctx.Err() do not count.
func iterates(info *types.Info, cond ast.Expr) bool {
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && tv.IsType() {
				return true // a conversion
			}
			if match.IsBuiltin(info, n.Fun, "len") || match.IsBuiltin(info, n.Fun, "cap") {
				return true
			}
			if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && fn.Pkg() != nil {
				switch fn.Pkg().Path() {
				case "time", "context":
					return true // a deadline, ctx.Err()
				}
			}
			found = true
		}
		return !found
	})
	return found
}

// varyingKeys returns the variables (and field paths) the loop changes
// from one iteration to the next: those updated from their own value,
// directly or through others (i++, q = q[1:], dir = parent), those given
// fresh values (received from a channel, ranged over, returned by a method
// of a variable such as it.Next(), by a function without arguments such
// as nextRandom(), or by math/rand), and those computed from them.
func varyingKeys(pass *analysis.Pass, loop *ast.ForStmt) []string {
	info := pass.TypesInfo
	deps := map[string][]string{}
	varying := map[string]bool{}
	add := func(lhs ast.Expr, rhs []ast.Expr, fresh bool) {
		if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
			lhs = ix.X
		}
		k := match.VarKey(pass, lhs)
		if k == "" {
			return
		}
		for _, r := range rhs {
			deps[k] = append(deps[k], refs(pass, r)...)
			if freshValue(info, r) {
				fresh = true
			}
		}
		if fresh {
			varying[k] = true
		}
		if _, ok := deps[k]; !ok {
			deps[k] = nil
		}
	}
	visit := func(n ast.Node) {
		if n == nil {
			return
		}
		ast.Inspect(n, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				self := n.Tok != token.ASSIGN && n.Tok != token.DEFINE
				for i, l := range n.Lhs {
					if self {
						add(l, []ast.Expr{l}, false)
					}
					if len(n.Rhs) == len(n.Lhs) {
						add(l, n.Rhs[i:i+1], false)
					} else {
						add(l, n.Rhs, false)
					}
				}
			case *ast.IncDecStmt:
				add(n.X, []ast.Expr{n.X}, false)
			case *ast.CallExpr:
				// p.Start(b[:n]) may store its arguments in p, a variable
				// of the loop body filled anew each time.
				if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && len(n.Args) > 0 {
					if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal && declaredIn(info, sel.X, loop.Body) {
						add(sel.X, n.Args, false)
					}
				}
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if e != nil {
						add(e, nil, true)
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if len(n.Values) == len(n.Names) {
						add(name, n.Values[i:i+1], false)
					} else {
						add(name, n.Values, false)
					}
				}
			}
			return true
		})
	}
	visit(loop.Body)
	visit(loop.Post)
	// A variable that depends on itself, directly or not, changes.
	for k := range deps {
		seen := map[string]bool{}
		var reach func(string) bool
		reach = func(x string) bool {
			for _, d := range deps[x] {
				if d == k {
					return true
				}
				if _, assigned := deps[d]; assigned && !seen[d] {
					seen[d] = true
					if reach(d) {
						return true
					}
				}
			}
			return false
		}
		if reach(k) {
			varying[k] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for k, ds := range deps {
			if varying[k] {
				continue
			}
			for _, d := range ds {
				if varyingKey(varying, d) {
					varying[k], changed = true, true
					break
				}
			}
		}
	}
	out := make([]string, 0, len(varying))
	for k := range varying {
		out = append(out, k)
	}
	return out
}

// declaredIn reports whether the variable at the root of e is declared
// inside n.
func declaredIn(info *types.Info, e ast.Expr, n ast.Node) bool {
	id := rootIdent(e)
	if id == nil {
		return false
	}
	v, ok := info.Uses[id].(*types.Var)
	return ok && v.Pos() >= n.Pos() && v.Pos() < n.End()
}

// varyingKey reports whether d or a variable it is a field of varies.
func varyingKey(varying map[string]bool, d string) bool {
	for {
		if varying[d] {
			return true
		}
		i := strings.LastIndexByte(d, '.')
		if i < 0 {
			return false
		}
		d = d[:i]
	}
}

// freshValue reports whether e may yield a new value each time it is
// evaluated regardless of its operands: a receive, a method call on a
// variable (it.Next(), r.Read(b)), a call without arguments
// (nextRandom(), time.Now()), or a math/rand or crypto/rand call.
func freshValue(info *types.Info, e ast.Expr) bool {
	fresh := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				fresh = true
			}
		case *ast.CallExpr:
			if tv, ok := info.Types[n.Fun]; ok && (tv.IsType() || tv.IsBuiltin()) {
				return true
			}
			if len(n.Args) == 0 {
				fresh = true
			}
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
					fresh = true
				}
			}
			if fn, ok := typeutil.Callee(info, n).(*types.Func); ok && fn.Pkg() != nil {
				switch fn.Pkg().Path() {
				case "math/rand", "math/rand/v2", "crypto/rand":
					fresh = true
				}
			}
		}
		return !fresh
	})
	return fresh
}

// refs returns the keys of the variables and field paths e reads.
func refs(pass *analysis.Pass, e ast.Node) []string {
	var out []string
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if k := match.VarKey(pass, n); k != "" {
				out = append(out, k)
				return false
			}
		case *ast.Ident:
			if k := match.VarKey(pass, n); k != "" {
				out = append(out, k)
			}
		}
		return true
	})
	return out
}

// kinds of waiting found on a path.
type kinds uint8

const (
	kSleep  kinds = 1 << iota // time.Sleep
	kCancel                   // a wait that ctx or an event can end: timer, channel, select, Cond/WaitGroup Wait, a named wait
	kCtx                      // ctx.Err(), ctx.Done(), context.Cause
)

// waits finds waits in code, looking into the package's own functions.
type waits struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	memo  map[*types.Func]kinds

	lits    map[*types.Var]*ast.FuncLit // local funcs declared with a literal
	litMemo map[*types.Var]kinds
}

// scan returns the kinds of waiting in n (goroutines it starts excluded)
// and the first call that sleeps with time.Sleep, directly or not.
func (w *waits) scan(n ast.Node) (kinds, *ast.CallExpr) {
	if n == nil {
		return 0, nil
	}
	var (
		k       kinds
		sleepAt *ast.CallExpr
	)
	info := w.pass.TypesInfo
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			return false
		case *ast.SelectStmt, *ast.SendStmt:
			k |= kCancel
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				k |= kCancel
			}
		case *ast.RangeStmt:
			if t := info.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					k |= kCancel
				}
			}
		case *ast.CallExpr:
			kc := w.call(n)
			if kc&kSleep != 0 && sleepAt == nil {
				sleepAt = n
			}
			k |= kc
		}
		return true
	})
	return k, sleepAt
}

// call classifies one call.
func (w *waits) call(call *ast.CallExpr) kinds {
	info := w.pass.TypesInfo
	obj := typeutil.Callee(info, call)
	fn, _ := obj.(*types.Func)
	if fn != nil && fn.Pkg() != nil {
		recv := fn.Signature().Recv()
		switch fn.Pkg().Path() {
		case "time":
			switch {
			case recv == nil && fn.Name() == "Sleep":
				return kSleep
			case recv == nil && (fn.Name() == "After" || fn.Name() == "Tick" || fn.Name() == "NewTimer" || fn.Name() == "NewTicker"),
				recv != nil && fn.Name() == "Reset":
				return kCancel
			}
		case "context":
			if recv != nil && (fn.Name() == "Err" || fn.Name() == "Done") || recv == nil && fn.Name() == "Cause" {
				return kCtx
			}
		case "sync":
			if recv != nil && fn.Name() == "Wait" {
				return kCancel
			}
		}
		if decl := w.decls[fn.Origin()]; decl != nil {
			if k := w.body(fn.Origin(), decl); k != 0 {
				return k
			}
		}
	}
	if v, ok := obj.(*types.Var); ok {
		if lit := w.literal(v); lit != nil {
			if k := w.lit(v, lit); k != 0 {
				return k
			}
		}
	}
	if obj != nil && namedWait(obj) {
		return kCancel
	}
	return 0
}

// literal returns the function literal a local variable is declared with
// (retry := func() {...}), or nil.
func (w *waits) literal(v *types.Var) *ast.FuncLit {
	if w.lits == nil {
		w.lits = map[*types.Var]*ast.FuncLit{}
		for _, f := range w.pass.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
						for i, l := range n.Lhs {
							id, _ := l.(*ast.Ident)
							lit, _ := ast.Unparen(n.Rhs[i]).(*ast.FuncLit)
							if v, ok := w.pass.TypesInfo.Defs[id].(*types.Var); ok && id != nil && lit != nil {
								w.lits[v] = lit
							}
						}
					}
				case *ast.ValueSpec:
					if len(n.Names) == len(n.Values) {
						for i, id := range n.Names {
							lit, _ := ast.Unparen(n.Values[i]).(*ast.FuncLit)
							if v, ok := w.pass.TypesInfo.Defs[id].(*types.Var); ok && lit != nil {
								w.lits[v] = lit
							}
						}
					}
				}
				return true
			})
		}
	}
	return w.lits[v]
}

// lit returns the kinds of waiting in a function literal, memoised.
func (w *waits) lit(v *types.Var, lit *ast.FuncLit) kinds {
	if k, ok := w.litMemo[v]; ok {
		return k
	}
	if w.litMemo == nil {
		w.litMemo = map[*types.Var]kinds{}
	}
	w.litMemo[v] = 0
	k, _ := w.scan(lit.Body)
	w.litMemo[v] = k
	return k
}

// body returns the kinds of waiting in a package function, memoised.
func (w *waits) body(fn *types.Func, decl *ast.FuncDecl) kinds {
	if k, ok := w.memo[fn]; ok {
		return k
	}
	w.memo[fn] = 0 // recursion: assume nothing
	k, _ := w.scan(decl.Body)
	w.memo[fn] = k
	return k
}

// namedWait reports whether obj is a function or func value named like a
// wait (a rate limiter's Wait, a backoff helper) that does not just
// compute a time.Duration.
func namedWait(obj types.Object) bool {
	name := strings.ToLower(obj.Name())
	named := false
	for _, w := range []string{"wait", "sleep", "backoff", "delay", "pause", "throttle"} {
		if strings.Contains(name, w) {
			named = true
		}
	}
	if !named {
		return false
	}
	sig, ok := obj.Type().Underlying().(*types.Signature)
	if !ok {
		return false
	}
	for v := range sig.Results().Variables() {
		if match.Named(v.Type(), "time", "Duration") {
			return false
		}
	}
	return true
}

// isReader reports whether t has io.Reader's Read method.
func isReader(t types.Type) bool {
	if t == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Read")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Signature()
	if sig.Params().Len() != 1 || sig.Results().Len() != 2 {
		return false
	}
	sl, ok := sig.Params().At(0).Type().Underlying().(*types.Slice)
	return ok && types.Identical(sl.Elem(), types.Typ[types.Byte]) && isError(sig.Results().At(1).Type())
}

func isTimeSleep(info *types.Info, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep"
}

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func isError(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := t.(*types.Tuple); ok {
		return false
	}
	return types.Implements(t, errorType)
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}

func indexOf(list []ast.Stmt, n ast.Node) int {
	for i, s := range list {
		if ast.Node(s) == n {
			return i
		}
	}
	return -1
}

func nodes(list []ast.Stmt) []ast.Node {
	out := make([]ast.Node, len(list))
	for i, s := range list {
		out[i] = s
	}
	return out
}

func exprNodes(list []ast.Expr) []ast.Node {
	out := make([]ast.Node, len(list))
	for i, e := range list {
		out[i] = e
	}
	return out
}
