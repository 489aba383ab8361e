package undo

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFileStoreFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.log")
	c := newClock()
	fs := newFileStore(t, path)
	e := openT(t, fs, Options{Now: c.Now})
	c.Advance(time.Second)
	mustDo(t, e, Insert(0, "héllo"))
	c.Advance(time.Second)
	mustDo(t, e, Delete(0, 1))
	c.Advance(time.Second)
	mustUndo(t, e)
	c.Advance(time.Second)
	mustDo(t, e, Macro("m", Insert(5, "!")))

	lineRE := regexp.MustCompile(`^[0-9a-f]{8} \{.*\}\n$`)
	var got []Event
	for i, l := range lines(t, path) {
		if !lineRE.Match(l) {
			t.Fatalf("line %d: got %q, want <8 lowercase hex digits> <space> <JSON object> <newline>", i+1, l)
		}
		js := l[9 : len(l)-1]
		sum, _ := strconv.ParseUint(string(l[:8]), 16, 32)
		if want := crc32.ChecksumIEEE(js); uint32(sum) != want {
			t.Errorf("line %d: got checksum %s, want %08x (crc32.ChecksumIEEE of the JSON)", i+1, l[:8], want)
		}
		var ev Event
		if err := json.Unmarshal(js, &ev); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		got = append(got, ev)
	}
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	want := []eventView{
		{1, at(1), KindDo, "insert", 2, jsonOf(t, `{"pos": 0, "text": "héllo"}`)},
		{2, at(2), KindDo, "delete", 2, jsonOf(t, `{"pos": 0, "n": 1}`)},
		{3, at(3), KindUndo, "", 0, nil},
		{4, at(4), KindDo, "macro", 1, jsonOf(t, `{"name": "m", "cmds": [{"cmd": "insert", "v": 2, "data": {"pos": 5, "text": "!"}}]}`)},
	}
	if d := cmp.Diff(want, view(t, got)); d != "" {
		t.Errorf("the log file (-want +got):\n%s", d)
	}

	ctx := ctxT(t, 10*time.Second)
	var seqs []uint64
	for ev, err := range fs.Load(ctx, 3) {
		if err != nil {
			t.Fatalf("Load(3): got error %v, want nil", err)
		}
		seqs = append(seqs, ev.Seq)
	}
	if d := cmp.Diff([]uint64{3, 4}, seqs); d != "" {
		t.Errorf("Load(3) sequence numbers (-want +got):\n%s", d)
	}

	// Several events in one Append come back as they went in.
	extra := []Event{intent(5, KindUndo), ev(6, "insert", 2, `{"pos": 0, "text": "x\ny"}`)}
	if err := fs.Append(ctx, extra...); err != nil {
		t.Fatalf("Append: got error %v, want nil", err)
	}
	var back []Event
	for ev, err := range fs.Load(ctx, 5) {
		if err != nil {
			t.Fatalf("Load(5): got error %v, want nil", err)
		}
		back = append(back, ev)
	}
	if d := cmp.Diff(view(t, extra), view(t, back)); d != "" {
		t.Errorf("Load after Append (-appended +loaded):\n%s", d)
	}
	if n := len(lines(t, path)); n != 6 {
		t.Errorf("log file: got %d lines, want 6", n)
	}

	if _, err := NewFileStore(filepath.Join(t.TempDir(), "missing", "doc.log")); err == nil {
		t.Errorf("NewFileStore in a missing directory: got nil error, want an error")
	}
}

// buildLog writes a five-event log with an Editor and returns its path. After
// four events the text is "one two" with Depth (2, 1). The fake clock makes
// every build byte for byte the same.
func buildLog(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.log")
	fs := newFileStore(t, path)
	e := openT(t, fs, Options{Now: newClock().Now})
	mustDo(t, e, Insert(0, "one"))
	mustDo(t, e, Insert(3, " two"))
	mustDo(t, e, Delete(0, 4))
	mustUndo(t, e)
	mustDo(t, e, Insert(0, "zero "))
	wantText(t, e, "zero one two")
	if err := fs.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}
	return path
}

