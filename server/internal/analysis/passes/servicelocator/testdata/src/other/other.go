package other

import (
	"context"
	"net"
	"net/url"

	"locator"
)

// Pulling from a hand-rolled registry is the same smell.
func mailer() any {
	return locator.Default.Resolve("mailer") // want `locator.Registry.Resolve in package other uses the container as a service locator`
}

// A Resolve that is no container's: DNS.
type dns struct{}

func (dns) Resolve(host string) ([]string, error) { return []string{host}, nil }

// Invoke as an option, the fx way, on no container.
type Option struct{ funcs []any }

func Invoke(funcs ...any) Option { return Option{funcs: funcs} }

// A type with Resolve but nothing to register is no container.
type cache struct{}

func (cache) Resolve(key string) string { return key }

func fine(ctx context.Context) {
	_, _ = dns{}.Resolve("example.com")
	_ = Invoke(func() {})
	_ = cache{}.Resolve("k")
	_, _ = net.DefaultResolver.LookupHost(ctx, "example.com")
	base, _ := url.Parse("https://example.com/a/")
	_ = base.ResolveReference(&url.URL{Path: "b"})
}
