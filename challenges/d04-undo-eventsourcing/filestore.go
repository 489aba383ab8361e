package undo

import (
	"context"
	"fmt"
	"iter"
)

// LogError locates a bad line of a FileStore log. Err is ErrCorrupt or
// ErrTornWrite, so errors.Is works through it.
type LogError struct {
	Path   string
	Line   int    // 1-based
	Reason string // what is wrong with the line
	Err    error  // ErrCorrupt or ErrTornWrite
}

func (e *LogError) Error() string {
	return fmt.Sprintf("%v: %s line %d: %s", e.Err, e.Path, e.Line, e.Reason)
}

func (e *LogError) Unwrap() error { return e.Err }

// FileStore is an EventStore in a file of JSON Lines, one event per line,
// each line prefixed with the CRC-32 of its JSON:
//
//	<8 lowercase hex digits of crc32.ChecksumIEEE(json)> <json>\n
//
// It also implements Snapshotter, keeping the latest snapshot in path+".snap".
// Its methods may be called from several goroutines, one at a time (the
// Editor serialises them).
type FileStore struct {
	// TODO(d04): the path, the open file, and what NewFileStore found at
	// the end of it.
}

// NewFileStore opens the log at path, creating it if needed. A final line
// without its newline is the trace of an interrupted write: NewFileStore
// cuts it off (the next Append must start on a fresh line) and every Load
// of this store reports it with an error wrapping ErrTornWrite, after the
// good events.
func NewFileStore(path string) (*FileStore, error) {
	// TODO(d04)
	return &FileStore{}, ErrNotImplemented
}

// Append writes evs, one line each, with a single Write.
func (s *FileStore) Append(ctx context.Context, evs ...Event) error {
	// TODO(d04)
	return ErrNotImplemented
}

// Load reads the whole file, checking every line, and yields the events with
// Seq >= fromSeq. A bad line stops it with an error wrapping ErrCorrupt
// (a *LogError naming the line); the file is left as it is.
func (s *FileStore) Load(ctx context.Context, fromSeq uint64) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		// TODO(d04)
		yield(Event{}, ErrNotImplemented)
	}
}

// SaveSnapshot replaces the snapshot file atomically: write a temporary
// file, then rename it over the old one.
func (s *FileStore) SaveSnapshot(ctx context.Context, snap Snapshot) error {
	// TODO(d04)
	return ErrNotImplemented
}

// LoadSnapshot reads the snapshot file, if there is one.
func (s *FileStore) LoadSnapshot(ctx context.Context) (Snapshot, bool, error) {
	// TODO(d04)
	return Snapshot{}, false, ErrNotImplemented
}

// Close closes the file.
func (s *FileStore) Close() error {
	// TODO(d04)
	return nil
}
