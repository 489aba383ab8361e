package download

// This file is for the work of one download, run by a worker:
//
//	open .part → GET with Range/If-Range → 206 appends, 200 truncates →
//	SHA-256 → rename to Dest
//
// wrapped in a retry loop that waits Options.Backoff(n) between attempts
// and gives up after Options.MaxRetries failures in a row.
//
// The split between manager.go and fetch.go is a suggestion: both files are
// yours; keep the exported API declared in manager.go.
