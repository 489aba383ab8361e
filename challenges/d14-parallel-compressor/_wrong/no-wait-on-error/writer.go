// Package pgz compresses on all cores yet emits a standard format: the input
// is cut into fixed-size blocks, the blocks are compressed concurrently,
// and each becomes one gzip member, written in order, so the output is an
// ordinary multi-member gzip stream that any gzip tool reads. A Manifest
// records where each member lies, its CRC-32 and the SHA-256 of the whole
// input, which lets Decompress work in parallel too and name the block that
// is corrupt.
package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"sync"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("pgz: not implemented")

// ErrInvalid is wrapped by every error about bad arguments: options, a nil
// writer or reader, a malformed manifest.
var ErrInvalid = errors.New("pgz: invalid argument")

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("pgz: write to closed Writer")

// ErrDigest is wrapped by Decompress's error when every block is intact
// but the SHA-256 of the whole output does not match the manifest.
var ErrDigest = errors.New("pgz: SHA-256 mismatch")

// Options configure compression.
type Options struct {
	BlockSize   int // raw bytes per block (the last one may be shorter); >= 1
	Workers     int // goroutines compressing; >= 1
	Level       int // a compress/gzip level, gzip.HuffmanOnly..gzip.BestCompression (0 is NoCompression)
	MaxInFlight int // blocks handed to workers and not yet written out; >= 1

	// beforeBlock, when non-nil, is called by the worker that is about to
	// compress block i. The tests use it to delay blocks.
	beforeBlock func(i int)
}

func (o Options) validate() error {
	switch {
	case o.BlockSize < 1:
		return fmt.Errorf("%w: BlockSize %d, want >= 1", ErrInvalid, o.BlockSize)
	case o.Workers < 1:
		return fmt.Errorf("%w: Workers %d, want >= 1", ErrInvalid, o.Workers)
	case o.MaxInFlight < 1:
		return fmt.Errorf("%w: MaxInFlight %d, want >= 1", ErrInvalid, o.MaxInFlight)
	case o.Level < gzip.HuffmanOnly || o.Level > gzip.BestCompression:
		return fmt.Errorf("%w: Level %d, want %d..%d", ErrInvalid, o.Level, gzip.HuffmanOnly, gzip.BestCompression)
	}
	return nil
}

// BlockInfo describes one block: one gzip member of the output.
type BlockInfo struct {
	Offset        int64  // where the member starts in the compressed stream
	CompressedLen int64  // the member's length in bytes
	RawLen        int64  // bytes it decompresses to
	CRC32         uint32 // CRC-32 (IEEE) of those bytes
}

// Manifest describes a compressed stream.
type Manifest struct {
	BlockSize int
	Blocks    []BlockInfo
	SHA256    [32]byte // of the whole uncompressed input
}

// block is the unit of work: raw input, its compressed form, and a
// one-slot channel the worker signals when out and crc are ready. Blocks
// are pooled with their buffers, so a steady stream allocates nothing per
// block.
type block struct {
	index int
	raw   []byte // len: bytes filled; cap: BlockSize
	out   bytes.Buffer
	crc   uint32
	done  chan struct{}
}

var blockPool sync.Pool

func getBlock(size int) *block {
	b, _ := blockPool.Get().(*block)
	if b == nil || cap(b.raw) != size {
		b = &block{raw: make([]byte, 0, size), done: make(chan struct{}, 1)}
	}
	b.raw = b.raw[:0]
	return b
}

// putBlock may only be called once nothing reads or writes b any more:
// after its bytes have been written out and hashed.
func putBlock(b *block) { blockPool.Put(b) }

// Compressors are expensive (about 1 MB at the default level), so they
// are pooled across Writers, one pool per level.
var gzipPools [gzip.BestCompression - gzip.HuffmanOnly + 1]sync.Pool

