// Package lsp is `gochallenge serve`: a language server on stdio that
// turns every save in a challenge into inline results. It only translates:
// running, judging and progress live in the engine, so the editor, the
// terminal and other LSP clients always agree.
//
// Transport is github.com/sourcegraph/jsonrpc2 with Content-Length framing;
// message types are go.lsp.dev/protocol, decoded with its own codec
// (protocol.Unmarshal) because its union types do not round-trip through
// encoding/json.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/engine"
	"gochallenge.dev/gochallenge/server/internal/progress"
	"gochallenge.dev/gochallenge/server/internal/toolchain"
)

// Options configure a server.
type Options struct {
	// Debounce is how long a burst of saves settles before a run (50 ms
	// by default: a save-all's writes arrive within a few ms of each other,
	// a late watcher echo of a write is dropped by content (schedule), and
	// every millisecond here is added to every save's latency).
	Debounce time.Duration
	// Version is reported in serverInfo.
	Version string
	// Log receives diagnostics about the server itself (stderr by default).
	Log *log.Logger
	// Curriculum is where starter files (reset) and reference solutions
	// come from: the one built into the binary by default.
	Curriculum fs.FS
	// Toolchain runs the quick toolchain checks at startup
	// (toolchain.Diagnose by default; tests pretend a machine without Go).
	Toolchain func(context.Context) []toolchain.Check
}

// Server is one LSP session.
type Server struct {
	opts Options
	conn *jsonrpc2.Conn
	// connected is closed once conn is set: the connection's reader starts
	// handling messages inside jsonrpc2.NewConn, before Serve can store it.
	connected chan struct{}
	log       *log.Logger

	mu          sync.Mutex
	initialized bool
	shutdown    bool
	exitCode    chan int
	ws          []*workspaceState
	requests    map[jsonrpc2.ID]context.CancelFunc // in flight, for $/cancelRequest
	progressSeq int
	closed      bool               // no new runs start once set
	workDone    bool               // the client accepts window/workDoneProgress/create
	docs        map[uri.URI]string // open documents' text
	settings    settings
	closing     context.Context
	stop        context.CancelFunc
	wg          sync.WaitGroup // background runs
	// toolchainChecked is closed once env holds the startup checks.
	toolchainChecked chan struct{}
	toolchainOnce    sync.Once
	env              *Environment
}

// workspaceState is one challenge workspace among the client's folders.
type workspaceState struct {
	e        *engine.Engine
	timers   map[string]*time.Timer     // debounce per challenge, while pending
	lastRun  map[string]lastRun         // what each challenge's latest run started on
	diags    map[string]*challengeDiags // what each challenge has shown
	pubMu    sync.Mutex                 // orders publishes: tests and hints finish concurrently
	pages    map[string]uri.URI         // hint pages written to the workspace, by pass
	opened   map[string]bool            // challenges opened this session
	statuses map[string]progress.Status
	inFlight map[string]int // checks running per challenge
	watcher  io.Closer
}

// Serve runs a session over rwc until the client sends exit or hangs up,
// and returns the process exit code the LSP spec asks for.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, o Options) int {
	if o.Debounce <= 0 {
		o.Debounce = 50 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = log.New(io.Discard, "", 0)
	}
	if o.Toolchain == nil {
		o.Toolchain = func(ctx context.Context) []toolchain.Check { return toolchain.Diagnose(ctx, false) }
	}
	s := &Server{
		opts: o, log: o.Log, exitCode: make(chan int, 1), connected: make(chan struct{}),
		requests: map[jsonrpc2.ID]context.CancelFunc{}, docs: map[uri.URI]string{}, toolchainChecked: make(chan struct{}),
	}
	s.closing, s.stop = context.WithCancel(ctx)
	defer s.stop()
	s.conn = jsonrpc2.NewConn(s.closing, jsonrpc2.NewBufferedStream(rwc, framing{}), handlerFunc(s.serveMessage), jsonrpc2.SetLogger(s.log))
	close(s.connected)
	code := 1 // the client hung up without exit
	select {
	case code = <-s.exitCode:
	case <-s.conn.DisconnectNotify():
	case <-ctx.Done():
	}
	s.stop()
	s.mu.Lock()
	s.closed = true
	for _, st := range s.ws {
		for _, t := range st.timers {
			t.Stop()
		}
	}
	s.mu.Unlock()
	s.wg.Wait() // every run is cancelled and its processes are gone
	s.closeWatchers()
	s.conn.Close()
	return code
}

// slow methods run their work (tests, benchmarks) while the client keeps
// talking: they are answered from a goroutine. Everything else is handled
// on the connection's reader goroutine, so notifications keep their order
// (didChange before didSave). A slow method must not run there: the work
// calls the client (window/workDoneProgress/create), and the reply to that
// call is read by the very goroutine it would block.
// handlerFunc adapts a function to jsonrpc2.Handler.
type handlerFunc func(context.Context, *jsonrpc2.Conn, *jsonrpc2.Request)

func (f handlerFunc) Handle(ctx context.Context, c *jsonrpc2.Conn, r *jsonrpc2.Request) { f(ctx, c, r) }

var slow = map[string]bool{"workspace/executeCommand": true}

