package lsp

import (
	"encoding/json"

	"go.lsp.dev/protocol"
)

func jsonRaw(b []byte) json.RawMessage { return json.RawMessage(b) }

// mustRaw encodes an LSP value for an LSPAny field.
func mustRaw(v any) protocol.LSPAny {
	data, err := protocol.Marshal(v)
	if err != nil {
		panic(err) // only our own well-formed values come here
	}
	return protocol.LSPAny(data)
}
