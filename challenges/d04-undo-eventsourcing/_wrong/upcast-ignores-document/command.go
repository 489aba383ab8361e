package undo

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"unicode/utf8"
)

// Document is the text being edited. Positions and lengths count runes, not
// bytes. The zero value is an empty document.
type Document struct {
	r []rune // a rune slice: O(1) rune indexing, amortised growth when typing at the end
}

// Len returns the length of the document in runes.
func (d *Document) Len() int { return len(d.r) }

// String returns the text.
func (d *Document) String() string { return string(d.r) }

// Insert inserts s before the rune at pos (pos == Len() appends). It fails
// with ErrOutOfRange when pos is outside [0, Len()] and with ErrInvalid when
// s is not valid UTF-8; on error the document is unchanged.
func (d *Document) Insert(pos int, s string) error {
	if pos < 0 || pos > len(d.r) {
		return fmt.Errorf("%w: insert at %d in a document of %d runes", ErrOutOfRange, pos, len(d.r))
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%w: insert of text that is not valid UTF-8", ErrInvalid)
	}
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return nil
	}
	// Open a gap of n runes at pos and fill it: no temporary []rune(s).
	d.r = slices.Grow(d.r, n)
	d.r = d.r[:len(d.r)+n]
	copy(d.r[pos+n:], d.r[pos:])
	i := pos
	for _, c := range s {
		d.r[i] = c
		i++
	}
	return nil
}

// Delete removes n runes starting at pos and returns them. It fails with
// ErrOutOfRange when pos or n is negative or pos+n > Len(); on error the
// document is unchanged.
func (d *Document) Delete(pos, n int) (string, error) {
	if pos < 0 || n < 0 || pos > len(d.r)-n {
		return "", fmt.Errorf("%w: delete %d runes at %d in a document of %d runes", ErrOutOfRange, n, pos, len(d.r))
	}
	s := string(d.r[pos : pos+n])
	d.r = slices.Delete(d.r, pos, pos+n)
	return s, nil
}

