package a

import "sync"

type Queue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []int
	closed bool
}

// The classic: an if instead of a for.
func (q *Queue) Get() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want `q.cond.Wait\(\) in an if checks the condition once: .* re-check it in a loop: for len\(q.items\) == 0 \{ q.cond.Wait\(\) \}`
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it
}

// A negated flag.
type Latch struct {
	mu    sync.Mutex
	c     sync.Cond
	ready bool
}

func (l *Latch) Await() {
	l.mu.Lock()
	if !l.ready {
		l.c.Wait() // want `l.c.Wait\(\) in an if checks the condition once`
	}
	l.mu.Unlock()
}

// A bare Wait: no predicate at all.
func (l *Latch) AwaitBare() {
	l.mu.Lock()
	l.c.Wait() // want `l.c.Wait\(\) outside a for loop assumes that what it waits for holds when it returns, .* for !condition \{ l.c.Wait\(\) \}`
	l.mu.Unlock()
}

// An if with an else: reported, no fix.
func (q *Queue) TryGet() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait() // want `q.cond.Wait\(\) outside a for loop`
	} else {
		return q.items[0], true
	}
	return 0, false
}

// In a loop, but the if lets the rest of the iteration run without a re-check.
func (q *Queue) Worker(handle func(int)) {
	for {
		q.mu.Lock()
		if len(q.items) == 0 {
			q.cond.Wait() // want `q.cond.Wait\(\) in an if is followed by code that assumes the condition, .* for len\(q.items\) == 0 \{ q.cond.Wait\(\) \}`
		}
		it := q.items[0]
		q.items = q.items[1:]
		q.mu.Unlock()
		handle(it)
	}
}

// A range loop does not re-check anything.
func (q *Queue) Batch(n int) (out []int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range n {
		if len(q.items) == 0 {
			q.cond.Wait() // want `in an if checks the condition once`
		}
		out = append(out, q.items[0])
		q.items = q.items[1:]
	}
	return out
}

// An embedded Cond is still a sync.Cond.
type Gate struct {
	*sync.Cond
	open bool
}

func (g *Gate) Pass() {
	g.L.Lock()
	if !g.open {
		g.Wait() // want `g.Wait\(\) in an if checks the condition once`
	}
	g.L.Unlock()
}

// A goroutine's func literal.
func Spawn(l *Latch, f func()) {
	go func() {
		l.mu.Lock()
		l.c.Wait() // want `l.c.Wait\(\) outside a for loop`
		l.mu.Unlock()
		f()
	}()
}

// A helper called outside any loop.
func (l *Latch) waitLocked() {
	l.c.Wait() // want `outside a for loop`
	l.ready = false
}

func (l *Latch) Once() {
	l.mu.Lock()
	l.waitLocked()
	l.mu.Unlock()
}