func getGzip(level int) *gzip.Writer {
	if zw, ok := gzipPools[level-gzip.HuffmanOnly].Get().(*gzip.Writer); ok {
		return zw
	}
	zw, _ := gzip.NewWriterLevel(io.Discard, level) // level is validated
	return zw
}

func putGzip(level int, zw *gzip.Writer) { gzipPools[level-gzip.HuffmanOnly].Put(zw) }

// Writer is an io.WriteCloser that compresses in parallel. Write, ReadFrom
// and Close must not be called concurrently with each other; Close must be
// called, or the Writer's goroutines leak.
type Writer struct {
	dst io.Writer
	o   Options

	cur     *block // being filled by Write
	next    int    // index of the next block to dispatch
	started bool

	sem   chan struct{} // one token per block in flight
	jobs  chan *block   // to the workers
	queue chan *block   // to the output goroutine, in index order
	wg    sync.WaitGroup

	mu       sync.Mutex
	err      error         // first failure
	stop     chan struct{} // closed at the first failure
	closed   bool
	closeErr error

	// Owned by the output goroutine until it exits, then by Close.
	man    Manifest
	sum    hash.Hash
	offset int64
}

// NewWriter returns a Writer compressing to dst. It starts no goroutine
// until the first block is full.
func NewWriter(dst io.Writer, o Options) (*Writer, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if dst == nil {
		return nil, fmt.Errorf("%w: nil destination", ErrInvalid)
	}
	return &Writer{
		dst:  dst,
		o:    o,
		sem:  make(chan struct{}, o.MaxInFlight),
		stop: make(chan struct{}),
		man:  Manifest{BlockSize: o.BlockSize},
		sum:  sha256.New(),
	}, nil
}

// fail records the first failure and stops the pipeline.
func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
		close(w.stop)
	}
}

func (w *Writer) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *Writer) start() {
	if w.started {
		return
	}
	w.started = true
	// The channels never block their senders: a block is only sent after
	// its token is taken, and there are MaxInFlight tokens.
	w.jobs = make(chan *block, w.o.MaxInFlight)
	w.queue = make(chan *block, w.o.MaxInFlight)
	for range w.o.Workers {
		w.wg.Go(w.worker)
	}
	w.wg.Go(w.output)
}

// dispatch hands a full block to the pipeline, waiting for a free slot.
func (w *Writer) dispatch(b *block) error {
	w.start()
	select {
	case w.sem <- struct{}{}:
	case <-w.stop:
		putBlock(b)
		return w.failure()
	}
	b.index = w.next
	w.next++
	w.queue <- b // order is fixed here, by the one goroutine that dispatches
	w.jobs <- b
	return nil
}

func (w *Writer) worker() {
	zw := getGzip(w.o.Level)
	defer putGzip(w.o.Level, zw)
	for b := range w.jobs {
		select {
		case <-w.stop: // failed: don't waste CPU, just hand the block on
		default:
			if w.o.beforeBlock != nil {
				w.o.beforeBlock(b.index)
			}
			b.out.Reset()
			zw.Reset(&b.out)
			zw.Write(b.raw) // writes to a bytes.Buffer cannot fail
			zw.Close()
			b.crc = crc32.ChecksumIEEE(b.raw)
		}
		b.done <- struct{}{}
	}
}

// output writes finished blocks in order. It keeps draining after a
// failure so that every block goes back to the pool and nobody waits.
func (w *Writer) output() {
	for b := range w.queue {
		<-b.done
		if w.failure() == nil {
			if _, err := w.dst.Write(b.out.Bytes()); err != nil {
				w.fail(fmt.Errorf("pgz: writing block %d: %w", b.index, err))
			} else {
				n := int64(b.out.Len())
				w.man.Blocks = append(w.man.Blocks, BlockInfo{Offset: w.offset, CompressedLen: n, RawLen: int64(len(b.raw)), CRC32: b.crc})
				w.offset += n
				w.sum.Write(b.raw)
			}
		}
		putBlock(b) // only now: dst.Write and the hash are done with it
		<-w.sem
	}
}

