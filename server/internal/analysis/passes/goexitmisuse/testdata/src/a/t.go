// Package a holds a small test framework, as d06-test-runner builds one:
// T's FailNow and SkipNow end in runtime.Goexit.
package a

import (
	"fmt"
	"runtime"
	"sync"
)

type T struct {
	mu      sync.Mutex
	failed  bool
	skipped bool
	done    bool
}

func (t *T) Fail() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failed = true
}

func (t *T) Log(args ...any)                   { fmt.Println(args...) }
func (t *T) Errorf(format string, args ...any) { t.Log(fmt.Sprintf(format, args...)); t.Fail() }

// FailNow ends in Goexit directly.
func (t *T) FailNow() {
	t.Fail()
	runtime.Goexit()
}

// Fatalf ends in Goexit through FailNow.
func (t *T) Fatalf(format string, args ...any) {
	t.Log(fmt.Sprintf(format, args...))
	t.FailNow()
}

func (t *T) Fatal(args ...any) { t.Log(args...); t.FailNow() }

func (t *T) stop() {
	t.mu.Lock()
	t.skipped = true
	t.mu.Unlock()
	runtime.Goexit()
}

// SkipNow ends in Goexit through an unexported method.
func (t *T) SkipNow() { t.stop() }

// Parallel ends in Goexit only when the test was abandoned: not an
// exiting method.
func (t *T) Parallel() {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if done {
		runtime.Goexit()
	}
}

// Run is a runner: it starts the subtest's own goroutine, where SkipNow on
// the subtest is right.
func (t *T) Run(name string, fn func(*T)) bool {
	sub := &T{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if t.done {
			sub.SkipNow()
		}
		fn(sub)
	}()
	<-done
	return !sub.failed
}

// run is a runner too, started with go: its goroutine is the test's.
func (t *T) run(fn func(*T)) {
	if t.done {
		t.SkipNow()
	}
	fn(t)
}

func (t *T) start(fn func(*T)) {
	go t.run(fn)
}

// must is a helper that may stop its T.
func must(t *T, err error) {
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// Body is a test body.
type Body func(t *T)
