package cron

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAddRemoveDuringDispatch [race]: goroutines add and remove jobs and
// read their histories while the loop dispatches a tick every millisecond.
// Run it with -race: a job table or queue touched outside the lock (say,
// the loop iterating the jobs while Add inserts one) is reported here.
// This test uses the real clock: the race detector needs real concurrency.
func TestAddRemoveDuringDispatch(t *testing.T) {
	workers, perWorker := 4, 60
	if testing.Short() {
		perWorker = 25
	}
	s := New(WithLocation(time.UTC))
	var runs atomic.Int64
	count := func(context.Context) error { runs.Add(1); return nil }
	started := make(chan struct{}, 1)
	resident := tstAdd(t, s, Job{Name: "resident", Spec: "@every 1ms", Run: func(ctx context.Context) error {
		select {
		case started <- struct{}{}:
		default:
		}
		return count(ctx)
	}})
	tstStart(t, s)
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: got error %v, want nil", err)
		}
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatalf("an @every 1ms job added before Start did not run within 10s")
	}

	var (
		mu  sync.Mutex
		all = map[ID]bool{resident: true}
		wg  sync.WaitGroup
	)
	// Each worker keeps a handful of jobs alive, adding and removing them,
	// until it has done perWorker rounds and the loop has dispatched at
	// least 300 more runs meanwhile (or 5 s have passed).
	target := runs.Load() + 300
	stopAt := time.Now().Add(5 * time.Second)
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			var mine []ID
			for i := 0; i < perWorker || (runs.Load() < target && time.Now().Before(stopAt)); i++ {
				id, err := s.Add(Job{Name: fmt.Sprintf("w%d-%d", w, i), Spec: "@every 1ms", Overlap: Overlap(i % 3), Run: count})
				if err != nil {
					t.Errorf("Add while dispatching: got error %v, want nil", err)
					return
				}
				mu.Lock()
				if all[id] {
					t.Errorf("Add returned ID %d twice", id)
				}
				all[id] = true
				mu.Unlock()
				mine = append(mine, id)
				_ = s.History(mine[r.IntN(len(mine))])
				_ = s.History(resident)
				if len(mine) > 6 || i%2 == 1 {
					j := r.IntN(len(mine))
					gone := mine[j]
					mine = slices.Delete(mine, j, j+1)
					if !s.Remove(gone) {
						t.Errorf("Remove(%d) of a scheduled job: got false, want true", gone)
					}
					if s.Remove(gone) {
						t.Errorf("second Remove(%d): got true, want false", gone)
					}
				}
			}
			for _, id := range mine {
				if !s.Remove(id) {
					t.Errorf("Remove(%d) of a scheduled job: got false, want true", id)
				}
			}
		})
	}
	wg.Wait()
	if len(s.History(resident)) == 0 {
		t.Errorf("History of the resident @every 1ms job is empty after the workers finished")
	}
	mu.Lock()
	t.Logf("%d runs while %d jobs were added and removed", runs.Load(), len(all)-1)
	mu.Unlock()
}
