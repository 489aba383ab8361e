package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// SolutionLocked is returned when the reference solution may not be shown
// yet. A learner sees it once the challenge has passed (to compare), or
// after every hint and an explicit confirmation (to get unstuck): showing
// it earlier would spoil the challenge they are paying to learn from.
type SolutionLocked struct {
	// NeedsConfirm: every hint was shown; asking again with confirm
	// reveals it (and records that it was revealed before passing).
	NeedsConfirm bool   `json:"needsConfirm"`
	HintsLeft    int    `json:"hintsLeft"`
	Reason       string `json:"reason"`
}

func (l *SolutionLocked) Error() string { return l.Reason }

// IsSolutionLocked unwraps a SolutionLocked.
func IsSolutionLocked(err error) (*SolutionLocked, bool) {
	var l *SolutionLocked
	ok := errors.As(err, &l)
	return l, ok
}

// Solution is a challenge's reference solution beside the learner's files.
type Solution struct {
	Challenge string         `json:"challenge"`
	Files     []SolutionFile `json:"files"`
	// BeforePass is true when it was revealed before the challenge passed.
	BeforePass bool `json:"beforePass,omitempty"`
}

// SolutionFile is one file of the reference solution.
type SolutionFile struct {
	Name      string `json:"name"`      // base name, e.g. lru.go
	Path      string `json:"path"`      // the learner's file of that name (absolute; may not exist)
	Reference string `json:"reference"` // the reference solution's text
}

// RevealSolution returns the reference solution of challenge id from the
// engine's Source (workspaces never hold solutions), if the learner may
// see it, and records that they did.
func (e *Engine) RevealSolution(id string, confirm bool) (*Solution, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	p, err := e.WS.Progress.Load()
	if err != nil {
		return nil, err
	}
	c := p.Get(ch.ID)
	passed := !c.FirstPass.IsZero()
	if !passed {
		if l := solutionLock(ch, c, confirm); l != nil {
			return nil, l
		}
	}
	src, err := e.source()
	if err != nil {
		return nil, err
	}
	sol, err := referenceFiles(ch, src, e.WS.Dir(ch))
	if err != nil {
		return nil, err
	}
	sol.BeforePass = !passed
	if err := e.WS.Progress.Record(progress.Event{Kind: progress.KindSolution, Challenge: ch.ID, Time: e.Now()}); err != nil {
		return nil, err
	}
	return sol, nil
}

// solutionLock says why a challenge that has not passed keeps its
// solution, or nil when the learner has seen every hint and confirmed.
func solutionLock(ch *curriculum.Challenge, c *progress.Challenge, confirm bool) *SolutionLocked {
	left := max(len(ch.Hints)-c.HintsUsed, 0)
	switch {
	case left > 0:
		return &SolutionLocked{HintsLeft: left, Reason: fmt.Sprintf(
			"the reference solution of %s opens once your tests pass, or after all %d hints (%d not seen yet): try the next hint first", ch.ID, len(ch.Hints), left)}
	case !confirm:
		return &SolutionLocked{NeedsConfirm: true, Reason: fmt.Sprintf(
			"%s has not passed yet; you have seen every hint, so you may look at the reference solution now (it is recorded): confirm to reveal it", ch.ID)}
	}
	return nil
}

// referenceFiles reads <challenge>/_solution/ from src.
func referenceFiles(ch *curriculum.Challenge, src fs.FS, learnerDir string) (*Solution, error) {
	dir := path.Join(ch.Dir, curriculum.SolutionDir)
	entries, err := fs.ReadDir(src, dir)
	if err != nil {
		return nil, fmt.Errorf("this build of gochallenge has no reference solution for %s: %w", ch.ID, err)
	}
	sol := &Solution{Challenge: ch.ID, Files: []SolutionFile{}}
	for _, entry := range entries {
		if entry.IsDir() {
			continue
		}
		data, err := fs.ReadFile(src, path.Join(dir, entry.Name()))
		if err != nil {
			return nil, err
		}
		sol.Files = append(sol.Files, SolutionFile{
			Name: entry.Name(), Path: filepath.Join(learnerDir, entry.Name()), Reference: string(data),
		})
	}
	if len(sol.Files) == 0 {
		return nil, fmt.Errorf("the reference solution of %s is empty", ch.ID)
	}
	// The learner's main file first: it is where a diff view should open.
	sort.SliceStable(sol.Files, func(i, j int) bool {
		return rank(ch, sol.Files[i].Name) < rank(ch, sol.Files[j].Name)
	})
	return sol, nil
}

// rank orders files as the manifest lists the learner's files, others last.
func rank(ch *curriculum.Challenge, name string) int {
	for i, f := range ch.Files {
		if f == name {
			return i
		}
	}
	return len(ch.Files)
}
