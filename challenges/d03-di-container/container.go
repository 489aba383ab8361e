// Package di is a reflection-based dependency-injection container in the
// spirit of go.uber.org/dig: constructors are registered with Provide and
// resolved by the types of their parameters, singletons are built once and
// torn down in reverse order by Close, and Validate checks the whole graph
// without constructing anything.
package di

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("di: not implemented")

// Errors wrapped by the errors this package returns; test with errors.Is.
var (
	ErrInvalid   = errors.New("di: invalid argument")       // a bad constructor, decorator, function or option
	ErrDuplicate = errors.New("di: type already provided")  // the same (type, name) provided twice
	ErrClosed    = errors.New("di: container closed")       // any call after Close
	ErrPanic     = errors.New("di: panic in a constructor") // a constructor, decorator or invoked function panicked
)

// In marks a parameter struct: embed it, and each exported field of the
// struct becomes a dependency. Field tags: `name:"ro"` asks for a named
// value, `optional:"true"` accepts a missing one (the field stays zero),
// `group:"routes"` (on a slice field) collects a group.
type In struct{}

// Out marks a result struct: embed it, and each exported field of the
// struct is provided on its own, with the same `name` and `group` tags.
type Out struct{}

// Option configures Provide. Options combine: Provide(f, Name("ro"),
// Transient()).
type Option struct {
	name      string
	group     string
	as        []any
	transient bool
}

// Name provides the result under a name: parameters ask for it with a
// `name` tag, Resolve with Named.
func Name(name string) Option { return Option{name: name} }

// As provides the result as each of the given interfaces (pointers to
// interface types, such as new(io.Reader)) instead of its own type.
func As(ifaces ...any) Option { return Option{as: ifaces} }

// Transient makes every dependent get a new value, constructed for it.
func Transient() Option { return Option{transient: true} }

// Group adds the result to a group: parameters collect it with a `group`
// tag on a slice field, Resolve with FromGroup.
func Group(group string) Option { return Option{group: group} }

// ResolveOption configures Resolve.
type ResolveOption struct {
	name  string
	group string
}

// Named resolves the value provided under name.
func Named(name string) ResolveOption { return ResolveOption{name: name} }

// FromGroup resolves a group: T must be a slice, and the values come in
// registration order.
func FromGroup(group string) ResolveOption { return ResolveOption{group: group} }

// CycleError reports a dependency cycle. Path starts and ends with the
// same type: [A B C A] means A needs B, B needs C and C needs A.
type CycleError struct{ Path []reflect.Type }

func (e *CycleError) Error() string {
	return "di: dependency cycle: " + joinTypes(e.Path)
}

// MissingError reports a dependency nobody provides. Chain is the path of
// types from what was being resolved down to the one that needs Want.
type MissingError struct {
	Want  reflect.Type
	Name  string
	Chain []reflect.Type
}

func (e *MissingError) Error() string {
	want := fmt.Sprint(e.Want)
	if e.Name != "" {
		want += fmt.Sprintf(" named %q", e.Name)
	}
	if len(e.Chain) == 0 {
		return "di: missing " + want
	}
	return fmt.Sprintf("di: missing %s, needed by %s", want, joinTypes(e.Chain))
}

func joinTypes(ts []reflect.Type) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = fmt.Sprint(t)
	}
	return strings.Join(s, " -> ")
}

// Container holds the graph. It is safe for concurrent use.
type Container struct {
	// TODO: the graph (keyed by type and name, plus groups), the
	// registration order, the cleanups in construction order, a lock.
}

// New returns an empty container.
func New() *Container {
	return &Container{} // TODO
}

// Provide registers a constructor: a function whose parameters are its
// dependencies and whose results are T, (T, error) or
// (T, func(context.Context) error, error), the function being a cleanup
// that Close runs. T may embed Out to provide each of its fields.
func (c *Container) Provide(ctor any, opts ...Option) error {
	// TODO: check the constructor's shape with reflect, describe its
	// parameters (In structs: one dependency per field), work out what it
	// provides (its type, the As interfaces, or the fields of an Out
	// struct), refuse duplicates, and record it. Construct nothing.
	return ErrNotImplemented
}

// Decorate registers fn, a func(T, deps...) T or func(T, deps...) (T,
// error), to wrap the unnamed value of type T when it is built. Decorators
// apply in registration order, once per value built. T must already be
// provided and not yet built.
func (c *Container) Decorate(fn any) error {
	return ErrNotImplemented // TODO
}

// Validate checks the whole graph without constructing anything: every
// dependency that is not optional is provided, and there is no cycle. It
// returns the first problem found, walking the constructors in
// registration order, as a *MissingError or a *CycleError.
func (c *Container) Validate() error {
	return ErrNotImplemented // TODO
}

// Close runs the cleanups of everything constructed, the last constructed
// first. A failing cleanup does not stop the others; their errors are
// joined. After Close, the container refuses every call; Close itself
// returns nil.
func (c *Container) Close(ctx context.Context) error {
	return ErrNotImplemented // TODO
}
