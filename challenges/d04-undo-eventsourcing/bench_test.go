package undo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDoInsert is gated: at most 3 allocs/op. Typing at the end of the
// document, no merging, on a store that keeps nothing, so it measures the
// Editor alone. The benchmark's own Insert(...) is one allocation.
func BenchmarkDoInsert(b *testing.B) {
	ctx := context.Background()
	e, err := Open(ctx, &discardStore{}, Options{})
	if err != nil {
		b.Fatalf("Open: got error %v, want nil", err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := e.Do(ctx, Insert(i, "x")); err != nil {
			b.Fatalf("Do: got error %v, want nil", err)
		}
		i++
	}
}

const replayEvents = 100_000

// replayLog writes a valid log of 100k events (typing, pastes, deletions,
// undo/redo pairs, a document kept under 4,000 runes) and returns its path.
func replayLog(b *testing.B) string {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	var (
		buf bytes.Buffer
		seq uint64
		n   int // runes in the document
	)
	add := func(kind, cmd, data string) {
		seq++
		e := Event{Seq: seq, At: t0.Add(time.Duration(seq) * time.Millisecond), Kind: kind}
		if cmd != "" {
			e.Cmd, e.Version, e.Data = cmd, 2, json.RawMessage(data)
		}
		js, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(rawLine(js))
	}
	for seq < replayEvents {
		switch k := r.IntN(10); {
		case n > 4000:
			add(KindDo, "delete", fmt.Sprintf(`{"pos":%d,"n":1000}`, r.IntN(n-1000)))
			n -= 1000
		case k < 7 || n < 10:
			s := randText(r, 1+r.IntN(3))
			js, _ := json.Marshal(s)
			add(KindDo, "insert", fmt.Sprintf(`{"pos":%d,"text":%s}`, r.IntN(n+1), js))
			n += runeLen(s)
		case k < 9:
			cnt := 1 + r.IntN(5)
			add(KindDo, "delete", fmt.Sprintf(`{"pos":%d,"n":%d}`, r.IntN(n-cnt+1), cnt))
			n -= cnt
		case seq+2 <= replayEvents:
			add(KindUndo, "", "")
			add(KindRedo, "", "")
		}
	}
	path := filepath.Join(b.TempDir(), "replay.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReplay is gated as a ratio: opening a 100k-event FileStore log
// (read, check every checksum, decode, apply) must take at most 2x
// BenchmarkDecodeJSON.
func BenchmarkReplay(b *testing.B) {
	path := replayLog(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		fs, err := NewFileStore(path)
		if err != nil {
			b.Fatalf("NewFileStore: got error %v, want nil", err)
		}
		e, err := Open(ctx, fs, Options{})
		if err != nil {
			b.Fatalf("Open: got error %v, want nil", err)
		}
		if u, _ := e.Depth(); u == 0 {
			b.Fatalf("Depth after replaying %d events: got 0 undo steps", replayEvents)
		}
		fs.Close()
	}
}

// BenchmarkDecodeJSON is the baseline: the JSON work of a replay and nothing
// else. It reads the same file and decodes each line with encoding/json:
// the Event, then its Data into the command's fields.
func BenchmarkDecodeJSON(b *testing.B) {
	path := replayLog(b)
	type insertData struct {
		Pos  int    `json:"pos"`
		Text string `json:"text"`
	}
	type deleteData struct {
		Pos int `json:"pos"`
		N   int `json:"n"`
	}
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 256<<10), 1<<20)
		n := 0
		for sc.Scan() {
			var ev Event
			if err := json.Unmarshal(sc.Bytes()[9:], &ev); err != nil {
				b.Fatal(err)
			}
			switch ev.Cmd {
			case "insert":
				var d insertData
				err = json.Unmarshal(ev.Data, &d)
			case "delete":
				var d deleteData
				err = json.Unmarshal(ev.Data, &d)
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		f.Close()
		if n != replayEvents {
			b.Fatalf("decoded %d lines, want %d", n, replayEvents)
		}
	}
}
