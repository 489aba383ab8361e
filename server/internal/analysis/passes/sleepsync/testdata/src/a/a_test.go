package a

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// Positives.

func TestWorker(t *testing.T) {
	done := make(chan int, 1)
	Worker(done)
	time.Sleep(50 * time.Millisecond) // want `time.Sleep guesses how long the goroutines need: too short flakes under -race or load, too long slows every run; wait on a channel or sync.WaitGroup, or use testing/synctest where sleeps are exact and instant`
	if len(done) != 1 {
		t.Fatal("no result")
	}
}

func TestSubtest(t *testing.T) {
	t.Run("late", func(t *testing.T) {
		time.Sleep(time.Millisecond) // want `time.Sleep guesses`
	})
}

func TestLateSender(t *testing.T) {
	ch := make(chan int)
	go func() {
		time.Sleep(10 * time.Millisecond) // want `time.Sleep guesses`
		ch <- 1
	}()
	<-ch
}

func TestCancelMidRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	time.Sleep(5 * time.Millisecond) // want `time.Sleep guesses`
	cancel()
	<-done
}

func run(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }

func TestCleanup(t *testing.T) {
	t.Cleanup(func() {
		time.Sleep(10 * time.Millisecond) // want `time.Sleep guesses`
	})
}

// settle is called outside a bubble too.
func settle(t *testing.T) {
	t.Helper()
	time.Sleep(20 * time.Millisecond) // want `time.Sleep guesses`
}

func TestSettle(t *testing.T) {
	settle(t)
	synctest.Test(t, func(t *testing.T) { settle(t) })
}

// Negatives.

func TestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		done := make(chan int, 1)
		Worker(done)
		time.Sleep(time.Hour) // fake clock: instant and exact
		go func() {
			time.Sleep(time.Minute)
		}()
		synctest.Wait()
	})
}

// advance is only ever called inside bubbles.
func advance(t *testing.T, d time.Duration) {
	t.Helper()
	time.Sleep(d)
}

func TestAdvance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		advance(t, time.Second)
	})
}

func bubbleBody(t *testing.T) {
	time.Sleep(time.Second)
}

func TestNamedBubble(t *testing.T) {
	synctest.Test(t, bubbleBody)
}

func TestSlowServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond) // a slow dependency, simulated
	}))
	defer srv.Close()
	c := &http.Client{Timeout: 10 * time.Millisecond}
	if _, err := c.Get(srv.URL); err == nil {
		t.Fatal("want a timeout")
	}
}

func BenchmarkSleepy(b *testing.B) {
	for b.Loop() {
		time.Sleep(time.Microsecond) // a benchmark of a sleep is not a wait
	}
}

// eventually has no *testing.T: it is a polling helper.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

func tbHelper(tb testing.TB) {
	time.Sleep(time.Millisecond)
}

// bubble runs f in a synctest bubble with a watchdog: callers' funcs are bubbles.
func bubble(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	synctest.Test(t, f)
}

func TestWrapped(t *testing.T) {
	bubble(t, func(t *testing.T) {
		time.Sleep(5 * time.Millisecond)
	})
}

func TestPoll(t *testing.T) {
	var ready atomic.Bool
	go ready.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for !ready.Load() { // polls the condition itself, with a deadline
		if time.Now().After(deadline) {
			t.Fatal("not ready after 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestHammer(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			for range 100 {
				time.Sleep(time.Duration(r.IntN(100)) * time.Microsecond) // jitter between operations
			}
		})
	}
	wg.Wait()
}
