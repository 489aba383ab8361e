package scope

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ExampleNew() {
	s, ctx := New(context.Background())
	for _, name := range []string{"db", "cache"} {
		Acquire(s,
			func(context.Context) (string, error) { fmt.Println("open", name); return name, nil },
			func(_ context.Context, v string) error { fmt.Println("release", v); return nil })
	}
	s.Defer("flush", func(context.Context) error { fmt.Println("flush"); return nil })
	_ = ctx // give ctx to everything that should stop when the scope closes
	fmt.Println(s.Close(context.Background()))
	// Output:
	// open db
	// open cache
	// flush
	// release cache
	// release db
	// <nil>
}

func TestLIFO(t *testing.T) {
	var rec recorder
	s, _ := New(t.Context())
	for _, name := range []string{"db", "cache", "queue"} {
		v, err := Acquire(s, rec.open(name), rec.release(nil))
		if err != nil || v != name {
			t.Fatalf("Acquire(%s): got (%q, %v), want (%q, nil)", name, v, err, name)
		}
	}
	s.Defer("flush", rec.cleanup("flush", nil))
	s.DeferConcurrent("nothing")

	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close: got error %v, want nil", err)
	}
	want := []string{"open db", "open cache", "open queue", "cleanup flush", "release queue", "release cache", "release db"}
	if d := cmp.Diff(want, rec.take()); d != "" {
		t.Errorf("what happened (-want +got):\n%s", d)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("second Close: got error %v, want nil", err)
	}
	if got := rec.take(); len(got) != 0 {
		t.Errorf("second Close: got %v, want nothing to run again", got)
	}
}

func TestAcquireFailureReleasesEarlier(t *testing.T) {
	refused := errors.New("queue: connection refused")
	failing := func(rec *recorder) func(context.Context) (string, error) {
		return func(context.Context) (string, error) {
			rec.add("open queue")
			return "", refused
		}
	}

	t.Run("releases succeed", func(t *testing.T) {
		var rec recorder
		s, ctx := New(t.Context())
		var taskStopped atomic.Bool
		s.Go("heartbeat", func(ctx context.Context) error {
			<-ctx.Done()
			taskStopped.Store(true)
			return ctx.Err()
		})
		Acquire(s, rec.open("db"), rec.release(nil))
		Acquire(s, rec.open("cache"), rec.release(nil))
		v, err := Acquire(s, failing(&rec), rec.release(nil))
		if !errors.Is(err, refused) || v != "" {
			t.Fatalf("third Acquire: got (%q, %v), want (\"\", an error wrapping %v)", v, err, refused)
		}
		want := []string{"open db", "open cache", "open queue", "release cache", "release db"}
		if d := cmp.Diff(want, rec.take()); d != "" {
			t.Errorf("what happened (-want +got):\n%s", d)
		}
		if ctx.Err() == nil || !taskStopped.Load() {
			t.Errorf("after the failed Acquire: got scope ctx error %v and task stopped %v, want the scope closed and its task done", ctx.Err(), taskStopped.Load())
		}
		if _, err := Acquire(s, rec.open("late"), rec.release(nil)); !errors.Is(err, ErrClosed) {
			t.Errorf("Acquire after the failure: got %v, want ErrClosed", err)
		}
		if err := s.Close(t.Context()); err != nil {
			t.Errorf("Close after the failure: got %v, want nil (the releases succeeded)", err)
		}
		if got := rec.take(); len(got) != 0 {
			t.Errorf("after the failure: got %v, want nothing more opened or released", got)
		}
	})

	t.Run("a release fails too", func(t *testing.T) {
		var rec recorder
		stuck := errors.New("db: close timeout")
		s, _ := New(t.Context())
		Acquire(s, rec.open("db"), rec.release(stuck))
		Acquire(s, rec.open("cache"), rec.release(nil))
		_, err := Acquire(s, failing(&rec), rec.release(nil))
		if !errors.Is(err, refused) || !errors.Is(err, stuck) {
			t.Errorf("third Acquire: got %v, want an error wrapping both %v and %v", err, refused, stuck)
		}
		if err := s.Close(t.Context()); !errors.Is(err, stuck) {
			t.Errorf("Close: got %v, want the same error as the unwinding (wrapping %v)", err, stuck)
		}
	})
}

