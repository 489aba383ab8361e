package jsonparse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// short quotes s for a test message, eliding the middle of long inputs.
func short(s string) string {
	if len(s) > 60 {
		return fmt.Sprintf("%q...(%d bytes)", s[:40], len(s))
	}
	return strconv.Quote(s)
}

// maxTokens bounds every token loop, so a Decoder that never returns an
// error fails the test instead of hanging it.
const maxTokens = 1 << 22

// decodeOne reads data with a Decoder and returns nil if it holds exactly
// one JSON value (then io.EOF).
func decodeOne(data []byte, o Options) error {
	d := NewDecoder(bytes.NewReader(data), o)
	tok, err := d.Token()
	if err != nil {
		return err
	}
	for n := 0; tok.Depth > 0 || tok.Kind == TokBeginArray || tok.Kind == TokBeginObject; n++ {
		if n == maxTokens {
			return errors.New("no end after maxTokens tokens")
		}
		if tok, err = d.Token(); err != nil {
			return err
		}
		if tok.Depth == 0 && (tok.Kind == TokEndArray || tok.Kind == TokEndObject) {
			break
		}
	}
	if tok, err := d.Token(); err != io.EOF {
		return fmt.Errorf("after the first value: got (%v, %v), want io.EOF", tok, err)
	}
	return nil
}

// tok is a Token with Raw copied, for comparisons.
type tok struct {
	Kind   TokenKind
	Raw    string
	Depth  int
	Offset int64
}

// allTokens reads every token from d until io.EOF (returned as nil) or an
// error.
func allTokens(d *Decoder) ([]tok, error) {
	var out []tok
	for range maxTokens {
		t, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, tok{t.Kind, string(t.Raw), t.Depth, t.Offset})
	}
	return out, errors.New("no io.EOF after maxTokens tokens")
}

// shape is a token without its position: what a Value tree can tell.
type shape struct {
	Kind  TokenKind
	Text  string // decoded for strings and keys, Raw otherwise
	Depth int
}

// shapes turns Decoder tokens into shapes, decoding strings with
// encoding/json.
func shapes(t *testing.T, toks []tok) []shape {
	t.Helper()
	out := make([]shape, 0, len(toks))
	for _, k := range toks {
		text := k.Raw
		if k.Kind == TokString || k.Kind == TokKey {
			if err := json.Unmarshal([]byte(k.Raw), &text); err != nil {
				t.Fatalf("token %+v: Raw is not a JSON string: %v", k, err)
			}
		}
		out = append(out, shape{k.Kind, text, k.Depth})
	}
	return out
}

// treeShapes walks a Value (iteratively) and lists the tokens a Decoder
// would report for it.
func treeShapes(t *testing.T, v Value) []shape {
	t.Helper()
	var out []shape
	type item struct {
		v     Value
		key   string
		isKey bool
		end   TokenKind // a closing delimiter to emit instead of a value
		depth int
	}
	stack := []item{{v: v}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.end != 0 {
			out = append(out, shape{it.end, string(rune(it.end)), it.depth})
			continue
		}
		if it.isKey {
			out = append(out, shape{TokKey, it.key, it.depth})
		}
		switch it.v.Kind() {
		case Null:
			out = append(out, shape{TokNull, "null", it.depth})
		case Bool:
			b, _ := it.v.Bool()
			k := TokFalse
			if b {
				k = TokTrue
			}
			out = append(out, shape{k, strconv.FormatBool(b), it.depth})
		case Number:
			out = append(out, shape{TokNumber, it.v.Number(), it.depth})
		case String:
			s, err := it.v.Str()
			if err != nil {
				t.Fatalf("Str() of a String: got error %v", err)
			}
			out = append(out, shape{TokString, s, it.depth})
		case Array:
			out = append(out, shape{TokBeginArray, "[", it.depth})
			stack = append(stack, item{end: TokEndArray, depth: it.depth})
			var kids []item
			for e := range it.v.Elements() {
				kids = append(kids, item{v: e, depth: it.depth + 1})
			}
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, kids[i])
			}
		case Object:
			out = append(out, shape{TokBeginObject, "{", it.depth})
			stack = append(stack, item{end: TokEndObject, depth: it.depth})
			var kids []item
			for k, m := range it.v.Members() {
				kids = append(kids, item{v: m, key: k, isKey: true, depth: it.depth + 1})
			}
			for i := len(kids) - 1; i >= 0; i-- {
				stack = append(stack, kids[i])
			}
		default:
			t.Fatalf("Value of kind %v inside a parsed document", it.v.Kind())
		}
	}
	return out
}

// toAny converts a Value to what encoding/json's UseNumber decoding into
// an `any` produces. Recursive: for test documents of modest depth.
func toAny(t *testing.T, v Value) any {
	t.Helper()
	switch v.Kind() {
	case Null:
		return nil
	case Bool:
		b, err := v.Bool()
		if err != nil {
			t.Fatalf("Bool() of a Bool: got error %v", err)
		}
		return b
	case Number:
		return json.Number(v.Number())
	case String:
		s, err := v.Str()
		if err != nil {
			t.Fatalf("Str() of a String: got error %v", err)
		}
		return s
	case Array:
		out := []any{}
		for e := range v.Elements() {
			out = append(out, toAny(t, e))
		}
		return out
	case Object:
		out := map[string]any{}
		for k, m := range v.Members() {
			out[k] = toAny(t, m)
		}
		return out
	}
	t.Fatalf("Value of kind %v inside a parsed document", v.Kind())
	return nil
}

// decodeStd decodes data the way the oracle does.
func decodeStd(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json decode of %s: %v", short(string(data)), err)
	}
	return v
}

// mustParse parses data or fails the test.
func mustParse(t *testing.T, data string, o Options) Value {
	t.Helper()
	v, err := Parse([]byte(data), o)
	if err != nil {
		t.Fatalf("Parse(%s): got error %v, want nil", short(data), err)
	}
	return v
}

// syntaxErr returns err as a *SyntaxError or fails the test.
func syntaxErr(t *testing.T, what string, err error) *SyntaxError {
	t.Helper()
	se, ok := errors.AsType[*SyntaxError](err)
	if !ok {
		t.Fatalf("%s: got error %v, want a *SyntaxError", what, err)
	}
	return se
}

// chunkReader returns the data in reads of the given sizes, cycling.
type chunkReader struct {
	data  []byte
	sizes []int
	i     int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(r.sizes[r.i%len(r.sizes)], len(p), len(r.data))
	r.i++
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

// genDoc builds a deterministic document of about size bytes: an array of
// records the way an API would return them.
func genDoc(seed uint64, size int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	words := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu"}
	var b strings.Builder
	b.WriteString("[\n")
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `  {"id": %d, "name": "%s %s", "active": %t, "score": %.3f, "ratio": %de-%d,`,
			i, words[rng.IntN(len(words))], words[rng.IntN(len(words))], rng.IntN(2) == 0, rng.Float64()*1000, rng.IntN(1000), rng.IntN(20))
		fmt.Fprintf(&b, ` "tags": ["%s", "%s", "%s"], "owner": {"login": "user%d", "email": "u%d@example.com", "bio": "likes \"quotes\", tabs\tand caf\u00e9 \u263a"},`,
			words[rng.IntN(len(words))], words[rng.IntN(len(words))], words[rng.IntN(len(words))], rng.IntN(5000), rng.IntN(5000))
		fmt.Fprintf(&b, ` "history": [%d, %d, %d, %d, %d], "parent": null, "path": "/srv/data/%d/item-%d.json"}`,
			rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(50), i)
	}
	b.WriteString("\n]\n")
	return []byte(b.String())
}
