package progress

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	helperEnv   = "GOCHALLENGE_PROGRESS_HELPER" // mode: "append" or "loop"
	helperDir   = "GOCHALLENGE_PROGRESS_DIR"
	helperID    = "GOCHALLENGE_PROGRESS_ID"
	helperCount = 500
)

// TestHelperProcess is not a test: the process tests re-execute the test
// binary to run it as a second writer.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(helperEnv)
	if mode == "" {
		t.Skip("only runs as a helper process")
	}
	s, err := Open(os.Getenv(helperDir))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	id := os.Getenv(helperID)
	switch mode {
	case "append":
		// Start together: say ready, wait for the go file.
		fmt.Println("ready")
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Millisecond) {
			if _, err := os.Stat(filepath.Join(os.Getenv(helperDir), "go")); err == nil {
				break
			}
			if time.Now().After(deadline) {
				fmt.Fprintln(os.Stderr, "no go file")
				os.Exit(2)
			}
		}
		for i := 1; i <= helperCount; i++ {
			if err := s.Record(Event{Kind: KindHint, Challenge: id, Hint: i}); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
		}
	case "loop":
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := 1; ; i++ {
			ev := Event{Time: base.Add(time.Duration(i) * time.Millisecond), Kind: KindBench, Challenge: id,
				Bench: &Bench{Name: "seq", NsPerOp: float64(i)}}
			if err := s.Record(ev); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(2)
			}
			fmt.Println(i) // os.Stdout is unbuffered: printed means acknowledged
		}
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode", mode)
		os.Exit(2)
	}
	os.Exit(0)
}

// helper starts the test binary as a helper process. It is killed and
// waited for when the test ends, whatever happens.
func helper(t *testing.T, ctx context.Context, mode, dir, id string) (cmd *exec.Cmd, wait func() error, stderr *bytes.Buffer) {
	t.Helper()
	cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1", "-test.timeout=60s")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDir+"="+dir, helperID+"="+id)
	stderr = new(bytes.Buffer)
	cmd.Stderr = stderr
	var once sync.Once
	var werr error
	wait = func() error {
		once.Do(func() { werr = cmd.Wait() })
		return werr
	}
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = cmd.Process.Kill()
			_ = wait()
		}
	})
	return cmd, wait, stderr
}

func readEvents(t *testing.T, s *Store) []Event {
	t.Helper()
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	events, skipped := decode(data)
	if skipped != 0 {
		t.Errorf("%d lines do not decode", skipped)
	}
	return events
}