func TestCloseJoinsErrors(t *testing.T) {
	var rec recorder
	disk, network := errors.New("disk full"), errors.New("network down")
	s, _ := New(t.Context())
	s.Defer("spool", rec.cleanup("spool", disk))
	s.Defer("metrics", rec.cleanup("metrics", nil))
	s.Defer("upload", rec.cleanup("upload", network))
	err := s.Close(t.Context())
	if !errors.Is(err, disk) || !errors.Is(err, network) {
		t.Errorf("Close: got %v, want an error wrapping both %v and %v", err, disk, network)
	}
	for _, name := range []string{"spool", "upload"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("Close: got %v, want the name of the failing cleanup %q in it", err, name)
		}
	}
	if d := cmp.Diff([]string{"cleanup upload", "cleanup metrics", "cleanup spool"}, rec.take()); d != "" {
		t.Errorf("cleanups (-want +got):\n%s", d)
	}
	if again := s.Close(t.Context()); !errors.Is(again, disk) || !errors.Is(again, network) {
		t.Errorf("second Close: got %v, want the same error again", again)
	}
}

func TestScopeContext(t *testing.T) {
	parent := context.WithValue(t.Context(), ctxKey{}, "trace-7")
	s, ctx := New(parent)
	if ctx.Err() != nil || ctx.Value(ctxKey{}) != "trace-7" {
		t.Errorf("scope ctx: got err %v and value %v, want a live ctx with the parent's values", ctx.Err(), ctx.Value(ctxKey{}))
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatalf("Close: got %v, want nil", err)
	}
	if !errors.Is(ctx.Err(), context.Canceled) || !errors.Is(context.Cause(ctx), ErrClosed) {
		t.Errorf("scope ctx after Close: got err %v, cause %v; want context.Canceled, cause ErrClosed", ctx.Err(), context.Cause(ctx))
	}

	pctx, cancel := context.WithCancel(t.Context())
	s2, ctx2 := New(pctx)
	cancel()
	if ctx2.Err() == nil {
		t.Errorf("scope ctx after its parent was cancelled: got a live ctx, want it cancelled")
	}
	if err := s2.Close(t.Context()); err != nil {
		t.Errorf("Close: got %v, want nil", err)
	}
}

// TestCleanupContext: cleanups run with a context that keeps the values of
// Close's ctx but not its cancellation, bounded by the cleanup timeout; a
// cleanup that overstays is abandoned and Close returns on time.
func TestCleanupContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var log capture
		parent, cancel := context.WithCancel(context.WithValue(t.Context(), ctxKey{}, "request-42"))
		s, _ := New(parent, WithCleanupTimeout(3*time.Second), WithLogger(slog.New(&log)))
		var (
			sawErr      error
			sawValue    any
			sawDeadline time.Time
			hasDeadline bool
		)
		s.Defer("flush", func(ctx context.Context) error {
			sawErr, sawValue = ctx.Err(), ctx.Value(ctxKey{})
			sawDeadline, hasDeadline = ctx.Deadline()
			return nil
		})
		stuckDone := make(chan struct{})
		var stuckRan atomic.Bool
		s.Defer("stuck", func(ctx context.Context) error {
			stuckRan.Store(true)
			defer close(stuckDone)
			<-ctx.Done()
			time.Sleep(time.Hour) // ignores its deadline by an hour
			return nil
		})
		cancel() // the request that owned the scope is over

		start := time.Now()
		err := s.Close(parent)
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("Close took %v of fake time, want exactly 3s (the stuck cleanup's timeout)", got)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(fmt.Sprint(err), "stuck") {
			t.Errorf("Close: got %v, want an error naming \"stuck\" and wrapping context.DeadlineExceeded", err)
		}
		if sawErr != nil || sawValue != "request-42" {
			t.Errorf("flush ran with ctx err %v and value %v, want a live ctx with the value %q", sawErr, sawValue, "request-42")
		}
		if want := start.Add(6 * time.Second); !hasDeadline || !sawDeadline.Equal(want) {
			t.Errorf("flush's deadline: got %v (set: %v), want %v (its own 3s, after stuck's 3s)", sawDeadline, hasDeadline, want)
		}
		if d := cmp.Diff([]string{"stuck"}, log.names(slog.LevelError)); d != "" {
			t.Errorf("error log records by name (-want +got):\n%s", d)
		}
		if stuckRan.Load() {
			<-stuckDone // an hour of fake time later, the bubble is empty again
		}
	})
}

