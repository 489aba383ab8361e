package benchio

import "time"

// NewSHA256 returns a CPU-bound workload named "SHA256/size=<size>" whose
// Op hashes a size-byte buffer. size must be > 0.
func NewSHA256(size int) (Workload, error) {
	// TODO
	return nil, ErrNotImplemented
}

// NewJSON returns a CPU-bound workload named "JSON/records=<records>" whose
// Op encodes a document of that many records and decodes it back. records
// must be > 0.
func NewJSON(records int) (Workload, error) {
	// TODO
	return nil, ErrNotImplemented
}

// NewPipeIO returns an I/O-bound workload named "PipeIO/latency=<latency>"
// (latency formatted by time.Duration.String). Its Op sends a size-byte
// request over a net.Pipe to a server goroutine that waits latency before
// echoing it back. Concurrent Ops use separate connections, so they wait in
// parallel; connections are pooled across Ops. latency must be >= 0 and
// size > 0.
func NewPipeIO(latency time.Duration, size int) (Workload, error) {
	// TODO
	return nil, ErrNotImplemented
}
