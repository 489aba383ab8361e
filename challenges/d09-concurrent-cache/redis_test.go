package cache

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewRedisValidates(t *testing.T) {
	r := miniTarget(t)
	key := func(s string) string { return s }
	cases := map[string]func() (*RedisCache[string, int], error){
		"nil client": func() (*RedisCache[string, int], error) { return NewRedis[string, int](nil, key, intCodec{}, 0) },
		"nil key":    func() (*RedisCache[string, int], error) { return NewRedis[string, int](r.rdb, nil, intCodec{}, 0) },
		"nil codec":  func() (*RedisCache[string, int], error) { return NewRedis[string, int](r.rdb, key, nil, 0) },
		"negative ttl": func() (*RedisCache[string, int], error) {
			return NewRedis[string, int](r.rdb, key, intCodec{}, -time.Second)
		},
	}
	for name, f := range cases {
		if c, err := f(); !errors.Is(err, ErrInvalidOptions) || c != nil {
			t.Errorf("NewRedis(%s): got (%v, %v), want (nil, an error wrapping ErrInvalidOptions)", name, c, err)
		}
	}
	if c, err := NewRedis[string, int](r.rdb, key, intCodec{}, time.Minute); err != nil || c == nil {
		t.Errorf("NewRedis: got (%v, %v), want an adapter and nil", c, err)
	}
}

// TestRedisAdapter: the layout in Redis, misses, TTLs, and errors.
func TestRedisAdapter(t *testing.T) {
	r := miniTarget(t)
	ctx := ctxT(t, 10*time.Second)
	type user struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	rc, err := NewRedis[int, user](r.rdb, func(id int) string { return "user:" + itoa(id) }, jsonCodec[user]{}, time.Minute)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}

	// A miss is (zero, false) and not an error.
	if v, ok, err := rc.GetContext(ctx, 1); ok || err != nil || v != (user{}) {
		t.Errorf("GetContext(missing): got (%v, %v, %v), want (zero, false, nil)", v, ok, err)
	}
	if v, ok := rc.Get(1); ok || v != (user{}) {
		t.Errorf("Get(missing): got (%v, %v), want (zero, false)", v, ok)
	}

	ada := user{"Ada", 36}
	if err := rc.SetContext(ctx, 1, ada); err != nil {
		t.Fatalf("SetContext: got %v, want nil", err)
	}
	if got, _ := r.mr.Get("user:1"); got != `{"name":"Ada","age":36}` {
		t.Errorf(`value at "user:1": got %q, want the codec's encoding`, got)
	}
	if got := r.mr.TTL("user:1"); got != time.Minute {
		t.Errorf(`TTL of "user:1": got %v, want 1m`, got)
	}
	if v, ok, err := rc.GetContext(ctx, 1); !ok || err != nil || v != ada {
		t.Errorf("GetContext(1): got (%v, %v, %v), want (%v, true, nil)", v, ok, err, ada)
	}
	rc.Set(2, user{"Grace", 45})
	if v, ok := rc.Get(2); !ok || v.Name != "Grace" {
		t.Errorf("Get(2): got (%v, %v), want Grace", v, ok)
	}
	if ok, err := rc.DeleteContext(ctx, 1); !ok || err != nil {
		t.Errorf("DeleteContext(1): got (%v, %v), want (true, nil)", ok, err)
	}
	if rc.Delete(1) {
		t.Errorf("Delete(1) again: got true, want false")
	}
	if r.mr.Exists("user:1") {
		t.Errorf(`"user:1" after Delete: still in Redis`)
	}
	r.mr.FastForward(time.Minute)
	if _, ok := rc.Get(2); ok {
		t.Errorf("Get(2) after its TTL: got a hit, want a miss")
	}
	if err := rc.Err(); err != nil {
		t.Errorf("Err() after clean operations: got %v, want nil", err)
	}

	// No TTL: no expiry.
	forever, err := NewRedis[int, user](r.rdb, func(id int) string { return "forever:" + itoa(id) }, jsonCodec[user]{}, 0)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	forever.Set(1, ada)
	if got := r.mr.TTL("forever:1"); got != 0 {
		t.Errorf(`TTL of "forever:1": got %v, want none`, got)
	}

	// A value the codec cannot read is an error, not a miss.
	r.mr.Set("user:3", "not json")
	if _, ok, err := rc.GetContext(ctx, 3); ok || err == nil {
		t.Errorf("GetContext(corrupt): got (_, %v, %v), want (_, false, an error)", ok, err)
	}
	if _, ok := rc.Get(3); ok {
		t.Errorf("Get(corrupt): got a hit, want a miss")
	}
	first := rc.Err()
	if first == nil {
		t.Errorf("Err() after Get of a corrupt value: got nil, want the decode error")
	}

	// Redis errors come back from the Context methods and are kept by Err.
	r.mr.SetError("LOADING server is loading")
	if _, _, err := rc.GetContext(ctx, 2); err == nil {
		t.Errorf("GetContext during an outage: got nil error, want one")
	}
	if err := rc.SetContext(ctx, 2, ada); err == nil {
		t.Errorf("SetContext during an outage: got nil error, want one")
	}
	if _, err := rc.DeleteContext(ctx, 2); err == nil {
		t.Errorf("DeleteContext during an outage: got nil error, want one")
	}
	rc.Set(2, ada)
	r.mr.SetError("")
	if got := rc.Err(); got != first {
		t.Errorf("Err(): got %v, want the first error kept (%v)", got, first)
	}
}

