package a

import (
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Copy under the lock, send after Unlock.
func (c *cache) sendAfterUnlock(k string) {
	c.mu.Lock()
	c.items[k] = "x"
	c.mu.Unlock()
	c.events <- k
}

// A select with default never blocks: the usual "poke" idiom.
func (c *cache) poke(k string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.events <- k:
	default:
	}
}

// The mutex exists to serialise writes to the file stored next to it.
type logFile struct {
	mu sync.Mutex
	f  *os.File
}

func (l *logFile) append(b []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err := l.f.Write(b)
	return err
}

// Same for a connection shared by several writers.
type peer struct {
	wmu  sync.Mutex
	conn net.Conn
}

func (p *peer) send(b []byte) error {
	p.wmu.Lock()
	defer p.wmu.Unlock()
	_, err := p.conn.Write(b)
	return err
}

// A closure built under the lock runs later, without it.
func (c *cache) closureLater() func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	go func() {
		time.Sleep(time.Millisecond)
	}()
	return func() { c.events <- "later" }
}

// Release around the blocking call, take it back afterwards.
func (c *cache) unlockAround(keys []string) {
	c.mu.Lock()
	for _, k := range keys {
		c.mu.Unlock()
		c.events <- k
		c.mu.Lock()
	}
	c.mu.Unlock()
}

// The early-return branch unlocks before it waits.
func (c *cache) earlyReturn(retry bool) {
	c.mu.Lock()
	if retry {
		c.mu.Unlock()
		time.Sleep(time.Millisecond)
		return
	}
	c.items["done"] = "1"
	c.mu.Unlock()
}

// Locked on one path only: not sure, stay quiet.
func (c *cache) maybeLocked(lock bool) {
	if lock {
		c.mu.Lock()
	}
	time.Sleep(time.Millisecond)
	if lock {
		c.mu.Unlock()
	}
}

// Cond.Wait releases the lock while it waits.
type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func (q *queue) pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait()
	}
	x := q.items[0]
	q.items = q.items[1:]
	return x
}

// Pure helpers from net and time do not block.
func (c *cache) pure(host, port string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	addr := net.JoinHostPort(host, port)
	ip := net.ParseIP(host)
	_ = time.Now().Add(time.Second)
	return addr + ip.String() + strings.ToUpper(host)
}

// A type that merely looks like a mutex.
type Mutex struct{}

func (Mutex) Lock()   {}
func (Mutex) Unlock() {}

func lookalike(m Mutex, ch chan int) {
	m.Lock()
	ch <- 1
	m.Unlock()
}

// The lock is taken and released inside a literal that has returned.
func (c *cache) insideLiteral() {
	func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.items["x"] = "y"
	}()
	time.Sleep(time.Millisecond)
}

// A package-level file guarded by a package-level mutex.
var (
	auditMu  sync.Mutex
	auditLog *os.File
)

func audit(line string) {
	auditMu.Lock()
	defer auditMu.Unlock()
	auditLog.WriteString(line)
}

// Every case of the switch unlocks: the send after it is free.
func (c *cache) switchUnlocks(k int) {
	c.mu.Lock()
	switch k {
	case 0:
		c.mu.Unlock()
	default:
		c.mu.Unlock()
	}
	c.events <- "x"
}

// Removing a temp file under the lock keeps the disk in step with the
// state: a metadata call, not reported.
func (c *cache) cancel(dest string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	os.Remove(dest + ".part")
	delete(c.items, dest)
}

// A mutex named for the writes it serialises is held across them on purpose.
type pipe struct {
	wrMu sync.Mutex
	wrCh chan []byte
	done chan struct{}
}

func (p *pipe) write(b []byte) bool {
	p.wrMu.Lock()
	defer p.wrMu.Unlock()
	select {
	case p.wrCh <- b:
		return true
	case <-p.done:
		return false
	}
}

// A send into a channel just made with room for it cannot block.
type pool struct {
	mu  sync.Mutex
	one chan int
}

func (p *pool) get() chan int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.one == nil {
		p.one = make(chan int, 1)
		p.one <- 0
	}
	return p.one
}
