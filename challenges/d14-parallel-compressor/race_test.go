package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"sync"
	"testing"
)

// tstSlowWriter hashes and copies what it is given, so dst.Write reads its
// argument for a while: long enough for a buffer recycled too early to be
// overwritten under it.
type tstSlowWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *tstSlowWriter) Write(p []byte) (int, error) {
	for range 4 {
		sha256.Sum256(p)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

// TestBufferReuse compresses many small blocks with many workers. Under
// -race it fails if a block's buffers go back to the pool while something
// still reads or writes them.
func TestBufferReuse(t *testing.T) {
	const bs = 512
	data := tstText(1200*bs + 77)
	for _, workers := range []int{2, 6} {
		dst := &tstSlowWriter{}
		m, err := Compress(context.Background(), dst, bytes.NewReader(data), Options{BlockSize: bs, Workers: workers, Level: gzip.BestSpeed, MaxInFlight: 2 * workers})
		if err != nil {
			t.Fatalf("Compress(Workers=%d): got error %v, want nil", workers, err)
		}
		out := dst.buf.Bytes()
		if got := tstGunzip(t, out); !bytes.Equal(got, data) {
			t.Fatalf("Workers=%d: compress/gzip reads back %d bytes, want the %d compressed (or they differ)", workers, len(got), len(data))
		}
		var back tstSlowWriter
		if err := Decompress(context.Background(), &back, bytes.NewReader(out), m, workers); err != nil {
			t.Fatalf("Decompress(workers=%d): got error %v, want nil", workers, err)
		}
		if !bytes.Equal(back.buf.Bytes(), data) {
			t.Fatalf("Decompress(workers=%d): got %d bytes, want the original %d", workers, back.buf.Len(), len(data))
		}
	}
}
