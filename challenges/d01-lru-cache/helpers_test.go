package lru

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// ---- codecs ----

type stringCodec struct{}

func (stringCodec) Encode(s string) ([]byte, error) { return []byte(s), nil }
func (stringCodec) Decode(b []byte) (string, error) { return string(b), nil }

type intCodec struct{}

func (intCodec) Encode(n int) ([]byte, error) { return strconv.AppendInt(nil, int64(n), 10), nil }
func (intCodec) Decode(b []byte) (int, error) { return strconv.Atoi(string(b)) }

type jsonCodec[T any] struct{}

func (jsonCodec[T]) Encode(v T) ([]byte, error) { return json.Marshal(v) }
func (jsonCodec[T]) Decode(b []byte) (T, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

type user struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

// ---- clock ----

// fakeClock is a manual clock for Options.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

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

// ---- eviction log ----

type eviction[K comparable, V any] struct {
	Key    K
	Val    V
	Reason EvictReason
}

type evictLog[K comparable, V any] struct {
	mu  sync.Mutex
	got []eviction[K, V]
}

func (l *evictLog[K, V]) record(k K, v V, r EvictReason) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, eviction[K, V]{k, v, r})
}

func (l *evictLog[K, V]) take() []eviction[K, V] {
	l.mu.Lock()
	defer l.mu.Unlock()
	got := l.got
	l.got = nil
	return got
}

// ---- in-memory Store ----

// memStore is a Store kept in a map, with a switchable failure.
type memStore struct {
	mu      sync.Mutex
	m       map[string]Entry
	fail    error
	saves   int // successful Save calls
	deletes int // successful Delete calls
}

func newMemStore() *memStore { return &memStore{m: map[string]Entry{}} }

func (s *memStore) Save(ctx context.Context, es []Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	for _, e := range es {
		e.Value = slices.Clone(e.Value)
		s.m[e.Key] = e
	}
	s.saves++
	return nil
}

func (s *memStore) Delete(ctx context.Context, keys ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	for _, k := range keys {
		delete(s.m, k)
	}
	s.deletes++
	return nil
}

func (s *memStore) Load(ctx context.Context, limit int) ([]Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	es := slices.Collect(func(yield func(Entry) bool) {
		for _, e := range s.m {
			if !yield(e) {
				return
			}
		}
	})
	slices.SortFunc(es, func(a, b Entry) int { return -cmpInt64(a.Rank, b.Rank) })
	if len(es) > limit {
		es = es[:limit]
	}
	return es, nil
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *memStore) setFail(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

// values returns key → stored value as strings.
func (s *memStore) values() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.m))
	for k, e := range s.m {
		out[k] = string(e.Value)
	}
	return out
}

// ---- Redis ----

// cmdCounter is a go-redis hook that counts the commands the client sends,
// by lower-case name, whether alone, pipelined or in MULTI/EXEC, and keeps
// the connections it dials.
type cmdCounter struct {
	mu    sync.Mutex
	n     map[string]int
	conns []net.Conn
}

func (h *cmdCounter) add(cmds ...redis.Cmder) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[string]int{}
	}
	for _, c := range cmds {
		h.n[strings.ToLower(c.Name())]++
	}
}

func (h *cmdCounter) count(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[name]
}

func (h *cmdCounter) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := next(ctx, network, addr)
		if err == nil {
			h.mu.Lock()
			h.conns = append(h.conns, conn)
			h.mu.Unlock()
		}
		return conn, err
	}
}

func (h *cmdCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.add(cmd)
		return next(ctx, cmd)
	}
}

func (h *cmdCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.add(cmds...)
		return next(ctx, cmds)
	}
}

type testRedis struct {
	mr  *miniredis.Miniredis
	rdb *redis.Client
	cmd *cmdCounter
}

// newRedis starts a miniredis and a go-redis client for it, both closed at
// the end of the test. The client never retries: a failure is a failure.
func newRedis(t *testing.T) *testRedis {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{
		Addr:            mr.Addr(),
		MaxRetries:      -1,
		DisableIdentity: true,
		DialTimeout:     5 * time.Second,
		ReadTimeout:     5 * time.Second,
		WriteTimeout:    5 * time.Second,
	})
	t.Cleanup(func() { _ = rdb.Close() })
	h := &cmdCounter{}
	rdb.AddHook(h)
	// Open the connection now, so that later CommandCount deltas measure
	// only the cache's own commands.
	if err := rdb.Ping(t.Context()).Err(); err != nil {
		t.Fatalf("ping miniredis: %v", err)
	}
	return &testRedis{mr: mr, rdb: rdb, cmd: h}
}

