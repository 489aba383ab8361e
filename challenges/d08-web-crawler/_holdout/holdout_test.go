package crawler

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Hidden tests: the same rules as the shipped tests, on other inputs.

func TestHoldoutNormalize(t *testing.T) {
	base := mustURL(t, "https://Docs.Example.org:443/a/b/c?x=1")
	cases := []struct{ href, want string }{
		{"http://[::1]:80/x", "http://[::1]/x"},
		{"http://[::1]:8080/x#y", "http://[::1]:8080/x"},
		{"HTTPS://EX.com:443", "https://ex.com/"},
		{"http://ex.com:/a", "http://ex.com/a"},
		{"../../x/./y/../z", "https://docs.example.org/x/z"},
		{"d", "https://docs.example.org/a/b/d"},
		{"/", "https://docs.example.org/"},
		{"//cdn.example.org/lib.js", "https://cdn.example.org/lib.js"},
		{"\t/tabbed\t", "https://docs.example.org/tabbed"},
		{"#only-fragment", "https://docs.example.org/a/b/c?x=1"},
		{"tel:+123", ""},
		{"https:relative-opaque", ""},
	}
	for _, tc := range cases {
		got, ok := Normalize(base, tc.href)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("Normalize(%s, %q): got (%q, %v), want (%q, %v)", base, tc.href, got, ok, tc.want, tc.want != "")
		}
	}
}

func TestHoldoutCrawlInMemory(t *testing.T) {
	s := newSite()
	g := generate(s, "hold.test", 700, 6, 77, true)
	client, tr := memClient(s)
	c := newCrawler(t, Config{
		Seeds: []string{"HTTP://HOLD.TEST"}, MaxDepth: 700, MaxPages: 5000, Workers: 5, Client: client,
		Retry: RetryPolicy{MaxAttempts: 2, Base: time.Millisecond, Max: time.Millisecond},
	})
	r := crawl(t, t.Context(), c, 60*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	pages := byURL(t, r.pages)
	want := g.all()
	got := make([]string, 0, len(pages))
	for u := range pages {
		got = append(got, u)
	}
	slices.Sort(want)
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("URLs (-want +got):\n%s", diff)
	}
	for u, n := range s.hitCounts() {
		if n != g.attempts[u] {
			t.Errorf("%s requested %d times, want %d", u, n, g.attempts[u])
		}
	}
	for u, p := range pages {
		if diff := cmp.Diff(g.want[u], p.Links); diff != "" {
			t.Errorf("Page %s: Links (-want +got):\n%s", u, diff)
		}
	}
	if o, c := tr.opened.Load(), tr.closed.Load(); o != c {
		t.Errorf("response bodies: got %d opened and %d closed, want all closed", o, c)
	}
}

func TestHoldoutDepthTree(t *testing.T) {
	s := newSite()
	depth := map[string]int{}
	var build func(path string, d int)
	build = func(path string, d int) {
		u := "http://bin.test" + path
		depth[u] = d
		var b strings.Builder
		b.WriteString(`<a href="/#x">root</a>`)
		if d < 6 {
			for _, side := range []string{"l", "r"} {
				fmt.Fprintf(&b, `<a href="%s/">%s</a>`, side, side)
				build(path+side+"/", d+1)
			}
		}
		s.html(u, b.String())
	}
	build("/", 0)
	client, _ := memClient(s)
	c := newCrawler(t, Config{Seeds: []string{"http://bin.test/"}, MaxDepth: 4, MaxPages: 1000, Workers: 6, Client: client})
	r := crawl(t, t.Context(), c, 30*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	got := map[string]int{}
	for _, p := range r.pages {
		got[p.URL] = p.Depth
	}
	want := map[string]int{}
	for u, d := range depth {
		if d <= 4 {
			want[u] = d
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages and depths (-want +got):\n%s", diff)
	}
}

func TestHoldoutMaxPagesCountsFailures(t *testing.T) {
	s := newSite()
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, `<a href="/gone/%d">x</a>`, i)
	}
	s.html("http://fail.test/", b.String())
	client, _ := memClient(s)
	c := newCrawler(t, Config{Seeds: []string{"http://fail.test/"}, MaxDepth: 1, MaxPages: 12, Workers: 4, Client: client})
	r := crawl(t, t.Context(), c, 30*time.Second)
	if r.err != nil || len(r.pages) != 12 || s.requests() != 12 {
		t.Fatalf("Run: got %d pages, %d requests, error %v; want 12, 12, nil", len(r.pages), s.requests(), r.err)
	}
	if r.stats.Failed != 11 || r.stats.Pages != 12 {
		t.Errorf("Stats: got %+v, want Pages 12, Failed 11", r.stats)
	}
}

func TestHoldoutBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSite()
		var b strings.Builder
		for i := 1; i < 20; i++ {
			fmt.Fprintf(&b, `<a href="/%d">x</a>`, i)
			s.html(fmt.Sprintf("http://burst.test/%d", i), "leaf")
		}
		s.html("http://burst.test/", b.String())
		client, _ := memClient(s)
		c := newCrawler(t, Config{Seeds: []string{"http://burst.test/"}, MaxDepth: 1, MaxPages: 100, Workers: 8, PerHost: 4, Burst: 3, Client: client})
		start := time.Now()
		r := crawl(t, t.Context(), c, time.Minute)
		if r.err != nil || len(r.pages) != 20 {
			t.Fatalf("Run: got %d pages and error %v, want 20 and nil", len(r.pages), r.err)
		}
		at := offsets(s.hitsOf(""), start)
		if len(at) != 20 || at[2] != 0 || at[3] < 249*time.Millisecond {
			t.Errorf("request times: got %v, want 3 at once (burst), then 250ms apart", at)
		}
		if last := at[len(at)-1]; last < 4240*time.Millisecond || last > 4300*time.Millisecond {
			t.Errorf("last request at %v, want 4.25s (17 requests after the burst at 4/s)", last)
		}
	})
}

func TestHoldoutRetryAfterExhausts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSite()
		s.add("http://ra.test/", &doc{answers: []resp{{status: 503, retryAfter: "7"}}})
		client, _ := memClient(s)
		c := newCrawler(t, Config{Seeds: []string{"http://ra.test/"}, MaxPages: 1, Workers: 1, Client: client,
			Retry: RetryPolicy{MaxAttempts: 2, Base: time.Millisecond, Max: time.Millisecond, Rand: half}})
		start := time.Now()
		r := crawl(t, t.Context(), c, time.Minute)
		if r.err != nil || len(r.pages) != 1 {
			t.Fatalf("Run: got %d pages and error %v, want 1 and nil", len(r.pages), r.err)
		}
		if diff := cmp.Diff([]time.Duration{0, 7 * time.Second}, offsets(s.hitsOf(""), start)); diff != "" {
			t.Errorf("request times (-want +got):\n%s", diff)
		}
		if p := r.pages[0]; !errors.Is(p.Err, ErrExhausted) || statusCode(p.Err) != 503 || p.Attempts != 2 {
			t.Errorf("Page: got Attempts %d, Err %v; want 2 and ErrExhausted wrapping a 503", p.Attempts, p.Err)
		}
	})
}
