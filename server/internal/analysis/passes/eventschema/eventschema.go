// Package eventschema defines an Analyzer that reports exported fields
// without an explicit json tag in the types an event-sourced log stores:
// the commands registered with RegisterCommand.
package eventschema

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed eventschema.md
var Page string

const doc = `report exported fields without a json tag in commands registered with RegisterCommand

An event log stores each command as its encoding/json encoding, and
encoding/json names an untagged field after the Go field. Renaming the
field in a refactor then silently changes what is written to disk, and
events already in the log no longer fill it on replay. The pass finds the
calls of a RegisterCommand(name string, version int, decode func(json.RawMessage)
(Command, error)) function, looks into the decode function (a function,
a generic instance such as decodeJSON[insertCmd], or a literal) for the
types it unmarshals the stored data into and the concrete commands it
returns, and reports every exported field of those types, and of the
structs nested in them, that has no json tag or a json tag with no name.
Types with their own MarshalJSON/UnmarshalJSON (or MarshalText/
UnmarshalText) are left alone: they decide their format themselves. A
fix adds json:"<lowerCamelName>" when that name is free in the struct
and the field declares a single name.`

// Analyzer reports untagged fields of stored commands; see the package
// documentation.
var Analyzer = &analysis.Analyzer{
	Name:     "eventschema",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

type checker struct {
	pass   *analysis.Pass
	decls  map[*types.Func]*ast.FuncDecl
	fields map[token.Pos]*ast.Field // struct fields by the position of their names (or embedded type)
	// reported fields, so that a type registered twice is reported once.
	seen map[*types.Var]bool
}

// registration is one RegisterCommand call.
type registration struct {
	call *ast.CallExpr
	desc string // RegisterCommand("insert", 2, ...) (command.go:226)
}

// subst maps the type parameters of a generic decode function to the
// type arguments of the instance registered.
type subst map[*types.TypeParam]types.Type

func run(pass *analysis.Pass) (any, error) {
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	c := &checker{pass: pass, fields: map[token.Pos]*ast.Field{}, seen: map[*types.Var]bool{}}
	var regs []*ast.CallExpr
	for cur := range in.Root().Preorder((*ast.CallExpr)(nil), (*ast.StructType)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			if isRegisterCommand(pass, n) {
				regs = append(regs, n)
			}
		case *ast.StructType:
			for _, f := range n.Fields.List {
				if len(f.Names) == 0 {
					c.fields[embeddedPos(f.Type)] = f
				}
				for _, name := range f.Names {
					c.fields[name.Pos()] = f
				}
			}
		}
	}
	if len(regs) == 0 {
		return nil, nil
	}
	c.decls = match.FuncDecls(pass)
	for _, call := range regs {
		reg := registration{call: call, desc: c.describe(call)}
		stored := &storedTypes{}
		decode := call.Args[len(call.Args)-1]
		c.decodeFunc(decode, stored)
		for _, t := range stored.list {
			c.checkType(reg, t, "", map[types.Type]bool{})
		}
	}
	return nil, nil
}

// isRegisterCommand reports whether call calls a package-level function
// named RegisterCommand whose last parameter is a decoder:
// func(json.RawMessage) (T, error), or func([]byte) (T, error).
func isRegisterCommand(pass *analysis.Pass, call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Name() != "RegisterCommand" || fn.Signature().Recv() != nil {
		return false
	}
	params := fn.Signature().Params()
	if params.Len() < 2 || len(call.Args) != params.Len() || call.Ellipsis.IsValid() {
		return false
	}
	dec, ok := params.At(params.Len() - 1).Type().Underlying().(*types.Signature)
	return ok && isDecoder(dec)
}

func isDecoder(sig *types.Signature) bool {
	if sig.Params().Len() != 1 || sig.Results().Len() != 2 {
		return false
	}
	if !isBytes(sig.Params().At(0).Type()) {
		return false
	}
	return types.Identical(sig.Results().At(1).Type(), types.Universe.Lookup("error").Type())
}

