package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// codeAction offers the hint passes' suggested fixes as quick fixes for
// the hints under the cursor or selection.
func (s *Server) codeAction(_ context.Context, p *protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	out := []protocol.CodeAction{}
	st, id := s.locate(p.TextDocument.URI)
	if st == nil {
		return out, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := st.diags[id]
	if d == nil {
		return out, nil
	}
	for _, h := range d.hints[p.TextDocument.URI] {
		if !overlaps(h.Range, p.Range) {
			continue
		}
		for _, fix := range h.fixes {
			fix.Diagnostics = []protocol.Diagnostic{h.Diagnostic}
			out = append(out, fix)
		}
	}
	return out, nil
}

// overlaps compares lines, not characters: a cursor anywhere on the
// hint's line should offer its fix, as the editor's light bulb suggests.
func overlaps(a, b protocol.Range) bool {
	return a.Start.Line <= b.End.Line && b.Start.Line <= a.End.Line
}
