package undo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"os"
	"sync"
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
	path string

	mu   sync.Mutex
	f    *os.File // opened with O_APPEND: every Write lands at the end
	torn bool     // NewFileStore cut a torn final line; Load reports it
	buf  []byte   // reused by Append
}

// NewFileStore opens the log at path, creating it if needed. A final line
// without its newline is the trace of an interrupted write: NewFileStore
// cuts it off (the next Append must start on a fresh line) and every Load
// of this store reports it with an error wrapping ErrTornWrite, after the
// good events.
func NewFileStore(path string) (*FileStore, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	s := &FileStore{path: path, f: f}
	if err := s.cutTornTail(); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// cutTornTail truncates the file after its last newline.
func (s *FileStore) cutTornTail() error {
	st, err := s.f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size == 0 {
		return nil
	}
	// Scan backwards for the last '\n', a block at a time.
	const block = 4096
	buf := make([]byte, block)
	end := size
	for end > 0 {
		start := max(end-block, 0)
		b := buf[:end-start]
		if _, err := s.f.ReadAt(b, start); err != nil {
			return err
		}
		i := bytes.LastIndexByte(b, '\n')
		if end == size && i == len(b)-1 {
			return nil // the file ends with a complete line
		}
		if i >= 0 {
			s.torn = true
			return s.f.Truncate(start + int64(i) + 1)
		}
		end = start
	}
	s.torn = true // no newline at all: the whole file is one torn line
	return s.f.Truncate(0)
}

// Append writes evs, one line each, with a single Write.
func (s *FileStore) Append(ctx context.Context, evs ...Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errors.New("undo: FileStore is closed")
	}
	b := s.buf[:0]
	for _, ev := range evs {
		js, err := json.Marshal(ev)
		if err != nil {
			return fmt.Errorf("undo: encoding event %d: %w", ev.Seq, err)
		}
		b = appendLine(b, js)
	}
	s.buf = b[:0]
	_, err := s.f.Write(b)
	return err
}

func appendLine(b, js []byte) []byte {
	b = fmt.Appendf(b, "%08x ", crc32.ChecksumIEEE(js))
	b = append(b, js...)
	return append(b, '\n')
}

// Load reads the whole file, checking every line, and yields the events with
// Seq >= fromSeq. A bad line stops it with an error wrapping ErrCorrupt
// (a *LogError naming the line); the file is left as it is.
func (s *FileStore) Load(ctx context.Context, fromSeq uint64) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		s.mu.Lock()
		f, torn := s.f, s.torn
		s.mu.Unlock()
		if f == nil {
			yield(Event{}, errors.New("undo: FileStore is closed"))
			return
		}
		// A section reader reads from offset 0 without moving the append
		// offset, and stops at the size the file has now.
		st, err := f.Stat()
		if err != nil {
			yield(Event{}, err)
			return
		}
		r := bufio.NewReaderSize(io.NewSectionReader(f, 0, st.Size()), 256<<10)
		var long []byte // a line longer than the buffer
		line := 0
		for {
			if err := ctx.Err(); err != nil {
				yield(Event{}, err)
				return
			}
			b, err := r.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				long = append(long, b...)
				continue
			}
			if long != nil {
				b = append(long, b...)
				long = nil
			}
			if err == io.EOF {
				if len(b) > 0 {
					// Only possible if the file grew a partial line since
					// NewFileStore: treat it like a torn write.
					torn = true
				}
				break
			}
			if err != nil {
				yield(Event{}, err)
				return
			}
			line++
			ev, reason := parseLine(b[:len(b)-1])
			if reason != "" {
				yield(Event{}, &LogError{Path: s.path, Line: line, Reason: reason, Err: ErrCorrupt})
				return
			}
			if ev.Seq >= fromSeq && !yield(ev, nil) {
				return
			}
		}
		if torn {
			yield(Event{}, &LogError{Path: s.path, Line: line + 1, Reason: "incomplete final line (cut off)", Err: ErrTornWrite})
		}
	}
}

// checkLine checks the frame of one line (without its newline),
// "<8 hex digits> <json>", and returns the JSON.
func checkLine(b []byte) ([]byte, string) {
	if len(b) < 10 || b[8] != ' ' {
		return nil, "not a <crc> <json> line"
	}
	var sum [4]byte
	if _, err := hex.Decode(sum[:], b[:8]); err != nil {
		return nil, "bad checksum field"
	}
	js := b[9:]
	if got, want := crc32.ChecksumIEEE(js), binary.BigEndian.Uint32(sum[:]); got != want {
		return nil, fmt.Sprintf("checksum mismatch: got %08x, want %08x", got, want)
	}
	return js, ""
}

// parseLine checks one line (without its newline) and decodes its event.
func parseLine(b []byte) (Event, string) {
	var ev Event
	js, reason := checkLine(b)
	if reason != "" {
		return ev, reason
	}
	if err := json.Unmarshal(js, &ev); err != nil {
		return ev, fmt.Sprintf("bad JSON: %v", err)
	}
	return ev, ""
}

// SaveSnapshot replaces the snapshot file atomically: write a temporary
// file, then rename it over the old one.
func (s *FileStore) SaveSnapshot(ctx context.Context, snap Snapshot) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	js, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	tmp := s.path + ".snap.tmp"
	if err := os.WriteFile(tmp, appendLine(nil, js), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, s.path+".snap")
}

// LoadSnapshot reads the snapshot file, if there is one.
func (s *FileStore) LoadSnapshot(ctx context.Context) (Snapshot, bool, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, false, err
	}
	b, err := os.ReadFile(s.path + ".snap")
	if errors.Is(err, os.ErrNotExist) {
		return Snapshot{}, false, nil
	}
	if err != nil {
		return Snapshot{}, false, err
	}
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return Snapshot{}, false, fmt.Errorf("%w: %s.snap: incomplete", ErrCorrupt, s.path)
	}
	js, reason := checkLine(b[:len(b)-1])
	if reason != "" {
		return Snapshot{}, false, fmt.Errorf("%w: %s.snap: %s", ErrCorrupt, s.path, reason)
	}
	var snap Snapshot
	if err := json.Unmarshal(js, &snap); err != nil {
		return Snapshot{}, false, fmt.Errorf("%w: %s.snap: %v", ErrCorrupt, s.path, err)
	}
	return snap, true, nil
}

// Close closes the file.
func (s *FileStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
