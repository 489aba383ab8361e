package cache

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// ---- codecs ----

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

// ---- cache helpers ----

// newCache calls New and stops the test if it fails.
func newCache[K comparable, V any](t testing.TB, o Options[K, V]) *Cache[K, V] {
	t.Helper()
	c, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): got error %v, want nil", o, err)
	}
	if c == nil {
		t.Fatalf("New: got a nil *Cache and a nil error")
	}
	return c
}

func wantHit[K comparable, V comparable](t *testing.T, s Store[K, V], k K, want V) {
	t.Helper()
	if got, ok := s.Get(k); !ok || got != want {
		t.Errorf("Get(%v): got (%v, %v), want (%v, true)", k, got, ok, want)
	}
}

func wantMiss[K comparable, V comparable](t *testing.T, s Store[K, V], k K) {
	t.Helper()
	var zero V
	if got, ok := s.Get(k); ok || got != zero {
		t.Errorf("Get(%v): got (%v, %v), want (%v, false)", k, got, ok, zero)
	}
}

// ctxT is a context that ends when the test ends or after d. Inside a
// synctest bubble d is fake time.
func ctxT(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// got is what one GetOrLoad returned, and when.
type got[V any] struct {
	V   V
	Err error
	At  time.Time
}

// goLoad runs GetOrLoad in a goroutine and delivers its result on the
// returned channel (buffered: the goroutine never blocks on it).
func goLoad[K comparable, V any](ctx context.Context, c *Cache[K, V], k K, load func(context.Context, K) (V, error)) <-chan got[V] {
	ch := make(chan got[V], 1)
	go func() {
		v, err := c.GetOrLoad(ctx, k, load)
		ch <- got[V]{v, err, time.Now()}
	}()
	return ch
}

// recv waits for one result, at most d (fake time inside a bubble).
func recv[V any](t *testing.T, ch <-chan got[V], d time.Duration, what string) got[V] {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case g := <-ch:
		return g
	case <-timer.C:
		t.Fatalf("%s: no result after %v, want one", what, d)
	}
	return got[V]{}
}

// ---- Redis ----

// redisAddrEnv names a real Redis server (host:port on loopback) that the
// comparison tests and benchmarks also run against. Unset: miniredis only.
const redisAddrEnv = "CURRICULUM_REDIS_ADDR"

// redisTarget is one Redis to test against: miniredis, or the real server
// named by CURRICULUM_REDIS_ADDR.
type redisTarget struct {
	name   string
	rdb    *redis.Client
	mr     *miniredis.Miniredis // nil for a real server
	prefix string               // every key the test uses starts with it
}

func (r redisTarget) key(k string) string { return r.prefix + k }

func newClient(addr string) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:            addr,
		MaxRetries:      -1,
		DisableIdentity: true,
		DialTimeout:     5 * time.Second,
		ReadTimeout:     5 * time.Second,
		WriteTimeout:    5 * time.Second,
	})
}

// miniTarget starts a miniredis for the test, closed when it ends.
func miniTarget(t testing.TB) redisTarget {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := newClient(mr.Addr())
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping miniredis: %v", err)
	}
	return redisTarget{name: "miniredis", rdb: rdb, mr: mr, prefix: "t:"}
}

// realTarget connects to the server named by CURRICULUM_REDIS_ADDR, or
// skips the test when it is unset. Keys get a prefix unique to this test
// run, and are deleted when the test ends.
func realTarget(t testing.TB) redisTarget {
	t.Helper()
	addr := os.Getenv(redisAddrEnv)
	if addr == "" {
		t.Skipf("%s is not set: skipping the comparison with a real Redis server (set it to host:port of a server on loopback, e.g. 127.0.0.1:6379, to run it)", redisAddrEnv)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s=%q: want host:port (%v)", redisAddrEnv, addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("%s=%q: the tests only talk to loopback addresses (127.0.0.0/8, ::1, localhost)", redisAddrEnv, addr)
	}
	rdb := newClient(addr)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		t.Fatalf("%s=%q: ping: %v", redisAddrEnv, addr, err)
	}
	name := strings.NewReplacer("/", ".", " ", "_").Replace(t.Name())
	prefix := "gochallenge:d09:" + name + ":" + rand.Text()[:10] + ":"
	t.Cleanup(func() {
		defer rdb.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var keys []string
		iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			keys = append(keys, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("cleaning up %s*: %v", prefix, err)
			return
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			if err := rdb.Del(ctx, keys[:n]...).Err(); err != nil {
				t.Errorf("cleaning up %s*: %v", prefix, err)
				return
			}
			keys = keys[n:]
		}
	})
	return redisTarget{name: "redis", rdb: rdb, prefix: prefix}
}

// forEachRedis runs f against miniredis and, when CURRICULUM_REDIS_ADDR is
// set, against that real server (a skipped subtest otherwise).
func forEachRedis(t *testing.T, f func(t *testing.T, r redisTarget)) {
	t.Run("miniredis", func(t *testing.T) { f(t, miniTarget(t)) })
	t.Run("redis", func(t *testing.T) { f(t, realTarget(t)) })
}
