// Package jsonparse is an RFC 8259 JSON parser written from scratch: a
// zero-copy lexer, an immutable Value tree that keeps object members in
// document order and answers RFC 6901 JSON Pointer lookups, and a streaming
// Decoder that reads tokens from an io.Reader. Neither recurses: nesting is
// tracked on an explicit stack whose depth is bounded by Options.MaxDepth.
package jsonparse

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("jsonparse: not implemented")

// Errors wrapped by the errors this package returns; test with errors.Is.
var (
	ErrMaxDepth     = errors.New("jsonparse: nesting deeper than Options.MaxDepth")
	ErrMaxBytes     = errors.New("jsonparse: value larger than Options.MaxBytes")
	ErrDuplicateKey = errors.New("jsonparse: duplicate object key")
	ErrRange        = errors.New("jsonparse: number out of range")
	ErrType         = errors.New("jsonparse: value of another type")
	ErrPointer      = errors.New("jsonparse: malformed JSON pointer")
	ErrNotFound     = errors.New("jsonparse: no value at JSON pointer")
	ErrOptions      = errors.New("jsonparse: invalid options")
)

// DefaultMaxDepth is the nesting limit when Options.MaxDepth is 0. It is
// encoding/json's limit too.
const DefaultMaxDepth = 10000

// DupPolicy says what Parse does with an object key that appears twice.
type DupPolicy uint8

const (
	DupLast  DupPolicy = iota // keep the last member with that key (encoding/json's behaviour)
	DupFirst                  // keep the first member with that key
	DupError                  // reject the document with ErrDuplicateKey
)

// Options tune Parse and NewDecoder. The zero value is ready to use.
type Options struct {
	MaxDepth   int       // most containers open at once; 0: DefaultMaxDepth
	MaxBytes   int64     // Parse: longest input; Decoder: longest top-level value; 0: no limit
	Duplicates DupPolicy // Parse only: the Decoder reports every member it reads
	StrictUTF8 bool      // reject invalid UTF-8 and lone surrogates in strings instead of replacing them with U+FFFD
}

func (o Options) check() error {
	switch {
	case o.MaxDepth < 0:
		return fmt.Errorf("%w: MaxDepth %d < 0", ErrOptions, o.MaxDepth)
	case o.MaxBytes < 0:
		return fmt.Errorf("%w: MaxBytes %d < 0", ErrOptions, o.MaxBytes)
	case o.Duplicates > DupError:
		return fmt.Errorf("%w: unknown DupPolicy %d", ErrOptions, o.Duplicates)
	}
	return nil
}

func (o Options) maxDepth() int {
	if o.MaxDepth == 0 {
		return DefaultMaxDepth
	}
	return o.MaxDepth
}

