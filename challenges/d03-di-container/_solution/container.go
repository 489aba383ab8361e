// Package di is a reflection-based dependency-injection container in the
// spirit of go.uber.org/dig: constructors are registered with Provide and
// resolved by the types of their parameters, singletons are built once and
// torn down in reverse order by Close, and Validate checks the whole graph
// without constructing anything.
package di

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("di: not implemented")

// Errors wrapped by the errors this package returns; test with errors.Is.
var (
	ErrInvalid   = errors.New("di: invalid argument")       // a bad constructor, decorator, function or option
	ErrDuplicate = errors.New("di: type already provided")  // the same (type, name) provided twice
	ErrClosed    = errors.New("di: container closed")       // any call after Close
	ErrPanic     = errors.New("di: panic in a constructor") // a constructor, decorator or invoked function panicked
)

// In marks a parameter struct: embed it, and each exported field of the
// struct becomes a dependency. Field tags: `name:"ro"` asks for a named
// value, `optional:"true"` accepts a missing one (the field stays zero),
// `group:"routes"` (on a slice field) collects a group.
type In struct{}

// Out marks a result struct: embed it, and each exported field of the
// struct is provided on its own, with the same `name` and `group` tags.
type Out struct{}

// Option configures Provide.
type Option struct {
	name      string
	group     string
	as        []any
	transient bool
}

// Name provides the result under a name: parameters ask for it with a
// `name` tag, Resolve with Named.
func Name(name string) Option { return Option{name: name} }

// As provides the result as each of the given interfaces (pointers to
// interface types, such as new(io.Reader)) instead of its own type.
func As(ifaces ...any) Option { return Option{as: ifaces} }

// Transient makes every dependent get a new value, constructed for it.
func Transient() Option { return Option{transient: true} }

// Group adds the result to a group: parameters collect it with a `group`
// tag on a slice field, Resolve with FromGroup.
func Group(group string) Option { return Option{group: group} }

// ResolveOption configures Resolve.
type ResolveOption struct {
	name  string
	group string
}

// Named resolves the value provided under name.
func Named(name string) ResolveOption { return ResolveOption{name: name} }

// FromGroup resolves a group: T must be a slice, and the values come in
// registration order.
func FromGroup(group string) ResolveOption { return ResolveOption{group: group} }

// CycleError reports a dependency cycle. Path starts and ends with the
// same type: [A B C A] means A needs B, B needs C and C needs A.
type CycleError struct{ Path []reflect.Type }

func (e *CycleError) Error() string {
	return "di: dependency cycle: " + joinTypes(e.Path)
}

// MissingError reports a dependency nobody provides. Chain is the path of
// types from what was being resolved down to the one that needs Want.
type MissingError struct {
	Want  reflect.Type
	Name  string
	Chain []reflect.Type
}

func (e *MissingError) Error() string {
	want := e.Want.String()
	if e.Name != "" {
		want += fmt.Sprintf(" named %q", e.Name)
	}
	if len(e.Chain) == 0 {
		return "di: missing " + want
	}
	return fmt.Sprintf("di: missing %s, needed by %s", want, joinTypes(e.Chain))
}

func joinTypes(ts []reflect.Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, " -> ")
}

// key identifies a value in the graph: a type and a name, or, for groups,
// the element type and the group name.
type key struct {
	t     reflect.Type
	name  string
	group string
}

func (k key) String() string {
	switch {
	case k.group != "":
		return fmt.Sprintf("%v in group %q", k.t, k.group)
	case k.name != "":
		return fmt.Sprintf("%v named %q", k.t, k.name)
	}
	return k.t.String()
}

// dep is one dependency: a key, and whether it may be missing.
type dep struct {
	k        key
	optional bool
}

// arg is one parameter of a constructor, decorator or invoked function.
type arg struct {
	t      reflect.Type
	isCtx  bool    // context.Context: the resolution's ctx, not a graph value
	fields []field // an In struct: its dependencies; nil otherwise
	isIn   bool
	d      dep // a plain parameter
}

type field struct {
	index int
	d     dep
}

func (a arg) deps() []dep {
	switch {
	case a.isCtx:
		return nil
	case a.isIn:
		ds := make([]dep, len(a.fields))
		for i, f := range a.fields {
			ds[i] = f.d
		}
		return ds
	}
	return []dep{a.d}
}

// provider is one registered constructor.
type provider struct {
	fn         reflect.Value
	args       []arg
	transient  bool
	hasCleanup bool
	hasErr     bool
	out        reflect.Type // the constructor's first result
	nodes      []*node      // what it provides

	once   sync.Once // singletons: the constructor is called once
	result reflect.Value
	err    error
}

// node is one value in the graph, fed by a provider: its whole result, or
// one field of an Out struct.
type node struct {
	k     key
	p     *provider
	field int // -1: the whole result

	decos   []*decorator // guarded by Container.mu
	started bool         // guarded by Container.mu: construction began

	once  sync.Once // singletons: built and decorated once
	done  atomic.Bool
	val   reflect.Value
	iface any // val as an interface, for Resolve's fast path
	err   error
}

