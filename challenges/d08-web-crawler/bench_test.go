package crawler

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
)

// The benchmark site: 2,000 generated pages served in memory.
var benchFixture = sync.OnceValues(func() (*site, *genSite) {
	s := newSite()
	g := generate(s, "bench.test", 2000, 10, 2026, false)
	s.quiet = true
	return s, g
})

// BenchmarkCrawl crawls the 2,000-page site with 8 workers. It is gated
// against BenchmarkExtractSequential: the crawl must run at least 0.8x as
// fast as fetching and extracting the same pages one by one (ns/op ratio
// <= 1.25). With two cores and 8 workers it should be faster than that:
// the crawl's own bookkeeping must not eat the parallelism.
func BenchmarkCrawl(b *testing.B) {
	s, g := benchFixture()
	client, _ := memClient(s)
	c, err := New(Config{Seeds: []string{g.urls[0]}, MaxDepth: len(g.urls), MaxPages: len(g.urls), Workers: 8, Client: client})
	if err != nil {
		b.Fatalf("New: got error %v, want nil", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		out := make(chan Page, 64)
		counted := make(chan int)
		go func() {
			n := 0
			for range out {
				n++
			}
			counted <- n
		}()
		_, err := c.Run(context.Background(), out)
		n := <-counted
		if err != nil || n != len(g.urls) {
			b.Fatalf("Run: got %d pages and error %v, want %d and nil", n, err, len(g.urls))
		}
	}
}

var sinkLinks int

// BenchmarkExtractSequential is the baseline: the same requests through the
// same transport and the same ExtractLinks, one page after another.
func BenchmarkExtractSequential(b *testing.B) {
	s, g := benchFixture()
	client, _ := memClient(s)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range g.urls {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			links, err := ExtractLinks(resp.Request.URL, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			if err != nil || len(links) == 0 {
				b.Fatalf("ExtractLinks(%s): got %d links and error %v, want links", u, len(links), err)
			}
			sinkLinks += len(links)
		}
	}
}
