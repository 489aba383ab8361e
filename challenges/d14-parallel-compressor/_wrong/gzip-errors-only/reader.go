package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
)

// CorruptBlockError reports a block whose bytes do not decompress to what
// the manifest says: a damaged member, wrong length or wrong CRC-32.
type CorruptBlockError struct {
	Index  int    // the block's index in the manifest
	Offset int64  // its offset in the compressed stream
	Want   uint32 // CRC-32 from the manifest
	Got    uint32 // CRC-32 of what the block decoded to (possibly partial)
}

func (e *CorruptBlockError) Error() string {
	return fmt.Sprintf("pgz: block %d at offset %d is corrupt (crc32 want %08x, got %08x)", e.Index, e.Offset, e.Want, e.Got)
}

func (m *Manifest) validate() error {
	if m.BlockSize < 1 {
		return fmt.Errorf("%w: manifest BlockSize %d", ErrInvalid, m.BlockSize)
	}
	if len(m.Blocks) == 0 {
		return fmt.Errorf("%w: manifest has no blocks", ErrInvalid)
	}
	for i, b := range m.Blocks {
		if b.Offset < 0 || b.CompressedLen <= 0 || b.RawLen < 0 || b.RawLen > int64(m.BlockSize) {
			return fmt.Errorf("%w: manifest block %d: %+v (BlockSize %d)", ErrInvalid, i, b, m.BlockSize)
		}
	}
	return nil
}

// dtask is one block being decompressed. Tasks are pooled with their
// buffers; done is signalled, never closed, so that it can be reused.
type dtask struct {
	index int
	comp  []byte // compressed member
	raw   []byte // decompressed bytes
	err   error
	done  chan struct{}
}

var taskPool sync.Pool

func getTask(i int) *dtask {
	t, _ := taskPool.Get().(*dtask)
	if t == nil {
		t = &dtask{done: make(chan struct{}, 1)}
	}
	t.index, t.err = i, nil
	return t
}

// grow returns b resized to n bytes, reusing its array when it is big
// enough.
func grow(b []byte, n int64) []byte {
	if int64(cap(b)) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// Decompress checks and decompresses the stream src described by m into
// dst, with workers goroutines decoding blocks concurrently and dst
// receiving them in order. The first bad block, in stream order, stops it:
// a damaged block is a *CorruptBlockError, a src that ends early an error
// wrapping io.ErrUnexpectedEOF; dst has then received every block before
// it. When all blocks are good but the whole does not hash to m.SHA256, the
// error wraps ErrDigest (and dst has received everything).
func Decompress(ctx context.Context, dst io.Writer, src io.ReaderAt, m Manifest, workers int) error {
	if dst == nil || src == nil {
		return fmt.Errorf("%w: nil destination or source", ErrInvalid)
	}
	if workers < 1 {
		return fmt.Errorf("%w: workers %d, want >= 1", ErrInvalid, workers)
	}
	if err := m.validate(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // runs after cancel: nothing outlives Decompress
	defer cancel()

	// order bounds memory: at most cap(order) blocks decoded ahead of dst,
	// plus the one being written.
	order := make(chan *dtask, 2*workers)
	jobs := make(chan *dtask, 2*workers+1)
	wg.Go(func() {
		defer close(order)
		defer close(jobs)
		for i := range m.Blocks {
			t := getTask(i)
			select {
			case order <- t:
			case <-ctx.Done():
				return
			}
			jobs <- t // never blocks: see the capacities
		}
	})
	for range workers {
		wg.Go(func() {
			zr, br := new(gzip.Reader), new(bytes.Reader)
			for t := range jobs {
				if err := ctx.Err(); err != nil {
					t.err = err // stopping: don't decode, but never leave a task unanswered
				} else {
					decodeBlock(zr, br, src, m, t)
				}
				t.done <- struct{}{}
			}
		})
	}

	sum := sha256.New()
	for t := range order {
		select {
		case <-t.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if t.err != nil {
			return t.err
		}
		if _, err := dst.Write(t.raw); err != nil {
			return fmt.Errorf("pgz: writing block %d: %w", t.index, err)
		}
		sum.Write(t.raw)
		taskPool.Put(t) // dst.Write has returned: nothing uses t any more
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var got [32]byte
	if sum.Sum(got[:0]); got != m.SHA256 {
		return fmt.Errorf("%w: got %x, want %x", ErrDigest, got, m.SHA256)
	}
	return nil
}

// decodeBlock reads block t.index from src and decompresses it, checking
// it against the manifest. A short read is truncation, not corruption:
// everything that goes wrong after the bytes are in memory is corruption.
func decodeBlock(zr *gzip.Reader, r *bytes.Reader, src io.ReaderAt, m Manifest, t *dtask) {
	b := m.Blocks[t.index]
	t.comp = grow(t.comp, b.CompressedLen)
	n, err := src.ReadAt(t.comp, b.Offset)
	if n < len(t.comp) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		t.err = fmt.Errorf("pgz: reading block %d at offset %d: %w", t.index, b.Offset, err)
		return
	}
	// WRONG: passes on whatever compress/gzip says, which names no block,
	// and trusts the gzip trailer instead of the manifest's CRC.
	corrupt := func(decoded []byte) {
		t.err = fmt.Errorf("pgz: decompressing: %w", gzip.ErrChecksum)
	}
	r.Reset(t.comp) // an io.ByteReader: gzip reads no further than the member
	if err := zr.Reset(r); err != nil {
		corrupt(nil)
		return
	}
	zr.Multistream(false)
	t.raw = grow(t.raw, b.RawLen)
	if n, err := io.ReadFull(zr, t.raw); err != nil {
		corrupt(t.raw[:n])
		return
	}
	// The member must end exactly here: this read also checks the gzip
	// trailer (its CRC-32 and length), and nothing may follow it.
	var one [1]byte
	if n, err := zr.Read(one[:]); n != 0 || err != io.EOF || r.Len() != 0 {
		corrupt(t.raw)
		return
	}

}
