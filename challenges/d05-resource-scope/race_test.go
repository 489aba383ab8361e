package scope

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAcquireRacesClose runs 8 goroutines of Acquire while Close runs. Every
// resource that was opened must be released exactly once: by Close, or by
// the Acquire that finished after Close had taken the stack. Run it with
// -race: appending to the stack while Close iterates it is a data race, and
// what is appended after Close has looked is never released.
func TestAcquireRacesClose(t *testing.T) {
	rounds := 30
	if testing.Short() {
		rounds = 10
	}
	for round := range rounds {
		s, _ := New(t.Context())
		var (
			opened   atomic.Int64
			mu       sync.Mutex
			released = map[int]int{}
			wg       sync.WaitGroup
		)
		start := make(chan struct{})
		for g := range 8 {
			wg.Go(func() {
				<-start
				for i := range 200 {
					id := g*1000 + i
					_, err := Acquire(s,
						func(context.Context) (int, error) { opened.Add(1); return id, nil },
						func(_ context.Context, v int) error {
							mu.Lock()
							released[v]++
							mu.Unlock()
							return nil
						})
					if errors.Is(err, ErrClosed) {
						return
					}
					if err != nil {
						t.Errorf("round %d: Acquire: got %v, want nil or ErrClosed", round, err)
						return
					}
				}
			})
		}
		close(start)
		acquiring := make(chan struct{})
		go func() {
			wg.Wait()
			close(acquiring)
		}()
		// Close once the acquirers are well under way.
	spin:
		for deadline := time.Now().Add(5 * time.Second); opened.Load() < 64 && time.Now().Before(deadline); {
			select {
			case <-acquiring:
				break spin
			default:
				runtime.Gosched()
			}
		}
		var closeErr error
		if !within(10*time.Second, func() { closeErr = s.Close(context.Background()) }) {
			t.Fatalf("round %d: Close got no end after 10s", round)
		}
		if closeErr != nil {
			t.Errorf("round %d: Close: got %v, want nil", round, closeErr)
		}
		select {
		case <-acquiring:
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: Acquire goroutines got no end after 10s", round)
		}
		mu.Lock()
		n, twice := len(released), 0
		for _, c := range released {
			if c > 1 {
				twice++
			}
		}
		mu.Unlock()
		if got := opened.Load(); int64(n) != got || twice > 0 {
			t.Fatalf("round %d: %d resources opened, %d released (%d more than once), want every one released exactly once", round, got, n, twice)
		}
		if t.Failed() {
			return
		}
	}
}
