package undo

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ExampleEditor() {
	ctx := context.Background()
	e, err := Open(ctx, newMemStore(), Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	e.Do(ctx, Insert(0, "hello"))
	e.Do(ctx, Insert(5, ", world"))
	e.Undo(ctx)
	fmt.Println(e.Text())
	e.Redo(ctx)
	fmt.Println(e.Text())
	// Output:
	// hello
	// hello, world
}

func TestOpenValidates(t *testing.T) {
	tests := []struct {
		name    string
		s       EventStore
		o       Options
		wantErr bool
	}{
		{"zero options", newMemStore(), Options{}, false},
		{"snapshots and merging", newMemStore(), Options{SnapshotEvery: 10, MergeWindow: time.Second}, false},
		{"nil store", nil, Options{}, true},
		{"negative SnapshotEvery", newMemStore(), Options{SnapshotEvery: -1}, true},
		{"negative MergeWindow", newMemStore(), Options{MergeWindow: -time.Second}, true},
		{"snapshots without a Snapshotter", plainStore{newMemStore()}, Options{SnapshotEvery: 10}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Open(t.Context(), tt.s, tt.o)
			switch {
			case tt.wantErr && err == nil:
				t.Errorf("Open: got nil error, want an error")
			case tt.wantErr && !errors.Is(err, ErrInvalid):
				t.Errorf("Open: got error %v, want one wrapping ErrInvalid", err)
			case tt.wantErr && e != nil:
				t.Errorf("Open: got an Editor with error %v, want nil", err)
			case !tt.wantErr && err != nil:
				t.Errorf("Open: got error %v, want nil", err)
			case !tt.wantErr && e == nil:
				t.Errorf("Open: got a nil Editor, want one")
			case !tt.wantErr:
				wantText(t, e, "")
				wantDepth(t, e, 0, 0)
			}
		})
	}
}

func TestDoUndoRedo(t *testing.T) {
	s := newMemStore()
	e := openT(t, s, Options{})
	ctx := ctxT(t, 10*time.Second)

	if err := e.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("Undo on a new editor: got %v, want ErrNothingToUndo", err)
	}
	if err := e.Redo(ctx); !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("Redo on a new editor: got %v, want ErrNothingToRedo", err)
	}
	if n := len(s.events()); n != 0 {
		t.Errorf("after a failed Undo and Redo: got %d events in the log, want 0", n)
	}

	mustDo(t, e, Insert(0, "hello"))
	mustDo(t, e, Insert(5, " wörld"))
	mustDo(t, e, Delete(0, 1))
	wantText(t, e, "ello wörld")
	wantDepth(t, e, 3, 0)

	mustUndo(t, e)
	wantText(t, e, "hello wörld")
	mustUndo(t, e)
	wantText(t, e, "hello")
	wantDepth(t, e, 1, 2)

	mustRedo(t, e)
	wantText(t, e, "hello wörld")
	wantDepth(t, e, 2, 1)

	// A failed Do changes nothing, so the redo step survives it.
	if err := e.Do(ctx, Insert(99, "x")); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Do(Insert(99)): got %v, want ErrOutOfRange", err)
	}
	wantDepth(t, e, 2, 1)

	// A new Do clears the redo history.
	mustDo(t, e, Insert(0, ">"))
	wantText(t, e, ">hello wörld")
	wantDepth(t, e, 3, 0)
	if err := e.Redo(ctx); !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("Redo after a new Do: got %v, want ErrNothingToRedo", err)
	}

	for range 3 {
		mustUndo(t, e)
	}
	wantText(t, e, "")
	if err := e.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("Undo past the beginning: got %v, want ErrNothingToUndo", err)
	}
	for range 3 {
		mustRedo(t, e)
	}
	wantText(t, e, ">hello wörld")

	// Everything above, replayed.
	e2 := openT(t, s, Options{})
	wantText(t, e2, ">hello wörld")
	wantDepth(t, e2, 3, 0)
}

