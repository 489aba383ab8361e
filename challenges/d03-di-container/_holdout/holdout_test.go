package di

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type (
	hoA     struct{ b *hoB }
	hoB     struct{}
	hoPlug  interface{ Name() string }
	hoPlugA struct{}
	hoPlugB struct{}
	hoHost  struct{ plugs []hoPlug }
	hoConn  struct{ id int }
	hoLevel struct{ n int }
)

func (hoPlugA) Name() string { return "a" }
func (hoPlugB) Name() string { return "b" }

func TestHoldoutGroupsAsInterfaces(t *testing.T) {
	c := New()
	provide(t, c, func() hoPlugB { return hoPlugB{} }, As(new(hoPlug)), Group("plugins"))
	provide(t, c, func() hoPlugA { return hoPlugA{} }, As(new(hoPlug)), Group("plugins"))
	provide(t, c, func(p struct {
		In
		Plugs []hoPlug `group:"plugins"`
	}) *hoHost {
		return &hoHost{plugs: p.Plugs}
	})
	h := resolve[*hoHost](t, c)
	var names []string
	for _, p := range h.plugs {
		names = append(names, p.Name())
	}
	if diff := cmp.Diff([]string{"b", "a"}, names); diff != "" {
		t.Errorf("group of interfaces (-want +got):\n%s", diff)
	}
}

func TestHoldoutCycleThroughGroup(t *testing.T) {
	var calls atomic.Int32
	c := New()
	provide(t, c, func(p struct {
		In
		Bs []*hoB `group:"bs"`
	}) *hoA {
		calls.Add(1)
		return &hoA{}
	})
	provide(t, c, func(*hoA) *hoB { calls.Add(1); return &hoB{} }, Group("bs"))
	wantCycle(t, "Validate()", c.Validate(), (*hoA)(nil), (*hoB)(nil), (*hoA)(nil))
	_, err := Resolve[*hoA](t.Context(), c)
	wantCycle(t, "Resolve[*hoA]", err, (*hoA)(nil), (*hoB)(nil), (*hoA)(nil))
	if n := calls.Load(); n != 0 {
		t.Errorf("cycle through a group: got %d constructor calls, want 0", n)
	}
}

func TestHoldoutOptionalButBroken(t *testing.T) {
	c := New()
	provide(t, c, func(*hoB) *hoA { return &hoA{} }) // *hoB is missing
	err := c.Invoke(t.Context(), func(p struct {
		In
		A *hoA `optional:"true"`
	}) {
	})
	if _, ok := errors.AsType[*MissingError](err); !ok {
		t.Errorf("optional dependency that is provided but cannot be built: got %v, want a *MissingError", err)
	}
	if err := c.Invoke(t.Context(), func(p struct {
		In
		L Logger `optional:"true"`
	}) {
		if p.L != nil {
			t.Errorf("optional missing interface: got %v, want nil", p.L)
		}
	}); err != nil {
		t.Errorf("Invoke with an optional missing interface: got %v, want nil", err)
	}
}

func TestHoldoutTransientCleanupsAndDecorators(t *testing.T) {
	c := New()
	var mu sync.Mutex
	var closed []int
	n := 0
	provide(t, c, func() (*hoConn, func(context.Context) error, error) {
		n++
		id := n
		return &hoConn{id: id}, func(context.Context) error {
			mu.Lock()
			closed = append(closed, id)
			mu.Unlock()
			if id == 2 {
				panic("double close")
			}
			return nil
		}, nil
	}, Transient())
	decorated := 0
	if err := c.Decorate(func(cn *hoConn) *hoConn { decorated++; return &hoConn{id: cn.id * 10} }); err != nil {
		t.Fatalf("Decorate: %v", err)
	}
	a, b, d := resolve[*hoConn](t, c), resolve[*hoConn](t, c), resolve[*hoConn](t, c)
	if a.id != 10 || b.id != 20 || d.id != 30 || decorated != 3 {
		t.Errorf("decorated transient: got ids %d, %d, %d and %d decorator calls; want 10, 20, 30 and 3", a.id, b.id, d.id, decorated)
	}
	err := c.Close(t.Context())
	if diff := cmp.Diff([]int{3, 2, 1}, closed); diff != "" {
		t.Errorf("cleanups of three transients (-want +got):\n%s", diff)
	}
	if !errors.Is(err, ErrPanic) {
		t.Errorf("Close with a panicking cleanup: got %v, want an error wrapping ErrPanic", err)
	}
}

func TestHoldoutManyGoroutinesDeepChain(t *testing.T) {
	c := New()
	var calls [4]atomic.Int32
	gate := make(chan struct{})
	provide(t, c, func() *hoLevel { calls[0].Add(1); <-gate; return &hoLevel{n: 1} }, Name("1"))
	provide(t, c, func(p struct {
		In
		Prev *hoLevel `name:"1"`
	}) *hoLevel {
		calls[1].Add(1)
		return &hoLevel{n: p.Prev.n + 1}
	}, Name("2"))
	provide(t, c, func(p struct {
		In
		Prev *hoLevel `name:"2"`
	}) *hoLevel {
		calls[2].Add(1)
		return &hoLevel{n: p.Prev.n + 1}
	}, Name("3"))
	provide(t, c, func(p struct {
		In
		Prev *hoLevel `name:"3"`
	}) *hoLevel {
		calls[3].Add(1)
		return &hoLevel{n: p.Prev.n + 1}
	}, Name("4"))
	var wg sync.WaitGroup
	res := make([]*hoLevel, 32)
	for i := range res {
		wg.Go(func() {
			res[i], _ = Resolve[*hoLevel](t.Context(), c, Named(fmt.Sprint(2+i%3)))
		})
	}
	time.AfterFunc(20*time.Millisecond, func() { close(gate) })
	if !within(10*time.Second, wg.Wait) {
		t.Fatalf("32 goroutines resolving a chain: no end after 10s")
	}
	for i, r := range res {
		if r == nil || r.n != 2+i%3 {
			t.Errorf("goroutine %d: got %+v, want level n=%d", i, r, 2+i%3)
		}
	}
	for i := range calls {
		if got := calls[i].Load(); got != 1 {
			t.Errorf("constructor %d: got %d calls, want 1", i+1, got)
		}
	}
}

func TestHoldoutValidateOrder(t *testing.T) {
	c := New()
	provide(t, c, func(*Repo) *Service { return nil })
	provide(t, c, func(p struct {
		In
		DB *DB `name:"primary"`
	}) *Repo {
		return nil
	})
	provide(t, c, func(*Service) *Handler { return nil })
	wantMissing(t, "Validate()", c.Validate(), (*DB)(nil), "primary", (*Service)(nil), (*Repo)(nil))
	provide(t, c, func() *DB { return &DB{} }, Name("primary"))
	if err := c.Validate(); err != nil {
		t.Errorf("Validate() once *DB named primary exists: got %v, want nil", err)
	}
}
