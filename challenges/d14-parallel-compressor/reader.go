package pgz

import (
	"context"
	"fmt"
	"io"
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

// Decompress checks and decompresses the stream src described by m into
// dst, with workers goroutines decoding blocks concurrently and dst
// receiving them in order. The first bad block, in stream order, stops it:
// a damaged block is a *CorruptBlockError, a src that ends early an error
// wrapping io.ErrUnexpectedEOF; dst has then received every block before
// it. When all blocks are good but the whole does not hash to m.SHA256, the
// error wraps ErrDigest (and dst has received everything).
func Decompress(ctx context.Context, dst io.Writer, src io.ReaderAt, m Manifest, workers int) error {
	// TODO
	return ErrNotImplemented
}
