package jsonparse

import (
	"errors"
	"fmt"
	"io"
	"math"
)

// Token is one lexical element of a JSON stream. Commas and colons are
// checked but not reported.
type Token struct {
	Kind   TokenKind
	Raw    []byte // the token's bytes as read (strings keep their quotes); valid until the next call to Token or Skip
	Depth  int    // containers around the token; a container's delimiters are outside it
	Offset int64  // offset of the token's first byte in the stream
}

// Decoder reads a stream of JSON values, such as NDJSON, token by token,
// with memory bounded by the longest token rather than the input. Options
// apply except Duplicates. A Decoder is not safe for concurrent use.
type Decoder struct {
	r    io.Reader
	o    Options
	g    grammar
	buf  []byte
	pos  int   // buf[pos:n] is read but not consumed
	n    int   //
	base int64 // stream offset of buf[0]
	rerr error // the reader's error, acted on once buf is drained
	err  error // sticky: every later call returns it

	line      int   // line of buf[pos]
	lineStart int64 // stream offset where that line starts
	cr        bool  // the last byte consumed was '\r'
	valStart  int64 // stream offset of the current top-level value
}

const minRead = 512

var errSkipEnd = errors.New("jsonparse: Skip at the end of a container")

// NewDecoder returns a Decoder reading from r. Invalid options are
// reported by the first call to Token or Skip.
func NewDecoder(r io.Reader, o Options) *Decoder {
	d := &Decoder{r: r, o: o, line: 1, g: grammar{maxDepth: o.maxDepth(), strict: o.StrictUTF8}}
	d.err = o.check()
	return d
}

// Token returns the next token. Between top-level values, at the end of
// the input, it returns io.EOF; any error is returned again by every later
// call. Errors about the input are *SyntaxError.
func (d *Decoder) Token() (Token, error) {
	if d.err != nil {
		return Token{}, d.err
	}
	for {
		i, ok := d.skipSpace()
		if !ok {
			return Token{}, d.err
		}
		if d.g.state == stDone { // another top-level value
			d.g.state = stValue
		}
		if d.g.state == stValue && len(d.g.stack) == 0 {
			d.valStart = d.base + int64(i)
		}
		limit := d.n
		if d.g.needsToken(d.buf[i]) {
			if i, limit, ok = d.complete(i); !ok {
				return Token{}, d.err
			}
		}
		k, end, _, e := d.g.step(d.buf[:limit], i)
		if !e.ok() {
			return Token{}, d.fail(d.syntax(e, d.base+int64(e.off)))
		}
		if d.over(d.base + int64(end) - 1) {
			return Token{}, d.fail(d.maxBytes())
		}
		d.pos = end
		if k == tokNone {
			continue
		}
		depth := len(d.g.stack)
		if k == TokBeginArray || k == TokBeginObject {
			depth--
		}
		return Token{Kind: k, Raw: d.buf[i:end:end], Depth: depth, Offset: d.base + int64(i)}, nil
	}
}

// Skip consumes the next value, with everything nested in it; before an
// object key, the key and its value. At the end of a container it
// consumes nothing and returns an error. It returns io.EOF at the end of
// the input.
func (d *Decoder) Skip() error {
	if d.err != nil {
		return d.err
	}
	i, ok := d.skipSpace()
	if !ok {
		return d.err
	}
	switch c := d.buf[i]; d.g.state {
	case stCommaOrEnd, stValueOrEnd, stKeyOrEnd:
		top := d.g.stack[len(d.g.stack)-1]
		if (c == ']' && top == '[') || (c == '}' && top == '{') {
			return errSkipEnd
		}
	}
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok.Kind == TokKey {
		if tok, err = d.Token(); err != nil {
			return err
		}
	}
	if tok.Kind != TokBeginArray && tok.Kind != TokBeginObject {
		return nil
	}
	for depth := tok.Depth; ; {
		if tok, err = d.Token(); err != nil {
			return err
		}
		if (tok.Kind == TokEndArray || tok.Kind == TokEndObject) && tok.Depth == depth {
			return nil
		}
	}
}

func (d *Decoder) fail(err error) error {
	d.err = err
	return err
}

func (d *Decoder) syntax(e lexError, off int64) *SyntaxError {
	return e.syntax(off, d.line, int(off-d.lineStart)+1)
}

// over reports whether the byte at stream offset off lies beyond
// Options.MaxBytes from the start of the current top-level value.
func (d *Decoder) over(off int64) bool {
	return d.o.MaxBytes > 0 && off-d.valStart >= d.o.MaxBytes
}

