package lsp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
	"gochallenge.dev/gochallenge/server/internal/engine"
)

// hintSource marks diagnostics from the hint passes, apart from test results.
const hintSource = "gochallenge-hint"

// hintDiagnostic is a hint pass's finding as the editor shows it, with
// the quick fixes a code action offers for it.
type hintDiagnostic struct {
	protocol.Diagnostic
	fixes []protocol.CodeAction
}

// hintsSoonLocked starts a hint run for the challenge, or, when one is in
// flight, asks for one more after it: a burst of saves costs at most two
// runs, and the last one sees the last save. s.mu is held.
func (s *Server) hintsSoonLocked(st *workspaceState, id string) {
	d := st.diagsOf(id)
	if d.hintBusy {
		d.hintAgain = true
		return
	}
	if s.closed {
		return
	}
	d.hintBusy = true
	s.wg.Go(func() {
		for {
			s.runHints(st, id)
			s.mu.Lock()
			again := d.hintAgain && !s.closed
			d.hintAgain = false
			d.hintBusy = again
			s.mu.Unlock()
			if !again {
				return
			}
		}
	})
}

// runHints runs the challenge's hint passes and shows their findings; a
// newer hint run of the same challenge makes this one's findings stale.
func (s *Server) runHints(st *workspaceState, id string) {
	ch, err := st.e.Challenge(id)
	if err != nil {
		return
	}
	s.mu.Lock()
	d := st.diagsOf(id)
	d.hintRun++
	run := d.hintRun
	s.mu.Unlock()

	found, err := st.e.Analyze(s.closing, id)
	if err != nil && !errors.Is(err, lint.ErrDoesNotTypeCheck) {
		if s.closing.Err() != nil {
			return
		}
		s.log.Printf("hints for %s: %v", id, err)
	}
	b := &diagBuilder{s: s, dir: st.e.WS.Dir(ch)}
	byFile := map[uri.URI][]hintDiagnostic{}
	for _, f := range found {
		u := uri.File(f.File)
		byFile[u] = append(byFile[u], s.hintDiagnostic(st, b, f))
	}

	st.pubMu.Lock()
	defer st.pubMu.Unlock()
	s.mu.Lock()
	d = st.diagsOf(id)
	stale := d.hintRun != run
	if !stale {
		d.hints = byFile
	}
	s.mu.Unlock()
	if !stale {
		s.flush(st, id, b.dir)
	}
}

func (s *Server) hintDiagnostic(st *workspaceState, b *diagBuilder, f engine.Finding) hintDiagnostic {
	severity := protocol.DiagnosticSeverityInformation
	if f.Severity == suite.Warning {
		severity = protocol.DiagnosticSeverityWarning
	}
	h := hintDiagnostic{Diagnostic: protocol.Diagnostic{
		Range:    b.spanRange(f.Span),
		Severity: severity,
		Code:     protocol.String(f.Pass),
		Source:   protocol.NewOptional(hintSource),
		Message:  protocol.String(f.Message),
	}}
	if page, ok := s.hintPage(st, f.Pass); ok {
		h.CodeDescription = protocol.CodeDescription{Href: page}
	}
	quickfix := protocol.CodeActionKindQuickFix
	for i, fix := range f.Fixes {
		changes := map[uri.URI][]protocol.TextEdit{}
		for _, e := range fix.Edits {
			u := uri.File(e.File)
			changes[u] = append(changes[u], protocol.TextEdit{Range: b.spanRange(e.Span), NewText: e.NewText})
		}
		preferred := i == 0
		title := fix.Message
		if title == "" {
			title = "Fix: " + f.Pass
		}
		h.fixes = append(h.fixes, protocol.CodeAction{
			Title:       title,
			Kind:        &quickfix,
			IsPreferred: &preferred,
			Edit:        &protocol.WorkspaceEdit{Changes: changes},
		})
	}
	return h
}

// hintPage returns the page explaining a pass, written into the
// workspace's .gochallenge folder so that every editor can open it from
// the diagnostic's link without a network.
func (s *Server) hintPage(st *workspaceState, pass string) (uri.URI, bool) {
	s.mu.Lock()
	u, ok := st.pages[pass]
	s.mu.Unlock()
	if ok {
		return u, true
	}
	p, found := suite.Lookup(pass)
	if !found || p.Page == "" {
		return "", false
	}
	path := filepath.Join(st.e.WS.Root, ".gochallenge", "hints", pass+".md")
	if old, err := os.ReadFile(path); err != nil || !bytes.Equal(old, []byte(p.Page)) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return "", false
		}
		if err := os.WriteFile(path, []byte(p.Page), 0o644); err != nil {
			return "", false
		}
	}
	u = uri.File(path)
	s.mu.Lock()
	st.pages[pass] = u
	s.mu.Unlock()
	return u, true
}

// spanRange converts a byte span to an LSP range in UTF-16 code units.
func (b *diagBuilder) spanRange(sp lint.Span) protocol.Range {
	pos := func(line, col int) protocol.Position {
		text := b.line(sp.File, line)
		return protocol.Position{Line: uint32(max(line-1, 0)), Character: utf16Len(text[:min(max(col-1, 0), len(text))])}
	}
	return protocol.Range{Start: pos(sp.Line, sp.Col), End: pos(sp.EndLine, sp.EndCol)}
}
