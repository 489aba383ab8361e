package undo

import (
	"encoding/json"
	"slices"
)

// Document is the text being edited. Positions and lengths count runes, not
// bytes. The zero value is an empty document.
type Document struct {
	// TODO(d04): hold the text. Think about what typing at the end, and
	// indexing by rune, cost with the representation you pick.
}

// Len returns the length of the document in runes.
func (d *Document) Len() int {
	// TODO(d04)
	return 0
}

// String returns the text.
func (d *Document) String() string {
	// TODO(d04)
	return ""
}

// Insert inserts s before the rune at pos (pos == Len() appends). It fails
// with ErrOutOfRange when pos is outside [0, Len()] and with ErrInvalid when
// s is not valid UTF-8; on error the document is unchanged.
func (d *Document) Insert(pos int, s string) error {
	// TODO(d04)
	return ErrNotImplemented
}

// Delete removes n runes starting at pos and returns them. It fails with
// ErrOutOfRange when pos or n is negative or pos+n > Len(); on error the
// document is unchanged.
func (d *Document) Delete(pos, n int) (string, error) {
	// TODO(d04)
	return "", ErrNotImplemented
}

// Command is one edit. Apply changes the document and returns the command
// that reverts exactly that change; on error it leaves the document as it
// was. Name is the name the command's type is registered under with
// RegisterCommand: it is what Event.Cmd records. The command itself is
// stored as its encoding/json encoding.
type Command interface {
	Name() string
	Apply(d *Document) (inverse Command, err error)
}

// The built-in commands. Their fields are their stored format (see the
// README): keep the json tags.

// insertCmd is Insert. Version 2 data: {"pos": 3, "text": "abc"}, in runes.
type insertCmd struct {
	Pos  int    `json:"pos"`
	Text string `json:"text"`
}

// deleteCmd is Delete. Version 2 data: {"pos": 3, "n": 2}, in runes.
type deleteCmd struct {
	Pos int `json:"pos"`
	N   int `json:"n"`
}

// macroCmd is Macro. Version 1 data: {"name": "indent", "cmds": [{"cmd":
// "insert", "v": 2, "data": {...}}, ...]}: each step stored like an event's
// command, with its name and version.
type macroCmd struct {
	Label string
	Steps []Command
}

// Insert returns a command that inserts text before the rune at pos.
func Insert(pos int, text string) Command { return insertCmd{Pos: pos, Text: text} }

// Delete returns a command that removes n runes starting at pos.
func Delete(pos, n int) Command { return deleteCmd{Pos: pos, N: n} }

// Macro returns a command that applies cmds in order, all or nothing: when a
// step fails, the steps before it are reverted and Apply returns the step's
// error. Its inverse is one command, so one Undo reverts the whole macro.
func Macro(name string, cmds ...Command) Command {
	return macroCmd{Label: name, Steps: slices.Clone(cmds)}
}

func (insertCmd) Name() string { return "insert" }
func (deleteCmd) Name() string { return "delete" }
func (macroCmd) Name() string  { return "macro" }

func (c insertCmd) Apply(d *Document) (Command, error) {
	// TODO(d04): insert, and return the command that takes it out again.
	return nil, ErrNotImplemented
}

func (c deleteCmd) Apply(d *Document) (Command, error) {
	// TODO(d04): delete, and return the command that puts the text back.
	return nil, ErrNotImplemented
}

func (m macroCmd) Apply(d *Document) (Command, error) {
	// TODO(d04): apply the steps in order; if one fails, revert the ones
	// before it. The inverse of the macro is one command.
	return nil, ErrNotImplemented
}

// TODO(d04): macroCmd needs a MarshalJSON that writes the format above, and
// the registry needs a decoder that reads it back.

// RegisterCommand makes name decodable: decode turns the Data of an event
// recorded at the given version back into a Command. The version registered
// last for a name is its current version: Do records commands with it, and
// events recorded with an older one are upcast to it (RegisterUpcaster)
// before decode sees them. It panics on an empty name, a version below 1 or
// a nil decode.
func RegisterCommand(name string, version int, decode func(json.RawMessage) (Command, error)) {
	// TODO(d04): a registry (unexported), and an init function that
	// registers insert (v2), delete (v2) and macro (v1), and the upcasters
	// of insert and delete from version 1 (byte offsets).
}

// RegisterUpcaster registers the conversion of name's data from version from
// to version from+1. up receives the document as it is just before the
// command is applied (read it, do not change it): converting byte offsets to
// rune offsets needs the text. Upcasters chain: an event at version 1 of a
// command whose current version is 3 goes through 1→2 and 2→3. It panics on
// an empty name, from < 1 or a nil up.
func RegisterUpcaster(name string, from int, up func(d *Document, data json.RawMessage) (json.RawMessage, error)) {
	// TODO(d04)
}