func (s *Server) serveMessage(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	<-s.connected
	reply := func() {
		result, err := s.handle(ctx, conn, req)
		if req.Notif {
			return
		}
		if err != nil {
			var re *jsonrpc2.Error
			if !errors.As(err, &re) {
				re = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
			}
			conn.ReplyWithError(ctx, req.ID, re)
			return
		}
		conn.Reply(ctx, req.ID, result)
	}
	if !slow[req.Method] {
		reply()
		return
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		conn.ReplyWithError(ctx, req.ID, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shutting down"})
		return
	}
	s.wg.Go(reply)
	s.mu.Unlock()
}

func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (result any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("panic handling %s: %v", req.Method, r)
			err = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: fmt.Sprintf("internal error handling %s", req.Method)}
		}
	}()
	s.mu.Lock()
	initialized, shutdown := s.initialized, s.shutdown
	s.mu.Unlock()
	switch {
	case req.Method == malformedMethod:
		if req.Params != nil {
			s.log.Printf("dropped a message that is not JSON-RPC: %s", *req.Params)
		}
		return nil, nil
	case req.Method == "exit":
		code := 1
		if shutdown {
			code = 0
		}
		select {
		case s.exitCode <- code:
		default:
		}
		return nil, nil
	case !initialized && req.Method != "initialize":
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: -32002, Message: "the server is not initialized"}
	case shutdown && req.Method != "shutdown":
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shutting down"}
	}
	h, ok := handlers[req.Method]
	if !ok {
		if req.Notif {
			return nil, nil // unknown notifications are ignored, per the spec ($/ ones included)
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	}
	if !req.Notif {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(s.closing)
		s.mu.Lock()
		s.requests[req.ID] = cancel
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			delete(s.requests, req.ID)
			s.mu.Unlock()
			cancel()
		}()
	}
	var params json.RawMessage
	if req.Params != nil {
		params = *req.Params
	}
	return h(s, ctx, params)
}

// handler is one LSP method. params is the raw JSON of the request.
type handler func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"initialize":               bind((*Server).initialize),
		"initialized":              bind((*Server).initializedNotification),
		"shutdown":                 bind((*Server).shutdownRequest),
		"$/cancelRequest":          bindRaw((*Server).cancelRequest),
		"textDocument/didOpen":     bind((*Server).didOpen),
		"textDocument/didChange":   bindRaw((*Server).didChange),
		"textDocument/didSave":     bind((*Server).didSave),
		"textDocument/didClose":    bind((*Server).didClose),
		"textDocument/codeLens":    bind((*Server).codeLens),
		"textDocument/codeAction":  bind((*Server).codeAction),
		"workspace/executeCommand": bind((*Server).executeCommand),
		methodTree:                 bindJSON((*Server).tree),
		methodProgress:             bindJSON((*Server).progressSummary),
		methodHint:                 bindJSON((*Server).hint),
		methodReset:                bindJSON((*Server).reset),
		methodStatement:            bindJSON((*Server).statement),
		methodSolution:             bindJSON((*Server).solution),
		methodEnvironment:          bindJSON((*Server).environment),
	}
}

// bind decodes LSP params with go.lsp.dev/protocol's codec, calls m, and
// encodes its result the same way.
func bind[P, R any](m func(*Server, context.Context, *P) (R, error)) handler {
	return func(s *Server, ctx context.Context, raw json.RawMessage) (any, error) {
		var p P
		if len(raw) > 0 {
			if err := protocol.Unmarshal(raw, &p); err != nil {
				return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: err.Error()}
			}
		}
		r, err := m(s, ctx, &p)
		if err != nil {
			return nil, rpcError(err)
		}
		if raw, ok := any(r).(json.RawMessage); ok {
			return raw, nil
		}
		data, err := protocol.Marshal(r)
		if err != nil {
			return nil, rpcError(err)
		}
		return json.RawMessage(data), nil
	}
}

// bindJSON is bind for gochallenge's own methods, whose types are plain
// encoding/json structs.
func bindJSON[P, R any](m func(*Server, context.Context, *P) (R, error)) handler {
	return func(s *Server, ctx context.Context, raw json.RawMessage) (any, error) {
		var p P
		if len(raw) > 0 && string(raw) != "null" {
			if err := json.Unmarshal(raw, &p); err != nil {
				return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: err.Error()}
			}
		}
		r, err := m(s, ctx, &p)
		if err != nil {
			return nil, rpcError(err)
		}
		return r, nil
	}
}

func bindRaw(m func(*Server, context.Context, json.RawMessage) error) handler {
	return func(s *Server, ctx context.Context, raw json.RawMessage) (any, error) {
		return nil, rpcError(m(s, ctx, raw))
	}
}

// rpcError gives an error a JSON-RPC code: sourcegraph/jsonrpc2 would send
// a plain error with code 0.
func rpcError(err error) error {
	if err == nil {
		return nil
	}
	var re *jsonrpc2.Error
	if errors.As(err, &re) {
		return re
	}
	if errors.Is(err, context.Canceled) {
		return &jsonrpc2.Error{Code: -32800, Message: "request cancelled"}
	}
	return &jsonrpc2.Error{Code: -32803, Message: err.Error()} // RequestFailed
}

func (s *Server) shutdownRequest(context.Context, *struct{}) (*struct{}, error) {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil, nil
}

// cancelRequest decodes the id by hand: VS Code sends numbers, other
// clients strings, and the id must match the one jsonrpc2 parsed.
func (s *Server) cancelRequest(_ context.Context, raw json.RawMessage) error {
	var p struct {
		ID jsonrpc2.ID `json:"id"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil // a malformed cancel is dropped
	}
	s.mu.Lock()
	cancel := s.requests[p.ID]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

// notify sends a notification, logging (not failing) when the client is gone.
func (s *Server) notify(method string, params any) {
	if err := s.conn.Notify(context.Background(), method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		s.log.Printf("notify %s: %v", method, err)
	}
}

// notifyLSP sends LSP-typed params through protocol.Marshal.
func (s *Server) notifyLSP(method string, params any) {
	data, err := protocol.Marshal(params)
	if err != nil {
		s.log.Printf("encoding %s: %v", method, err)
		return
	}
	s.notify(method, json.RawMessage(data))
}