// isBytes reports whether t is json.RawMessage or another []byte type.
func isBytes(t types.Type) bool {
	s, ok := t.Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// describe renders the registration for messages:
// RegisterCommand("insert", 2, ...) at command.go:226.
func (c *checker) describe(call *ast.CallExpr) string {
	var args []string
	for _, a := range call.Args[:len(call.Args)-1] {
		if tv, ok := c.pass.TypesInfo.Types[a]; ok && tv.Value != nil {
			if tv.Value.Kind() == constant.String {
				args = append(args, strconv.Quote(constant.StringVal(tv.Value)))
			} else {
				args = append(args, tv.Value.ExactString())
			}
			continue
		}
		args = append(args, types.ExprString(a))
	}
	p := c.pass.Fset.Position(call.Pos())
	return fmt.Sprintf("%s(%s, ...) at %s:%d", types.ExprString(funcExpr(call.Fun)), strings.Join(args, ", "), filepath.Base(p.Filename), p.Line)
}

// funcExpr strips explicit instantiation from a called function.
func funcExpr(e ast.Expr) ast.Expr {
	switch f := ast.Unparen(e).(type) {
	case *ast.IndexExpr:
		return f.X
	case *ast.IndexListExpr:
		return f.X
	}
	return e
}

// ---- the decode function ----

// storedTypes collects, in order and without repeats, the types a decode
// function stores.
type storedTypes struct {
	list []types.Type
	seen map[types.Type]bool
}

func (s *storedTypes) add(t types.Type) {
	if t == nil {
		return
	}
	if s.seen == nil {
		s.seen = map[types.Type]bool{}
	}
	for k := range s.seen {
		if types.Identical(k, t) {
			return
		}
	}
	s.seen[t] = true
	s.list = append(s.list, t)
}

// decodeFunc finds the decode function an expression denotes and collects
// what it stores.
func (c *checker) decodeFunc(e ast.Expr, out *storedTypes) {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.FuncLit); ok {
		c.decodeBody(lit.Type, lit.Body, 0, nil, out, 0)
		return
	}
	id := identOf(e)
	if id == nil {
		return
	}
	fn, ok := c.pass.TypesInfo.Uses[id].(*types.Func)
	if !ok {
		return
	}
	var args []types.Type
	if inst, ok := c.pass.TypesInfo.Instances[id]; ok {
		for i := range inst.TypeArgs.Len() {
			args = append(args, inst.TypeArgs.At(i))
		}
	}
	c.decodeDecl(fn, args, 0, nil, out, 0)
}

// identOf returns the identifier naming a function value: f, pkg.f,
// f[T], recv.Method.
func identOf(e ast.Expr) *ast.Ident {
	switch f := ast.Unparen(e).(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		return f.Sel
	case *ast.IndexExpr:
		return identOf(f.X)
	case *ast.IndexListExpr:
		return identOf(f.X)
	}
	return nil
}

// decodeDecl looks into the declaration of fn (an instance with type
// arguments args, resolved in the caller's substitution outer), whose
// parameter param receives the stored data.
func (c *checker) decodeDecl(fn *types.Func, args []types.Type, param int, outer subst, out *storedTypes, depth int) {
	fd := c.decls[fn.Origin()]
	if fd == nil {
		return // declared in another package: its body is not ours to read
	}
	var s subst
	if tps := fn.Origin().Signature().TypeParams(); tps != nil && tps.Len() == len(args) {
		s = subst{}
		for i := range tps.Len() {
			s[tps.At(i)] = outer.apply(args[i])
		}
	}
	c.decodeBody(fd.Type, fd.Body, param, s, out, depth)
}

// decodeBody collects from a decode function's body: the targets of
// json.Unmarshal (or a json.Decoder's Decode) of the data parameter, the
// concrete types it returns as its first result, and the same from the
// functions of the package it hands the data to.
func (c *checker) decodeBody(ft *ast.FuncType, body *ast.BlockStmt, param int, s subst, out *storedTypes, depth int) {
	if body == nil || depth > 3 {
		return
	}
	data := paramVar(c.pass, ft, param)
	if data == nil {
		return
	}
	mentionsData := func(e ast.Expr) bool {
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == data {
				found = true
			}
			return !found
		})
		return found
	}
	decoderOfData := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok && isJSON(fn, "NewDecoder") && len(call.Args) == 1 && mentionsData(call.Args[0]) {
				decoderOfData = true
			}
		}
		return true
	})
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a nested function is not the decoder's own path
		case *ast.ReturnStmt:
			if len(n.Results) > 0 {
				if t := s.apply(c.pass.TypesInfo.TypeOf(n.Results[0])); t != nil && isStructish(t) {
					out.add(t)
				}
			}
		case *ast.CallExpr:
			fn, ok := typeutil.Callee(c.pass.TypesInfo, n).(*types.Func)
			if !ok {
				return true
			}
			switch {
			case isJSON(fn, "Unmarshal") && len(n.Args) == 2 && mentionsData(n.Args[0]):
				out.add(target(c.pass, s, n.Args[1]))
			case isJSON(fn, "Decode") && fn.Signature().Recv() != nil && len(n.Args) == 1 && decoderOfData:
				out.add(target(c.pass, s, n.Args[0]))
			case fn.Pkg() == c.pass.Pkg:
				// decode(raw) handing the data to a helper of the package.
				for i, a := range n.Args {
					if id, ok := ast.Unparen(a).(*ast.Ident); ok && c.pass.TypesInfo.Uses[id] == data {
						var args []types.Type
						if inst, ok := c.pass.TypesInfo.Instances[identOf(n.Fun)]; ok {
							for j := range inst.TypeArgs.Len() {
								args = append(args, inst.TypeArgs.At(j))
							}
						}
						c.decodeDecl(fn, args, i, s, out, depth+1)
					}
				}
			}
		}
		return true
	})
}

