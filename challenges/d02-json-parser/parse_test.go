package jsonparse

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ExampleParse() {
	v, err := Parse([]byte(`{"name": "gopher", "langs": ["go", "c"], "born": 2009}`), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	name, _ := v.Get("name")
	s, _ := name.Str()
	first, _ := v.Pointer("/langs/0")
	lang, _ := first.Str()
	born, _ := v.Get("born")
	year, _ := born.Int64()
	fmt.Println(s, lang, year)
	for k, m := range v.Members() {
		fmt.Println(k, m.Kind())
	}
	// Output:
	// gopher go 2009
	// name String
	// langs Array
	// born Number
}

func TestScalars(t *testing.T) {
	v := mustParse(t, " null ", Options{})
	if got := v.Kind(); got != Null {
		t.Errorf("Parse(null).Kind(): got %v, want Null", got)
	}
	if got := string(v.Raw()); got != "null" {
		t.Errorf("Parse(\" null \").Raw(): got %q, want %q", got, "null")
	}
	if _, err := v.Bool(); !errors.Is(err, ErrType) {
		t.Errorf("null.Bool(): got error %v, want ErrType", err)
	}
	if _, err := v.Str(); !errors.Is(err, ErrType) {
		t.Errorf("null.Str(): got error %v, want ErrType", err)
	}
	if _, err := v.Int64(); !errors.Is(err, ErrType) {
		t.Errorf("null.Int64(): got error %v, want ErrType", err)
	}
	if got := v.Number(); got != "" {
		t.Errorf("null.Number(): got %q, want \"\"", got)
	}
	if got := v.Index(0).Kind(); got != Invalid {
		t.Errorf("null.Index(0).Kind(): got %v, want Invalid", got)
	}
	if _, ok := v.Get("a"); ok {
		t.Errorf("null.Get(\"a\"): got ok, want not found")
	}

	for _, tc := range []struct {
		in   string
		want bool
	}{{"true", true}, {"false", false}, {"\t\r\n true", true}} {
		v := mustParse(t, tc.in, Options{})
		got, err := v.Bool()
		if v.Kind() != Bool || err != nil || got != tc.want {
			t.Errorf("Parse(%q): got kind %v, Bool() (%v, %v), want Bool, (%v, nil)", tc.in, v.Kind(), got, err, tc.want)
		}
		if _, err := v.Float64(); !errors.Is(err, ErrType) {
			t.Errorf("Parse(%q).Float64(): got error %v, want ErrType", tc.in, err)
		}
	}

	v = mustParse(t, `"hi"`, Options{})
	if s, err := v.Str(); v.Kind() != String || err != nil || s != "hi" {
		t.Errorf(`Parse("hi"): got kind %v, Str() (%q, %v), want String, ("hi", nil)`, v.Kind(), s, err)
	}
	if _, err := v.Bool(); !errors.Is(err, ErrType) {
		t.Errorf(`"hi".Bool(): got error %v, want ErrType`, err)
	}

	var zero Value
	if zero.Kind() != Invalid || zero.Len() != 0 || zero.Raw() != nil || zero.Index(0).Kind() != Invalid {
		t.Errorf("zero Value: got Kind %v, Len %d, Raw %q; want Invalid, 0, nil", zero.Kind(), zero.Len(), zero.Raw())
	}
	if _, err := zero.Str(); !errors.Is(err, ErrType) {
		t.Errorf("zero Value Str(): got error %v, want ErrType", err)
	}
}

func TestNumbers(t *testing.T) {
	type result struct {
		I    int64
		IErr error
		F    float64
		FErr error
	}
	tests := []struct {
		in   string
		want result
	}{
		{"0", result{0, nil, 0, nil}},
		{"-0", result{0, nil, math.Copysign(0, -1), nil}},
		{"42", result{42, nil, 42, nil}},
		{"-17", result{-17, nil, -17, nil}},
		{"9223372036854775807", result{math.MaxInt64, nil, 9223372036854775807, nil}},
		{"-9223372036854775808", result{math.MinInt64, nil, -9223372036854775808, nil}},
		{"9223372036854775808", result{0, ErrRange, 9223372036854775808, nil}},
		{"-9223372036854775809", result{0, ErrRange, -9223372036854775809, nil}},
		{"123456789012345678901234567890", result{0, ErrRange, 1.2345678901234568e29, nil}},
		{"1.5", result{0, ErrType, 1.5, nil}},
		{"1e2", result{0, ErrType, 100, nil}},
		{"-2.5E-3", result{0, ErrType, -0.0025, nil}},
		{"1e400", result{0, ErrType, math.Inf(1), ErrRange}},
		{"-1e400", result{0, ErrType, math.Inf(-1), ErrRange}},
		{"1e-400", result{0, ErrType, 0, nil}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			v := mustParse(t, tc.in, Options{})
			if v.Kind() != Number {
				t.Fatalf("Parse(%s).Kind(): got %v, want Number", tc.in, v.Kind())
			}
			if got := v.Number(); got != tc.in {
				t.Errorf("Number(): got %q, want the original text %q", got, tc.in)
			}
			var got result
			got.I, got.IErr = v.Int64()
			got.F, got.FErr = v.Float64()
			if got.I != tc.want.I || !errors.Is(got.IErr, tc.want.IErr) || (tc.want.IErr == nil) != (got.IErr == nil) {
				t.Errorf("Int64(): got (%d, %v), want (%d, %v)", got.I, got.IErr, tc.want.I, tc.want.IErr)
			}
			if got.F != tc.want.F || math.Signbit(got.F) != math.Signbit(tc.want.F) || !errors.Is(got.FErr, tc.want.FErr) || (tc.want.FErr == nil) != (got.FErr == nil) {
				t.Errorf("Float64(): got (%v, %v), want (%v, %v)", got.F, got.FErr, tc.want.F, tc.want.FErr)
			}
		})
	}
	for _, bad := range []string{"01", "-01", "00", "+1", ".5", "1.", "1e", "1e+", "-", "0x10", "1.e3", "Infinity", "NaN"} {
		if _, err := Parse([]byte(bad), Options{}); err == nil {
			t.Errorf("Parse(%q): got nil error, want a *SyntaxError", bad)
		}
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`""`, ""},
		{`"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t"},
		{`"caf\u00e9 \u263A"`, "café ☺"},
		{`"café ☺"`, "café ☺"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\uD834\uDD1E clef"`, "𝄞 clef"},
		{`"a\u0000b"`, "a\x00b"},
		{`"\u005C\u0022"`, `\"`},
		{"\"tab\\tand del \x7f\"", "tab\tand del \x7f"},
	}
	for _, tc := range tests {
		for _, strict := range []bool{false, true} {
			v := mustParse(t, tc.in, Options{StrictUTF8: strict})
			got, err := v.Str()
			if err != nil || got != tc.want {
				t.Errorf("Parse(%s, StrictUTF8=%v).Str(): got (%q, %v), want (%q, nil)", tc.in, strict, got, err, tc.want)
			}
		}
		var std string
		if err := json.Unmarshal([]byte(tc.in), &std); err != nil || std != tc.want {
			t.Errorf("test table: encoding/json decodes %s to (%q, %v), the table says %q", tc.in, std, err, tc.want)
		}
	}

	// Keys are strings too.
	v := mustParse(t, `{"caf\u00e9": 1, "a\"b": 2}`, Options{})
	var keys []string
	for k := range v.Members() {
		keys = append(keys, k)
	}
	if diff := cmp.Diff([]string{"café", `a"b`}, keys); diff != "" {
		t.Errorf("keys of an object with escaped keys (-want +got):\n%s", diff)
	}

	// Raw control characters are never allowed in strings.
	for _, in := range []string{"\"a\x01b\"", "\"\x1f\"", "\"line\nbreak\"", "{\"k\x00\": 1}"} {
		for _, strict := range []bool{false, true} {
			if _, err := Parse([]byte(in), Options{StrictUTF8: strict}); err == nil {
				t.Errorf("Parse(%q, StrictUTF8=%v): got nil error, want a *SyntaxError (raw control character)", in, strict)
			}
		}
	}
}

