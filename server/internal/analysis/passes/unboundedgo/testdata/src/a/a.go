package a

import (
	"iter"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
)

func fetch(string) error { return nil }

// One goroutine per URL: ten thousand URLs, ten thousand connections.
func FetchAll(urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() { // want `one goroutine per item of urls with nothing bounding how many run at once: a big input starts them all together; use a fixed pool of workers, a semaphore channel, or errgroup with SetLimit`
			defer wg.Done()
			fetch(u)
		}()
	}
	wg.Wait()
}

// A named function is started per item too.
func FetchNamed(urls []string) {
	for _, u := range urls {
		go fetch(u) // want `one goroutine per item of urls`
	}
}

// Each job received from a channel gets its own goroutine.
func Dispatch(jobs <-chan string) {
	for j := range jobs {
		go fetch(j) // want `one goroutine per item of jobs`
	}
}

// Over a map.
func Ping(hosts map[string]*http.Client) {
	var wg sync.WaitGroup
	for h := range hosts {
		wg.Go(func() { fetch(h) }) // want `one goroutine per item of hosts`
	}
	wg.Wait()
}

// errgroup without SetLimit is no bound.
func Group(items []string) error {
	var g errgroup.Group
	for _, it := range items {
		g.Go(func() error { return fetch(it) }) // want `one goroutine per item of items`
	}
	return g.Wait()
}

// Over an iterator.
func FromSeq(seq iter.Seq[string]) {
	for s := range seq {
		go fetch(s) // want `one goroutine per item of seq`
	}
}

// A loop that pulls work until there is none.
type queue struct{ items []string }

func (q *queue) next() (string, bool) {
	if len(q.items) == 0 {
		return "", false
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x, true
}

func Drain(q *queue) {
	var wg sync.WaitGroup
	for {
		it, ok := q.next()
		if !ok {
			break
		}
		wg.Go(func() { fetch(it) }) // want `one goroutine per loop iteration`
	}
	wg.Wait()
}

// Counting up to len(items) is a loop over the items.
func ByIndex(items []string) {
	for i := 0; i < len(items); i++ {
		go fetch(items[i]) // want `one goroutine per item of items`
	}
}

// The go statement nested in an if still runs once per item.
func Some(items []string, skip func(string) bool) {
	for _, it := range items {
		if !skip(it) {
			go fetch(it) // want `one goroutine per item of items`
		}
	}
}

// A local slice that grows with the input is still work.
func Collected(lines []string) {
	var urls []string
	urls = make([]string, 0, len(lines))
	for _, l := range lines {
		urls = append(urls, l)
	}
	for _, u := range urls {
		go fetch(u) // want `one goroutine per item of urls`
	}
}

// A break inside a switch only leaves the switch: still one per item.
func Classify(items []string) {
	for _, it := range items {
		switch it {
		case "":
			go fetch(it) // want `one goroutine per item of items`
			break
		}
	}
}
