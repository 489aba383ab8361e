package lsp

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/sourcegraph/jsonrpc2"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// gochallenge's own methods; PROTOCOL.md documents them for extension
// authors.
const (
	methodTree          = "gochallenge/tree"
	methodProgress      = "gochallenge/progress"
	methodHint          = "gochallenge/hint"
	methodReset         = "gochallenge/reset"
	methodStatement     = "gochallenge/statement"
	methodStatusChanged = "gochallenge/statusChanged"
	methodRunning       = "gochallenge/running"
	methodSolution      = "gochallenge/solution"
)

// TreeParams selects a workspace; empty means the first.
type TreeParams struct {
	Workspace string `json:"workspace,omitempty"`
}

// Tree is the sidebar: sections (weeks, drills) of challenges with status.
type Tree struct {
	Workspace string        `json:"workspace"`
	Today     string        `json:"today,omitempty"`
	Sections  []TreeSection `json:"sections"`
}

// TreeSection is one week or the drills.
type TreeSection struct {
	Name       string                    `json:"name"`
	Done       int                       `json:"done"`
	Total      int                       `json:"total"`
	Challenges []engine.ChallengeSummary `json:"challenges"`
}

func (s *Server) tree(_ context.Context, p *TreeParams) (*Tree, error) {
	st, err := s.workspace(p.Workspace)
	if err != nil {
		return nil, err
	}
	ov, err := st.e.Overview()
	if err != nil {
		return nil, err
	}
	t := &Tree{Workspace: st.e.WS.Root, Today: ov.Today, Sections: []TreeSection{}}
	for _, c := range ov.Challenges {
		if n := len(t.Sections); n == 0 || t.Sections[n-1].Name != c.Section {
			t.Sections = append(t.Sections, TreeSection{Name: c.Section})
		}
		sec := &t.Sections[len(t.Sections)-1]
		sec.Total++
		if c.Status == progress.Done {
			sec.Done++
		}
		sec.Challenges = append(sec.Challenges, c)
	}
	return t, nil
}

func (s *Server) progressSummary(_ context.Context, p *TreeParams) (*engine.Overview, error) {
	st, err := s.workspace(p.Workspace)
	if err != nil {
		return nil, err
	}
	return st.e.Overview()
}

// HintParams asks for a hint. Level 0 is the next one; Early confirms
// asking before it unlocks (recorded).
type HintParams struct {
	Challenge string `json:"challenge"`
	Level     int    `json:"level,omitempty"`
	Early     bool   `json:"early,omitempty"`
}

// HintResult is the hint, or why it is locked.
type HintResult struct {
	Hint   *engine.Hint       `json:"hint,omitempty"`
	Locked *engine.HintLocked `json:"locked,omitempty"`
}

func (s *Server) hint(_ context.Context, p *HintParams) (*HintResult, error) {
	st, id := s.byID(p.Challenge)
	if st == nil {
		return nil, unknownChallenge(p.Challenge)
	}
	h, err := st.e.ShowHint(id, p.Level, p.Early)
	if l, ok := engine.IsHintLocked(err); ok {
		return &HintResult{Locked: l}, nil
	}
	if err != nil {
		return nil, err
	}
	return &HintResult{Hint: h}, nil
}

// ChallengeParams names a challenge.
type ChallengeParams struct {
	Challenge string `json:"challenge"`
}

// ResetResult says where the learner's files were backed up.
type ResetResult struct {
	Backup string `json:"backup"`
}

func (s *Server) reset(_ context.Context, p *ChallengeParams) (*ResetResult, error) {
	st, id := s.byID(p.Challenge)
	if st == nil {
		return nil, unknownChallenge(p.Challenge)
	}
	backup, err := st.e.Reset(id)
	if err != nil {
		return nil, err
	}
	// The file watcher sees the restored files and re-checks them.
	return &ResetResult{Backup: backup}, nil
}