// TestUTF8Policy: by default, invalid UTF-8 and unpaired surrogates become
// U+FFFD exactly as encoding/json does; with StrictUTF8 they are errors.
func TestUTF8Policy(t *testing.T) {
	const r = "\uFFFD"
	tests := []struct {
		name, in, want string
		strictOffset   int64
	}{
		{"lone high surrogate", `"\ud800"`, r, 1},
		{"lone low surrogate", `"\udc00"`, r, 1},
		{"high then letter", `"\ud800x"`, r + "x", 1},
		{"high then BMP escape", `"\ud800\u0041"`, r + "A", 1},
		{"inverted pair", `"\udc00\ud800"`, r + r, 1},
		{"high, then a pair", `"ab\ud800\ud800\udc00"`, "ab" + r + "\U00010000", 3},
		{"invalid byte", "\"\xff\"", r, 1},
		{"overlong encoding", "\"a\xc0\xafb\"", "a" + r + r + "b", 2},
		{"encoded surrogate", "\"\xed\xa0\x80\"", r + r + r, 1},
		{"truncated sequence", "\"x\xe6\x97\"", "x" + r + r, 2},
		{"above U+10FFFF", "\"\xf4\x90\x80\x80\"", r + r + r + r, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := mustParse(t, tc.in, Options{})
			got, err := v.Str()
			if err != nil || got != tc.want {
				t.Errorf("Parse(%q).Str(): got (%q, %v), want (%q, nil)", tc.in, got, err, tc.want)
			}
			var std string
			if err := json.Unmarshal([]byte(tc.in), &std); err != nil || std != tc.want {
				t.Errorf("test table: encoding/json decodes %q to (%q, %v), the table says %q", tc.in, std, err, tc.want)
			}
			_, err = Parse([]byte(tc.in), Options{StrictUTF8: true})
			se := syntaxErr(t, fmt.Sprintf("Parse(%q, StrictUTF8)", tc.in), err)
			if se.Offset != tc.strictOffset {
				t.Errorf("Parse(%q, StrictUTF8): got Offset %d, want %d", tc.in, se.Offset, tc.strictOffset)
			}
		})
	}

	// Keys follow the same policy.
	v := mustParse(t, "{\"\xff\": 1}", Options{})
	for k := range v.Members() {
		if k != r {
			t.Errorf("key of {\"\\xff\": 1}: got %q, want %q", k, r)
		}
	}
	if _, err := Parse([]byte("{\"\xff\": 1}"), Options{StrictUTF8: true}); err == nil {
		t.Errorf("Parse({\"\\xff\": 1}, StrictUTF8): got nil error, want a *SyntaxError")
	}
}

