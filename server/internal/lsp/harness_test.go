package lsp_test

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/fixture"
	"gochallenge.dev/gochallenge/server/internal/lsp"
	"gochallenge.dev/gochallenge/server/internal/workspace"
)

// env is an editor session in the style of gopls' integration tests: a
// workspace on disk, the real server over an in-memory pipe, and a client
// that remembers what the server told it.
type env struct {
	t      *testing.T
	root   string
	conn   *jsonrpc2.Conn
	exit   chan int
	client *recorder
}

// recorder keeps the latest diagnostics per file and every notification.
type recorder struct {
	mu      sync.Mutex
	changed chan struct{}
	diags   map[uri.URI][]protocol.Diagnostic
	notes   []note
}

type note struct {
	method string
	params json.RawMessage
}

func (r *recorder) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	var raw json.RawMessage
	if req.Params != nil {
		raw = *req.Params
	}
	r.mu.Lock()
	r.notes = append(r.notes, note{req.Method, raw})
	if req.Method == "textDocument/publishDiagnostics" {
		var p protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(raw, &p); err == nil {
			r.diags[p.URI] = p.Diagnostics
		}
	}
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
	if !req.Notif {
		conn.Reply(ctx, req.ID, nil) // window/workDoneProgress/create and friends
	}
}

// newEnv creates a learner workspace from the fixture curriculum and
// starts a server session in it; initOptions, if any, are the editor's
// initializationOptions.
func newEnv(t *testing.T, initOptions ...map[string]any) *env {
	t.Helper()
	return startEnv(t, newWorkspace(t), initOptions...)
}

// newWorkspace creates a learner workspace from the fixture curriculum.
func newWorkspace(t *testing.T) string {
	t.Helper()
	ws, err := workspace.Init(filepath.Join(t.TempDir(), "ws"), os.DirFS(fixture.Curriculum()))
	if err != nil {
		t.Fatal(err)
	}
	return ws.Root
}

func startEnv(t *testing.T, root string, initOptions ...map[string]any) *env {
	t.Helper()
	return startEnvWith(t, root, lsp.Options{}, initOptions...)
}

// startEnvWith is startEnv with server options; the curriculum defaults to
// the fixture one (resets and solutions come from it) and the debounce to
// 50 ms.
func startEnvWith(t *testing.T, root string, o lsp.Options, initOptions ...map[string]any) *env {
	t.Helper()
	if o.Debounce == 0 {
		o.Debounce = 50 * time.Millisecond
	}
	if o.Curriculum == nil {
		o.Curriculum = os.DirFS(fixture.Curriculum())
	}
	serverSide, clientSide := net.Pipe()
	e := &env{t: t, root: root, exit: make(chan int, 1), client: &recorder{changed: make(chan struct{}), diags: map[uri.URI][]protocol.Diagnostic{}}}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { e.exit <- lsp.Serve(ctx, serverSide, o) }()
	e.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(clientSide, jsonrpc2.VSCodeObjectCodec{}), e.client)
	t.Cleanup(func() {
		cancel()
		e.conn.Close()
		select {
		case <-e.exit:
		case <-time.After(time.Minute):
			t.Error("server did not stop")
		}
	})
	var res json.RawMessage
	e.call("initialize", map[string]any{
		"processId":        nil,
		"rootUri":          string(uri.File(root)),
		"workspaceFolders": []map[string]string{{"uri": string(uri.File(root)), "name": "ws"}},
		"capabilities":     map[string]any{"window": map[string]any{"workDoneProgress": true}},
		"initializationOptions": func() any {
			if len(initOptions) > 0 {
				return initOptions[0]
			}
			return nil
		}(),
	}, &res)
	e.notify("initialized", map[string]any{})
	return e
}

func (e *env) call(method string, params, result any) error {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	return e.conn.Call(ctx, method, params, result)
}

