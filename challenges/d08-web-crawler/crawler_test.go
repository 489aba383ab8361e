package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"
)

func TestNewValidates(t *testing.T) {
	ok := Config{Seeds: []string{"http://site.test/"}, MaxDepth: 2, MaxPages: 10, Workers: 2}
	bad := map[string]func(*Config){
		"no seeds":                func(c *Config) { c.Seeds = nil },
		"relative seed":           func(c *Config) { c.Seeds = []string{"/index.html"} },
		"ftp seed":                func(c *Config) { c.Seeds = []string{"ftp://site.test/"} },
		"unparsable seed":         func(c *Config) { c.Seeds = []string{"http://[::1"} },
		"seed outside allowed":    func(c *Config) { c.AllowedHosts = []string{"other.test"} },
		"empty allowed host":      func(c *Config) { c.AllowedHosts = []string{"site.test", ""} },
		"negative MaxDepth":       func(c *Config) { c.MaxDepth = -1 },
		"zero MaxPages":           func(c *Config) { c.MaxPages = 0 },
		"zero Workers":            func(c *Config) { c.Workers = 0 },
		"negative Workers":        func(c *Config) { c.Workers = -3 },
		"negative PerHost":        func(c *Config) { c.PerHost = -1 },
		"negative Burst":          func(c *Config) { c.Burst = -1 },
		"negative MaxBody":        func(c *Config) { c.MaxBody = -1 },
		"negative MaxAttempts":    func(c *Config) { c.Retry.MaxAttempts = -1 },
		"negative Base":           func(c *Config) { c.Retry.Base = -time.Second },
		"negative Max":            func(c *Config) { c.Retry.Max = -time.Second },
		"Max below Base":          func(c *Config) { c.Retry.Base, c.Retry.Max = time.Second, time.Millisecond },
		"one bad seed among good": func(c *Config) { c.Seeds = []string{"http://site.test/", "mailto:x@site.test"} },
	}
	for name, mutate := range bad {
		cfg := ok
		cfg.Seeds = slices.Clone(ok.Seeds)
		mutate(&cfg)
		c, err := New(cfg)
		if !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("New(%s): got error %v, want one wrapping ErrInvalidConfig", name, err)
		}
		if c != nil {
			t.Errorf("New(%s): got a Crawler, want nil", name)
		}
	}
	good := map[string]func(*Config){
		"minimal":             func(c *Config) {},
		"depth 0":             func(c *Config) { c.MaxDepth = 0 },
		"allowed, any case":   func(c *Config) { c.AllowedHosts = []string{"SITE.test", "other.test"} },
		"rate limited":        func(c *Config) { c.PerHost, c.Burst = rate.Limit(2.5), 3 },
		"retries":             func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 4, Base: time.Millisecond, Max: time.Second} },
		"retries without cap": func(c *Config) { c.Retry = RetryPolicy{MaxAttempts: 4, Base: time.Millisecond} },
		"client and body cap": func(c *Config) { c.Client, c.MaxBody = &http.Client{Timeout: time.Second}, 1024 },
		"seeds in any form": func(c *Config) {
			c.Seeds = []string{"HTTP://Site.Test", "http://site.test/#x", "http://site.test:80/a/../"}
		},
	}
	for name, mutate := range good {
		cfg := ok
		mutate(&cfg)
		c, err := New(cfg)
		if err != nil || c == nil {
			t.Errorf("New(%s): got (%v, %v), want a Crawler and nil", name, c, err)
		}
	}
}

