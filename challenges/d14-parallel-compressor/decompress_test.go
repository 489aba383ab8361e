package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// tstSample is 20 blocks of text, compressed.
func tstSample(t *testing.T) (data, out []byte, m Manifest) {
	t.Helper()
	const bs = 4096
	data = tstText(20*bs - 100)
	out, m = tstCompress(t, data, Options{BlockSize: bs, Workers: 4, Level: gzip.DefaultCompression, MaxInFlight: 8})
	if len(m.Blocks) != 20 {
		t.Fatalf("manifest: got %d blocks, want 20", len(m.Blocks))
	}
	return data, out, m
}

func TestCorruptBlock(t *testing.T) {
	data, out, m := tstSample(t)
	bs := m.BlockSize
	mid := func(i int) int64 { return m.Blocks[i].Offset + m.Blocks[i].CompressedLen/2 }
	tests := []struct {
		name    string
		flip    []int64 // offsets in the compressed stream to damage
		badCRC  int     // >= 0: also corrupt this block's CRC in the manifest
		wantIdx int
	}{
		{"byte in the middle of block 7", []int64{mid(7)}, -1, 7},
		{"blocks 12 and 7: the first in order wins", []int64{mid(12), mid(7)}, -1, 7},
		{"gzip header of block 0", []int64{m.Blocks[0].Offset + 1}, -1, 0},
		{"gzip trailer of block 3", []int64{m.Blocks[3].Offset + m.Blocks[3].CompressedLen - 6}, -1, 3},
		{"last byte of the stream", []int64{int64(len(out)) - 1}, -1, 19},
		{"CRC in the manifest of block 5", nil, 5, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := bytes.Clone(out)
			for _, off := range tt.flip {
				bad[off] ^= 0x55
			}
			man := m
			man.Blocks = append([]BlockInfo(nil), m.Blocks...)
			if tt.badCRC >= 0 {
				man.Blocks[tt.badCRC].CRC32 ^= 1
			}
			var got bytes.Buffer
			err := Decompress(context.Background(), &got, bytes.NewReader(bad), man, 4)
			var ce *CorruptBlockError
			if !errors.As(err, &ce) {
				t.Fatalf("Decompress: got error %v, want a *CorruptBlockError", err)
			}
			want := CorruptBlockError{Index: tt.wantIdx, Offset: man.Blocks[tt.wantIdx].Offset, Want: man.Blocks[tt.wantIdx].CRC32, Got: ce.Got}
			if *ce != want {
				t.Errorf("CorruptBlockError: got %+v, want %+v", *ce, want)
			}
			if ce.Error() == "" {
				t.Errorf("CorruptBlockError.Error() is empty")
			}
			// Everything before the bad block was written, in order, and
			// nothing after it.
			if prefix := data[:tt.wantIdx*bs]; !bytes.Equal(got.Bytes(), prefix) {
				t.Errorf("dst received %d bytes, want the %d bytes of the blocks before block %d", got.Len(), len(prefix), tt.wantIdx)
			}
		})
	}
}

func TestTruncated(t *testing.T) {
	_, out, m := tstSample(t)
	for _, keep := range []int{0, len(out) / 3, len(out) - 1} {
		err := Decompress(context.Background(), io.Discard, bytes.NewReader(out[:keep]), m, 3)
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Decompress of the first %d of %d bytes: got error %v, want one wrapping io.ErrUnexpectedEOF", keep, len(out), err)
		}
		var ce *CorruptBlockError
		if errors.As(err, &ce) {
			t.Errorf("Decompress of a truncated stream: got %v, want a truncation error, not a corrupt block", ce)
		}
	}
}

func TestDigestMismatch(t *testing.T) {
	data, out, m := tstSample(t)
	m.SHA256[31] ^= 1
	var got bytes.Buffer
	err := Decompress(context.Background(), &got, bytes.NewReader(out), m, 2)
	if !errors.Is(err, ErrDigest) {
		t.Errorf("Decompress with a wrong SHA256: got error %v, want one wrapping ErrDigest", err)
	}
	if !bytes.Equal(got.Bytes(), data) {
		t.Errorf("dst received %d bytes, want all %d (the digest is only known at the end)", got.Len(), len(data))
	}
}

