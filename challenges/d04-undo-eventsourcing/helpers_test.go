package undo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"iter"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// ---- deadlines ----

// ctxT is a context that ends with the test or after d.
func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// within runs f and reports whether it returned within d. A deadlocked
// solution fails the test instead of burning the whole timeout.
func within(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// ---- clock ----

var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock is a manual clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// ---- stores ----

var errBoom = errors.New("store: disk on fire")

// memStore is an in-memory EventStore and Snapshotter that checks what the
// Editor hands it: sequence numbers must continue the log, one by one.
type memStore struct {
	jitter bool // yield the processor in Append, to widen race windows

	mu         sync.Mutex
	evs        []Event
	snaps      []Snapshot
	loads      []uint64 // fromSeq of every Load
	fail       error
	violations []string
	calls      atomic.Int64
}

func newMemStore(evs ...Event) *memStore {
	return &memStore{evs: slices.Clone(evs)}
}

func (s *memStore) Append(ctx context.Context, evs ...Event) error {
	if s.jitter && s.calls.Add(1)%2 == 0 {
		runtime.Gosched()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	for i, ev := range evs {
		if want := uint64(len(s.evs) + i + 1); ev.Seq != want {
			v := fmt.Sprintf("Append: got event with Seq %d, want %d (the log holds %d events)", ev.Seq, want, len(s.evs))
			s.violations = append(s.violations, v)
			return errors.New("memStore: " + v)
		}
	}
	s.evs = append(s.evs, evs...)
	return nil
}

func (s *memStore) Load(ctx context.Context, fromSeq uint64) iter.Seq2[Event, error] {
	s.mu.Lock()
	s.loads = append(s.loads, fromSeq)
	evs := slices.Clone(s.evs)
	s.mu.Unlock()
	return func(yield func(Event, error) bool) {
		for _, ev := range evs {
			if err := ctx.Err(); err != nil {
				yield(Event{}, err)
				return
			}
			if ev.Seq >= fromSeq && !yield(ev, nil) {
				return
			}
		}
	}
}

func (s *memStore) SaveSnapshot(ctx context.Context, snap Snapshot) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	snap.Data = slices.Clone(snap.Data)
	s.snaps = append(s.snaps, snap)
	return nil
}

func (s *memStore) LoadSnapshot(ctx context.Context) (Snapshot, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.snaps) == 0 {
		return Snapshot{}, false, nil
	}
	return s.snaps[len(s.snaps)-1], true, nil
}

func (s *memStore) events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.evs)
}

func (s *memStore) snapshots() []Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.snaps)
}

func (s *memStore) loadCalls() []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.loads)
}

func (s *memStore) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *memStore) problems() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// clone copies the events and snapshots into a fresh store.
func (s *memStore) clone() *memStore {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &memStore{evs: slices.Clone(s.evs), snaps: slices.Clone(s.snaps)}
}

// plainStore hides the Snapshotter of the store it wraps: only a full replay
// is possible through it.
type plainStore struct{ EventStore }

// loadRecorder wraps a FileStore (keeping its Snapshotter) and records the
// fromSeq of every Load.
type loadRecorder struct {
	*FileStore
	mu    sync.Mutex
	loads []uint64
}

func (r *loadRecorder) Load(ctx context.Context, fromSeq uint64) iter.Seq2[Event, error] {
	r.mu.Lock()
	r.loads = append(r.loads, fromSeq)
	r.mu.Unlock()
	return r.FileStore.Load(ctx, fromSeq)
}

// discardStore keeps nothing but the last sequence number: benchmarks use it
// to measure the Editor alone.
type discardStore struct {
	seq   uint64
	bytes int
}

func (s *discardStore) Append(_ context.Context, evs ...Event) error {
	for _, ev := range evs {
		if ev.Seq != s.seq+1 {
			return fmt.Errorf("discardStore: got Seq %d, want %d", ev.Seq, s.seq+1)
		}
		s.seq = ev.Seq
		s.bytes += len(ev.Data)
	}
	return nil
}

func (s *discardStore) Load(context.Context, uint64) iter.Seq2[Event, error] {
	return func(func(Event, error) bool) {}
}

// ---- editor helpers ----

func openT(t testing.TB, s EventStore, o Options) *Editor {
	t.Helper()
	e, err := Open(ctxT(t, 30*time.Second), s, o)
	if err != nil {
		t.Fatalf("Open: got error %v, want nil", err)
	}
	if e == nil {
		t.Fatalf("Open: got a nil Editor and no error")
	}
	return e
}

func mustDo(t testing.TB, e *Editor, c Command) {
	t.Helper()
	if err := e.Do(t.Context(), c); err != nil {
		t.Fatalf("Do(%s %+v): got error %v, want nil", c.Name(), c, err)
	}
}

func mustUndo(t testing.TB, e *Editor) {
	t.Helper()
	if err := e.Undo(t.Context()); err != nil {
		t.Fatalf("Undo: got error %v, want nil", err)
	}
}

func mustRedo(t testing.TB, e *Editor) {
	t.Helper()
	if err := e.Redo(t.Context()); err != nil {
		t.Fatalf("Redo: got error %v, want nil", err)
	}
}

func wantText(t testing.TB, e *Editor, want string) {
	t.Helper()
	if got := e.Text(); got != want {
		t.Errorf("Text(): got %q, want %q", got, want)
	}
}

