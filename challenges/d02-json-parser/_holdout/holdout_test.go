package jsonparse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestHoldoutCorpus(t *testing.T) {
	accept := []string{
		"[\"a\"]\n", `[1E22]`, `[0.5]`, `{"":""}`, `[[[[[]]]]]`, `{"a":{"b":{"c":[]}}}`,
		`["\u0000\u001f"]`, `["\uDBFF\uDFFE"]`, `"\u2028\u2029"`, "\t\r\n 7 \t\r\n",
		`[-1e-7, 1E+7, 0.0, -0.0e-0]`, `{"k":null,"l":false,"m":true}`,
	}
	reject := []string{
		`[0.3e]`, `[0e]`, `[0e+]`, `[1.0e+]`, `[1.0e]`, `[2.e+3]`, `[2.e-3]`, `[9.e+]`, `[0x42]`,
		`[-123.123foo]`, `[-foo]`, `[-1x]`, `[1.8011670033376514H-308]`, `{9999E9999:1}`,
		`{"a":"b"}/**//`, `{"a":"b"}//`, `["\uD800\u"]`, `["\uD800\u1"]`, `[,`, `{`, `{,`,
		`["a"`, `{'a'`, `[1`, `[ true, fals`, "a\xc3\xa5", "\xc3\xa5", `[\u000A""]`,
		"[\xe2\x81\xa0]", `["x",,]`, `[1,,]`, "[1,\n1\n,1", `{"a":1 "b":2}`, `[true false]`,
		`{"a":1}}`, `[[]`, `[]]`, `"\u"`, `"\uD83D\uDE0"`, "[\"\\u00e9\" \x00]", `-`, `--1`, `1-`,
	}
	for _, in := range accept {
		if _, err := Parse([]byte(in), Options{}); err != nil {
			t.Errorf("Parse(%q): got error %v, want nil", in, err)
		}
		if err := decodeOne([]byte(in), Options{}); err != nil {
			t.Errorf("Decoder on %q: got %v, want one value", in, err)
		}
	}
	for _, in := range reject {
		if json.Valid([]byte(in)) {
			t.Fatalf("hold-out table: json.Valid(%q) is true", in)
		}
		_, err := Parse([]byte(in), Options{})
		if _, ok := errors.AsType[*SyntaxError](err); !ok {
			t.Errorf("Parse(%q): got %v, want a *SyntaxError", in, err)
		}
		if err := decodeOne([]byte(in), Options{}); err == nil {
			t.Errorf("Decoder on %q: got one valid value, want an error", in)
		}
	}
}

func TestHoldoutPositions(t *testing.T) {
	for _, tc := range []struct {
		in                string
		offset, line, col int
	}{
		{"{\r\n\t\"k\": [\r\n\t\ttrue,\r\n\t\tfalse x", 29, 4, 9},
		{"\r\r\n\n\r[1, 2,\r\n ]", 14, 6, 2},
		{"[\n\"tab\tinside\"]", 6, 2, 5},
		{"{\"a\":\r\n  1,\r\n  \"b\":\r\n  2,\r\n  3}", 29, 5, 3},
	} {
		_, err := Parse([]byte(tc.in), Options{})
		se, ok := errors.AsType[*SyntaxError](err)
		if !ok || se.Offset != int64(tc.offset) || se.Line != tc.line || se.Col != tc.col {
			t.Errorf("Parse(%q): got %v, want a SyntaxError at offset %d, line %d, col %d", tc.in, err, tc.offset, tc.line, tc.col)
		}
		for _, sizes := range [][]int{{1}, {3, 1, 4, 1, 5, 9, 2, 6}} {
			_, err := allTokens(NewDecoder(&chunkReader{data: []byte(tc.in), sizes: sizes}, Options{}))
			se, ok := errors.AsType[*SyntaxError](err)
			if !ok || se.Offset != int64(tc.offset) || se.Line != tc.line || se.Col != tc.col {
				t.Errorf("Decoder on %q, reads %v: got %v, want a SyntaxError at offset %d, line %d, col %d", tc.in, sizes, err, tc.offset, tc.line, tc.col)
			}
		}
	}
}

func TestHoldoutDeepObjects(t *testing.T) {
	in := []byte(strings.Repeat(`{"a":`, 1_000_000))
	_, err := Parse(in, Options{})
	se, ok := errors.AsType[*SyntaxError](err)
	if !errors.Is(err, ErrMaxDepth) || !ok || se.Offset != 5*DefaultMaxDepth {
		t.Errorf("Parse(1,000,000 × {\"a\":): got %v, want ErrMaxDepth at offset %d", err, 5*DefaultMaxDepth)
	}
	_, err = allTokens(NewDecoder(bytes.NewReader(in), Options{MaxDepth: 77}))
	se, ok = errors.AsType[*SyntaxError](err)
	if !errors.Is(err, ErrMaxDepth) || !ok || se.Offset != 5*77 {
		t.Errorf("Decoder(1,000,000 × {\"a\":, MaxDepth 77): got %v, want ErrMaxDepth at offset %d", err, 5*77)
	}
	ok77 := strings.Repeat("[", 77) + strings.Repeat("]", 77)
	if _, err := Parse([]byte(ok77), Options{MaxDepth: 77}); err != nil {
		t.Errorf("Parse(77 nested, MaxDepth 77): got %v, want nil", err)
	}
}