func TestTwoProcesses(t *testing.T) {
	bound(t, 90*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	type proc struct {
		wait   func() error
		stderr *bytes.Buffer
	}
	var procs []proc
	for _, id := range []string{"one", "two"} {
		cmd, wait, stderr := helper(t, ctx, "append", dir, id)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, proc{wait, stderr})
		line, err := bufio.NewReader(out).ReadString('\n')
		if line != "ready\n" {
			t.Fatalf("helper said %q, %v\n%s", line, err, stderr)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range procs {
		if err := p.wait(); err != nil {
			t.Fatalf("helper: %v\n%s", err, p.stderr)
		}
	}

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	events := readEvents(t, s)
	if len(events) != 2*helperCount {
		t.Fatalf("journal has %d events; want %d", len(events), 2*helperCount)
	}
	// Each writer's events are all there, once, in its order.
	next := map[string]int{"one": 1, "two": 1}
	switches := 0
	for i, ev := range events {
		if i > 0 && ev.Challenge != events[i-1].Challenge {
			switches++
		}
		if ev.Hint != next[ev.Challenge] {
			t.Fatalf("%s: event %d after %d", ev.Challenge, ev.Hint, next[ev.Challenge]-1)
		}
		next[ev.Challenge]++
	}
	t.Logf("the writers took turns %d times", switches)
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p.Skipped != 0 {
		t.Errorf("Skipped = %d; want 0", p.Skipped)
	}
	for _, id := range []string{"one", "two"} {
		if got := p.Get(id).HintsUsed; got != helperCount {
			t.Errorf("%s: HintsUsed = %d; want %d", id, got, helperCount)
		}
	}
}

func TestKilledWriter(t *testing.T) {
	bound(t, 90*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	cmd, wait, stderr := helper(t, ctx, "loop", dir, "loop")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked, killed := 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			t.Fatalf("helper printed %q", sc.Text())
		}
		acked = n
		if !killed && n >= 200 {
			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			killed = true
		}
	}
	err = wait()
	if !killed {
		t.Fatalf("helper stopped after %d events: %v\n%s", acked, err, stderr)
	}

	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p.Skipped > 1 {
		t.Errorf("Skipped = %d; want at most 1 (the torn last line)", p.Skipped)
	}
	hist := p.Get("loop").History["seq"]
	if len(hist) < acked {
		t.Fatalf("journal has %d events; %d were acknowledged", len(hist), acked)
	}
	for i, pt := range hist {
		if pt.NsPerOp != float64(i+1) {
			t.Fatalf("event %d is %v: events lost or duplicated", i+1, pt.NsPerOp)
		}
	}
	t.Logf("acknowledged %d, journal has %d, skipped %d", acked, len(hist), p.Skipped)

	// The journal is still usable.
	if err := s.Record(Event{Kind: KindRun, Challenge: "after", Status: Done}); err != nil {
		t.Fatal(err)
	}
	p2, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p2.Get("after").Status != Done || len(p2.Get("loop").History["seq"]) != len(hist) || p2.Skipped != p.Skipped {
		t.Errorf("after a further Record: status %s, %d events, skipped %d", p2.Get("after").Status, len(p2.Get("loop").History["seq"]), p2.Skipped)
	}
}

func TestTornLine(t *testing.T) {
	bound(t, 10*time.Second)
	tests := []struct {
		name        string
		before      string // written to the journal before Record
		wantEvents  int    // after Record
		wantSkipped int
	}{
		{"garbage only", `{"time":"2025-01-01T10:00:00Z","kind":"ru`, 1, 1},
		{"valid line then torn", `{"time":"2025-01-01T10:00:00Z","kind":"run","challenge":"x","status":"failing"}` + "\n" + `{"time":"2025-`, 2, 1},
		{"damaged middle line", "garbage\n" + `{"time":"2025-01-01T10:00:00Z","kind":"run","challenge":"x","status":"failing"}` + "\n", 2, 1},
		{"invalid event", `{"time":"2025-01-01T10:00:00Z","kind":"dance","challenge":"x"}` + "\n\n", 1, 1},
		// A complete last line without its newline (edited by hand) is kept.
		{"valid line without newline", `{"time":"2025-01-01T10:00:00Z","kind":"run","challenge":"x","status":"failing"}`, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(s.Path(), []byte(tt.before), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := s.Record(Event{Time: time.Date(2025, 1, 1, 11, 0, 0, 0, time.UTC), Kind: KindRun, Challenge: "x", Status: Done}); err != nil {
				t.Fatal(err)
			}
			p, err := s.Load()
			if err != nil {
				t.Fatal(err)
			}
			c := p.Get("x")
			if c.Attempts != tt.wantEvents || c.Status != Done || p.Skipped != tt.wantSkipped {
				t.Errorf("Attempts %d, Status %s, Skipped %d; want %d, done, %d", c.Attempts, c.Status, p.Skipped, tt.wantEvents, tt.wantSkipped)
			}
			data, _ := os.ReadFile(s.Path())
			if !strings.HasSuffix(string(data), "\n"+`{"time":"2025-01-01T11:00:00Z","kind":"run","challenge":"x","status":"done"}`+"\n") {
				t.Errorf("the event is not on a line of its own:\n%s", data)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	bound(t, 10*time.Second)
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	bad := []Event{
		{Kind: KindRun, Status: Failing},
		{Kind: "dance", Challenge: "x"},
		{Kind: "", Challenge: "x"},
		{Kind: KindRun, Challenge: "x"},
		{Kind: KindRun, Challenge: "x", Status: "great"},
		{Kind: KindHint, Challenge: "x"},
		{Kind: KindBench, Challenge: "x"},
		{Kind: KindBench, Challenge: "x", Bench: &Bench{NsPerOp: 1}},
	}
	for _, ev := range bad {
		if err := s.Record(ev); err == nil {
			t.Errorf("Record(%+v) = nil; want an error", ev)
		} else if !strings.HasPrefix(err.Error(), "progress: ") {
			t.Errorf("error %q does not say where it comes from", err)
		}
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("journal written by invalid events: %v", err)
	}
	if err := s.Record(Event{Kind: KindOpened, Challenge: "x"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	for _, ev := range bad {
		_ = s.Record(ev)
	}
	if after, _ := os.ReadFile(s.Path()); !bytes.Equal(before, after) {
		t.Errorf("invalid events changed the journal:\n%s", after)
	}

	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Open(regular file) = %v; want a not-a-directory error", err)
	}
	if _, err := Open(filepath.Join(file, "sub")); err == nil {
		t.Error("Open(below a regular file) succeeded")
	}
}

func TestOpenAndEmptyLoad(t *testing.T) {
	bound(t, 10*time.Second)
	dir := filepath.Join(t.TempDir(), "ws", ".gochallenge")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("Open did not create %s: %v", dir, err)
	}
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Challenges) != 0 || len(p.Days) != 0 || p.Skipped != 0 || p.Get("a").Status != NotStarted {
		t.Errorf("empty progress: %+v", p)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Load of nothing created files: %v", entries)
	}
	if _, err := Open(dir); err != nil {
		t.Errorf("Open of an existing folder: %v", err)
	}
}

// TestClockAndZone: Record stamps events with the store's clock, and the
// time zone survives the round trip through the journal.
func TestClockAndZone(t *testing.T) {
	bound(t, 10*time.Second)
	now := at(minus5, 2025, 1, 31, 23, 30)
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.WithClock(func() time.Time { return now })
	for _, ev := range []Event{
		{Kind: KindOpened, Challenge: "a"},
		{Kind: KindRun, Challenge: "a", Status: Failing},
		{Kind: KindRun, Challenge: "a", Status: Done, Time: now.Add(4 * time.Minute)},
	} {
		if err := s.Record(ev); err != nil {
			t.Fatal(err)
		}
	}
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := p.Get("a")
	if !c.FirstOpened.Equal(now) || !c.DoneAt.Equal(now.Add(4*time.Minute)) || c.TimeOnTask != 4*time.Minute {
		t.Errorf("FirstOpened %v, DoneAt %v, TimeOnTask %v", c.FirstOpened, c.DoneAt, c.TimeOnTask)
	}
	if _, off := c.DoneAt.Zone(); off != -5*3600 {
		t.Errorf("zone offset lost: %v", c.DoneAt)
	}
	// 23:34 at UTC-5 is February 1st in UTC: the day must be January 31st.
	d := p.Days["2025-01-31"]
	if d == nil || d.Runs != 2 || len(d.Solved) != 1 || len(p.Days) != 1 {
		t.Errorf("days: %v", p.Days)
	}
	if cur, long := p.Streak(now.Add(time.Hour)); cur != 1 || long != 1 {
		t.Errorf("Streak the next (local) morning = %d, %d; want 1, 1", cur, long)
	}
}

// TestConcurrentGoroutines: stores in one process (the language server may
// open several) don't lose each other's events either.
func TestConcurrentGoroutines(t *testing.T) {
	bound(t, 30*time.Second)
	dir := t.TempDir()
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir)
			if err != nil {
				errs <- err
				return
			}
			for range each {
				if err := s.Record(Event{Kind: KindRun, Challenge: fmt.Sprint("c", w), Status: Failing}); err != nil {
					errs <- err
				}
			}
			if _, err := s.Load(); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, _ := Open(dir)
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	for w := range writers {
		if got := p.Get(fmt.Sprint("c", w)).Attempts; got != each {
			t.Errorf("c%d: %d attempts; want %d", w, got, each)
		}
	}
	if p.Skipped != 0 {
		t.Errorf("Skipped = %d", p.Skipped)
	}
}

func BenchmarkRecord(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	ev := Event{Kind: KindBench, Challenge: "bench", Bench: &Bench{Name: "BenchmarkX", NsPerOp: 12.5, BytesPerOp: 8, AllocsPerOp: 1}}
	for b.Loop() {
		if err := s.Record(ev); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad1000(b *testing.B) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	t0 := time.Date(2025, 1, 1, 9, 0, 0, 0, time.FixedZone("PLUS1", 3600))
	for i := range 1000 {
		ev := Event{Time: t0.Add(time.Duration(i) * 3 * time.Minute), Kind: KindRun, Challenge: fmt.Sprintf("c%02d", i%50), Status: Failing}
		switch i % 4 {
		case 1:
			ev.Status = Passing
		case 2:
			ev.Kind, ev.Status, ev.Hint = KindHint, "", 1+i%3
		case 3:
			ev.Kind, ev.Status, ev.Bench = KindBench, "", &Bench{Name: "BenchmarkX", NsPerOp: float64(i)}
		}
		line, err := json.Marshal(ev)
		if err != nil {
			b.Fatal(err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(s.Path(), buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		p, err := s.Load()
		if err != nil {
			b.Fatal(err)
		}
		if p.Skipped != 0 || len(p.Challenges) != 50 {
			b.Fatalf("skipped %d, %d challenges", p.Skipped, len(p.Challenges))
		}
	}
}

// TestLockTimeout: a lock held forever (a stopped process) is an error,
// not a hang; the lock works again once it is released.
func TestLockTimeout(t *testing.T) {
	bound(t, 20*time.Second)
	defer func(d time.Duration) { lockTimeout = d }(lockTimeout)
	lockTimeout = 200 * time.Millisecond
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Record(Event{Kind: KindOpened, Challenge: "a"}); err != nil {
		t.Fatal(err)
	}
	unlock, err := s.lock(true) // another open file: conflicts like another process
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Record(Event{Kind: KindOpened, Challenge: "a"}); err == nil || !strings.Contains(err.Error(), "still locked") {
		t.Errorf("Record while locked = %v; want a still-locked error", err)
	}
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "still locked") {
		t.Errorf("Load while locked = %v; want a still-locked error", err)
	}
	unlock()
	if err := s.Record(Event{Kind: KindRun, Challenge: "a", Status: Failing}); err != nil {
		t.Fatal(err)
	}
	p, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if p.Get("a").Attempts != 1 || p.Skipped != 0 {
		t.Errorf("after unlock: %+v, skipped %d", p.Get("a"), p.Skipped)
	}
}
