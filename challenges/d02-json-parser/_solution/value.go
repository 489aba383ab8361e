package jsonparse

import (
	"bytes"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
	"sync"
)

// Kind is the type of a JSON value.
type Kind uint8

const (
	Invalid Kind = iota // the zero Value: a lookup that found nothing
	Null
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "Invalid"
	case Null:
		return "Null"
	case Bool:
		return "Bool"
	case Number:
		return "Number"
	case String:
		return "String"
	case Array:
		return "Array"
	case Object:
		return "Object"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// smallContainer is the most children a container may have before Index
// and Get use an index instead of walking the siblings.
const smallContainer = 16

// node is one value (or object key) on the tape. A container's children
// are a chain: first, then next, next... For an object the chain links
// the key nodes, and a member's value is the node right after its key.
// Every node of a subtree comes after its root, so the tree is built in
// one pass with no recursion.
type node struct {
	kind  Kind
	flags uint8  // fEscape, fBadUTF8, fKeyDropped
	start uint32 // offset of the first byte in doc.data
	end   uint32 // offset after the last byte
	next  uint32 // next sibling (0: none; node 0 is the root, never a child)
	first uint32 // containers: first child
	n     uint32 // containers: number of children (members, for objects)
	aux   uint32 // containers over smallContainer children: 1 + index in doc.big
}

// lazyIndex speeds up Get and Index on a large container. It is built on
// first use, and Values are shared between goroutines, hence the Once.
type lazyIndex struct {
	once  sync.Once
	keys  map[string]uint32 // objects: decoded key → key node
	elems []uint32          // arrays: element nodes
}

type doc struct {
	data []byte
	tape []node
	big  []lazyIndex
}

// Value is an immutable JSON value: a position in a parsed document. It is
// small and meant to be passed by value; it is safe for concurrent use.
// The zero Value has Kind Invalid and answers every lookup with nothing.
type Value struct {
	d *doc
	i uint32
}

func (v Value) node() *node { return &v.d.tape[v.i] }

// Kind returns the value's kind, Invalid for the zero Value.
func (v Value) Kind() Kind {
	if v.d == nil {
		return Invalid
	}
	return v.node().kind
}

// Raw returns the value's text as it appears in the input. It aliases the
// input: do not modify it.
func (v Value) Raw() []byte {
	if v.d == nil {
		return nil
	}
	n := v.node()
	return v.d.data[n.start:n.end:n.end]
}

func (v Value) typeErr(want Kind) error {
	return fmt.Errorf("%w: %s is not a %s", ErrType, v.Kind(), want)
}

// Bool returns the value of true or false.
func (v Value) Bool() (bool, error) {
	if v.Kind() != Bool {
		return false, v.typeErr(Bool)
	}
	return v.d.data[v.node().start] == 't', nil
}

// Number returns a number's original text, "" for other kinds.
func (v Value) Number() string {
	if v.Kind() != Number {
		return ""
	}
	return string(v.Raw())
}

// Int64 returns an integer number. A fraction or exponent is ErrType;
// a value outside int64 is ErrRange.
func (v Value) Int64() (int64, error) {
	if v.Kind() != Number {
		return 0, v.typeErr(Number)
	}
	raw := v.Raw()
	if bytes.ContainsAny(raw, ".eE") {
		return 0, fmt.Errorf("%w: %s is not an integer", ErrType, raw)
	}
	neg := raw[0] == '-'
	digits := raw
	if neg {
		digits = raw[1:]
	}
	// Accumulate as a negative number: its range is one larger.
	var n int64
	for _, c := range digits {
		d := int64(c - '0')
		if n < (math.MinInt64+d)/10 {
			return 0, fmt.Errorf("%w: %s overflows int64", ErrRange, raw)
		}
		n = n*10 - d
	}
	if neg {
		return n, nil
	}
	if n == math.MinInt64 {
		return 0, fmt.Errorf("%w: %s overflows int64", ErrRange, raw)
	}
	return -n, nil
}

// Float64 returns a number as the nearest float64. A number too large for
// float64 returns ±Inf and ErrRange.
func (v Value) Float64() (float64, error) {
	if v.Kind() != Number {
		return 0, v.typeErr(Number)
	}
	f, err := strconv.ParseFloat(string(v.Raw()), 64)
	if err != nil { // only a range error: the lexer checked the syntax
		return f, fmt.Errorf("%w: %s overflows float64", ErrRange, v.Raw())
	}
	return f, nil
}

// Str returns a string's decoded text.
func (v Value) Str() (string, error) {
	if v.Kind() != String {
		return "", v.typeErr(String)
	}
	n := v.node()
	raw := v.d.data[n.start+1 : n.end-1]
	if n.flags&(fEscape|fBadUTF8) == 0 {
		return string(raw), nil
	}
	return string(appendUnquoted(make([]byte, 0, len(raw)), raw, n.flags)), nil
}

// Len returns the number of elements of an array or members of an object
// (after the duplicate policy), 0 for other kinds.
func (v Value) Len() int {
	if k := v.Kind(); k != Array && k != Object {
		return 0
	}
	return int(v.node().n)
}

// index returns the lazy index of a large container, building it once.
func (v Value) index() *lazyIndex {
	n := v.node()
	x := &v.d.big[n.aux-1]
	x.once.Do(func() {
		t := v.d.tape
		if n.kind == Array {
			x.elems = make([]uint32, 0, n.n)
			for c := n.first; c != 0; c = t[c].next {
				x.elems = append(x.elems, c)
			}
			return
		}
		x.keys = make(map[string]uint32, n.n)
		for c := n.first; c != 0; c = t[c].next {
			x.keys[v.key(c)] = c
		}
	})
	return x
}

// key decodes the key at node c.
func (v Value) key(c uint32) string {
	k := &v.d.tape[c]
	return string(appendUnquoted(nil, v.d.data[k.start+1:k.end-1], k.flags))
}

// keyIs reports whether key node c decodes to s, without allocating for
// keys with nothing to decode.
func (v Value) keyIs(c uint32, s string) bool {
	k := &v.d.tape[c]
	raw := v.d.data[k.start+1 : k.end-1]
	if k.flags&(fEscape|fBadUTF8) == 0 {
		return string(raw) == s
	}
	return string(appendUnquoted(nil, raw, k.flags)) == s
}

// Index returns element i of an array, or the zero Value if v is not an
// array or i is out of range.
func (v Value) Index(i int) Value {
	if v.Kind() != Array || i < 0 || i >= v.Len() {
		return Value{}
	}
	n := v.node()
	if n.aux != 0 {
		return Value{v.d, v.index().elems[i]}
	}
	c := n.first
	for ; i > 0; i-- {
		c = v.d.tape[c].next
	}
	return Value{v.d, c}
}

// Get returns the value of the member named key (after the duplicate
// policy), and whether there is one.
func (v Value) Get(key string) (Value, bool) {
	if v.Kind() != Object {
		return Value{}, false
	}
	n := v.node()
	if n.aux != 0 {
		c, ok := v.index().keys[key]
		if !ok {
			return Value{}, false
		}
		return Value{v.d, c + 1}, true
	}
	for c := n.first; c != 0; c = v.d.tape[c].next {
		if v.keyIs(c, key) {
			return Value{v.d, c + 1}, true
		}
	}
	return Value{}, false
}

// Members yields an object's members in document order (after the
// duplicate policy). It yields nothing for other kinds.
func (v Value) Members() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {
		if v.Kind() != Object {
			return
		}
		for c := v.node().first; c != 0; c = v.d.tape[c].next {
			if !yield(v.key(c), Value{v.d, c + 1}) {
				return
			}
		}
	}
}

