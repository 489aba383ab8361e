package jsonparse

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentReads: a Value is immutable, so any number of goroutines
// may read one at once. Run it with -race: anything built lazily on first
// use (an index of a large object's keys, say) needs synchronising.
func TestConcurrentReads(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"users": {`)
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"user%d": {"id": %d, "tags": ["t%d", "u%d"]}`, i, i, i, i)
	}
	sb.WriteString(`}, "list": [`)
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"item %d"`, i)
	}
	sb.WriteString(`]}`)
	v := mustParse(t, sb.String(), Options{})

	// Everything the goroutines compare with is built beforehand: fmt's
	// internal sync.Pool would otherwise order the goroutines' accesses and
	// hide a race from the detector.
	type probe struct{ key, id, item, ptr, tag string }
	probes := make([]probe, 200)
	for j := range probes {
		probes[j] = probe{
			key:  fmt.Sprintf("user%d", j),
			id:   fmt.Sprint(j),
			item: fmt.Sprintf("item %d", j),
			ptr:  fmt.Sprintf("/users/user%d/tags/1", j),
			tag:  fmt.Sprintf(`"u%d"`, j),
		}
	}
	type failure struct {
		g, j      int
		what, got string
		ok        bool
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	fails := make(chan failure, 8)
	for g := range 8 {
		wg.Go(func() {
			<-start
			users, _ := v.Get("users")
			list, _ := v.Get("list")
			for i := range 200 {
				j := (i*13 + g*29) % 200
				p := probes[j]
				u, ok := users.Get(p.key)
				if id, found := u.Get("id"); !ok || !found || id.Number() != p.id {
					fails <- failure{g, j, "users.Get(key)/id", id.Number(), ok && found}
					return
				}
				if s, err := list.Index(j).Str(); err != nil || s != p.item {
					fails <- failure{g, j, "list.Index(j)", s, err == nil}
					return
				}
				if tag, err := v.Pointer(p.ptr); err != nil || string(tag.Raw()) != p.tag {
					fails <- failure{g, j, "Pointer(/users/userJ/tags/1)", string(tag.Raw()), err == nil}
					return
				}
			}
			n := 0
			for range users.Members() {
				n++
			}
			if n != 200 {
				fails <- failure{g, -1, "Members() count", fmt.Sprint(n), true}
			}
		})
	}
	close(start)
	wg.Wait()
	close(fails)
	for f := range fails {
		t.Errorf("goroutine %d, j=%d: %s: got %q (ok=%v), want the value for j", f.g, f.j, f.what, f.got, f.ok)
	}
}
