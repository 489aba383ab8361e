package a

import "sync"

type Buf struct {
	mu     sync.Mutex
	notE   *sync.Cond
	items  []int
	closed bool
}

// The correct shape.
func (b *Buf) Get() (int, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) == 0 && !b.closed {
		b.notE.Wait()
	}
	if len(b.items) == 0 {
		return 0, false
	}
	it := b.items[0]
	b.items = b.items[1:]
	return it, true
}

// An endless loop that breaks out when the condition holds.
func (b *Buf) Get2() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		if len(b.items) > 0 {
			break
		}
		b.notE.Wait()
	}
	return b.items[0]
}

// An if-guarded Wait that is the last thing in the loop: the loop condition re-checks.
func (b *Buf) Get3() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) == 0 {
		if !b.closed {
			b.notE.Wait()
		}
	}
	return b.items[0]
}

// An if-guarded Wait followed by continue re-checks too.
func (b *Buf) Get4() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for {
		if len(b.items) == 0 {
			b.notE.Wait()
			continue
		}
		return b.items[0]
	}
}

// A one-line wrapper: its callers loop.
func (b *Buf) wait() { b.notE.Wait() }

func (b *Buf) Get5() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	for len(b.items) == 0 {
		b.wait()
	}
	return b.items[0]
}

// A helper that does more than wait, every caller of which loops.
func (b *Buf) waitCounted(n *int) {
	*n++
	b.notE.Wait()
}

func (b *Buf) Get6() (int, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	waits := 0
	for len(b.items) == 0 {
		b.waitCounted(&waits)
	}
	return b.items[0], waits
}

// A barrier: generation counting in a loop.
type Barrier struct {
	mu       sync.Mutex
	c        *sync.Cond
	n, count int
	gen      int
}

func (br *Barrier) Await() {
	br.mu.Lock()
	defer br.mu.Unlock()
	gen := br.gen
	br.count++
	if br.count == br.n {
		br.gen++
		br.count = 0
		br.c.Broadcast()
		return
	}
	for gen == br.gen {
		br.c.Wait()
	}
}

// Other Wait methods are not sync.Cond's.
type fakeCond struct{}

func (fakeCond) Wait() {}

func Other(wg *sync.WaitGroup, f fakeCond) {
	wg.Wait()
	if true {
		f.Wait()
	}
}
