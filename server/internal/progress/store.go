package progress

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// File names inside the store's folder.
const (
	JournalFile = "progress.jsonl"
	LockFile    = "progress.lock"
)

// lockTimeout bounds how long Record and Load wait for the lock. Holders
// keep it for one write and fsync (or one read), so waiting this long means
// something is wrong (a stopped process, a hung file system); an error
// says so instead of hanging the editor.
var lockTimeout = 10 * time.Second // a variable for tests

// Store is the progress journal of one workspace. It is safe for
// concurrent use by several goroutines and several processes.
type Store struct {
	dir string
	now func() time.Time
}

// Open returns the store kept in dir (the workspace's .gochallenge folder),
// creating the folder (0o755) if it is missing. The journal itself is
// created by the first Record.
func Open(dir string) (*Store, error) {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return nil, fmt.Errorf("progress: %s is not a directory (it should be the folder that holds %s); move the file away", dir, JournalFile)
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("progress: creating %s: %w", dir, err)
		}
	case err != nil:
		return nil, fmt.Errorf("progress: %w", err)
	}
	return &Store{dir: dir, now: time.Now}, nil
}

// WithClock makes the store stamp events with now instead of time.Now (for
// tests). Call it before the store is used; it returns s.
func (s *Store) WithClock(now func() time.Time) *Store {
	s.now = now
	return s
}

// Path returns the journal's path.
func (s *Store) Path() string { return filepath.Join(s.dir, JournalFile) }

// Record appends ev to the journal, stamping it with the store's clock if
// ev.Time is zero. An invalid event (unknown kind, no challenge id, ...) is
// an error and nothing is written. When Record returns nil the event is on
// disk (fsynced).
func (s *Store) Record(ev Event) error {
	if err := ev.validate(); err != nil {
		return err
	}
	unlock, err := s.lock(true)
	if err != nil {
		return err
	}
	defer unlock()
	// Stamp under the lock so that, within one machine, journal order
	// follows the clock.
	if ev.Time.IsZero() {
		ev.Time = s.now()
	}
	line, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("progress: encoding %s event: %w", ev.Kind, err)
	}
	return s.appendLine(line)
}

// appendLine appends line and a newline in a single write, after a newline
// if the journal ends in a torn line. The caller holds the exclusive lock.
func (s *Store) appendLine(line []byte) error {
	path := s.Path()
	// O_RDWR, not O_WRONLY: the last byte has to be read. O_APPEND still
	// makes every write go to the end.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("progress: %w", err)
	}
	buf := make([]byte, 0, len(line)+2)
	if size := st.Size(); size > 0 {
		var last [1]byte
		if _, err := f.ReadAt(last[:], size-1); err != nil {
			f.Close()
			return fmt.Errorf("progress: reading the end of %s: %w", path, err)
		}
		if last[0] != '\n' { // a writer died mid-line: start a fresh one
			buf = append(buf, '\n')
		}
	}
	buf = append(buf, line...)
	buf = append(buf, '\n')
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return fmt.Errorf("progress: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("progress: syncing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("progress: %w", err)
	}
	if st.Size() == 0 {
		// The journal may just have been created: make its directory
		// entry durable too.
		syncDir(s.dir)
	}
	return nil
}

// syncDir fsyncs a directory, best effort (not every file system allows it).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Load reads and replays the journal. Damaged or invalid lines are skipped
// and counted in Progress.Skipped. A missing journal is empty progress.
func (s *Store) Load() (*Progress, error) {
	data, err := s.read()
	if err != nil {
		return nil, err
	}
	events, skipped := decode(data)
	p := replay(events)
	p.Skipped = skipped
	return p, nil
}

func (s *Store) read() ([]byte, error) {
	if _, err := os.Stat(s.Path()); errors.Is(err, fs.ErrNotExist) {
		return nil, nil // nothing recorded yet; don't create files just to read
	}
	unlock, err := s.lock(false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	data, err := os.ReadFile(s.Path())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("progress: %w", err)
	}
	return data, nil
}

// decode parses journal lines. Blank lines are ignored; lines that do not
// decode into a valid event are counted as skipped.
func decode(data []byte) (events []Event, skipped int) {
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var ev Event
		if err := json.Unmarshal(line, &ev); err != nil || ev.Time.IsZero() || ev.validate() != nil {
			skipped++
			continue
		}
		events = append(events, ev)
	}
	return events, skipped
}

// lock takes an exclusive or a shared lock on the lock file (flock(2), or
// LockFileEx on Windows: lock_unix.go, lock_windows.go) and returns the
// function that releases it.
func (s *Store) lock(exclusive bool) (unlock func(), err error) {
	path := filepath.Join(s.dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil && !exclusive {
		// A read-only workspace can still be read: flock works on
		// read-only descriptors.
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, fmt.Errorf("progress: opening lock: %w", err)
	}
	// Try without waiting first: the common, uncontended case needs no
	// goroutine.
	err = lockFile(f, exclusive, false)
	if errors.Is(err, errWouldBlock) {
		// Wait in the kernel (not by polling: a poller rarely catches the
		// moment another busy writer lets go, and starves), but not forever.
		done := make(chan error, 1)
		go func() { done <- lockFile(f, exclusive, true) }()
		timer := time.NewTimer(lockTimeout)
		defer timer.Stop()
		select {
		case err = <-done:
		case <-timer.C:
			// Give up; if the lock comes later, release it at once.
			go func() {
				<-done
				f.Close()
			}()
			return nil, fmt.Errorf("progress: %s is still locked by another process after %v (is a gochallenge process stopped?)", path, lockTimeout)
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("progress: locking %s: %w", path, err)
	}
	return func() {
		_ = unlockFile(f)
		f.Close() // would release it anyway
	}, nil
}
