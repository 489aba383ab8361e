// Package engine is what every front end drives: it checks a challenge
// (tests, then the race detector, then the done gate), judges its status,
// runs its benchmarks, hands out hints and records progress. The CLI, the
// watch mode and the language server all call it, so they always agree.
package engine

import (
	"context"
	"errors"
	"io/fs"
	"sync"
	"time"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/curriculum"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// Engine serialises runs per challenge: a new run of a challenge cancels
// the one in flight and waits for its processes to be gone before
// starting, so two `go test` of the same package never overlap.
type Engine struct {
	WS *workspace.Workspace
	// Now is the clock (tests replace it).
	Now func() time.Time
	// Source is the curriculum the workspace was made from: hint texts and
	// reference solutions are read from it, never from the workspace.
	// Nil means the one built into the binary.
	Source fs.FS

	mu       sync.Mutex
	inflight map[string]*run
	linter   *lint.Linter // keeps challenge packages loaded between saves
}

type run struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns an engine for the workspace.
func New(ws *workspace.Workspace) *Engine {
	return &Engine{WS: ws, Now: time.Now, inflight: map[string]*run{}, linter: lint.New()}
}

// source returns Source, or the built-in curriculum.
func (e *Engine) source() (fs.FS, error) {
	if e.Source != nil {
		return e.Source, nil
	}
	return curriculum.Bundled()
}

// Reset restores challenge id as shipped, from the engine's Source (the
// learner's files are backed up first; workspace.Reset says where).
func (e *Engine) Reset(id string) (backup string, err error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return "", err
	}
	src, err := e.source()
	if err != nil {
		return "", err
	}
	return e.WS.Reset(ch, src)
}

// Challenge looks a challenge up by id or unique prefix.
func (e *Engine) Challenge(id string) (*curriculum.Challenge, error) {
	return e.WS.Curriculum.Get(id)
}

// exclusive runs fn for challenge id after cancelling and waiting out any
// run of the same challenge already in flight.
func (e *Engine) exclusive(outer context.Context, id string, fn func(context.Context) error) error {
	ctx, cancel := context.WithCancel(outer)
	defer cancel()
	me := &run{cancel: cancel, done: make(chan struct{})}
	defer close(me.done)

	e.mu.Lock()
	prev := e.inflight[id]
	e.inflight[id] = me
	e.mu.Unlock()
	if prev != nil {
		prev.cancel()
		select {
		case <-prev.done:
		case <-ctx.Done():
		}
	}
	defer func() {
		e.mu.Lock()
		if e.inflight[id] == me {
			delete(e.inflight, id)
		}
		e.mu.Unlock()
	}()
	err := ctx.Err()
	if err == nil {
		err = fn(ctx)
	}
	if errors.Is(err, context.Canceled) && outer.Err() == nil {
		return ErrSuperseded // cancelled by a newer run, not by the caller
	}
	return err
}

// ErrSuperseded is returned by a run that a newer run of the same
// challenge cancelled.
var ErrSuperseded = errors.New("superseded by a newer run")