// Write copies p into blocks, dispatching each one as it fills up. It
// blocks while MaxInFlight blocks are in flight.
func (w *Writer) Write(p []byte) (int, error) {
	if w.closed {
		return 0, ErrClosed
	}
	n := 0
	for len(p) > 0 {
		if err := w.failure(); err != nil {
			return n, err
		}
		if w.cur == nil {
			w.cur = getBlock(w.o.BlockSize)
		}
		b := w.cur
		c := copy(b.raw[len(b.raw):cap(b.raw)], p)
		b.raw = b.raw[:len(b.raw)+c]
		n += c
		p = p[c:]
		if len(b.raw) == cap(b.raw) {
			w.cur = nil
			if err := w.dispatch(b); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// ReadFrom reads r into blocks directly, without an intermediate buffer
// (io.Copy uses it).
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	if w.closed {
		return 0, ErrClosed
	}
	var total int64
	for {
		if err := w.failure(); err != nil {
			return total, err
		}
		if w.cur == nil {
			w.cur = getBlock(w.o.BlockSize)
		}
		b := w.cur
		n, err := r.Read(b.raw[len(b.raw):cap(b.raw)])
		b.raw = b.raw[:len(b.raw)+n]
		total += int64(n)
		if len(b.raw) == cap(b.raw) {
			w.cur = nil
			if derr := w.dispatch(b); derr != nil {
				return total, derr
			}
		}
		switch {
		case err == io.EOF:
			return total, nil
		case err != nil:
			return total, err
		}
	}
}

// abort stops the Writer with err, from any goroutine.
func (w *Writer) abort(err error) { w.fail(err) }

// Close compresses and writes what is left, waits for every goroutine, and
// returns the first error. An empty stream still gets one (empty) member,
// so the output is a valid gzip file. Calling Close again returns the same
// result.
func (w *Writer) Close() error {
	if w.closed {
		return w.closeErr
	}
	w.closed = true
	err := w.failure()
	if b := w.cur; b != nil || w.next == 0 {
		w.cur = nil
		switch {
		case b == nil:
			b = getBlock(w.o.BlockSize)
			fallthrough
		case len(b.raw) > 0 || w.next == 0:
			if err == nil {
				err = w.dispatch(b)
			} else {
				putBlock(b)
			}
		default:
			putBlock(b) // an empty block after an exact multiple: nothing to add
		}
	}
	if w.started && err == nil {
		// WRONG: after a failure, Close returns at once, leaving the
		// workers and the output goroutine running, forever.
		close(w.jobs)
		close(w.queue)
		w.wg.Wait()
	}
	if err == nil {
		err = w.failure()
	}
	if err == nil {
		w.sum.Sum(w.man.SHA256[:0])
	}
	w.closeErr = err
	return err
}

// Manifest describes what was written. It is complete once Close has
// returned nil.
func (w *Writer) Manifest() Manifest {
	m := w.man
	m.Blocks = append([]BlockInfo(nil), w.man.Blocks...)
	return m
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Compress compresses src into dst with a Writer and returns the manifest.
// It checks ctx before every read of src: cancelling ctx stops it with
// ctx's error.
func Compress(ctx context.Context, dst io.Writer, src io.Reader, o Options) (Manifest, error) {
	if src == nil {
		return Manifest{}, fmt.Errorf("%w: nil source", ErrInvalid)
	}
	w, err := NewWriter(dst, o)
	if err != nil {
		return Manifest{}, err
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	// ctxReader notices cancellation before each read; AfterFunc also
	// wakes a Write blocked on a full pipeline.
	stop := context.AfterFunc(ctx, func() { w.abort(context.Cause(ctx)) })
	defer stop()
	_, err = io.Copy(w, ctxReader{ctx, src})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Manifest{}, err
	}
	return w.Manifest(), nil
}