// TestCrawlSite crawls a generated site on a loopback server: cycles,
// every equivalent form of a link, off-site links, mailto:, PDFs, 404s and
// pages that answer 503 once. Every URL must be requested exactly as often
// as it needs (once, twice for the 503s) and reported exactly once.
func TestCrawlSite(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 300
	}
	lb := newLoopback(t)
	g := generate(lb.site, lb.host, n, 4, 1, true)
	c := newCrawler(t, Config{
		Seeds:    []string{lb.base},
		MaxDepth: n, MaxPages: 10 * n, Workers: 8,
		Retry:  RetryPolicy{MaxAttempts: 3, Base: time.Millisecond, Max: 4 * time.Millisecond},
		Client: lb.client,
	})
	r := crawl(t, t.Context(), c, 60*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	pages := byURL(t, r.pages)

	wantURLs := g.all()
	var gotURLs []string
	for u := range pages {
		gotURLs = append(gotURLs, u)
	}
	slices.Sort(wantURLs)
	slices.Sort(gotURLs)
	if diff := cmp.Diff(wantURLs, gotURLs); diff != "" {
		t.Fatalf("URLs reported on out (-want +got):\n%s", diff)
	}

	hits := lb.hitCounts()
	totalHits := 0
	for u, h := range hits {
		totalHits += h
		if want := g.attempts[u]; h != want {
			t.Errorf("server saw %d requests for %s, want %d", h, u, want)
		}
	}
	if s := lb.stray.Load(); s != 0 {
		t.Errorf("requests to hosts outside AllowedHosts: got %d, want 0", s)
	}

	failed := 0
	for u, p := range pages {
		if p.Err != nil {
			failed++
		}
		if p.Status != g.status[u] || p.Attempts != g.attempts[u] {
			t.Errorf("Page %s: got Status %d after %d attempts (Err %v), want %d after %d", u, p.Status, p.Attempts, p.Err, g.status[u], g.attempts[u])
		}
		if g.status[u] == 404 && statusCode(p.Err) != 404 {
			t.Errorf("Page %s: got Err %v, want a *StatusError with Code 404", u, p.Err)
		}
		if g.status[u] == 200 && p.Err != nil {
			t.Errorf("Page %s: got Err %v, want nil", u, p.Err)
		}
		if diff := cmp.Diff(g.want[u], p.Links); diff != "" {
			t.Errorf("Page %s: Links (-want +got):\n%s", u, diff)
		}
	}
	checkDepths(t, pages, []string{g.urls[0]}, n)

	want := Stats{Pages: len(wantURLs), Failed: failed, Requests: totalHits}
	if r.stats != want {
		t.Errorf("Stats: got %+v, want %+v", r.stats, want)
	}
}

