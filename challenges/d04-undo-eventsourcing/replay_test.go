package undo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// ---- a model of the editor for the property test ----

// model is the simplest editor there is: undo and redo keep whole texts.
type model struct {
	text       []rune
	undo, redo [][]rune
}

// edit is what a command does to the model: the new text, or false when the
// command must fail with ErrOutOfRange.
type edit func([]rune) ([]rune, bool)

var alphabet = []string{"a", "b", "é", "世", "🙂", "\n", " "}

func randText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func insertEdit(pos int, s string) edit {
	return func(t []rune) ([]rune, bool) {
		if pos < 0 || pos > len(t) {
			return nil, false
		}
		return slices.Insert(slices.Clone(t), pos, []rune(s)...), true
	}
}

func deleteEdit(pos, n int) edit {
	return func(t []rune) ([]rune, bool) {
		if pos < 0 || n < 0 || pos+n > len(t) {
			return nil, false
		}
		return slices.Delete(slices.Clone(t), pos, pos+n), true
	}
}

// randCmd returns a random command, valid or not, for a document of n
// runes, with its effect on the model.
func randCmd(r *rand.Rand, n int, nested bool) (Command, edit, string) {
	switch k := r.IntN(10); {
	case k < 5:
		pos, s := r.IntN(n+3)-1, randText(r, 1+r.IntN(3))
		return Insert(pos, s), insertEdit(pos, s), fmt.Sprintf("Insert(%d, %q)", pos, s)
	case k < 8 || nested:
		pos, cnt := r.IntN(n+2)-1, r.IntN(5)-1
		return Delete(pos, cnt), deleteEdit(pos, cnt), fmt.Sprintf("Delete(%d, %d)", pos, cnt)
	}
	var (
		cmds  []Command
		edits []edit
		descs []string
	)
	sim := make([]rune, n) // tracks the length the next step sees
	for range 1 + r.IntN(3) {
		c, f, d := randCmd(r, len(sim), true)
		if next, ok := f(sim); ok {
			sim = next
		}
		cmds, edits, descs = append(cmds, c), append(edits, f), append(descs, d)
	}
	all := func(t []rune) ([]rune, bool) {
		for _, f := range edits {
			var ok bool
			if t, ok = f(t); !ok {
				return nil, false
			}
		}
		return t, true
	}
	return Macro("m", cmds...), all, "Macro(" + strings.Join(descs, ", ") + ")"
}

// TestReopenProperty runs random sequences of commands, undos and redos on
// a FileStore and checks the editor against the model after every step; then
// reopens the log and checks that the text and the whole history came back:
// undoing everything yields "", redoing everything the text again.
func TestReopenProperty(t *testing.T) {
	sequences := 500
	if testing.Short() {
		sequences = 100
	}
	dir := t.TempDir()
	ctx := ctxT(t, 50*time.Second)
	for i := range sequences {
		o := Options{SnapshotEvery: []int{0, 2, 5, 11}[i%4]}
		path := filepath.Join(dir, fmt.Sprintf("seq%03d.log", i))
		if !runSequence(t, ctx, rand.New(rand.NewPCG(uint64(i), 2026)), path, o) {
			t.Logf("sequence %d (seed %d, SnapshotEvery %d) failed; stopping", i, i, o.SnapshotEvery)
			return
		}
	}
}

