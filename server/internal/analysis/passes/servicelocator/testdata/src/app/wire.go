package app

import (
	"context"

	"di"
)

// Build is the composition root: this file wires the container, so
// resolving the top-level object here is what a container is for.
func Build(ctx context.Context) (*Handler, error) {
	c := di.New()
	if err := c.Provide(func() *DB { return &DB{} }); err != nil {
		return nil, err
	}
	if err := c.Provide(NewService); err != nil {
		return nil, err
	}
	if _, err := di.Resolve[*Service](ctx, c); err != nil {
		return nil, err
	}
	return &Handler{c: c}, nil
}
