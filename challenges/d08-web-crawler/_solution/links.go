package crawler

import (
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Normalize resolves href against base and returns the canonical form of
// the result, or false if it is not a crawlable http(s) URL.
//
// The canonical form: scheme and host in lower case, no default port (:80
// for http, :443 for https), no userinfo, dot segments removed, an empty
// path written "/", no fragment. The query and the percent-encoding are
// kept as they are. base may be nil, in which case href must be absolute.
func Normalize(base *url.URL, href string) (string, bool) {
	// HTML allows ASCII whitespace around an attribute's URL.
	ref, err := url.Parse(strings.Trim(href, " \t\n\f\r"))
	if err != nil {
		return "", false
	}
	if base == nil {
		if !ref.IsAbs() {
			return "", false
		}
		base = &url.URL{}
	}
	// ResolveReference removes dot segments, also when ref is absolute.
	u := base.ResolveReference(ref)
	if u.Scheme != "http" && u.Scheme != "https" || u.Opaque != "" || u.Hostname() == "" {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if port := u.Port(); port == "" && strings.HasSuffix(host, ":") ||
		u.Scheme == "http" && port == "80" || u.Scheme == "https" && port == "443" {
		host = strings.ToLower(u.Hostname())
		if strings.Contains(host, ":") { // an IPv6 literal keeps its brackets
			host = "[" + host + "]"
		}
	}
	u.Host = host
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u.String(), true
}

// ExtractLinks reads an HTML document from r and returns the normalised
// targets of its <a href> elements (see Normalize), relative to base, in
// document order, each once. Links that Normalize rejects are left out.
// The only errors are r's read errors.
func ExtractLinks(base *url.URL, r io.Reader) ([]string, error) {
	z := html.NewTokenizer(r)
	var links []string
	seen := make(map[string]struct{})
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); !errors.Is(err, io.EOF) {
				return links, err
			}
			return links, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if len(name) != 1 || name[0] != 'a' {
				continue
			}
			for hasAttr {
				var key, val []byte
				key, val, hasAttr = z.TagAttr()
				if string(key) != "href" {
					continue
				}
				if s, ok := Normalize(base, string(val)); ok {
					if _, dup := seen[s]; !dup {
						seen[s] = struct{}{}
						links = append(links, s)
					}
				}
				break // the first href wins, as in a browser
			}
		}
	}
}