// errorPositionCases are shared with the Decoder's tests.
var errorPositionCases = []struct {
	name      string
	in        string
	offset    int64
	line, col int
	cause     error
}{
	{"after CRLFs", "[\r\n1,\r\n 2, 3 @]", 13, 3, 7, nil},
	{"lone CRs", "[1,\r2,\r\r3 x]", 10, 4, 3, nil},
	{"LFs and tabs", "{\n\"a\":\n\ttrue,\n\t\"b\" 1}", 19, 4, 6, nil},
	{"end of input after CRLF", "[1,\r\n", 5, 2, 1, io.ErrUnexpectedEOF},
	{"empty input", "", 0, 1, 1, io.ErrUnexpectedEOF},
	{"only whitespace", " \n ", 3, 2, 2, io.ErrUnexpectedEOF},
	{"unterminated string", "\r\n\"abc", 6, 2, 5, io.ErrUnexpectedEOF},
	{"newline in string", "\"ab\ncd\"", 3, 1, 4, nil},
	{"leading zero", "[01]", 2, 1, 3, nil},
	{"bad escape", `["a\qb"]`, 4, 1, 5, nil},
	{"bad hex digit", `"\u12x4"`, 5, 1, 6, nil},
	{"trailing data", "{} x", 3, 1, 4, nil},
	{"missing colon", `{"a" 1}`, 5, 1, 6, nil},
	{"trailing comma", "{\"a\":1,\n}", 8, 2, 1, nil},
	{"mismatched bracket", "[\n  {\"a\": [1, 2}]", 15, 2, 14, nil},
	{"bad literal", "[tru]", 4, 1, 5, nil},
}

