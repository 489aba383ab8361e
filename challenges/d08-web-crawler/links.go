package crawler

import (
	"io"
	"net/url"
)

// Normalize resolves href against base and returns the canonical form of
// the result, or false if it is not a crawlable http(s) URL.
//
// The canonical form: scheme and host in lower case, no default port (:80
// for http, :443 for https), no userinfo, dot segments removed, an empty
// path written "/", no fragment. The query and the percent-encoding are
// kept as they are. base may be nil, in which case href must be absolute.
func Normalize(base *url.URL, href string) (string, bool) {
	// TODO: parse, resolve, then canonicalise (see the README).
	return "", false
}

// ExtractLinks reads an HTML document from r and returns the normalised
// targets of its <a href> elements (see Normalize), relative to base, in
// document order, each once. Links that Normalize rejects are left out.
// The only errors are r's read errors.
func ExtractLinks(base *url.URL, r io.Reader) ([]string, error) {
	// TODO: tokenize with golang.org/x/net/html.
	return nil, ErrNotImplemented
}