// recover ends an outage started with r.mr.SetError. go-redis stops reading
// a MULTI/EXEC reply at the first error, leaving the rest of the replies on
// the connection, and a later command would read them as its own. So first
// close every client connection (the pool then dials fresh ones) and wait
// until miniredis has processed everything they carried; then clear the
// error.
func (r *testRedis) recover(t *testing.T) {
	t.Helper()
	r.cmd.mu.Lock()
	for _, c := range r.cmd.conns {
		_ = c.Close()
	}
	r.cmd.conns = nil
	r.cmd.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for r.mr.CurrentConnectionCount() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("miniredis connections after closing the client's: got %d, want 0", r.mr.CurrentConnectionCount())
		}
		time.Sleep(time.Millisecond)
	}
	r.mr.SetError("")
}

// advance moves the fake clock and miniredis's clock and TTLs together.
func (r *testRedis) advance(c *fakeClock, d time.Duration) {
	c.Advance(d)
	r.mr.SetTime(c.Now())
	r.mr.FastForward(d)
}

// get returns the stored string at key, or "<missing>".
func (r *testRedis) get(key string) string {
	v, err := r.mr.Get(key)
	if err != nil {
		return "<missing>"
	}
	return v
}

// index returns the members of the recency index, most recent first.
func (r *testRedis) index(t *testing.T, prefix string) []string {
	t.Helper()
	if !r.mr.Exists(prefix + "idx") {
		return nil
	}
	ms, err := r.mr.ZMembers(prefix + "idx") // lowest score first
	if err != nil {
		t.Fatalf("ZMembers(%q): %v", prefix+"idx", err)
	}
	slices.Reverse(ms)
	return ms
}

// ---- cache helpers ----

// newCache calls New and fails the test unless it returns a usable cache.
// The cache is closed at the end of the test.
func newCache[K comparable, V any](t *testing.T, o Options[K, V]) *Cache[K, V] {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): got error %v, want nil", o, err)
	}
	if c == nil {
		t.Fatalf("New: got nil cache, want a cache")
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if !within(10*time.Second, func() { _ = c.Close(ctx) }) {
			t.Errorf("Close: got no return after 10s, want it to return")
		}
	})
	return c
}

// ctxT returns a context that ends with the test or after d.
func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// within runs f in a goroutine and reports whether it returned within d.
// A false result usually means a deadlock (the goroutine stays blocked).
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

// wantHit fails the test unless c.Get(k) returns want.
func wantHit[K comparable, V comparable](t *testing.T, c *Cache[K, V], k K, want V) {
	t.Helper()
	got, ok := c.Get(k)
	if !ok || got != want {
		t.Errorf("Get(%v): got (%v, %v), want (%v, true)", k, got, ok, want)
	}
}

// wantMiss fails the test unless c.Get(k) misses.
func wantMiss[K comparable, V any](t *testing.T, c *Cache[K, V], k K) {
	t.Helper()
	if got, ok := c.Get(k); ok {
		t.Errorf("Get(%v): got (%v, true), want a miss", k, got)
	}
}

// pkgPath is this package's import path, whatever the module is called.
var pkgPath = reflect.TypeFor[Options[int, int]]().PkgPath()

// ownGoroutines counts goroutines, other than the caller, that run code from
// this package's non-test files: the cache's background goroutines.
func ownGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	blocks := strings.Split(string(buf), "\n\n")
	count := 0
	for _, g := range blocks[1:] { // blocks[0] is the caller
		lines := strings.Split(g, "\n")
		for i := 1; i+1 < len(lines); i += 2 {
			fn, file := lines[i], strings.TrimSpace(lines[i+1])
			if strings.HasPrefix(fn, "created by ") {
				break
			}
			if strings.HasPrefix(fn, pkgPath+".") && !strings.Contains(file, "_test.go:") {
				count++
				break
			}
		}
	}
	return count
}

// errText is err's message or "<nil>".
func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

var errOutage = errors.New("store down")
