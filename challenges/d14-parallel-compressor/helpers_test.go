package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var tstWords = []string{
	"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "gopher", "channel",
	"goroutine", "buffer", "block", "member", "stream", "order", "worker", "pool", "flate",
	"deflate", "window", "checksum", "manifest", "offset", "parallel", "compress", "reader",
	"writer", "context", "cancel", "select", "mutex", "atomic", "heap", "alloc", "bench",
}

// tstCorpus is 256 KiB of deterministic pseudo-text, larger than flate's
// 32 KiB window, so repeating it does not compress unrealistically well.
var tstCorpus = sync.OnceValue(func() []byte {
	r := rand.New(rand.NewPCG(14, 14))
	var b bytes.Buffer
	for b.Len() < 256<<10 {
		b.WriteString(tstWords[r.IntN(len(tstWords))])
		switch r.IntN(12) {
		case 0:
			b.WriteString(".\n")
		case 1:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
	}
	return b.Bytes()[:256<<10]
})

// tstText returns n bytes of pseudo-text.
func tstText(n int) []byte {
	out := make([]byte, n)
	r := &tstReader{n: int64(n)}
	io.ReadFull(r, out)
	return out
}

// tstRandom returns n incompressible bytes.
func tstRandom(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 99))
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.Uint32())
	}
	return out
}

// tstReader streams n bytes of pseudo-text (the corpus, rotated on every
// pass) without holding them, in reads of at most MaxRead bytes (0: no
// limit), and counts what it has handed out.
type tstReader struct {
	n       int64 // bytes left; < 0: endless
	MaxRead int
	pos     int64
	read    atomic.Int64
}

func (r *tstReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	if r.MaxRead > 0 && len(p) > r.MaxRead {
		p = p[:r.MaxRead]
	}
	if r.n > 0 && int64(len(p)) > r.n {
		p = p[:r.n]
	}
	c := tstCorpus()
	size := int64(len(c))
	for i := 0; i < len(p); {
		pass, in := r.pos/size, r.pos%size
		off := (in + pass*7919) % size
		n := min(int64(len(p)-i), size-off, size-in)
		copy(p[i:], c[off:off+n])
		i += int(n)
		r.pos += n
	}
	if r.n > 0 {
		r.n -= int64(len(p))
	}
	r.read.Add(int64(len(p)))
	return len(p), nil
}

// tstGunzip decompresses with the standard library, which reads
// multi-member streams.
func tstGunzip(t testing.TB, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("compress/gzip cannot read the output: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("compress/gzip fails reading the output: %v", err)
	}
	return out
}

// tstCompress runs Compress or stops the test.
func tstCompress(t testing.TB, data []byte, o Options) ([]byte, Manifest) {
	t.Helper()
	var out bytes.Buffer
	m, err := Compress(context.Background(), &out, bytes.NewReader(data), o)
	if err != nil {
		t.Fatalf("Compress(%d bytes, %+v): got error %v, want nil", len(data), o, err)
	}
	return out.Bytes(), m
}

// tstFailWriter accepts ok writes, then fails every write.
type tstFailWriter struct {
	ok    atomic.Int64
	calls atomic.Int64
}

var tstErrDisk = io.ErrShortWrite

func (w *tstFailWriter) Write(p []byte) (int, error) {
	if w.calls.Add(1) > w.ok.Load() {
		return 0, tstErrDisk
	}
	return len(p), nil
}

// tstQuiescent waits until n has not changed for 300 ms (at most 10 s)
// and returns it: the pipeline behind a blocked writer has filled up.
func tstQuiescent(n *atomic.Int64) int64 {
	last, since := n.Load(), time.Now()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		if v := n.Load(); v != last {
			last, since = v, time.Now()
		} else if time.Since(since) > 300*time.Millisecond {
			break
		}
	}
	return last
}

// tstCountingReaderAt counts ReadAt calls.
type tstCountingReaderAt struct {
	r     io.ReaderAt
	reads atomic.Int64
}

func (c *tstCountingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.reads.Add(1)
	return c.r.ReadAt(p, off)
}
