package download

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// plainServer serves data at "/" through http.ServeContent, no faults.
func plainServer(tb testing.TB, data []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"bench"`)
		w.Header().Set("Content-Type", "application/octet-stream")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// downloader downloads size bytes once per call (verified, then removed).
func downloader(tb testing.TB, size int) func() {
	data := randomData(99, size)
	srv := plainServer(tb, data)
	m, err := New(srv.Client(), Options{Workers: 1, MaxRetries: 1, Backoff: fastBackoff, ProgressEvery: time.Hour})
	if err != nil || m == nil {
		tb.Fatalf("New: got (%v, %v), want a Manager and nil", m, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		select {
		case <-errc:
		case <-time.After(5 * time.Second):
			tb.Errorf("Run did not return within 5s after its context was canceled")
		}
	})
	dest := filepath.Join(tb.TempDir(), "bench.bin")
	req := Request{URL: srv.URL + "/", Dest: dest, SHA256: sum(data)}
	return func() {
		id, err := m.Add(req)
		if err != nil {
			tb.Fatalf("Add: %v", err)
		}
		wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer wcancel()
		if err := m.Wait(wctx, id); err != nil {
			tb.Fatalf("Wait: %v", err)
		}
		if err := os.Remove(dest); err != nil {
			tb.Fatalf("remove: %v", err)
		}
	}
}

func benchmarkDownload(b *testing.B, size int) {
	get := downloader(b, size)
	get() // warm up the connection
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		get()
	}
}

func BenchmarkDownload8MiB(b *testing.B)  { benchmarkDownload(b, 8<<20) }
func BenchmarkDownload64MiB(b *testing.B) { benchmarkDownload(b, 64<<20) }

// The copy path must not allocate per chunk: a download 8 times larger
// costs the same number of allocations (within a little scheduling noise;
// one allocation per 32 KiB chunk would add thousands).
func TestAllocsIndependentOfSize(t *testing.T) {
	small, large := 2<<20, 16<<20
	if testing.Short() {
		small, large = 1<<20, 8<<20
	}
	allocs := func(size int) float64 {
		get := downloader(t, size)
		return testing.AllocsPerRun(3, get)
	}
	a, b := allocs(small), allocs(large)
	if a == 0 {
		t.Fatalf("allocs per %d-byte download: got 0, want > 0 (did anything run?)", small)
	}
	if b-a > 8 || a-b > 8 {
		t.Errorf("allocs per download: got %v for %d MiB and %v for %d MiB, want the same (reuse one buffer per worker)", a, small>>20, b, large>>20)
	}
}
