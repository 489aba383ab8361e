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
	defer func() {
		// recover here, in the deferred function itself, or it returns nil.
		p := recover()
		rerr := release(context.WithoutCancel(ctx), v)
		if p != nil {
			panic(p) // the body's panic wins; release has run
		}
		if rerr != nil {
			err = errors.Join(err, fmt.Errorf("scope: release: %w", rerr))
		}
	}()
	return body(ctx, v)
}