func TestDecompressValidates(t *testing.T) {
	_, out, m := tstSample(t)
	src := bytes.NewReader(out)
	ctx := context.Background()
	if err := Decompress(ctx, io.Discard, src, m, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decompress with 0 workers: got error %v, want one wrapping ErrInvalid", err)
	}
	if err := Decompress(ctx, nil, src, m, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decompress to a nil writer: got error %v, want one wrapping ErrInvalid", err)
	}
	if err := Decompress(ctx, io.Discard, nil, m, 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decompress from a nil reader: got error %v, want one wrapping ErrInvalid", err)
	}
	bad := []struct {
		name string
		edit func(*Manifest)
	}{
		{"no blocks", func(m *Manifest) { m.Blocks = nil }},
		{"BlockSize 0", func(m *Manifest) { m.BlockSize = 0 }},
		{"negative offset", func(m *Manifest) { m.Blocks[2].Offset = -1 }},
		{"zero compressed length", func(m *Manifest) { m.Blocks[2].CompressedLen = 0 }},
		{"RawLen above BlockSize", func(m *Manifest) { m.Blocks[2].RawLen = int64(m.BlockSize) + 1 }},
		{"negative RawLen", func(m *Manifest) { m.Blocks[2].RawLen = -1 }},
	}
	for _, tt := range bad {
		man := m
		man.Blocks = append([]BlockInfo(nil), m.Blocks...)
		tt.edit(&man)
		var got bytes.Buffer
		if err := Decompress(ctx, &got, src, man, 2); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decompress with %s: got error %v, want one wrapping ErrInvalid", tt.name, err)
		}
		if got.Len() != 0 {
			t.Errorf("Decompress with %s: wrote %d bytes, want none (validate first)", tt.name, got.Len())
		}
	}
}

// TestDecompressCancel: a blocked destination and a cancelled ctx.
func TestDecompressCancel(t *testing.T) {
	baseline := goleak.IgnoreCurrent()
	_, out, m := tstSample(t)
	ctx, cancel := context.WithCancel(context.Background())
	dst := tstWriterFunc(func(p []byte) (int, error) {
		cancel() // cancel while the pipeline is busy behind this block
		return len(p), nil
	})
	err := Decompress(ctx, dst, bytes.NewReader(out), m, 4)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Decompress cancelled from its destination: got error %v, want context.Canceled", err)
	}
	goleak.VerifyNone(t, baseline)
}

// TestDecompressErrorReturnsPromptly: a corrupt first block must not wait
// for the rest of a long stream to be decoded.
func TestDecompressStopsAtFirstError(t *testing.T) {
	baseline := goleak.IgnoreCurrent()
	const bs = 1 << 10
	data := tstText(2000 * bs)
	out, m := tstCompress(t, data, Options{BlockSize: bs, Workers: 2, Level: gzip.BestSpeed, MaxInFlight: 4})
	out[m.Blocks[0].Offset+m.Blocks[0].CompressedLen/2] ^= 0xff
	src := &tstCountingReaderAt{r: bytes.NewReader(out)}
	start := time.Now()
	err := Decompress(context.Background(), io.Discard, src, m, 2)
	var ce *CorruptBlockError
	if !errors.As(err, &ce) || ce.Index != 0 {
		t.Fatalf("Decompress: got error %v, want a *CorruptBlockError for block 0", err)
	}
	if n := src.reads.Load(); n > 64 {
		t.Errorf("Decompress read %d of %d blocks before reporting block 0, want it to stop reading (bounded look-ahead) (took %v)", n, len(m.Blocks), time.Since(start))
	}
	goleak.VerifyNone(t, baseline)
}
