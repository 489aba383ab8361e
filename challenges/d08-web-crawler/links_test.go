package crawler

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatalf("url.Parse(%q): %v", s, err)
	}
	return u
}

func TestNormalize(t *testing.T) {
	base := mustURL(t, "http://example.com/docs/guide/index.html?page=2#intro")
	cases := []struct {
		href string
		want string // "" = rejected
	}{
		// The equivalent forms of one page.
		{"/a", "http://example.com/a"},
		{"/a#x", "http://example.com/a"},
		{"/b/../a", "http://example.com/a"},
		{"HTTP://EXAMPLE.com/a", "http://example.com/a"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"//example.com/a", "http://example.com/a"},
		{"  /a\n", "http://example.com/a"},
		{"../../a", "http://example.com/a"},
		{"../../../../a", "http://example.com/a"},
		// Relative references.
		{"next.html", "http://example.com/docs/guide/next.html"},
		{"./next.html", "http://example.com/docs/guide/next.html"},
		{"../api/", "http://example.com/docs/api/"},
		{"?page=3", "http://example.com/docs/guide/index.html?page=3"},
		{"#section", "http://example.com/docs/guide/index.html?page=2"},
		{"", "http://example.com/docs/guide/index.html?page=2"},
		// Host, port, scheme.
		{"https://Example.COM:443/x", "https://example.com/x"},
		{"https://example.com:80/x", "https://example.com:80/x"},
		{"http://example.com:8080/x", "http://example.com:8080/x"},
		{"http://example.com", "http://example.com/"},
		{"http://example.com?q=1", "http://example.com/?q=1"},
		{"http://user:secret@example.com/x", "http://example.com/x"},
		// Query and percent-encoding are kept as they are.
		{"/s?b=2&a=1", "http://example.com/s?b=2&a=1"},
		{"/a%2Fb", "http://example.com/a%2Fb"},
		// Not crawlable.
		{"mailto:someone@example.com", ""},
		{"javascript:void(0)", ""},
		{"ftp://example.com/file", ""},
		{"data:text/html,hi", ""},
		{"http://", ""},
		{"http:///path", ""},
		{"http://exa mple.com/", ""},
		{"http://[::1", ""},
		{"%zz", ""},
	}
	for _, tc := range cases {
		got, ok := Normalize(base, tc.href)
		if tc.want == "" {
			if ok {
				t.Errorf("Normalize(%s, %q): got (%q, true), want (_, false)", base, tc.href, got)
			}
			continue
		}
		if !ok || got != tc.want {
			t.Errorf("Normalize(%s, %q): got (%q, %v), want (%q, true)", base, tc.href, got, ok, tc.want)
		}
	}
}

func TestNormalizeWithoutBase(t *testing.T) {
	cases := []struct{ href, want string }{
		{"HTTP://Example.com/a/./b/../c#frag", "http://example.com/a/c"},
		{"https://example.com", "https://example.com/"},
		{"/relative", ""},
		{"example.com/a", ""},
		{"mailto:x@example.com", ""},
	}
	for _, tc := range cases {
		got, ok := Normalize(nil, tc.href)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("Normalize(nil, %q): got (%q, %v), want (%q, %v)", tc.href, got, ok, tc.want, tc.want != "")
		}
	}
}

func TestExtractLinks(t *testing.T) {
	base := mustURL(t, "http://site.test/blog/post.html")
	doc := `<!DOCTYPE html>
<html><head>
  <title>A post</title>
  <link rel="stylesheet" href="/style.css">
  <script src="/app.js"></script>
</head><body>
  <a href="/">home</a>
  <a href="../about">about</a>
  <a href="/#top">home again</a>
  <A HREF="next.html">upper-case tag and attribute</A>
  <a name="no-href">anchor</a>
  <a href='/tags?t=go&amp;page=2'>entity in the query</a>
  <a class="x" id="y" href="https://other.test/x">off site</a>
  <a href="mailto:me@site.test">mail</a>
  <a href="javascript:alert(1)">js</a>
  <img src="/img.png"><area href="/map">
  <a href="/about">duplicate of ../about</a>
  <a href="/self-closing"/>
  <div><p>text <a href=unquoted.html>unquoted</a></p></div>
  <!-- <a href="/commented">not a link</a> -->
  <a href="/first" href="/second">two hrefs</a>
</body></html>`
	got, err := ExtractLinks(base, strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ExtractLinks: got error %v, want nil", err)
	}
	want := []string{
		"http://site.test/",
		"http://site.test/about",
		"http://site.test/blog/next.html",
		"http://site.test/tags?t=go&page=2",
		"https://other.test/x",
		"http://site.test/self-closing",
		"http://site.test/blog/unquoted.html",
		"http://site.test/first",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ExtractLinks (-want +got):\n%s", diff)
	}
}

func TestExtractLinksEdgeCases(t *testing.T) {
	base := mustURL(t, "http://site.test/")
	for _, doc := range []string{"", "plain text, no markup", "<html><body><p>no links</p>", "<a href=", "<<<>>>"} {
		got, err := ExtractLinks(base, strings.NewReader(doc))
		if err != nil || len(got) != 0 {
			t.Errorf("ExtractLinks(%q): got (%q, %v), want no links and nil", doc, got, err)
		}
	}
	// A truncated document still yields the links before the cut.
	got, err := ExtractLinks(base, strings.NewReader(`<p><a href="/a">a</a><a href="/b">b</a><a hr`))
	if err != nil {
		t.Fatalf("ExtractLinks(truncated): got error %v, want nil", err)
	}
	if diff := cmp.Diff([]string{"http://site.test/a", "http://site.test/b"}, got); diff != "" {
		t.Errorf("ExtractLinks(truncated) (-want +got):\n%s", diff)
	}
	// A read error is returned.
	boom := errors.New("connection reset")
	_, err = ExtractLinks(base, io.MultiReader(strings.NewReader(`<a href="/a">`), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Errorf("ExtractLinks(failing reader): got error %v, want %v", err, boom)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
