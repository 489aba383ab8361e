// Package crawler is a concurrent web crawler: a bounded pool of workers
// fetches pages from a set of seeds within allowed hosts, up to a depth and
// a page budget, with per-host rate limits, retries with exponential
// backoff and full jitter, and prompt cancellation.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ErrNotImplemented is returned by the starter code. Delete it when done.
var ErrNotImplemented = errors.New("crawler: not implemented")

// ErrInvalidConfig is wrapped by every error New returns.
var ErrInvalidConfig = errors.New("crawler: invalid config")

// ErrExhausted is wrapped by Page.Err when every attempt failed with a
// retryable error; the last attempt's error is wrapped too.
var ErrExhausted = errors.New("crawler: retries exhausted")

// StatusError is a final HTTP status outside 2xx.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("crawler: HTTP %d %s", e.Code, http.StatusText(e.Code))
}

// RetryPolicy says how often and how patiently a URL is retried.
type RetryPolicy struct {
	// MaxAttempts is the number of requests per URL in total, >= 0;
	// 0 means 1 (no retry).
	MaxAttempts int
	// Before retry n (n = 1 after the first failure) the crawler waits
	// Rand() * min(Max, Base * 2^(n-1)), or the response's Retry-After if
	// that is longer. Base, Max >= 0; Max == 0: no cap.
	Base, Max time.Duration
	// Rand returns a number in [0, 1). It is called from several goroutines
	// at once. nil: math/rand/v2.Float64.
	Rand func() float64
}

// Config configures a Crawler. See New for the defaults and the rules.
type Config struct {
	Seeds        []string     // absolute http(s) URLs, fetched at depth 0
	AllowedHosts []string     // host or host:port as in a normalised URL; empty: the seeds' hosts
	MaxDepth     int          // >= 0: links on a page at depth d are followed if d+1 <= MaxDepth
	MaxPages     int          // > 0: at most this many URLs are requested
	Workers      int          // > 0: fetches in flight at most
	PerHost      rate.Limit   // requests per second to one host, >= 0; 0: unlimited
	Burst        int          // the per-host limiter's burst, >= 0; 0 means 1
	Retry        RetryPolicy  // retries of 429, 5xx and transport errors
	Client       *http.Client // nil: a client with a 30 s timeout
	MaxBody      int64        // bytes of a body read at most, >= 0; 0: 1 MiB
}

// Page is the outcome of one URL.
type Page struct {
	URL      string   // the normalised URL requested
	Depth    int      // 0 for a seed
	Status   int      // status code of the last response; 0 if none came
	Attempts int      // requests made for this URL
	Links    []string // ExtractLinks of a 2xx HTML body, or nil
	Err      error    // nil, a *StatusError, or an error wrapping ErrExhausted
}

// Stats summarises a Run.
type Stats struct {
	Pages    int // pages sent on out
	Failed   int // pages sent on out with a non-nil Err
	Requests int // HTTP requests made, retries included
}

// Crawler crawls the web as its Config says. Each Run is an independent
// crawl; a Crawler may run several at once.
type Crawler struct {
	seeds    []string
	allowed  map[string]bool
	maxDepth int
	maxPages int
	workers  int
	perHost  rate.Limit
	burst    int
	retry    RetryPolicy
	client   *http.Client
	maxBody  int64
}

