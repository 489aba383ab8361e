package counter

// Counter counts, unsafely.
type Counter struct {
	n int
}

// Inc adds one without synchronisation.
func (c *Counter) Inc() { c.n++ }

// Value returns the count.
func (c *Counter) Value() int { return c.n }