func TestDeferConcurrent(t *testing.T) {
	sleeper := func(rec *recorder, name string, err error) func(context.Context) error {
		return func(ctx context.Context) error {
			select {
			case <-time.After(time.Second):
				rec.add(name)
				return err
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}

	t.Run("three 1s cleanups take 1s", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var rec recorder
			broken := errors.New("drain 1 failed")
			s, _ := New(t.Context())
			s.Defer("first", rec.cleanup("first", nil))
			s.DeferConcurrent("drain", sleeper(&rec, "drain 0", nil), sleeper(&rec, "drain 1", broken), sleeper(&rec, "drain 2", nil))
			s.Defer("last", rec.cleanup("last", nil))

			start := time.Now()
			err := s.Close(t.Context())
			if got := time.Since(start); got != time.Second {
				t.Errorf("Close took %v of fake time, want exactly 1s: the slot's cleanups run in parallel", got)
			}
			if !errors.Is(err, broken) {
				t.Errorf("Close: got %v, want an error wrapping %v", err, broken)
			}
			got := rec.take()
			if len(got) != 5 || got[0] != "cleanup last" || got[4] != "cleanup first" {
				t.Fatalf("order: got %v, want last, the three drains, first", got)
			}
			slices.Sort(got[1:4])
			if d := cmp.Diff([]string{"drain 0", "drain 1", "drain 2"}, got[1:4]); d != "" {
				t.Errorf("the slot (-want +got):\n%s", d)
			}
		})
	})

	t.Run("one timeout for the whole slot", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var rec recorder
			s, _ := New(t.Context(), WithCleanupTimeout(400*time.Millisecond))
			s.DeferConcurrent("drain", sleeper(&rec, "a", nil), sleeper(&rec, "b", nil))
			start := time.Now()
			err := s.Close(t.Context())
			if got := time.Since(start); got != 400*time.Millisecond {
				t.Errorf("Close took %v of fake time, want 400ms", got)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Close: got %v, want context.DeadlineExceeded", err)
			}
			if got := rec.take(); len(got) != 0 {
				t.Errorf("got %v finished, want none", got)
			}
		})
	})
}

func TestConcurrentClose(t *testing.T) {
	boom := errors.New("boom")
	s, _ := New(t.Context())
	var runs [5]atomic.Int32
	var finished atomic.Bool
	release := make(chan struct{})
	s.Defer("slow", func(context.Context) error {
		runs[0].Add(1)
		finished.Store(true) // the first registered runs last
		return nil
	})
	for i := 1; i < 5; i++ {
		s.Defer(fmt.Sprint("c", i), func(context.Context) error {
			if i == 4 {
				<-release // hold the first Close until every caller is in
			}
			runs[i].Add(1)
			if i == 2 {
				return boom
			}
			return nil
		})
	}
	const callers = 8
	var wg sync.WaitGroup
	var entered sync.WaitGroup
	errs := make([]error, callers)
	entered.Add(callers)
	for c := range callers {
		wg.Go(func() {
			entered.Done()
			errs[c] = s.Close(t.Context())
			if !finished.Load() {
				t.Errorf("Close %d returned before the last cleanup ran", c)
			}
		})
	}
	entered.Wait()
	close(release)
	if !within(10*time.Second, wg.Wait) {
		t.Fatalf("8 concurrent Close: got no end after 10s, want them done")
	}
	for i := range runs {
		if got := runs[i].Load(); got != 1 {
			t.Errorf("cleanup %d: ran %d times, want exactly once", i, got)
		}
	}
	for c, err := range errs {
		if !errors.Is(err, boom) {
			t.Errorf("Close %d: got %v, want the joined error (wrapping %v)", c, err, boom)
		}
	}
}

