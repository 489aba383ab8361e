package crawler

import (
	"testing"
	"time"
)

// TestOneFetchPerURL: 16 workers on a dense graph, where every page is
// discovered by many pages at once. Each URL must be requested exactly
// once and reported exactly once. Run it with -race: a visited set that
// is checked in one step and filled in another fetches pages twice.
func TestOneFetchPerURL(t *testing.T) {
	n, rounds := 400, 3
	if testing.Short() {
		n, rounds = 200, 2
	}
	for round := range rounds {
		s := newSite()
		g := generate(s, "dense.test", n, 40, uint64(100+round), false)
		client, _ := memClient(s)
		c := newCrawler(t, Config{Seeds: []string{"http://dense.test/"}, MaxDepth: n, MaxPages: 10 * n, Workers: 16, Client: client})
		r := crawl(t, t.Context(), c, 60*time.Second)
		if r.err != nil {
			t.Fatalf("round %d: Run: got error %v, want nil", round, r.err)
		}
		pages := byURL(t, r.pages)
		if len(pages) != n {
			t.Errorf("round %d: got %d distinct pages, want %d", round, len(pages), n)
		}
		dups := 0
		for u, h := range s.hitCounts() {
			if h != 1 {
				dups++
				if dups <= 5 {
					t.Errorf("round %d: %s requested %d times, want once", round, u, h)
				}
			}
		}
		if dups > 0 {
			t.Fatalf("round %d: %d URLs requested more than once", round, dups)
		}
		for _, u := range g.urls {
			if _, ok := pages[u]; !ok {
				t.Errorf("round %d: %s not crawled", round, u)
			}
		}
	}
}