func TestDoRejectsBadCommands(t *testing.T) {
	s := newMemStore()
	e := openT(t, s, Options{})
	mustDo(t, e, Insert(0, "abc"))
	mustDo(t, e, Insert(3, "def"))
	mustUndo(t, e) // keep a redo step: a failed Do must not clear it
	before := s.events()

	tests := []struct {
		name string
		cmd  Command
		want error
	}{
		{"insert before the start", Insert(-1, "x"), ErrOutOfRange},
		{"insert past the end", Insert(4, "x"), ErrOutOfRange},
		{"insert invalid UTF-8", Insert(0, "\xff"), ErrInvalid},
		{"delete past the end", Delete(1, 3), ErrOutOfRange},
		{"delete a negative count", Delete(0, -1), ErrOutOfRange},
		{"delete before the start", Delete(-1, 1), ErrOutOfRange},
		{"macro with a bad last step", Macro("m", Insert(0, "x"), Delete(0, 1), Delete(3, 1)), ErrOutOfRange},
		{"nil command", nil, ErrInvalid},
		{"unregistered command", strayCmd{}, ErrUnknownCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Do(t.Context(), tt.cmd)
			if !errors.Is(err, tt.want) {
				t.Errorf("Do: got error %v, want %v", err, tt.want)
			}
			wantText(t, e, "abc")
			wantDepth(t, e, 1, 1)
			if d := cmp.Diff(view(t, before), view(t, s.events())); d != "" {
				t.Errorf("the log changed after a failed Do (-before +after):\n%s", d)
			}
		})
	}
	mustRedo(t, e)
	wantText(t, e, "abcdef")
}

func TestMacroAllOrNothing(t *testing.T) {
	s := newMemStore()
	e := openT(t, s, Options{})
	mustDo(t, e, Insert(0, "line one\nline two"))

	mustDo(t, e, Macro("indent", Insert(0, "  "), Insert(11, "  ")))
	wantText(t, e, "  line one\n  line two")
	wantDepth(t, e, 2, 0)
	mustUndo(t, e) // one Undo reverts the whole macro
	wantText(t, e, "line one\nline two")
	mustRedo(t, e)
	wantText(t, e, "  line one\n  line two")

	n := len(s.events())
	err := e.Do(t.Context(), Macro("bad", Delete(0, 2), Insert(0, "* "), Delete(100, 1)))
	if !errors.Is(err, ErrOutOfRange) {
		t.Errorf("Do(failing macro): got %v, want an error wrapping ErrOutOfRange", err)
	}
	wantText(t, e, "  line one\n  line two")
	wantDepth(t, e, 2, 0)
	if got := len(s.events()); got != n {
		t.Errorf("after a failing macro: got %d events, want %d (nothing appended)", got, n)
	}

	mustDo(t, e, Macro("bullets", Delete(0, 2), Insert(0, "* "), Macro("second", Delete(11, 2), Insert(11, "* "))))
	wantText(t, e, "* line one\n* line two")
	mustUndo(t, e)
	wantText(t, e, "  line one\n  line two")
	mustRedo(t, e)

	e2 := openT(t, s, Options{})
	wantText(t, e2, "* line one\n* line two")
	for range 3 {
		mustUndo(t, e2)
	}
	wantText(t, e2, "")
}

// TestLogIsAppendOnly pins the events the Editor records: undo and redo are
// intents, and nothing ever leaves the log.
func TestLogIsAppendOnly(t *testing.T) {
	clock := newClock()
	s := newMemStore()
	e := openT(t, s, Options{Now: clock.Now})
	tick := func() { clock.Advance(time.Minute) }

	tick()
	mustDo(t, e, Insert(0, "ab"))
	tick()
	mustDo(t, e, Delete(0, 1))
	early := s.events()
	tick()
	mustUndo(t, e)
	tick()
	mustRedo(t, e)
	tick()
	mustUndo(t, e)
	tick()
	mustDo(t, e, Insert(1, "ç"))
	tick()
	mustDo(t, e, Macro("m", Insert(0, "x"), Delete(1, 1)))
	wantText(t, e, "xçb")

	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	want := []eventView{
		{1, at(1), KindDo, "insert", 2, jsonOf(t, `{"pos": 0, "text": "ab"}`)},
		{2, at(2), KindDo, "delete", 2, jsonOf(t, `{"pos": 0, "n": 1}`)},
		{3, at(3), KindUndo, "", 0, nil},
		{4, at(4), KindRedo, "", 0, nil},
		{5, at(5), KindUndo, "", 0, nil},
		{6, at(6), KindDo, "insert", 2, jsonOf(t, `{"pos": 1, "text": "ç"}`)},
		{7, at(7), KindDo, "macro", 1, jsonOf(t, `{"name": "m", "cmds": [
			{"cmd": "insert", "v": 2, "data": {"pos": 0, "text": "x"}},
			{"cmd": "delete", "v": 2, "data": {"pos": 1, "n": 1}}]}`)},
	}
	got := s.events()
	if d := cmp.Diff(want, view(t, got)); d != "" {
		t.Errorf("the log (-want +got):\n%s", d)
	}
	if len(got) >= len(early) {
		if d := cmp.Diff(view(t, early), view(t, got[:len(early)])); d != "" {
			t.Errorf("the first events changed after they were appended (-then +now):\n%s", d)
		}
	}
}

