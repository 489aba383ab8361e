// Package download is a concurrent file download manager: a bounded pool of
// workers downloads to ".part" files, resumes with Range/If-Range, retries
// with backoff, pauses by cancelling the request (keeping the partial file),
// verifies SHA-256 before an atomic rename and publishes progress as
// latest-value snapshots.
//
// This is the starter: the exported API is final, the bodies are yours.
// README.md has the contract.
package download

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Errors returned by the Manager. Compare with errors.Is.
var (
	ErrNotImplemented = errors.New("download: not implemented")
	ErrInvalidOptions = errors.New("download: invalid options")
	ErrInvalidRequest = errors.New("download: invalid request")
	ErrUnknownID      = errors.New("download: unknown id")
	ErrFinished       = errors.New("download: already finished")
	ErrCanceled       = errors.New("download: canceled")
	ErrChecksum       = errors.New("download: checksum mismatch")
	ErrClosed         = errors.New("download: manager closed")
)

// ID identifies one download of a Manager. IDs start at 1; 0 is never valid.
type ID uint64

// Request describes one download. SHA256 is optional: when set (64 hex
// digits, either case) the file is verified before it is renamed to Dest.
type Request struct {
	URL, Dest, SHA256 string
}

// Options configure a Manager.
type Options struct {
	Workers       int                     // concurrent downloads, > 0
	MaxRetries    int                     // failed attempts in a row before giving up, >= 0
	Backoff       func(int) time.Duration // delay before retry n (1-based); nil = exponential from 100ms
	ProgressEvery time.Duration           // snapshot period, >= 0; 0 = 100ms
}

// State is the lifecycle state of one download.
type State int

const (
	Queued State = iota
	Running
	Paused
	Done
	Failed
	Canceled
)

func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Running:
		return "running"
	case Paused:
		return "paused"
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Canceled:
		return "canceled"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Item is the progress of one download inside a Snapshot.
type Item struct {
	ID    ID
	URL   string
	Dest  string
	State State
	Bytes int64   // bytes in the .part file (the whole file once Done)
	Total int64   // file size, -1 while unknown
	Speed float64 // bytes per second, exponentially weighted moving average
	Err   error   // why the item Failed
}

// Snapshot is the progress of every item at one instant, ordered by ID.
type Snapshot struct {
	At    time.Time
	Items []Item
}

// Manager downloads files with a bounded number of workers.
type Manager struct {
	// TODO: your fields.
}

// New validates o and returns a Manager. A nil client means http.DefaultClient.
func New(c *http.Client, o Options) (*Manager, error) {
	return nil, ErrNotImplemented
}

// Add validates r and queues it. It may be called before or while Run runs.
func (m *Manager) Add(r Request) (ID, error) {
	return 0, ErrNotImplemented
}

// Pause stops a queued or running download and keeps its .part file. For a
// running download it returns once the request is gone.
func (m *Manager) Pause(id ID) error {
	return ErrNotImplemented
}

// Resume re-queues a paused item; it continues from its .part file.
func (m *Manager) Resume(id ID) error {
	return ErrNotImplemented
}

// Cancel stops a download for good and removes its .part file.
func (m *Manager) Cancel(id ID) error {
	return ErrNotImplemented
}

// Run downloads queued items, at most Options.Workers at a time, until ctx
// ends; then it closes Progress and returns nil.
func (m *Manager) Run(ctx context.Context) error {
	return ErrNotImplemented
}

// Progress returns the snapshot channel: buffered 1, latest wins.
func (m *Manager) Progress() <-chan Snapshot {
	return nil
}

// Wait blocks until the item finishes or ctx ends.
func (m *Manager) Wait(ctx context.Context, id ID) error {
	return ErrNotImplemented
}
