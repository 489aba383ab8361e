package benchio

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"
)

// TestPerWorkerCounting runs 8 goroutines for real, on 2 Ps, and checks
// the harness's counts against the workload's own atomic count. Under
// -race it fails for any counter or histogram that workers share without
// synchronisation.
func TestPerWorkerCounting(t *testing.T) {
	tstProcsGuard(t)
	w := tstNewWorkload("count", CPU, 0)
	var buf [256]byte
	w.Spin = func() { sha256.Sum256(buf[:]) }
	p := Plan{Workloads: []Workload{w}, Procs: []int{2}, Concurrency: []int{8}, Duration: 20 * time.Millisecond, Reps: 2}
	samples, err := tstRun(t, t.Context(), p, 20*time.Second)
	if err != nil {
		t.Fatalf("Run: got error %v, want nil", err)
	}
	if len(samples) != 2 {
		t.Fatalf("Run: got %d samples, want 2", len(samples))
	}
	var total int64
	for _, s := range samples {
		name := fmt.Sprintf("rep %d", s.Rep)
		var sum int64
		for _, n := range s.PerWorker {
			sum += n
		}
		if len(s.PerWorker) != 8 || sum != s.Ops {
			t.Errorf("%s: got %d PerWorker counts summing to %d, want 8 summing to Ops = %d", name, len(s.PerWorker), sum, s.Ops)
		}
		if s.Latency == nil || s.Latency.Count() != s.Ops {
			t.Errorf("%s: latency histogram does not hold one entry per counted op (Ops = %d)", name, s.Ops)
		}
		total += s.Ops
	}
	if calls := w.calls.Load(); total != calls {
		t.Errorf("ops counted over both samples: got %d, want %d (every Op call, none lost: no warm-up)", total, calls)
	}
}