func runSequence(t *testing.T, ctx context.Context, r *rand.Rand, path string, o Options) bool {
	t.Helper()
	var trace []string
	fail := func(format string, args ...any) bool {
		t.Errorf("after %s:\n\t"+format, append([]any{strings.Join(trace, "; ")}, args...)...)
		return false
	}
	fs, err := NewFileStore(path)
	if err != nil {
		return fail("NewFileStore: got error %v, want nil", err)
	}
	defer fs.Close()
	e, err := Open(ctx, fs, o)
	if err != nil || e == nil {
		return fail("Open: got (%v, %v), want an Editor", e, err)
	}
	var m model
	for range 8 + r.IntN(25) {
		switch k := r.IntN(10); {
		case k < 6:
			c, f, desc := randCmd(r, len(m.text), false)
			trace = append(trace, desc)
			err := e.Do(ctx, c)
			if next, ok := f(m.text); ok {
				if err != nil {
					return fail("Do: got error %v, want nil", err)
				}
				m.undo, m.redo, m.text = append(m.undo, m.text), nil, next
			} else if !errors.Is(err, ErrOutOfRange) {
				return fail("Do: got error %v, want ErrOutOfRange", err)
			}
		case k < 8:
			trace = append(trace, "Undo")
			err := e.Undo(ctx)
			if len(m.undo) == 0 {
				if !errors.Is(err, ErrNothingToUndo) {
					return fail("Undo: got %v, want ErrNothingToUndo", err)
				}
				break
			}
			if err != nil {
				return fail("Undo: got error %v, want nil", err)
			}
			m.redo, m.text, m.undo = append(m.redo, m.text), m.undo[len(m.undo)-1], m.undo[:len(m.undo)-1]
		default:
			trace = append(trace, "Redo")
			err := e.Redo(ctx)
			if len(m.redo) == 0 {
				if !errors.Is(err, ErrNothingToRedo) {
					return fail("Redo: got %v, want ErrNothingToRedo", err)
				}
				break
			}
			if err != nil {
				return fail("Redo: got error %v, want nil", err)
			}
			m.undo, m.text, m.redo = append(m.undo, m.text), m.redo[len(m.redo)-1], m.redo[:len(m.redo)-1]
		}
		if got := e.Text(); got != string(m.text) {
			return fail("Text(): got %q, want %q", got, string(m.text))
		}
	}
	if u, rd := e.Depth(); u != len(m.undo) || rd != len(m.redo) {
		return fail("Depth(): got (%d, %d), want (%d, %d)", u, rd, len(m.undo), len(m.redo))
	}

	// Reopen.
	if err := fs.Close(); err != nil {
		return fail("Close: got error %v, want nil", err)
	}
	trace = append(trace, "reopen")
	fs2, err := NewFileStore(path)
	if err != nil {
		return fail("NewFileStore: got error %v, want nil", err)
	}
	defer fs2.Close()
	e2, err := Open(ctx, fs2, o)
	if err != nil || e2 == nil {
		return fail("Open: got (%v, %v), want an Editor", e2, err)
	}
	live := string(m.text)
	if got := e2.Text(); got != live {
		return fail("Text() after reopen: got %q, want %q", got, live)
	}
	if u, rd := e2.Depth(); u != len(m.undo) || rd != len(m.redo) {
		return fail("Depth() after reopen: got (%d, %d), want (%d, %d)", u, rd, len(m.undo), len(m.redo))
	}
	// Undo everything, then redo everything.
	redoTo := slices.Clone(m.redo)
	for len(m.undo) > 0 {
		if err := e2.Undo(ctx); err != nil {
			return fail("Undo after reopen: got error %v, want nil", err)
		}
		m.redo, m.text, m.undo = append(m.redo, m.text), m.undo[len(m.undo)-1], m.undo[:len(m.undo)-1]
		if got := e2.Text(); got != string(m.text) {
			return fail("Text() undoing after reopen: got %q, want %q", got, string(m.text))
		}
	}
	if err := e2.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		return fail("Undo with everything undone: got %v, want ErrNothingToUndo", err)
	}
	if got := e2.Text(); got != "" {
		return fail("Text() with everything undone: got %q, want \"\"", got)
	}
	for len(m.redo) > len(redoTo) {
		if err := e2.Redo(ctx); err != nil {
			return fail("Redo after reopen: got error %v, want nil", err)
		}
		m.undo, m.text, m.redo = append(m.undo, m.text), m.redo[len(m.redo)-1], m.redo[:len(m.redo)-1]
	}
	if got := e2.Text(); got != live {
		return fail("Text() after undoing and redoing everything: got %q, want %q", got, live)
	}
	return true
}

