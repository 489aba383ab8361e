package pgz

import (
	"compress/gzip"
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestPeakHeap compresses 256 MiB of generated text with 1 MiB blocks and
// MaxInFlight 4 while sampling the live heap: it must stay under 24 MiB,
// whatever the input size. Not under -race (its shadow memory and speed
// distort both) and not with -short (it takes a few seconds).
func TestPeakHeap(t *testing.T) {
	if tstRace {
		t.Skip("not meaningful under -race")
	}
	if testing.Short() {
		t.Skip("256 MiB: skipped with -short")
	}
	const limit = 24 << 20
	src := &tstReader{n: 256 << 20}
	tstCorpus() // outside the measurement

	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() uint64 {
		runtime.GC() // /gc/heap/live:bytes is measured by the GC
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := live()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
				if v := live(); v > max {
					max = v
				}
			}
		}
	}()
	m, err := Compress(context.Background(), io.Discard, src, Options{BlockSize: 1 << 20, Workers: 4, Level: gzip.BestSpeed, MaxInFlight: 4})
	close(stop)
	p := <-peak
	if err != nil {
		t.Fatalf("Compress: %v", err)
	}
	if len(m.Blocks) != 256 {
		t.Errorf("got %d blocks, want 256", len(m.Blocks))
	}
	t.Logf("live heap: %.1f MiB before, peak %.1f MiB during", float64(base)/(1<<20), float64(p)/(1<<20))
	if p > base+limit {
		t.Errorf("peak live heap %.1f MiB above the %.1f MiB baseline, want under %d MiB: with MaxInFlight 4 and 1 MiB blocks, memory must not grow with the input",
			float64(p-base)/(1<<20), float64(base)/(1<<20), limit>>20)
	}
}

// TestAllocsPerBlock: once buffers and compressors are pooled, a block
// costs (almost) no allocation, so allocations do not grow with the input.
func TestAllocsPerBlock(t *testing.T) {
	if tstRace {
		t.Skip("the race detector makes sync.Pool drop items on purpose")
	}
	const bs = 16 << 10
	o := Options{BlockSize: bs, Workers: 2, Level: gzip.BestSpeed, MaxInFlight: 4}
	allocs := func(blocks int) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := Compress(context.Background(), io.Discard, &tstReader{n: int64(blocks * bs)}, o); err != nil {
				t.Fatalf("Compress: %v", err)
			}
		})
	}
	allocs(8) // warm the pools
	small, large := allocs(16), allocs(144)
	perBlock := (large - small) / 128
	t.Logf("%.0f allocs for 16 blocks, %.0f for 144: %.2f per block", small, large, perBlock)
	if perBlock > 2 {
		t.Errorf("%.2f allocations per extra block, want at most 2: pool the blocks' buffers and reuse one gzip.Writer per worker (Reset)", perBlock)
	}
}
