package pgz

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"
)

const tstBenchSize = 16 << 20

func benchCompress(b *testing.B, workers int) {
	o := Options{BlockSize: 1 << 20, Workers: workers, Level: gzip.DefaultCompression, MaxInFlight: 2 * workers}
	tstCorpus()
	// Warm the pools (blocks, compressors) so the first timed run measures
	// the steady state: b.Loop resets the counters on its first call.
	if _, err := Compress(context.Background(), io.Discard, &tstReader{n: 4 << 20}, o); err != nil {
		b.Fatalf("Compress: %v", err)
	}
	b.SetBytes(tstBenchSize)
	b.ReportAllocs()
	for b.Loop() {
		m, err := Compress(context.Background(), io.Discard, &tstReader{n: tstBenchSize}, o)
		if err != nil {
			b.Fatalf("Compress: %v", err)
		}
		if len(m.Blocks) != tstBenchSize>>20 {
			b.Fatalf("got %d blocks, want %d", len(m.Blocks), tstBenchSize>>20)
		}
	}
}

// BenchmarkCompressWorkers2 is gated: 16 MiB of text at level 6 in 1 MiB
// blocks with two workers must take at most 0.7× BenchmarkCompressWorkers1
// (a speed-up of at least 1.43× on two cores) and make at most 100
// allocations per run of 16 blocks.
func BenchmarkCompressWorkers2(b *testing.B) { benchCompress(b, 2) }

// BenchmarkCompressWorkers1 is the baseline: the same pipeline, one worker.
func BenchmarkCompressWorkers1(b *testing.B) { benchCompress(b, 1) }

// BenchmarkDecompress is not gated: 16 MiB back, two workers.
func BenchmarkDecompress(b *testing.B) {
	var out bytes.Buffer
	m, err := Compress(context.Background(), &out, &tstReader{n: tstBenchSize}, Options{BlockSize: 1 << 20, Workers: 2, Level: gzip.DefaultCompression, MaxInFlight: 4})
	if err != nil {
		b.Fatalf("Compress: %v", err)
	}
	src := bytes.NewReader(out.Bytes())
	b.SetBytes(tstBenchSize)
	b.ReportAllocs()
	for b.Loop() {
		if err := Decompress(context.Background(), io.Discard, src, m, 2); err != nil {
			b.Fatalf("Decompress: %v", err)
		}
	}
}