// runeIndex converts a byte offset into the text to a rune offset. It
// reports false when b is negative, past the end, or inside a rune.
func (d *Document) runeIndex(b int) (int, bool) {
	if b < 0 {
		return 0, false
	}
	at := 0
	for i, c := range d.r {
		if at == b {
			return i, true
		}
		if at > b {
			return 0, false
		}
		at += utf8.RuneLen(c)
	}
	return len(d.r), at == b
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

// Names of the built-in commands.
const (
	cmdInsert = "insert"
	cmdDelete = "delete"
	cmdMacro  = "macro"
)

// insertCmd is Insert. Stored as {"pos": 3, "text": "abc"} (version 2: rune
// offsets).
type insertCmd struct {
	Pos  int    `json:"pos"`
	Text string `json:"text"`
}

// deleteCmd is Delete. Stored as {"pos": 3, "n": 2} (version 2: runes).
type deleteCmd struct {
	Pos int `json:"pos"`
	N   int `json:"n"`
}

// macroCmd is Macro. Stored as {"name": "indent", "cmds": [{"cmd": "insert",
// "v": 2, "data": {...}}, ...]}.
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

func (insertCmd) Name() string { return cmdInsert }
func (deleteCmd) Name() string { return cmdDelete }
func (macroCmd) Name() string  { return cmdMacro }

func (c insertCmd) Apply(d *Document) (Command, error) {
	if err := d.Insert(c.Pos, c.Text); err != nil {
		return nil, err
	}
	return deleteCmd{Pos: c.Pos, N: utf8.RuneCountInString(c.Text)}, nil
}

func (c deleteCmd) Apply(d *Document) (Command, error) {
	s, err := d.Delete(c.Pos, c.N)
	if err != nil {
		return nil, err
	}
	return insertCmd{Pos: c.Pos, Text: s}, nil
}

func (m macroCmd) Apply(d *Document) (Command, error) {
	inv := make([]Command, 0, len(m.Steps))
	for i, c := range m.Steps {
		var (
			ic  Command
			err error
		)
		if c == nil {
			err = fmt.Errorf("%w: nil command", ErrInvalid)
		} else {
			ic, err = c.Apply(d)
		}
		if err != nil {
			// All or nothing: revert what the earlier steps did, newest first.
			for j := len(inv) - 1; j >= 0; j-- {
				if _, rerr := inv[j].Apply(d); rerr != nil {
					return nil, errors.Join(err, fmt.Errorf("macro %q: rollback of step %d: %w", m.Label, j+1, rerr))
				}
			}
			return nil, fmt.Errorf("macro %q, step %d: %w", m.Label, i+1, err)
		}
		inv = append(inv, ic)
	}
	slices.Reverse(inv)
	return macroCmd{Label: m.Label, Steps: inv}, nil
}

// storedCmd is a command as it is stored inside a macro or a snapshot.
type storedCmd struct {
	Cmd     string          `json:"cmd"`
	Version int             `json:"v"`
	Data    json.RawMessage `json:"data"`
}

type macroJSON struct {
	Name string      `json:"name"`
	Cmds []storedCmd `json:"cmds"`
}

// MarshalJSON stores each step with its own name and version, so the steps
// are decoded (and upcast) like any other command.
func (m macroCmd) MarshalJSON() ([]byte, error) {
	w := macroJSON{Name: m.Label, Cmds: make([]storedCmd, 0, len(m.Steps))}
	for _, c := range m.Steps {
		sc, err := store(c)
		if err != nil {
			return nil, err
		}
		w.Cmds = append(w.Cmds, sc)
	}
	return json.Marshal(w)
}

// ---- the registry ----

// registration is immutable once it is in the registry: registering again
// stores a new value, so a copy taken by lookup never changes under its
// holder and costs no allocation.
type registration struct {
	version int                                    // the current version: what Do writes
	decode  func(json.RawMessage) (Command, error) // decodes the current version
	up      map[int]upcaster                       // from → from+1
}

type upcaster = func(*Document, json.RawMessage) (json.RawMessage, error)

// registry maps command names to their decoders and upcasters. Registration
// normally happens in init functions, but the RWMutex makes it safe at any
// time.
var registry = struct {
	sync.RWMutex
	m map[string]registration
}{m: map[string]registration{}}

func init() {
	RegisterCommand(cmdInsert, 2, decodeJSON[insertCmd])
	RegisterCommand(cmdDelete, 2, decodeJSON[deleteCmd])
	RegisterCommand(cmdMacro, 1, decodeMacro)
	RegisterUpcaster(cmdInsert, 1, insertV1toV2)
	RegisterUpcaster(cmdDelete, 1, deleteV1toV2)
}

// RegisterCommand makes name decodable: decode turns the Data of an event
// recorded at the given version back into a Command. The version registered
// last for a name is its current version: Do records commands with it, and
// events recorded with an older one are upcast to it (RegisterUpcaster)
// before decode sees them. It panics on an empty name, a version below 1 or
// a nil decode, like the other registration functions of the standard
// library.
func RegisterCommand(name string, version int, decode func(json.RawMessage) (Command, error)) {
	if name == "" || version < 1 || decode == nil {
		panic(fmt.Sprintf("undo: RegisterCommand(%q, %d, decode=%v): bad registration", name, version, decode != nil))
	}
	registry.Lock()
	defer registry.Unlock()
	r := registry.m[name]
	r.version, r.decode = version, decode
	registry.m[name] = r
}

// RegisterUpcaster registers the conversion of name's data from version from
// to version from+1. up receives the document as it is just before the
// command is applied (read it, do not change it): converting byte offsets to
// rune offsets needs the text. Upcasters chain: an event at version 1 of a
// command whose current version is 3 goes through 1→2 and 2→3. It panics on
// an empty name, from < 1 or a nil up.
func RegisterUpcaster(name string, from int, up func(d *Document, data json.RawMessage) (json.RawMessage, error)) {
	if name == "" || from < 1 || up == nil {
		panic(fmt.Sprintf("undo: RegisterUpcaster(%q, %d, up=%v): bad registration", name, from, up != nil))
	}
	registry.Lock()
	defer registry.Unlock()
	r := registry.m[name]
	r.up = maps.Clone(r.up) // copy on write: older copies stay valid
	if r.up == nil {
		r.up = map[int]upcaster{}
	}
	r.up[from] = up
	registry.m[name] = r
}

// lookup returns the registration of name.
func lookup(name string) (registration, bool) {
	registry.RLock()
	defer registry.RUnlock()
	r, ok := registry.m[name]
	return r, ok && r.decode != nil
}

// encode returns c's current version and its encoding/json encoding.
func encode(c Command) (int, json.RawMessage, error) {
	r, ok := lookup(c.Name())
	if !ok {
		return 0, nil, fmt.Errorf("%w: %q", ErrUnknownCommand, c.Name())
	}
	data, err := json.Marshal(c)
	if err != nil {
		return 0, nil, fmt.Errorf("undo: encoding %q: %w", c.Name(), err)
	}
	return r.version, data, nil
}

// store encodes c for a macro or a snapshot.
func store(c Command) (storedCmd, error) {
	if c == nil {
		return storedCmd{}, fmt.Errorf("%w: nil command", ErrInvalid)
	}
	v, data, err := encode(c)
	return storedCmd{Cmd: c.Name(), Version: v, Data: data}, err
}

// decode turns recorded data back into a command. Data at the current
// version is decoded at once. Older data can only be upcast once the document
// it applies to is known, so it becomes a legacyCmd that upcasts when it is
// applied: that way the steps of an old macro are converted against the text
// each of them actually sees.
func decode(name string, version int, data json.RawMessage) (Command, error) {
	r, ok := lookup(name)
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: %q", ErrUnknownCommand, name)
	case version == r.version:
		c, err := r.decode(data)
		if err != nil {
			return nil, fmt.Errorf("%w: decoding %s v%d: %w", ErrCorrupt, name, version, err)
		}
		return c, nil
	case version < 1 || version > r.version:
		return nil, fmt.Errorf("%w: %q version %d (current: %d)", ErrUnknownCommand, name, version, r.version)
	}
	for v := version; v < r.version; v++ {
		if r.up[v] == nil {
			return nil, fmt.Errorf("%w: %q version %d: no upcaster from version %d", ErrUnknownCommand, name, version, v)
		}
	}
	return legacyCmd{name: name, version: version, data: data, reg: r}, nil
}

