package lsp

import (
	"context"
	"fmt"
	"time"

	"go.lsp.dev/protocol"
)

// workDone is one window/workDoneProgress: "Running d01 tests...",
// "Race check...", then the outcome. Clients that did not declare support
// get nothing.
type workDone struct {
	s     *Server
	token protocol.String
	ok    bool
}

func (s *Server) beginProgress(title string) *workDone {
	s.mu.Lock()
	s.progressSeq++
	w := &workDone{s: s, token: protocol.String(fmt.Sprintf("gochallenge-%d", s.progressSeq)), ok: s.workDone}
	s.mu.Unlock()
	if !w.ok {
		return w
	}
	// The client must acknowledge the token before progress is sent on it.
	ctx, cancel := context.WithTimeout(s.closing, 5*time.Second)
	defer cancel()
	params, _ := protocol.Marshal(&protocol.WorkDoneProgressCreateParams{Token: w.token})
	if err := s.conn.Call(ctx, "window/workDoneProgress/create", jsonRaw(params), nil); err != nil {
		w.ok = false
		return w
	}
	s.notifyLSP("$/progress", &protocol.ProgressParams{Token: w.token, Value: mustRaw(&protocol.WorkDoneProgressBegin{Kind: "begin", Title: title})})
	return w
}

func (w *workDone) report(msg string) {
	if w.ok {
		w.s.notifyLSP("$/progress", &protocol.ProgressParams{Token: w.token, Value: mustRaw(&protocol.WorkDoneProgressReport{Kind: "report", Message: &msg})})
	}
}

func (w *workDone) end(msg string) {
	if w.ok {
		w.s.notifyLSP("$/progress", &protocol.ProgressParams{Token: w.token, Value: mustRaw(&protocol.WorkDoneProgressEnd{Kind: "end", Message: &msg})})
	}
}

func (s *Server) showError(msg string) {
	s.notifyLSP("window/showMessage", &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg})
}
