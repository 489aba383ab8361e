package a

import "sync"

// Add before the go statement: the idiom.
func addBefore(items []int) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			process(it)
		}()
	}
	wg.Wait()
}

// wg.Go does the Add for you.
func useGo() {
	var wg sync.WaitGroup
	wg.Go(func() { process(1) })
	wg.Wait()
}

// A counted worker adds for the goroutines it spawns: the counter is
// positive while it runs, so Wait cannot return early.
func crawler(links []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, l := range links {
			wg.Add(1)
			go func() {
				defer wg.Done()
				process(l)
			}()
		}
	}()
	wg.Wait()
}

// A producer goroutine adds once per job it hands to a consumer: the Add
// is in a loop and counts the jobs, not the producer.
func producer(jobs chan<- int, wg *sync.WaitGroup, n int) {
	go func() {
		for i := range n {
			wg.Add(1)
			jobs <- i
		}
		close(jobs)
	}()
}

// The goroutine is already counted by the Add before go; the Add inside
// counts a follow-up job handed to someone else.
func alreadyCounted(next chan<- func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Add(1)
		next <- wg.Done
		wg.Done()
	}()
	wg.Wait()
}

// A WaitGroup local to the goroutine counts the goroutine's own work.
func localGroup(submit func(func())) {
	go func() {
		var inner sync.WaitGroup
		inner.Add(1)
		submit(func() { defer inner.Done() })
		inner.Wait()
	}()
}

// Add(-1) is a Done.
func negative() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		process(0)
		wg.Add(-1)
	}()
	wg.Wait()
}

// The goroutine Dones one group and, later, adds to another it does not
// belong to.
func otherGroup(a, b *sync.WaitGroup) {
	a.Add(1)
	go func() {
		defer a.Done()
		process(0)
		b.Add(1)
	}()
}

// A type that merely looks like a WaitGroup.
type WaitGroup struct{ n int }

func (w *WaitGroup) Add(d int) { w.n += d }
func (w *WaitGroup) Done()     { w.n-- }

func lookalike() {
	var wg WaitGroup
	go func() {
		wg.Add(1)
		defer wg.Done()
	}()
}

// A named function started with go is out of scope (only func literals).
func named(wg *sync.WaitGroup) {
	go worker(wg)
}

func worker(wg *sync.WaitGroup) { defer wg.Done() }
