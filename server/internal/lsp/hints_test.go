package lsp_test

import (
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// A value receiver copies the lock: the copylocks hint appears in the
// learner's file, links to its page, and goes away when fixed.
func TestHintAppearsAndClears(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	copying := "package counter\n\nimport \"sync\"\n\n// Counter counts.\ntype Counter struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n" +
		"// Inc adds one.\nfunc (c *Counter) Inc() {\n\tc.mu.Lock()\n\tc.n++\n\tc.mu.Unlock()\n}\n\n" +
		"// Value returns the count.\nfunc (c Counter) Value() int {\n\tc.mu.Lock()\n\tdefer c.mu.Unlock()\n\treturn c.n\n}\n"
	e.writeAndSave("c01-counter/counter.go", copying)
	e.await("copylocks hint at counter.go:19", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter.go", "copylocks", 19) != nil
	})
	e.client.mu.Lock()
	d := *e.client.diagnostic(e.root, "c01-counter/counter.go", "copylocks", 19)
	e.client.mu.Unlock()
	if src, _ := d.Source.Get(); src != "gochallenge-hint" || d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("source %q severity %d, want gochallenge-hint and Warning", src, d.Severity)
	}
	page := d.CodeDescription.Href
	if data, err := os.ReadFile(uri.URI(page).FsPath()); err != nil || !strings.Contains(string(data), "**Before**") {
		t.Errorf("codeDescription %q: want a page with a before/after example (%v)", page, err)
	}

	e.writeAndSave("c01-counter/counter.go", strings.Replace(copying, "func (c Counter) Value", "func (c *Counter) Value", 1))
	e.await("the hint to clear", func(r *recorder) bool {
		return r.diagnostic(e.root, "c01-counter/counter.go", "copylocks", 0) == nil
	})
}
