package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// session is one `gochallenge serve` process and the editor side of its
// connection, which timestamps what the server sends.
type session struct {
	cmd    *exec.Cmd
	conn   *jsonrpc2.Conn
	mu     sync.Mutex
	events []event
	wake   chan struct{}
}

type event struct {
	at     time.Time
	method string
	params json.RawMessage
}

type pipes struct {
	io.ReadCloser
	io.WriteCloser
}

func (p pipes) Close() error { p.WriteCloser.Close(); return p.ReadCloser.Close() }

// start launches the server and completes the initialize handshake; it
// returns when the reply to initialize arrives.
func (b *bench) start(ctx context.Context) (*session, error) {
	s := &session{wake: make(chan struct{}, 1)}
	s.cmd = exec.Command(b.bin, "serve")
	s.cmd.Dir = b.ws
	s.cmd.Stderr = os.Stderr
	stdin, err := s.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(pipes{stdout, stdin}, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(s.handle), jsonrpc2.SetLogger(log.New(io.Discard, "", 0)))
	root := "file://" + b.ws
	err = s.conn.Call(ctx, "initialize", map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          root,
		"workspaceFolders": []map[string]string{{"uri": root, "name": "ws"}},
		"capabilities":     map[string]any{"window": map[string]any{"workDoneProgress": true}},
	}, nil)
	if err != nil {
		s.kill()
		return nil, fmt.Errorf("initialize: %w", err)
	}
	s.conn.Notify(ctx, "initialized", map[string]any{})
	return s, nil
}

func (s *session) handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	e := event{at: time.Now(), method: req.Method}
	if req.Params != nil {
		e.params = *req.Params
	}
	s.mu.Lock()
	s.events = append(s.events, e)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil, nil // window/workDoneProgress/create wants a null result
}

// waitFor returns the first event at or after since that matches, or an
// error after the timeout.
func (s *session) waitFor(since time.Time, timeout time.Duration, match func(event) bool) (event, error) {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, e := range s.events {
			if !e.at.Before(since) && match(e) {
				s.mu.Unlock()
				return e, nil
			}
		}
		s.mu.Unlock()
		select {
		case <-s.wake:
		case <-deadline:
			return event{}, fmt.Errorf("no matching event within %s", timeout)
		}
	}
}

// count returns how many events since the given time match.
func (s *session) count(since time.Time, match func(event) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.events {
		if !e.at.Before(since) && match(e) {
			n++
		}
	}
	return n
}

// forget drops recorded events, so a long run does not measure its own
// bookkeeping.
func (s *session) forget() {
	s.mu.Lock()
	s.events = nil
	s.mu.Unlock()
}

func isDiagnostics(e event) bool { return e.method == "textDocument/publishDiagnostics" }

// isSecondStage matches the progress report the server sends right after
// it published the plain run's results: the race (or done gate) stage
// begins.
func isSecondStage(e event) bool {
	kind, _ := progressValue(e)
	return kind == "report"
}

// progressValue reads a $/progress notification's kind (begin, report,
// end) and message; other events have neither.
func progressValue(e event) (kind, message string) {
	if e.method != "$/progress" {
		return "", ""
	}
	var p struct {
		Value struct{ Kind, Message string }
	}
	json.Unmarshal(e.params, &p)
	return p.Value.Kind, p.Value.Message
}

// testDiagnostics waits for a save's test results: the last diagnostics
// published before the second stage began (hints are published on their
// own, usually first, so the first publish is not the tests').
func (s *session) testDiagnostics(since time.Time, timeout time.Duration) (time.Time, error) {
	stage, err := s.waitFor(since, timeout, func(e event) bool { return isSecondStage(e) || isRunEnd(e) })
	if err != nil {
		return time.Time{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var at time.Time
	for _, e := range s.events {
		if !e.at.Before(since) && !e.at.After(stage.at) && isDiagnostics(e) {
			at = e.at
		}
	}
	if at.IsZero() {
		return time.Time{}, fmt.Errorf("no diagnostics before the run's second stage")
	}
	return at, nil
}

// isRunEnd matches the end of a run that was judged (a superseded run
// ends its progress with an empty message).
func isRunEnd(e event) bool {
	kind, message := progressValue(e)
	return kind == "end" && message != ""
}

// stop ends the session the way an editor does, and makes sure the
// process is gone.
func (s *session) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.conn.Call(ctx, "shutdown", nil, nil)
	s.conn.Notify(ctx, "exit", nil)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.kill()
		<-done
	}
	s.conn.Close()
}

func (s *session) kill() { s.cmd.Process.Kill() }
