package a

import (
	"context"
	"net"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// A fixed pool of workers reading from a channel.
func Pool(urls []string, workers int) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for u := range jobs {
				fetch(u)
			}
		})
	}
	for i := 0; i < workers; i++ {
		go func() {}()
	}
	for _, u := range urls {
		jobs <- u
	}
	close(jobs)
	wg.Wait()
}

// A semaphore channel: acquire in the loop, release in the goroutine.
func Semaphore(urls []string) {
	sem := make(chan struct{}, 8)
	for _, u := range urls {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			fetch(u)
		}()
	}
}

// Acquire and release inside the goroutine bounds the work in flight.
func SemaphoreInside(urls []string, sem chan struct{}) {
	for _, u := range urls {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fetch(u)
		}()
	}
}

// errgroup with SetLimit.
func Limited(items []string) error {
	var g errgroup.Group
	g.SetLimit(4)
	for _, it := range items {
		g.Go(func() error { return fetch(it) })
	}
	return g.Wait()
}

// semaphore.Weighted.
func Weighted(ctx context.Context, items []string) {
	sem := semaphore.NewWeighted(4)
	for _, it := range items {
		if err := sem.Acquire(ctx, 1); err != nil {
			return
		}
		go func() {
			defer sem.Release(1)
			fetch(it)
		}()
	}
}

// Starting a list of functions concurrently (cleanups, hooks).
func RunAll(fns []func()) {
	for _, fn := range fns {
		go fn()
	}
}

// Starting each server of the program.
func ServeAll(servers []*http.Server) {
	for _, s := range servers {
		go s.ListenAndServe()
	}
}

// A literal list.
func Fixed() {
	for _, name := range []string{"a", "b"} {
		go fetch(name)
	}
}

// Batches: the loop waits for each batch.
func Batches(batches [][]string) {
	for _, b := range batches {
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() { fetch(b[i]) })
		}
		wg.Wait()
	}
}

// The loop reads each result back before starting the next.
func OneAtATime(items []string) {
	done := make(chan error)
	for _, it := range items {
		go func() { done <- fetch(it) }()
		<-done
	}
}

// Only the first match starts a goroutine.
func First(items []string) {
	for _, it := range items {
		if it != "" {
			go fetch(it)
			break
		}
	}
}

// An array has a fixed size.
func Array(parts [4]string) {
	for _, p := range parts {
		go fetch(p)
	}
}

// A bounded errgroup that lives in a struct: configured elsewhere.
type runner struct{ g *errgroup.Group }

func (r *runner) Run(items []string) {
	for _, it := range items {
		r.g.Go(func() error { return fetch(it) })
	}
}

// A slice the function made for its own goroutines: per-worker state.
type worker struct{ n int }

func (w *worker) run() { w.n++ }

func Trial(conc int) {
	workers := make([]worker, conc)
	var wg sync.WaitGroup
	for i := range workers {
		wk := &workers[i]
		wg.Go(func() { wk.run() })
	}
	wg.Wait()
}

// An accept loop: one goroutine per connection is the server idiom.
func Serve(ln net.Listener, handle func(net.Conn)) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(conn)
	}
}

// An event loop starting a goroutine when a timer fires.
func Race(ctx context.Context, results chan error, fallback <-chan struct{}) error {
	for {
		select {
		case <-fallback:
			go fetch("fallback")
		case err := <-results:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Fan-out over the nodes of a cluster: their number is configuration.
type clusterNode struct{ addr string }

func PingAll(nodes []*clusterNode) {
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() { fetch(n.addr) })
	}
	wg.Wait()
}

// A condition loop that counts up to a bound.
func Grow(size *int, max int) {
	for *size < max {
		*size++
		go fetch("conn")
	}
}

// The goroutine starts on the path that leaves the loop.
func Submit(try func() bool, hook func()) {
	for {
		if try() {
			if hook != nil {
				go hook()
			}
			return
		}
	}
}
