package scope

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"
)

// within runs f and reports whether it returned within d: a deadlocked
// solution fails the test instead of burning the whole timeout.
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

// recorder logs what happened, in order, from any goroutine.
type recorder struct {
	mu  sync.Mutex
	log []string
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, s)
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	l := r.log
	r.log = nil
	return l
}

// open returns an open function for a resource called name.
func (r *recorder) open(name string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		r.add("open " + name)
		return name, nil
	}
}

// release records the release of a resource and returns err.
func (r *recorder) release(err error) func(context.Context, string) error {
	return func(_ context.Context, v string) error {
		r.add("release " + v)
		return err
	}
}

// cleanup records name and returns err.
func (r *recorder) cleanup(name string, err error) func(context.Context) error {
	return func(context.Context) error {
		r.add("cleanup " + name)
		return err
	}
}

type ctxKey struct{}

// capture is a slog.Handler that keeps every record.
type capture struct {
	mu   sync.Mutex
	recs []record
}

type record struct {
	Level slog.Level
	Msg   string
	Attrs map[string]string
}

func (c *capture) Enabled(context.Context, slog.Level) bool { return true }
func (c *capture) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *capture) WithGroup(string) slog.Handler            { return c }

func (c *capture) Handle(_ context.Context, r slog.Record) error {
	rec := record{Level: r.Level, Msg: r.Message, Attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool {
		rec.Attrs[a.Key] = a.Value.String()
		return true
	})
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recs = append(c.recs, rec)
	return nil
}

// names returns the "name" attribute of the records at level >= min.
func (c *capture) names(min slog.Level) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, r := range c.recs {
		if r.Level >= min {
			out = append(out, r.Attrs["name"])
		}
	}
	slices.Sort(out)
	return out
}