func (e *env) notify(method string, params any) {
	e.t.Helper()
	if err := e.conn.Notify(context.Background(), method, params); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) path(rel string) string { return filepath.Join(e.root, filepath.FromSlash(rel)) }

// writeAndSave writes a file as the editor would and sends didSave.
func (e *env) writeAndSave(rel, content string) {
	e.t.Helper()
	if err := os.WriteFile(e.path(rel), []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	e.notify("textDocument/didSave", map[string]any{"textDocument": map[string]string{"uri": string(uri.File(e.path(rel)))}})
}

// copyIn saves a fixture file (a solution, a wrong solution) over a learner file.
func (e *env) copyIn(rel, fromFixture string) {
	e.t.Helper()
	data, err := os.ReadFile(filepath.Join(fixture.Curriculum(), filepath.FromSlash(fromFixture)))
	if err != nil {
		e.t.Fatal(err)
	}
	e.writeAndSave(rel, string(data))
}

// await waits until cond holds over what the client has received.
func (e *env) await(what string, cond func(r *recorder) bool) {
	e.t.Helper()
	deadline := time.After(3 * time.Minute)
	for {
		e.client.mu.Lock()
		ok := cond(e.client)
		changed := e.client.changed
		e.client.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-changed:
		case <-deadline:
			e.client.mu.Lock()
			defer e.client.mu.Unlock()
			var got []string
			for u, ds := range e.client.diags {
				for _, d := range ds {
					got = append(got, describe(u, d))
				}
			}
			e.t.Fatalf("timed out waiting for %s; diagnostics:\n%s", what, strings.Join(got, "\n"))
		}
	}
}

func describe(u uri.URI, d protocol.Diagnostic) string {
	return filepath.Base(u.FsPath()) + ":" + itoa(int(d.Range.Start.Line)+1) + " " + code(d) + " " + message(d)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func code(d protocol.Diagnostic) string {
	if s, ok := d.Code.(protocol.String); ok {
		return string(s)
	}
	return ""
}

func message(d protocol.Diagnostic) string {
	if s, ok := d.Message.(protocol.String); ok {
		return string(s)
	}
	return ""
}

// diagnostic finds a diagnostic with this code in rel at 1-based line (0: any line).
func (r *recorder) diagnostic(root, rel, wantCode string, line int) *protocol.Diagnostic {
	for _, d := range r.diags[uri.File(filepath.Join(root, filepath.FromSlash(rel)))] {
		if code(d) == wantCode && (line == 0 || int(d.Range.Start.Line)+1 == line) {
			return &d
		}
	}
	return nil
}

func (r *recorder) total() int {
	n := 0
	for _, ds := range r.diags {
		n += len(ds)
	}
	return n
}

// statuses lists the gochallenge/statusChanged notifications for a challenge.
func (r *recorder) statuses(id string) []string {
	var out []string
	for _, n := range r.notes {
		if n.method != "gochallenge/statusChanged" {
			continue
		}
		var sc lsp.StatusChanged
		if json.Unmarshal(n.params, &sc) == nil && sc.Challenge == id {
			out = append(out, string(sc.Status))
		}
	}
	return out
}

// running lists the gochallenge/running states announced for a challenge.
func (r *recorder) running(id string) []bool {
	var out []bool
	for _, n := range r.notes {
		var rn lsp.Running
		if n.method == "gochallenge/running" && json.Unmarshal(n.params, &rn) == nil && rn.Challenge == id {
			out = append(out, rn.Running)
		}
	}
	return out
}

// messages lists the window/showMessage texts.
func (r *recorder) messages() []string {
	var out []string
	for _, n := range r.notes {
		var m struct{ Message string }
		if n.method == "window/showMessage" && json.Unmarshal(n.params, &m) == nil {
			out = append(out, m.Message)
		}
	}
	return out
}

func (r *recorder) count(method string) int {
	n := 0
	for _, x := range r.notes {
		if x.method == method {
			n++
		}
	}
	return n
}
