// Package locator has a hand-rolled registry with Register and Resolve:
// a container too.
package locator

type Registry struct{ m map[string]any }

func (r *Registry) Register(name string, v any) { r.m[name] = v }

func (r *Registry) Resolve(name string) any { return r.m[name] }

var Default = &Registry{m: map[string]any{}}
