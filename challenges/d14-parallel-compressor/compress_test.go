package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
)

func TestOptionsValidate(t *testing.T) {
	good := Options{BlockSize: 1024, Workers: 2, Level: gzip.DefaultCompression, MaxInFlight: 4}
	tests := []struct {
		name string
		edit func(*Options)
	}{
		{"BlockSize 0", func(o *Options) { o.BlockSize = 0 }},
		{"BlockSize -1", func(o *Options) { o.BlockSize = -1 }},
		{"Workers 0", func(o *Options) { o.Workers = 0 }},
		{"MaxInFlight 0", func(o *Options) { o.MaxInFlight = 0 }},
		{"Level 10", func(o *Options) { o.Level = 10 }},
		{"Level -3", func(o *Options) { o.Level = -3 }},
	}
	for _, tt := range tests {
		o := good
		tt.edit(&o)
		if w, err := NewWriter(io.Discard, o); !errors.Is(err, ErrInvalid) || w != nil {
			t.Errorf("NewWriter with %s: got (%v, %v), want (nil, error wrapping ErrInvalid)", tt.name, w, err)
		}
		if _, err := Compress(context.Background(), io.Discard, bytes.NewReader(nil), o); !errors.Is(err, ErrInvalid) {
			t.Errorf("Compress with %s: got error %v, want one wrapping ErrInvalid", tt.name, err)
		}
	}
	if _, err := NewWriter(nil, good); !errors.Is(err, ErrInvalid) {
		t.Errorf("NewWriter(nil, ...): got error %v, want one wrapping ErrInvalid", err)
	}
	for _, level := range []int{gzip.HuffmanOnly, gzip.NoCompression, gzip.BestSpeed, gzip.BestCompression} {
		o := good
		o.Level = level
		w, err := NewWriter(io.Discard, o)
		if err != nil {
			t.Errorf("NewWriter with Level %d: got error %v, want nil", level, err)
			continue
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close: got error %v, want nil", err)
		}
	}
}

// tstCheckStream checks everything a compressed stream promises about data.
func tstCheckStream(t *testing.T, data, out []byte, m Manifest, blockSize int) {
	t.Helper()
	if got := tstGunzip(t, out); !bytes.Equal(got, data) {
		t.Fatalf("compress/gzip reads back %d bytes, want the %d bytes compressed (or they differ)", len(got), len(data))
	}
	wantBlocks := max((len(data)+blockSize-1)/blockSize, 1) // an empty input is one empty member
	if len(m.Blocks) != wantBlocks {
		t.Fatalf("manifest: got %d blocks, want %d", len(m.Blocks), wantBlocks)
	}
	if m.BlockSize != blockSize {
		t.Errorf("manifest BlockSize: got %d, want %d", m.BlockSize, blockSize)
	}
	if m.SHA256 != sha256.Sum256(data) {
		t.Errorf("manifest SHA256: got %x, want %x", m.SHA256, sha256.Sum256(data))
	}
	var off int64
	for i, b := range m.Blocks {
		lo := min(i*blockSize, len(data))
		hi := min(lo+blockSize, len(data))
		chunk := data[lo:hi]
		want := BlockInfo{Offset: off, CompressedLen: b.CompressedLen, RawLen: int64(len(chunk)), CRC32: crc32.ChecksumIEEE(chunk)}
		if b != want {
			t.Fatalf("manifest block %d: got %+v, want %+v", i, b, want)
		}
		if b.CompressedLen <= 0 || b.Offset+b.CompressedLen > int64(len(out)) {
			t.Fatalf("manifest block %d: %+v lies outside the %d-byte output", i, b, len(out))
		}
		// Every block is a standalone gzip member.
		zr, err := gzip.NewReader(bytes.NewReader(out[b.Offset : b.Offset+b.CompressedLen]))
		if err != nil {
			t.Fatalf("block %d is not a gzip member: %v", i, err)
		}
		zr.Multistream(false)
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, chunk) {
			t.Fatalf("block %d, read alone: got %d bytes and error %v, want its %d bytes", i, len(got), err, len(chunk))
		}
		off += b.CompressedLen
	}
	if off != int64(len(out)) {
		t.Errorf("the blocks cover %d bytes, want all %d bytes of the output", off, len(out))
	}
}

func TestRoundTrip(t *testing.T) {
	const bs = 4096
	inputs := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one byte", []byte{'x'}},
		{"one block exactly", tstText(bs)},
		{"eight blocks exactly", tstText(8 * bs)},
		{"block plus one", tstText(bs + 1)},
		{"incompressible", tstRandom(5*bs + 123)},
		{"all zeros", make([]byte, 20*bs)},
		{"text", tstText(37*bs + 1000)},
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			var first []byte
			for _, workers := range []int{1, 3, 8} {
				o := Options{BlockSize: bs, Workers: workers, Level: gzip.DefaultCompression, MaxInFlight: 2 * workers}
				out, m := tstCompress(t, in.data, o)
				tstCheckStream(t, in.data, out, m, bs)
				if first == nil {
					first = out
				} else if !bytes.Equal(out, first) {
					t.Errorf("Workers=%d: output differs from Workers=1 (%d vs %d bytes): the output must not depend on scheduling", workers, len(out), len(first))
				}
				var back bytes.Buffer
				if err := Decompress(context.Background(), &back, bytes.NewReader(out), m, workers); err != nil {
					t.Fatalf("Decompress(Workers=%d): got error %v, want nil", workers, err)
				}
				if !bytes.Equal(back.Bytes(), in.data) {
					t.Errorf("Decompress(Workers=%d): got %d bytes, want the original %d", workers, back.Len(), len(in.data))
				}
			}
		})
	}
}

