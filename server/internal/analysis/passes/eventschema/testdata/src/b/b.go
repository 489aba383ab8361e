// Package b registers a command of its own with a's registry, and has a
// RegisterCommand of its own that is no event registry.
package b

import (
	"encoding/json"

	"a"
)

type upperCmd struct {
	From int // want `field From of upperCmd has no json tag, yet a.RegisterCommand\("upper", 1, ...\)`
}

func (upperCmd) Name() string                           { return "upper" }
func (upperCmd) Apply(d *a.Document) (a.Command, error) { return nil, nil }

// A CLI's command registry: same name, no stored data.
type cliCmd struct{ Usage string }

func RegisterCommand(name string, run func(args []string) (cliCmd, error)) {}

func init() {
	a.RegisterCommand("upper", 1, func(data json.RawMessage) (a.Command, error) {
		var c upperCmd
		err := json.Unmarshal(data, &c)
		return c, err
	})
	RegisterCommand("help", func(args []string) (cliCmd, error) { return cliCmd{}, nil })
}
