package counter

// Counter counts. It is safe for concurrent use.
type Counter struct {
	n int
}

// Inc adds one.
func (c *Counter) Inc() {
	// TODO(c01): count, safely.
}

// Value returns the count.
func (c *Counter) Value() int {
	return c.n
}