// randomEdit makes one random valid change: mostly typing, with pastes,
// deletions, macros, undos, redos and pauses.
func randomEdit(t *testing.T, r *rand.Rand, e *Editor, c *fakeClock) {
	t.Helper()
	n := runeLen(e.Text())
	switch k := r.IntN(20); {
	case k < 8:
		typeText(t, e, c, r.IntN(n+1), randText(r, 1+r.IntN(4)), 100*time.Millisecond)
	case k < 10:
		c.Advance(100 * time.Millisecond)
		mustDo(t, e, Insert(r.IntN(n+1), randText(r, 2+r.IntN(3))))
	case k < 12 && n > 0:
		pos := r.IntN(n)
		mustDo(t, e, Delete(pos, 1+r.IntN(min(3, n-pos))))
	case k < 13:
		mustDo(t, e, Macro("quote", Insert(0, "«"), Insert(n+1, "»")))
	case k < 16:
		if err := e.Undo(t.Context()); err != nil && !errors.Is(err, ErrNothingToUndo) {
			t.Fatalf("Undo: got error %v, want nil", err)
		}
	case k < 19:
		if err := e.Redo(t.Context()); err != nil && !errors.Is(err, ErrNothingToRedo) {
			t.Fatalf("Redo: got error %v, want nil", err)
		}
	default:
		c.Advance(2 * time.Second)
	}
}

// TestSnapshotEqualsFullReplay: opening from the latest snapshot plus the
// events after it gives the same editor as replaying everything: same
// text, same history, and the next keystroke merges the same way.
func TestSnapshotEqualsFullReplay(t *testing.T) {
	const every = 7
	c := newClock()
	s := newMemStore()
	o := Options{SnapshotEvery: every, MergeWindow: time.Second, Now: c.Now}
	e := openT(t, s, o)
	r := rand.New(rand.NewPCG(7, 7))
	for range 250 {
		randomEdit(t, r, e, c)
	}
	// Keep typing until a snapshot falls on the last keystroke: the typing
	// run must then come back from the snapshot alone.
	end := runeLen(e.Text())
	for i := 0; i < 2 || len(s.events())%every != 0; i++ {
		typeText(t, e, c, end+i, "z", 100*time.Millisecond)
	}
	end = runeLen(e.Text())

	evs, snaps := s.events(), s.snapshots()
	if len(snaps) != len(evs)/every {
		t.Fatalf("%d events with SnapshotEvery %d: got %d snapshots, want %d", len(evs), every, len(snaps), len(evs)/every)
	}
	for i, sn := range snaps {
		if want := uint64((i + 1) * every); sn.Seq != want {
			t.Fatalf("snapshot %d: got Seq %d, want %d", i, sn.Seq, want)
		}
	}
	last := snaps[len(snaps)-1].Seq

	fromSnap := s.clone()
	e1 := openT(t, fromSnap, o)
	if loads := fromSnap.loadCalls(); len(loads) == 0 || loads[0] != last+1 || slices.Min(loads) <= last {
		t.Errorf("Open with a snapshot at %d: got Load calls from %v, want Load(%d): replay only the tail", last, loads, last+1)
	}
	full := s.clone()
	e2 := openT(t, plainStore{full}, Options{MergeWindow: time.Second, Now: c.Now})

	wantU, wantR := e.Depth()
	for name, x := range map[string]*Editor{"snapshot + tail": e1, "full replay": e2} {
		if got := x.Text(); got != e.Text() {
			t.Errorf("%s: got Text %q, want %q", name, got, e.Text())
		}
		if u, rd := x.Depth(); u != wantU || rd != wantR {
			t.Errorf("%s: got Depth (%d, %d), want (%d, %d)", name, u, rd, wantU, wantR)
		}
	}

	c.Advance(100 * time.Millisecond)
	mustDo(t, e1, Insert(end, "!"))
	mustDo(t, e2, Insert(end, "!"))
	k1, k2 := fromSnap.events(), full.events()
	if got := k1[len(k1)-1].Kind; got != KindMerge {
		t.Errorf("snapshot + tail: the keystroke after a snapshot taken mid-word: got kind %q, want %q", got, KindMerge)
	}
	if got := k2[len(k2)-1].Kind; got != KindMerge {
		t.Errorf("full replay: the keystroke after reopening mid-word: got kind %q, want %q", got, KindMerge)
	}

	// Walk both histories in lockstep, all the way back and forth.
	ctx := ctxT(t, 20*time.Second)
	for step := 0; ; step++ {
		err1, err2 := e1.Undo(ctx), e2.Undo(ctx)
		if errors.Is(err1, ErrNothingToUndo) && errors.Is(err2, ErrNothingToUndo) {
			break
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("undo %d: got errors %v (snapshot) and %v (full), want nil", step, err1, err2)
		}
		if a, b := e1.Text(), e2.Text(); a != b {
			t.Fatalf("undo %d: snapshot + tail has %q, full replay %q", step, a, b)
		}
	}
	wantText(t, e1, "")
	for step := 0; ; step++ {
		err1, err2 := e1.Redo(ctx), e2.Redo(ctx)
		if errors.Is(err1, ErrNothingToRedo) && errors.Is(err2, ErrNothingToRedo) {
			break
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("redo %d: got errors %v (snapshot) and %v (full), want nil", step, err1, err2)
		}
	}
	wantText(t, e1, e2.Text())
}