func TestTornWrite(t *testing.T) {
	probe := lines(t, buildLog(t))
	last := len(probe[4])
	for name, cut := range map[string]int{
		"the final newline":   1,
		"half the last line":  last / 2,
		"inside the checksum": last - 4,
		"all but one byte":    last - 1,
	} {
		t.Run(name, func(t *testing.T) {
			path := buildLog(t)
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(path, st.Size()-int64(cut)); err != nil {
				t.Fatal(err)
			}

			fs := newFileStore(t, path)
			e, err := Open(ctxT(t, 10*time.Second), fs, Options{})
			if !errors.Is(err, ErrTornWrite) {
				t.Errorf("Open: got error %v, want one wrapping ErrTornWrite", err)
			}
			if errors.Is(err, ErrCorrupt) {
				t.Errorf("Open: got %v: a torn final line is not corruption", err)
			}
			if le, ok := errors.AsType[*LogError](err); !ok || le.Line != 5 {
				t.Errorf("Open: got error %v, want a *LogError for line 5", err)
			}
			if e == nil {
				t.Fatalf("Open with a torn final line: got a nil Editor, want a usable one")
			}
			wantText(t, e, "one two")
			wantDepth(t, e, 2, 1)
			mustDo(t, e, Insert(7, "!"))
			if err := fs.Close(); err != nil {
				t.Fatalf("Close: got error %v, want nil", err)
			}

			// The torn bytes are gone: the new event is line 5, whole.
			if n := len(lines(t, path)); n != 5 {
				t.Errorf("log after recovery: got %d complete lines, want 5", n)
			}
			e2, err := Open(t.Context(), newFileStore(t, path), Options{})
			if err != nil || e2 == nil {
				t.Fatalf("reopen after recovery: got (%v, %v), want an Editor and no error", e2, err)
			}
			wantText(t, e2, "one two!")
			wantDepth(t, e2, 3, 0)
		})
	}

	t.Run("the whole last line lost", func(t *testing.T) {
		path := buildLog(t)
		st, _ := os.Stat(path)
		if err := os.Truncate(path, st.Size()-int64(last)); err != nil {
			t.Fatal(err)
		}
		e, err := Open(t.Context(), newFileStore(t, path), Options{})
		if err != nil || e == nil {
			t.Fatalf("Open of a log that ends with a whole line: got (%v, %v), want an Editor and no error", e, err)
		}
		wantText(t, e, "one two")
	})

	t.Run("nothing but a torn line", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "doc.log")
		if err := os.WriteFile(path, []byte(`0badc0de {"seq":1,"ki`), 0o644); err != nil {
			t.Fatal(err)
		}
		fs := newFileStore(t, path)
		e, err := Open(t.Context(), fs, Options{})
		if le, ok := errors.AsType[*LogError](err); !ok || !errors.Is(err, ErrTornWrite) || le.Line != 1 {
			t.Errorf("Open: got error %v, want a *LogError for line 1 wrapping ErrTornWrite", err)
		}
		if e == nil {
			t.Fatalf("Open: got a nil Editor, want an empty one")
		}
		wantText(t, e, "")
		mustDo(t, e, Insert(0, "fresh"))
		fs.Close()
		e2 := openT(t, newFileStore(t, path), Options{})
		wantText(t, e2, "fresh")
	})
}

