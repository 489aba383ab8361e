package jsonparse

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks Parse against encoding/json, the differential oracle:
// with the default options a document is accepted exactly when json.Valid
// accepts it, and then it holds the values a UseNumber decode produces.
// The Decoder must agree too, however its input is split.
//
// `go test` runs the seeds below on every save; `go test -fuzz FuzzParse`
// explores from them (failures land in testdata/fuzz/FuzzParse).
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"a": [1, 2.5e-3, -0, true, false, null], "b": {"c": "d\n\u00e9"}}`,
		`[]`, `{}`, `""`, `0`, `-0.0e+0`, ` [ 1 , "x" ] `,
		`"\ud83d\ude00 \ud800 \udc00"`, "\"\xff\xfe\"", `{"a":1,"a":2}`, `{"\u0061":1,"a":2}`,
		`1e400`, `123456789012345678901234567890`, `[[[[[[[[[[]]]]]]]]]]`,
		`[1,]`, `{"a"}`, `01`, `[1 2]`, "\"\x01\"", `{"a":1}x`, `nul`, `"\u12"`, "[\"a\"\r\n,\r\n2]",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data, Options{})
		valid := json.Valid(data)
		if valid != (err == nil) {
			t.Fatalf("Parse(%q): got error %v, but json.Valid says %v", data, err, valid)
		}
		if !valid {
			syntaxErr(t, "Parse of invalid input", err)
		} else if diff := cmp.Diff(decodeStd(t, data), toAny(t, v)); diff != "" {
			t.Fatalf("Parse(%q) vs encoding/json with UseNumber (-json +parse):\n%s", data, diff)
		}

		if got := decodeOne(data, Options{}); valid != (got == nil) {
			t.Fatalf("Decoder on %q: got %v, but json.Valid says %v", data, got, valid)
		}
		want, wantErr := allTokens(NewDecoder(bytes.NewReader(data), Options{}))
		got, gotErr := allTokens(NewDecoder(iotest.OneByteReader(bytes.NewReader(data)), Options{}))
		if diff := cmp.Diff(want, got); diff != "" || (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("Decoder on %q: one byte at a time got (%v), all at once (%v); tokens (-all +one):\n%s", data, gotErr, wantErr, diff)
		}
	})
}
