package di

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ExampleContainer() {
	c := New()
	_ = c.Provide(func() *Config { return &Config{DSN: "postgres://localhost/app"} })
	_ = c.Provide(func(cfg *Config) (*DB, error) { return &DB{Name: "main", cfg: cfg}, nil })
	err := c.Invoke(context.Background(), func(db *DB) {
		fmt.Println(db.Name, db.cfg.DSN)
	})
	fmt.Println(err)
	// Output:
	// main postgres://localhost/app
	// <nil>
}

// newApp provides a four-level graph, in an order where every constructor
// comes before its dependencies: Provide order must not matter.
func newApp(t *testing.T, calls *counter) *Container {
	c := New()
	provide(t, c, func(s *Service, l Logger) *Handler { calls.inc("Handler"); return &Handler{svc: s, log: l} })
	provide(t, c, func(r *Repo, l Logger) *Service { calls.inc("Service"); return &Service{repo: r, log: l} })
	provide(t, c, func(db *DB) *Repo { calls.inc("Repo"); return &Repo{db: db} })
	provide(t, c, func(cfg *Config) (*DB, error) { calls.inc("DB"); return &DB{Name: "main", cfg: cfg}, nil })
	provide(t, c, func() *Config { calls.inc("Config"); return &Config{DSN: "mem://"} })
	provide(t, c, func() *memLogger { calls.inc("Logger"); return &memLogger{} }, As(new(Logger)))
	return c
}

func TestAutowire(t *testing.T) {
	var calls counter
	c := newApp(t, &calls)
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate(): got %v, want nil", err)
	}
	if n := calls.total(); n != 0 {
		t.Fatalf("Validate(): got %d constructor calls, want 0", n)
	}

	h := resolve[*Handler](t, c)
	if h == nil || h.svc == nil || h.svc.repo == nil || h.svc.repo.db == nil || h.svc.repo.db.cfg == nil {
		t.Fatalf("Resolve[*Handler]: got %+v, want every level wired", h)
	}
	if got := h.svc.repo.db.cfg.DSN; got != "mem://" {
		t.Errorf("Handler -> Service -> Repo -> DB -> Config DSN: got %q, want %q", got, "mem://")
	}
	if h.log == nil || h.log != h.svc.log {
		t.Errorf("Logger: got %p in Handler and %p in Service, want the same singleton", h.log, h.svc.log)
	}
	for _, name := range []string{"Handler", "Service", "Repo", "DB", "Config", "Logger"} {
		if got := calls.get(name); got != 1 {
			t.Errorf("constructor of %s: got %d calls, want 1", name, got)
		}
	}

	if h2 := resolve[*Handler](t, c); h2 != h {
		t.Errorf("second Resolve[*Handler]: got %p, want the same singleton %p", h2, h)
	}
	err := c.Invoke(t.Context(), func(r *Repo, db *DB, l Logger) {
		if r != h.svc.repo || db != h.svc.repo.db || l != h.log {
			t.Errorf("Invoke: got other instances than the ones wired into Handler")
		}
	})
	if err != nil {
		t.Errorf("Invoke: got %v, want nil", err)
	}
	if n := calls.total(); n != 6 {
		t.Errorf("after more Resolve and Invoke: got %d constructor calls in all, want 6", n)
	}
}

func TestInterfaceBinding(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func() *memStore { calls.inc("store"); return &memStore{data: map[string]string{"k": "v"}} }, As(new(Store), new(fmt.Stringer)))
	s := resolve[Store](t, c)
	if v, ok := s.Get("k"); !ok || v != "v" {
		t.Errorf("Store.Get(k): got (%q, %v), want (v, true)", v, ok)
	}
	str := resolve[fmt.Stringer](t, c)
	if str != fmt.Stringer(s.(*memStore)) {
		t.Errorf("As(Store, Stringer): got different instances, want one singleton seen through both interfaces")
	}
	if n := calls.get("store"); n != 1 {
		t.Errorf("constructor bound As two interfaces: got %d calls, want 1", n)
	}
	_, err := Resolve[*memStore](t.Context(), c)
	wantMissing(t, "Resolve[*memStore] when it is provided only As(Store)", err, (*memStore)(nil), "")

	for _, tc := range []struct {
		name string
		as   any
	}{
		{"not implemented", new(io.Reader)},
		{"not a pointer", Store(nil)},
		{"pointer to a non-interface", new(*memStore)},
		{"an int", 42},
	} {
		err := New().Provide(func() *memStore { return nil }, As(tc.as))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Provide with As(%s): got %v, want ErrInvalid", tc.name, err)
		}
	}
}