// paramVar returns the i-th parameter of a function type.
func paramVar(pass *analysis.Pass, ft *ast.FuncType, i int) *types.Var {
	if ft.Params == nil {
		return nil
	}
	k := 0
	for _, f := range ft.Params.List {
		names := f.Names
		if len(names) == 0 {
			k++
			continue
		}
		for _, name := range names {
			if k == i {
				v, _ := pass.TypesInfo.Defs[name].(*types.Var)
				return v
			}
			k++
		}
	}
	return nil
}

func isJSON(fn *types.Func, name string) bool {
	return fn.Pkg() != nil && fn.Pkg().Path() == "encoding/json" && fn.Name() == name
}

// isStructish reports whether t is a struct type or a pointer to one.
func isStructish(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// target returns the type a pointer argument of Unmarshal or Decode
// points to.
func target(pass *analysis.Pass, s subst, e ast.Expr) types.Type {
	t := s.apply(pass.TypesInfo.TypeOf(e))
	if p, ok := t.(*types.Pointer); ok {
		return p.Elem()
	}
	return nil
}

// apply replaces type parameters by their arguments: T, *T and []T.
func (s subst) apply(t types.Type) types.Type {
	switch u := t.(type) {
	case *types.TypeParam:
		if r, ok := s[u]; ok {
			return r
		}
		return nil
	case *types.Pointer:
		if e := s.apply(u.Elem()); e != nil {
			if e == u.Elem() {
				return t
			}
			return types.NewPointer(e)
		}
		return nil
	}
	return t
}

// ---- the stored types ----

// checkType reports the untagged exported fields of t, a stored type, and
// of the structs nested in it. via names the type that contains it, for
// nested structs.
func (c *checker) checkType(reg registration, t types.Type, via string, visiting map[types.Type]bool) {
	for {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		case *types.Map:
			t = u.Elem()
			continue
		}
		break
	}
	t = types.Unalias(t)
	if visiting[t] {
		return
	}
	visiting[t] = true
	var (
		st   *types.Struct
		name string
	)
	switch u := t.(type) {
	case *types.Named:
		if u.Obj().Pkg() != c.pass.Pkg || customJSON(u) {
			return
		}
		st, _ = u.Underlying().(*types.Struct)
		name = u.Obj().Name()
	case *types.Struct:
		st, name = u, "an anonymous struct"
	}
	if st == nil {
		return
	}
	for i := range st.NumFields() {
		f := st.Field(i)
		tag, hasTag := reflect.StructTag(st.Tag(i)).Lookup("json")
		jsonName, _, _ := strings.Cut(tag, ",")
		if hasTag && tag == "-" {
			continue // not stored
		}
		if f.Embedded() && !hasTag {
			c.checkType(reg, f.Type(), via, visiting) // its fields are inlined
			continue
		}
		if !f.Exported() {
			continue
		}
		if !hasTag || jsonName == "" {
			c.report(reg, st, i, name, via, hasTag)
		}
		c.checkType(reg, f.Type(), inside(name, via), visiting)
	}
}

func inside(name, via string) string {
	if via != "" {
		return name + ", inside " + via
	}
	return name
}

// customJSON reports whether n (or *n) encodes or decodes itself.
func customJSON(n *types.Named) bool {
	ms := types.NewMethodSet(types.NewPointer(n))
	for _, m := range []string{"MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText"} {
		if ms.Lookup(nil, m) != nil {
			return true
		}
	}
	return false
}

func (c *checker) report(reg registration, st *types.Struct, i int, typeName, via string, hasTag bool) {
	f := st.Field(i)
	if c.seen[f.Origin()] {
		return
	}
	c.seen[f.Origin()] = true
	field := c.fields[f.Origin().Pos()]
	if field == nil {
		return // not declared in the files of this pass
	}
	pos, end := f.Origin().Pos(), f.Origin().Pos()+token.Pos(len(f.Name()))
	if f.Embedded() {
		pos, end = field.Type.Pos(), field.Type.End()
	}
	want := lowerCamel(f.Name())
	where := typeName
	if via != "" {
		where += " (stored inside " + via + ")"
	}
	what := "has no json tag"
	if hasTag {
		what = "has a json tag with no name"
	}
	d := analysis.Diagnostic{
		Pos: pos,
		End: end,
		Message: fmt.Sprintf("field %s of %s %s, yet %s stores it in the event log: "+
			"renaming the Go field would silently change the stored format; tag it json:%q",
			f.Name(), where, what, reg.desc, want),
	}
	if fix, ok := c.tagFix(st, i, field, want); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	c.pass.Report(d)
}

