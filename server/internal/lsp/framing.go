package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sourcegraph/jsonrpc2"
)

// Limits on what a client may send. A header line or a body past them is
// a framing error: the session ends, because the stream cannot be resynced.
const (
	maxHeaderLine = 4 << 10
	maxBody       = 64 << 20
)

// malformedMethod is the notification a message that is not JSON-RPC
// becomes: the session logs and drops it instead of ending.
const malformedMethod = "$/gochallenge/malformedMessage"

// framing reads and writes LSP's Content-Length framed messages.
//
// Written by hand rather than using jsonrpc2.VSCodeObjectCodec because
// that codec ends the session on any body that is not a JSON-RPC message
// (a stray `{}` from a buggy client kills the learner's diagnostics), and
// decodes with a json.Decoder that can stop short of Content-Length and
// leave the rest of the body to be misread as the next header. Here a
// body is always consumed whole, and only a broken frame is fatal.
type framing struct{}

func (framing) WriteObject(w io.Writer, v any) error {
	return jsonrpc2.VSCodeObjectCodec{}.WriteObject(w, v)
}

func (framing) ReadObject(r *bufio.Reader, v any) error {
	n, err := readHeaders(r)
	if err != nil {
		return err
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return json.Unmarshal(malformedNotification(err), v)
	}
	return nil
}

// readHeaders returns the Content-Length of the next message.
func readHeaders(r *bufio.Reader) (int, error) {
	length := -1
	for {
		line, err := readLine(r)
		if err != nil {
			return 0, err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return 0, fmt.Errorf("lsp: malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return 0, fmt.Errorf("lsp: bad Content-Length %q", value)
			}
			if n > maxBody {
				return 0, fmt.Errorf("lsp: message of %d bytes exceeds the %d byte limit", n, maxBody)
			}
			length = n
		}
	}
	if length < 0 {
		return 0, errors.New("lsp: message without Content-Length")
	}
	return length, nil
}

// readLine reads one \r\n-terminated header line of bounded length.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for b.Len() <= maxHeaderLine {
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		if c == '\n' {
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		b.WriteByte(c)
	}
	return "", errors.New("lsp: header line too long")
}

func malformedNotification(cause error) []byte {
	params, _ := json.Marshal(map[string]string{"error": cause.Error()})
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": malformedMethod, "params": json.RawMessage(params)})
	return msg
}
