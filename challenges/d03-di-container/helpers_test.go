package di

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ---- a small application to wire ----

type Config struct{ DSN string }

type DB struct {
	Name string
	cfg  *Config
}

type Repo struct{ db *DB }

type Service struct {
	repo *Repo
	log  Logger
}

type Handler struct {
	svc *Service
	log Logger
}

type Route struct{ Path string }

type Middleware func(string) string

type Cache struct{}

// Logger is an interface, bound with As or provided as such.
type Logger interface{ Log(msg string) }

type memLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *memLogger) Log(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, msg)
}

// wrapLogger is what decorators return: Chain names the wrapping order.
type wrapLogger struct {
	name  string
	inner Logger
}

func (l wrapLogger) Log(msg string) { l.inner.Log(l.name + ":" + msg) }

func chainOf(l Logger) string {
	if w, ok := l.(wrapLogger); ok {
		return w.name + "(" + chainOf(w.inner) + ")"
	}
	return "base"
}

// Store is an interface bound with As.
type Store interface{ Get(k string) (string, bool) }

type memStore struct{ data map[string]string }

func (s *memStore) Get(k string) (string, bool) { v, ok := s.data[k]; return v, ok }
func (s *memStore) String() string              { return "memStore" }

// ---- helpers ----

// counter counts calls by name, safely from any goroutine.
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) inc(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[name]++
}

func (c *counter) get(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[name]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

// provide calls c.Provide and fails the test on an error.
func provide(t *testing.T, c *Container, ctor any, opts ...Option) {
	t.Helper()
	if err := c.Provide(ctor, opts...); err != nil {
		t.Fatalf("Provide(%T): got error %v, want nil", ctor, err)
	}
}

// resolve calls Resolve and fails the test on an error.
func resolve[T any](t *testing.T, c *Container, opts ...ResolveOption) T {
	t.Helper()
	var v T
	var err error
	if !within(5*time.Second, func() { v, err = Resolve[T](t.Context(), c, opts...) }) {
		t.Fatalf("Resolve[%v]: got no return after 5s, want a value (deadlock?)", reflect.TypeFor[T]())
	}
	if err != nil {
		t.Fatalf("Resolve[%v]: got error %v, want nil", reflect.TypeFor[T](), err)
	}
	return v
}

// within runs f in a goroutine and reports whether it returned within d.
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

// typeNames turns types into strings for readable diffs.
func typeNames(ts []reflect.Type) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		if t == nil {
			out[i] = "<nil>"
			continue
		}
		out[i] = t.String()
	}
	return out
}

func typesOf(vs ...any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		if t, ok := v.(reflect.Type); ok {
			out[i] = t.String()
		} else {
			out[i] = reflect.TypeOf(v).String()
		}
	}
	return out
}

// wantMissing fails the test unless err is a *MissingError for want (a
// zero value of the wanted type, or a reflect.Type) with that name and chain.
func wantMissing(t *testing.T, what string, err error, want any, name string, chain ...any) {
	t.Helper()
	me, ok := errors.AsType[*MissingError](err)
	if !ok {
		t.Fatalf("%s: got error %v, want a *MissingError", what, err)
	}
	if got, w := typeNames([]reflect.Type{me.Want}), typesOf(want); got[0] != w[0] || me.Name != name {
		t.Errorf("%s: got MissingError{Want: %s, Name: %q}, want {Want: %s, Name: %q}", what, got[0], me.Name, w[0], name)
	}
	if diff := cmp.Diff(typesOf(chain...), typeNames(me.Chain), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s: MissingError.Chain (-want +got):\n%s", what, diff)
	}
	if !strings.Contains(err.Error(), strings.TrimPrefix(typesOf(want)[0], "*")) {
		t.Errorf("%s: got message %q, want it to name %s", what, err.Error(), typesOf(want)[0])
	}
}

// wantCycle fails the test unless err is a *CycleError with that path.
func wantCycle(t *testing.T, what string, err error, path ...any) {
	t.Helper()
	ce, ok := errors.AsType[*CycleError](err)
	if !ok {
		t.Fatalf("%s: got error %v, want a *CycleError", what, err)
	}
	if diff := cmp.Diff(typesOf(path...), typeNames(ce.Path)); diff != "" {
		t.Errorf("%s: CycleError.Path (-want +got):\n%s", what, diff)
	}
}

type ctxKey struct{}

func ctxWith(t *testing.T, v string) context.Context {
	return context.WithValue(t.Context(), ctxKey{}, v)
}

var errBoom = errors.New("boom")
