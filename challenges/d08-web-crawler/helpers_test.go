package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// This file is the test bench: a web site generator behind fault injection,
// served by a loopback httptest server or by an in-memory RoundTripper, and
// a few helpers. Nothing here is part of the API you implement.

// resp is one scripted answer.
type resp struct {
	status     int    // 0: 200
	ctype      string // "": text/html; charset=utf-8
	body       string
	retryAfter string // Retry-After header, if set
	// retryIn, if set: Retry-After as an HTTP-date this long after now.
	retryIn  time.Duration
	location string // Location header, if set
}

// doc is one URL of a site: its answers, in order (the last one repeats).
type doc struct {
	answers []resp
	// delay: the handler waits this long (or until the request is
	// canceled) before answering.
	delay time.Duration
	// links: the canonical links a crawler must report for this page, in
	// order ("" entries are hrefs that Normalize rejects). Used by the
	// generated sites to compute the expected Page.Links.
	links []string
}

// hit is one request the site answered.
type hit struct {
	URL string // "http://" + Host + RequestURI, as the server saw it
	At  time.Time
}

// site serves docs keyed by "http://host/path?query" and records every
// request. It is safe for concurrent use.
type site struct {
	mu     sync.Mutex
	docs   map[string]*doc
	hits   []hit
	count  map[string]int
	active int // handlers running
	peak   int // most handlers running at once
	// gate, if set, runs at the start of every request (outside mu).
	gate func(r *http.Request)
	// quiet: record nothing and take no lock (benchmarks; set before use,
	// with no add afterwards).
	quiet bool
}

func newSite() *site {
	return &site{docs: make(map[string]*doc), count: make(map[string]int)}
}

// add registers a document at an absolute canonical URL.
func (s *site) add(u string, d *doc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[u] = d
}

// html registers a 200 text/html page with the given body.
func (s *site) html(u, body string) {
	s.add(u, &doc{answers: []resp{{body: body}}})
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := "http://" + r.Host + r.URL.RequestURI()
	if s.quiet {
		d := s.docs[key]
		if d == nil {
			http.NotFound(w, r)
			return
		}
		a := d.answers[0]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(cmp0(a.status, http.StatusOK))
		io.WriteString(w, a.body)
		return
	}
	s.mu.Lock()
	d := s.docs[key]
	n := s.count[key]
	s.count[key]++
	s.hits = append(s.hits, hit{URL: key, At: time.Now()})
	s.active++
	s.peak = max(s.peak, s.active)
	gate := s.gate
	s.mu.Unlock()
	// The request stops counting as active before the response is written:
	// a client cannot have seen it (and started its next request) before.
	left := false
	leave := func() {
		if !left {
			left = true
			s.mu.Lock()
			s.active--
			s.mu.Unlock()
		}
	}
	defer leave()
	if gate != nil {
		gate(r)
	}
	if d != nil && d.delay > 0 {
		t := time.NewTimer(d.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
	}
	leave()
	if d == nil {
		http.NotFound(w, r)
		return
	}
	a := d.answers[min(n, len(d.answers)-1)]
	ct := a.ctype
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	if a.retryIn > 0 {
		w.Header().Set("Retry-After", time.Now().Add(a.retryIn).UTC().Format(http.TimeFormat))
	}
	if a.location != "" {
		w.Header().Set("Location", a.location)
	}
	w.WriteHeader(cmp0(a.status, http.StatusOK))
	io.WriteString(w, a.body)
}

func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// hitCounts returns how many requests each URL received.
func (s *site) hitCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.count))
	for k, v := range s.count {
		out[k] = v
	}
	return out
}

// hitsOf returns the requests whose URL starts with prefix, in order.
func (s *site) hitsOf(prefix string) []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hit
	for _, h := range s.hits {
		if strings.HasPrefix(h.URL, prefix) {
			out = append(out, h)
		}
	}
	return out
}

func (s *site) requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hits)
}

func (s *site) peakActive() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// ---- in-memory transport ----