// TestDepthLimit: on a tree (children link back to their ancestors, so
// there are cycles but every page has one depth) MaxDepth selects exactly
// the top levels.
func TestDepthLimit(t *testing.T) {
	s := newSite()
	const fan, levels = 3, 5
	depth := map[string]int{}
	var build func(path string, d int)
	build = func(path string, d int) {
		u := "http://tree.test" + path
		depth[u] = d
		var b strings.Builder
		b.WriteString(`<a href="/">root</a> <a href="..">up</a> <a href=".">self</a>`)
		if d < levels-1 {
			for i := range fan {
				child := fmt.Sprintf("%sc%d/", path, i)
				fmt.Fprintf(&b, `<a href="c%d/">child</a>`, i)
				build(child, d+1)
			}
		}
		s.html(u, b.String())
	}
	build("/", 0)

	for _, maxDepth := range []int{0, 1, 3, levels + 2} {
		client, _ := memClient(s)
		c := newCrawler(t, Config{Seeds: []string{"http://tree.test/"}, MaxDepth: maxDepth, MaxPages: 1000, Workers: 4, Client: client})
		r := crawl(t, t.Context(), c, 30*time.Second)
		if r.err != nil {
			t.Fatalf("MaxDepth %d: Run: got error %v, want nil", maxDepth, r.err)
		}
		got := map[string]int{}
		for _, p := range r.pages {
			got[p.URL] = p.Depth
		}
		want := map[string]int{}
		for u, d := range depth {
			if d <= maxDepth {
				want[u] = d
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("MaxDepth %d: pages and their depths (-want +got):\n%s", maxDepth, diff)
		}
	}
}

// TestDepthLimitGraph: on a graph with shortcuts the depth a page gets
// depends on which link is found first, but it must always be explained
// by a link, and no page beyond MaxDepth is requested.
func TestDepthLimitGraph(t *testing.T) {
	s := newSite()
	g := generate(s, "graph.test", 400, 2, 3, false)
	client, _ := memClient(s)
	const maxDepth = 3
	c := newCrawler(t, Config{Seeds: []string{"http://graph.test/"}, MaxDepth: maxDepth, MaxPages: 1000, Workers: 8, Client: client})
	r := crawl(t, t.Context(), c, 30*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	pages := byURL(t, r.pages)
	checkDepths(t, pages, []string{g.urls[0]}, maxDepth)
	reachable := 0
	for i, d := range g.dist {
		if d >= 0 && d <= 1 { // depth 0 and 1 are exact in any order
			if _, ok := pages[g.urls[i]]; !ok {
				t.Errorf("page %s at distance %d: not crawled, want it crawled", g.urls[i], d)
			}
		}
		if d >= 0 && d <= maxDepth {
			reachable++
		}
	}
	for u := range s.hitCounts() {
		i := slices.Index(g.urls, u)
		if i < 0 || g.dist[i] > maxDepth {
			t.Errorf("requested %s, which is more than %d links from the seed", u, maxDepth)
		}
	}
	if len(pages) == 0 || len(pages) > reachable {
		t.Errorf("pages crawled: got %d, want 1..%d", len(pages), reachable)
	}
}

func TestMaxPages(t *testing.T) {
	s := newSite()
	generate(s, "big.test", 500, 5, 5, false)
	for _, tc := range []struct{ max, want int }{{1, 1}, {37, 37}, {500, 500}, {10_000, 500}} {
		client, _ := memClient(s)
		before := s.requests()
		c := newCrawler(t, Config{Seeds: []string{"http://big.test/"}, MaxDepth: 1000, MaxPages: tc.max, Workers: 8, Client: client})
		r := crawl(t, t.Context(), c, 30*time.Second)
		if r.err != nil {
			t.Fatalf("MaxPages %d: Run: got error %v, want nil", tc.max, r.err)
		}
		byURL(t, r.pages)
		if len(r.pages) != tc.want || r.stats.Pages != tc.want {
			t.Errorf("MaxPages %d: got %d pages (Stats.Pages %d), want %d", tc.max, len(r.pages), r.stats.Pages, tc.want)
		}
		if got := s.requests() - before; got != tc.want {
			t.Errorf("MaxPages %d: server saw %d requests, want %d", tc.max, got, tc.want)
		}
	}
}

func TestAllowedHosts(t *testing.T) {
	s := newSite()
	s.html("http://a.test/", `<a href="http://b.test/">b</a> <a href="http://c.test/">c</a> <a href="http://a.test:8080/">other port</a>`)
	s.html("http://b.test/", `<a href="/more">more</a> <a href="http://a.test/">back</a>`)
	s.html("http://b.test/more", `nothing`)
	s.html("http://c.test/", `<a href="/more">more</a>`)
	s.html("http://a.test:8080/", `other port`)
	wantLinks := []string{"http://b.test/", "http://c.test/", "http://a.test:8080/"}

	cases := []struct {
		allowed []string
		want    []string
	}{
		{nil, []string{"http://a.test/"}},
		{[]string{"a.test", "B.TEST"}, []string{"http://a.test/", "http://b.test/", "http://b.test/more"}},
		{[]string{"a.test", "a.test:8080"}, []string{"http://a.test/", "http://a.test:8080/"}},
	}
	for _, tc := range cases {
		client, _ := memClient(s)
		before := s.hitCounts()
		c := newCrawler(t, Config{Seeds: []string{"http://a.test/"}, AllowedHosts: tc.allowed, MaxDepth: 5, MaxPages: 100, Workers: 2, Client: client})
		r := crawl(t, t.Context(), c, 30*time.Second)
		if r.err != nil {
			t.Fatalf("AllowedHosts %q: Run: got error %v, want nil", tc.allowed, r.err)
		}
		var got []string
		for _, p := range r.pages {
			got = append(got, p.URL)
			if p.URL == "http://a.test/" {
				if diff := cmp.Diff(wantLinks, p.Links); diff != "" {
					t.Errorf("AllowedHosts %q: Links of the seed (all of them, followed or not) (-want +got):\n%s", tc.allowed, diff)
				}
			}
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("AllowedHosts %q: pages (-want +got):\n%s", tc.allowed, diff)
		}
		var requested []string
		for u, n := range s.hitCounts() {
			if n > before[u] {
				requested = append(requested, u)
			}
		}
		slices.Sort(requested)
		if diff := cmp.Diff(tc.want, requested); diff != "" {
			t.Errorf("AllowedHosts %q: URLs requested (-want +got):\n%s", tc.allowed, diff)
		}
	}
}

// TestPageOutcomes: what a Page says for each kind of answer.
func TestPageOutcomes(t *testing.T) {
	s := newSite()
	s.html("http://site.test/", `
		<a href="/ok">ok</a> <a href="/doc.pdf">pdf</a> <a href="/plain">plain</a>
		<a href="/xhtml">xhtml</a> <a href="/gone">gone</a> <a href="/teapot">teapot</a>
		<a href="/old">moved</a>`)
	s.html("http://site.test/ok", `<a href="/">home</a>`)
	s.add("http://site.test/doc.pdf", &doc{answers: []resp{{ctype: "application/pdf", body: `<a href="/hidden1">x</a>`}}})
	s.add("http://site.test/plain", &doc{answers: []resp{{ctype: "text/plain; charset=utf-8", body: `<a href="/hidden2">x</a>`}}})
	s.add("http://site.test/xhtml", &doc{answers: []resp{{ctype: "application/xhtml+xml; charset=utf-8", body: `<html><a href="/ok">ok</a></html>`}}})
	s.add("http://site.test/gone", &doc{answers: []resp{{status: 404, body: `<a href="/hidden3">x</a>`}}})
	s.add("http://site.test/teapot", &doc{answers: []resp{{status: 418}}})
	s.add("http://site.test/old", &doc{answers: []resp{{status: 301, location: "/new/"}}})
	s.html("http://site.test/new/", `<a href="child">relative to the final URL</a>`)
	s.html("http://site.test/new/child", `leaf`)

	client, tr := memClient(s)
	c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxDepth: 3, MaxPages: 100, Workers: 3, Client: client,
		Retry: RetryPolicy{MaxAttempts: 3}})
	r := crawl(t, t.Context(), c, 30*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	type outcome struct {
		Depth, Status, Attempts, ErrCode int
		Links                            []string
	}
	got := map[string]outcome{}
	for u, p := range byURL(t, r.pages) {
		got[u] = outcome{p.Depth, p.Status, p.Attempts, statusCode(p.Err), p.Links}
		if (p.Err != nil) != (p.Status >= 400) {
			t.Errorf("Page %s: got Status %d and Err %v, want an error exactly for non-2xx", u, p.Status, p.Err)
		}
		if errors.Is(p.Err, ErrExhausted) {
			t.Errorf("Page %s: got Err %v, want no ErrExhausted (4xx is not retried)", u, p.Err)
		}
	}
	S := "http://site.test"
	want := map[string]outcome{
		S + "/":          {0, 200, 1, 0, []string{S + "/ok", S + "/doc.pdf", S + "/plain", S + "/xhtml", S + "/gone", S + "/teapot", S + "/old"}},
		S + "/ok":        {1, 200, 1, 0, []string{S + "/"}},
		S + "/doc.pdf":   {1, 200, 1, 0, nil},
		S + "/plain":     {1, 200, 1, 0, nil},
		S + "/xhtml":     {1, 200, 1, 0, []string{S + "/ok"}},
		S + "/gone":      {1, 404, 1, 404, nil},
		S + "/teapot":    {1, 418, 1, 418, nil},
		S + "/old":       {1, 200, 1, 0, []string{S + "/new/child"}},
		S + "/new/child": {2, 200, 1, 0, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	if o, c := tr.opened.Load(), tr.closed.Load(); o != c {
		t.Errorf("response bodies: got %d opened and %d closed, want all closed", o, c)
	}
}

// TestMaxBody: a body is read up to MaxBody bytes; links beyond are lost
// and that is not an error.
func TestMaxBody(t *testing.T) {
	big := func(cut int) string {
		var b strings.Builder
		b.WriteString(`<html><body><a href="/early">early</a>`)
		for b.Len() < cut {
			b.WriteString("<p>padding padding padding padding padding padding</p>\n")
		}
		b.WriteString(`<a href="/late">late</a>`)
		for b.Len() < 4*cut {
			b.WriteString("<p>more padding more padding more padding</p>\n")
		}
		return b.String()
	}
	for _, tc := range []struct {
		maxBody, cut int64 // cut: where /late sits
	}{{64 << 10, 200 << 10}, {0, 1536 << 10}} {
		s := newSite()
		s.html("http://site.test/", big(int(tc.cut)))
		client, tr := memClient(s)
		c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxDepth: 0, MaxPages: 10, Workers: 1, Client: client, MaxBody: tc.maxBody})
		r := crawl(t, t.Context(), c, 30*time.Second)
		if r.err != nil || len(r.pages) != 1 {
			t.Fatalf("MaxBody %d: Run: got %d pages and error %v, want 1 page and nil", tc.maxBody, len(r.pages), r.err)
		}
		p := r.pages[0]
		if p.Err != nil || p.Status != 200 {
			t.Errorf("MaxBody %d: got Status %d, Err %v, want 200 and nil (truncation is not an error)", tc.maxBody, p.Status, p.Err)
		}
		if diff := cmp.Diff([]string{"http://site.test/early"}, p.Links); diff != "" {
			t.Errorf("MaxBody %d: Links (-want +got):\n%s", tc.maxBody, diff)
		}
		limit := tc.maxBody
		if limit == 0 {
			limit = 1 << 20
		}
		if got := tr.maxRead.Load(); got > limit+64<<10 {
			t.Errorf("MaxBody %d: got %d body bytes read, want at most %d (+64 KiB of buffering)", tc.maxBody, got, limit)
		}
		if o, c := tr.opened.Load(), tr.closed.Load(); o != c {
			t.Errorf("MaxBody %d: response bodies: got %d opened and %d closed, want all closed", tc.maxBody, o, c)
		}
	}
}

// TestBodiesClosed: every response body is closed, whatever the answer:
// success, retries, 404, exhaustion, non-HTML, redirect.
func TestBodiesClosed(t *testing.T) {
	s := newSite()
	s.html("http://site.test/", `<a href="/a">a</a><a href="/b">b</a><a href="/c">c</a><a href="/d">d</a><a href="/e">e</a><a href="/f">f</a>`)
	s.add("http://site.test/a", &doc{answers: []resp{{status: 503, body: "busy"}, {status: 500, body: "oops"}, {body: "ok"}}})
	s.add("http://site.test/b", &doc{answers: []resp{{status: 404, body: "not here"}}})
	s.add("http://site.test/c", &doc{answers: []resp{{status: 502, body: "bad gateway"}}})
	s.add("http://site.test/d", &doc{answers: []resp{{ctype: "image/png", body: "\x89PNG"}}})
	s.add("http://site.test/e", &doc{answers: []resp{{status: 302, location: "/a"}}})
	s.add("http://site.test/f", &doc{answers: []resp{{status: 429, body: "slow down"}, {body: "ok"}}})
	client, tr := memClient(s)
	c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxDepth: 2, MaxPages: 100, Workers: 4, Client: client,
		Retry: RetryPolicy{MaxAttempts: 3, Base: time.Millisecond, Max: 2 * time.Millisecond}})
	r := crawl(t, t.Context(), c, 30*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	if len(r.pages) != 7 {
		t.Errorf("pages: got %d, want 7", len(r.pages))
	}
	o, cl := tr.opened.Load(), tr.closed.Load()
	if o < 10 {
		t.Errorf("response bodies opened: got %d, want at least 10 (did the crawl run?)", o)
	}
	if o != cl {
		t.Errorf("response bodies: got %d opened and %d closed, want every one closed", o, cl)
	}
}

