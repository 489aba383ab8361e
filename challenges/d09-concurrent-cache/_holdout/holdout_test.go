package cache

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: the same rules as the shipped tests, on other inputs.

func TestHoldoutCoalesceManyKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{Shards: 2, MaxEntries: 64})
		ctx := ctxT(t, time.Minute)
		var calls atomic.Int64
		load := func(ctx context.Context, k string) (int, error) {
			calls.Add(1)
			time.Sleep(time.Second)
			return len(k), nil
		}
		var chans []<-chan got[int]
		var keys []string
		for i := range 5 {
			k := "key-" + strconv.Itoa(i*111)
			for range 20 {
				chans = append(chans, goLoad(ctx, c, k, load))
				keys = append(keys, k)
			}
		}
		for i, ch := range chans {
			if g := recv(t, ch, 2*time.Minute, "GetOrLoad"); g.V != len(keys[i]) || g.Err != nil {
				t.Errorf("GetOrLoad(%s): got (%v, %v), want (%d, nil)", keys[i], g.V, g.Err, len(keys[i]))
			}
		}
		if n := calls.Load(); n != 5 {
			t.Errorf("loader calls: got %d, want 5", n)
		}
		if st := c.Stats(); st.Coalesced != 95 || st.Misses != 100 || st.Loads != 5 {
			t.Errorf("Stats: got %+v, want Coalesced 95, Misses 100, Loads 5", st)
		}
	})
}

func TestHoldoutClockWrap(t *testing.T) {
	c := newCache(t, Options[string, int]{Shards: 1, MaxEntries: 3})
	c.Set("a", 1)
	c.Set("b", 2)
	c.Set("c", 3)
	c.Get("b")
	c.Set("d", 4) // a goes
	c.Set("e", 5) // b: second chance; c goes
	c.Set("f", 6) // d goes
	present := map[string]bool{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		_, present[k] = c.Get(k)
	}
	want := map[string]bool{"a": false, "b": true, "c": false, "d": false, "e": true, "f": true}
	if diff := cmp.Diff(want, present); diff != "" {
		t.Errorf("present (-want +got):\n%s", diff)
	}
}

func TestHoldoutExpiredEvictedFirst(t *testing.T) {
	clk := newClock()
	c := newCache(t, Options[string, int]{Shards: 1, MaxEntries: 2, TTL: 10 * time.Second, Now: clk.Now})
	c.Set("a", 1)
	c.Get("a") // referenced, but about to expire
	clk.Advance(5 * time.Second)
	c.Set("b", 2)
	c.Get("b")
	clk.Advance(6 * time.Second) // a is past its TTL, b is not
	c.Set("c", 3)
	wantHit(t, c, "b", 2)
	wantHit(t, c, "c", 3)
	if got := c.Len(); got != 2 {
		t.Errorf("Len: got %d, want 2", got)
	}
}

func TestHoldoutStaleRefreshFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := newCache(t, Options[string, int]{MaxEntries: 64, TTL: 10 * time.Second, StaleTTL: time.Minute})
		ctx := ctxT(t, time.Hour)
		var calls atomic.Int64
		load := func(ctx context.Context, k string) (int, error) {
			if calls.Add(1) == 1 {
				return 1, nil
			}
			return 0, errors.New("backend down")
		}
		if v, err := c.GetOrLoad(ctx, "k", load); v != 1 || err != nil {
			t.Fatalf("first GetOrLoad: got (%v, %v), want (1, nil)", v, err)
		}
		time.Sleep(15 * time.Second)
		for range 3 {
			if v, err := c.GetOrLoad(ctx, "k", load); v != 1 || err != nil {
				t.Errorf("stale GetOrLoad: got (%v, %v), want (1, nil) while the refresh fails", v, err)
			}
			synctest.Wait()
		}
		if st := c.Stats(); st.LoadErrors != 3 || st.Loads != 4 {
			t.Errorf("Stats: got %+v, want Loads 4, LoadErrors 3 (each stale read after a failed refresh tries again)", st)
		}
	})
}

func TestHoldoutSizeBoundStrings(t *testing.T) {
	c := newCache(t, Options[string, []byte]{Shards: 8, MaxEntries: 800})
	for i := range 50_000 {
		c.Set("user:"+strconv.Itoa(i), []byte{byte(i)})
	}
	if l := c.Len(); l > 800 || l < 792 {
		t.Errorf("Len: got %d, want 800", l)
	}
	if got := c.Stats().Evictions; got != uint64(50_000-c.Len()) {
		t.Errorf("Evictions: got %d, want %d", got, 50_000-c.Len())
	}
}

type failingCodec struct{}

func (failingCodec) Encode(int) ([]byte, error) { return nil, errors.New("cannot encode") }
func (failingCodec) Decode([]byte) (int, error) { return 0, errors.New("cannot decode") }

func TestHoldoutRedisCodecErrors(t *testing.T) {
	r := miniTarget(t)
	rc, err := NewRedis[string, int](r.rdb, r.key, failingCodec{}, 0)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	if err := rc.SetContext(t.Context(), "x", 1); err == nil {
		t.Errorf("SetContext with a failing codec: got nil, want an error")
	}
	if r.mr.Exists(r.key("x")) {
		t.Errorf("a value that failed to encode reached Redis")
	}
	rc.Set("y", 2)
	if rc.Err() == nil {
		t.Errorf("Err after a failed Set: got nil, want the encode error")
	}
	r.mr.Set(r.key("z"), "5")
	if _, ok, err := rc.GetContext(t.Context(), "z"); ok || err == nil {
		t.Errorf("GetContext with a failing codec: got (_, %v, %v), want (_, false, error)", ok, err)
	}
}