// Statement locates a challenge's statement and main file.
type Statement struct {
	Challenge string `json:"challenge"`
	Title     string `json:"title"`
	README    string `json:"readme"`   // absolute path of README.md
	MainFile  string `json:"mainFile"` // the first file the learner edits
}

func (s *Server) statement(_ context.Context, p *ChallengeParams) (*Statement, error) {
	st, id := s.byID(p.Challenge)
	if st == nil {
		return nil, unknownChallenge(p.Challenge)
	}
	ch, _ := st.e.Challenge(id)
	dir := st.e.WS.Dir(ch)
	if err := st.e.WS.Progress.Record(progress.Event{Kind: progress.KindOpened, Challenge: id}); err != nil {
		s.log.Printf("recording progress: %v", err)
	}
	return &Statement{Challenge: id, Title: ch.Title, README: filepath.Join(dir, "README.md"), MainFile: filepath.Join(dir, ch.Files[0])}, nil
}

// StatusChanged is pushed whenever a challenge's status changes, so
// clients never poll.
type StatusChanged struct {
	Workspace string          `json:"workspace"`
	Challenge string          `json:"challenge"`
	Status    progress.Status `json:"status"`
	Why       string          `json:"why,omitempty"`
}

func (s *Server) statusChanged(st *workspaceState, id string, res *engine.Result) {
	s.mu.Lock()
	prev, known := st.statuses[id]
	st.statuses[id] = res.Status
	s.mu.Unlock()
	if known && prev == res.Status {
		return
	}
	s.notify(methodStatusChanged, StatusChanged{Workspace: st.e.WS.Root, Challenge: id, Status: res.Status, Why: res.Why})
}

// Running is pushed when a challenge's check starts (running: true) and
// when the last one in flight ends, saves included: a client can show a
// spinner without guessing from $/progress titles.
type Running struct {
	Workspace string `json:"workspace"`
	Challenge string `json:"challenge"`
	Running   bool   `json:"running"`
}

// running counts a challenge's checks in flight: a save that supersedes
// a run starts before the old one has ended, and the client must not see
// "stopped" in between.
func (s *Server) running(st *workspaceState, id string, delta int) {
	s.mu.Lock()
	before := st.inFlight[id]
	st.inFlight[id] = before + delta
	after := st.inFlight[id]
	s.mu.Unlock()
	if (before == 0) != (after == 0) {
		s.notify(methodRunning, Running{Workspace: st.e.WS.Root, Challenge: id, Running: after > 0})
	}
}

// SolutionParams asks for a challenge's reference solution; Confirm says
// the learner agreed to see it before passing (after every hint).
type SolutionParams struct {
	Challenge string `json:"challenge"`
	Confirm   bool   `json:"confirm,omitempty"`
}

// SolutionResult is the reference solution, or why it stays closed.
type SolutionResult struct {
	Solution *engine.Solution       `json:"solution,omitempty"`
	Locked   *engine.SolutionLocked `json:"locked,omitempty"`
}

func (s *Server) solution(_ context.Context, p *SolutionParams) (*SolutionResult, error) {
	st, id := s.byID(p.Challenge)
	if st == nil {
		return nil, unknownChallenge(p.Challenge)
	}
	sol, err := st.e.RevealSolution(id, p.Confirm)
	if l, ok := engine.IsSolutionLocked(err); ok {
		return &SolutionResult{Locked: l}, nil
	}
	if err != nil {
		return nil, err
	}
	return &SolutionResult{Solution: sol}, nil
}

func (s *Server) workspace(root string) (*workspaceState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.ws {
		if root == "" || st.e.WS.Root == filepath.Clean(root) {
			return st, nil
		}
	}
	return nil, &jsonrpc2.Error{Code: -32803, Message: "no challenge workspace is open"}
}

// byID finds a challenge by id (or unique prefix) in any workspace.
func (s *Server) byID(id string) (*workspaceState, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.ws {
		if ch, err := st.e.Challenge(id); err == nil {
			return st, ch.ID
		}
	}
	return nil, ""
}

func unknownChallenge(id string) error {
	return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("unknown challenge %q", id)}
}
