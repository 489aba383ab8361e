package download

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// 20 files, 3 workers: every file arrives verified and the server never
// sees more than 3 downloads at once.
func TestConcurrencyLimit(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 3, MaxRetries: 3, Backoff: fastBackoff, ProgressEvery: 10 * time.Millisecond})

	const files = 20
	datas := make([][]byte, files)
	reqs := make([]Request, files)
	for i := range files {
		datas[i] = randomData(uint64(i), 96<<10+i)
		url := fs.add(fmt.Sprintf("/f%02d", i), spec{data: datas[i], etag: fmt.Sprintf(`"e%d"`, i), chunk: 16 << 10, delay: 2 * time.Millisecond})
		reqs[i] = Request{URL: url, Dest: filepath.Join(dir, fmt.Sprintf("f%02d", i)), SHA256: sum(datas[i])}
	}
	ids := make([]ID, files)
	for i, r := range reqs { // all at once: the pool, not the test, limits concurrency
		ids[i] = mustAdd(t, m, r)
	}
	waitOK(t, m, 10*time.Second, ids...)
	for i := range files {
		checkFile(t, filepath.Join(dir, fmt.Sprintf("f%02d", i)), datas[i])
	}
	if got := fs.maxConcurrent(); got > 3 {
		t.Errorf("max concurrent downloads seen by the server: got %d, want <= 3 (Options.Workers)", got)
	} else if got < 2 {
		t.Errorf("max concurrent downloads seen by the server: got %d, want 3 (the workers should run in parallel)", got)
	}
}

// A connection cut after K bytes is resumed with "Range: bytes=K-" and
// If-Range, and no byte is fetched twice (beyond one buffer).
func TestResumeAfterDrop(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 2, MaxRetries: 3, Backoff: fastBackoff})

	const size, k = 256 << 10, 100_000
	data := randomData(1, size)
	url := fs.add("/big", spec{data: data, etag: `"big-1"`, dropAt: []int64{k}})
	dest := filepath.Join(dir, "big.bin")
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)}))
	checkFile(t, dest, data)

	f := fs.file("/big")
	want := []reqInfo{
		{Range: "", IfRange: "", Status: http.StatusOK},
		{Range: rangeFrom(k), IfRange: `"big-1"`, Status: http.StatusPartialContent},
	}
	if diff := cmp.Diff(want, f.requests()); diff != "" {
		t.Errorf("requests seen by the server (-want +got):\n%s", diff)
	}
	if got, limit := f.sent.Load(), int64(size+bufSizeHint); got > limit {
		t.Errorf("body bytes sent: got %d, want <= %d (file size + one 32 KiB buffer)", got, limit)
	}
}

// bufSizeHint is "one buffer" in the transfer bound.
const bufSizeHint = 32 << 10