func TestErrorPosition(t *testing.T) {
	for _, tc := range errorPositionCases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in), Options{})
			se := syntaxErr(t, fmt.Sprintf("Parse(%q)", tc.in), err)
			got := [3]int64{se.Offset, int64(se.Line), int64(se.Col)}
			want := [3]int64{tc.offset, int64(tc.line), int64(tc.col)}
			if got != want {
				t.Errorf("Parse(%q): got offset %d, line %d, col %d; want offset %d, line %d, col %d", tc.in, got[0], got[1], got[2], want[0], want[1], want[2])
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Errorf("Parse(%q): got error %v, want it to wrap %v", tc.in, err, tc.cause)
			}
			if se.Msg == "" || !strings.Contains(se.Error(), se.Msg) {
				t.Errorf("Parse(%q): got Msg %q and Error() %q, want a message, included in Error()", tc.in, se.Msg, se.Error())
			}
		})
	}
}

func TestTrailingData(t *testing.T) {
	for _, tc := range []struct {
		in     string
		offset int64
	}{
		{"1 2", 2},
		{"[] []", 3},
		{"null,", 4},
		{`"a""b"`, 3},
		{"truex", 4},
		{"{}}", 2},
		{"0 \n\t\r 0", 6},
	} {
		_, err := Parse([]byte(tc.in), Options{})
		se := syntaxErr(t, fmt.Sprintf("Parse(%q)", tc.in), err)
		if se.Offset != tc.offset {
			t.Errorf("Parse(%q): got Offset %d, want %d", tc.in, se.Offset, tc.offset)
		}
	}
}

