package workspace

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/progress"
)

// Reset puts a challenge's shipped files back as they were shipped, from
// src (the bundled curriculum). Every file it replaces or would lose is
// first copied to .gochallenge/backups/<id>/<time>/, whose path it returns.
func (w *Workspace) Reset(ch *curriculum.Challenge, src fs.FS) (backup string, err error) {
	dir := w.Dir(ch)
	stamp := time.Now().UTC().Format("20060102-150405.000")
	backup = filepath.Join(w.Root, StateDir, "backups", ch.ID, stamp)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	// Back up everything in the challenge folder (learner files and any
	// files they added), so a reset can always be undone by hand.
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		if err := writeFile(filepath.Join(backup, e.Name()), data); err != nil {
			return "", fmt.Errorf("backing up %s: %w (nothing was reset)", e.Name(), err)
		}
	}
	shipped, err := fs.ReadDir(src, ch.Dir)
	if err != nil {
		return backup, fmt.Errorf("the bundled curriculum has no %s: %w", ch.ID, err)
	}
	for _, e := range shipped {
		if e.IsDir() {
			continue
		}
		data, err := shippedContent(src, path.Join(ch.Dir, e.Name()))
		if err != nil {
			return backup, err
		}
		if err := writeFile(filepath.Join(dir, e.Name()), data); err != nil {
			return backup, err
		}
	}
	if err := w.Progress.Record(progress.Event{Kind: progress.KindReset, Challenge: ch.ID}); err != nil {
		return backup, err
	}
	return backup, nil
}