type decorator struct {
	fn     reflect.Value
	args   []arg // without the decorated value
	hasErr bool
}

type cleanup struct {
	t  reflect.Type
	fn func(context.Context) error
}

// Container holds the graph. It is safe for concurrent use.
type Container struct {
	mu        sync.RWMutex
	nodes     map[key]*node   // singular values
	groups    map[key][]*node // group members, in registration order
	providers []*provider     // registration order, for Validate
	cleanups  []cleanup       // construction order
	closed    bool

	// built maps the type of each unnamed singleton built without error to
	// its node: an immutable map, replaced (copy on write) when one more is
	// built. Resolve's fast path reads it without any lock.
	built      atomic.Pointer[map[reflect.Type]*node]
	closedFast atomic.Bool // closed, readable without the lock
}

// New returns an empty container.
func New() *Container {
	return &Container{nodes: map[key]*node{}, groups: map[key][]*node{}}
}

var (
	errorType   = reflect.TypeFor[error]()
	ctxType     = reflect.TypeFor[context.Context]()
	cleanupType = reflect.TypeFor[func(context.Context) error]()
	inType      = reflect.TypeFor[In]()
	outType     = reflect.TypeFor[Out]()
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// embeds reports whether struct type t embeds marker (In or Out).
func embeds(t, marker reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == marker {
			return true
		}
	}
	return false
}

// funcOf checks that fn is a non-nil, non-variadic function.
func funcOf(fn any, what string) (reflect.Value, error) {
	v := reflect.ValueOf(fn)
	if !v.IsValid() || v.Kind() != reflect.Func || v.IsNil() {
		return reflect.Value{}, invalid("%s must be a non-nil function, got %T", what, fn)
	}
	if v.Type().IsVariadic() {
		return reflect.Value{}, invalid("%s %v is variadic", what, v.Type())
	}
	return v, nil
}

// parseArgs describes the parameters of ft from index from on.
func parseArgs(ft reflect.Type, from int) ([]arg, error) {
	var args []arg
	for i := from; i < ft.NumIn(); i++ {
		t := ft.In(i)
		switch {
		case t == ctxType:
			args = append(args, arg{t: t, isCtx: true})
		case embeds(t, inType):
			a := arg{t: t, isIn: true}
			for _, f := range reflect.VisibleFields(t) {
				if len(f.Index) != 1 || (f.Anonymous && f.Type == inType) {
					continue // promoted fields, and In itself
				}
				if !f.IsExported() {
					return nil, invalid("parameter %v: field %s is unexported", t, f.Name)
				}
				d, err := tagDep(t, f)
				if err != nil {
					return nil, err
				}
				a.fields = append(a.fields, field{index: f.Index[0], d: d})
			}
			args = append(args, a)
		default:
			args = append(args, arg{t: t, d: dep{k: key{t: t}}})
		}
	}
	return args, nil
}

// tagDep reads the name, optional and group tags of an In struct field.
func tagDep(t reflect.Type, f reflect.StructField) (dep, error) {
	name, group := f.Tag.Get("name"), f.Tag.Get("group")
	d := dep{k: key{t: f.Type, name: name}}
	switch opt := f.Tag.Get("optional"); opt {
	case "", "false":
	case "true":
		d.optional = true
	default:
		return dep{}, invalid("parameter %v: field %s: optional:%q is not true or false", t, f.Name, opt)
	}
	if group != "" {
		if name != "" {
			return dep{}, invalid("parameter %v: field %s has both a name and a group", t, f.Name)
		}
		if f.Type.Kind() != reflect.Slice {
			return dep{}, invalid("parameter %v: group field %s must be a slice, is %v", t, f.Name, f.Type)
		}
		d.k = key{t: f.Type.Elem(), group: group}
	}
	return d, nil
}

