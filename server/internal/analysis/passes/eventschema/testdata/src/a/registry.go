// Package a is shaped like the d04 challenge: commands, a registry, and
// the commands registered with it.
package a

import (
	"encoding/json"
	"time"
)

type Document struct{ text []rune }

type Command interface {
	Name() string
	Apply(d *Document) (Command, error)
}

var registry = map[string]func(json.RawMessage) (Command, error){}

// RegisterCommand makes name decodable.
func RegisterCommand(name string, version int, decode func(json.RawMessage) (Command, error)) {
	registry[name] = decode
}

// RegisterUpcaster converts data from version from to from+1.
func RegisterUpcaster(name string, from int, up func(d *Document, data json.RawMessage) (json.RawMessage, error)) {
}

func decodeJSON[T Command](data json.RawMessage) (Command, error) {
	var c T
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, err
	}
	return c, nil
}

type noop struct{}

func (noop) Name() string                       { return "noop" }
func (noop) Apply(d *Document) (Command, error) { return noop{}, nil }

// Snapshot is stored too, but not through RegisterCommand.
type Snapshot struct {
	Text string
	At   time.Time
}