// Pause stops the transfer (the server's byte counter stays flat) and keeps
// the .part file; Resume continues from exactly its size.
func TestPauseResume(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 2, MaxRetries: 3, Backoff: fastBackoff})

	const size = 1 << 20
	data := randomData(2, size)
	url := fs.add("/slow", spec{data: data, etag: `"slow"`, chunk: 16 << 10, delay: 3 * time.Millisecond})
	dest := filepath.Join(dir, "slow.bin")
	id := mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)})
	f := fs.file("/slow")

	if !eventually(5*time.Second, func() bool { return f.sent.Load() >= 128<<10 }) {
		t.Fatalf("server sent %d bytes in 5s, want >= %d: is the download running?", f.sent.Load(), 128<<10)
	}
	if err := m.Pause(id); err != nil {
		t.Fatalf("Pause(%d): got %v, want nil", id, err)
	}
	if !eventually(2*time.Second, func() bool { return f.inflight.Load() == 0 }) {
		t.Fatalf("server still serving the paused download after 2s: Pause must cancel the request")
	}
	part := fileSize(dest + ".part")
	if part <= 0 || part >= size {
		t.Fatalf("%s.part after Pause: got size %d, want 0 < size < %d", filepath.Base(dest), part, size)
	}
	sent, reqs := f.sent.Load(), len(f.requests())
	time.Sleep(150 * time.Millisecond)
	if got := f.sent.Load(); got != sent {
		t.Errorf("server bytes during pause: got %d after 150ms, want %d (flat)", got, sent)
	}
	if got := len(f.requests()); got != reqs {
		t.Errorf("requests during pause: got %d, want %d", got, reqs)
	}
	if got := fileSize(dest + ".part"); got != part {
		t.Errorf(".part size during pause: got %d, want %d", got, part)
	}
	if err := m.Pause(id); err != nil {
		t.Errorf("Pause of a paused item: got %v, want nil", err)
	}

	if err := m.Resume(id); err != nil {
		t.Fatalf("Resume(%d): got %v, want nil", id, err)
	}
	waitOK(t, m, 5*time.Second, id)
	checkFile(t, dest, data)
	got := f.requests()
	if len(got) != reqs+1 {
		t.Fatalf("requests: got %d, want %d (one more after Resume)", len(got), reqs+1)
	}
	if want := (reqInfo{Range: rangeFrom(part), IfRange: `"slow"`, Status: http.StatusPartialContent}); got[reqs] != want {
		t.Errorf("request after Resume: got %+v, want %+v", got[reqs], want)
	}
	if err := m.Pause(id); !errors.Is(err, ErrFinished) {
		t.Errorf("Pause of a finished item: got %v, want ErrFinished", err)
	}
	if err := m.Resume(id); !errors.Is(err, ErrFinished) {
		t.Errorf("Resume of a finished item: got %v, want ErrFinished", err)
	}
}

// A file that changed between attempts (new ETag) comes back as 200 to the
// If-Range request: the download restarts from 0.
func TestETagChangeRestarts(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 3, Backoff: fastBackoff})

	v1, v2 := randomData(3, 256<<10), randomData(4, 200<<10)
	url := fs.add("/doc", spec{data: v1, etag: `"v1"`, dropAt: []int64{100_000}, swapAt: 1, data2: v2, etag2: `"v2"`})
	dest := filepath.Join(dir, "doc.bin")
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(v2)}))
	checkFile(t, dest, v2)
	want := []reqInfo{
		{Status: http.StatusOK},
		{Range: rangeFrom(100_000), IfRange: `"v1"`, Status: http.StatusOK},
	}
	if diff := cmp.Diff(want, fs.file("/doc").requests()); diff != "" {
		t.Errorf("requests seen by the server (-want +got):\n%s", diff)
	}
}

// A server that ignores Range answers 200 with the whole file: the .part
// file is truncated, not appended to.
func TestIgnoredRangeRestarts(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 3, Backoff: fastBackoff})

	data := randomData(5, 256<<10)
	url := fs.add("/norange", spec{data: data, etag: `"nr"`, dropAt: []int64{100_000}, ignoreRange: true})
	dest := filepath.Join(dir, "norange.bin")
	// No SHA256: the length and content checks below must hold on their own.
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest}))
	checkFile(t, dest, data)
	reqs := fs.file("/norange").requests()
	if len(reqs) != 2 || reqs[1].Range != rangeFrom(100_000) || reqs[1].Status != http.StatusOK {
		t.Errorf("requests: got %+v, want a second request with Range %q answered 200", reqs, rangeFrom(100_000))
	}
}

// A checksum mismatch fails the item and leaves no file at Dest.
func TestChecksumMismatch(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 2, Backoff: fastBackoff})

	data := randomData(6, 64<<10)
	url := fs.add("/bad", spec{data: data, etag: `"bad"`})
	dest := filepath.Join(dir, "bad.bin")
	id := mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum([]byte("something else"))})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := m.Wait(ctx, id); !errors.Is(err, ErrChecksum) {
		t.Fatalf("Wait: got %v, want ErrChecksum", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat %s after a checksum mismatch: got %v, want os.ErrNotExist", filepath.Base(dest), err)
	}
	if err := m.Resume(id); !errors.Is(err, ErrFinished) {
		t.Errorf("Resume of a failed item: got %v, want ErrFinished", err)
	}
}