// memTransport calls a handler in the requesting goroutine: no sockets, so
// it works inside a synctest bubble. It tracks every response body.
type memTransport struct {
	h      http.Handler
	fail   func(*http.Request) error // if set and non-nil: a transport error
	opened atomic.Int64              // response bodies handed out
	closed atomic.Int64              // of those, closed
	read   atomic.Int64              // body bytes read by the client
	// maxRead is the most bytes read from one body.
	maxRead atomic.Int64
}

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t.fail != nil {
		if err := t.fail(req); err != nil {
			return nil, err
		}
	}
	sr := req.Clone(ctx)
	sr.Host = req.URL.Host
	sr.RequestURI = req.URL.RequestURI()
	sr.RemoteAddr = "127.0.0.1:1"
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, sr)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := rec.Result()
	res.Request = req
	t.opened.Add(1)
	res.Body = &trackedBody{t: t, data: rec.Body.Bytes()}
	return res, nil
}

type trackedBody struct {
	t      *memTransport
	data   []byte
	off    int
	closed atomic.Bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	if b.closed.Load() {
		return 0, errors.New("test transport: read after Close")
	}
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	b.t.read.Add(int64(n))
	for {
		m := b.t.maxRead.Load()
		if int64(b.off) <= m || b.t.maxRead.CompareAndSwap(m, int64(b.off)) {
			break
		}
	}
	return n, nil
}

func (b *trackedBody) Close() error {
	if b.closed.CompareAndSwap(false, true) {
		b.t.closed.Add(1)
	}
	return nil
}

// memClient is a client over an in-memory transport for s.
func memClient(s http.Handler) (*http.Client, *memTransport) {
	t := &memTransport{h: s}
	// No Timeout: with one, the client starts a goroutine per request that
	// lives until the body is closed.
	return &http.Client{Transport: t}, t
}

// ---- loopback server ----

// loopback is a site served by httptest on 127.0.0.1. Its client refuses
// every other host, so a crawler that strays never leaves the machine.
type loopback struct {
	*site
	srv    *httptest.Server
	host   string // 127.0.0.1:port
	base   string // http://127.0.0.1:port
	client *http.Client
	stray  atomic.Int64 // requests to other hosts, refused
}

func newLoopback(t *testing.T) *loopback {
	t.Helper()
	s := newSite()
	srv := httptest.NewUnstartedServer(s)
	lb := &loopback{site: s, srv: srv, host: srv.Listener.Addr().String()}
	lb.base = "http://" + lb.host
	srv.Start()
	t.Cleanup(srv.Close)
	tr := srv.Client().Transport
	lb.client = &http.Client{Timeout: 20 * time.Second, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Host != lb.host {
			lb.stray.Add(1)
			return nil, fmt.Errorf("test client: refusing %s (not the test server)", r.URL)
		}
		return tr.RoundTrip(r)
	})}
	return lb
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// timeoutError is a transport error that says it is a timeout.
type timeoutError struct{}

