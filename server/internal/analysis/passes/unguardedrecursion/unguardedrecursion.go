// Package unguardedrecursion defines an Analyzer that reports recursive
// functions that consume their input (a parser descending into nested
// arrays and objects) with no depth limit on the way down.
package unguardedrecursion

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed unguardedrecursion.md
var Page string

const doc = `report recursive functions that consume input with no depth limit

A recursive-descent parser calls itself once per level of nesting in its
input. In Go a goroutine's stack grows up to a fixed maximum, and running
past it is not a panic but a fatal runtime error that recover cannot
catch: one request body of a million '[' kills the process. The pass
finds cycles of direct calls among the package's functions, methods and
recursive closures (parseValue -> parseArray -> parseValue, or a function
calling itself) that consume input on the way: they advance a cursor over
a string, []byte or []rune (a position field or a position parameter that
indexes it, a pointer to a position, a "rest of the input" they return),
or read from an io.Reader, bufio, encoding/json or encoding/xml decoder.
Such a cycle is reported unless something bounds its depth: an integer
parameter (not a position) compared against a bound or counted down, a
counter field that is compared and decremented, or any comparison that
names a depth, level, nesting or budget. Recursion over a tree that is
already built, and recursion through a go statement, are not reported.`

// Analyzer reports recursion that consumes input without a depth guard.
var Analyzer = &analysis.Analyzer{
	Name:     "unguardedrecursion",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// fnode is a function of the package: a declared function or method, or a
// function literal assigned once to a local variable (a recursive closure).
type fnode struct {
	name  string
	pos   token.Pos
	ftype *ast.FuncType
	body  *ast.BlockStmt
	recv  *ast.FieldList // nil for closures and functions
	calls []edge

	// Tarjan's bookkeeping.
	index, low int
	onStack    bool
	scc        int
}

type edge struct {
	call *ast.CallExpr
	to   *fnode
}

type checker struct {
	pass    *analysis.Pass
	nodes   []*fnode
	byFunc  map[*types.Func]*fnode
	byVar   map[*types.Var]*fnode // recursive closures
	litNode map[*ast.FuncLit]*fnode
	// cursors are the integer fields the package uses as a read position
	// into a string, []byte or []rune.
	cursors map[*types.Var]bool
}

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{
		pass:    pass,
		byFunc:  map[*types.Func]*fnode{},
		byVar:   map[*types.Var]*fnode{},
		litNode: map[*ast.FuncLit]*fnode{},
		cursors: map[*types.Var]bool{},
	}
	c.collect(in)
	if len(c.nodes) == 0 {
		return nil, nil
	}
	for _, n := range c.nodes {
		c.edges(n)
	}
	c.findCursors()
	for _, scc := range c.sccs() {
		c.check(scc)
	}
	return nil, nil
}

// collect makes a node of every function declaration with a body and of
// every function literal that is the only value ever assigned to a local
// variable of function type.
func (c *checker) collect(in *inspector.Inspector) {
	for cur := range in.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := cur.Node().(*ast.FuncDecl)
		fn, ok := c.pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if !ok || fd.Body == nil {
			continue
		}
		n := &fnode{name: fd.Name.Name, pos: fd.Pos(), ftype: fd.Type, body: fd.Body, recv: fd.Recv}
		c.nodes = append(c.nodes, n)
		c.byFunc[fn] = n
	}
	// Count the assignments of each local function variable.
	assigned := map[*types.Var][]ast.Expr{}
	note := func(lhs, rhs ast.Expr) {
		id, ok := ast.Unparen(lhs).(*ast.Ident)
		if !ok {
			return
		}
		v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			return
		}
		if _, ok := v.Type().Underlying().(*types.Signature); !ok {
			return
		}
		assigned[v] = append(assigned[v], rhs)
	}
	for cur := range in.Root().Preorder((*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil)) {
		switch s := cur.Node().(type) {
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				var rhs ast.Expr
				if len(s.Lhs) == len(s.Rhs) {
					rhs = s.Rhs[i]
				}
				note(lhs, rhs)
			}
		case *ast.ValueSpec:
			for i, name := range s.Names {
				if len(s.Values) == len(s.Names) {
					note(name, s.Values[i])
				}
			}
		}
	}
	vars := make([]*types.Var, 0, len(assigned))
	for v := range assigned {
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Pos() < vars[j].Pos() })
	for _, v := range vars {
		rhs := assigned[v]
		if len(rhs) != 1 {
			continue
		}
		lit, ok := ast.Unparen(rhs[0]).(*ast.FuncLit)
		if !ok {
			continue
		}
		n := &fnode{name: v.Name(), pos: lit.Pos(), ftype: lit.Type, body: lit.Body}
		c.nodes = append(c.nodes, n)
		c.byVar[v] = n
		c.litNode[lit] = n
	}
	sort.Slice(c.nodes, func(i, j int) bool { return c.nodes[i].pos < c.nodes[j].pos })
}