func TestDecorate(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func() Logger { calls.inc("Logger"); return &memLogger{} })
	provide(t, c, func() *Config { calls.inc("Config"); return &Config{DSN: "prefix"} })
	type A struct{ log Logger }
	type B struct{ log Logger }
	type C struct{ log Logger }
	provide(t, c, func(l Logger) *A { return &A{l} })
	provide(t, c, func(l Logger) *B { return &B{l} })
	provide(t, c, func(l Logger) *C { return &C{l} })
	if err := c.Decorate(func(l Logger, cfg *Config) Logger {
		calls.inc("deco1")
		return wrapLogger{cfg.DSN, l}
	}); err != nil {
		t.Fatalf("Decorate(first): got %v, want nil", err)
	}
	if err := c.Decorate(func(l Logger) (Logger, error) {
		calls.inc("deco2")
		return wrapLogger{"outer", l}, nil
	}); err != nil {
		t.Fatalf("Decorate(second): got %v, want nil", err)
	}

	err := c.Invoke(t.Context(), func(a *A, b *B, cc *C, l Logger) {
		if a.log != b.log || b.log != cc.log || cc.log != l {
			t.Errorf("decorated Logger: got different values in A, B, C and Invoke, want one")
		}
		if got := chainOf(l); got != "outer(prefix(base))" {
			t.Errorf("decorated Logger: got %s, want outer(prefix(base)) (decorators apply in registration order)", got)
		}
	})
	if err != nil {
		t.Fatalf("Invoke: got %v, want nil", err)
	}
	for name, want := range map[string]int{"Logger": 1, "deco1": 1, "deco2": 1, "Config": 1} {
		if got := calls.get(name); got != want {
			t.Errorf("%s: got %d calls, want %d (decorators apply once per value)", name, got, want)
		}
	}

	if err := c.Decorate(func(l Logger) Logger { return l }); !errors.Is(err, ErrInvalid) {
		t.Errorf("Decorate after the Logger was built: got %v, want ErrInvalid", err)
	}
	for _, tc := range []struct {
		name string
		fn   any
	}{
		{"nil", nil},
		{"not a function", "decorate"},
		{"no parameter", func() Logger { return nil }},
		{"another result type", func(l Logger) *Config { return nil }},
		{"no result", func(l Logger) {}},
		{"bad second result", func(l Logger) (Logger, int) { return l, 0 }},
	} {
		if err := c.Decorate(tc.fn); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decorate(%s): got %v, want ErrInvalid", tc.name, err)
		}
	}
	err = New().Decorate(func(db *DB) *DB { return db })
	if _, ok := errors.AsType[*MissingError](err); !ok {
		t.Errorf("Decorate of a type nobody provides: got %v, want a *MissingError", err)
	}

	c = New()
	provide(t, c, func() *DB { return &DB{} })
	if err := c.Decorate(func(db *DB) (*DB, error) { return nil, errBoom }); err != nil {
		t.Fatalf("Decorate: got %v, want nil", err)
	}
	if _, err := Resolve[*DB](t.Context(), c); !errors.Is(err, errBoom) {
		t.Errorf("Resolve with a failing decorator: got %v, want an error wrapping the decorator's", err)
	}
}

type (
	cycA    struct{}
	cycB    struct{}
	cycC    struct{}
	cycRoot struct{}
	cycSelf struct{}
)