func (d *Decoder) maxBytes() error {
	return d.syntax(lexError{msg: fmt.Sprintf("value longer than %d bytes", d.o.MaxBytes), err: ErrMaxBytes}, d.valStart+d.o.MaxBytes)
}

// skipSpace consumes whitespace, counting lines, and returns the index in
// buf of the next byte. At the end of the input or on a read error it sets
// d.err and returns false.
func (d *Decoder) skipSpace() (int, bool) {
	for {
		for ; d.pos < d.n; d.pos++ {
			c := d.buf[d.pos]
			if len(d.g.stack) > 0 && d.over(d.base+int64(d.pos)) {
				d.fail(d.maxBytes())
				return 0, false
			}
			switch c {
			case ' ', '\t':
			case '\n':
				if !d.cr { // the '\r' of "\r\n" already counted the line
					d.line++
				}
				d.lineStart = d.base + int64(d.pos) + 1
			case '\r':
				d.line++
				d.lineStart = d.base + int64(d.pos) + 1
				d.cr = true
				continue
			default:
				d.cr = false
				return d.pos, true
			}
			d.cr = false
		}
		if _, ok := d.fill(); !ok {
			d.fail(d.atEnd())
			return 0, false
		}
	}
}

// atEnd is the error for running out of input between tokens.
func (d *Decoder) atEnd() error {
	if d.rerr != io.EOF {
		return d.rerr
	}
	if d.g.state == stDone || (d.g.state == stValue && len(d.g.stack) == 0) {
		return io.EOF
	}
	return d.syntax(errEOF(0), d.base+int64(d.n))
}

// runByte reports whether c can continue a number or a literal.
func runByte(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c == '+' || c == '-' || c == '.'
}

// complete makes sure the whole token starting at buf[i] is in buf,
// reading more as needed. It returns the token's (possibly moved) start
// and a limit: the index after the byte that ends the token (the closing
// quote, a control character, or the first byte after a number or
// literal), or the end of the input. The lexer, given buf[:limit], then
// sees exactly what Parse would see. The scan resumes where it stopped
// after every read, so a token split into n reads costs O(n), not O(n²).
func (d *Decoder) complete(i int) (start, limit int, ok bool) {
	str := d.buf[i] == '"'
	j := i + 1
	for {
		if str {
		scan:
			for j < d.n {
				switch c := d.buf[j]; {
				case c == '"' || c < 0x20:
					return i, j + 1, true
				case c == '\\':
					if j+1 >= d.n {
						break scan // resume at the backslash
					}
					j += 2
				default:
					j++
				}
			}
		} else {
			for j < d.n && runByte(d.buf[j]) {
				j++
			}
			if j < d.n {
				return i, j + 1, true
			}
		}
		if d.over(d.base + int64(d.n) - 1) {
			d.fail(d.maxBytes())
			return 0, 0, false
		}
		shift, more := d.fill()
		i, j = i-shift, j-shift
		if !more {
			if d.rerr != io.EOF {
				d.fail(d.rerr)
				return 0, 0, false
			}
			return i, d.n, true
		}
	}
}

// fill reads more input after buf[:n]. When buf is full it first moves
// the unconsumed bytes buf[pos:n] to the front, and grows buf when they
// take most of it. It returns how far those bytes moved, and false at the
// end of the input or on a read error (in d.rerr).
func (d *Decoder) fill() (shift int, ok bool) {
	if d.rerr != nil {
		return 0, false
	}
	if d.buf == nil {
		d.buf = make([]byte, 4096)
	}
	if d.n == len(d.buf) && d.pos > 0 {
		shift = d.pos
		copy(d.buf, d.buf[d.pos:d.n])
		d.n -= d.pos
		d.base += int64(d.pos)
		d.pos = 0
	}
	if len(d.buf)-d.n < minRead {
		if len(d.buf) > math.MaxInt/2 {
			d.rerr = errors.New("jsonparse: token too large")
			return shift, false
		}
		nb := make([]byte, 2*len(d.buf))
		copy(nb, d.buf[:d.n])
		d.buf = nb
	}
	for range 100 {
		m, err := d.r.Read(d.buf[d.n:])
		d.n += m
		if err != nil {
			d.rerr = err
			return shift, m > 0
		}
		if m > 0 {
			return shift, true
		}
	}
	d.rerr = io.ErrNoProgress
	return shift, false
}
