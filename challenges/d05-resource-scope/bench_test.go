package scope

import (
	"context"
	"testing"
)

var (
	benchOpen    = func(context.Context) (int, error) { return 1, nil }
	benchRelease = func(context.Context, int) error { return nil }
	benchBody    = func(context.Context, int) error { return nil }
)

// BenchmarkWith is gated: at most 3 allocs/op around a resource that costs
// nothing. With sits on hot paths (a request, a transaction): it must not
// build a Scope or start a goroutine per call.
func BenchmarkWith(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if err := With(ctx, benchOpen, benchRelease, benchBody); err != nil {
			b.Fatalf("With: got %v, want nil", err)
		}
	}
}

// BenchmarkPlainDefer is what With replaces: open, defer release, body. For
// comparison only.
func BenchmarkPlainDefer(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if err := plainDefer(ctx); err != nil {
			b.Fatalf("plainDefer: got %v, want nil", err)
		}
	}
}

func plainDefer(ctx context.Context) (err error) {
	v, err := benchOpen(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := benchRelease(context.WithoutCancel(ctx), v); err == nil {
			err = rerr
		}
	}()
	return benchBody(ctx, v)
}

// BenchmarkScope is not gated: New, one Acquire, Close.
func BenchmarkScope(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		s, _ := New(ctx)
		if _, err := Acquire(s, benchOpen, benchRelease); err != nil {
			b.Fatalf("Acquire: got %v, want nil", err)
		}
		if err := s.Close(ctx); err != nil {
			b.Fatalf("Close: got %v, want nil", err)
		}
	}
}