func TestCycle(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func(*cycA) *cycRoot { calls.inc("root"); return nil })
	provide(t, c, func(*cycB) *cycA { calls.inc("A"); return nil })
	provide(t, c, func(*cycC) *cycB { calls.inc("B"); return nil })
	provide(t, c, func(p struct {
		In
		A *cycA
	}) *cycC {
		calls.inc("C")
		return nil
	})

	wantCycle(t, "Validate()", c.Validate(), (*cycA)(nil), (*cycB)(nil), (*cycC)(nil), (*cycA)(nil))
	_, err := Resolve[*cycRoot](t.Context(), c)
	wantCycle(t, "Resolve[*cycRoot]", err, (*cycA)(nil), (*cycB)(nil), (*cycC)(nil), (*cycA)(nil))
	_, err = Resolve[*cycC](t.Context(), c)
	wantCycle(t, "Resolve[*cycC]", err, (*cycC)(nil), (*cycA)(nil), (*cycB)(nil), (*cycC)(nil))
	err = c.Invoke(t.Context(), func(*cycB) {})
	wantCycle(t, "Invoke(func(*cycB))", err, (*cycB)(nil), (*cycC)(nil), (*cycA)(nil), (*cycB)(nil))
	if n := calls.total(); n != 0 {
		t.Errorf("graph with a cycle: got %d constructor calls, want 0", n)
	}
	if !strings.Contains(err.Error(), "cycA") || !strings.Contains(err.Error(), "cycC") {
		t.Errorf("CycleError message: got %q, want it to name the types", err.Error())
	}

	c = New()
	provide(t, c, func(*cycSelf) *cycSelf { return nil })
	wantCycle(t, "Validate() of a constructor that needs its own type", c.Validate(), (*cycSelf)(nil), (*cycSelf)(nil))

	// A decorator's dependencies are edges too.
	c = New()
	provide(t, c, func() *cycA { return nil })
	provide(t, c, func(*cycA) *cycB { return nil })
	if err := c.Decorate(func(a *cycA, b *cycB) *cycA { return a }); err != nil {
		t.Fatalf("Decorate: got %v, want nil", err)
	}
	_, err = Resolve[*cycB](t.Context(), c)
	wantCycle(t, "Resolve[*cycB] with a decorator of *cycA that needs *cycB", err, (*cycB)(nil), (*cycA)(nil), (*cycB)(nil))
}

func TestMissing(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func(s *Service) *Handler { calls.inc("Handler"); return &Handler{svc: s} })
	provide(t, c, func(r *Repo) *Service { calls.inc("Service"); return &Service{repo: r} })
	provide(t, c, func(db *DB) *Repo { calls.inc("Repo"); return &Repo{db: db} })

	_, err := Resolve[*Handler](t.Context(), c)
	wantMissing(t, "Resolve[*Handler]", err, (*DB)(nil), "", (*Handler)(nil), (*Service)(nil), (*Repo)(nil))
	wantMissing(t, "Validate()", c.Validate(), (*DB)(nil), "", (*Handler)(nil), (*Service)(nil), (*Repo)(nil))
	_, err = Resolve[*DB](t.Context(), c)
	wantMissing(t, "Resolve[*DB]", err, (*DB)(nil), "")
	fn := func(s *Service) {}
	err = c.Invoke(t.Context(), fn)
	wantMissing(t, "Invoke(func(*Service))", err, (*DB)(nil), "", reflect.TypeOf(fn), (*Service)(nil), (*Repo)(nil))
	if n := calls.total(); n != 0 {
		t.Errorf("graph with a missing dependency: got %d constructor calls, want 0", n)
	}

	type report struct{}
	provide(t, c, func(p struct {
		In
		DB *DB `name:"ro"`
	}) *report {
		return nil
	})
	provide(t, c, func() *DB { return &DB{} }) // unnamed: not what report asks for
	_, err = Resolve[*report](t.Context(), c)
	wantMissing(t, "Resolve[*report] needing *DB named ro", err, (*DB)(nil), "ro", (*report)(nil))
	_, err = Resolve[*DB](t.Context(), c, Named("rw"))
	wantMissing(t, "Resolve[*DB](Named(rw))", err, (*DB)(nil), "rw")
}

type Params struct {
	In
	RO     *DB          `name:"ro"`
	RW     *DB          `name:"rw"`
	Cache  *Cache       `optional:"true"`
	Log    Logger       `optional:"true"`
	Routes []Route      `group:"routes"`
	Mw     []Middleware `group:"middleware"`
}

