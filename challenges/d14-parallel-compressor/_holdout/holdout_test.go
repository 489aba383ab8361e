package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestHoldoutRoundTripShapes(t *testing.T) {
	for _, tc := range []struct {
		n, bs, workers, inflight, level int
	}{
		{100, 1, 3, 1, gzip.BestSpeed},
		{7777 * 5, 7777, 5, 2, gzip.HuffmanOnly},
		{65536, 65536, 2, 1, gzip.NoCompression},
		{3*4093 + 1, 4093, 7, 16, gzip.BestCompression},
	} {
		t.Run(fmt.Sprintf("n=%d,bs=%d", tc.n, tc.bs), func(t *testing.T) {
			data := tstText(tc.n)
			out, m := tstCompress(t, data, Options{BlockSize: tc.bs, Workers: tc.workers, Level: tc.level, MaxInFlight: tc.inflight})
			tstCheckStream(t, data, out, m, tc.bs)
			var back bytes.Buffer
			if err := Decompress(context.Background(), &back, bytes.NewReader(out), m, tc.workers); err != nil || !bytes.Equal(back.Bytes(), data) {
				t.Fatalf("Decompress: got %d bytes, error %v; want the original %d bytes", back.Len(), err, len(data))
			}
		})
	}
}

func TestHoldoutDelayedMiddleBlock(t *testing.T) {
	const bs, n = 1000, 30
	data := tstText(n * bs)
	release := make(chan struct{})
	var once sync.Once
	o := Options{BlockSize: bs, Workers: 3, Level: gzip.BestSpeed, MaxInFlight: 10}
	o.beforeBlock = func(i int) {
		if i == 9 {
			once.Do(func() { close(release) })
		}
		if i == 2 {
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
	}
	out, m := tstCompress(t, data, o)
	tstCheckStream(t, data, out, m, bs)
}

func TestHoldoutCorruptBlock3Of9(t *testing.T) {
	const bs = 3000
	data := tstText(9 * bs)
	out, m := tstCompress(t, data, Options{BlockSize: bs, Workers: 2, Level: gzip.DefaultCompression, MaxInFlight: 2})
	out[m.Blocks[3].Offset+m.Blocks[3].CompressedLen/3] ^= 0x10
	var got bytes.Buffer
	err := Decompress(context.Background(), &got, bytes.NewReader(out), m, 3)
	var ce *CorruptBlockError
	if !errors.As(err, &ce) || ce.Index != 3 || ce.Offset != m.Blocks[3].Offset || ce.Want != m.Blocks[3].CRC32 {
		t.Fatalf("got error %v, want CorruptBlockError for block 3", err)
	}
	if !bytes.Equal(got.Bytes(), data[:3*bs]) {
		t.Errorf("dst got %d bytes, want %d", got.Len(), 3*bs)
	}
}

func TestHoldoutBoundedInFlightOne(t *testing.T) {
	const bs = 512
	src := &tstReader{n: 100 * bs, MaxRead: 100}
	unblock := make(chan struct{})
	var out bytes.Buffer
	dst := tstWriterFunc(func(p []byte) (int, error) { <-unblock; return out.Write(p) })
	done := make(chan error, 1)
	go func() {
		_, err := Compress(context.Background(), dst, src, Options{BlockSize: bs, Workers: 4, Level: gzip.BestSpeed, MaxInFlight: 1})
		done <- err
	}()
	if got := tstQuiescent(&src.read); got > 3*bs {
		t.Errorf("read %d bytes with MaxInFlight=1 and a blocked destination, want at most %d", got, 3*bs)
	}
	close(unblock)
	if err := <-done; err != nil {
		t.Fatalf("Compress: %v", err)
	}
}