func TestAcquireAfterClose(t *testing.T) {
	t.Run("closed before", func(t *testing.T) {
		var rec recorder
		s, _ := New(t.Context())
		s.Close(t.Context())
		v, err := Acquire(s, rec.open("late"), rec.release(nil))
		if !errors.Is(err, ErrClosed) || v != "" {
			t.Errorf("Acquire: got (%q, %v), want (\"\", ErrClosed)", v, err)
		}
		if got := rec.take(); len(got) != 0 {
			t.Errorf("got %v, want open not called on a closed scope", got)
		}
	})

	t.Run("closed while opening", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var rec recorder
			relErr := errors.New("release failed")
			s, _ := New(t.Context())
			opening, proceed := make(chan struct{}), make(chan struct{})
			type result struct {
				v   string
				err error
			}
			done := make(chan result, 1)
			var openCtxErr error
			go func() {
				v, err := Acquire(s, func(ctx context.Context) (string, error) {
					close(opening)
					<-proceed // a slow open, finishing after Close
					openCtxErr = ctx.Err()
					return "late", nil
				}, rec.release(relErr))
				done <- result{v, err}
			}()
			synctest.Wait()
			select {
			case <-opening:
			default:
				t.Fatalf("Acquire: open was not called")
			}
			if err := s.Close(t.Context()); err != nil {
				t.Errorf("Close: got %v, want nil (nothing was registered yet)", err)
			}
			close(proceed)
			r := <-done
			if !errors.Is(openCtxErr, context.Canceled) {
				t.Errorf("open's ctx after Close: got err %v, want context.Canceled (open gets the scope's ctx)", openCtxErr)
			}
			if !errors.Is(r.err, ErrClosed) || !errors.Is(r.err, relErr) || r.v != "" {
				t.Errorf("Acquire: got (%q, %v), want (\"\", an error wrapping ErrClosed and the release error)", r.v, r.err)
			}
			if d := cmp.Diff([]string{"release late"}, rec.take()); d != "" {
				t.Errorf("the late resource (-want +got):\n%s", d)
			}
		})
	})
}

func TestDeferAfterClose(t *testing.T) {
	var log capture
	s, _ := New(t.Context(), WithLogger(slog.New(&log)))
	s.Close(t.Context())
	var ran bool
	var ctxErr error
	s.Defer("late", func(ctx context.Context) error {
		ran, ctxErr = true, ctx.Err()
		return errors.New("late cleanup failed")
	})
	if !ran || ctxErr != nil {
		t.Errorf("Defer after Close: got ran=%v with ctx err %v, want it run at once with a live ctx", ran, ctxErr)
	}
	if got := log.names(slog.LevelError); !slices.Contains(got, "late") {
		t.Errorf("error log records by name: got %v, want %q among them (its error has nowhere else to go)", got, "late")
	}
}