// calleeNode returns the node a call runs, if it is a static call of a
// function of the package or a call of a recursive closure.
func (c *checker) calleeNode(call *ast.CallExpr) *fnode {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok {
			return c.byVar[v]
		}
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil {
		return nil
	}
	return c.byFunc[fn.Origin()]
}

// edges records the calls n makes to other nodes. Calls made in a new
// goroutine do not grow n's stack; the bodies of recursive closures are
// nodes of their own.
func (c *checker) edges(n *fnode) {
	ast.Inspect(n.body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.GoStmt:
			return false
		case *ast.FuncLit:
			return c.litNode[x] == nil
		case *ast.CallExpr:
			if to := c.calleeNode(x); to != nil {
				n.calls = append(n.calls, edge{x, to})
			}
		}
		return true
	})
}

// inspectBody visits n's body without the bodies of recursive closures
// defined in it, which are nodes of their own.
func (c *checker) inspectBody(n *fnode, f func(ast.Node) bool) {
	ast.Inspect(n.body, func(x ast.Node) bool {
		if lit, ok := x.(*ast.FuncLit); ok && c.litNode[lit] != nil {
			return false
		}
		return f(x)
	})
}

// sccs returns the strongly connected components of the call graph that
// contain a cycle, each sorted by position, in the order of their first
// function.
func (c *checker) sccs() [][]*fnode {
	var (
		index int
		stack []*fnode
		out   [][]*fnode
	)
	var strong func(v *fnode)
	strong = func(v *fnode) {
		index++
		v.index, v.low = index, index
		stack = append(stack, v)
		v.onStack = true
		for _, e := range v.calls {
			w := e.to
			if w.index == 0 {
				strong(w)
				v.low = min(v.low, w.low)
			} else if w.onStack {
				v.low = min(v.low, w.index)
			}
		}
		if v.low == v.index {
			var comp []*fnode
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				w.onStack = false
				w.scc = len(out) + 1
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			out = append(out, comp)
		}
	}
	for _, n := range c.nodes {
		if n.index == 0 {
			strong(n)
		}
	}
	var cyclic [][]*fnode
	for _, comp := range out {
		self := false
		if len(comp) == 1 {
			for _, e := range comp[0].calls {
				self = self || e.to == comp[0]
			}
		}
		if len(comp) > 1 || self {
			sort.Slice(comp, func(i, j int) bool { return comp[i].pos < comp[j].pos })
			cyclic = append(cyclic, comp)
		}
	}
	sort.Slice(cyclic, func(i, j int) bool { return cyclic[i][0].pos < cyclic[j][0].pos })
	return cyclic
}

// check reports the cycle scc if it consumes input and nothing bounds its
// depth.
func (c *checker) check(scc []*fnode) {
	member := map[*fnode]bool{}
	for _, n := range scc {
		member[n] = true
	}
	// reach: the cycle's functions and everything they call.
	reach := append([]*fnode(nil), scc...)
	seen := map[*fnode]bool{}
	for _, n := range scc {
		seen[n] = true
	}
	for i := 0; i < len(reach); i++ {
		for _, e := range reach[i].calls {
			if !seen[e.to] {
				seen[e.to] = true
				reach = append(reach, e.to)
			}
		}
	}

	consumes := false
	for _, n := range scc {
		consumes = consumes || c.paramCursor(n, member)
	}
	for _, n := range reach {
		consumes = consumes || c.advancesInput(n)
	}
	if !consumes {
		return
	}
	for _, n := range scc {
		if c.depthParam(n) {
			return
		}
	}
	if c.guarded(reach) {
		return
	}

	head := scc[0]
	path, call := cyclePath(head, member)
	if call == nil {
		return
	}
	var what string
	if len(path) == 1 {
		what = head.name + " calls itself"
	} else {
		names := make([]string, 0, len(path)+1)
		for _, n := range path {
			names = append(names, n.name)
		}
		what = strings.Join(append(names, head.name), " → ") + " recurses"
	}
	onPath := map[*fnode]bool{}
	for _, n := range path {
		onPath[n] = true
	}
	var others []string
	for _, n := range scc {
		if !onPath[n] {
			others = append(others, n.name)
		}
	}
	if len(others) > 0 {
		what += " (also through " + strings.Join(others, ", ") + ")"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: call.Pos(),
		End: call.End(),
		Message: fmt.Sprintf("%s once per nesting level of its input with no depth limit: "+
			"a million '[' overflow the goroutine stack, a fatal error recover cannot catch; "+
			"pass a depth and fail past a maximum, or keep the nesting on an explicit stack", what),
	})
}