// New validates cfg and returns a Crawler. Every error wraps
// ErrInvalidConfig.
func New(cfg Config) (*Crawler, error) {
	bad := func(format string, args ...any) (*Crawler, error) {
		return nil, fmt.Errorf("%w: %s", ErrInvalidConfig, fmt.Sprintf(format, args...))
	}
	switch {
	case len(cfg.Seeds) == 0:
		return bad("no seeds")
	case cfg.MaxDepth < 0:
		return bad("MaxDepth %d < 0", cfg.MaxDepth)
	case cfg.MaxPages <= 0:
		return bad("MaxPages %d <= 0", cfg.MaxPages)
	case cfg.Workers <= 0:
		return bad("Workers %d <= 0", cfg.Workers)
	case cfg.PerHost < 0 || math.IsNaN(float64(cfg.PerHost)):
		return bad("PerHost %v < 0", cfg.PerHost)
	case cfg.Burst < 0:
		return bad("Burst %d < 0", cfg.Burst)
	case cfg.MaxBody < 0:
		return bad("MaxBody %d < 0", cfg.MaxBody)
	case cfg.Retry.MaxAttempts < 0:
		return bad("Retry.MaxAttempts %d < 0", cfg.Retry.MaxAttempts)
	case cfg.Retry.Base < 0 || cfg.Retry.Max < 0:
		return bad("negative Retry.Base or Retry.Max")
	case cfg.Retry.Max > 0 && cfg.Retry.Max < cfg.Retry.Base:
		return bad("Retry.Max %v < Retry.Base %v", cfg.Retry.Max, cfg.Retry.Base)
	}
	c := &Crawler{
		allowed:  make(map[string]bool),
		maxDepth: cfg.MaxDepth,
		maxPages: cfg.MaxPages,
		workers:  cfg.Workers,
		perHost:  cfg.PerHost,
		burst:    max(cfg.Burst, 1),
		retry:    cfg.Retry,
		client:   cfg.Client,
		maxBody:  cfg.MaxBody,
	}
	if c.perHost == 0 {
		c.perHost = rate.Inf
	}
	if c.retry.MaxAttempts == 0 {
		c.retry.MaxAttempts = 1
	}
	if c.retry.Rand == nil {
		c.retry.Rand = rand.Float64
	}
	if c.client == nil {
		c.client = &http.Client{Timeout: 30 * time.Second}
	}
	if c.maxBody == 0 {
		c.maxBody = 1 << 20
	}
	for _, h := range cfg.AllowedHosts {
		h = strings.ToLower(strings.TrimSuffix(h, ":"))
		if h == "" || strings.ContainsAny(h, "/@?# ") {
			return bad("allowed host %q", h)
		}
		c.allowed[h] = true
	}
	restrict := len(c.allowed) > 0
	for _, s := range cfg.Seeds {
		u, ok := Normalize(nil, s)
		if !ok {
			return bad("seed %q is not an absolute http(s) URL", s)
		}
		h := hostOf(u)
		if restrict && !c.allowed[h] {
			return bad("seed %q is outside AllowedHosts", s)
		}
		c.allowed[h] = c.allowed[h] || !restrict
		if !slices.Contains(c.seeds, u) {
			c.seeds = append(c.seeds, u)
		}
	}
	return c, nil
}

// hostOf returns the host of a URL returned by Normalize: what lies between
// "://" and the path, which is never empty.
func hostOf(u string) string {
	rest := u[strings.Index(u, "://")+3:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}

type job struct {
	url   string
	depth int
	lim   *rate.Limiter
}

type result struct {
	page     Page
	requests int
}

// Run crawls from the seeds, sends one Page per requested URL on out, and
// closes out when it returns. It returns nil once every reachable page
// within the limits has been sent, or ctx.Err() if ctx ends first.
func (c *Crawler) Run(ctx context.Context, out chan<- Page) (Stats, error) {
	var st Stats
	if out == nil {
		return st, errors.New("crawler: Run with a nil out channel")
	}
	defer close(out) // runs last: after every worker has returned

	ctx, cancel := context.WithCancel(ctx)
	jobs := make(chan job)
	results := make(chan result)
	var wg sync.WaitGroup
	for range c.workers {
		wg.Go(func() { c.worker(ctx, jobs, results) })
	}
	defer wg.Wait()
	defer cancel()

	// The coordinator (this goroutine) owns all crawl state: no locks. It
	// never blocks on a worker: every send and receive sits in one select,
	// and the frontier and the outbox are unbounded local queues.
	var (
		front    frontier
		visited  = make(map[string]struct{}) // every URL ever queued
		limiters = make(map[string]*rate.Limiter)
		outbox   []Page
		pending  int // jobs handed to workers and not yet returned
	)
	enqueue := func(u string, depth int) {
		if _, ok := visited[u]; ok || len(visited) >= c.maxPages {
			return
		}
		h := hostOf(u)
		if !c.allowed[h] {
			return
		}
		visited[u] = struct{}{}
		lim := limiters[h]
		if lim == nil {
			lim = rate.NewLimiter(c.perHost, c.burst)
			limiters[h] = lim
		}
		front.push(h, job{url: u, depth: depth, lim: lim})
	}
	for _, s := range c.seeds {
		enqueue(s, 0)
	}

	for {
		// Outstanding work, not an empty channel, says when we are done.
		if pending == 0 && front.len() == 0 && len(outbox) == 0 {
			return st, nil
		}
		var jobC chan<- job
		var next job
		if front.len() > 0 {
			jobC, next = jobs, front.peek()
		}
		var outC chan<- Page
		var p Page
		if len(outbox) > 0 {
			outC, p = out, outbox[0]
		}
		select {
		case jobC <- next:
			front.pop()
			pending++
		case r := <-results:
			pending--
			st.Requests += r.requests
			outbox = append(outbox, r.page)
			if r.page.Depth < c.maxDepth {
				for _, l := range r.page.Links {
					enqueue(l, r.page.Depth+1)
				}
			}
		case outC <- p:
			outbox[0] = Page{}
			outbox = outbox[1:]
			st.Pages++
			if p.Err != nil {
				st.Failed++
			}
		case <-ctx.Done():
			return st, ctx.Err()
		}
	}
}

func (c *Crawler) worker(ctx context.Context, jobs <-chan job, results chan<- result) {
	for {
		select {
		case j := <-jobs:
			p, n, ok := c.fetch(ctx, j)
			if !ok {
				return // ctx is done
			}
			select {
			case results <- result{p, n}:
			case <-ctx.Done():
				return
			}
		case <-ctx.Done():
			return
		}
	}
}

// fetch requests j.url until it succeeds, fails for good, or runs out of
// attempts. It reports false, and no page, if ctx ended first.
func (c *Crawler) fetch(ctx context.Context, j job) (p Page, requests int, ok bool) {
	p = Page{URL: j.url, Depth: j.depth}
	for {
		if !sleep(ctx, j.lim.Reserve()) {
			return p, p.Attempts, false
		}
		p.Attempts++
		status, links, retryAfter, err := c.attempt(ctx, j.url)
		p.Status = status
		if ctx.Err() != nil {
			return p, p.Attempts, false
		}
		if err == nil {
			p.Links = links
			return p, p.Attempts, true
		}
		if se, isStatus := errors.AsType[*StatusError](err); isStatus && !retryable(se.Code) {
			p.Err = err
			return p, p.Attempts, true
		}
		if p.Attempts >= c.retry.MaxAttempts {
			p.Err = fmt.Errorf("%w after %d attempts: %w", ErrExhausted, p.Attempts, err)
			return p, p.Attempts, true
		}
		d := max(c.backoff(p.Attempts), retryAfter)
		if !sleep(ctx, delay(d)) {
			return p, p.Attempts, false
		}
	}
}

func retryable(code int) bool {
	return code == http.StatusTooManyRequests || code >= 500
}

// attempt makes one request. err is a *StatusError for a status outside
// 2xx, or the transport's (or the body's) error.
func (c *Crawler) attempt(ctx context.Context, u string) (status int, links []string, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, 0, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, 0, err
	}
	defer resp.Body.Close() // on every path, whatever the status
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, nil, parseRetryAfter(resp.Header.Get("Retry-After")), &StatusError{Code: resp.StatusCode}
	}
	if !isHTML(resp.Header.Get("Content-Type")) {
		return resp.StatusCode, nil, 0, nil
	}
	base := req.URL
	if resp.Request != nil && resp.Request.URL != nil {
		base = resp.Request.URL // after redirects: where the document really is
	}
	links, err = ExtractLinks(base, io.LimitReader(resp.Body, c.maxBody))
	if err != nil {
		return resp.StatusCode, nil, 0, err
	}
	return resp.StatusCode, links, 0, nil
}