func TestHoldoutBoundaries(t *testing.T) {
	for _, n := range []int{15, 16, 17, 18, 64} {
		var a, o strings.Builder
		a.WriteString("[")
		o.WriteString("{")
		for i := range n {
			if i > 0 {
				a.WriteString(",")
				o.WriteString(",")
			}
			fmt.Fprintf(&a, `"e%d"`, i)
			fmt.Fprintf(&o, `"m%d":%d`, n-1-i, i)
		}
		fmt.Fprintf(&o, `,"m%d":"dup"`, n/2)
		a.WriteString("]")
		o.WriteString("}")
		av := mustParse(t, a.String(), Options{})
		for i := n - 1; i >= 0; i-- {
			if s, _ := av.Index(i).Str(); s != fmt.Sprintf("e%d", i) {
				t.Errorf("%d elements: Index(%d): got %q, want %q", n, i, s, fmt.Sprintf("e%d", i))
			}
		}
		ov := mustParse(t, o.String(), Options{})
		if ov.Len() != n {
			t.Errorf("%d members plus a duplicate: Len(): got %d, want %d", n, ov.Len(), n)
		}
		for i := range n {
			want := fmt.Sprint(n - 1 - i)
			if i == n/2 {
				want = `"dup"`
			}
			if m, ok := ov.Get(fmt.Sprintf("m%d", i)); !ok || string(m.Raw()) != want {
				t.Errorf("%d members: Get(m%d): got (%q, %v), want (%q, true)", n, i, m.Raw(), ok, want)
			}
		}
		var last string
		for k := range ov.Members() {
			last = k
		}
		if want := fmt.Sprintf("m%d", n/2); last != want {
			t.Errorf("%d members, DupLast: last member: got %q, want %q (the duplicate, where it appears)", n, last, want)
		}
		_, err := Parse([]byte(o.String()), Options{Duplicates: DupError})
		se, ok := errors.AsType[*SyntaxError](err)
		if want := int64(strings.LastIndex(o.String(), fmt.Sprintf(`"m%d"`, n/2))); !errors.Is(err, ErrDuplicateKey) || !ok || se.Offset != want {
			t.Errorf("%d members, DupError: got %v, want ErrDuplicateKey at %d", n, err, want)
		}
	}
}

func TestHoldoutNumbersAndPointers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		f    float64
		ferr error
		i    int64
		ierr error
	}{
		{"18446744073709551616", 18446744073709551616, nil, 0, ErrRange},
		{"1E308", 1e308, nil, 0, ErrType},
		{"1.8e308", math.Inf(1), ErrRange, 0, ErrType},
		{"4.9e-324", 5e-324, nil, 0, ErrType},
		{"-9223372036854775807", -9223372036854775807, nil, -9223372036854775807, nil},
		{"100000000000000000000000000000000000000000e-40", 10, nil, 0, ErrType},
	} {
		v := mustParse(t, tc.in, Options{})
		f, ferr := v.Float64()
		i, ierr := v.Int64()
		if f != tc.f || !errors.Is(ferr, tc.ferr) || (ferr == nil) != (tc.ferr == nil) {
			t.Errorf("%s.Float64(): got (%v, %v), want (%v, %v)", tc.in, f, ferr, tc.f, tc.ferr)
		}
		if i != tc.i || !errors.Is(ierr, tc.ierr) || (ierr == nil) != (tc.ierr == nil) {
			t.Errorf("%s.Int64(): got (%v, %v), want (%v, %v)", tc.in, i, ierr, tc.i, tc.ierr)
		}
		if v.Number() != tc.in {
			t.Errorf("Number(): got %q, want %q", v.Number(), tc.in)
		}
	}
	doc := mustParse(t, `[[1,2],[3,[4,5]],{"/":{"~":"tilde"}}]`, Options{})
	for _, tc := range []struct{ p, raw string }{
		{"/1/1/0", "4"}, {"/0", "[1,2]"}, {"/2/~1/~0", `"tilde"`}, {"/1/1", "[4,5]"},
	} {
		if v, err := doc.Pointer(tc.p); err != nil || string(v.Raw()) != tc.raw {
			t.Errorf("Pointer(%q): got (%q, %v), want (%q, nil)", tc.p, v.Raw(), err, tc.raw)
		}
	}
	for _, p := range []string{"/3", "/1/1/2", "/0/1/0", "/2/~0", "/00", "/1/"} {
		if _, err := doc.Pointer(p); !errors.Is(err, ErrNotFound) {
			t.Errorf("Pointer(%q): got %v, want ErrNotFound", p, err)
		}
	}
	if _, err := doc.Pointer("/2/~"); !errors.Is(err, ErrPointer) {
		t.Errorf("Pointer(\"/2/~\"): got %v, want ErrPointer", err)
	}
}