// Cancel stops a running download and removes its .part file; a queued
// item that was paused before any worker got to it never reaches the server.
func TestCancel(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 3, Backoff: fastBackoff})

	data := randomData(7, 1<<20)
	url := fs.add("/c", spec{data: data, etag: `"c"`, chunk: 16 << 10, delay: 3 * time.Millisecond})
	other := fs.add("/never", spec{data: data, etag: `"n"`})
	dest, dest2 := filepath.Join(dir, "c.bin"), filepath.Join(dir, "never.bin")
	id := mustAdd(t, m, Request{URL: url, Dest: dest})
	id2 := mustAdd(t, m, Request{URL: other, Dest: dest2})
	if err := m.Pause(id2); err != nil {
		t.Fatalf("Pause(queued %d): got %v, want nil", id2, err)
	}
	f := fs.file("/c")
	if !eventually(5*time.Second, func() bool { return f.sent.Load() >= 64<<10 }) {
		t.Fatalf("server sent %d bytes in 5s, want >= %d", f.sent.Load(), 64<<10)
	}
	if err := m.Cancel(id); err != nil {
		t.Fatalf("Cancel(%d): got %v, want nil", id, err)
	}
	if err := m.Cancel(id2); err != nil {
		t.Fatalf("Cancel(paused %d): got %v, want nil", id2, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, id := range []ID{id, id2} {
		if err := m.Wait(ctx, id); !errors.Is(err, ErrCanceled) {
			t.Errorf("Wait(%d) after Cancel: got %v, want ErrCanceled", id, err)
		}
		if err := m.Cancel(id); !errors.Is(err, ErrFinished) {
			t.Errorf("second Cancel(%d): got %v, want ErrFinished", id, err)
		}
	}
	for _, p := range []string{dest, dest + ".part", dest2, dest2 + ".part"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("stat %s after Cancel: got %v, want os.ErrNotExist", filepath.Base(p), err)
		}
	}
	if got := len(fs.file("/never").requests()); got != 0 {
		t.Errorf("requests for an item paused while queued: got %d, want 0", got)
	}
}

// Snapshots are ordered by ID, and each item's Bytes never goes down (a
// resume keeps the offset); the last ones show every item Done.
func TestSnapshotsMonotonic(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 2, MaxRetries: 3, Backoff: fastBackoff, ProgressEvery: 2 * time.Millisecond})

	const files, size = 4, 256 << 10
	ids := make([]ID, files)
	for i := range files {
		data := randomData(uint64(10+i), size)
		s := spec{data: data, etag: fmt.Sprintf(`"s%d"`, i), chunk: 16 << 10, delay: 2 * time.Millisecond}
		if i%2 == 0 {
			s.dropAt = []int64{int64(50_000 + i*1000)}
		}
		url := fs.add(fmt.Sprintf("/s%d", i), s)
		ids[i] = mustAdd(t, m, Request{URL: url, Dest: filepath.Join(dir, fmt.Sprintf("s%d", i)), SHA256: sum(data)})
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var snaps []Snapshot
	allDone := func(s Snapshot) bool {
		if len(s.Items) != files {
			return false
		}
		for _, it := range s.Items {
			if it.State != Done {
				return false
			}
		}
		return true
	}
	for len(snaps) == 0 || !allDone(snaps[len(snaps)-1]) {
		select {
		case s, ok := <-m.Progress():
			if !ok {
				t.Fatalf("Progress closed while Run is running")
			}
			snaps = append(snaps, s)
		case <-ctx.Done():
			t.Fatalf("no snapshot with every item Done within 10s (got %d snapshots)", len(snaps))
		}
	}
	waitOK(t, m, time.Second, ids...)

	last := map[ID]int64{}
	partial, fast := false, false
	for n, s := range snaps {
		if n > 0 && s.At.Before(snaps[n-1].At) {
			t.Errorf("snapshot %d: At %v before the previous %v", n, s.At, snaps[n-1].At)
		}
		for i, it := range s.Items {
			if i > 0 && it.ID <= s.Items[i-1].ID {
				t.Errorf("snapshot %d: items not ordered by ID: %d after %d", n, it.ID, s.Items[i-1].ID)
			}
			if prev, ok := last[it.ID]; ok && it.Bytes < prev {
				t.Errorf("snapshot %d: item %d Bytes went down: got %d, want >= %d", n, it.ID, it.Bytes, prev)
			}
			last[it.ID] = it.Bytes
			if it.Bytes > 0 && it.Bytes < size {
				partial = true
			}
			if it.Speed < 0 {
				t.Errorf("snapshot %d: item %d Speed: got %v, want >= 0", n, it.ID, it.Speed)
			}
			if it.Speed > 0 {
				fast = true
			}
		}
	}
	final := snaps[len(snaps)-1]
	for i, it := range final.Items {
		if it.ID != ids[i] || it.Bytes != size || it.Total != size {
			t.Errorf("final snapshot item %d: got ID %d Bytes %d Total %d, want ID %d Bytes %d Total %d", i, it.ID, it.Bytes, it.Total, ids[i], size, size)
		}
	}
	if !partial {
		t.Errorf("no snapshot showed a download in progress (0 < Bytes < %d) across %d snapshots", size, len(snaps))
	}
	if !fast {
		t.Errorf("no snapshot showed Speed > 0 across %d snapshots", len(snaps))
	}
}