// TestDeepNesting: overflowing a goroutine's stack is a fatal error in Go,
// not a panic that recover can catch, so a parser that recurses once per
// nesting level lets any input kill the process. Depth must be bounded.
func TestDeepNesting(t *testing.T) {
	deep := []byte(strings.Repeat("[", 1_000_000))
	_, err := Parse(deep, Options{})
	if !errors.Is(err, ErrMaxDepth) {
		t.Fatalf("Parse(1,000,000 × '['): got error %v, want ErrMaxDepth", err)
	}
	se := syntaxErr(t, "Parse(1,000,000 × '[')", err)
	if se.Offset != DefaultMaxDepth {
		t.Errorf("Parse(1,000,000 × '['): got Offset %d, want %d (the first '[' over the limit)", se.Offset, DefaultMaxDepth)
	}

	ok := strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth)
	if _, err := Parse([]byte(ok), Options{}); err != nil {
		t.Errorf("Parse(%d nested arrays) with the default MaxDepth: got error %v, want nil", DefaultMaxDepth, err)
	}

	for _, tc := range []struct {
		in     string
		offset int64 // -1: accepted
	}{
		{"[[[1]]]", -1},
		{"[[[[1]]]]", 3},
		{`{"a":{"b":{"c":{}}}}`, 15},
		{`{"a":[{"c":1}]}`, -1},
		{`[{}, [], [[]]]`, -1},
		{`[{}, [], [[[]]]]`, 11},
	} {
		_, err := Parse([]byte(tc.in), Options{MaxDepth: 3})
		switch {
		case tc.offset < 0 && err != nil:
			t.Errorf("Parse(%s, MaxDepth 3): got error %v, want nil", tc.in, err)
		case tc.offset >= 0 && !errors.Is(err, ErrMaxDepth):
			t.Errorf("Parse(%s, MaxDepth 3): got error %v, want ErrMaxDepth", tc.in, err)
		case tc.offset >= 0:
			if se := syntaxErr(t, "Parse", err); se.Offset != tc.offset {
				t.Errorf("Parse(%s, MaxDepth 3): got Offset %d, want %d", tc.in, se.Offset, tc.offset)
			}
		}
	}

	// With a high enough limit, very deep documents parse: nothing recurses.
	const n = 100_000
	deepOK := append([]byte(strings.Repeat("[", n)), strings.Repeat("]", n)...)
	v, err := Parse(deepOK, Options{MaxDepth: n})
	if err != nil {
		t.Fatalf("Parse(%d nested arrays, MaxDepth %d): got error %v, want nil", n, n, err)
	}
	for range n - 1 {
		v = v.Index(0)
	}
	if v.Kind() != Array || v.Len() != 0 || string(v.Raw()) != "[]" {
		t.Errorf("innermost of %d nested arrays: got kind %v, Len %d, Raw %q; want Array, 0, \"[]\"", n, v.Kind(), v.Len(), v.Raw())
	}
}

