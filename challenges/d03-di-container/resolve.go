package di

import "context"

// Resolve returns the value of type T (by default the unnamed one),
// constructing it and its dependencies first if needed. The graph it
// needs is checked before anything is constructed, so a missing
// dependency or a cycle costs no constructor call.
func Resolve[T any](ctx context.Context, c *Container, opts ...ResolveOption) (T, error) {
	// TODO: key the lookup by reflect.TypeFor[T]() and the options. A
	// singleton that is already built must come back without allocating.
	var zero T
	return zero, ErrNotImplemented
}

// Invoke calls fn, a function returning nothing or an error, with its
// parameters resolved like a constructor's, and returns fn's error.
func (c *Container) Invoke(ctx context.Context, fn any) error {
	return ErrNotImplemented // TODO
}