// cyclePath returns the shortest cycle from head back to itself through
// members, and the call that closes it.
func cyclePath(head *fnode, member map[*fnode]bool) ([]*fnode, *ast.CallExpr) {
	prev := map[*fnode]*fnode{head: nil}
	queue := []*fnode{head}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, e := range n.calls {
			if e.to == head {
				var path []*fnode
				for m := n; m != nil; m = prev[m] {
					path = append(path, m)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, e.call
			}
			if _, ok := prev[e.to]; !ok && member[e.to] {
				prev[e.to] = n
				queue = append(queue, e.to)
			}
		}
	}
	return nil, nil
}

// ---- input ----

// isText reports whether t is a string, []byte or []rune (or a named type
// of one): what a parser consumes.
func isText(t types.Type) bool {
	if t == nil {
		return false
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice:
		if b, ok := u.Elem().Underlying().(*types.Basic); ok {
			return b.Kind() == types.Byte || b.Kind() == types.Rune
		}
	}
	return false
}

func isInteger(t types.Type) bool {
	if t == nil {
		return false
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// textReads calls f with each index or slice bound used to read from a
// string, []byte or []rune in root: not the target of an assignment, nor
// the destination of copy or append.
func (c *checker) textReads(root ast.Node, f func(operand, index ast.Expr)) {
	written := map[ast.Expr]bool{}
	ast.Inspect(root, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				written[ast.Unparen(l)] = true
			}
		case *ast.IncDecStmt:
			written[ast.Unparen(x.X)] = true
		case *ast.CallExpr:
			if (match.IsBuiltin(c.pass.TypesInfo, x.Fun, "copy") || match.IsBuiltin(c.pass.TypesInfo, x.Fun, "append")) && len(x.Args) > 0 {
				written[ast.Unparen(x.Args[0])] = true
			}
		case *ast.IndexExpr:
			if !written[x] && isText(c.pass.TypesInfo.TypeOf(x.X)) {
				f(x.X, x.Index)
			}
		case *ast.SliceExpr:
			if !written[x] && isText(c.pass.TypesInfo.TypeOf(x.X)) {
				for _, b := range []ast.Expr{x.Low, x.High} {
					if b != nil {
						f(x.X, b)
					}
				}
			}
		}
		return true
	})
}

