package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// HintLocked is returned when the asked hint has not unlocked yet and the
// learner did not confirm asking early.
type HintLocked struct {
	Level      int
	FailedRuns int // still needed
	Minutes    int // still needed
}

func (h *HintLocked) Error() string {
	return fmt.Sprintf("hint %d unlocks after %d more failed run(s) or %d more minute(s) on the challenge; ask again with --early to see it now (it is recorded)", h.Level, h.FailedRuns, h.Minutes)
}

// Hint is a hint shown to the learner.
type Hint struct {
	Challenge string `json:"challenge"`
	Level     int    `json:"level"`
	Of        int    `json:"of"`
	Text      string `json:"text"`
	Early     bool   `json:"early,omitempty"`
}

// HintState says, for one challenge, what has been shown and what the
// next hint needs.
type HintState struct {
	Shown int         `json:"shown"`
	Next  *HintLocked `json:"next,omitempty"` // nil when the next hint is unlocked or none is left
	Of    int         `json:"of"`
	p     *progress.Challenge
}

// HintStatus reports which hints are shown and whether the next is open.
func (e *Engine) HintStatus(id string) (*HintState, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	p, err := e.WS.Progress.Load()
	if err != nil {
		return nil, err
	}
	return hintState(ch, p.Get(ch.ID)), nil
}

func hintState(ch *curriculum.Challenge, c *progress.Challenge) *HintState {
	s := &HintState{Shown: c.HintsUsed, Of: len(ch.Hints), p: c}
	if s.Shown < s.Of {
		s.Next = locked(ch.Hints[s.Shown], c)
	}
	return s
}

// locked returns nil when h is unlocked for c.
func locked(h curriculum.Hint, c *progress.Challenge) *HintLocked {
	minutes := int(c.TimeOnTask / time.Minute)
	if c.FailedRuns >= h.UnlockAfter.FailedRuns || minutes >= h.UnlockAfter.Minutes {
		return nil
	}
	return &HintLocked{
		Level:      h.Level,
		FailedRuns: h.UnlockAfter.FailedRuns - c.FailedRuns,
		Minutes:    h.UnlockAfter.Minutes - minutes,
	}
}

// ShowHint returns hint level for the challenge (0: the next one not yet
// shown; a level already shown is shown again for free). Hints unlock in
// order by the manifest's rules; early asks the next one anyway and is
// recorded as such.
func (e *Engine) ShowHint(id string, level int, early bool) (*Hint, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	p, err := e.WS.Progress.Load()
	if err != nil {
		return nil, err
	}
	c := p.Get(ch.ID)
	if level == 0 {
		level = min(c.HintsUsed+1, len(ch.Hints))
	}
	if level < 1 || level > len(ch.Hints) {
		return nil, fmt.Errorf("%s has hints 1 to %d, not %d", ch.ID, len(ch.Hints), level)
	}
	text, err := e.hintText(ch, level)
	if err != nil {
		return nil, err
	}
	h := &Hint{Challenge: ch.ID, Level: level, Of: len(ch.Hints), Text: text}
	if level <= c.HintsUsed {
		return h, nil
	}
	if level > c.HintsUsed+1 {
		return nil, fmt.Errorf("hints come in order: see hint %d of %s first", c.HintsUsed+1, ch.ID)
	}
	if l := locked(ch.Hints[level-1], c); l != nil {
		if !early {
			return nil, l
		}
		h.Early = true
	}
	if err := e.WS.Progress.Record(progress.Event{Kind: progress.KindHint, Challenge: ch.ID, Hint: level, Early: h.Early}); err != nil {
		return nil, err
	}
	return h, nil
}

// hintText reads a hint's text: a workspace's manifest holds it sealed
// (curriculum.SealedHint), so it comes from the curriculum the helper
// carries; a workspace made before hints were sealed still has it.
func (e *Engine) hintText(ch *curriculum.Challenge, level int) (string, error) {
	if text := ch.Hints[level-1].Text; text != curriculum.SealedHint {
		return text, nil
	}
	src, err := e.source()
	if err != nil {
		return "", err
	}
	data, err := fs.ReadFile(src, path.Join(ch.Dir, curriculum.ManifestFile))
	if err != nil {
		return "", fmt.Errorf("this gochallenge has no %s: update it, or use the version that created the workspace: %w", ch.ID, err)
	}
	m, err := curriculum.ParseManifest(data)
	if err != nil {
		return "", fmt.Errorf("the built-in %s manifest: %w", ch.ID, err)
	}
	if level > len(m.Hints) {
		return "", fmt.Errorf("this gochallenge has no hint %d for %s", level, ch.ID)
	}
	return m.Hints[level-1].Text, nil
}

// IsHintLocked reports whether err says a hint is still locked.
func IsHintLocked(err error) (*HintLocked, bool) {
	var l *HintLocked
	ok := errors.As(err, &l)
	return l, ok
}