func (timeoutError) Error() string   { return "test transport: i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

var _ net.Error = timeoutError{}

// ---- generated sites ----

// genSite describes a generated site: n pages at /p/0 ... (page 0 is "/")
// linking to each other in every equivalent form a crawler must see
// through, plus links it must not follow.
type genSite struct {
	host  string   // as in canonical URLs
	urls  []string // canonical URL of page i
	dist  []int    // BFS distance of page i from page 0
	extra []string // canonical URLs of the non-page documents (pdf, 404, 503s)
	// attempts: requests each URL needs (2 for a 503-then-200 page).
	attempts map[string]int
	// status: the final status of each URL.
	status map[string]int
	// want: the Links each URL's Page must report (nil for non-HTML).
	want map[string][]string
}

func pageURL(host string, i int) string {
	if i == 0 {
		return "http://" + host + "/"
	}
	return "http://" + host + "/p/" + strconv.Itoa(i)
}

// href writes a link from page `from` to page `to` in form f.
func href(host string, from, to, f int) string {
	path := "/p/" + strconv.Itoa(to)
	if to == 0 {
		switch f % 3 {
		case 0:
			return "/"
		case 1:
			return "http://" + host
		default:
			return "/#top"
		}
	}
	switch f % 8 {
	case 0:
		return path
	case 1:
		return path + "#section-" + strconv.Itoa(from)
	case 2:
		return "/p/x/../" + strconv.Itoa(to)
	case 3: // relative to /p/from (or to "/" for page 0)
		if from == 0 {
			return "p/" + strconv.Itoa(to)
		}
		return strconv.Itoa(to)
	case 4:
		return "HTTP://" + strings.ToUpper(host) + path
	case 5:
		if from == 0 {
			return "./p/" + strconv.Itoa(to)
		}
		return "../p/./" + strconv.Itoa(to)
	case 6:
		return "\n  " + path + "  "
	default:
		return "//" + host + path
	}
}

// generate builds an n-page site on host and registers it with s. Links
// per page: the next page (so everything is reachable), `fan` random pages,
// a few that must not be followed. faults adds 503s, 404s and PDFs.
func generate(s *site, host string, n, fan int, seed uint64, faults bool) *genSite {
	g := &genSite{host: host, attempts: map[string]int{}, status: map[string]int{}, want: map[string][]string{}}
	rng := rand.New(rand.NewPCG(seed, 7))
	adj := make([][]int, n)
	for i := range n {
		g.urls = append(g.urls, pageURL(host, i))
	}
	for i := range n {
		var b strings.Builder
		var links []string
		addLink := func(h, canon string) {
			fmt.Fprintf(&b, "<li><a class=\"x\" href=\"%s\">link</a></li>\n", escapeAttr(h))
			if canon != "" && !slices.Contains(links, canon) {
				links = append(links, canon)
			}
		}
		b.WriteString("<!doctype html>\n<html><head><title>page " + strconv.Itoa(i) + "</title>")
		b.WriteString(`<link rel="stylesheet" href="/style.css"></head><body><h1>Page ` + strconv.Itoa(i) + "</h1>\n")
		b.WriteString("<p>" + strings.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 6) + "</p>\n<ul>\n")
		targets := []int{(i + 1) % n}
		for range fan {
			targets = append(targets, rng.IntN(n))
		}
		for _, to := range targets {
			adj[i] = append(adj[i], to)
			addLink(href(host, i, to, rng.IntN(8)), g.urls[to])
		}
		// Never followed: other schemes, an off-site host, a bare fragment.
		switch i % 4 {
		case 0:
			addLink("mailto:webmaster@"+host, "")
		case 1:
			addLink("javascript:void(0)", "")
		case 2:
			addLink("http://offsite.test/from/"+strconv.Itoa(i), "http://offsite.test/from/"+strconv.Itoa(i))
		default:
			addLink("#top", g.urls[i])
		}
		b.WriteString(`<a name="anchor-without-href">x</a><img src="/img.png">` + "\n")
		if faults && i%25 == 7 {
			u := "http://" + host + "/files/" + strconv.Itoa(i) + ".pdf"
			addLink("/files/"+strconv.Itoa(i)+".pdf", u)
			s.add(u, &doc{answers: []resp{{ctype: "application/pdf", body: `%PDF-1.4 <a href="/p/1">not html</a>`}}})
			g.extra = append(g.extra, u)
			g.attempts[u], g.status[u], g.want[u] = 1, 200, nil
		}
		if faults && i%25 == 13 {
			u := "http://" + host + "/missing/" + strconv.Itoa(i)
			addLink("/missing/"+strconv.Itoa(i), u)
			g.extra = append(g.extra, u)
			g.attempts[u], g.status[u], g.want[u] = 1, 404, nil
		}
		b.WriteString("</ul>" + strings.Repeat("<p>filler text &amp; more filler</p>\n", 10) + "</body></html>\n")
		d := &doc{answers: []resp{{body: b.String()}}, links: links}
		g.attempts[g.urls[i]], g.status[g.urls[i]], g.want[g.urls[i]] = 1, 200, links
		if faults && i%10 == 3 {
			d.answers = []resp{{status: http.StatusServiceUnavailable, retryAfter: "0"}, d.answers[0]}
			g.attempts[g.urls[i]] = 2
		}
		s.add(g.urls[i], d)
	}
	g.dist = bfs(adj)
	return g
}

func escapeAttr(s string) string {
	return strings.NewReplacer(`&`, "&amp;", `"`, "&quot;", "<", "&lt;").Replace(s)
}

