package undo

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// TestConcurrentDo runs 4 goroutines of Do (with some Undo and Redo) while
// 2 others read Text and Depth. The store rejects an event whose Seq does
// not continue the log: appending outside the lock that ordered the change
// delivers events out of order. Run it with -race too.
func TestConcurrentDo(t *testing.T) {
	s := newMemStore()
	s.jitter = true
	e := openT(t, s, Options{})
	ctx := ctxT(t, 30*time.Second)
	ops := 300
	if testing.Short() {
		ops = 120
	}
	letters := []string{"a", "β", "ç", "д"}

	var writers, readers sync.WaitGroup
	for g, letter := range letters {
		writers.Go(func() {
			for i := range ops {
				var err error
				switch i % 10 {
				case 7:
					if err = e.Undo(ctx); errors.Is(err, ErrNothingToUndo) {
						err = nil
					}
				case 8:
					if err = e.Redo(ctx); errors.Is(err, ErrNothingToRedo) {
						err = nil
					}
				default:
					err = e.Do(ctx, Insert(0, letter))
				}
				if err != nil {
					t.Errorf("writer %d, op %d: got error %v, want nil", g, i, err)
					return
				}
			}
		})
	}
	stop := make(chan struct{})
	for r := range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				text := e.Text()
				if !utf8.ValidString(text) || strings.Trim(text, strings.Join(letters, "")) != "" {
					t.Errorf("reader %d: got Text %q, want only %v", r, text, letters)
					return
				}
				if u, rd := e.Depth(); u < 0 || rd < 0 || u+rd > 4*ops {
					t.Errorf("reader %d: got Depth (%d, %d)", r, u, rd)
					return
				}
			}
		})
	}
	finished := within(40*time.Second, writers.Wait)
	close(stop)
	if !finished {
		t.Fatalf("4 writers: got no end after 40s, want them done (deadlock?)")
	}
	readers.Wait()

	for _, p := range s.problems() {
		t.Errorf("store: %s", p)
	}
	// The log replays to the same editor.
	e2 := openT(t, s, Options{})
	if a, b := e.Text(), e2.Text(); a != b {
		t.Errorf("replayed Text: got %q, want %q (the live text)", b, a)
	}
	u1, r1 := e.Depth()
	wantDepth(t, e2, u1, r1)
}