// genValue writes a random JSON value: keys from a small set (so objects
// repeat keys), strings with escapes, surrogates and invalid UTF-8.
func genValue(rng *rand.Rand, b *strings.Builder, depth int) {
	ws := func() {
		b.WriteString([]string{"", "", " ", "\n", "\r\n", "\t"}[rng.IntN(6)])
	}
	str := func() {
		b.WriteByte('"')
		for range rng.IntN(8) {
			b.WriteString([]string{"a", "é", `\n`, `\"`, `\\`, `\u00e9`, `\ud83d\ude00`, `\ud800`, "\xff", "\xe2\x82", `\/`, "☺", " "}[rng.IntN(13)])
		}
		b.WriteByte('"')
	}
	switch k := rng.IntN(10); {
	case depth > 4 || k < 2:
		b.WriteString([]string{"0", "-1", "12.5", "1e3", "-0.0", "1E-7", "99999999999999999999", "3.14159"}[rng.IntN(8)])
	case k < 4:
		str()
	case k < 5:
		b.WriteString([]string{"true", "false", "null"}[rng.IntN(3)])
	case k < 7:
		b.WriteByte('[')
		for i := range rng.IntN(max(3, 24>>depth)) {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			genValue(rng, b, depth+1)
			ws()
		}
		b.WriteByte(']')
	default:
		b.WriteByte('{')
		for i := range rng.IntN(max(3, 24>>depth)) {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			if rng.IntN(4) == 0 {
				str()
			} else {
				fmt.Fprintf(b, `"k%d"`, rng.IntN(12))
			}
			ws()
			b.WriteByte(':')
			ws()
			genValue(rng, b, depth+1)
		}
		b.WriteByte('}')
	}
}

func TestHoldoutRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(2027, 11))
	for n := range 100 {
		var b strings.Builder
		genValue(rng, &b, 0)
		data := []byte(b.String())
		v, err := Parse(data, Options{})
		if err != nil {
			t.Fatalf("doc %d: Parse(%s): got %v, want nil", n, short(b.String()), err)
		}
		if diff := cmp.Diff(decodeStd(t, data), toAny(t, v)); diff != "" {
			t.Fatalf("doc %d: Parse(%s) vs encoding/json (-json +parse):\n%s", n, short(b.String()), diff)
		}
		want, err := allTokens(NewDecoder(bytes.NewReader(data), Options{}))
		if err != nil {
			t.Fatalf("doc %d: Decoder: %v", n, err)
		}
		var r io.Reader = &chunkReader{data: data, sizes: []int{1 + rng.IntN(7), 1 + rng.IntN(300)}}
		if n%3 == 0 {
			r = iotest.HalfReader(bytes.NewReader(data))
		}
		got, err := allTokens(NewDecoder(r, Options{}))
		if err != nil || !cmp.Equal(want, got) {
			t.Fatalf("doc %d: Decoder over split reads: got %d tokens (%v), want %d equal to an unsplit read", n, len(got), err, len(want))
		}
		// Break the document: cut it short, it must be rejected everywhere.
		if len(data) > 2 {
			cut := data[:1+rng.IntN(len(data)-1)]
			_, perr := Parse(cut, Options{})
			if (perr == nil) != json.Valid(cut) {
				t.Fatalf("doc %d cut to %q: Parse got %v, json.Valid %v", n, cut, perr, json.Valid(cut))
			}
		}
	}
}

func TestHoldoutDecoderSkipHalfReader(t *testing.T) {
	in := `{"skip": {"a": [1, {"b": "}]"}]}, "keep": "\"yes\""}` + "\n" + `[{"x": 1}, 2]`
	d := NewDecoder(iotest.HalfReader(strings.NewReader(in)), Options{})
	if tk, err := d.Token(); err != nil || tk.Kind != TokBeginObject {
		t.Fatalf("Token(): got (%v, %v), want {", tk.Kind, err)
	}
	if err := d.Skip(); err != nil {
		t.Fatalf("Skip(): got %v, want nil", err)
	}
	if tk, err := d.Token(); err != nil || string(tk.Raw) != `"keep"` || tk.Depth != 1 {
		t.Fatalf("Token() after Skip(): got (%q depth %d, %v), want (\"keep\" depth 1, nil)", tk.Raw, tk.Depth, err)
	}
	if err := d.Skip(); err != nil {
		t.Fatalf("Skip() of a string: got %v", err)
	}
	if tk, err := d.Token(); err != nil || tk.Kind != TokEndObject || tk.Offset != 51 {
		t.Fatalf("Token(): got (%v at %d, %v), want } at 51", tk.Kind, tk.Offset, err)
	}
	if err := d.Skip(); err != nil {
		t.Fatalf("Skip() of the second line: got %v", err)
	}
	if err := d.Skip(); err != io.EOF {
		t.Errorf("Skip() at the end: got %v, want io.EOF", err)
	}
}