func wantDepth(t testing.TB, e *Editor, undo, redo int) {
	t.Helper()
	if u, r := e.Depth(); u != undo || r != redo {
		t.Errorf("Depth(): got (%d undo, %d redo), want (%d, %d)", u, r, undo, redo)
	}
}

// typeText types s one rune at a time from pos, advancing the clock by gap
// before each keystroke.
func typeText(t testing.TB, e *Editor, c *fakeClock, pos int, s string, gap time.Duration) {
	t.Helper()
	for i, r := range []rune(s) {
		c.Advance(gap)
		mustDo(t, e, Insert(pos+i, string(r)))
	}
}

func kinds(evs []Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Kind
	}
	return out
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// ---- events ----

// ev builds a do event of cmd at version v with JSON data.
func ev(seq uint64, cmd string, v int, data string) Event {
	return Event{Seq: seq, At: t0.Add(time.Duration(seq) * time.Second), Kind: KindDo, Cmd: cmd, Version: v, Data: json.RawMessage(data)}
}

// intent builds an undo or redo event.
func intent(seq uint64, kind string) Event {
	return Event{Seq: seq, At: t0.Add(time.Duration(seq) * time.Second), Kind: kind}
}

// eventView is an Event with its Data decoded, so that JSON is compared by
// meaning, not by spelling.
type eventView struct {
	Seq     uint64
	At      time.Time
	Kind    string
	Cmd     string
	Version int
	Data    any
}

func view(t testing.TB, evs []Event) []eventView {
	t.Helper()
	out := make([]eventView, len(evs))
	for i, ev := range evs {
		out[i] = eventView{Seq: ev.Seq, At: ev.At, Kind: ev.Kind, Cmd: ev.Cmd, Version: ev.Version}
		if len(ev.Data) > 0 {
			if err := json.Unmarshal(ev.Data, &out[i].Data); err != nil {
				t.Fatalf("event %d: Data %q is not JSON: %v", ev.Seq, ev.Data, err)
			}
		}
	}
	return out
}

func jsonOf(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test: %q: %v", s, err)
	}
	return v
}

// ---- log files ----

// logLine is one line of a FileStore log: "<crc32 hex> <json>\n".
func logLine(t testing.TB, ev Event) []byte {
	t.Helper()
	js, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("encoding event %d: %v", ev.Seq, err)
	}
	return rawLine(js)
}

func rawLine(js []byte) []byte {
	return fmt.Appendf(nil, "%08x %s\n", crc32.ChecksumIEEE(js), js)
}

// writeLog writes a FileStore log by hand.
func writeLog(t testing.TB, path string, evs ...Event) {
	t.Helper()
	var b bytes.Buffer
	for _, ev := range evs {
		b.Write(logLine(t, ev))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lines splits a log file into its lines, newline included.
func lines(t testing.TB, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

func newFileStore(t testing.TB, path string) *FileStore {
	t.Helper()
	fs, err := NewFileStore(path)
	if err != nil {
		t.Fatalf("NewFileStore(%s): got error %v, want nil", path, err)
	}
	if fs == nil {
		t.Fatalf("NewFileStore: got nil and no error")
	}
	t.Cleanup(func() { fs.Close() })
	return fs
}

// ---- a command of the tests' own ----

// appendCmd appends Text, Times times, at the end of the document. Its
// stored form went through three versions:
//
//	v1 {"s": "x"}
//	v2 {"text": "x"}
//	v3 {"text": "x", "times": 1}
type appendCmd struct {
	Text  string `json:"text"`
	Times int    `json:"times"`
}

func (appendCmd) Name() string { return "test.append" }

func (c appendCmd) Apply(d *Document) (Command, error) {
	pos := d.Len()
	s := strings.Repeat(c.Text, c.Times)
	if err := d.Insert(pos, s); err != nil {
		return nil, err
	}
	return Delete(pos, runeLen(s)), nil
}

func decodeAppend(data json.RawMessage) (Command, error) {
	var c appendCmd
	err := json.Unmarshal(data, &c)
	return c, err
}

// strayCmd is never registered: the Editor cannot record it.
type strayCmd struct{}

func (strayCmd) Name() string { return "test.stray" }
func (strayCmd) Apply(d *Document) (Command, error) {
	if err := d.Insert(0, "stray"); err != nil {
		return nil, err
	}
	return Delete(0, 5), nil
}

func init() {
	RegisterCommand("test.append", 3, decodeAppend)
	RegisterUpcaster("test.append", 1, func(_ *Document, data json.RawMessage) (json.RawMessage, error) {
		var v1 struct {
			S string `json:"s"`
		}
		if err := json.Unmarshal(data, &v1); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]string{"text": v1.S})
	})
	RegisterUpcaster("test.append", 2, func(_ *Document, data json.RawMessage) (json.RawMessage, error) {
		var v2 struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(data, &v2); err != nil {
			return nil, err
		}
		return json.Marshal(appendCmd{Text: v2.Text, Times: 1})
	})
	// test.orphan is at version 3 but only knows how to go from 2 to 3:
	// its version 1 events cannot be read.
	RegisterCommand("test.orphan", 3, decodeAppend)
	RegisterUpcaster("test.orphan", 2, func(_ *Document, data json.RawMessage) (json.RawMessage, error) { return data, nil })
}
