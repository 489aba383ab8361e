package scope

import (
	"context"
	"errors"
	"fmt"
)

// With opens a resource, runs body with it, and releases it, whatever
// happens: body returning an error, body panicking (the resource is released,
// then the original panic continues), ctx being cancelled (release gets
// context.WithoutCancel(ctx): the values, not the cancellation). The result
// joins body's and release's errors. If open fails, neither runs.
//
// With is the hot path of this package: it allocates no Scope and starts no
// goroutine.
func With[T any](ctx context.Context, open func(context.Context) (T, error),
	release func(context.Context, T) error, body func(context.Context, T) error) (err error) {
	v, err := open(ctx)
	if err != nil {
		return fmt.Errorf("scope: open: %w", err)
	}
	err = body(ctx, v)
	if rerr := release(context.WithoutCancel(ctx), v); rerr != nil {
		err = errors.Join(err, fmt.Errorf("scope: release: %w", rerr))
	}
	return err
}
