package a

import (
	"errors"
	"log"
	"runtime"
	"sync"
	"time"
)

func work() error { return errors.New("boom") }

// Positive cases.

var _ = Body(func(t *T) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := work(); err != nil {
			t.Fatalf("work: %v", err) // want `t.Fatalf ends in runtime.Goexit, which stops only the goroutine started by go, not the test`
		}
	}()
	<-done
})

var _ = Body(func(t *T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.FailNow() // want `t.FailNow ends in runtime.Goexit`
	}()
	wg.Wait()
})

var _ = Body(func(t *T) {
	var wg sync.WaitGroup
	wg.Go(func() {
		t.SkipNow() // want `t.SkipNow ends in runtime.Goexit, which stops only the goroutine started by wg.Go`
	})
	wg.Wait()
})

var _ = Body(func(t *T) {
	time.AfterFunc(time.Second, func() {
		t.Fatal("too slow") // want `t.Fatal ends in runtime.Goexit, which stops only the goroutine started by time.AfterFunc`
	})
})

var _ = Body(func(t *T) {
	go t.FailNow() // want `go t.FailNow: FailNow ends in runtime.Goexit, which here stops only the new goroutine`
})

var _ = Body(func(t *T) {
	go func() {
		must(t, work()) // want `must may stop t with runtime.Goexit \(FailNow, Fatal...\), which inside the goroutine started by go stops only that goroutine`
	}()
})

var _ = Body(func(t *T) {
	go must(t, work()) // want `go must: must may stop t with runtime.Goexit`
})

var _ = Body(func(t *T) {
	go func() {
		defer func() {
			t.FailNow() // want `t.FailNow ends in runtime.Goexit`
		}()
	}()
})

type fixture struct{ t *T }

func (f *fixture) check() {
	go func() {
		f.t.Fatalf("via a field") // want `f.t.Fatalf ends in runtime.Goexit`
	}()
}

// Negative cases.

var _ = Body(func(t *T) {
	go func() {
		t.Errorf("Errorf is fine from any goroutine")
	}()
})

var _ = Body(func(t *T) {
	go func() {
		u := &T{}
		u.FailNow() // the goroutine's own T
	}()
})

var _ = Body(func(t *T) {
	go func() {
		t.Run("sub", func(t *T) {
			t.Fatalf("a subtest body: runs in the subtest's goroutine")
		})
	}()
})

var _ = Body(func(t *T) {
	go func() {
		t.Parallel() // ends in Goexit only when abandoned
	}()
})

var _ = Body(func(t *T) {
	if err := work(); err != nil {
		t.Fatalf("in the test's own goroutine: %v", err)
	}
	must(t, work())
})

var _ = Body(func(t *T) {
	go func() {
		if err := work(); err != nil {
			log.Fatal(err) // os.Exit, not Goexit
		}
	}()
})

var _ = Body(func(t *T) {
	go func() {
		stop := func() { t.FailNow() }
		_ = stop // never called in the goroutine
	}()
})

func runCase(t *T, body Body) {
	go func() {
		if t.done {
			t.SkipNow() // a runner: the goroutine runs body(t), it is t's own
		}
		body(t)
	}()
}

// A worker whose own method ends its goroutine on purpose: no test body
// receives a *worker, so it is not a T.
type worker struct{ jobs chan func() }

func (w *worker) quit() { runtime.Goexit() }

func (w *worker) start() {
	go func() {
		for job := range w.jobs {
			if job == nil {
				w.quit()
			}
			job()
		}
	}()
}