// A subscriber that never reads neither slows the downloads nor receives a
// stale snapshot when it finally reads: latest wins.
func TestSlowSubscriber(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 2, MaxRetries: 3, Backoff: fastBackoff, ProgressEvery: time.Millisecond})

	var ids []ID
	for i := range 4 {
		data := randomData(uint64(20+i), 256<<10)
		url := fs.add(fmt.Sprintf("/p%d", i), spec{data: data, etag: `"p"`, chunk: 32 << 10, delay: 5 * time.Millisecond})
		ids = append(ids, mustAdd(t, m, Request{URL: url, Dest: filepath.Join(dir, fmt.Sprintf("p%d", i)), SHA256: sum(data)}))
	}
	// Nobody reads Progress while the files download (about 100ms) ...
	waitOK(t, m, 5*time.Second, ids...)
	// ... nor for a while after: the ticker keeps publishing into a full channel.
	time.Sleep(150 * time.Millisecond)
	select {
	case s := <-m.Progress():
		if age := time.Since(s.At); age > 100*time.Millisecond {
			t.Errorf("first snapshot read after the downloads: taken %v ago, want < 100ms (a full channel must be replaced by the newest snapshot)", age.Round(time.Millisecond))
		}
	case <-time.After(time.Second):
		t.Fatalf("no snapshot within 1s")
	}
}