// Elements yields an array's elements in order, nothing for other kinds.
func (v Value) Elements() iter.Seq[Value] {
	return func(yield func(Value) bool) {
		if v.Kind() != Array {
			return
		}
		for c := v.node().first; c != 0; c = v.d.tape[c].next {
			if !yield(Value{v.d, c}) {
				return
			}
		}
	}
}

// Pointer resolves an RFC 6901 JSON Pointer such as "/a/0/b~1c" against
// v. "" is v itself. A pointer that is not "" and does not start with "/",
// or has a "~" not followed by "0" or "1", is ErrPointer; one that names
// nothing is ErrNotFound.
func (v Value) Pointer(p string) (Value, error) {
	if p == "" {
		return v, nil
	}
	if p[0] != '/' {
		return Value{}, fmt.Errorf("%w: %q does not start with '/'", ErrPointer, p)
	}
	// Check the whole pointer's syntax before resolving any of it.
	for i := 0; i < len(p); i++ {
		if p[i] == '~' && (i+1 == len(p) || (p[i+1] != '0' && p[i+1] != '1')) {
			return Value{}, fmt.Errorf("%w: %q has '~' at %d not followed by '0' or '1'", ErrPointer, p, i)
		}
	}
	cur := v
	rest := p
	for rest != "" {
		rest = rest[1:] // the '/'
		tok := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			tok, rest = rest[:j], rest[j:]
		} else {
			rest = ""
		}
		if strings.IndexByte(tok, '~') >= 0 {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		}
		var ok bool
		switch cur.Kind() {
		case Object:
			cur, ok = cur.Get(tok)
		case Array:
			var i int
			if i, ok = arrayIndex(tok); ok {
				cur = cur.Index(i)
				ok = cur.Kind() != Invalid
			}
		}
		if !ok {
			return Value{}, fmt.Errorf("%w: %q", ErrNotFound, p[:len(p)-len(rest)])
		}
	}
	return cur, nil
}

// arrayIndex parses an RFC 6901 array index: 0, or digits without a
// leading zero.
func arrayIndex(s string) (int, bool) {
	if s == "" || len(s) > 9 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
