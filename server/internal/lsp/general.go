package lsp

import (
	"context"
	"errors"
	"time"

	"github.com/fsnotify/fsnotify"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// Commands the server executes (workspace/executeCommand).
const (
	CommandRunTest      = "gochallenge.runTest"
	CommandRunBenchmark = "gochallenge.runBenchmark"
	CommandCheck        = "gochallenge.check"
	CommandRaceCheck    = "gochallenge.raceCheck"
)

func (s *Server) initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	var folders []string
	if fs, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range fs {
			folders = append(folders, f.URI.FsPath())
		}
	}
	if len(folders) == 0 && p.RootURI != nil {
		folders = append(folders, p.RootURI.FsPath())
	}
	if root, ok := p.RootPath.Get(); ok && len(folders) == 0 && root != "" {
		folders = append(folders, root)
	}
	seen := map[string]bool{}
	var states []*workspaceState
	for _, f := range folders {
		ws, err := workspace.Find(f)
		if err != nil {
			if !errors.Is(err, workspace.ErrNoWorkspace) {
				s.log.Printf("workspace folder %s: %v", f, err)
			}
			continue // outside a challenge workspace the server stays quiet
		}
		if seen[ws.Root] {
			continue
		}
		seen[ws.Root] = true
		e := engine.New(ws)
		e.Source = s.opts.Curriculum // nil: the built-in curriculum
		states = append(states, &workspaceState{
			e:        e,
			timers:   map[string]*time.Timer{},
			lastRun:  map[string]lastRun{},
			opened:   map[string]bool{},
			diags:    map[string]*challengeDiags{},
			pages:    map[string]uri.URI{},
			statuses: map[string]progress.Status{},
			inFlight: map[string]int{},
		})
	}
	s.applySettings(p.InitializationOptions)
	s.mu.Lock()
	s.ws = states
	s.initialized = true
	if w := p.Capabilities.Window; w != nil && w.WorkDoneProgress != nil {
		s.workDone = *w.WorkDoneProgress
	}
	s.mu.Unlock()
	for _, st := range states {
		s.watch(st)
	}

	openClose, change := true, protocol.TextDocumentSyncKindFull
	res := &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &openClose,
				Change:    &change,
				Save:      protocol.Boolean(true),
			},
			CodeLensProvider:       &protocol.CodeLensOptions{},
			CodeActionProvider:     &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
			ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: []string{CommandRunTest, CommandRunBenchmark, CommandCheck, CommandRaceCheck}},
		},
		ServerInfo: protocol.ServerInfo{Name: "gochallenge", Version: protocol.NewOptional(s.opts.Version)},
	}
	return res, nil
}

// watch notices files changed outside the editor (git checkout, another
// tool, `gochallenge reset`) and treats them like a save.
func (s *Server) watch(st *workspaceState) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.log.Printf("watching %s: %v", st.e.WS.Root, err)
		return
	}
	for _, ch := range st.e.WS.Curriculum.Challenges {
		if err := w.Add(st.e.WS.Dir(ch)); err != nil {
			s.log.Printf("watching %s: %v", ch.Dir, err)
		}
	}
	s.mu.Lock()
	st.watcher = w
	s.mu.Unlock()
	s.wg.Go(func() {
		for {
			select {
			case <-s.closing.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if ev.Op == fsnotify.Chmod || !isGoFile(ev.Name) {
					continue
				}
				if ch := st.e.WS.ChallengeOf(ev.Name); ch != nil {
					s.schedule(st, ch.ID)
				}
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				s.log.Printf("watch: %v", err)
			}
		}
	})
}

func (s *Server) closeWatchers() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.ws {
		if st.watcher != nil {
			st.watcher.Close()
		}
	}
}

// locate finds the workspace and challenge of a document.
func (s *Server) locate(u uri.URI) (*workspaceState, string) {
	path := u.FsPath()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.ws {
		if ch := st.e.WS.ChallengeOf(path); ch != nil {
			return st, ch.ID
		}
	}
	return nil, ""
}