// [race] Pause and Resume hammered while downloads complete: a download
// that completed is Done, stays Done, and is never fetched again.
func TestPauseResumeRacingCompletion(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 4, MaxRetries: 5, Backoff: fastBackoff, ProgressEvery: time.Millisecond})

	const files = 8
	datas := make([][]byte, files)
	ids := make([]ID, files)
	for i := range files {
		datas[i] = randomData(uint64(30+i), 512<<10)
		dest := filepath.Join(dir, fmt.Sprintf("r%d", i))
		url := fs.add(fmt.Sprintf("/r%d", i), spec{data: datas[i], etag: fmt.Sprintf(`"r%d"`, i), dest: dest})
		ids[i] = mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(datas[i])})
	}

	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(i), 1))
			for range 200 {
				if ctx.Err() != nil {
					return
				}
				err := m.Pause(id)
				if errors.Is(err, ErrFinished) {
					return
				}
				if err != nil {
					t.Errorf("Pause(%d): got %v, want nil or ErrFinished", id, err)
					return
				}
				time.Sleep(time.Duration(r.IntN(200)) * time.Microsecond)
				err = m.Resume(id)
				if errors.Is(err, ErrFinished) {
					return
				}
				if err != nil {
					t.Errorf("Resume(%d): got %v, want nil or ErrFinished", id, err)
					return
				}
				time.Sleep(time.Duration(r.IntN(800)) * time.Microsecond)
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if err := m.Wait(ctx, id); err != nil {
			t.Fatalf("Wait(%d): got %v, want nil", id, err)
		}
	}
	for _, id := range ids {
		if err := m.Resume(id); !errors.Is(err, ErrFinished) {
			t.Errorf("Resume(%d) after Wait: got %v, want ErrFinished", id, err)
		}
		if err := m.Pause(id); !errors.Is(err, ErrFinished) {
			t.Errorf("Pause(%d) after Wait: got %v, want ErrFinished", id, err)
		}
	}
	time.Sleep(20 * time.Millisecond) // room for a wrongly re-queued download to start
	if got := fs.late.Load(); got != 0 {
		t.Errorf("requests for a file already in place: got %d, want 0 (a finished download was resumed)", got)
	}
	for i := range files {
		checkFile(t, filepath.Join(dir, fmt.Sprintf("r%d", i)), datas[i])
	}
}

// Run stops on ctx: the .part file stays, Wait reports ErrClosed, Progress
// is closed after a final snapshot, and the Manager refuses new work.
func TestRunStop(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m, err := New(fs.client(), Options{Workers: 1, MaxRetries: 1, Backoff: fastBackoff, ProgressEvery: 5 * time.Millisecond})
	if err != nil || m == nil {
		t.Fatalf("New: got (%v, %v), want a Manager and nil", m, err)
	}
	data := randomData(40, 1<<20)
	url := fs.add("/stop", spec{data: data, etag: `"stop"`, chunk: 16 << 10, delay: 3 * time.Millisecond})
	dest := filepath.Join(dir, "stop.bin")
	id := mustAdd(t, m, Request{URL: url, Dest: dest})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- m.Run(ctx) }()
	f := fs.file("/stop")
	if !eventually(5*time.Second, func() bool { return f.sent.Load() >= 64<<10 }) {
		cancel()
		<-errc
		t.Fatalf("server sent %d bytes in 5s, want >= %d", f.sent.Load(), 64<<10)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run after cancel: got %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("Run did not return within 5s after its context was canceled")
	}
	if got := fileSize(dest + ".part"); got <= 0 {
		t.Errorf(".part size after shutdown: got %d, want > 0 (kept for a later resume)", got)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), time.Second)
	defer wcancel()
	if err := m.Wait(wctx, id); !errors.Is(err, ErrClosed) {
		t.Errorf("Wait on an unfinished item after Run returned: got %v, want ErrClosed", err)
	}
	closed := false
	for !closed {
		select {
		case _, ok := <-m.Progress():
			closed = !ok
		case <-wctx.Done():
			t.Fatalf("Progress not closed within 1s of Run returning")
		}
	}
	if _, err := m.Add(Request{URL: url, Dest: dest + "2"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Add after Run returned: got %v, want ErrClosed", err)
	}
	if err := m.Run(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("second Run: got %v, want ErrClosed", err)
	}
}