// fieldsIn returns the integer fields (x.f) mentioned in e.
func (c *checker) fieldsIn(e ast.Expr) []*types.Var {
	var out []*types.Var
	ast.Inspect(e, func(x ast.Node) bool {
		if sel, ok := x.(*ast.SelectorExpr); ok {
			if v := c.field(sel); v != nil && isInteger(v.Type()) {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// positionFields returns the integer fields an index expression is
// computed from directly: p.pos in p.pos+1, not tape[i].start in
// data[tape[i].start].
func (c *checker) positionFields(e ast.Expr) []*types.Var {
	var out []*types.Var
	ast.Inspect(e, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.IndexExpr, *ast.CallExpr:
			return false
		case *ast.SelectorExpr:
			if v := c.field(x); v != nil && isInteger(v.Type()) {
				if _, ok := ast.Unparen(x.X).(*ast.IndexExpr); !ok {
					out = append(out, v)
				}
			}
			return false
		}
		return true
	})
	return out
}

func (c *checker) field(sel *ast.SelectorExpr) *types.Var {
	s, ok := c.pass.TypesInfo.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return nil
	}
	v, _ := s.Obj().(*types.Var)
	return v
}

// localsIn returns the local (non-field) variables mentioned in e.
func (c *checker) localsIn(e ast.Expr) []*types.Var {
	var out []*types.Var
	ast.Inspect(e, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.SelectorExpr:
			return false // fields are not locals
		case *ast.Ident:
			if v, ok := c.pass.TypesInfo.Uses[x].(*types.Var); ok && !v.IsField() {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// findCursors finds the integer fields used, directly or through a local
// copy, as a read position into text: p.data[p.pos], or i := p.pos;
// ... data[i] ...; p.pos = i.
func (c *checker) findCursors() {
	for _, n := range c.nodes {
		indexLocals := map[*types.Var]bool{}
		c.textReads(n.body, func(_, index ast.Expr) {
			for _, f := range c.positionFields(index) {
				c.cursors[f] = true
			}
			for _, v := range c.localsIn(index) {
				indexLocals[v] = true
			}
		})
		if len(indexLocals) == 0 {
			continue
		}
		// Fields copied to or from a local that indexes text.
		ast.Inspect(n.body, func(x ast.Node) bool {
			as, ok := x.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, l := range as.Lhs {
				r := as.Rhs[i]
				if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
					if f := c.field(sel); f != nil && isInteger(f.Type()) {
						for _, v := range c.localsIn(r) {
							if indexLocals[v] {
								c.cursors[f] = true
							}
						}
					}
				}
				if id, ok := ast.Unparen(l).(*ast.Ident); ok {
					if v, ok := c.pass.TypesInfo.ObjectOf(id).(*types.Var); ok && indexLocals[v] {
						for _, f := range c.fieldsIn(r) {
							c.cursors[f] = true
						}
					}
				}
			}
			return true
		})
	}
}

// advancesInput reports whether n consumes input through state that
// outlives the call: it advances a cursor field, reslices a text field or
// a text behind a pointer, or reads from a reader or decoder.
func (c *checker) advancesInput(n *fnode) bool {
	// Variables that outlive the call (package-level, or captured by a
	// closure) and index text in n.
	outer := map[*types.Var]bool{}
	c.textReads(n.body, func(_, index ast.Expr) {
		for _, v := range c.localsIn(index) {
			if isInteger(v.Type()) && (v.Pos() < n.ftype.Pos() || v.Pos() >= n.body.End()) {
				outer[v] = true
			}
		}
	})
	isCursor := func(l ast.Expr) bool {
		switch l := ast.Unparen(l).(type) {
		case *ast.SelectorExpr:
			return c.cursors[c.field(l)]
		case *ast.Ident:
			v, _ := c.pass.TypesInfo.Uses[l].(*types.Var)
			return outer[v]
		}
		return false
	}
	found := false
	c.inspectBody(n, func(x ast.Node) bool {
		if found {
			return false
		}
		switch x := x.(type) {
		case *ast.IncDecStmt:
			found = x.Tok == token.INC && isCursor(x.X)
		case *ast.AssignStmt:
			for i, l := range x.Lhs {
				if x.Tok != token.SUB_ASSIGN && x.Tok != token.DEFINE && isCursor(l) {
					found = true
				}
				// p.rest = p.rest[n:] or *s = (*s)[n:]
				if len(x.Lhs) == len(x.Rhs) && isText(c.pass.TypesInfo.TypeOf(l)) {
					if _, isIdent := ast.Unparen(l).(*ast.Ident); !isIdent {
						if s, ok := ast.Unparen(x.Rhs[i]).(*ast.SliceExpr); ok && s.Low != nil &&
							sameVar(c.pass, s.X, l) {
							found = true
						}
					}
				}
			}
		case *ast.CallExpr:
			found = c.readCall(x)
		}
		return !found
	})
	return found
}

func sameVar(pass *analysis.Pass, a, b ast.Expr) bool {
	ka := match.VarKey(pass, a)
	return ka != "" && ka == match.VarKey(pass, b)
}

// readers are the packages whose Read*, Scan, Token and Decode methods
// consume a stream.
var readers = map[string]bool{
	"io": true, "bufio": true, "bytes": true, "strings": true,
	"encoding/json": true, "encoding/xml": true, "encoding/csv": true,
	"text/scanner": true, "go/scanner": true,
}

// readCall reports whether call reads from a stream: a Read* method of
// io's interfaces or of bufio/bytes/strings readers, a Scan or Next of a
// scanner, a Token or Decode of an encoding/json or encoding/xml decoder,
// or io.ReadFull/ReadAtLeast.
func (c *checker) readCall(call *ast.CallExpr) bool {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil {
		// An interface method: typeutil.Callee finds it.
		fn, _ = typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	}
	if fn == nil || fn.Pkg() == nil || !readers[fn.Pkg().Path()] {
		return false
	}
	name := fn.Name()
	if fn.Signature().Recv() == nil {
		return fn.Pkg().Path() == "io" && (name == "ReadFull" || name == "ReadAtLeast")
	}
	switch {
	case strings.HasPrefix(name, "Read"):
		return name != "ReadFrom" && name != "ReadAt"
	case name == "Scan" || name == "Next" || name == "Token" || name == "RawToken" || name == "Decode":
		return true
	}
	return false
}

// paramCursor reports whether n, a function of the cycle, consumes input
// through its parameters: it reads text at an integer position parameter
// and returns a position or passes one on along the cycle, reads text at
// *pos for a parameter pos *int, or returns the rest of a slice or string
// parameter.
func (c *checker) paramCursor(n *fnode, member map[*fnode]bool) bool {
	params := c.params(n)
	if len(params) == 0 {
		return false
	}
	isParam := map[*types.Var]bool{}
	for _, p := range params {
		isParam[p] = true
	}
	returnsInt := false
	returnsType := func(t types.Type) bool {
		if n.ftype.Results == nil {
			return false
		}
		for _, f := range n.ftype.Results.List {
			if types.Identical(c.pass.TypesInfo.TypeOf(f.Type), t) {
				return true
			}
		}
		return false
	}
	if n.ftype.Results != nil {
		for _, f := range n.ftype.Results.List {
			returnsInt = returnsInt || isInteger(c.pass.TypesInfo.TypeOf(f.Type))
		}
	}
	// Integer parameters (or *int) that index text parameters.
	positions := map[*types.Var]bool{}
	derefPos := false
	c.textReads(n.body, func(_, index ast.Expr) {
		ast.Inspect(index, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.SelectorExpr, *ast.IndexExpr, *ast.CallExpr:
				return false // p.i, data[offs[i]], f(i): not i itself
			case *ast.StarExpr:
				if id, ok := ast.Unparen(x.X).(*ast.Ident); ok {
					if v, ok := c.pass.TypesInfo.Uses[id].(*types.Var); ok && isParam[v] {
						if p, ok := v.Type().Underlying().(*types.Pointer); ok && isInteger(p.Elem()) {
							derefPos = true
						}
					}
				}
			case *ast.Ident:
				if v, ok := c.pass.TypesInfo.Uses[x].(*types.Var); ok && isParam[v] && isInteger(v.Type()) {
					positions[v] = true
				}
			}
			return true
		})
	})
	if derefPos {
		return true
	}
	if len(positions) > 0 {
		if returnsInt {
			return true
		}
		for _, e := range n.calls {
			if !member[e.to] {
				continue
			}
			for _, a := range e.call.Args {
				for _, v := range c.localsIn(a) {
					if positions[v] {
						return true
					}
				}
			}
		}
	}
	// The rest of a slice or string parameter, returned: (Value, rest, error).
	found := false
	c.inspectBody(n, func(x ast.Node) bool {
		ret, ok := x.(*ast.ReturnStmt)
		if !ok || found {
			return !found
		}
		for _, r := range ret.Results {
			s, ok := ast.Unparen(r).(*ast.SliceExpr)
			if !ok || s.Low == nil {
				continue
			}
			id, ok := ast.Unparen(s.X).(*ast.Ident)
			if !ok {
				continue
			}
			v, ok := c.pass.TypesInfo.Uses[id].(*types.Var)
			if !ok || v.IsField() {
				continue
			}
			if isParam[v] || v.Parent() != nil && v.Pos() > n.body.Pos() && v.Pos() < n.body.End() {
				if returnsType(v.Type()) && sameTypeParam(v, params) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// sameTypeParam reports whether some parameter has v's type.
func sameTypeParam(v *types.Var, params []*types.Var) bool {
	for _, p := range params {
		if types.Identical(p.Type(), v.Type()) {
			if _, ok := p.Type().Underlying().(*types.Slice); ok {
				return true
			}
			if b, ok := p.Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
				return true
			}
		}
	}
	return false
}

// params returns n's parameters (not its receiver).
func (c *checker) params(n *fnode) []*types.Var {
	var out []*types.Var
	if n.ftype.Params == nil {
		return nil
	}
	for _, f := range n.ftype.Params.List {
		for _, name := range f.Names {
			if v, ok := c.pass.TypesInfo.Defs[name].(*types.Var); ok {
				out = append(out, v)
			}
		}
	}
	return out
}

// ---- guards ----

var depthName = regexp.MustCompile(`(?i)depth|level|nest|budget|recurs`)

func isComparison(op token.Token) bool {
	switch op {
	case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
		return true
	}
	return false
}

// depthParam reports whether n has an integer parameter that is not a
// position into text and that bounds the recursion: compared against
// something in n, or handed to a function that compares it.
func (c *checker) depthParam(n *fnode) bool {
	params := c.params(n)
	cands := map[*types.Var]bool{}
	for _, p := range params {
		if isInteger(p.Type()) {
			cands[p] = true
		}
	}
	if len(cands) == 0 {
		return false
	}
	c.textReads(n.body, func(_, index ast.Expr) {
		for _, v := range c.localsIn(index) {
			delete(cands, v)
		}
	})
	if len(cands) == 0 {
		return false
	}
	if c.compares(n, cands) {
		return true
	}
	// Handed to a helper that compares it: checkDepth(depth).
	for _, e := range n.calls {
		ps := c.params(e.to)
		for i, a := range e.call.Args {
			if i >= len(ps) || !isInteger(ps[i].Type()) {
				continue
			}
			for _, v := range c.localsIn(a) {
				if cands[v] && c.compares(e.to, map[*types.Var]bool{ps[i]: true}) {
					return true
				}
			}
		}
	}
	return false
}

// compares reports whether a comparison (or a switch on a value) in n
// mentions one of vars.
func (c *checker) compares(n *fnode, vars map[*types.Var]bool) bool {
	found := false
	mentions := func(e ast.Expr) bool {
		for _, v := range c.localsIn(e) {
			if vars[v] {
				return true
			}
		}
		return false
	}
	c.inspectBody(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.BinaryExpr:
			if isComparison(x.Op) && (mentions(x.X) || mentions(x.Y)) {
				found = true
			}
		case *ast.SwitchStmt:
			if x.Tag != nil && mentions(x.Tag) {
				found = true
			}
		}
		return !found
	})
	return found
}

// guarded reports whether the functions in reach bound the depth through
// state: an integer field (not an input cursor, or one also counted down)
// that they change and compare, the length of a non-text slice field they
// compare, or any comparison that names a depth, level, nesting or budget.
func (c *checker) guarded(reach []*fnode) bool {
	changed := map[*types.Var]bool{}
	decremented := map[*types.Var]bool{}
	for _, n := range reach {
		c.inspectBody(n, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.IncDecStmt:
				if sel, ok := ast.Unparen(x.X).(*ast.SelectorExpr); ok {
					if f := c.field(sel); f != nil {
						changed[f] = true
						decremented[f] = decremented[f] || x.Tok == token.DEC
					}
				}
			case *ast.AssignStmt:
				for _, l := range x.Lhs {
					if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
						if f := c.field(sel); f != nil {
							changed[f] = true
							decremented[f] = decremented[f] || x.Tok == token.SUB_ASSIGN
						}
					}
				}
			}
			return true
		})
	}
	found := false
	for _, n := range reach {
		c.inspectBody(n, func(x ast.Node) bool {
			b, ok := x.(*ast.BinaryExpr)
			if found || !ok || !isComparison(b.Op) {
				return !found
			}
			for _, side := range []ast.Expr{b.X, b.Y} {
				if c.namesDepth(side) {
					found = true
				}
				for _, f := range c.fieldsIn(side) {
					if changed[f] && (decremented[f] || !c.cursors[f] && !c.small(other(b, side))) {
						found = true
					}
				}
				if call, ok := ast.Unparen(side).(*ast.CallExpr); ok && match.IsBuiltin(c.pass.TypesInfo, call.Fun, "len") && len(call.Args) == 1 {
					if sel, ok := ast.Unparen(call.Args[0]).(*ast.SelectorExpr); ok {
						if f := c.field(sel); f != nil && changed[f] && !isText(f.Type()) && !c.small(other(b, side)) {
							found = true
						}
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// namesDepth reports whether e mentions a variable, field or constant
// whose name says it is a depth, a level, a nesting or a budget.
func (c *checker) namesDepth(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok {
			switch c.pass.TypesInfo.Uses[id].(type) {
			case *types.Var, *types.Const:
				found = found || depthName.MatchString(id.Name)
			}
		}
		return !found
	})
	return found
}

func other(b *ast.BinaryExpr, side ast.Expr) ast.Expr {
	if side == b.X {
		return b.Y
	}
	return b.X
}

// small reports whether e is a constant no greater than 1: comparing with
// it tests for emptiness or for being nested at all, not against a bound.
func (c *checker) small(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil {
		return false
	}
	v, ok := constant.Int64Val(constant.ToInt(tv.Value))
	return ok && v <= 1
}
