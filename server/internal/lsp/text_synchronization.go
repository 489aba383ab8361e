package lsp

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/progress"
)

func isGoFile(path string) bool { return strings.HasSuffix(path, ".go") }

func (s *Server) didOpen(_ context.Context, p *protocol.DidOpenTextDocumentParams) (*struct{}, error) {
	u := p.TextDocument.URI
	s.mu.Lock()
	s.docs[u] = p.TextDocument.Text
	s.mu.Unlock()
	st, id := s.locate(u)
	if st == nil {
		return nil, nil
	}
	s.mu.Lock()
	first := !st.opened[id]
	st.opened[id] = true
	s.mu.Unlock()
	if first {
		if err := st.e.WS.Progress.Record(progress.Event{Kind: progress.KindOpened, Challenge: id}); err != nil {
			s.log.Printf("recording progress: %v", err)
		}
		// Hints right away, and the package stays loaded for the first save.
		s.mu.Lock()
		s.hintsSoonLocked(st, id)
		s.mu.Unlock()
	}
	return nil, nil
}

// didChange keeps the text for code lenses. The params are decoded by
// hand: only the full-text form is advertised, and contentChanges is a
// union the protocol codec decodes into an interface.
func (s *Server) didChange(_ context.Context, raw json.RawMessage) error {
	var p struct {
		TextDocument struct {
			URI uri.URI `json:"uri"`
		} `json:"textDocument"`
		ContentChanges []struct {
			Range *json.RawMessage `json:"range"`
			Text  string           `json:"text"`
		} `json:"contentChanges"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || len(p.ContentChanges) == 0 {
		return nil
	}
	last := p.ContentChanges[len(p.ContentChanges)-1]
	if last.Range != nil {
		return nil // incremental change from a client ignoring our sync kind
	}
	s.mu.Lock()
	s.docs[p.TextDocument.URI] = last.Text
	s.mu.Unlock()
	if st, id := s.locate(p.TextDocument.URI); st != nil {
		_ = st.e.WS.Progress.Record(progress.Event{Kind: progress.KindActive, Challenge: id})
	}
	return nil
}

func (s *Server) didSave(_ context.Context, p *protocol.DidSaveTextDocumentParams) (*struct{}, error) {
	if st, id := s.locate(p.TextDocument.URI); st != nil && isGoFile(p.TextDocument.URI.FsPath()) {
		s.schedule(st, id)
	}
	return nil, nil
}

func (s *Server) didClose(_ context.Context, p *protocol.DidCloseTextDocumentParams) (*struct{}, error) {
	s.mu.Lock()
	delete(s.docs, p.TextDocument.URI)
	s.mu.Unlock()
	return nil, nil
}

// schedule debounces: a burst of saves (and the file-watcher events the
// same writes cause) becomes one run after the burst settles. An event
// that arrives after its run already started (a slow watcher event for
// the write a didSave announced) is dropped when the files are exactly
// what that run is checking. The hint passes, being in-process and
// cheap, start at once.
func (s *Server) schedule(st *workspaceState, id string) {
	if s.echoOfLastRun(st, id) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	t, pending := st.timers[id]
	s.hintsSoonLocked(st, id)
	if pending {
		t.Stop()
	}
	st.timers[id] = time.AfterFunc(s.opts.Debounce, func() { s.startCheck(st, id) })
}

// repeatWindow bounds how long after a run starts an event for the same
// files counts as an echo of it rather than a request to run again.
const repeatWindow = 2 * time.Second

// lastRun is what the latest debounced run of a challenge started on.
type lastRun struct {
	files   string
	started time.Time
}

// echoOfLastRun reports whether an event only repeats the run that just
// started: no run is pending, the last one started moments ago, and the
// files are exactly what it is checking. Files are hashed only then, not
// on every save of a burst.
func (s *Server) echoOfLastRun(st *workspaceState, id string) bool {
	s.mu.Lock()
	_, pending := st.timers[id]
	last := st.lastRun[id]
	s.mu.Unlock()
	if pending || last.files == "" || time.Since(last.started) >= repeatWindow {
		return false
	}
	fp := s.fingerprint(st, id)
	return fp != "" && fp == last.files
}

// fingerprint hashes the challenge's Go files and their contents.
func (s *Server) fingerprint(st *workspaceState, id string) string {
	ch, err := st.e.Challenge(id)
	if err != nil {
		return ""
	}
	dir := st.e.WS.Dir(ch)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, e := range entries { // sorted by name
		if e.IsDir() || !isGoFile(e.Name()) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s %d\n", e.Name(), len(data))
		h.Write(data)
	}
	return string(h.Sum(nil))
}

// background runs fn unless the session is closing; Serve waits for it.
func (s *Server) background(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.wg.Go(fn)
	}
}

// startCheck runs the challenge in the background when its debounce
// ends; the engine cancels a run of the same challenge still in flight.
func (s *Server) startCheck(st *workspaceState, id string) {
	fp := s.fingerprint(st, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(st.timers, id)
	if s.closed {
		return
	}
	st.lastRun[id] = lastRun{files: fp, started: time.Now()}
	s.wg.Go(func() { s.check(s.closing, st, id, checkRequest{}) })
}

func docPath(u uri.URI) string { return filepath.Clean(u.FsPath()) }