// Provide registers a constructor: a function whose parameters are its
// dependencies and whose results are T, (T, error) or
// (T, func(context.Context) error, error), the function being a cleanup
// that Close runs. T may embed Out to provide each of its fields.
func (c *Container) Provide(ctor any, opts ...Option) error {
	var o Option
	for _, x := range opts {
		o.name = cmpOr(x.name, o.name)
		o.group = cmpOr(x.group, o.group)
		o.as = append(o.as, x.as...)
		o.transient = o.transient || x.transient
	}
	fv, err := funcOf(ctor, "constructor")
	if err != nil {
		return err
	}
	ft := fv.Type()
	p := &provider{fn: fv, transient: o.transient}
	switch {
	case ft.NumOut() == 1:
	case ft.NumOut() == 2 && ft.Out(1) == errorType:
		p.hasErr = true
	case ft.NumOut() == 3 && ft.Out(1) == cleanupType && ft.Out(2) == errorType:
		p.hasErr, p.hasCleanup = true, true
	default:
		return invalid("constructor %v must return T, (T, error) or (T, func(context.Context) error, error)", ft)
	}
	p.out = ft.Out(0)
	if p.out == errorType {
		return invalid("constructor %v provides nothing but an error", ft)
	}
	if embeds(p.out, inType) {
		return invalid("constructor %v returns an In struct", ft)
	}
	if o.name != "" && o.group != "" {
		return invalid("constructor %v: Name and Group together", ft)
	}
	if p.args, err = parseArgs(ft, 0); err != nil {
		return err
	}

	if embeds(p.out, outType) {
		if o.name != "" || o.group != "" || len(o.as) > 0 {
			return invalid("constructor %v returns an Out struct: use field tags, not Name, Group or As", ft)
		}
		for _, f := range reflect.VisibleFields(p.out) {
			if len(f.Index) != 1 || (f.Anonymous && f.Type == outType) {
				continue
			}
			if !f.IsExported() {
				return invalid("result %v: field %s is unexported", p.out, f.Name)
			}
			name, group := f.Tag.Get("name"), f.Tag.Get("group")
			if name != "" && group != "" {
				return invalid("result %v: field %s has both a name and a group", p.out, f.Name)
			}
			p.nodes = append(p.nodes, &node{k: key{t: f.Type, name: name, group: group}, p: p, field: f.Index[0]})
		}
	} else {
		types := []reflect.Type{p.out}
		if len(o.as) > 0 {
			types = types[:0]
			for _, a := range o.as {
				it := reflect.TypeOf(a)
				if it == nil || it.Kind() != reflect.Pointer || it.Elem().Kind() != reflect.Interface {
					return invalid("As(%T): want a pointer to an interface, such as new(io.Reader)", a)
				}
				if !p.out.Implements(it.Elem()) {
					return invalid("constructor %v: %v does not implement %v", ft, p.out, it.Elem())
				}
				types = append(types, it.Elem())
			}
		}
		for _, t := range types {
			p.nodes = append(p.nodes, &node{k: key{t: t, name: o.name, group: o.group}, p: p, field: -1})
		}
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	seen := map[key]bool{}
	for _, n := range p.nodes {
		if n.k.group != "" {
			continue
		}
		if c.nodes[n.k] != nil || seen[n.k] {
			return fmt.Errorf("%w: %v", ErrDuplicate, n.k)
		}
		seen[n.k] = true
	}
	for _, n := range p.nodes {
		if n.k.group != "" {
			c.groups[n.k] = append(c.groups[n.k], n)
		} else {
			c.nodes[n.k] = n
		}
	}
	c.providers = append(c.providers, p)
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Decorate registers fn, a func(T, deps...) T or func(T, deps...) (T,
// error), to wrap the unnamed value of type T when it is built. Decorators
// apply in registration order, once per value built. T must already be
// provided and not yet built.
func (c *Container) Decorate(fn any) error {
	fv, err := funcOf(fn, "decorator")
	if err != nil {
		return err
	}
	ft := fv.Type()
	if ft.NumIn() == 0 {
		return invalid("decorator %v takes no value to decorate", ft)
	}
	t := ft.In(0)
	d := &decorator{fn: fv}
	switch {
	case ft.NumOut() == 1 && ft.Out(0) == t:
	case ft.NumOut() == 2 && ft.Out(0) == t && ft.Out(1) == errorType:
		d.hasErr = true
	default:
		return invalid("decorator %v must return %v or (%v, error)", ft, t, t)
	}
	if d.args, err = parseArgs(ft, 1); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	n := c.nodes[key{t: t}]
	switch {
	case n == nil:
		return &MissingError{Want: t, Chain: []reflect.Type{ft}}
	case n.started:
		return invalid("decorator %v: %v is already built", ft, t)
	}
	n.decos = append(n.decos, d)
	return nil
}

// Validate checks the whole graph without constructing anything: every
// dependency that is not optional is provided, and there is no cycle. It
// returns the first problem found, walking the constructors in
// registration order, as a *MissingError or a *CycleError.
func (c *Container) Validate() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := walker{c: c, color: map[key]uint8{}}
	for _, p := range c.providers {
		for _, n := range p.nodes {
			if err := w.visit(n.k); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close runs the cleanups of everything constructed, the last constructed
// first. A failing cleanup does not stop the others; their errors are
// joined. After Close, the container refuses every call; Close itself
// returns nil.
func (c *Container) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.closedFast.Store(true)
	cl := c.cleanups
	c.cleanups = nil
	c.mu.Unlock()

	var errs []error
	for i := len(cl) - 1; i >= 0; i-- {
		if err := runCleanup(ctx, cl[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func runCleanup(ctx context.Context, cl cleanup) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: cleanup of %v: %v", ErrPanic, cl.t, r)
		}
	}()
	if err := cl.fn(ctx); err != nil {
		return fmt.Errorf("di: cleanup of %v: %w", cl.t, err)
	}
	return nil
}
