package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Every test in this file runs inside a synctest bubble over the in-memory
// transport: time is fake, so the delays below cost nothing and are exact.

// offsets returns the times of hits relative to start.
func offsets(hits []hit, start time.Time) []time.Duration {
	var out []time.Duration
	for _, h := range hits {
		out = append(out, h.At.Sub(start))
	}
	return out
}

// TestPerHostRateLimit: PerHost=10/s, Burst=1. a.test has 50 pages, so
// crawling it takes at least 4.9 s; b.test (10 pages, linked from a.test's
// home page) has its own limiter and must not wait behind a.test's queue.
func TestPerHostRateLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSite()
		var home strings.Builder
		for i := 1; i < 50; i++ {
			fmt.Fprintf(&home, `<a href="/%d">a%d</a>`, i, i)
			s.html(fmt.Sprintf("http://a.test/%d", i), "leaf")
		}
		home.WriteString(`<a href="http://b.test/">to b</a>`)
		s.html("http://a.test/", home.String())
		var bhome strings.Builder
		for i := 1; i < 10; i++ {
			fmt.Fprintf(&bhome, `<a href="/%d">b%d</a>`, i, i)
			s.html(fmt.Sprintf("http://b.test/%d", i), "leaf")
		}
		s.html("http://b.test/", bhome.String())

		client, _ := memClient(s)
		c := newCrawler(t, Config{
			Seeds: []string{"http://a.test/"}, AllowedHosts: []string{"a.test", "b.test"},
			MaxDepth: 3, MaxPages: 100, Workers: 4, PerHost: 10, Burst: 1, Client: client,
		})
		start := time.Now()
		r := crawl(t, t.Context(), c, time.Minute)
		elapsed := time.Since(start)
		if r.err != nil || len(r.pages) != 60 {
			t.Fatalf("Run: got %d pages and error %v, want 60 and nil", len(r.pages), r.err)
		}
		ha, hb := s.hitsOf("http://a.test/"), s.hitsOf("http://b.test/")
		if len(ha) != 50 || len(hb) != 10 {
			t.Fatalf("requests: got %d to a.test and %d to b.test, want 50 and 10", len(ha), len(hb))
		}
		for name, hs := range map[string][]hit{"a.test": ha, "b.test": hb} {
			for i := 1; i < len(hs); i++ {
				if gap := hs[i].At.Sub(hs[i-1].At); gap < 99*time.Millisecond {
					t.Errorf("%s: requests %d and %d %v apart, want >= 100ms (10/s, burst 1); request times: %v", name, i-1, i, gap, offsets(hs, start))
					break
				}
			}
		}
		if last := ha[len(ha)-1].At.Sub(start); last < 4890*time.Millisecond {
			t.Errorf("a.test: last request at %v, want >= 4.9s", last)
		}
		if last := hb[len(hb)-1].At.Sub(start); last > 2500*time.Millisecond {
			t.Errorf("b.test: last request at %v, want <= 2.5s: b.test waited behind a.test's rate limit (request times %v)", last, offsets(hb, start))
		}
		if elapsed > 5500*time.Millisecond {
			t.Errorf("crawl took %v of fake time, want < 5.5s: the hosts should be limited separately, in parallel", elapsed)
		}
	})
}

// TestRetryAfter: a Retry-After longer than the backoff wins, in both of
// its forms; one that cannot be parsed is ignored.
func TestRetryAfter(t *testing.T) {
	cases := []struct {
		name    string
		answers []resp
		want    []time.Duration // request times
	}{
		{"seconds", []resp{{status: 503, retryAfter: "2"}, {status: 503, retryAfter: "3"}, {}}, []time.Duration{0, 2 * time.Second, 5 * time.Second}},
		{"http-date", []resp{{status: 429, retryIn: 4 * time.Second}, {}}, []time.Duration{0, 4 * time.Second}},
		{"shorter than backoff", []resp{{status: 503, retryAfter: "0"}, {}}, []time.Duration{0, 5 * time.Millisecond}},
		{"garbage", []resp{{status: 503, retryAfter: "soon"}, {status: 503, retryAfter: "-4"}, {}}, []time.Duration{0, 5 * time.Millisecond, 15 * time.Millisecond}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newSite()
				s.add("http://site.test/", &doc{answers: tc.answers})
				client, _ := memClient(s)
				c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxPages: 1, Workers: 1, Client: client,
					Retry: RetryPolicy{MaxAttempts: 5, Base: 10 * time.Millisecond, Max: 100 * time.Millisecond, Rand: half}})
				start := time.Now()
				r := crawl(t, t.Context(), c, time.Minute)
				if r.err != nil || len(r.pages) != 1 {
					t.Fatalf("Run: got %d pages and error %v, want 1 and nil", len(r.pages), r.err)
				}
				p := r.pages[0]
				if p.Attempts != len(tc.want) || p.Status != 200 || p.Err != nil {
					t.Errorf("Page: got Attempts %d, Status %d, Err %v; want %d, 200, nil", p.Attempts, p.Status, p.Err, len(tc.want))
				}
				if diff := cmp.Diff(tc.want, offsets(s.hitsOf(""), start)); diff != "" {
					t.Errorf("request times (-want +got):\n%s", diff)
				}
				if r.stats.Requests != len(tc.want) {
					t.Errorf("Stats.Requests: got %d, want %d", r.stats.Requests, len(tc.want))
				}
			})
		})
	}
}

