package app

import (
	"context"
	"net/http"

	"di"
)

type DB struct{}

type Service struct{ db *DB }

type Logger interface{ Log(string) }

// Handler keeps the container and pulls what it needs per request.
type Handler struct {
	c *di.Container
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	svc, err := di.Resolve[*Service](r.Context(), h.c) // want `di.Resolve\[\*Service\] in package app uses the container as a service locator.*take \*Service as a constructor parameter`
	if err != nil || svc == nil {
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}
}

func Audit(ctx context.Context, c *di.Container) error {
	return c.Invoke(ctx, func(ctx context.Context, db *DB, log Logger) { // want `di.Container.Invoke in package app .*take \*DB, Logger as a constructor parameter`
		log.Log("audit")
	})
}

func Background(ctx context.Context, c *di.Container) {
	go func() {
		db := di.MustResolve[*DB](ctx, c) // want `di.MustResolve\[\*DB\] in package app`
		_ = db
	}()
}

func lookup(ctx context.Context, c *di.Container, fn any) error {
	return c.Invoke(ctx, fn) // want `take what it needs as a constructor parameter`
}

// NewService is how it should be: the dependency is a parameter.
func NewService(db *DB) *Service { return &Service{db: db} }