func isHTML(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "text/html" || mt == "application/xhtml+xml")
}

// parseRetryAfter reads delay-seconds or an HTTP-date; 0 if absent or bad.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > math.MaxInt64/int64(time.Second) {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// backoff is the full-jitter delay before retry n (n >= 1).
func (c *Crawler) backoff(n int) time.Duration {
	d := c.retry.Base
	for i := 1; i < n && d > 0; i++ {
		if c.retry.Max > 0 && d >= c.retry.Max || d > math.MaxInt64/2 {
			break
		}
		d *= 2
	}
	if c.retry.Max > 0 {
		d = min(d, c.retry.Max)
	}
	return time.Duration(c.retry.Rand() * float64(d))
}

// waiter is what sleep waits for: a limiter's reservation or a plain delay.
type waiter interface {
	Delay() time.Duration
	Cancel()
}

type delay time.Duration

func (d delay) Delay() time.Duration { return time.Duration(d) }
func (delay) Cancel()                {}

// sleep waits out w's delay unless ctx ends first (then it gives the
// reservation back and reports false). Never time.Sleep: a crawl must stop
// when it is told to.
func sleep(ctx context.Context, w waiter) bool {
	d := w.Delay()
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		w.Cancel()
		return false
	}
}

// frontier holds the URLs waiting to be fetched, one FIFO per host, served
// round-robin: a host that is waiting on its rate limit gets one worker in
// turn, not every worker, so other hosts keep moving.
type frontier struct {
	queues map[string][]job
	ring   []string // hosts with queued jobs
	at     int      // the ring position served next
	n      int
}

func (f *frontier) len() int { return f.n }

func (f *frontier) push(host string, j job) {
	if f.queues == nil {
		f.queues = make(map[string][]job)
	}
	q := f.queues[host]
	if len(q) == 0 {
		f.ring = append(f.ring, host)
	}
	f.queues[host] = append(q, j)
	f.n++
}

func (f *frontier) peek() job {
	return f.queues[f.ring[f.at]][0]
}

func (f *frontier) pop() {
	host := f.ring[f.at]
	q := f.queues[host]
	q[0] = job{}
	q = q[1:]
	f.n--
	if len(q) == 0 {
		delete(f.queues, host)
		f.ring = slices.Delete(f.ring, f.at, f.at+1)
	} else {
		f.queues[host] = q
		f.at++
	}
	if f.at >= len(f.ring) {
		f.at = 0
	}
}
