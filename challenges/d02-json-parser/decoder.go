package jsonparse

import "io"

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
	// TODO: the reader, a buffer, the container stack, the position.
}

// NewDecoder returns a Decoder reading from r. Invalid options are
// reported by the first call to Token or Skip.
func NewDecoder(r io.Reader, o Options) *Decoder {
	return &Decoder{} // TODO
}

// Token returns the next token. Between top-level values, at the end of
// the input, it returns io.EOF; any error is returned again by every later
// call. Errors about the input are *SyntaxError.
func (d *Decoder) Token() (Token, error) {
	// TODO: skip whitespace (counting lines), make sure the whole token is
	// in the buffer (a token may span many reads), lex it, check it against
	// the grammar state and the container stack.
	return Token{}, ErrNotImplemented
}

// Skip consumes the next value, with everything nested in it; before an
// object key, the key and its value. At the end of a container it
// consumes nothing and returns an error. It returns io.EOF at the end of
// the input.
func (d *Decoder) Skip() error {
	return ErrNotImplemented // TODO
}
