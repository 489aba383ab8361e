// Package undo is a text editor driven by commands, with undo and redo,
// where every change (undo and redo included) is an event in an
// append-only log. The state is whatever replaying the log produces:
// reopening a log rebuilds the text and the undo and redo history, from a
// snapshot plus the events after it when there is one.
package undo

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"time"
)

var (
	// ErrNotImplemented is returned by the starter code. Delete it when done.
	ErrNotImplemented = errors.New("undo: not implemented")
	// ErrInvalid wraps every bad-argument error: a nil command or store,
	// negative options, text that is not valid UTF-8.
	ErrInvalid = errors.New("undo: invalid argument")
	// ErrOutOfRange: a position or length outside the document.
	ErrOutOfRange = errors.New("undo: out of range")
	// ErrNothingToUndo is returned by Undo when there is no step to undo.
	ErrNothingToUndo = errors.New("undo: nothing to undo")
	// ErrNothingToRedo is returned by Redo when there is no step to redo.
	ErrNothingToRedo = errors.New("undo: nothing to redo")
	// ErrUnknownCommand: a command name that is not registered, or a
	// recorded version that cannot be brought to the current one.
	ErrUnknownCommand = errors.New("undo: unknown command")
	// ErrCorrupt: the log cannot be trusted (a line that fails its checksum,
	// a gap in the sequence numbers, an event that does not decode or does
	// not apply). Open fails with it.
	ErrCorrupt = errors.New("undo: corrupt log")
	// ErrTornWrite: the log ends with an incomplete line, the trace of a
	// write interrupted by a crash. It is recoverable: Open returns a usable
	// Editor together with an error wrapping ErrTornWrite.
	ErrTornWrite = errors.New("undo: torn write at the end of the log")
)

// Event kinds.
const (
	KindDo    = "do"    // a command was applied: a new undo step
	KindMerge = "merge" // a command was applied and joined the previous undo step (typing)
	KindUndo  = "undo"  // the newest undo step was reverted
	KindRedo  = "redo"  // the newest redo step was re-applied
)

// Event is one entry of the log.
type Event struct {
	Seq     uint64          `json:"seq"`            // 1, 2, 3, ... without gaps
	At      time.Time       `json:"at"`             // Options.Now when it happened
	Kind    string          `json:"kind"`           // KindDo, KindMerge, KindUndo or KindRedo
	Cmd     string          `json:"cmd,omitempty"`  // do and merge: the command's Name
	Version int             `json:"v,omitempty"`    // do and merge: the version Data is encoded at
	Data    json.RawMessage `json:"data,omitempty"` // do and merge: the command, encoding/json
}

// EventStore is an append-only log of events.
type EventStore interface {
	// Append adds evs at the end of the log, in order. It must not keep evs
	// (the caller may reuse the slice) but may keep each event's Data, which
	// the caller never modifies afterwards.
	Append(ctx context.Context, evs ...Event) error
	// Load yields the events with Seq >= fromSeq in order. An error is
	// yielded once, as the last element.
	Load(ctx context.Context, fromSeq uint64) iter.Seq2[Event, error]
}

// Snapshot is the editor's state after event Seq. Data is opaque to the
// store.
type Snapshot struct {
	Seq  uint64          `json:"seq"`
	Data json.RawMessage `json:"data"`
}

// Snapshotter is implemented by stores that can keep a snapshot beside the
// log. Only the latest snapshot matters.
type Snapshotter interface {
	SaveSnapshot(ctx context.Context, s Snapshot) error
	// LoadSnapshot returns the latest snapshot; false if there is none.
	LoadSnapshot(ctx context.Context) (Snapshot, bool, error)
}

// Options configures an Editor. The zero value is valid.
type Options struct {
	// SnapshotEvery > 0 saves a snapshot after every SnapshotEvery-th event
	// (Seq a multiple of it); the store must implement Snapshotter.
	SnapshotEvery int
	// MergeWindow > 0 merges typing into one undo step: a one-rune Insert
	// that continues a one-rune Insert recorded at most MergeWindow earlier.
	MergeWindow time.Duration
	// Now stamps events and drives merging. nil: time.Now.
	Now func() time.Time
}

// Editor edits a Document through commands. It is safe for concurrent use.
type Editor struct {
	// TODO(d04): the store, the options, a mutex, the document, the undo
	// and redo stacks (of inverse commands), the last sequence number, and
	// whatever you need to know whether the next keystroke merges.
}

// Open replays s into a new Editor: the latest snapshot, if the store has
// one and it is usable, then the events after it. A log whose last line is
// torn still opens: Open returns the Editor and an error wrapping
// ErrTornWrite. Any other error returns a nil Editor.
func Open(ctx context.Context, s EventStore, o Options) (*Editor, error) {
	// TODO(d04): validate, restore the snapshot, replay the rest through the
	// same code that Do, Undo and Redo use.
	return nil, ErrNotImplemented
}

// Do applies c and records it. On any error nothing changes: not the text,
// not the history, not the log.
func (e *Editor) Do(ctx context.Context, c Command) error {
	// TODO(d04)
	return ErrNotImplemented
}

// Undo reverts the newest undo step and records the intent: an "undo"
// event, never a deletion from the log.
func (e *Editor) Undo(ctx context.Context) error {
	// TODO(d04)
	return ErrNotImplemented
}

// Redo re-applies the newest undone step and records a "redo" event.
func (e *Editor) Redo(ctx context.Context) error {
	// TODO(d04)
	return ErrNotImplemented
}

// Text returns the current text.
func (e *Editor) Text() string {
	// TODO(d04)
	return ""
}

// Depth returns the number of steps Undo and Redo can take.
func (e *Editor) Depth() (undo, redo int) {
	// TODO(d04)
	return 0, 0
}