func TestContainers(t *testing.T) {
	v := mustParse(t, `{"z": 1, "a": [10, 20, 30], "m": {"k": "v"}, "e": [], "o": {}}`, Options{})
	if v.Kind() != Object || v.Len() != 5 {
		t.Fatalf("Kind(), Len(): got %v, %d, want Object, 5", v.Kind(), v.Len())
	}
	var keys []string
	var kinds []Kind
	for k, m := range v.Members() {
		keys = append(keys, k)
		kinds = append(kinds, m.Kind())
	}
	if diff := cmp.Diff([]string{"z", "a", "m", "e", "o"}, keys); diff != "" {
		t.Errorf("Members() keys, in document order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Kind{Number, Array, Object, Array, Object}, kinds); diff != "" {
		t.Errorf("Members() value kinds (-want +got):\n%s", diff)
	}
	for k := range v.Members() {
		if k != "z" {
			t.Errorf("Members() after the consumer stopped: got key %q", k)
		}
		break
	}

	a, ok := v.Get("a")
	if !ok || a.Kind() != Array || a.Len() != 3 {
		t.Fatalf(`Get("a"): got (%v with Len %d, %v), want (Array with Len 3, true)`, a.Kind(), a.Len(), ok)
	}
	for i, want := range []string{"10", "20", "30"} {
		if got := a.Index(i).Number(); got != want {
			t.Errorf("a.Index(%d).Number(): got %q, want %q", i, got, want)
		}
	}
	for _, i := range []int{-1, 3, 1 << 40} {
		if got := a.Index(i).Kind(); got != Invalid {
			t.Errorf("a.Index(%d).Kind(): got %v, want Invalid", i, got)
		}
	}
	var elems []string
	for e := range a.Elements() {
		elems = append(elems, e.Number())
	}
	if diff := cmp.Diff([]string{"10", "20", "30"}, elems); diff != "" {
		t.Errorf("Elements() (-want +got):\n%s", diff)
	}
	if _, ok := a.Get("0"); ok {
		t.Errorf(`array.Get("0"): got ok, want not found`)
	}
	if m, _ := v.Get("m"); string(m.Raw()) != `{"k": "v"}` {
		t.Errorf(`Get("m").Raw(): got %q, want %q`, m.Raw(), `{"k": "v"}`)
	}
	if _, ok := v.Get("missing"); ok {
		t.Errorf(`Get("missing"): got ok, want not found`)
	}
	if got := v.Index(0).Kind(); got != Invalid {
		t.Errorf("object.Index(0).Kind(): got %v, want Invalid", got)
	}

	// Large containers: every element and member is reachable.
	var sb strings.Builder
	sb.WriteString(`{"arr": [`)
	for i := range 300 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%d", i*i)
	}
	sb.WriteString(`], "obj": {`)
	for i := range 300 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"key%d": %d`, (i*7)%300, i)
	}
	sb.WriteString(`}}`)
	big := mustParse(t, sb.String(), Options{})
	arr, _ := big.Get("arr")
	for _, i := range []int{299, 0, 150, 17, 16, 298} {
		if got, want := arr.Index(i).Number(), fmt.Sprint(i*i); got != want {
			t.Errorf("arr.Index(%d): got %q, want %q", i, got, want)
		}
	}
	obj, _ := big.Get("obj")
	if obj.Len() != 300 {
		t.Errorf("obj.Len(): got %d, want 300", obj.Len())
	}
	for i := 299; i >= 0; i-- {
		m, ok := obj.Get(fmt.Sprintf("key%d", (i*7)%300))
		if got, want := m.Number(), fmt.Sprint(i); !ok || got != want {
			t.Errorf(`obj.Get("key%d"): got (%q, %v), want (%q, true)`, (i*7)%300, got, ok, want)
		}
	}
	if _, ok := obj.Get("key300"); ok {
		t.Errorf(`obj.Get("key300"): got ok, want not found`)
	}
}

func TestDuplicates(t *testing.T) {
	type member struct{ K, V string }
	members := func(v Value) []member {
		var out []member
		for k, m := range v.Members() {
			out = append(out, member{k, string(m.Raw())})
		}
		return out
	}
	big := func(extra string) string {
		var sb strings.Builder
		sb.WriteString("{")
		for i := range 40 {
			fmt.Fprintf(&sb, `"k%d": %d, `, i, i)
		}
		sb.WriteString(extra)
		sb.WriteString("}")
		return sb.String()
	}
	bigMembers := func(drop map[string]bool, tail ...member) []member {
		var out []member
		for i := range 40 {
			if k := fmt.Sprintf("k%d", i); !drop[k] {
				out = append(out, member{k, fmt.Sprint(i)})
			}
		}
		return append(out, tail...)
	}
	tests := []struct {
		name     string
		in       string
		last     []member // DupLast
		first    []member // DupFirst
		errIndex string   // DupError: the duplicate reported is the first that repeats a key
	}{
		{"simple", `{"a":1,"b":2,"a":3}`, []member{{"b", "2"}, {"a", "3"}}, []member{{"a", "1"}, {"b", "2"}}, `"a":3`},
		{"three times", `{"x":1,"x":[2],"x":{"y":3}}`, []member{{"x", `{"y":3}`}}, []member{{"x", "1"}}, `"x":[2]`},
		{"escaped spelling", `{"a":1,"\u0061":2}`, []member{{"a", "2"}}, []member{{"a", "1"}}, `"\u0061"`},
		{"two pairs", `{"p":1,"q":2,"q":3,"p":4}`, []member{{"q", "3"}, {"p", "4"}}, []member{{"p", "1"}, {"q", "2"}}, `"q":3`},
		{"not across objects", `{"a":{"a":1},"b":{"a":2}}`, []member{{"a", `{"a":1}`}, {"b", `{"a":2}`}}, []member{{"a", `{"a":1}`}, {"b", `{"a":2}`}}, ""},
		{"large object", big(`"k17": "x", "k5": "y", "k17": "z"`),
			bigMembers(map[string]bool{"k5": true, "k17": true}, member{"k5", `"y"`}, member{"k17", `"z"`}),
			bigMembers(nil), `"k17": "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := mustParse(t, tc.in, Options{})
			if diff := cmp.Diff(tc.last, members(v)); diff != "" {
				t.Errorf("default policy (DupLast): members (-want +got):\n%s", diff)
			}
			if v.Len() != len(tc.last) {
				t.Errorf("DupLast: Len(): got %d, want %d", v.Len(), len(tc.last))
			}
			for _, m := range tc.last {
				if got, ok := v.Get(m.K); !ok || string(got.Raw()) != m.V {
					t.Errorf("DupLast: Get(%q): got (%q, %v), want (%q, true)", m.K, got.Raw(), ok, m.V)
				}
			}
			var std map[string]any
			if err := json.Unmarshal([]byte(tc.in), &std); err != nil || len(std) != len(tc.last) {
				t.Errorf("test table: encoding/json sees %d members (%v), the table says %d", len(std), err, len(tc.last))
			}

			v = mustParse(t, tc.in, Options{Duplicates: DupFirst})
			if diff := cmp.Diff(tc.first, members(v)); diff != "" {
				t.Errorf("DupFirst: members (-want +got):\n%s", diff)
			}
			for _, m := range tc.first {
				if got, ok := v.Get(m.K); !ok || string(got.Raw()) != m.V {
					t.Errorf("DupFirst: Get(%q): got (%q, %v), want (%q, true)", m.K, got.Raw(), ok, m.V)
				}
			}

			_, err := Parse([]byte(tc.in), Options{Duplicates: DupError})
			if tc.errIndex == "" {
				if err != nil {
					t.Errorf("DupError: got error %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrDuplicateKey) {
				t.Fatalf("DupError: got error %v, want ErrDuplicateKey", err)
			}
			se := syntaxErr(t, "DupError", err)
			if want := int64(strings.Index(tc.in, tc.errIndex)); se.Offset != want {
				t.Errorf("DupError: got Offset %d, want %d (the key of %s)", se.Offset, want, tc.errIndex)
			}
		})
	}

	// Keys are compared decoded, with invalid UTF-8 replaced by U+FFFD, as
	// encoding/json does: these two keys are the same key.
	v := mustParse(t, "{\"\xff\": 1, \"\xfe\": 2}", Options{})
	if got, ok := v.Get("\uFFFD"); v.Len() != 1 || !ok || got.Number() != "2" {
		t.Errorf("{\"\\xff\": 1, \"\\xfe\": 2}: got Len %d, Get(U+FFFD) (%q, %v); want 1, (\"2\", true)", v.Len(), got.Number(), ok)
	}
}

