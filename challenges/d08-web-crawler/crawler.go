// Package crawler is a concurrent web crawler: a bounded pool of workers
// fetches pages from a set of seeds within allowed hosts, up to a depth and
// a page budget, with per-host rate limits, retries with exponential
// backoff and full jitter, and prompt cancellation.
package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	// TODO: the validated configuration, with the defaults filled in.
}

// New validates cfg and returns a Crawler. Every error wraps
// ErrInvalidConfig.
func New(cfg Config) (*Crawler, error) {
	// TODO: validate every field (see the README for the rules), fill in the
	// defaults, normalise the seeds and the allowed hosts.
	return nil, ErrNotImplemented
}

// Run crawls from the seeds, sends one Page per requested URL on out, and
// closes out when it returns. It returns nil once every reachable page
// within the limits has been sent, or ctx.Err() if ctx ends first.
func (c *Crawler) Run(ctx context.Context, out chan<- Page) (Stats, error) {
	// TODO: a bounded pool of workers, a frontier, a visited set, one rate
	// limiter per host, retries with backoff, and a way to tell that the
	// crawl is over. Never leave a goroutine behind.
	if out != nil {
		close(out)
	}
	return Stats{}, ErrNotImplemented
}