// v1Log is a log written by version 1 of the editor, which counted bytes.
func v1Log() []Event {
	return []Event{
		ev(1, "insert", 1, `{"pos": 0, "text": "héllo"}`),
		ev(2, "insert", 1, `{"pos": 6, "text": " wörld"}`),
		ev(3, "delete", 1, `{"pos": 1, "n": 2}`),      // é: 2 bytes
		ev(4, "insert", 1, `{"pos": 8, "text": "🙂"}`), // byte 8 of "hllo wörld" is before the r
		intent(5, KindUndo),
		intent(6, KindUndo),
		intent(7, KindRedo),
		// Each step's offsets count the bytes of the text that step sees:
		// 13 is the end of "«hllo wörld", not of "hllo wörld".
		ev(8, "macro", 1, `{"name": "quote", "cmds": [
			{"cmd": "insert", "v": 1, "data": {"pos": 0, "text": "«"}},
			{"cmd": "insert", "v": 1, "data": {"pos": 13, "text": "»"}}]}`),
	}
}

func TestUpcastV1(t *testing.T) {
	stores := map[string]func(t *testing.T) EventStore{
		"memory": func(t *testing.T) EventStore { return newMemStore(v1Log()...) },
		"file": func(t *testing.T) EventStore {
			path := filepath.Join(t.TempDir(), "v1.log")
			writeLog(t, path, v1Log()...)
			return newFileStore(t, path)
		},
	}
	for name, newStore := range stores {
		t.Run(name, func(t *testing.T) {
			s := newStore(t)
			e := openT(t, s, Options{})
			wantText(t, e, "«hllo wörld»")
			wantDepth(t, e, 4, 0)

			// New events are recorded at version 2, in runes.
			mustDo(t, e, Insert(1, "é"))
			wantText(t, e, "«éhllo wörld»")
			var last Event
			for ev, err := range s.Load(t.Context(), 9) {
				if err != nil {
					t.Fatalf("Load: got error %v, want nil", err)
				}
				last = ev
			}
			got := view(t, []Event{last})[0]
			want := eventView{Seq: 9, At: got.At, Kind: KindDo, Cmd: "insert", Version: 2, Data: jsonOf(t, `{"pos": 1, "text": "é"}`)}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("the event of Do(Insert(1, \"é\")) (-want +got):\n%s", d)
			}

			for _, want := range []string{"«hllo wörld»", "hllo wörld", "héllo wörld", "héllo", ""} {
				mustUndo(t, e)
				wantText(t, e, want)
			}
		})
	}

	t.Run("byte offsets that split a rune", func(t *testing.T) {
		for name, bad := range map[string]Event{
			"insert inside é":  ev(2, "insert", 1, `{"pos": 2, "text": "x"}`),
			"delete half of é": ev(2, "delete", 1, `{"pos": 1, "n": 1}`),
		} {
			s := newMemStore(ev(1, "insert", 1, `{"pos": 0, "text": "héllo"}`), bad)
			e, err := Open(t.Context(), s, Options{})
			if !errors.Is(err, ErrCorrupt) || e != nil {
				t.Errorf("%s: Open: got (%v, %v), want (nil, an error wrapping ErrCorrupt)", name, e, err)
			}
		}
	})
}

