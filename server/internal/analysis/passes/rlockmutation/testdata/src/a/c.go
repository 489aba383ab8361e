package a

// The write paths: they show which fields each mutex guards.

func (c *LRU) Put(k string, v int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items[k] = c.ll.PushFront(&entry{key: k, val: v})
	c.log = append(c.log, k)
}

func (c *LRU) Reset() {
	c.mu.Lock()
	c.stats.hits, c.stats.misses = 0, 0
	c.mu.Unlock()
}

func Register(name string, v int) {
	regMu.Lock()
	defer regMu.Unlock()
	registry[name] = v
	lookups = 0
}
