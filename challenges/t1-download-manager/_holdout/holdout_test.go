package download

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: other sizes, worker counts and offsets than the shipped
// ones, so that hard-coding 20/3/100000 does not pass.

func TestHoldoutSevenFilesTwoWorkers(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 2, MaxRetries: 2, Backoff: fastBackoff})
	const files = 7
	datas := make([][]byte, files)
	reqs := make([]Request, files)
	for i := range files {
		datas[i] = randomData(uint64(100+i), 50_001+i*7919)
		url := fs.add(fmt.Sprintf("/h%d", i), spec{data: datas[i], etag: fmt.Sprintf(`"h%d"`, i), chunk: 8 << 10, delay: 2 * time.Millisecond})
		reqs[i] = Request{URL: url, Dest: filepath.Join(dir, fmt.Sprintf("h%d", i)), SHA256: sum(datas[i])}
	}
	var ids []ID
	for _, r := range reqs {
		ids = append(ids, mustAdd(t, m, r))
	}
	waitOK(t, m, 10*time.Second, ids...)
	for i := range files {
		checkFile(t, filepath.Join(dir, fmt.Sprintf("h%d", i)), datas[i])
	}
	if got := fs.maxConcurrent(); got != 2 {
		t.Errorf("max concurrent downloads: got %d, want 2", got)
	}
}

// Two drops in a row at odd offsets: each resume starts where the last
// one stopped.
func TestHoldoutDoubleDrop(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 1, Backoff: fastBackoff})
	const size, k1, k2 = 300_007, 12_345, 77_777
	data := randomData(200, size)
	url := fs.add("/dd", spec{data: data, etag: `"dd"`, dropAt: []int64{k1, k2}})
	dest := filepath.Join(dir, "dd")
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)}))
	checkFile(t, dest, data)
	f := fs.file("/dd")
	want := []reqInfo{
		{Status: http.StatusOK},
		{Range: rangeFrom(k1), IfRange: `"dd"`, Status: http.StatusPartialContent},
		{Range: rangeFrom(k1 + k2), IfRange: `"dd"`, Status: http.StatusPartialContent},
	}
	if diff := cmp.Diff(want, f.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := f.sent.Load(); got > size+bufSizeHint {
		t.Errorf("bytes sent: got %d, want <= %d", got, size+bufSizeHint)
	}
}

// A 503 followed by a drop: the retry budget is per run of failures.
func TestHoldout503ThenDrop(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 3, MaxRetries: 1, Backoff: fastBackoff})
	data := randomData(201, 123_457)
	url := fs.add("/sd", spec{data: data, etag: `"sd"`, fail503: 1, dropAt: []int64{0, 4_099}})
	dest := filepath.Join(dir, "sd")
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)}))
	checkFile(t, dest, data)
	want := []reqInfo{
		{Status: http.StatusServiceUnavailable},
		{Status: http.StatusOK},
		{Range: rangeFrom(4_099), IfRange: `"sd"`, Status: http.StatusPartialContent},
	}
	if diff := cmp.Diff(want, fs.file("/sd").requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// Without an ETag there is nothing to validate the .part file with: the
// retry starts over without a Range header.
func TestHoldoutNoETagStartsOver(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 2, Backoff: fastBackoff})
	data := randomData(202, 99_999)
	url := fs.add("/ne", spec{data: data, dropAt: []int64{33_333}})
	dest := filepath.Join(dir, "ne")
	waitOK(t, m, 5*time.Second, mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)}))
	checkFile(t, dest, data)
	want := []reqInfo{{Status: http.StatusOK}, {Status: http.StatusOK}}
	if diff := cmp.Diff(want, fs.file("/ne").requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// With one worker, downloads start in Add order.
func TestHoldoutFIFO(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 1, Backoff: fastBackoff})
	var ids []ID
	var want []string
	for _, i := range []int{3, 1, 4, 0, 2} {
		p := fmt.Sprintf("/o%d", i)
		url := fs.add(p, spec{data: randomData(uint64(300+i), 20_000+i), etag: `"o"`})
		ids = append(ids, mustAdd(t, m, Request{URL: url, Dest: filepath.Join(dir, p[1:])}))
		want = append(want, p)
	}
	waitOK(t, m, 5*time.Second, ids...)
	if diff := cmp.Diff(want, fs.arrivals()); diff != "" {
		t.Errorf("request order with 1 worker (-want +got):\n%s", diff)
	}
}

// Two pauses: each resume continues from the .part size of that moment.
func TestHoldoutPauseTwice(t *testing.T) {
	fs := newFileServer(t)
	dir := t.TempDir()
	m := startManager(t, fs.client(), Options{Workers: 1, MaxRetries: 1, Backoff: fastBackoff})
	const size = 777_777
	data := randomData(203, size)
	url := fs.add("/pt", spec{data: data, etag: `"pt"`, chunk: 16 << 10, delay: 2 * time.Millisecond})
	dest := filepath.Join(dir, "pt")
	id := mustAdd(t, m, Request{URL: url, Dest: dest, SHA256: sum(data)})
	f := fs.file("/pt")
	var parts []int64
	for _, at := range []int64{100_000, 400_000} {
		if !eventually(5*time.Second, func() bool { return f.sent.Load() >= at }) {
			t.Fatalf("server sent %d bytes in 5s, want >= %d", f.sent.Load(), at)
		}
		if err := m.Pause(id); err != nil {
			t.Fatalf("Pause: got %v, want nil", err)
		}
		parts = append(parts, fileSize(dest+".part"))
		if err := m.Resume(id); err != nil {
			t.Fatalf("Resume: got %v, want nil", err)
		}
	}
	waitOK(t, m, 5*time.Second, id)
	checkFile(t, dest, data)
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("requests: got %d (%+v), want 3", len(reqs), reqs)
	}
	for i, p := range parts {
		if got := reqs[i+1].Range; got != rangeFrom(p) {
			t.Errorf("request %d Range: got %q, want %q (.part size at Resume)", i+1, got, rangeFrom(p))
		}
	}
}

// Wait honours its context on an item that cannot finish (paused).
func TestHoldoutWaitContext(t *testing.T) {
	fs := newFileServer(t)
	m := startManager(t, fs.client(), Options{Workers: 1})
	url := fs.add("/w", spec{data: randomData(204, 1000), etag: `"w"`, chunk: 100, delay: 5 * time.Millisecond})
	id := mustAdd(t, m, Request{URL: url, Dest: filepath.Join(t.TempDir(), "w")})
	if err := m.Pause(id); err != nil {
		t.Fatalf("Pause: got %v, want nil", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := m.Wait(ctx, id); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait on a paused item: got %v, want context.DeadlineExceeded", err)
	}
}