func TestGoTasks(t *testing.T) {
	t.Run("Close cancels and waits before cleaning up", func(t *testing.T) {
		s, _ := New(t.Context())
		var stopped atomic.Int32
		for i := range 3 {
			s.Go(fmt.Sprint("worker", i), func(ctx context.Context) error {
				<-ctx.Done()
				stopped.Add(1)
				return ctx.Err() // shutdown, not failure
			})
		}
		var seen int32
		s.Defer("db", func(context.Context) error {
			seen = stopped.Load()
			return nil
		})
		if err := s.Close(t.Context()); err != nil {
			t.Errorf("Close: got %v, want nil (the tasks returned the scope's own cancellation)", err)
		}
		if seen != 3 {
			t.Errorf("the cleanup saw %d stopped tasks, want 3: Close waits for tasks first", seen)
		}
	})

	t.Run("a task error cancels the scope", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			crashed := errors.New("consumer crashed")
			s, ctx := New(t.Context())
			s.Go("producer", func(ctx context.Context) error {
				<-ctx.Done()
				return context.Cause(ctx)
			})
			s.Go("consumer", func(context.Context) error { return crashed })
			synctest.Wait() // both tasks have run as far as they can
			if ctx.Err() == nil || !errors.Is(context.Cause(ctx), crashed) {
				t.Errorf("scope ctx after a task failed: got err %v, cause %v; want it cancelled by the task's error", ctx.Err(), context.Cause(ctx))
			}
			err := s.Close(t.Context())
			if !errors.Is(err, crashed) {
				t.Fatalf("Close: got %v, want an error wrapping %v", err, crashed)
			}
			if n := strings.Count(err.Error(), crashed.Error()); n != 1 {
				t.Errorf("Close: got %v, want the task error once (the producer only returned the scope's cause)", err)
			}
		})
	})

	t.Run("Go after Close does not start", func(t *testing.T) {
		var log capture
		s, _ := New(t.Context(), WithLogger(slog.New(&log)))
		s.Close(t.Context())
		ran := make(chan struct{})
		s.Go("late", func(context.Context) error { close(ran); return nil })
		select {
		case <-ran:
			t.Errorf("Go after Close: the task ran, want it not started")
		default:
		}
		if got := log.names(slog.LevelWarn); !slices.Contains(got, "late") {
			t.Errorf("log records by name: got %v, want %q among them", got, "late")
		}
	})

	t.Run("a task that ignores cancellation is abandoned", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var rec recorder
			s, _ := New(t.Context(), WithCleanupTimeout(2*time.Second))
			deafDone := make(chan struct{})
			var deafRan atomic.Bool
			s.Go("deaf", func(context.Context) error {
				deafRan.Store(true)
				defer close(deafDone)
				time.Sleep(time.Hour)
				return nil
			})
			s.Defer("db", rec.cleanup("db", nil))
			start := time.Now()
			err := s.Close(t.Context())
			if got := time.Since(start); got != 2*time.Second {
				t.Errorf("Close took %v of fake time, want 2s: the wait for tasks is bounded too", got)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Close: got %v, want context.DeadlineExceeded", err)
			}
			if d := cmp.Diff([]string{"cleanup db"}, rec.take()); d != "" {
				t.Errorf("cleanups after abandoning the task (-want +got):\n%s", d)
			}
			if deafRan.Load() {
				<-deafDone
			}
		})
	})
}

func TestCleanupPanic(t *testing.T) {
	var rec recorder
	s, _ := New(t.Context())
	s.Defer("a", rec.cleanup("a", nil))
	s.Defer("b", func(context.Context) error { panic("b exploded") })
	s.Defer("c", rec.cleanup("c", nil))
	func() {
		defer func() {
			if r := recover(); r != "b exploded" {
				t.Errorf("Close: got panic %v, want the cleanup's own panic value %q", r, "b exploded")
			}
		}()
		s.Close(t.Context())
		t.Errorf("Close returned normally, want it to re-panic once every cleanup has run")
	}()
	if d := cmp.Diff([]string{"cleanup c", "cleanup a"}, rec.take()); d != "" {
		t.Errorf("cleanups around the panic (-want +got):\n%s", d)
	}
	var err error
	if !within(5*time.Second, func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("second Close: got panic %v, want an error", r)
			}
		}()
		err = s.Close(t.Context())
	}) {
		t.Fatalf("second Close: got no return after 5s")
	}
	if err == nil || !strings.Contains(err.Error(), "b exploded") {
		t.Errorf("second Close: got %v, want an error reporting the panic", err)
	}
}