// TestWorkersBound: the server never sees more than Workers requests at
// once, and does see that many (the pool is really used).
func TestWorkersBound(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 80
	}
	const workers = 3
	lb := newLoopback(t)
	generate(lb.site, lb.host, n, 6, 9, false)
	// Until the pool has been seen full once, the first few requests wait
	// (a little) for the others, so a full pool is seen even on a busy
	// machine. A crawler that fetches one page at a time waits in vain.
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	active, waited, full := 0, 0, false
	lb.gate = func(r *http.Request) {
		mu.Lock()
		active++
		if active >= workers {
			full = true
			cond.Broadcast()
		}
		if r.URL.Path != "/" && !full && waited < 5 {
			waited++
			deadline := time.AfterFunc(300*time.Millisecond, func() {
				mu.Lock()
				defer mu.Unlock()
				cond.Broadcast()
			})
			start := time.Now()
			for !full && time.Since(start) < 300*time.Millisecond {
				cond.Wait()
			}
			deadline.Stop()
		}
		active--
		mu.Unlock()
		time.Sleep(time.Millisecond)
	}
	c := newCrawler(t, Config{Seeds: []string{lb.base}, MaxDepth: n, MaxPages: n, Workers: workers, Client: lb.client})
	r := crawl(t, t.Context(), c, 60*time.Second)
	if r.err != nil {
		t.Fatalf("Run: got error %v, want nil", r.err)
	}
	if len(r.pages) != n {
		t.Errorf("pages: got %d, want %d", len(r.pages), n)
	}
	if got := lb.peakActive(); got != workers {
		t.Errorf("most requests in flight at once: got %d, want %d (Workers)", got, workers)
	}
}

// TestRunEdgeCases: a nil channel is an error, a done context ends the
// crawl at once, and a Crawler can run twice.
func TestRunEdgeCases(t *testing.T) {
	s := newSite()
	generate(s, "site.test", 20, 2, 11, false)
	client, _ := memClient(s)
	c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxDepth: 100, MaxPages: 100, Workers: 2, Client: client})

	done := make(chan error, 1)
	go func() {
		_, err := c.Run(t.Context(), nil)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("Run(ctx, nil): got nil error, want an error")
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("Run(ctx, nil): no return after 10s, want an error at once")
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := crawl(t, ctx, c, 10*time.Second)
	if !errors.Is(r.err, context.Canceled) {
		t.Errorf("Run(canceled ctx): got error %v, want context.Canceled", r.err)
	}

	for i := range 2 {
		r := crawl(t, t.Context(), c, 30*time.Second)
		if r.err != nil || len(r.pages) != 20 {
			t.Errorf("Run #%d: got %d pages and error %v, want 20 and nil (each Run is a fresh crawl)", i+1, len(r.pages), r.err)
		}
	}
}
