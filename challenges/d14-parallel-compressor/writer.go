// Package pgz compresses on all cores yet emits a standard format: the input
// is cut into fixed-size blocks, the blocks are compressed concurrently,
// and each becomes one gzip member, written in order, so the output is an
// ordinary multi-member gzip stream that any gzip tool reads. A Manifest
// records where each member lies, its CRC-32 and the SHA-256 of the whole
// input, which lets Decompress work in parallel too and name the block that
// is corrupt.
package pgz

import (
	"context"
	"errors"
	"io"
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
	// compress block i. The tests use it to delay blocks: keep the field
	// and call it from your worker, just before compressing.
	beforeBlock func(i int)
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

// Writer is an io.WriteCloser that compresses in parallel. Write and Close
// must not be called concurrently with each other; Close must be called,
// or the Writer's goroutines leak.
type Writer struct {
	// TODO: the current block, a bounded pipeline to the workers and to the
	// goroutine that writes blocks out in order, the first failure, the
	// manifest being built.
}

// NewWriter returns a Writer compressing to dst. It validates o (errors
// wrap ErrInvalid).
func NewWriter(dst io.Writer, o Options) (*Writer, error) {
	// TODO
	return nil, ErrNotImplemented
}

// Write copies p into blocks, handing each one to the workers as it fills
// up. It blocks while MaxInFlight blocks are in flight. After a failure it
// returns that failure; after Close, ErrClosed.
func (w *Writer) Write(p []byte) (int, error) {
	// TODO
	return 0, ErrNotImplemented
}

// Close compresses and writes what is left, waits for every goroutine, and
// returns the first error. An empty stream still gets one (empty) member,
// so the output is a valid gzip file. Calling Close again returns the same
// result.
func (w *Writer) Close() error {
	// TODO
	return ErrNotImplemented
}

// Manifest describes what was written. It is complete once Close has
// returned nil.
func (w *Writer) Manifest() Manifest {
	// TODO
	return Manifest{}
}

// Compress compresses src into dst with a Writer and returns the manifest.
// It checks ctx before every read of src: cancelling ctx stops it with
// ctx's error.
func Compress(ctx context.Context, dst io.Writer, src io.Reader, o Options) (Manifest, error) {
	// TODO
	return Manifest{}, ErrNotImplemented
}
