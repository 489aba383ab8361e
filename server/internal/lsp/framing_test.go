package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// rawClient speaks bytes to a server session, so tests can send what no
// well-behaved client library would.
type rawClient struct {
	conn    net.Conn
	done    chan struct{} // closed when Serve returns
	code    int           // Serve's exit code, once done
	logs    *lockedBuffer
	replies chan map[string]json.RawMessage
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startRaw(t testing.TB) *rawClient {
	serverSide, clientSide := net.Pipe()
	c := &rawClient{conn: clientSide, done: make(chan struct{}), logs: &lockedBuffer{}, replies: make(chan map[string]json.RawMessage, 64)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		c.code = Serve(ctx, serverSide, Options{Log: log.New(c.logs, "", 0)})
		close(c.done)
	}()
	go func() {
		r := bufio.NewReader(clientSide)
		for {
			n, err := readHeaders(r)
			if err != nil {
				return
			}
			body := make([]byte, n)
			if _, err := io.ReadFull(r, body); err != nil {
				return
			}
			var m map[string]json.RawMessage
			if json.Unmarshal(body, &m) != nil {
				continue
			}
			if _, isRequest := m["method"]; isRequest {
				continue // the server's own requests and notifications
			}
			select {
			case c.replies <- m:
			default: // a test that stopped reading
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		clientSide.Close()
		select {
		case <-c.done:
		case <-time.After(30 * time.Second):
			t.Error("server did not stop after the client hung up")
		}
	})
	return c
}

// send frames body as one message; an error means the server hung up.
func (c *rawClient) send(body string) error {
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := fmt.Fprintf(c.conn, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

// reply waits for the response to the request with the given id.
func (c *rawClient) reply(id string, within time.Duration) (map[string]json.RawMessage, bool) {
	deadline := time.After(within)
	for {
		select {
		case m := <-c.replies:
			if string(m["id"]) == id {
				return m, true
			}
		case <-c.done:
			return nil, false
		case <-deadline:
			return nil, false
		}
	}
}

const initializeMsg = `{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`

func TestMalformedMessagesAreDroppedAndTheSessionLives(t *testing.T) {
	c := startRaw(t)
	for _, body := range []string{
		`not json at all`,
		`{}`,
		`[]`,
		`{"jsonrpc":"2.0","id":1}`,
		`{"jsonrpc":"2.0","method":7}`,
		`{"jsonrpc":"2.0","id":2,"method":"initialize","params":"not an object"}{"trailing":"garbage"}`,
	} {
		if err := c.send(body); err != nil {
			t.Fatalf("server hung up after %q: %v", body, err)
		}
	}
	if err := c.send(initializeMsg); err != nil {
		t.Fatal(err)
	}
	m, ok := c.reply(`"init"`, 10*time.Second)
	if !ok {
		t.Fatalf("no reply to initialize after malformed messages; server log:\n%s", c.logs)
	}
	if _, ok := m["result"]; !ok {
		t.Errorf("initialize answered with %s, want a result", m["error"])
	}
	if !strings.Contains(c.logs.String(), "not JSON-RPC") {
		t.Errorf("dropped messages were not logged; log:\n%s", c.logs)
	}
}

func TestBadParamsAreInvalidParams(t *testing.T) {
	c := startRaw(t)
	c.send(initializeMsg)
	if _, ok := c.reply(`"init"`, 10*time.Second); !ok {
		t.Fatal("no reply to initialize")
	}
	c.send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	c.send(`{"jsonrpc":"2.0","id":"lens","method":"textDocument/codeLens","params":{"textDocument":42}}`)
	m, ok := c.reply(`"lens"`, 10*time.Second)
	if !ok {
		t.Fatal("no reply to a codeLens request with bad params")
	}
	var e struct{ Code int }
	json.Unmarshal(m["error"], &e)
	if e.Code != -32602 {
		t.Errorf("error code %d (%s), want -32602 InvalidParams", e.Code, m["error"])
	}
}

func TestBrokenFrameEndsTheSession(t *testing.T) {
	c := startRaw(t)
	fmt.Fprintf(c.conn, "Content-Length: banana\r\n\r\n{}")
	select {
	case <-c.done:
		if c.code != 1 {
			t.Errorf("exit code %d, want 1 (the stream cannot be resynced)", c.code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server kept reading a stream it cannot frame")
	}
}

// FuzzMessageHandling sends one arbitrary message body to a fresh session
// and then checks the server is still answering (or has exited because it
// was told to) and has not panicked in any handler.
func FuzzMessageHandling(f *testing.F) {
	for _, seed := range []string{
		initializeMsg,
		`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///nowhere/x.go","languageId":"go","version":1,"text":"package x"}}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x.go","version":2},"contentChanges":[{"range":{"start":{"line":99,"character":-1},"end":{"line":0,"character":0}},"text":"é"}]}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didSave","params":{"textDocument":{"uri":"::not a uri::"}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"textDocument/codeLens","params":{"textDocument":{"uri":"file:///etc/passwd"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"workspace/executeCommand","params":{"command":"gochallenge.runBenchmark","arguments":[null,{"x":[]},"../../etc"]}}`,
		`{"jsonrpc":"2.0","id":5,"method":"gochallenge/hint","params":{"challenge":"../../x","level":-9}}`,
		`{"jsonrpc":"2.0","id":6,"method":"gochallenge/reset","params":{"challenge":""}}`,
		`{"jsonrpc":"2.0","id":7,"method":"gochallenge/tree","params":null}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"nested":true}}}`,
		`{"jsonrpc":"2.0","id":8,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
		`{"jsonrpc":"2.0","id":9,"result":{"unsolicited":"response"}}`,
		`[{"jsonrpc":"2.0","id":10,"method":"initialize","params":{}}]`,
		`{"jsonrpc":"2.0","id":1e999,"method":"initialize"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c := startRaw(t)
		if err := c.send(initializeMsg); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.reply(`"init"`, 10*time.Second); !ok {
			t.Fatal("no reply to initialize")
		}
		if err := c.send(body); err != nil {
			return // the body told the server to exit
		}
		if err := c.send(`{"jsonrpc":"2.0","id":"probe","method":"gochallenge/tree","params":{}}`); err == nil {
			if _, ok := c.reply(`"probe"`, 10*time.Second); !ok && !strings.Contains(body, "exit") {
				t.Fatalf("server stopped answering after %q; log:\n%s", body, c.logs)
			}
		}
		if log := c.logs.String(); strings.Contains(log, "panic") {
			t.Fatalf("a handler panicked on %q:\n%s", body, log)
		}
	})
}