// SyntaxError reports input that is not accepted, and where.
type SyntaxError struct {
	Offset    int64  // bytes before the first offending byte (the input's length at an unexpected end)
	Line, Col int    // 1-based; Col counts bytes; "\n", "\r\n" and a lone "\r" end a line
	Msg       string // what is wrong
	Err       error  // the cause, if any: ErrMaxDepth, ErrMaxBytes, ErrDuplicateKey, io.ErrUnexpectedEOF
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonparse: line %d, column %d (offset %d): %s", e.Line, e.Col, e.Offset, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return e.Err }

// position returns the line and column of offset off in data.
func position(data []byte, off int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < off && i < len(data); i++ {
		switch data[i] {
		case '\n':
			line++ // WRONG: after a '\r', this counts "\r\n" as two line breaks
			start = i + 1
		case '\r':
			line++
			start = i + 1
		}
	}
	return line, off - start + 1
}

// ---- the lexer: one token at data[i], on a complete slice ----

// lexError is a SyntaxError in the making: built without allocating, turned
// into a *SyntaxError only when it is returned.
type lexError struct {
	off  int    // offset in the slice being lexed; -1: no error
	msg  string // constant text
	c    byte   // the offending byte, for msg's %q (when hasC)
	hasC bool
	err  error // cause
}

var noErr = lexError{off: -1}

func (e lexError) ok() bool { return e.off < 0 }

func errAt(off int, msg string) lexError { return lexError{off: off, msg: msg} }

func errChar(data []byte, off int, msg string) lexError {
	if off >= len(data) {
		return errEOF(off)
	}
	return lexError{off: off, msg: msg, c: data[off], hasC: true}
}

func errEOF(off int) lexError {
	return lexError{off: off, msg: "unexpected end of input", err: io.ErrUnexpectedEOF}
}

// syntax turns e into a *SyntaxError; base is the stream offset of the
// slice's first byte, and line/lineStart the position bookkeeping.
func (e lexError) syntax(off int64, line int, col int) *SyntaxError {
	msg := e.msg
	if e.hasC {
		msg = fmt.Sprintf("invalid character %q %s", e.c, e.msg)
	}
	return &SyntaxError{Offset: off, Line: line, Col: col, Msg: msg, Err: e.err}
}

// String flags.
const (
	fEscape     uint8 = 1 << iota // has a backslash escape
	fBadUTF8                      // has invalid UTF-8 (only outside StrictUTF8)
	fKeyDropped                   // an object key removed by the duplicate policy
)

// plain[c] reports whether c stands for itself inside a string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func hexVal(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// hex4 reads the 4 hex digits at data[i:]; on failure it returns the
// error at the first bad (or missing) digit.
func hex4(data []byte, i int) (rune, lexError) {
	var r rune
	for k := i; k < i+4; k++ {
		if k >= len(data) {
			return 0, errEOF(len(data))
		}
		h := hexVal(data[k])
		if h < 0 {
			return 0, errChar(data, k, "in \\u escape")
		}
		r = r<<4 | h
	}
	return r, noErr
}

// scanString lexes the string whose opening quote is data[i] and returns
// the index after its closing quote.
func scanString(data []byte, i int, strict bool) (end int, flags uint8, e lexError) {
	j := i + 1
	high := -1 // StrictUTF8: offset of a high surrogate escape awaiting its low half
	for {
		for j < len(data) && plain[data[j]] {
			j++
		}
		if j >= len(data) {
			return 0, 0, errEOF(len(data))
		}
		c := data[j]
		if high >= 0 && (c != '\\' || j+1 >= len(data) || data[j+1] != 'u') {
			return 0, 0, errAt(high, "lone surrogate in \\u escape")
		}
		switch {
		case c == '"':
			return j + 1, flags, noErr
		case c == '\\':
			flags |= fEscape
			if j+1 >= len(data) {
				return 0, 0, errEOF(len(data))
			}
			switch data[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				r, e := hex4(data, j+2)
				if !e.ok() {
					return 0, 0, e
				}
				if strict {
					switch {
					case high >= 0 && 0xDC00 <= r && r <= 0xDFFF:
						high = -1
					case high >= 0:
						return 0, 0, errAt(high, "lone surrogate in \\u escape")
					case 0xD800 <= r && r <= 0xDBFF:
						high = j
					case 0xDC00 <= r && r <= 0xDFFF:
						return 0, 0, errAt(j, "lone surrogate in \\u escape")
					}
				}
				j += 6
			default:
				return 0, 0, errChar(data, j+1, "in string escape")
			}
		case c < 0x20:
			return 0, 0, errChar(data, j, "in string literal (control characters must be escaped)")
		default: // c >= utf8.RuneSelf
			r, size := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && size == 1 {
				if strict {
					return 0, 0, errAt(j, "invalid UTF-8 in string")
				}
				flags |= fBadUTF8
			}
			j += size
		}
	}
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// scanNumber lexes the number starting at data[i] ('-' or a digit). It
// stops at the first byte that cannot continue the number; the grammar
// decides whether that byte is allowed there.
func scanNumber(data []byte, i int) (int, lexError) {
	j := i
	if data[j] == '-' {
		j++
	}
	switch {
	case j >= len(data):
		return 0, errEOF(j)
	case data[j] == '0':
		j++
	case isDigit(data[j]):
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	default:
		return 0, errChar(data, j, "in number")
	}
	if j < len(data) && data[j] == '.' {
		j++
		if j >= len(data) || !isDigit(data[j]) {
			return 0, errChar(data, j, "after decimal point in number")
		}
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	}
	if j < len(data) && (data[j] == 'e' || data[j] == 'E') {
		j++
		if j < len(data) && (data[j] == '+' || data[j] == '-') {
			j++
		}
		if j >= len(data) || !isDigit(data[j]) {
			return 0, errChar(data, j, "in exponent of number")
		}
		for j < len(data) && isDigit(data[j]) {
			j++
		}
	}
	return j, noErr
}

func scanLiteral(data []byte, i int, lit string) (int, lexError) {
	for k := 0; k < len(lit); k++ {
		if i+k >= len(data) {
			return 0, errEOF(len(data))
		}
		if data[i+k] != lit[k] {
			return 0, errChar(data, i+k, "in literal "+lit)
		}
	}
	return i + len(lit), noErr
}

// ---- the grammar: an explicit stack instead of recursion ----

// TokenKind is what a Token is. Its value is a mnemonic byte.
type TokenKind byte

const (
	TokNull        TokenKind = 'n'
	TokFalse       TokenKind = 'f'
	TokTrue        TokenKind = 't'
	TokNumber      TokenKind = '0'
	TokString      TokenKind = '"' // a string value
	TokKey         TokenKind = 'k' // an object member's name
	TokBeginObject TokenKind = '{'
	TokEndObject   TokenKind = '}'
	TokBeginArray  TokenKind = '['
	TokEndArray    TokenKind = ']'

	tokNone TokenKind = 0 // a separator was consumed
)

func (k TokenKind) String() string {
	switch k {
	case TokNull:
		return "null"
	case TokFalse:
		return "false"
	case TokTrue:
		return "true"
	case TokNumber:
		return "number"
	case TokString:
		return "string"
	case TokKey:
		return "key"
	case TokBeginObject, TokEndObject, TokBeginArray, TokEndArray:
		return string(rune(k))
	}
	return fmt.Sprintf("TokenKind(%d)", byte(k))
}

// What the grammar accepts next.
const (
	stValue      uint8 = iota // a value (top level, after ':', after ',' in an array)
	stValueOrEnd              // after '['
	stKeyOrEnd                // after '{'
	stKey                     // after ',' in an object
	stColon                   // after a key
	stCommaOrEnd              // after a value inside a container
	stDone                    // after a complete top-level value
)

// grammar is the syntactic state shared by Parse and the Decoder. Its
// stack holds one byte per open container, '[' or '{', and never grows
// past maxDepth.
type grammar struct {
	stack    []byte
	state    uint8
	maxDepth int
	strict   bool
}

// needsToken reports whether, in the current state, data[i] starts a
// token longer than one byte (a string, number or literal).
func (g *grammar) needsToken(c byte) bool {
	switch g.state {
	case stValue, stValueOrEnd, stKeyOrEnd, stKey, stDone:
		return c == '"' || c == '-' || isDigit(c) || ('a' <= c && c <= 'z')
	}
	return false
}

// step consumes the token or separator at data[i] (not whitespace). It
// returns tokNone for a separator. stDone must be handled by the caller.
func (g *grammar) step(data []byte, i int) (k TokenKind, end int, flags uint8, e lexError) {
	c := data[i]
	switch g.state {
	case stCommaOrEnd:
		top := g.stack[len(g.stack)-1]
		switch {
		case c == ',' && top == '[':
			g.state = stValue
			return tokNone, i + 1, 0, noErr
		case c == ',':
			g.state = stKey
			return tokNone, i + 1, 0, noErr
		case c == ']' && top == '[', c == '}' && top == '{':
			return g.close(i)
		case top == '[':
			return 0, 0, 0, errChar(data, i, "after array element (want ',' or ']')")
		default:
			return 0, 0, 0, errChar(data, i, "after object member (want ',' or '}')")
		}
	case stColon:
		if c == ':' {
			g.state = stValue
			return tokNone, i + 1, 0, noErr
		}
		return 0, 0, 0, errChar(data, i, "after object key (want ':')")
	case stKeyOrEnd, stKey:
		if c == '}' && g.state == stKeyOrEnd {
			return g.close(i)
		}
		if c != '"' {
			return 0, 0, 0, errChar(data, i, "looking for object key")
		}
		end, flags, e := scanString(data, i, g.strict)
		if !e.ok() {
			return 0, 0, 0, e
		}
		g.state = stColon
		return TokKey, end, flags, noErr
	case stValueOrEnd:
		if c == ']' {
			return g.close(i)
		}
	}
	return g.value(data, i)
}

func (g *grammar) value(data []byte, i int) (k TokenKind, end int, flags uint8, e lexError) {
	switch c := data[i]; {
	case c == '[' || c == '{':
		if len(g.stack) >= g.maxDepth {
			return 0, 0, 0, lexError{off: i, msg: fmt.Sprintf("more than %d nested containers", g.maxDepth), err: ErrMaxDepth}
		}
		g.stack = append(g.stack, c)
		if c == '[' {
			g.state = stValueOrEnd
			return TokBeginArray, i + 1, 0, noErr
		}
		g.state = stKeyOrEnd
		return TokBeginObject, i + 1, 0, noErr
	case c == '"':
		end, flags, e = scanString(data, i, g.strict)
		k = TokString
	case c == '-' || isDigit(c):
		end, e = scanNumber(data, i)
		k = TokNumber
	case c == 't':
		end, e = scanLiteral(data, i, "true")
		k = TokTrue
	case c == 'f':
		end, e = scanLiteral(data, i, "false")
		k = TokFalse
	case c == 'n':
		end, e = scanLiteral(data, i, "null")
		k = TokNull
	default:
		return 0, 0, 0, errChar(data, i, "looking for beginning of value")
	}
	if !e.ok() {
		return 0, 0, 0, e
	}
	g.afterValue()
	return k, end, flags, noErr
}

func (g *grammar) close(i int) (TokenKind, int, uint8, lexError) {
	top := g.stack[len(g.stack)-1]
	g.stack = g.stack[:len(g.stack)-1]
	g.afterValue()
	if top == '[' {
		return TokEndArray, i + 1, 0, noErr
	}
	return TokEndObject, i + 1, 0, noErr
}

func (g *grammar) afterValue() {
	if len(g.stack) == 0 {
		g.state = stDone
	} else {
		g.state = stCommaOrEnd
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// ---- Parse: tokens onto a flat tape ----

// Parse parses one JSON value, optionally surrounded by whitespace. It does
// not copy data: the Value refers to it, so data must not be modified
// while the Value is in use. Errors about the input are *SyntaxError.
func Parse(data []byte, o Options) (Value, error) {
	if err := o.check(); err != nil {
		return Value{}, err
	}
	if o.MaxBytes > 0 && int64(len(data)) > o.MaxBytes {
		return Value{}, syntaxAt(data, int(o.MaxBytes), lexError{msg: fmt.Sprintf("input longer than %d bytes", o.MaxBytes), err: ErrMaxBytes})
	}
	if int64(len(data)) > math.MaxUint32 {
		return Value{}, syntaxAt(data, math.MaxUint32, lexError{msg: "input longer than 4 GiB", err: ErrMaxBytes})
	}
	p := parser{
		g:    grammar{maxDepth: o.maxDepth(), strict: o.StrictUTF8},
		doc:  &doc{data: data},
		dups: o.Duplicates,
	}
	// A node per ~8 bytes is typical; growing later is cheap anyway.
	p.doc.tape = make([]node, 0, len(data)/8+1)
	if e := p.run(); !e.ok() {
		return Value{}, syntaxAt(data, e.off, e)
	}
	return Value{d: p.doc}, nil
}

func syntaxAt(data []byte, off int, e lexError) *SyntaxError {
	line, col := position(data, off)
	return e.syntax(int64(off), line, col)
}

// frame is an open container during Parse.
type frame struct {
	node uint32 // its node
	last uint32 // its last child so far (for objects: the last key node)
	n    uint32 // children so far
}

type parser struct {
	g       grammar
	doc     *doc
	dups    DupPolicy
	open    []frame
	scratch []uint32 // key nodes of the object being closed
	ka, kb  []byte   // decoded keys being compared
}

func (p *parser) run() lexError {
	data := p.doc.data
	i := 0
	for {
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if p.g.state == stDone {
			if i < len(data) {
				return errChar(data, i, "after top-level value")
			}
			return noErr
		}
		if i >= len(data) {
			return errEOF(len(data))
		}
		k, end, flags, e := p.g.step(data, i)
		if !e.ok() {
			return e
		}
		if e := p.add(k, i, end, flags); !e.ok() {
			return e
		}
		i = end
	}
}

// add records the token data[start:end] on the tape.
func (p *parser) add(k TokenKind, start, end int, flags uint8) lexError {
	t := &p.doc.tape
	switch k {
	case tokNone:
		return noErr
	case TokEndArray, TokEndObject:
		f := p.open[len(p.open)-1]
		p.open = p.open[:len(p.open)-1]
		nd := &(*t)[f.node]
		nd.end = uint32(end)
		nd.n = f.n
		if k == TokEndObject && f.n > 1 {
			if e := p.dedup(f.node); !e.ok() {
				return e
			}
		}
		if nd.n > smallContainer {
			nd.aux = uint32(len(p.doc.big)) + 1
			p.doc.big = append(p.doc.big, lazyIndex{})
		}
		return noErr
	}
	idx := uint32(len(*t))
	nd := node{start: uint32(start), end: uint32(end), flags: flags}
	switch k {
	case TokBeginArray:
		nd.kind = Array
	case TokBeginObject:
		nd.kind = Object
	case TokString, TokKey:
		nd.kind = String
	case TokNumber:
		nd.kind = Number
	case TokTrue, TokFalse:
		nd.kind = Bool
	case TokNull:
		nd.kind = Null
	}
	*t = append(*t, nd)
	// Link the node into its parent: array elements and object keys are
	// children; an object member's value is the node after its key.
	if len(p.open) > 0 {
		f := &p.open[len(p.open)-1]
		if (*t)[f.node].kind == Array || k == TokKey {
			if f.n == 0 {
				(*t)[f.node].first = idx
			} else {
				(*t)[f.last].next = idx
			}
			f.last = idx
			f.n++
		}
	}
	if k == TokBeginArray || k == TokBeginObject {
		p.open = append(p.open, frame{node: idx})
	}
	return noErr
}

// dedup applies the duplicate-key policy to the object at node o.
func (p *parser) dedup(o uint32) lexError {
	t := p.doc.tape
	keys := p.scratch[:0]
	for k := t[o].first; k != 0; k = t[k].next {
		keys = append(keys, k)
	}
	p.scratch = keys
	dropped := 0
	drop := func(k uint32) {
		if t[k].flags&fKeyDropped == 0 {
			t[k].flags |= fKeyDropped
			dropped++
		}
	}
	if len(keys) <= smallContainer {
		// Pairwise: at most 120 comparisons, usually of short raw keys.
		for j := 1; j < len(keys); j++ {
			for i := 0; i < j; i++ {
				if !p.keyEqual(keys[i], keys[j]) {
					continue
				}
				switch p.dups {
				case DupError:
					return lexError{off: int(t[keys[j]].start), msg: "duplicate object key", err: ErrDuplicateKey}
				case DupFirst:
					drop(keys[j])
				case DupLast:
					drop(keys[i])
				}
			}
		}
	} else {
		// Sort the keys (document order breaking ties) so duplicates are
		// adjacent: O(n log n) and no allocation once scratch has grown.
		slices.SortFunc(keys, func(a, b uint32) int {
			if c := p.keyCompare(a, b); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		})
		firstDup := uint32(math.MaxUint32)
		for i := 0; i < len(keys); {
			j := i + 1
			for j < len(keys) && p.keyCompare(keys[i], keys[j]) == 0 {
				j++
			}
			if j-i > 1 {
				firstDup = min(firstDup, keys[i+1])
				for k := i; k < j; k++ {
					if (p.dups == DupFirst && k > i) || (p.dups == DupLast && k < j-1) {
						drop(keys[k])
					}
				}
			}
			i = j
		}
		if p.dups == DupError && firstDup != math.MaxUint32 {
			return lexError{off: int(t[firstDup].start), msg: "duplicate object key", err: ErrDuplicateKey}
		}
	}
	if dropped == 0 {
		return noErr
	}
	// Relink the members that stay. The chain still holds every member.
	var last uint32
	first := t[o].first
	t[o].first = 0
	for k := first; k != 0; {
		next := t[k].next
		if t[k].flags&fKeyDropped == 0 {
			if last == 0 {
				t[o].first = k
			} else {
				t[last].next = k
			}
			last = k
		}
		k = next
	}
	t[last].next = 0
	t[o].n -= uint32(dropped)
	return noErr
}

// keyEqual reports whether two key nodes decode to the same text.
func (p *parser) keyEqual(a, b uint32) bool {
	t := p.doc.tape
	if (t[a].flags|t[b].flags)&(fEscape|fBadUTF8) == 0 {
		data := p.doc.data
		return t[a].end-t[a].start == t[b].end-t[b].start &&
			string(data[t[a].start:t[a].end]) == string(data[t[b].start:t[b].end])
	}
	return p.keyCompare(a, b) == 0
}

// keyCompare orders two key nodes by their decoded text.
func (p *parser) keyCompare(a, b uint32) int {
	t, data := p.doc.tape, p.doc.data
	ra, rb := data[t[a].start+1:t[a].end-1], data[t[b].start+1:t[b].end-1]
	if (t[a].flags|t[b].flags)&(fEscape|fBadUTF8) == 0 {
		return bytes.Compare(ra, rb)
	}
	p.ka = appendUnquoted(p.ka[:0], ra, t[a].flags)
	p.kb = appendUnquoted(p.kb[:0], rb, t[b].flags)
	return bytes.Compare(p.ka, p.kb)
}

// appendUnquoted appends the decoded text of a string's raw contents
// (without quotes, already validated by scanString) to dst, the way
// encoding/json does: invalid UTF-8 and unpaired surrogates become U+FFFD.
func appendUnquoted(dst, raw []byte, flags uint8) []byte {
	if flags&(fEscape|fBadUTF8) == 0 {
		return append(dst, raw...)
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch raw[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r, _ := hex4(raw, i+2)
				i += 6
				if utf16.IsSurrogate(r) {
					if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						if r2, e := hex4(raw, i+2); e.ok() {
							if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
								dst = utf8.AppendRune(dst, d)
								i += 6
								continue
							}
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, raw[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			dst = utf8.AppendRune(dst, r) // RuneError for a bad byte
			i += size
		}
	}
	return dst
}