// legacyCmd is a command recorded at an older version, upcast when applied.
type legacyCmd struct {
	name    string
	version int
	data    json.RawMessage
	reg     registration
}

func (c legacyCmd) Name() string { return c.name }

func (c legacyCmd) Apply(d *Document) (Command, error) {
	data := c.data
	for v := c.version; v < c.reg.version; v++ {
		var err error
		if data, err = c.reg.up[v](d, data); err != nil {
			return nil, fmt.Errorf("%w: upcasting %s from v%d: %w", ErrCorrupt, c.name, v, err)
		}
	}
	cmd, err := c.reg.decode(data)
	if err != nil {
		return nil, fmt.Errorf("%w: decoding %s v%d: %w", ErrCorrupt, c.name, c.reg.version, err)
	}
	return cmd.Apply(d)
}

// MarshalJSON refuses: a legacy command cannot be re-encoded at the current
// version without its document. Inverses are always current commands, so
// this never runs for a valid log.
func (c legacyCmd) MarshalJSON() ([]byte, error) {
	return nil, fmt.Errorf("undo: %s v%d cannot be stored before it is applied", c.name, c.version)
}

func decodeJSON[T Command](data json.RawMessage) (Command, error) {
	var c T
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeMacro(data json.RawMessage) (Command, error) {
	var w macroJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	m := macroCmd{Label: w.Name, Steps: make([]Command, 0, len(w.Cmds))}
	for _, sc := range w.Cmds {
		c, err := decode(sc.Cmd, sc.Version, sc.Data)
		if err != nil {
			return nil, err
		}
		m.Steps = append(m.Steps, c)
	}
	return m, nil
}

// Version 1 of insert and delete counted bytes. Converting needs the text
// the command applies to: that is why an upcaster receives the document.

func insertV1toV2(d *Document, data json.RawMessage) (json.RawMessage, error) {
	var c insertCmd
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	// Same fields in both versions: nothing to convert.
	return json.Marshal(c)
}

func deleteV1toV2(d *Document, data json.RawMessage) (json.RawMessage, error) {
	var c deleteCmd
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return json.Marshal(c)
}