// op is one step of the script TestSameBehaviour runs on every Store.
type op struct {
	Do  string // "get", "set", "del"
	Key string
	Val int
	// results
	Got int
	OK  bool
}

// TestSameBehaviour runs one script through the Store interface against the
// in-process Cache, the Redis adapter on miniredis and, when
// CURRICULUM_REDIS_ADDR is set, the adapter on a real Redis server.
func TestSameBehaviour(t *testing.T) {
	script := []op{
		{Do: "get", Key: "a"},
		{Do: "set", Key: "a", Val: 1},
		{Do: "get", Key: "a", Got: 1, OK: true},
		{Do: "set", Key: "a", Val: 2},
		{Do: "get", Key: "a", Got: 2, OK: true},
		{Do: "set", Key: "b", Val: -7},
		{Do: "del", Key: "a", OK: true},
		{Do: "del", Key: "a"},
		{Do: "get", Key: "a"},
		{Do: "get", Key: "b", Got: -7, OK: true},
		{Do: "del", Key: "never"},
	}
	run := func(t *testing.T, s Store[string, int]) {
		t.Helper()
		var got []op
		for _, o := range script {
			r := op{Do: o.Do, Key: o.Key, Val: o.Val}
			switch o.Do {
			case "get":
				r.Got, r.OK = s.Get(o.Key)
			case "set":
				s.Set(o.Key, o.Val)
			case "del":
				r.OK = s.Delete(o.Key)
			}
			got = append(got, r)
		}
		if diff := cmp.Diff(script, got); diff != "" {
			t.Errorf("script results (-want +got):\n%s", diff)
		}
	}
	t.Run("local", func(t *testing.T) {
		run(t, newCache(t, Options[string, int]{MaxEntries: 64, TTL: time.Minute}))
	})
	forEachRedis(t, func(t *testing.T, r redisTarget) {
		rc, err := NewRedis[string, int](r.rdb, r.key, intCodec{}, time.Minute)
		if err != nil {
			t.Fatalf("NewRedis: %v", err)
		}
		run(t, rc)
		if err := rc.Err(); err != nil {
			t.Errorf("Err(): got %v, want nil", err)
		}
		ttl, err := r.rdb.PTTL(context.Background(), r.key("b")).Result()
		if err != nil || ttl <= 50*time.Second || ttl > time.Minute {
			t.Errorf("PTTL of %q: got (%v, %v), want about 1m", r.key("b"), ttl, err)
		}
	})
}

func itoa(n int) string {
	b, _ := intCodec{}.Encode(n)
	return string(b)
}