func TestOptionalNamedGroups(t *testing.T) {
	c := New()
	paths := []string{"/", "/users", "/users/{id}", "/orders", "/health", "/metrics", "/login", "/logout"}
	for i, p := range paths {
		provide(t, c, func() Route { return Route{p} }, Group("routes"))
		switch i {
		case 2:
			provide(t, c, func() *DB { return &DB{Name: "replica"} }, Name("ro"))
		case 5:
			provide(t, c, func() *DB { return &DB{Name: "primary"} }, Name("rw"))
		case 6:
			provide(t, c, func() Logger { return &memLogger{} })
		}
	}
	var got []string
	err := c.Invoke(t.Context(), func(p Params) {
		if p.RO == nil || p.RO.Name != "replica" || p.RW == nil || p.RW.Name != "primary" {
			t.Errorf("named fields: got RO %+v, RW %+v; want replica and primary", p.RO, p.RW)
		}
		if p.Cache != nil {
			t.Errorf("optional field nobody provides: got %v, want nil", p.Cache)
		}
		if p.Log == nil {
			t.Errorf("optional field that is provided: got nil, want the Logger")
		}
		if len(p.Mw) != 0 {
			t.Errorf("empty group: got %d values, want 0", len(p.Mw))
		}
		for _, r := range p.Routes {
			got = append(got, r.Path)
		}
	})
	if err != nil {
		t.Fatalf("Invoke(func(Params)): got %v, want nil", err)
	}
	if diff := cmp.Diff(paths, got); diff != "" {
		t.Errorf("group routes, in registration order (-want +got):\n%s", diff)
	}

	if db := resolve[*DB](t, c, Named("rw")); db.Name != "primary" {
		t.Errorf("Resolve[*DB](Named(rw)): got %q, want primary", db.Name)
	}
	_, err = Resolve[*DB](t.Context(), c)
	wantMissing(t, "Resolve[*DB] without a name when only named ones exist", err, (*DB)(nil), "")
	routes := resolve[[]Route](t, c, FromGroup("routes"))
	got = got[:0]
	for _, r := range routes {
		got = append(got, r.Path)
	}
	if diff := cmp.Diff(paths, got); diff != "" {
		t.Errorf("Resolve[[]Route](FromGroup(routes)) (-want +got):\n%s", diff)
	}
	if _, err := Resolve[Route](t.Context(), c, FromGroup("routes")); !errors.Is(err, ErrInvalid) {
		t.Errorf("Resolve[Route](FromGroup) of a non-slice type: got %v, want ErrInvalid", err)
	}
}

type dbPair struct {
	Out
	RO     *DB   `name:"ro"`
	RW     *DB   `name:"rw"`
	Health Route `group:"routes"`
}

func TestOutStruct(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func() dbPair {
		calls.inc("pair")
		return dbPair{RO: &DB{Name: "ro"}, RW: &DB{Name: "rw"}, Health: Route{"/health"}}
	})
	provide(t, c, func() Route { return Route{"/"} }, Group("routes"))
	if ro, rw := resolve[*DB](t, c, Named("ro")), resolve[*DB](t, c, Named("rw")); ro.Name != "ro" || rw.Name != "rw" {
		t.Errorf("Out fields: got ro %q, rw %q; want ro, rw", ro.Name, rw.Name)
	}
	routes := resolve[[]Route](t, c, FromGroup("routes"))
	if diff := cmp.Diff([]Route{{"/health"}, {"/"}}, routes); diff != "" {
		t.Errorf("group fed by an Out field and a constructor (-want +got):\n%s", diff)
	}
	if n := calls.get("pair"); n != 1 {
		t.Errorf("constructor of an Out struct with 3 fields: got %d calls, want 1", n)
	}
	if err := New().Provide(func() dbPair { return dbPair{} }, Name("x")); !errors.Is(err, ErrInvalid) {
		t.Errorf("Provide of an Out struct with Name: got %v, want ErrInvalid", err)
	}
	if err := c.Provide(func() *DB { return nil }, Name("ro")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Provide(*DB named ro) after an Out struct provided it: got %v, want ErrDuplicate", err)
	}
}

type request struct{ id int }
type session struct{ req *request }

func TestTransient(t *testing.T) {
	var calls counter
	c := New()
	n := 0
	provide(t, c, func() *request { calls.inc("request"); n++; return &request{id: n} }, Transient())
	provide(t, c, func(r *request) *session { calls.inc("session"); return &session{req: r} })

	r1, r2 := resolve[*request](t, c), resolve[*request](t, c)
	if r1 == r2 || r1.id == r2.id {
		t.Errorf("two Resolve of a transient: got ids %d and %d, want two new values", r1.id, r2.id)
	}
	err := c.Invoke(t.Context(), func(a, b *request) {
		if a == b {
			t.Errorf("two parameters of a transient type: got the same value, want one each")
		}
	})
	if err != nil {
		t.Fatalf("Invoke: got %v, want nil", err)
	}
	s1, s2 := resolve[*session](t, c), resolve[*session](t, c)
	if s1 != s2 || s1.req != s2.req {
		t.Errorf("singleton that depends on a transient: got two different sessions or requests, want one")
	}
	if got, want := calls.get("request"), 5; got != want {
		t.Errorf("transient constructor: got %d calls, want %d", got, want)
	}
}

