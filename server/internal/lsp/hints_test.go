package lsp_test

import (
	"encoding/json"
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

// A hint with a suggested fix is offered as a quick fix whose edit, once
// applied, makes the hint go away.
func TestQuickFixAppliesTheSuggestedFix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	src := "package words\n\nimport (\n\t\"context\"\n\t\"strings\"\n)\n\n// Words counts words.\nfunc Words(s string) int { return count(context.Background(), s) }\n\n" +
		"func count(ctx context.Context, s string) int {\n\treturn fields(context.Background(), s)\n}\n\n" +
		"func fields(ctx context.Context, s string) int {\n\tif ctx.Err() != nil {\n\t\treturn 0\n\t}\n\treturn len(strings.Fields(s))\n}\n"
	e.writeAndSave("c02-words/words.go", src)
	e.await("ctxbackground hint at words.go:12", func(r *recorder) bool {
		return r.diagnostic(e.root, "c02-words/words.go", "ctxbackground", 12) != nil
	})
	file := uri.File(e.path("c02-words/words.go"))
	var raw json.RawMessage
	err := e.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]string{"uri": string(file)},
		"range":        map[string]any{"start": map[string]int{"line": 11, "character": 0}, "end": map[string]int{"line": 11, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}},
	}, &raw)
	if err != nil {
		t.Fatal(err)
	}
	var actions []protocol.CodeAction
	if err := protocol.Unmarshal(raw, &actions); err != nil {
		t.Fatal(err)
	}
	if len(actions) != 1 || actions[0].Edit == nil || len(actions[0].Edit.Changes[file]) != 1 {
		t.Fatalf("code actions %+v, want one quick fix editing words.go", actions)
	}
	if k := actions[0].Kind; k == nil || *k != protocol.CodeActionKindQuickFix {
		t.Errorf("kind %v, want quickfix", k)
	}
	edit := actions[0].Edit.Changes[file][0]
	if edit.NewText != "ctx" || edit.Range.Start.Line != 11 {
		t.Fatalf("edit %+v, want context.Background() on line 12 replaced by ctx", edit)
	}
	// Apply it as the editor would, then save.
	lines := strings.Split(src, "\n")
	line := []rune(lines[11])
	lines[11] = string(line[:edit.Range.Start.Character]) + edit.NewText + string(line[edit.Range.End.Character:])
	e.writeAndSave("c02-words/words.go", strings.Join(lines, "\n"))
	e.await("the fixed hint to clear", func(r *recorder) bool {
		return r.diagnostic(e.root, "c02-words/words.go", "ctxbackground", 12) == nil
	})
	// Words itself has no ctx parameter: Background there is fine.
	e.client.mu.Lock()
	defer e.client.mu.Unlock()
	if d := e.client.diagnostic(e.root, "c02-words/words.go", "ctxbackground", 9); d != nil {
		t.Errorf("hint on a function without a ctx parameter: %+v", d)
	}
}
