// Package jsonparse is an RFC 8259 JSON parser written from scratch: a
// zero-copy lexer, an immutable Value tree that keeps object members in
// document order and answers RFC 6901 JSON Pointer lookups, and a streaming
// Decoder that reads tokens from an io.Reader. Neither recurses: nesting is
// tracked on an explicit stack whose depth is bounded by Options.MaxDepth.
package jsonparse

import (
	"errors"
	"fmt"
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

// Parse parses one JSON value, optionally surrounded by whitespace. It does
// not copy data: the Value refers to it, so data must not be modified
// while the Value is in use. Errors about the input are *SyntaxError.
func Parse(data []byte, o Options) (Value, error) {
	// TODO: validate o (errors wrapping ErrOptions), enforce MaxBytes, then
	// lex and build the tree in one pass, without recursion: an explicit
	// stack of open containers, checked against MaxDepth before each push.
	// Apply o.Duplicates when an object closes.
	return Value{}, ErrNotImplemented
}
