package di

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// Resolve returns the value of type T (by default the unnamed one),
// constructing it and its dependencies first if needed. The graph it
// needs is checked before anything is constructed, so a missing
// dependency or a cycle costs no constructor call.
func Resolve[T any](ctx context.Context, c *Container, opts ...ResolveOption) (T, error) {
	var zero T
	var o ResolveOption
	for _, x := range opts {
		o.name = cmpOr(x.name, o.name)
		o.group = cmpOr(x.group, o.group)
	}
	t := reflect.TypeFor[T]()
	// Fast path: an unnamed singleton already built. One atomic load and
	// one map lookup, no lock, nothing allocated.
	if o == (ResolveOption{}) {
		if m := c.built.Load(); m != nil {
			if n := (*m)[t]; n != nil && !c.closedFast.Load() {
				v, _ := n.iface.(T)
				return v, nil
			}
		}
	}
	k := key{t: t, name: o.name}
	if o.group != "" {
		if t.Kind() != reflect.Slice || o.name != "" {
			return zero, invalid("Resolve[%v] with FromGroup: want a slice type and no name", t)
		}
		k = key{t: t.Elem(), group: o.group}
	}

	// A singleton already built (named, or failed): no graph walk.
	c.mu.RLock()
	n, closed := c.nodes[k], c.closed
	c.mu.RUnlock()
	if closed {
		return zero, ErrClosed
	}
	if n != nil && n.done.Load() {
		if n.err != nil {
			return zero, n.err
		}
		v, _ := n.iface.(T)
		return v, nil
	}

	if err := ctx.Err(); err != nil {
		return zero, err
	}
	d := dep{k: k}
	if err := c.check(nil, []dep{d}); err != nil {
		return zero, err
	}
	v, err := c.value(ctx, d)
	if err != nil {
		return zero, err
	}
	out, _ := v.Interface().(T)
	return out, nil
}

// Invoke calls fn, a function returning nothing or an error, with its
// parameters resolved like a constructor's, and returns fn's error.
func (c *Container) Invoke(ctx context.Context, fn any) (err error) {
	fv, err := funcOf(fn, "invoked function")
	if err != nil {
		return err
	}
	ft := fv.Type()
	if ft.NumOut() > 1 || (ft.NumOut() == 1 && ft.Out(0) != errorType) {
		return invalid("invoked function %v must return nothing or an error", ft)
	}
	args, err := parseArgs(ft, 0)
	if err != nil {
		return err
	}
	c.mu.RLock()
	closed := c.closed
	c.mu.RUnlock()
	if closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var deps []dep
	for _, a := range args {
		deps = append(deps, a.deps()...)
	}
	if err := c.check([]reflect.Type{ft}, deps); err != nil {
		return err
	}
	vals, err := c.args(ctx, args)
	if err != nil {
		return err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: invoked function %v: %v", ErrPanic, ft, r)
		}
	}()
	out := fv.Call(vals)
	if len(out) == 1 && !out[0].IsNil() {
		return out[0].Interface().(error)
	}
	return nil
}

// ---- checking: a three-colour DFS over keys, under the read lock ----

const (
	white uint8 = iota // not seen
	grey               // on the current path
	black              // done: no cycle or missing dependency below
)

type walker struct {
	c     *Container
	color map[key]uint8
	path  []key // the grey keys, root first
	chain []reflect.Type
}

// check verifies that deps can be resolved: everything reachable is
// provided (unless optional) and acyclic. chain prefixes MissingError.Chain.
func (c *Container) check(chain []reflect.Type, deps []dep) error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	w := walker{c: c, color: map[key]uint8{}, chain: chain}
	for _, d := range deps {
		if err := w.dep(d); err != nil {
			return err
		}
	}
	return nil
}

// dep checks one dependency of the key on top of the path.
func (w *walker) dep(d dep) error {
	if d.k.group == "" && w.c.nodes[d.k] == nil {
		if d.optional {
			return nil
		}
		chain := slices.Clone(w.chain)
		for _, k := range w.path {
			chain = append(chain, k.t)
		}
		return &MissingError{Want: d.k.t, Name: d.k.name, Chain: chain}
	}
	return w.visit(d.k)
}

// visit walks the dependencies of key k: those of the constructors that
// feed it and of its decorators. Built singletons are leaves.
func (w *walker) visit(k key) error {
	switch w.color[k] {
	case black:
		return nil
	case grey:
		// WRONG: the whole path from the root, not from where the cycle
		// starts: what led to the cycle is reported as part of it.
		path := make([]reflect.Type, 0, len(w.path)+1)
		for _, p := range w.path {
			path = append(path, p.t)
		}
		return &CycleError{Path: append(path, k.t)}
	}
	w.color[k] = grey
	w.path = append(w.path, k)
	var nodes []*node
	if k.group != "" {
		nodes = w.c.groups[k]
	} else {
		nodes = []*node{w.c.nodes[k]}
	}
	for _, n := range nodes {
		if n.done.Load() && n.err == nil {
			continue
		}
		for _, a := range n.p.args {
			for _, d := range a.deps() {
				if err := w.dep(d); err != nil {
					return err
				}
			}
		}
		for _, dc := range n.decos {
			for _, a := range dc.args {
				for _, d := range a.deps() {
					if err := w.dep(d); err != nil {
						return err
					}
				}
			}
		}
	}
	w.path = w.path[:len(w.path)-1]
	w.color[k] = black
	return nil
}