// TestBackoffSchedule: exponential backoff with full jitter, capped, and
// exhaustion that wraps the last failure.
func TestBackoffSchedule(t *testing.T) {
	cases := []struct {
		name   string
		policy RetryPolicy
		want   []time.Duration
	}{
		// Rand()*min(Max, Base*2^(n-1)) with Rand = 0.5: 50, 100, 150, 150 ms.
		{"capped", RetryPolicy{MaxAttempts: 5, Base: 100 * time.Millisecond, Max: 300 * time.Millisecond, Rand: half},
			[]time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond}},
		// Rand = 0.25, no cap: 10, 20, 40 ms.
		{"uncapped", RetryPolicy{MaxAttempts: 4, Base: 40 * time.Millisecond, Rand: func() float64 { return 0.25 }},
			[]time.Duration{0, 10 * time.Millisecond, 30 * time.Millisecond, 70 * time.Millisecond}},
		// No retries at all.
		{"one attempt", RetryPolicy{Base: time.Second, Rand: half}, []time.Duration{0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newSite()
				s.add("http://site.test/", &doc{answers: []resp{{status: 500, body: "down"}}})
				client, _ := memClient(s)
				c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxPages: 1, Workers: 1, Client: client, Retry: tc.policy})
				start := time.Now()
				r := crawl(t, t.Context(), c, time.Minute)
				if r.err != nil || len(r.pages) != 1 {
					t.Fatalf("Run: got %d pages and error %v, want 1 and nil (a failed page is not a failed crawl)", len(r.pages), r.err)
				}
				if diff := cmp.Diff(tc.want, offsets(s.hitsOf(""), start)); diff != "" {
					t.Errorf("request times (-want +got):\n%s", diff)
				}
				p := r.pages[0]
				if p.Attempts != len(tc.want) || p.Status != 500 {
					t.Errorf("Page: got Attempts %d, Status %d; want %d, 500", p.Attempts, p.Status, len(tc.want))
				}
				if !errors.Is(p.Err, ErrExhausted) || statusCode(p.Err) != 500 {
					t.Errorf("Page.Err: got %v, want an error wrapping ErrExhausted and a *StatusError with Code 500", p.Err)
				}
				if r.stats.Failed != 1 || r.stats.Requests != len(tc.want) {
					t.Errorf("Stats: got %+v, want Failed 1, Requests %d", r.stats, len(tc.want))
				}
			})
		})
	}
}