func TestPointer(t *testing.T) {
	// The example document of RFC 6901, section 5, plus a "~01" case.
	doc := mustParse(t, `{
		"foo": ["bar", "baz"],
		"": 0,
		"a/b": 1,
		"c%d": 2,
		"e^f": 3,
		"g|h": 4,
		"i\\j": 5,
		"k\"l": 6,
		" ": 7,
		"m~n": 8,
		"x~1y": 9,
		"nested": {"list": [{"id": "first"}, {"id": "second"}]}
	}`, Options{})
	for _, tc := range []struct{ ptr, raw string }{
		{"/foo", `["bar", "baz"]`},
		{"/foo/0", `"bar"`},
		{"/foo/1", `"baz"`},
		{"/", "0"},
		{"/a~1b", "1"},
		{"/c%d", "2"},
		{"/e^f", "3"},
		{"/g|h", "4"},
		{`/i\j`, "5"},
		{`/k"l`, "6"},
		{"/ ", "7"},
		{"/m~0n", "8"},
		{"/x~01y", "9"},
		{"/nested/list/1/id", `"second"`},
	} {
		v, err := doc.Pointer(tc.ptr)
		if err != nil || string(v.Raw()) != tc.raw {
			t.Errorf("Pointer(%q): got (%q, %v), want (%q, nil)", tc.ptr, v.Raw(), err, tc.raw)
		}
	}
	if v, err := doc.Pointer(""); err != nil || v.Kind() != Object || v.Len() != 12 {
		t.Errorf(`Pointer(""): got (%v with Len %d, %v), want the whole document (Object with Len 12, nil)`, v.Kind(), v.Len(), err)
	}
	for _, tc := range []struct {
		ptr  string
		want error
	}{
		{"foo", ErrPointer},
		{"/m~2n", ErrPointer},
		{"/m~", ErrPointer},
		{"/nope/m~", ErrPointer},
		{"/nope", ErrNotFound},
		{"/foo/2", ErrNotFound},
		{"/foo/-", ErrNotFound},
		{"/foo/01", ErrNotFound},
		{"/foo/+1", ErrNotFound},
		{"/foo/-1", ErrNotFound},
		{"/foo/0/x", ErrNotFound},
		{"/a~1b/0", ErrNotFound},
		{"/nested/list/0/id/x", ErrNotFound},
		{"/a/b", ErrNotFound},
	} {
		v, err := doc.Pointer(tc.ptr)
		if !errors.Is(err, tc.want) || v.Kind() != Invalid {
			t.Errorf("Pointer(%q): got (%v, %v), want (Invalid, %v)", tc.ptr, v.Kind(), err, tc.want)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []Options{
		{MaxDepth: -1},
		{MaxBytes: -1},
		{Duplicates: DupError + 1},
	} {
		if _, err := Parse([]byte("1"), o); !errors.Is(err, ErrOptions) {
			t.Errorf("Parse(1, %+v): got error %v, want ErrOptions", o, err)
		}
		if _, err := NewDecoder(strings.NewReader("1"), o).Token(); !errors.Is(err, ErrOptions) {
			t.Errorf("NewDecoder(1, %+v).Token(): got error %v, want ErrOptions", o, err)
		}
	}
}

func TestMaxBytes(t *testing.T) {
	for _, tc := range []struct {
		in  string
		max int64
		ok  bool
	}{
		{"[1,2,3]", 7, true},
		{"[1,2,3] ", 7, false},
		{"[1,2,3,4,5,6]", 10, false},
		{`"` + strings.Repeat("x", 100) + `"`, 50, false},
		{`"` + strings.Repeat("x", 100) + `"`, 0, true},
	} {
		_, err := Parse([]byte(tc.in), Options{MaxBytes: tc.max})
		if tc.ok {
			if err != nil {
				t.Errorf("Parse(%s, MaxBytes %d): got error %v, want nil", short(tc.in), tc.max, err)
			}
			continue
		}
		if !errors.Is(err, ErrMaxBytes) {
			t.Errorf("Parse(%s, MaxBytes %d): got error %v, want ErrMaxBytes", short(tc.in), tc.max, err)
			continue
		}
		if se := syntaxErr(t, "Parse", err); se.Offset != tc.max {
			t.Errorf("Parse(%s, MaxBytes %d): got Offset %d, want %d", short(tc.in), tc.max, se.Offset, tc.max)
		}
	}
}

// TestParseAgreesWithEncodingJSON compares whole documents with the
// oracle, beyond the fuzz seeds.
func TestParseAgreesWithEncodingJSON(t *testing.T) {
	docs := [][]byte{genDoc(1, 20_000), genDoc(2, 3_000)}
	for _, tc := range acceptCorpus {
		docs = append(docs, []byte(tc.in))
	}
	for _, d := range docs {
		v, err := Parse(d, Options{})
		if err != nil {
			t.Errorf("Parse(%s): got error %v, want nil", short(string(d)), err)
			continue
		}
		if diff := cmp.Diff(decodeStd(t, d), toAny(t, v)); diff != "" {
			t.Errorf("Parse(%s) vs encoding/json with UseNumber (-json +parse):\n%s", short(string(d)), diff)
		}
	}
}