func TestConstructorErrors(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func() (*DB, error) { calls.inc("DB"); return nil, errBoom })
	provide(t, c, func(db *DB) *Repo { calls.inc("Repo"); return &Repo{db: db} })
	for i := range 2 {
		_, err := Resolve[*Repo](t.Context(), c)
		if !errors.Is(err, errBoom) {
			t.Fatalf("Resolve[*Repo] #%d with a failing DB constructor: got %v, want an error wrapping it", i+1, err)
		}
		if !strings.Contains(err.Error(), "DB") {
			t.Errorf("constructor error: got %q, want it to name the type (*di.DB)", err.Error())
		}
	}
	if got := calls.get("DB"); got != 1 {
		t.Errorf("failing singleton constructor resolved twice: got %d calls, want 1 (the error is the singleton's outcome)", got)
	}
	if got := calls.get("Repo"); got != 0 {
		t.Errorf("constructor of a dependent of a failed value: got %d calls, want 0", got)
	}

	provide(t, c, func() *Config { calls.inc("Config"); panic("config file is a directory") })
	for range 2 {
		_, err := Resolve[*Config](t.Context(), c)
		if !errors.Is(err, ErrPanic) || !strings.Contains(err.Error(), "config file is a directory") {
			t.Errorf("panicking constructor: got %v, want an error wrapping ErrPanic with the panic value", err)
		}
	}
	if got := calls.get("Config"); got != 1 {
		t.Errorf("panicking singleton constructor resolved twice: got %d calls, want 1", got)
	}

	err := c.Invoke(t.Context(), func() error { return errBoom })
	if !errors.Is(err, errBoom) {
		t.Errorf("Invoke of a function returning an error: got %v, want that error", err)
	}
	err = c.Invoke(t.Context(), func() { panic(errBoom) })
	if !errors.Is(err, ErrPanic) {
		t.Errorf("Invoke of a panicking function: got %v, want ErrPanic", err)
	}
}