// tagFix adds json:"want" to the field when that is a safe, mechanical
// edit: the declaration has a single name, its tag (if any) is a raw
// string without a named json key, and no other field of the struct is
// stored under a name that encoding/json would confuse with want (it
// matches keys case-insensitively).
func (c *checker) tagFix(st *types.Struct, i int, field *ast.Field, want string) (analysis.SuggestedFix, bool) {
	if len(field.Names) > 1 || want == "" {
		return analysis.SuggestedFix{}, false
	}
	for _, other := range jsonNames(st, i, map[*types.Struct]bool{}) {
		if strings.EqualFold(other, want) {
			return analysis.SuggestedFix{}, false
		}
	}
	fix := analysis.SuggestedFix{Message: fmt.Sprintf("Add json:%q (encoding/json still reads keys stored under the Go name: it matches them case-insensitively)", want)}
	if field.Tag == nil {
		fix.TextEdits = []analysis.TextEdit{{
			Pos: field.Type.End(), End: field.Type.End(),
			NewText: []byte(" `json:" + strconv.Quote(want) + "`"),
		}}
		return fix, true
	}
	lit := field.Tag.Value
	if !strings.HasPrefix(lit, "`") || !strings.HasSuffix(lit, "`") || len(lit) < 2 {
		return analysis.SuggestedFix{}, false
	}
	body := lit[1 : len(lit)-1]
	start, ok := jsonValueStart(body)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	var at token.Pos
	var text string
	if start < 0 { // no json key: append one
		at = field.Tag.End() - 1
		text = "json:" + strconv.Quote(want)
		if strings.TrimSpace(body) != "" {
			if !strings.HasSuffix(body, " ") {
				text = " " + text
			}
		}
	} else { // json:",omitempty": put the name before the options
		at = field.Tag.Pos() + 1 + token.Pos(start)
		text = want
	}
	fix.TextEdits = []analysis.TextEdit{{Pos: at, End: at, NewText: []byte(text)}}
	return fix, true
}

// jsonValueStart finds the json key in a struct tag's text and returns
// the offset of its quoted value's first byte (after the quote), or -1
// when there is no json key. ok is false when the tag does not follow
// the key:"value" convention.
func jsonValueStart(tag string) (int, bool) {
	off := 0
	for {
		trimmed := strings.TrimLeft(tag[off:], " ")
		off = len(tag) - len(trimmed)
		if off == len(tag) {
			return -1, true
		}
		i := off
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == off || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			return 0, false
		}
		key := tag[off:i]
		j := i + 2
		for j < len(tag) && tag[j] != '"' {
			if tag[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(tag) {
			return 0, false
		}
		if key == "json" {
			return i + 2, true
		}
		off = j + 1
	}
}

// jsonNames returns the keys under which the fields of st other than
// skip are stored (embedded untagged structs contribute their own).
func jsonNames(st *types.Struct, skip int, visiting map[*types.Struct]bool) []string {
	if visiting[st] {
		return nil
	}
	visiting[st] = true
	var out []string
	for i := range st.NumFields() {
		if i == skip {
			continue
		}
		f := st.Field(i)
		tag, hasTag := reflect.StructTag(st.Tag(i)).Lookup("json")
		name, _, _ := strings.Cut(tag, ",")
		if hasTag && tag == "-" {
			continue
		}
		if f.Embedded() && name == "" {
			t := f.Type()
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			if inner, ok := t.Underlying().(*types.Struct); ok {
				out = append(out, jsonNames(inner, -1, visiting)...)
				continue
			}
		}
		if !f.Exported() && !f.Embedded() {
			continue
		}
		if name == "" {
			name = f.Name()
		}
		out = append(out, name)
	}
	return out
}

// lowerCamel lowers the leading capitals of an exported Go name the way
// Go spells JSON keys: Pos → pos, ID → id, URLPath → urlPath, IDs → ids.
func lowerCamel(name string) string {
	runes := []rune(name)
	n := 0
	for n < len(runes) && unicode.IsUpper(runes[n]) {
		n++
	}
	switch {
	case n == 0:
		return name
	case n == len(runes), n > 1 && string(runes[n:]) == "s":
		return strings.ToLower(name)
	case n > 1 && unicode.IsLower(runes[n]):
		n-- // URLPath: the P starts the next word
	}
	for i := range n {
		runes[i] = unicode.ToLower(runes[i])
	}
	return string(runes)
}

// embeddedPos is the position types gives an embedded field: that of the
// type's name (T, *T, pkg.T, T[int]).
func embeddedPos(e ast.Expr) token.Pos {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.SelectorExpr:
			return t.Sel.Pos()
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		default:
			return e.Pos()
		}
	}
}
