package a

import (
	"fmt"
	"sync"
)

func process(int) {}

// Add is the goroutine's first act: Wait may already have returned.
func firstStatement(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func() {
			wg.Add(1) // want `wg.Add inside the goroutine it counts races with wg.Wait`
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

type server struct {
	wg sync.WaitGroup
}

// A WaitGroup in a struct field, Add first.
func (s *server) start() {
	go func() {
		s.wg.Add(1) // want `wg.Add inside the goroutine`
		defer s.wg.Done()
		process(1)
	}()
}

func (s *server) stop() { s.wg.Wait() }

// Add with a count from outside the goroutine.
func batch(n int) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(n) // want `wg.Add inside the goroutine`
		for i := 0; i < n; i++ {
			process(i)
			wg.Done()
		}
	}()
	wg.Wait()
}

// Add is first, Done happens in a helper: still counted too late.
func helperDone() {
	var wg sync.WaitGroup
	go func() {
		wg.Add(1) // want `wg.Add inside the goroutine`
		finish(&wg)
	}()
	wg.Wait()
}

func finish(wg *sync.WaitGroup) { wg.Done() }

// Not the first statement, but the goroutine Dones the same group.
func afterLogging() {
	var wg sync.WaitGroup
	go func() {
		fmt.Println("starting")
		wg.Add(1) // want `wg.Add inside the goroutine`
		defer wg.Done()
	}()
	wg.Wait()
}

// The WaitGroup arrives as a parameter: no automatic fix, still reported.
func asParameter() {
	var wg sync.WaitGroup
	go func(wg *sync.WaitGroup) {
		wg.Add(1) // want `wg.Add inside the goroutine`
		defer wg.Done()
	}(&wg)
	wg.Wait()
}

// Done from a deferred closure.
func deferredClosure() {
	var wg sync.WaitGroup
	go func() {
		process(0)
		wg.Add(1) // want `wg.Add inside the goroutine`
		defer func() { wg.Done() }()
	}()
	wg.Wait()
}

// Inside a switch case: the fix still moves the Add in front of go.
func inCase(k int) {
	var wg sync.WaitGroup
	switch k {
	case 1:
		go func() {
			wg.Add(1) // want `wg.Add inside the goroutine`
			defer wg.Done()
		}()
	}
	wg.Wait()
}