// Retries wait Options.Backoff(n) before attempt n+1 and give up after
// MaxRetries; timed on synctest's fake clock over an in-memory transport.
func TestRetryBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fs := &fileServer{files: make(map[string]*served)} // no sockets: handlerTransport
		dir := t.TempDir()
		m, err := New(fs.client(), Options{Workers: 2, MaxRetries: 3, ProgressEvery: time.Hour,
			Backoff: func(n int) time.Duration { return time.Duration(n) * time.Second }})
		if err != nil || m == nil {
			t.Fatalf("New: got (%v, %v), want a Manager and nil", m, err)
		}
		data := randomData(50, 10_000)
		okURL := fs.add("/flaky", spec{data: data, etag: `"f"`, fail503: 3})
		badURL := fs.add("/down", spec{data: data, etag: `"d"`, fail503: 100})
		ok := mustAdd(t, m, Request{URL: okURL, Dest: filepath.Join(dir, "flaky")})
		bad := mustAdd(t, m, Request{URL: badURL, Dest: filepath.Join(dir, "down")})

		ctx, cancel := context.WithCancel(t.Context())
		errc := make(chan error, 1)
		go func() { errc <- m.Run(ctx) }()
		start := time.Now()
		wctx, wcancel := context.WithTimeout(t.Context(), time.Minute)
		defer wcancel()
		if err := m.Wait(wctx, ok); err != nil {
			t.Errorf("Wait(flaky): got %v, want nil after 3 retries", err)
		}
		if got, want := time.Since(start), 6*time.Second; got != want {
			t.Errorf("flaky file done after %v, want %v (backoff 1s+2s+3s)", got, want)
		}
		if err := m.Wait(wctx, bad); err == nil || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait(down): got %v, want the error of the last attempt", err)
		}
		if got, want := time.Since(start), 6*time.Second; got != want {
			t.Errorf("down file failed after %v, want %v (MaxRetries 3)", got, want)
		}
		if got := len(fs.file("/down").requests()); got != 4 {
			t.Errorf("requests for a file that is always 503: got %d, want 4 (1 + MaxRetries)", got)
		}
		cancel()
		if err := <-errc; err != nil && !errors.Is(err, ErrNotImplemented) {
			t.Errorf("Run after cancel: got %v, want nil", err)
		}
	})
}

// Bad input is rejected with the documented errors.
func TestBadInput(t *testing.T) {
	for _, o := range []Options{{Workers: 0}, {Workers: -1}, {Workers: 2, MaxRetries: -1}, {Workers: 1, ProgressEvery: -time.Second}} {
		if _, err := New(nil, o); !errors.Is(err, ErrInvalidOptions) {
			t.Errorf("New(%+v): got %v, want ErrInvalidOptions", o, err)
		}
	}
	m, err := New(nil, Options{Workers: 1})
	if err != nil || m == nil {
		t.Fatalf("New(Workers: 1): got (%v, %v), want a Manager and nil", m, err)
	}
	dest := filepath.Join(t.TempDir(), "x")
	good := "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	bad := []Request{
		{URL: "", Dest: dest},
		{URL: "not a url", Dest: dest},
		{URL: "ftp://127.0.0.1/x", Dest: dest},
		{URL: "http:///nohost", Dest: dest},
		{URL: "http://127.0.0.1/x", Dest: ""},
		{URL: "http://127.0.0.1/x", Dest: dest, SHA256: "abc"},
		{URL: "http://127.0.0.1/x", Dest: dest, SHA256: good[:63] + "g"},
		{URL: "http://127.0.0.1/x", Dest: dest, SHA256: good + "00"},
	}
	for _, r := range bad {
		if id, err := m.Add(r); !errors.Is(err, ErrInvalidRequest) || id != 0 {
			t.Errorf("Add(%+v): got (%d, %v), want (0, ErrInvalidRequest)", r, id, err)
		}
	}
	id, err := m.Add(Request{URL: "http://127.0.0.1/x", Dest: dest, SHA256: "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"})
	if err != nil || id == 0 {
		t.Errorf("Add with an upper-case SHA256: got (%d, %v), want a non-zero ID and nil", id, err)
	}
	unknown := id + 1000
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for name, call := range map[string]func() error{
		"Pause":  func() error { return m.Pause(unknown) },
		"Resume": func() error { return m.Resume(unknown) },
		"Cancel": func() error { return m.Cancel(unknown) },
		"Wait":   func() error { return m.Wait(ctx, unknown) },
	} {
		if err := call(); !errors.Is(err, ErrUnknownID) {
			t.Errorf("%s(unknown id %d): got %v, want ErrUnknownID", name, unknown, err)
		}
	}
}
