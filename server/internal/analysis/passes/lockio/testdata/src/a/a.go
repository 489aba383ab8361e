package a

import (
	"context"
	"database/sql"
	"net"
	"net/http"
	"os"
	"sync"
	"time"
)

type cache struct {
	mu     sync.Mutex
	rw     sync.RWMutex
	items  map[string]string
	events chan string
	client *http.Client
	db     *sql.DB
}

func (c *cache) sleepDeferred() {
	c.mu.Lock()
	defer c.mu.Unlock()
	time.Sleep(time.Millisecond) // want `time.Sleep while c.mu is locked stalls every goroutine that needs the lock: Unlock before sleeping`
}

func (c *cache) sendBetween(k string) {
	c.mu.Lock()
	c.items[k] = "x"
	c.events <- k // want `channel send while c.mu is locked`
	c.mu.Unlock()
}

func (c *cache) receiveUnderRLock() string {
	c.rw.RLock()
	defer c.rw.RUnlock()
	return <-c.events // want `channel receive while c.rw is locked`
}

func (c *cache) blockingSelect(ctx context.Context, k string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	select { // want `blocking select while c.mu is locked`
	case c.events <- k:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *cache) httpUnderLock(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.client.Do(req) // want `c.client.Do \(network I/O\) while c.mu is locked makes every goroutine that needs the lock wait for the I/O`
}

func (c *cache) saveUnderLock(path string, data []byte) error {
	c.mu.Lock()
	err := os.WriteFile(path, data, 0o644) // want `os.WriteFile \(file I/O\) while c.mu is locked`
	c.mu.Unlock()
	return err
}

func (c *cache) queryUnderLock(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rows, err := c.db.QueryContext(ctx, "SELECT 1") // want `c.db.QueryContext \(database I/O\) while c.mu is locked`
	if err != nil {
		return err
	}
	return rows.Close()
}

func (c *cache) rangeChannel() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for ev := range c.events { // want `range over a channel while c.mu is locked`
		c.items[ev] = ev
	}
}

func (c *cache) connParam(conn net.Conn, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn.Write(b) // want `conn.Write \(network I/O\) while c.mu is locked`
}

// A struct that embeds its mutex.
type counter struct {
	sync.Mutex
	n int
}

func (k *counter) embedded() {
	k.Lock()
	k.n++
	time.Sleep(time.Second) // want `time.Sleep while k is locked`
	k.Unlock()
}

// Both branches keep the lock: still held after the if.
func (c *cache) bothBranches(fast bool) {
	c.mu.Lock()
	if fast {
		c.items["fast"] = "1"
	} else {
		c.items["slow"] = "1"
	}
	time.Sleep(time.Millisecond) // want `time.Sleep while c.mu is locked`
	c.mu.Unlock()
}

// A blocking call inside a loop body under the lock.
func (c *cache) loopUnderLock(keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if k == "" {
			continue
		}
		c.events <- k // want `channel send while c.mu is locked`
	}
}

var (
	registryMu sync.Mutex
	registry   = map[string]string{}
)

// Package-level mutex, network call not on a package-level handle.
func lookup(host string) ([]string, error) {
	registryMu.Lock()
	defer registryMu.Unlock()
	return net.LookupHost(host) // want `net.LookupHost \(network I/O\) while registryMu is locked`
}

// Syncing a file that is not the one the lock guards.
func (c *cache) syncOther(f *os.File) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return f.Sync() // want `f.Sync \(file I/O\) while c.mu is locked`
}

// The buffer holds one: the second send may block.
func (c *cache) twoSends() {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan string, 1)
	ch <- "a"
	ch <- "b" // want `channel send while c.mu is locked`
	c.events = ch
}
