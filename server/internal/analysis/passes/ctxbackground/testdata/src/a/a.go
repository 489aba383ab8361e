package a

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func work(ctx context.Context) error { return ctx.Err() }

// Positives.

func save(ctx context.Context) error {
	return work(context.Background()) // want `context.Background\(\) discards the caller's ctx \(cancellation, deadline, values\): pass ctx instead`
}

type store struct{}

func (s *store) load(c context.Context, key string) error {
	return work(context.TODO()) // want `context.TODO\(\) discards the caller's c`
}

func inClosure(ctx context.Context, keys []string) error {
	each := func(k string) error {
		return work(context.Background()) // want `context.Background\(\) discards the caller's ctx`
	}
	for _, k := range keys {
		if err := each(k); err != nil {
			return err
		}
	}
	return nil
}

func timeoutNotShutdown(ctx context.Context) error {
	tctx, cancel := context.WithTimeout(context.Background(), time.Second) // want `discards the caller's ctx`
	defer cancel()
	return work(tctx)
}

func inGoroutine(ctx context.Context) {
	go func() {
		_ = work(context.Background()) // want `context.Background\(\) in a goroutine started where ctx is in scope drops its cancellation and values: pass ctx, or context.WithoutCancel\(ctx\) if the work must outlive the caller`
	}()
}

func shadowed(ctx context.Context) error {
	{
		ctx := "not a context"
		_ = ctx
		// No fix: ctx is shadowed here.
		return work(context.Background()) // want `discards the caller's ctx`
	}
}

func ctxSecond(id int, ctx context.Context) error { // want `context.Context should be the first parameter of ctxSecond: move it first`
	return work(ctx)
}

func (s *store) ctxLast(a, b string, ctx context.Context) {} // want `context.Context should be the first parameter of ctxLast`

type job struct {
	name string
	ctx  context.Context // want `context.Context stored in struct job outlives the call it belongs to: pass ctx as the first parameter of the methods that need it`
}

// Negatives.

func noParam() error {
	return work(context.Background()) // no ctx in scope: a root is fine here
}

func ignored(_ context.Context) error {
	return work(context.Background()) // ctx deliberately ignored
}

func unnamed(context.Context) error {
	return work(context.TODO())
}

func cleanup(ctx context.Context, s *store) {
	defer func() {
		_ = work(context.Background()) // cleanup must run even when ctx is cancelled
	}()
	defer s.load(context.Background(), "x")
}

func serve(ctx context.Context, srv *http.Server) error {
	<-ctx.Done()
	// Graceful shutdown: ctx is already cancelled, a fresh bounded context is the point.
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func closureOwnCtx() {
	f := func(ctx context.Context) { _ = work(ctx) }
	f(context.Background()) // the closure's ctx is not in scope here
}

type Context interface{ Done() <-chan struct{} }

func lookalike(ctx Context) error {
	return work(context.Background()) // not a context.Context parameter
}

func helperTB(tb testing.TB, ctx context.Context) { tb.Helper() } // testing.TB first is the helper convention

func callback() {
	// A function literal's signature is usually dictated by the API it is passed to.
	register(func(n int, ctx context.Context) error { return work(ctx) })
}

func register(func(int, context.Context) error) {}

type valueCtx struct {
	context.Context // embedding: a Context implementation
	key, val        any
}

type worker struct {
	ctx    context.Context // owned: created with its cancel
	cancel context.CancelFunc
}

func newWorker() *worker {
	ctx, cancel := context.WithCancel(context.Background())
	return &worker{ctx: ctx, cancel: cancel}
}

type request struct {
	ctx context.Context // exposed, like http.Request
}

func (r *request) Context() context.Context { return r.ctx }