func bfs(adj [][]int) []int {
	dist := make([]int, len(adj))
	for i := range dist {
		dist[i] = -1
	}
	dist[0] = 0
	q := []int{0}
	for len(q) > 0 {
		v := q[0]
		q = q[1:]
		for _, w := range adj[v] {
			if dist[w] < 0 {
				dist[w] = dist[v] + 1
				q = append(q, w)
			}
		}
	}
	return dist
}

// all returns every URL of the site a full crawl must request.
func (g *genSite) all() []string {
	return append(slices.Clone(g.urls), g.extra...)
}

// ---- running a crawl ----

// crawlResult is everything one Run produced.
type crawlResult struct {
	pages []Page
	stats Stats
	err   error
}

// crawl runs c until Run returns and collects every page. It fails the test
// (instead of hanging) if Run does not return and close out within limit;
// inside a synctest bubble the limit is on the fake clock.
func crawl(t *testing.T, ctx context.Context, c *Crawler, limit time.Duration) crawlResult {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make(chan Page)
	done := make(chan crawlResult, 1)
	go func() {
		st, err := c.Run(ctx, out)
		done <- crawlResult{stats: st, err: err}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	var pages []Page
	for out != nil {
		select {
		case p, ok := <-out:
			if !ok {
				out = nil
				continue
			}
			pages = append(pages, p)
		case <-timer.C:
			// Give up, but let Run end before failing: a goroutine left
			// behind would hide this failure behind a leak (or, in a
			// synctest bubble, a deadlock panic).
			cancel()
			go func() {
				for range out {
				}
			}()
			waitDone(done, limit)
			t.Fatalf("Run: out not closed after %v (got %d pages so far), want the crawl to end", limit, len(pages))
		}
	}
	select {
	case r := <-done:
		r.pages = pages
		return r
	case <-timer.C:
		cancel()
		waitDone(done, limit)
		t.Fatalf("Run: closed out but did not return within %v", limit)
	}
	return crawlResult{}
}

func waitDone(done <-chan crawlResult, limit time.Duration) {
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// newCrawler calls New and stops the test if it fails.
func newCrawler(t *testing.T, cfg Config) *Crawler {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: got error %v, want nil", err)
	}
	if c == nil {
		t.Fatalf("New: got a nil *Crawler and a nil error")
	}
	return c
}

// byURL indexes pages by URL and reports URLs that came more than once.
func byURL(t *testing.T, pages []Page) map[string]Page {
	t.Helper()
	m := make(map[string]Page, len(pages))
	for _, p := range pages {
		if _, dup := m[p.URL]; dup {
			t.Errorf("Page %s: got it twice on out, want each URL once", p.URL)
		}
		m[p.URL] = p
	}
	return m
}

// checkDepths checks that every page's Depth is explained by a page one
// level up that links to it (or that it is a seed at depth 0), and that no
// page is deeper than maxDepth.
func checkDepths(t *testing.T, pages map[string]Page, seeds []string, maxDepth int) {
	t.Helper()
	linkedAt := map[string][]int{}
	for _, p := range pages {
		for _, l := range p.Links {
			linkedAt[l] = append(linkedAt[l], p.Depth)
		}
	}
	for u, p := range pages {
		if p.Depth > maxDepth || p.Depth < 0 {
			t.Errorf("Page %s: got Depth %d, want 0..%d", u, p.Depth, maxDepth)
			continue
		}
		if p.Depth == 0 {
			if !slices.Contains(seeds, u) {
				t.Errorf("Page %s: got Depth 0, but it is not a seed", u)
			}
			continue
		}
		if !slices.Contains(linkedAt[u], p.Depth-1) {
			t.Errorf("Page %s: got Depth %d, but no page at depth %d links to it (linked from depths %v)", u, p.Depth, p.Depth-1, linkedAt[u])
		}
	}
}

// statusCode extracts the *StatusError code from err, or 0.
func statusCode(err error) int {
	var se *StatusError
	if errors.As(err, &se) && se != nil {
		return se.Code
	}
	return 0
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// half is a Rand that always returns 0.5, so backoff delays are exact.
func half() float64 { return 0.5 }