func TestClose(t *testing.T) {
	var order []string
	var seen string
	c := New()
	provide(t, c, func() (*Config, func(context.Context) error, error) {
		return &Config{}, func(context.Context) error { order = append(order, "Config"); return nil }, nil
	})
	errDB := errors.New("db close failed")
	provide(t, c, func(*Config) (*DB, func(context.Context) error, error) {
		return &DB{}, func(context.Context) error { order = append(order, "DB"); return errDB }, nil
	})
	provide(t, c, func(*DB) (*Repo, func(context.Context) error, error) {
		return &Repo{}, func(ctx context.Context) error {
			order = append(order, "Repo")
			seen, _ = ctx.Value(ctxKey{}).(string)
			return nil
		}, nil
	})
	errCache := errors.New("cache flush failed")
	provide(t, c, func() (*Cache, func(context.Context) error, error) {
		return &Cache{}, func(context.Context) error { order = append(order, "Cache"); return errCache }, nil
	})
	provide(t, c, func() (*Handler, func(context.Context) error, error) {
		return &Handler{}, func(context.Context) error { order = append(order, "Handler (never built)"); return nil }, nil
	})
	provide(t, c, func() (*Service, func(context.Context) error, error) {
		return &Service{}, nil, nil // no cleanup needed
	})
	resolve[*Cache](t, c)
	resolve[*Repo](t, c)
	resolve[*Service](t, c)

	err := c.Close(ctxWith(t, "closing"))
	if diff := cmp.Diff([]string{"Repo", "DB", "Config", "Cache"}, order); diff != "" {
		t.Errorf("cleanups run by Close, last constructed first (-want +got):\n%s", diff)
	}
	if !errors.Is(err, errDB) || !errors.Is(err, errCache) {
		t.Errorf("Close with two failing cleanups: got %v, want both errors joined", err)
	}
	if seen != "closing" {
		t.Errorf("cleanup's ctx: got value %q, want the ctx passed to Close", seen)
	}

	if err := c.Close(t.Context()); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	if len(order) != 4 {
		t.Errorf("second Close: got cleanups %v, want none run again", order[4:])
	}
	if _, err := Resolve[*Repo](t.Context(), c); !errors.Is(err, ErrClosed) {
		t.Errorf("Resolve after Close: got %v, want ErrClosed", err)
	}
	if err := c.Invoke(t.Context(), func() {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Invoke after Close: got %v, want ErrClosed", err)
	}
	if err := c.Provide(func() *request { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Provide after Close: got %v, want ErrClosed", err)
	}
}

func TestProvideErrors(t *testing.T) {
	type noIn struct {
		In
		hidden *DB
	}
	type badGroup struct {
		In
		Routes Route `group:"routes"`
	}
	type badOptional struct {
		In
		DB *DB `optional:"yes"`
	}
	for _, tc := range []struct {
		name string
		ctor any
		opts []Option
	}{
		{"nil", nil, nil},
		{"nil func", (func() *DB)(nil), nil},
		{"not a function", 42, nil},
		{"no results", func() {}, nil},
		{"only an error", func() error { return nil }, nil},
		{"bad second result", func() (*DB, int) { return nil, 0 }, nil},
		{"four results", func() (*DB, func(context.Context) error, error, error) { return nil, nil, nil, nil }, nil},
		{"cleanup without error", func() (*DB, func(context.Context) error) { return nil, nil }, nil},
		{"variadic", func(...int) *DB { return nil }, nil},
		{"unexported field in In", func(noIn) *Repo { return nil }, nil},
		{"group on a non-slice field", func(badGroup) *Repo { return nil }, nil},
		{"optional not a bool", func(badOptional) *Repo { return nil }, nil},
		{"Name and Group", func() *DB { return nil }, []Option{Name("a"), Group("b")}},
	} {
		err := New().Provide(tc.ctor, tc.opts...)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Provide(%s): got %v, want ErrInvalid", tc.name, err)
		}
	}

	c := New()
	provide(t, c, func() *DB { return &DB{} })
	if err := c.Provide(func() (*DB, error) { return nil, nil }); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Provide(*DB) twice: got %v, want ErrDuplicate", err)
	}
	provide(t, c, func() *DB { return &DB{} }, Name("ro"))
	if err := c.Provide(func() *DB { return nil }, Name("ro")); !errors.Is(err, ErrDuplicate) {
		t.Errorf("Provide(*DB named ro) twice: got %v, want ErrDuplicate", err)
	}
	provide(t, c, func() *DB { return &DB{} }, Group("all"))
	provide(t, c, func() *DB { return &DB{} }, Group("all")) // groups collect: no duplicate
	if dbs := resolve[[]*DB](t, c, FromGroup("all")); len(dbs) != 2 {
		t.Errorf("group of two: got %d values, want 2", len(dbs))
	}
}

func TestInvoke(t *testing.T) {
	var calls counter
	c := New()
	provide(t, c, func(ctx context.Context) *Config {
		calls.inc("Config")
		v, _ := ctx.Value(ctxKey{}).(string)
		return &Config{DSN: v}
	})
	var got string
	err := c.Invoke(ctxWith(t, "from-invoke"), func(ctx context.Context, cfg *Config) {
		v, _ := ctx.Value(ctxKey{}).(string)
		got = cfg.DSN + "," + v
	})
	if err != nil || got != "from-invoke,from-invoke" {
		t.Errorf("Invoke with context.Context parameters: got (%q, %v), want (%q, nil)", got, err, "from-invoke,from-invoke")
	}

	for _, fn := range []any{nil, "f", func() int { return 0 }, func() (error, error) { return nil, nil }, func(...int) {}} {
		if err := c.Invoke(t.Context(), fn); !errors.Is(err, ErrInvalid) {
			t.Errorf("Invoke(%T): got %v, want ErrInvalid", fn, err)
		}
	}

	c = New()
	provide(t, c, func() *Config { calls.inc("lazy"); return &Config{} })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Invoke(ctx, func(*Config) {}); !errors.Is(err, context.Canceled) {
		t.Errorf("Invoke with a cancelled ctx: got %v, want context.Canceled", err)
	}
	if _, err := Resolve[*Config](ctx, c); !errors.Is(err, context.Canceled) {
		t.Errorf("Resolve with a cancelled ctx: got %v, want context.Canceled", err)
	}
	if n := calls.get("lazy"); n != 0 {
		t.Errorf("resolution with a cancelled ctx: got %d constructor calls, want 0", n)
	}
}