// ---- building ----

// value returns the value of one (checked) dependency.
func (c *Container) value(ctx context.Context, d dep) (reflect.Value, error) {
	c.mu.RLock()
	n := c.nodes[d.k]
	members := c.groups[d.k]
	c.mu.RUnlock()
	if d.k.group != "" {
		s := reflect.MakeSlice(reflect.SliceOf(d.k.t), 0, len(members))
		for _, m := range members {
			v, err := c.nodeValue(ctx, m)
			if err != nil {
				return reflect.Value{}, err
			}
			s = reflect.Append(s, v)
		}
		return s, nil
	}
	if n == nil {
		if d.optional {
			return reflect.Zero(d.k.t), nil
		}
		return reflect.Value{}, &MissingError{Want: d.k.t, Name: d.k.name}
	}
	return c.nodeValue(ctx, n)
}

// nodeValue returns n's value, building a singleton once. The build runs
// inside the node's own Once, never under the container's lock: other
// goroutines keep resolving other values meanwhile, and a constructor may
// itself use the container.
func (c *Container) nodeValue(ctx context.Context, n *node) (reflect.Value, error) {
	if n.p.transient {
		return c.build(ctx, n)
	}
	n.once.Do(func() {
		n.val, n.err = c.build(ctx, n)
		if n.err == nil {
			n.iface = n.val.Interface()
		}
		n.done.Store(true)
		if n.err == nil && n.k.name == "" && n.k.group == "" {
			c.publish(n)
		}
	})
	return n.val, n.err
}

// publish adds a built unnamed singleton to the fast path's map.
func (c *Container) publish(n *node) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.built.Load()
	m := make(map[reflect.Type]*node, 1)
	if old != nil {
		m = maps.Clone(*old)
	}
	m[n.k.t] = n
	c.built.Store(&m)
}

// build constructs n's value: the provider's result (or one field of it),
// converted to n's type, then decorated.
func (c *Container) build(ctx context.Context, n *node) (reflect.Value, error) {
	c.mu.Lock()
	n.started = true
	decos := n.decos
	c.mu.Unlock()

	v, err := c.result(ctx, n.p)
	if err != nil {
		return reflect.Value{}, err
	}
	if n.field >= 0 {
		v = v.Field(n.field)
	}
	if v.Type() != n.k.t { // As: hold it as the interface type
		iv := reflect.New(n.k.t).Elem()
		iv.Set(v)
		v = iv
	}
	for _, d := range decos {
		args, err := c.args(ctx, d.args)
		if err != nil {
			return reflect.Value{}, err
		}
		out, err := call(d.fn, append([]reflect.Value{v}, args...), "decorator of "+n.k.String())
		if err != nil {
			return reflect.Value{}, err
		}
		if d.hasErr && !out[1].IsNil() {
			return reflect.Value{}, fmt.Errorf("di: decorator of %v: %w", n.k, out[1].Interface().(error))
		}
		v = out[0]
	}
	return v, nil
}

// result returns what p's constructor returned, calling it once for a
// singleton (an Out struct feeds several nodes from one call).
func (c *Container) result(ctx context.Context, p *provider) (reflect.Value, error) {
	if p.transient {
		return c.construct(ctx, p)
	}
	p.once.Do(func() { p.result, p.err = c.construct(ctx, p) })
	return p.result, p.err
}

func (c *Container) construct(ctx context.Context, p *provider) (reflect.Value, error) {
	args, err := c.args(ctx, p.args)
	if err != nil {
		return reflect.Value{}, err
	}
	out, err := call(p.fn, args, "constructor of "+p.out.String())
	if err != nil {
		return reflect.Value{}, err
	}
	if p.hasErr && !out[len(out)-1].IsNil() {
		return reflect.Value{}, fmt.Errorf("di: constructor of %v: %w", p.out, out[len(out)-1].Interface().(error))
	}
	if p.hasCleanup && !out[1].IsNil() {
		cl := cleanup{t: p.out, fn: out[1].Interface().(func(context.Context) error)}
		c.mu.Lock()
		closed := c.closed
		if !closed {
			c.cleanups = append(c.cleanups, cl)
		}
		c.mu.Unlock()
		if closed { // built while closing: nobody will ever use it
			return reflect.Value{}, fmt.Errorf("%w (cleanup: %v)", ErrClosed, runCleanup(ctx, cl))
		}
	}
	return out[0], nil
}

// call calls fn, turning a panic into an error wrapping ErrPanic.
func call(fn reflect.Value, args []reflect.Value, what string) (out []reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrPanic, what, r)
		}
	}()
	return fn.Call(args), nil
}

// args resolves the arguments of a function.
func (c *Container) args(ctx context.Context, as []arg) ([]reflect.Value, error) {
	vals := make([]reflect.Value, len(as))
	for i, a := range as {
		switch {
		case a.isCtx:
			vals[i] = reflect.ValueOf(&ctx).Elem()
		case a.isIn:
			s := reflect.New(a.t).Elem()
			for _, f := range a.fields {
				v, err := c.value(ctx, f.d)
				if err != nil {
					return nil, err
				}
				s.Field(f.index).Set(v)
			}
			vals[i] = s
		default:
			v, err := c.value(ctx, a.d)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
	}
	return vals, nil
}