// TestWhichFailuresRetry: 429, 5xx and transport errors are retried; other
// statuses are final at once.
func TestWhichFailuresRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSite()
		retried := []int{429, 500, 502, 503, 504}
		final := []int{400, 403, 404, 410, 418, 451}
		var home strings.Builder
		for _, code := range append(retried, final...) {
			fmt.Fprintf(&home, `<a href="/s/%d">%d</a>`, code, code)
			s.add(fmt.Sprintf("http://site.test/s/%d", code), &doc{answers: []resp{{status: code, body: http.StatusText(code)}}})
		}
		home.WriteString(`<a href="/flaky">flaky</a><a href="/down">down</a>`)
		s.html("http://site.test/", home.String())
		s.html("http://site.test/flaky", "ok at last")
		s.html("http://site.test/down", "never seen")
		client, tr := memClient(s)
		var flaky atomic.Int64
		tr.fail = func(r *http.Request) error {
			switch r.URL.Path {
			case "/flaky":
				if flaky.Add(1) <= 2 {
					return timeoutError{}
				}
			case "/down":
				return timeoutError{}
			}
			return nil
		}
		c := newCrawler(t, Config{Seeds: []string{"http://site.test/"}, MaxDepth: 1, MaxPages: 100, Workers: 4, Client: client,
			Retry: RetryPolicy{MaxAttempts: 3, Base: time.Millisecond, Max: time.Second}})
		r := crawl(t, t.Context(), c, time.Minute)
		if r.err != nil {
			t.Fatalf("Run: got error %v, want nil", r.err)
		}
		pages := byURL(t, r.pages)
		for _, code := range retried {
			p := pages[fmt.Sprintf("http://site.test/s/%d", code)]
			if p.Attempts != 3 || !errors.Is(p.Err, ErrExhausted) || statusCode(p.Err) != code || p.Status != code {
				t.Errorf("HTTP %d: got Attempts %d, Status %d, Err %v; want 3 attempts, Status %d, Err wrapping ErrExhausted and a *StatusError %d", code, p.Attempts, p.Status, errText(p.Err), code, code)
			}
		}
		for _, code := range final {
			p := pages[fmt.Sprintf("http://site.test/s/%d", code)]
			if p.Attempts != 1 || errors.Is(p.Err, ErrExhausted) || statusCode(p.Err) != code || p.Status != code {
				t.Errorf("HTTP %d: got Attempts %d, Status %d, Err %v; want 1 attempt, Status %d, Err a *StatusError %d (not retried)", code, p.Attempts, p.Status, errText(p.Err), code, code)
			}
		}
		if p := pages["http://site.test/flaky"]; p.Attempts != 3 || p.Status != 200 || p.Err != nil {
			t.Errorf("two timeouts, then 200: got Attempts %d, Status %d, Err %v; want 3, 200, nil", p.Attempts, p.Status, p.Err)
		}
		if p := pages["http://site.test/down"]; p.Attempts != 3 || p.Status != 0 || !errors.Is(p.Err, ErrExhausted) || !errors.Is(p.Err, timeoutError{}) {
			t.Errorf("timeouts only: got Attempts %d, Status %d, Err %v; want 3, 0, an error wrapping ErrExhausted and the last transport error", p.Attempts, p.Status, errText(p.Err))
		}
		if o, c := tr.opened.Load(), tr.closed.Load(); o != c {
			t.Errorf("response bodies: got %d opened and %d closed, want all closed", o, c)
		}
	})
}

// TestCancelPrompt: with workers in flight, in backoff and waiting on the
// rate limiter, and nobody reading out any more, canceling ctx makes Run
// return ctx.Err() within 100 ms, with out closed and nothing left running.
func TestCancelPrompt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newSite()
		g := generate(s, "slow.test", 1000, 4, 21, false)
		for i, u := range g.urls {
			d := s.docs[u]
			d.delay = 20 * time.Millisecond
			if i%7 == 1 {
				d.answers = []resp{{status: 503, retryAfter: "3600"}}
			}
		}
		client, _ := memClient(s)
		c := newCrawler(t, Config{
			Seeds: []string{"http://slow.test/"}, MaxDepth: 1000, MaxPages: 1000, Workers: 4,
			PerHost: 5, Burst: 1, Client: client,
			Retry: RetryPolicy{MaxAttempts: 10, Base: time.Hour, Max: 2 * time.Hour, Rand: half},
		})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		out := make(chan Page)
		type ret struct {
			err error
			at  time.Time
		}
		done := make(chan ret, 1)
		go func() {
			_, err := c.Run(ctx, out)
			done <- ret{err, time.Now()}
		}()
		// Read for 2 s, then stop reading.
		got := 0
		stopReading := time.After(2 * time.Second)
	read:
		for {
			select {
			case _, ok := <-out:
				if !ok {
					t.Fatalf("out closed after %d pages, before the crawl could have ended", got)
				}
				got++
			case <-stopReading:
				break read
			}
		}
		time.Sleep(time.Second)
		if got == 0 {
			t.Errorf("pages received in 2s: got 0, want some")
		}
		cancel()
		canceledAt := time.Now()
		var r ret
		select {
		case r = <-done:
		case <-time.After(1000 * time.Hour): // fake time: free, and lets a slow Run end
			t.Fatalf("Run: no return 1000 h after cancel, want ctx.Err() within 100ms")
		}
		if took := r.at.Sub(canceledAt); took > 100*time.Millisecond {
			t.Errorf("Run returned %v after cancel, want <= 100ms (a wait that ignores ctx?)", took)
		}
		if !errors.Is(r.err, context.Canceled) {
			t.Errorf("Run after cancel: got error %v, want context.Canceled", r.err)
		}
		drained := time.After(time.Second)
	drain:
		for {
			select {
			case _, ok := <-out:
				if !ok {
					break drain
				}
			case <-drained:
				t.Errorf("out: still open 1s after Run returned, want it closed")
				break drain
			}
		}
		n := s.requests()
		time.Sleep(3 * time.Hour)
		if m := s.requests(); m != n {
			t.Errorf("requests after Run returned: got %d more, want none", m-n)
		}
	})
}
