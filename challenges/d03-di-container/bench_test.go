package di

import (
	"context"
	"reflect"
	"sync"
	"testing"
)

var (
	sinkSvc *Service
	sinkErr error
)

// BenchmarkResolve is gated: 0 allocs/op, and at most 3x
// BenchmarkSyncMapLoad. The singleton is built before the loop.
func BenchmarkResolve(b *testing.B) {
	var calls counter
	c := New()
	provide := func(ctor any, opts ...Option) {
		if err := c.Provide(ctor, opts...); err != nil {
			b.Fatalf("Provide: %v", err)
		}
	}
	provide(func(s *Service, l Logger) *Handler { return &Handler{svc: s, log: l} })
	provide(func(r *Repo, l Logger) *Service { return &Service{repo: r, log: l} })
	provide(func(db *DB) *Repo { return &Repo{db: db} })
	provide(func(cfg *Config) (*DB, error) { return &DB{cfg: cfg}, nil })
	provide(func() *Config { calls.inc("Config"); return &Config{} })
	provide(func() *memLogger { return &memLogger{} }, As(new(Logger)))
	ctx := context.Background()
	if _, err := Resolve[*Handler](ctx, c); err != nil {
		b.Fatalf("Resolve[*Handler]: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkSvc, sinkErr = Resolve[*Service](ctx, c)
	}
	if sinkErr != nil || sinkSvc == nil {
		b.Fatalf("Resolve[*Service]: got (%v, %v)", sinkSvc, sinkErr)
	}
}

// BenchmarkSyncMapLoad is the baseline: a sync.Map from type to value.
func BenchmarkSyncMapLoad(b *testing.B) {
	var m sync.Map
	for _, v := range []any{&Handler{}, &Service{}, &Repo{}, &DB{}, &Config{}, &memLogger{}} {
		m.Store(reflect.TypeOf(v), v)
	}
	b.ReportAllocs()
	for b.Loop() {
		v, _ := m.Load(reflect.TypeFor[*Service]())
		sinkSvc = v.(*Service)
	}
}