func TestUpcasterChain(t *testing.T) {
	s := newMemStore(
		ev(1, "test.append", 1, `{"s": "a"}`),
		ev(2, "test.append", 2, `{"text": "b"}`),
		ev(3, "test.append", 3, `{"text": "c", "times": 2}`),
		ev(4, "insert", 2, `{"pos": 0, "text": ">"}`),
	)
	e := openT(t, s, Options{})
	wantText(t, e, ">abcc")
	mustUndo(t, e)
	wantText(t, e, "abcc")
	mustUndo(t, e)
	wantText(t, e, "ab")

	mustDo(t, e, appendCmd{Text: "!", Times: 3})
	wantText(t, e, "ab!!!")
	evs := s.events()
	got := view(t, evs[len(evs)-1:])[0]
	want := eventView{Seq: 7, At: got.At, Kind: KindDo, Cmd: "test.append", Version: 3, Data: jsonOf(t, `{"text": "!", "times": 3}`)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the event of Do(appendCmd) (-want +got):\n%s", d)
	}
	e2 := openT(t, s, Options{})
	wantText(t, e2, "ab!!!")
	wantDepth(t, e2, 3, 0)
}

// TestBadLogs: logs that cannot be replayed make Open fail, with nothing
// half-built returned.
func TestBadLogs(t *testing.T) {
	tests := []struct {
		name string
		evs  []Event
		want error
	}{
		{"unknown command", []Event{ev(1, "nope", 1, `{}`)}, ErrUnknownCommand},
		{"version from the future", []Event{ev(1, "test.append", 4, `{"text": "x", "times": 1}`)}, ErrUnknownCommand},
		{"insert version 3", []Event{ev(1, "insert", 3, `{"pos": 0, "text": "x"}`)}, ErrUnknownCommand},
		{"version 0", []Event{ev(1, "insert", 0, `{"pos": 0, "text": "x"}`)}, ErrUnknownCommand},
		{"no upcaster from version 1", []Event{ev(1, "test.orphan", 1, `{"s": "x"}`)}, ErrUnknownCommand},
		{"data that does not decode", []Event{ev(1, "insert", 2, `{"pos": "zero"}`)}, ErrCorrupt},
		{"a command that does not apply", []Event{ev(1, "delete", 2, `{"pos": 0, "n": 1}`)}, ErrCorrupt},
		{"undo with nothing to undo", []Event{intent(1, KindUndo)}, ErrCorrupt},
		{"redo with nothing to redo", []Event{ev(1, "insert", 2, `{"pos": 0, "text": "x"}`), intent(2, KindRedo)}, ErrCorrupt},
		{"merge with no step to join", []Event{{Seq: 1, At: t0, Kind: KindMerge, Cmd: "insert", Version: 2, Data: []byte(`{"pos": 0, "text": "x"}`)}}, ErrCorrupt},
		{"unknown kind", []Event{{Seq: 1, At: t0, Kind: "frobnicate"}}, ErrCorrupt},
		{"gap in the sequence", []Event{ev(1, "insert", 2, `{"pos": 0, "text": "x"}`), ev(3, "insert", 2, `{"pos": 0, "text": "y"}`)}, ErrCorrupt},
		{"sequence going back", []Event{ev(1, "insert", 2, `{"pos": 0, "text": "x"}`), ev(1, "insert", 2, `{"pos": 0, "text": "y"}`)}, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Open(t.Context(), newMemStore(tt.evs...), Options{})
			if !errors.Is(err, tt.want) {
				t.Errorf("Open: got error %v, want %v", err, tt.want)
			}
			if e != nil {
				t.Errorf("Open: got an Editor with error %v, want nil", err)
			}
		})
	}
}