func TestTypingMerges(t *testing.T) {
	const window = time.Second
	setup := func(t *testing.T, o Options) (*Editor, *memStore, *fakeClock) {
		c := newClock()
		o.Now = c.Now
		s := newMemStore()
		return openT(t, s, o), s, c
	}
	merging := Options{MergeWindow: window}

	t.Run("five quick keystrokes are one step", func(t *testing.T) {
		e, s, c := setup(t, merging)
		typeText(t, e, c, 0, "hello", 100*time.Millisecond)
		wantText(t, e, "hello")
		wantDepth(t, e, 1, 0)
		if d := cmp.Diff([]string{"do", "merge", "merge", "merge", "merge"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		mustUndo(t, e)
		wantText(t, e, "")
		wantDepth(t, e, 0, 1)
		mustRedo(t, e)
		wantText(t, e, "hello")
		wantDepth(t, e, 1, 0)
	})

	t.Run("the merge survives a reopen", func(t *testing.T) {
		e, s, c := setup(t, merging)
		mustDo(t, e, Insert(0, "> "))
		typeText(t, e, c, 2, "wörld", 300*time.Millisecond)
		e2 := openT(t, s, Options{MergeWindow: window, Now: c.Now})
		wantText(t, e2, "> wörld")
		wantDepth(t, e2, 2, 0)
		mustUndo(t, e2)
		wantText(t, e2, "> ")
	})

	t.Run("a gap of exactly the window merges, a longer one does not", func(t *testing.T) {
		e, s, c := setup(t, merging)
		typeText(t, e, c, 0, "a", 0)
		typeText(t, e, c, 1, "b", window)
		typeText(t, e, c, 2, "c", window+time.Nanosecond)
		if d := cmp.Diff([]string{"do", "merge", "do"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		mustUndo(t, e)
		wantText(t, e, "ab")
		mustUndo(t, e)
		wantText(t, e, "")
	})

	t.Run("typing elsewhere starts a new step", func(t *testing.T) {
		e, _, c := setup(t, merging)
		typeText(t, e, c, 0, "ab", 100*time.Millisecond)
		typeText(t, e, c, 0, "xy", 100*time.Millisecond) // at the start: not a continuation
		wantText(t, e, "xyab")
		wantDepth(t, e, 2, 0)
		mustUndo(t, e)
		wantText(t, e, "ab")
	})

	t.Run("a paste is its own step and is not continued", func(t *testing.T) {
		e, s, c := setup(t, merging)
		typeText(t, e, c, 0, "ab", 100*time.Millisecond)
		c.Advance(100 * time.Millisecond)
		mustDo(t, e, Insert(2, "cd"))
		typeText(t, e, c, 4, "e", 100*time.Millisecond)
		if d := cmp.Diff([]string{"do", "merge", "do", "do"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		wantDepth(t, e, 3, 0)
	})

	t.Run("undo and delete end the run", func(t *testing.T) {
		e, s, c := setup(t, merging)
		typeText(t, e, c, 0, "ab", 100*time.Millisecond)
		mustUndo(t, e)
		typeText(t, e, c, 0, "cd", 100*time.Millisecond)
		mustDo(t, e, Delete(1, 1))
		typeText(t, e, c, 1, "e", 100*time.Millisecond)
		if d := cmp.Diff([]string{"do", "merge", "undo", "do", "merge", "do", "do"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		wantText(t, e, "ce")
		wantDepth(t, e, 3, 0)
	})

	t.Run("no window, no merging", func(t *testing.T) {
		e, s, c := setup(t, Options{})
		typeText(t, e, c, 0, "abc", 0)
		if d := cmp.Diff([]string{"do", "do", "do"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		wantDepth(t, e, 3, 0)
	})

	t.Run("typing continues after a reopen", func(t *testing.T) {
		e, s, c := setup(t, merging)
		typeText(t, e, c, 0, "ab", 100*time.Millisecond)
		e2 := openT(t, s, Options{MergeWindow: window, Now: c.Now})
		_ = e
		typeText(t, e2, c, 2, "c", 100*time.Millisecond)
		if d := cmp.Diff([]string{"do", "merge", "merge"}, kinds(s.events())); d != "" {
			t.Errorf("event kinds (-want +got):\n%s", d)
		}
		mustUndo(t, e2)
		wantText(t, e2, "")
	})
}

// TestStoreFailureChangesNothing: when Append fails, the document and the
// history stay as they were, and the editor carries on once the store is
// back.
func TestStoreFailureChangesNothing(t *testing.T) {
	c := newClock()
	s := newMemStore()
	e := openT(t, s, Options{MergeWindow: time.Second, Now: c.Now})
	ctx := ctxT(t, 10*time.Second)
	mustDo(t, e, Insert(0, "one "))
	mustDo(t, e, Insert(0, "zero "))
	mustUndo(t, e)
	wantText(t, e, "one ")
	wantDepth(t, e, 1, 1)

	s.setFail(errBoom)
	for name, op := range map[string]func() error{
		"Do":   func() error { return e.Do(ctx, Insert(4, "x")) },
		"Undo": func() error { return e.Undo(ctx) },
		"Redo": func() error { return e.Redo(ctx) },
	} {
		if err := op(); !errors.Is(err, errBoom) {
			t.Errorf("%s with a failing store: got %v, want an error wrapping the store's", name, err)
		}
		wantText(t, e, "one ")
		wantDepth(t, e, 1, 1)
	}
	s.setFail(nil)

	typeText(t, e, c, 4, "tw", 100*time.Millisecond)
	wantText(t, e, "one tw")
	wantDepth(t, e, 2, 0)
	s.setFail(errBoom)
	c.Advance(100 * time.Millisecond)
	if err := e.Do(ctx, Insert(6, "o")); !errors.Is(err, errBoom) {
		t.Errorf("keystroke with a failing store: got %v, want an error wrapping the store's", err)
	}
	wantText(t, e, "one tw")
	s.setFail(nil)

	// The failed keystroke did not break the typing run.
	typeText(t, e, c, 6, "o", 100*time.Millisecond)
	wantText(t, e, "one two")
	wantDepth(t, e, 2, 0)
	e2 := openT(t, s, Options{})
	wantText(t, e2, "one two")
	wantDepth(t, e2, 2, 0)
	mustUndo(t, e2)
	wantText(t, e2, "one ")
}

func TestCancelledContext(t *testing.T) {
	s := newMemStore()
	e := openT(t, s, Options{})
	mustDo(t, e, Insert(0, "ab"))
	mustDo(t, e, Insert(2, "cd"))
	mustUndo(t, e)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for name, op := range map[string]func() error{
		"Do":   func() error { return e.Do(ctx, Insert(0, "x")) },
		"Undo": func() error { return e.Undo(ctx) },
		"Redo": func() error { return e.Redo(ctx) },
	} {
		if err := op(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled ctx: got %v, want context.Canceled", name, err)
		}
	}
	wantText(t, e, "ab")
	wantDepth(t, e, 1, 1)
	if got := len(s.events()); got != 3 {
		t.Errorf("log length: got %d events, want 3", got)
	}
	if _, err := Open(ctx, s, Options{}); err == nil {
		t.Errorf("Open with a cancelled ctx: got nil error, want context.Canceled")
	}
}
