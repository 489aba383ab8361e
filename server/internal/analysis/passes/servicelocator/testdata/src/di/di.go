// Package di is a small container shaped like the d03 challenge's.
package di

import (
	"context"
	"reflect"
)

type Container struct {
	ctors map[reflect.Type]any
}

func New() *Container { return &Container{ctors: map[reflect.Type]any{}} }

func (c *Container) Provide(ctor any) error { return nil }

func (c *Container) Invoke(ctx context.Context, fn any) error { return nil }

func (c *Container) Validate() error { return nil }

func Resolve[T any](ctx context.Context, c *Container) (T, error) {
	var zero T
	// The container's own code resolves through itself: not reported.
	err := c.Invoke(ctx, func() {})
	return zero, err
}

func MustResolve[T any](ctx context.Context, c *Container) T {
	v, err := Resolve[T](ctx, c)
	if err != nil {
		panic(err)
	}
	return v
}
