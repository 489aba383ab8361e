package jsonparse

import (
	"encoding/json"
	"io"
	"testing"
)

var (
	benchDoc = genDoc(42, 100_000) // about 100 KB
	sinkV    Value
	sinkAny  any
	sinkTok  Token
)

// BenchmarkParse is gated: at most 0.7× the time of BenchmarkUnmarshalAny
// and at most a quarter of its allocations.
func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := Parse(benchDoc, Options{})
		if err != nil {
			b.Fatalf("Parse: %v", err)
		}
		sinkV = v
	}
}

// BenchmarkUnmarshalAny is the baseline: encoding/json into an any.
func BenchmarkUnmarshalAny(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(benchDoc, &v); err != nil {
			b.Fatalf("Unmarshal: %v", err)
		}
		sinkAny = v
	}
}

// BenchmarkDecoderToken is gated at 0 allocs/op: one op is one Token call
// on an endless NDJSON stream of the benchmark document.
func BenchmarkDecoderToken(b *testing.B) {
	d := NewDecoder(&repeatReader{data: benchDoc}, Options{})
	b.ReportAllocs()
	for b.Loop() {
		t, err := d.Token()
		if err != nil {
			b.Fatalf("Token: %v", err)
		}
		sinkTok = t
	}
}

// repeatReader yields data over and over.
type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := copy(p, r.data[r.off:])
	r.off = (r.off + n) % len(r.data)
	return n, nil
}

var _ io.Reader = (*repeatReader)(nil)