func TestWriterAPI(t *testing.T) {
	data := tstText(10*1000 + 7)
	o := Options{BlockSize: 1000, Workers: 3, Level: gzip.BestSpeed, MaxInFlight: 3}
	wantOut, wantMan := tstCompress(t, data, o)

	var out bytes.Buffer
	w, err := NewWriter(&out, o)
	if err != nil {
		t.Fatalf("NewWriter: got error %v, want nil", err)
	}
	// Odd-sized writes, some crossing block boundaries, some empty.
	for p, step := data, 1; len(p) > 0; step = step*3%1777 + 1 {
		n := min(step, len(p))
		if k, err := w.Write(p[:n]); k != n || err != nil {
			t.Fatalf("Write(%d bytes): got (%d, %v), want (%d, nil)", n, k, err, n)
		}
		if k, err := w.Write(nil); k != 0 || err != nil {
			t.Fatalf("Write(nil): got (%d, %v), want (0, nil)", k, err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}
	if !bytes.Equal(out.Bytes(), wantOut) {
		t.Errorf("Writer output differs from Compress output for the same data and options")
	}
	if diff := cmp.Diff(wantMan, w.Manifest()); diff != "" {
		t.Errorf("Writer.Manifest() vs Compress's manifest (-want +got):\n%s", diff)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: got error %v, want nil (Close is idempotent)", err)
	}
	if n, err := w.Write([]byte("late")); !errors.Is(err, ErrClosed) || n != 0 {
		t.Errorf("Write after Close: got (%d, %v), want (0, ErrClosed)", n, err)
	}
	if out.Len() != len(wantOut) {
		t.Errorf("output grew after Close: got %d bytes, want %d", out.Len(), len(wantOut))
	}

	// A Writer closed without any data still writes a valid gzip file.
	var empty bytes.Buffer
	w, err = NewWriter(&empty, o)
	if err != nil {
		t.Fatalf("NewWriter: got error %v, want nil", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close of an empty Writer: got error %v, want nil", err)
	}
	tstCheckStream(t, nil, empty.Bytes(), w.Manifest(), o.BlockSize)
}

// TestDelayedBlockZero holds block 0 back until later blocks have been
// compressed: the output must still be in order.
func TestDelayedBlockZero(t *testing.T) {
	const bs, n = 2048, 24
	data := tstText(n * bs)
	release := make(chan struct{})
	var once sync.Once
	var calls [n]atomic.Int32
	o := Options{BlockSize: bs, Workers: 4, Level: gzip.DefaultCompression, MaxInFlight: 8}
	o.beforeBlock = func(i int) {
		if i < n {
			calls[i].Add(1)
		}
		if i == 6 {
			once.Do(func() { close(release) }) // 6 starts only once three of 1..5 are done
		}
		if i == 0 {
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
	}
	out, m := tstCompress(t, data, o)
	tstCheckStream(t, data, out, m, bs)
	for i := range n {
		if c := calls[i].Load(); c != 1 {
			t.Errorf("Options.beforeBlock was called %d times for block %d, want once: call it in the worker, just before compressing", c, i)
		}
	}
}

// TestBoundedInFlight blocks the destination and checks, once reading
// has stopped, how much of the source was read: at most MaxInFlight blocks
// in flight plus the one being filled (plus one block of slack).
func TestBoundedInFlight(t *testing.T) {
	const bs, inFlight = 1024, 3
	src := &tstReader{n: 200 * bs, MaxRead: 300}
	unblock := make(chan struct{})
	var out bytes.Buffer
	dst := tstWriterFunc(func(p []byte) (int, error) {
		<-unblock
		return out.Write(p)
	})
	o := Options{BlockSize: bs, Workers: 2, Level: gzip.BestSpeed, MaxInFlight: inFlight}
	done := make(chan error, 1)
	go func() {
		_, err := Compress(context.Background(), dst, src, o)
		done <- err
	}()
	read := tstQuiescent(&src.read)
	if limit := int64((inFlight + 2) * bs); read > limit {
		t.Errorf("with the destination blocked, %d bytes were read from the source, want at most %d (MaxInFlight=%d blocks in flight, one being filled, one more of slack)", read, limit, inFlight)
	}
	close(unblock)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Compress: got error %v, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Compress did not return within 20 s of unblocking the destination")
	}
	if got := len(tstGunzip(t, out.Bytes())); got != 200*bs {
		t.Errorf("after unblocking: got %d bytes back, want %d", got, 200*bs)
	}
}

type tstWriterFunc func([]byte) (int, error)

func (f tstWriterFunc) Write(p []byte) (int, error) { return f(p) }

// TestWriterErrorStopsWorkers: a failing destination stops everything,
// promptly, and leaves no goroutine behind.
func TestWriterErrorStopsWorkers(t *testing.T) {
	baseline := goleak.IgnoreCurrent()
	const bs = 4096
	o := Options{BlockSize: bs, Workers: 4, Level: gzip.BestSpeed, MaxInFlight: 4}

	t.Run("Compress", func(t *testing.T) {
		dst := &tstFailWriter{}
		dst.ok.Store(2)
		src := &tstReader{n: -1} // endless
		_, err := Compress(context.Background(), dst, src, o)
		if !errors.Is(err, tstErrDisk) {
			t.Errorf("Compress to a failing destination: got error %v, want one wrapping the destination's error", err)
		}
		if got, limit := src.read.Load(), int64(3+o.MaxInFlight+2)*bs; got > limit {
			t.Errorf("read %d bytes from an endless source, want at most %d: stop reading once the destination failed", got, limit)
		}
		goleak.VerifyNone(t, baseline)
	})

	t.Run("Writer", func(t *testing.T) {
		dst := &tstFailWriter{}
		w, err := NewWriter(dst, o)
		if err != nil {
			t.Fatalf("NewWriter: %v", err)
		}
		data := tstText(bs)
		var werr error
		for range 1000 {
			if _, werr = w.Write(data); werr != nil {
				break
			}
		}
		if !errors.Is(werr, tstErrDisk) {
			t.Errorf("Write after the destination failed: got error %v, want one wrapping the destination's error", werr)
		}
		cerr := w.Close()
		if !errors.Is(cerr, tstErrDisk) {
			t.Errorf("Close after the destination failed: got error %v, want one wrapping the destination's error", cerr)
		}
		if again := w.Close(); !errors.Is(again, tstErrDisk) {
			t.Errorf("second Close: got error %v, want the same error again", again)
		}
		goleak.VerifyNone(t, baseline)
	})
}

// TestCompressCancel cancels ctx from inside the source after a while.
func TestCompressCancel(t *testing.T) {
	baseline := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &tstCancelReader{tstReader: tstReader{n: -1}, after: 64 << 10, cancel: cancel}
	_, err := Compress(ctx, io.Discard, src, Options{BlockSize: 4096, Workers: 2, Level: gzip.BestSpeed, MaxInFlight: 4})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Compress with a cancelled ctx: got error %v, want context.Canceled", err)
	}
	if got := src.read.Load(); got > 64<<10+64<<10 { // one io.Copy buffer (32 KiB) and then some
		t.Errorf("read %d bytes, want Compress to stop soon after cancellation at %d", got, 64<<10)
	}
	goleak.VerifyNone(t, baseline)

	if _, err := Compress(ctx, io.Discard, &tstReader{n: 10}, Options{BlockSize: 4, Workers: 1, Level: 1, MaxInFlight: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("Compress with an already cancelled ctx: got error %v, want context.Canceled", err)
	}
}

func tstMust[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

type tstCancelReader struct {
	tstReader
	after  int64
	cancel context.CancelFunc
}

func (r *tstCancelReader) Read(p []byte) (int, error) {
	if r.read.Load() >= r.after {
		r.cancel()
	}
	return r.tstReader.Read(p)
}

// TestGzipTool checks the output with the real gzip, when it is installed.
func TestGzipTool(t *testing.T) {
	gz, err := exec.LookPath("gzip")
	if err != nil {
		t.Skip("gzip is not installed")
	}
	data := tstText(300<<10 + 17)
	out, _ := tstCompress(t, data, Options{BlockSize: 64 << 10, Workers: 4, Level: gzip.DefaultCompression, MaxInFlight: 4})
	path := filepath.Join(t.TempDir(), "out.gz")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(gz, "-t", path).CombinedOutput(); err != nil {
		t.Fatalf("gzip -t: %v\n%s", err, msg)
	}
	got, err := exec.Command(gz, "-dc", path).Output()
	if err != nil {
		t.Fatalf("gzip -dc: %v", err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("gzip -dc: got %d bytes, want the original %d", len(got), len(data))
	}
}

func ExampleCompress() {
	var out bytes.Buffer
	m, err := Compress(context.Background(), &out, bytes.NewReader(bytes.Repeat([]byte("gopher "), 1000)),
		Options{BlockSize: 3000, Workers: 2, Level: gzip.BestCompression, MaxInFlight: 4})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, b := range m.Blocks {
		fmt.Printf("block %d: %d bytes, crc32 %08x\n", i, b.RawLen, b.CRC32)
	}
	back, _ := io.ReadAll(tstMust(gzip.NewReader(&out)))
	fmt.Println(len(back), "bytes back through compress/gzip")
	// Output:
	// block 0: 3000 bytes, crc32 b414c4fc
	// block 1: 3000 bytes, crc32 cb31132d
	// block 2: 1000 bytes, crc32 f896975b
	// 7000 bytes back through compress/gzip
}
