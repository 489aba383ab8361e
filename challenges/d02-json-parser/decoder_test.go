package jsonparse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestDecoderTokens(t *testing.T) {
	in := `{"a": [1, true, null], "b": {"c": "d"}, "e": -0.5e3}`
	want := []tok{
		{TokBeginObject, "{", 0, 0},
		{TokKey, `"a"`, 1, 1},
		{TokBeginArray, "[", 1, 6},
		{TokNumber, "1", 2, 7},
		{TokTrue, "true", 2, 10},
		{TokNull, "null", 2, 16},
		{TokEndArray, "]", 1, 20},
		{TokKey, `"b"`, 1, 23},
		{TokBeginObject, "{", 1, 28},
		{TokKey, `"c"`, 2, 29},
		{TokString, `"d"`, 2, 34},
		{TokEndObject, "}", 1, 37},
		{TokKey, `"e"`, 1, 40},
		{TokNumber, "-0.5e3", 1, 45},
		{TokEndObject, "}", 0, 51},
	}
	d := NewDecoder(strings.NewReader(in), Options{})
	got, err := allTokens(d)
	if err != nil {
		t.Fatalf("Token(): got error %v after %d tokens, want io.EOF after %d", err, len(got), len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tokens of %s (-want +got):\n%s", in, diff)
	}
	if _, err := d.Token(); err != io.EOF {
		t.Errorf("Token() after io.EOF: got %v, want io.EOF again", err)
	}
	if got := fmt.Sprint(TokBeginArray, TokKey, TokNumber); got != "[ key number" {
		t.Errorf("TokenKind.String(): got %q, want %q", got, "[ key number")
	}
}

// TestDecoderSplitReads: a token may be split across any number of reads,
// and a Decoder must give the same tokens whatever the read sizes, the
// same tokens Parse's tree describes.
func TestDecoderSplitReads(t *testing.T) {
	long := strings.Repeat(`ab\"c\u00e9\\`, 2000) // a 26 KB string: larger than any first buffer
	docs := []string{
		string(genDoc(3, 6_000)),
		`{"long": "` + long + `", "n": -12.5e-3, "deep": [[[{"x": [true, false, null]}]]]}`,
		"[\r\n1,\r\n\"\\ud83d\\ude00\",\r\n{}\r\n]",
		`"` + long + `"`,
		strings.Repeat("1234567890", 1000),
	}
	for _, tc := range acceptCorpus {
		docs = append(docs, tc.in)
	}
	readers := []struct {
		name string
		wrap func([]byte) io.Reader
	}{
		{"OneByteReader", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
		{"HalfReader", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }},
		{"DataErrReader", func(b []byte) io.Reader { return iotest.DataErrReader(bytes.NewReader(b)) }},
		{"chunks 1,2,3,5,7,11", func(b []byte) io.Reader { return &chunkReader{data: b, sizes: []int{1, 2, 3, 5, 7, 11}} }},
		{"chunks 4093,3", func(b []byte) io.Reader { return &chunkReader{data: b, sizes: []int{4093, 3}} }},
	}
	for i, doc := range docs {
		name := fmt.Sprintf("doc%d", i)
		if i >= 5 {
			name = acceptCorpus[i-5].name
		}
		t.Run(name, func(t *testing.T) {
			want, err := allTokens(NewDecoder(bytes.NewReader([]byte(doc)), Options{}))
			if err != nil {
				t.Fatalf("tokens from a bytes.Reader: got error %v, want none", err)
			}
			for _, k := range want {
				if end := k.Offset + int64(len(k.Raw)); k.Offset < 0 || end > int64(len(doc)) || doc[k.Offset:end] != k.Raw {
					t.Fatalf("token %+v: Raw is not the input at Offset", short(fmt.Sprint(k)))
				}
			}
			// (The tree holds one member per key, the Decoder every member.)
			if v, err := Parse([]byte(doc), Options{Duplicates: DupError}); !errors.Is(err, ErrDuplicateKey) {
				if err != nil {
					t.Fatalf("Parse: got error %v, want nil", err)
				}
				if diff := cmp.Diff(treeShapes(t, v), shapes(t, want)); diff != "" {
					t.Fatalf("Decoder tokens vs Parse's tree (-parse +decoder):\n%s", diff)
				}
			}
			for _, r := range readers {
				got, err := allTokens(NewDecoder(r.wrap([]byte(doc)), Options{}))
				if err != nil {
					t.Errorf("%s: got error %v after %d tokens, want none", r.name, err, len(got))
					continue
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: tokens differ from a bytes.Reader's (-want +got):\n%s", r.name, short(diff))
				}
			}
		})
	}
}

func TestDecoderNDJSON(t *testing.T) {
	in := "{\"a\":1}\n{\"a\":[2]}\r\n[3]\n\"x\"\n4\ntrue\n  null  \n[1][2]{}\"s\"5 6\n"
	type top struct {
		Kind   TokenKind
		Offset int64
	}
	want := []top{{'{', 0}, {'{', 8}, {'[', 19}, {'"', 23}, {'0', 27}, {'t', 29}, {'n', 36}, {'[', 43}, {'[', 46}, {'{', 49}, {'"', 51}, {'0', 54}, {'0', 56}}
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
		toks, err := allTokens(NewDecoder(r, Options{}))
		if err != nil {
			t.Fatalf("NDJSON: got error %v, want io.EOF at the end", err)
		}
		var got []top
		for _, k := range toks {
			if k.Depth == 0 && k.Kind != TokEndArray && k.Kind != TokEndObject {
				got = append(got, top{k.Kind, k.Offset})
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("top-level values of an NDJSON stream (-want +got):\n%s", diff)
		}
	}

	// A bad line stops the stream with a SyntaxError where it goes wrong.
	d := NewDecoder(strings.NewReader("{}\n[1,2]\n}\n[3]\n"), Options{})
	toks, err := allTokens(d)
	if se := syntaxErr(t, "NDJSON with a stray '}'", err); se.Offset != 9 || se.Line != 3 || se.Col != 1 {
		t.Errorf("NDJSON with a stray '}': got error at offset %d, line %d, col %d; want 9, 3, 1", se.Offset, se.Line, se.Col)
	}
	if len(toks) != 6 {
		t.Errorf("NDJSON with a stray '}': got %d tokens before the error, want 6", len(toks))
	}
	if _, err2 := d.Token(); err2 != err {
		t.Errorf("Token() after an error: got %v, want the same error %v", err2, err)
	}
}

func TestDecoderSkip(t *testing.T) {
	in := `{"a": [1, [2, 3], {"x": "y"}], "b": 2, "c": {"d": [4]}} [5, 6] "z"`
	for _, r := range []struct {
		name string
		r    io.Reader
	}{{"strings.Reader", strings.NewReader(in)}, {"OneByteReader", iotest.OneByteReader(strings.NewReader(in))}} {
		t.Run(r.name, func(t *testing.T) {
			d := NewDecoder(r.r, Options{})
			step := func(what string, wantKind TokenKind, wantRaw string, wantOffset int64) {
				t.Helper()
				k, err := d.Token()
				if err != nil || k.Kind != wantKind || string(k.Raw) != wantRaw || k.Offset != wantOffset {
					t.Fatalf("%s: got (%v %q at %d, %v), want (%v %q at %d, nil)", what, k.Kind, k.Raw, k.Offset, err, wantKind, wantRaw, wantOffset)
				}
			}
			skip := func(what string) {
				t.Helper()
				if err := d.Skip(); err != nil {
					t.Fatalf("%s: got error %v, want nil", what, err)
				}
			}
			step("first token", TokBeginObject, "{", 0)
			skip(`Skip() before key "a"`)
			step(`Token() after skipping member "a"`, TokKey, `"b"`, 31)
			step(`value of "b"`, TokNumber, "2", 36)
			skip(`Skip() before key "c"`)
			if err := d.Skip(); err == nil {
				t.Fatalf("Skip() before '}': got nil, want an error")
			}
			step("Token() after a failed Skip() at the end", TokEndObject, "}", 54)
			skip("Skip() of the top-level array")
			step("the value after the skipped array", TokString, `"z"`, 63)
			if err := d.Skip(); err != io.EOF {
				t.Errorf("Skip() at the end of the input: got %v, want io.EOF", err)
			}
		})
	}

	d := NewDecoder(strings.NewReader(`[1, [2,, 3]]`), Options{})
	if _, err := d.Token(); err != nil {
		t.Fatalf("Token(): got error %v, want nil", err)
	}
	d.Skip() // 1
	se := syntaxErr(t, "Skip() of [2,, 3]", d.Skip())
	if se.Offset != 7 {
		t.Errorf("Skip() of [2,, 3]: got Offset %d, want 7", se.Offset)
	}

	// Skipping a huge value holds no more than one token at a time.
	big := "[" + strings.Repeat(`{"k": [1, 2, "three"]}, `, 20_000) + "0]"
	cr := &countingReader{r: strings.NewReader(big)}
	d = NewDecoder(cr, Options{})
	if err := d.Skip(); err != nil {
		t.Fatalf("Skip() of a 480 KB array: got error %v, want nil", err)
	}
	if _, err := d.Token(); err != io.EOF {
		t.Errorf("Token() after skipping the only value: got %v, want io.EOF", err)
	}
	if cr.maxRead > 1<<16 {
		t.Errorf("Skip() of a 480 KB array of small tokens: got a read of %d bytes, want the buffer to stay under 64 KB", cr.maxRead)
	}
}

// countingReader records the largest read it was asked for.
type countingReader struct {
	r       io.Reader
	n       int64
	maxRead int
}

func (c *countingReader) Read(p []byte) (int, error) {
	c.maxRead = max(c.maxRead, len(p))
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestDecoderErrors(t *testing.T) {
	d := NewDecoder(strings.NewReader("[1, 2"), Options{})
	_, err := allTokens(d)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("[1, 2 then EOF: got error %v, want io.ErrUnexpectedEOF", err)
	}
	if se := syntaxErr(t, "[1, 2 then EOF", err); se.Offset != 5 {
		t.Errorf("[1, 2 then EOF: got Offset %d, want 5", se.Offset)
	}
	if _, err2 := d.Token(); err2 != err {
		t.Errorf("Token() after an error: got %v, want the same error again", err2)
	}
	if err2 := d.Skip(); err2 != err {
		t.Errorf("Skip() after an error: got %v, want the same error again", err2)
	}

	boom := errors.New("connection reset")
	d = NewDecoder(io.MultiReader(strings.NewReader(`[1, "ab`), iotest.ErrReader(boom)), Options{})
	toks, err := allTokens(d)
	if !errors.Is(err, boom) {
		t.Errorf("reader failing mid-string: got error %v, want the reader's error", err)
	}
	if len(toks) != 2 {
		t.Errorf("reader failing mid-string: got %d tokens, want 2 ([ and 1)", len(toks))
	}

	for _, tc := range []struct {
		in     string
		offset int64
	}{
		{"[1 2]", 3},
		{`{"a":1,}`, 7},
		{"[\"a\x01\"]", 3},
		{"[01]", 2},
		{`{"a" 1}`, 5},
		{"nul", 3},
		{"[1,]", 3},
		{"]", 0},
	} {
		_, err := allTokens(NewDecoder(iotest.OneByteReader(strings.NewReader(tc.in)), Options{}))
		if se := syntaxErr(t, fmt.Sprintf("Decoder on %q", tc.in), err); se.Offset != tc.offset {
			t.Errorf("Decoder on %q: got Offset %d, want %d", tc.in, se.Offset, tc.offset)
		}
	}
}

// TestDecoderErrorPosition: the Decoder reports the same position as
// Parse, however the input is split (a "\r\n" split across two reads is
// still one line break).
func TestDecoderErrorPosition(t *testing.T) {
	for _, tc := range errorPositionCases {
		for _, sizes := range [][]int{{1}, {2, 3}, {1 << 20}} {
			r := &chunkReader{data: []byte(tc.in), sizes: sizes}
			_, err := allTokens(NewDecoder(r, Options{}))
			if tc.name == "empty input" || tc.name == "only whitespace" {
				if err != nil {
					t.Errorf("%s, reads of %v: got error %v, want a clean io.EOF (a stream may be empty)", tc.name, sizes, err)
				}
				continue
			}
			se := syntaxErr(t, fmt.Sprintf("%s, reads of %v", tc.name, sizes), err)
			got := [3]int64{se.Offset, int64(se.Line), int64(se.Col)}
			want := [3]int64{tc.offset, int64(tc.line), int64(tc.col)}
			if got != want {
				t.Errorf("Decoder on %q, reads of %v: got offset %d, line %d, col %d; want offset %d, line %d, col %d", tc.in, sizes, got[0], got[1], got[2], want[0], want[1], want[2])
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("Decoder on %q: got error %v, want it to wrap %v", tc.in, err, tc.cause)
			}
		}
	}
}

func TestDecoderDeepNesting(t *testing.T) {
	d := NewDecoder(bytes.NewReader([]byte(strings.Repeat("[", 1_000_000))), Options{})
	toks, err := allTokens(d)
	if !errors.Is(err, ErrMaxDepth) {
		t.Fatalf("Decoder on 1,000,000 × '[': got error %v, want ErrMaxDepth", err)
	}
	if se := syntaxErr(t, "Decoder on 1,000,000 × '['", err); se.Offset != DefaultMaxDepth || len(toks) != DefaultMaxDepth {
		t.Errorf("Decoder on 1,000,000 × '[': got the error at offset %d after %d tokens, want offset %d after %d", se.Offset, len(toks), DefaultMaxDepth, DefaultMaxDepth)
	}

	_, err = allTokens(NewDecoder(strings.NewReader(`[{"a": [[1]]}]`), Options{MaxDepth: 3}))
	if se := syntaxErr(t, "MaxDepth 3", err); !errors.Is(err, ErrMaxDepth) || se.Offset != 8 {
		t.Errorf(`Decoder on [{"a": [[1]]}] with MaxDepth 3: got error %v at offset %d, want ErrMaxDepth at 8`, err, se.Offset)
	}
	if _, err := allTokens(NewDecoder(strings.NewReader(`[{"a": [1]}] [[[]]]`), Options{MaxDepth: 3})); err != nil {
		t.Errorf("Decoder on values 3 deep with MaxDepth 3: got error %v, want nil", err)
	}
}

func TestDecoderMaxBytes(t *testing.T) {
	// MaxBytes bounds each top-level value, not the stream.
	d := NewDecoder(strings.NewReader("[1,2,3]\n\"abcdefghijklm\"\n[1, 2, 3, 4, 5, 6, 7]\n"), Options{MaxBytes: 16})
	toks, err := allTokens(d)
	if !errors.Is(err, ErrMaxBytes) {
		t.Fatalf("third value over MaxBytes 16: got error %v, want ErrMaxBytes", err)
	}
	if se := syntaxErr(t, "MaxBytes", err); se.Offset != 24+16 || se.Line != 3 || se.Col != 17 {
		t.Errorf("third value over MaxBytes 16: got offset %d, line %d, col %d; want 40, 3, 17", se.Offset, se.Line, se.Col)
	}
	if len(toks) != 5+1+6 {
		t.Errorf("third value over MaxBytes 16: got %d tokens before the error, want 12", len(toks))
	}

	// The limit also bounds memory: an endless string or an endless run
	// of whitespace inside an array stops at MaxBytes, not at the end of
	// the input (there is none).
	for _, start := range []string{`"`, "[", `{"k": [1, "`} {
		fill := byte('x')
		if start == "[" {
			fill = ' '
		}
		cr := &countingReader{r: &endless{start: []byte(start), fill: fill}}
		_, err := allTokens(NewDecoder(cr, Options{MaxBytes: 1 << 16}))
		if !errors.Is(err, ErrMaxBytes) {
			t.Errorf("endless %q...: got error %v, want ErrMaxBytes", start, err)
		}
		if cr.n > 1<<18 {
			t.Errorf("endless %q... with MaxBytes 64 KB: got %d bytes read, want at most 256 KB", start, cr.n)
		}
	}
}

// endless yields start, then fill bytes forever (up to 64 MB, then an
// error, so a Decoder that ignores MaxBytes fails instead of exhausting
// memory).
type endless struct {
	start []byte
	fill  byte
	n     int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.n > 64<<20 {
		return 0, errors.New("endless: read 64 MB, giving up")
	}
	n := copy(p, e.start)
	e.start = e.start[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.fill
	}
	e.n += len(p)
	return len(p), nil
}

func TestDecoderStrictUTF8(t *testing.T) {
	in := "[\"ok\", \"\xff\"]"
	toks, err := allTokens(NewDecoder(strings.NewReader(in), Options{}))
	if err != nil || len(toks) != 4 || toks[2].Raw != "\"\xff\"" {
		t.Errorf("default options on %q: got %d tokens, error %v; want 4 tokens, the third with Raw %q", in, len(toks), err, "\"\xff\"")
	}
	_, err = allTokens(NewDecoder(strings.NewReader(in), Options{StrictUTF8: true}))
	if se := syntaxErr(t, "StrictUTF8", err); se.Offset != 8 {
		t.Errorf("StrictUTF8 on %q: got Offset %d, want 8", in, se.Offset)
	}
	_, err = allTokens(NewDecoder(strings.NewReader(`{"\udc00": 1}`), Options{StrictUTF8: true}))
	if se := syntaxErr(t, "StrictUTF8", err); se.Offset != 2 {
		t.Errorf(`StrictUTF8 on {"\udc00": 1}: got Offset %d, want 2`, se.Offset)
	}
}
