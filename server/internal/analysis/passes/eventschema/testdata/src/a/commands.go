package a

import (
	"bytes"
	"encoding/json"
	"time"
)

const cmdRename = "rename"

// Tagged: nothing to report.
type insertCmd struct {
	noop
	Pos  int       `json:"pos"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
	seq  int
	Skip string `json:"-"`
}

// Untagged fields, registered through a generic instance.
type renameCmd struct {
	noop
	From string // want `field From of renameCmd has no json tag, yet RegisterCommand\("rename", 2, ...\) at commands.go:\d+ stores it in the event log: renaming the Go field would silently change the stored format; tag it json:"from"`
	To   string // want `field To of renameCmd has no json tag`
}

// A tag without a name, and a tag for another encoding.
type moveCmd struct {
	noop
	Pos    int    `json:",omitempty"` // want `field Pos of moveCmd has a json tag with no name`
	Len    int    `yaml:"len"`        // want `field Len of moveCmd has no json tag`
	URLKey string // want `tag it json:"urlKey"`
}

// Two names in one declaration share a tag: reported, no fix.
type pointCmd struct {
	noop
	X, Y int // want `field X of pointCmd` `field Y of pointCmd`
}

// The lower-camel name is taken: reported, no fix.
type labelCmd struct {
	noop
	Label string // want `field Label of labelCmd has no json tag`
	Alt   string `json:"label"`
}

// An embedded struct's fields are stored inline.
type meta struct {
	Author string // want `field Author of meta has no json tag`
}

type stampCmd struct {
	noop
	meta
	Note string `json:"note"`
}

// Stored inside another stored type.
type stepJSON struct {
	Cmd  string          `json:"cmd"`
	Data json.RawMessage // want `field Data of stepJSON \(stored inside an anonymous struct\) has no json tag`
}

// macroCmd decides its own format: its fields are not the stored ones.
type macroCmd struct {
	noop
	Label string
	Steps []Command
}

func (m macroCmd) MarshalJSON() ([]byte, error) { return json.Marshal(m.Label) }

// Registered only as an upcaster's input: not a command's format.
type oldInsert struct {
	Offset int
}

// tagCmd is reached through a helper the decode function hands its data to.
type tagCmd struct {
	noop
	ID string // want `tag it json:"id"`
}

func decodeTag(raw json.RawMessage) (Command, error) {
	var c tagCmd
	err := json.Unmarshal(raw, &c)
	return c, err
}

// streamCmd is read with a json.Decoder.
type streamCmd struct {
	noop
	Bytes int // want `field Bytes of streamCmd has no json tag`
}

// Extra data unmarshalled from somewhere else is not the command's format.
type extra struct {
	Hint string
}

func init() {
	RegisterCommand("insert", 2, decodeJSON[insertCmd])
	RegisterCommand(cmdRename, 2, decodeJSON[renameCmd])
	RegisterCommand("move", 1, func(data json.RawMessage) (Command, error) {
		var c moveCmd
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, err
		}
		return c, nil
	})
	RegisterCommand("point", 1, decodeJSON[pointCmd])
	RegisterCommand("label", 1, decodeJSON[*labelCmd])
	RegisterCommand("stamp", 1, decodeJSON[stampCmd])
	RegisterCommand("macro", 1, func(data json.RawMessage) (Command, error) {
		var w struct {
			Name    string          `json:"name"`
			Version int             // want `field Version of an anonymous struct has no json tag`
			Steps   []stepJSON      `json:"steps"`
			Extra   json.RawMessage `json:"extra"`
		}
		if err := json.Unmarshal(data, &w); err != nil {
			return nil, err
		}
		var x extra
		_ = json.Unmarshal(w.Extra, &x)
		return macroCmd{Label: w.Name}, nil
	})
	RegisterCommand("tag", 1, func(raw json.RawMessage) (Command, error) { return decodeTag(raw) })
	RegisterCommand("stream", 1, func(raw json.RawMessage) (Command, error) {
		var c streamCmd
		err := json.NewDecoder(bytes.NewReader(raw)).Decode(&c)
		return c, err
	})
	RegisterUpcaster("insert", 1, func(_ *Document, data json.RawMessage) (json.RawMessage, error) {
		var v oldInsert
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, err
		}
		return json.Marshal(insertCmd{Pos: v.Offset})
	})
}

func (*labelCmd) Name() string                       { return "label" }
func (*labelCmd) Apply(d *Document) (Command, error) { return noop{}, nil }