func TestCorruptMidFile(t *testing.T) {
	flip := func(l []byte, i int) []byte {
		l = bytes.Clone(l)
		l[i] ^= 0x01
		return l
	}
	tests := []struct {
		name     string
		mangle   func(ls [][]byte) [][]byte
		wantLine int
	}{
		{"a flipped byte in line 3", func(ls [][]byte) [][]byte {
			ls[2] = flip(ls[2], 9+len(ls[2])/2)
			return ls
		}, 3},
		{"a flipped checksum digit in line 2", func(ls [][]byte) [][]byte {
			ls[1] = flip(ls[1], 3)
			return ls
		}, 2},
		{"a flipped byte in the last, complete line", func(ls [][]byte) [][]byte {
			ls[4] = flip(ls[4], len(ls[4])-3)
			return ls
		}, 5},
		{"garbage with a valid checksum in line 4", func(ls [][]byte) [][]byte {
			ls[3] = rawLine([]byte(`{"seq": 4, "kind":`))
			return ls
		}, 4},
		{"an empty line before line 3", func(ls [][]byte) [][]byte {
			return append(ls[:2:2], append([][]byte{[]byte("\n")}, ls[2:]...)...)
		}, 3},
		{"no separator in line 2", func(ls [][]byte) [][]byte {
			ls[1] = append(ls[1][:8:8], ls[1][9:]...)
			return ls
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := buildLog(t)
			mangled := bytes.Join(tt.mangle(lines(t, path)), nil)
			if err := os.WriteFile(path, mangled, 0o644); err != nil {
				t.Fatal(err)
			}
			// The corruption may be reported by NewFileStore or by Open.
			fs, err := NewFileStore(path)
			var e *Editor
			if err == nil {
				defer fs.Close()
				e, err = Open(t.Context(), fs, Options{})
			}
			if !errors.Is(err, ErrCorrupt) || errors.Is(err, ErrTornWrite) {
				t.Errorf("got error %v, want one wrapping ErrCorrupt (and not ErrTornWrite)", err)
			}
			if le, ok := errors.AsType[*LogError](err); !ok || le.Line != tt.wantLine {
				t.Errorf("got error %v, want a *LogError for line %d", err, tt.wantLine)
			}
			if e != nil {
				t.Errorf("got an Editor, want nil: a corrupt log cannot be trusted")
			}
			// Nothing is "repaired": the evidence stays for a human.
			if after, _ := os.ReadFile(path); !bytes.Equal(after, mangled) {
				t.Errorf("the corrupt log file was modified: got %d bytes, want the %d bytes it had", len(after), len(mangled))
			}
		})
	}
}

// TestFileStoreSnapshots: a FileStore keeps snapshots, and Open uses the
// latest one to replay only the tail.
func TestFileStoreSnapshots(t *testing.T) {
	const every = 5
	path := filepath.Join(t.TempDir(), "doc.log")
	c := newClock()
	o := Options{SnapshotEvery: every, MergeWindow: time.Second, Now: c.Now}
	fs := newFileStore(t, path)
	e := openT(t, fs, o)
	r := rand.New(rand.NewPCG(5, 5))
	for range 40 {
		randomEdit(t, r, e, c)
	}
	text := e.Text()
	wantU, wantR := e.Depth()
	if err := fs.Close(); err != nil {
		t.Fatalf("Close: got error %v, want nil", err)
	}
	n := len(lines(t, path))
	if n < every {
		t.Fatalf("got %d events, want at least %d for this test to mean anything", n, every)
	}
	last := uint64(n / every * every)

	full := openT(t, plainStore{newFileStore(t, path)}, Options{})
	wantText(t, full, text)
	wantDepth(t, full, wantU, wantR)

	rec := &loadRecorder{FileStore: newFileStore(t, path)}
	e1 := openT(t, rec, o)
	if len(rec.loads) == 0 || rec.loads[0] != last+1 || slices.Min(rec.loads) <= last {
		t.Errorf("Open with a snapshot at event %d: got Load calls from %v, want Load(%d) only", last, rec.loads, last+1)
	}
	wantText(t, e1, text)
	wantDepth(t, e1, wantU, wantR)
	for range wantU {
		mustUndo(t, e1)
	}
	wantText(t, e1, "")
	rec.Close()

	again := openT(t, newFileStore(t, path), Options{})
	wantText(t, again, "")
	wantDepth(t, again, 0, wantU+wantR)
}
