package jsonparse

import (
	"fmt"
	"iter"
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

// Value is an immutable JSON value: a position in a parsed document. It is
// small and meant to be passed by value; it is safe for concurrent use.
// The zero Value has Kind Invalid and answers every lookup with nothing.
type Value struct {
	// TODO: a reference to the parsed document and a position in it.
}

// Kind returns the value's kind, Invalid for the zero Value.
func (v Value) Kind() Kind {
	return Invalid // TODO
}

// Raw returns the value's text as it appears in the input. It aliases the
// input: do not modify it.
func (v Value) Raw() []byte {
	return nil // TODO
}

// Bool returns the value of true or false.
func (v Value) Bool() (bool, error) {
	return false, ErrNotImplemented // TODO: ErrType for other kinds
}

// Number returns a number's original text, "" for other kinds.
func (v Value) Number() string {
	return "" // TODO
}

// Int64 returns an integer number. A fraction or exponent is ErrType;
// a value outside int64 is ErrRange.
func (v Value) Int64() (int64, error) {
	return 0, ErrNotImplemented // TODO
}

// Float64 returns a number as the nearest float64. A number too large for
// float64 returns ±Inf and ErrRange.
func (v Value) Float64() (float64, error) {
	return 0, ErrNotImplemented // TODO
}

// Str returns a string's decoded text.
func (v Value) Str() (string, error) {
	return "", ErrNotImplemented // TODO: decode escapes; invalid UTF-8 and lone surrogates become U+FFFD
}

// Len returns the number of elements of an array or members of an object
// (after the duplicate policy), 0 for other kinds.
func (v Value) Len() int {
	return 0 // TODO
}

// Index returns element i of an array, or the zero Value if v is not an
// array or i is out of range.
func (v Value) Index(i int) Value {
	return Value{} // TODO
}

// Get returns the value of the member named key (after the duplicate
// policy), and whether there is one.
func (v Value) Get(key string) (Value, bool) {
	return Value{}, false // TODO
}

// Members yields an object's members in document order (after the
// duplicate policy). It yields nothing for other kinds.
func (v Value) Members() iter.Seq2[string, Value] {
	return func(yield func(string, Value) bool) {} // TODO
}

// Elements yields an array's elements in order, nothing for other kinds.
func (v Value) Elements() iter.Seq[Value] {
	return func(yield func(Value) bool) {} // TODO
}

// Pointer resolves an RFC 6901 JSON Pointer such as "/a/0/b~1c" against
// v. "" is v itself. A pointer that is not "" and does not start with "/",
// or has a "~" not followed by "0" or "1", is ErrPointer; one that names
// nothing is ErrNotFound.
func (v Value) Pointer(p string) (Value, error) {
	return Value{}, ErrNotImplemented // TODO
}
