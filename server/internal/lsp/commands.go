package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/sourcegraph/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

// methodBenchmarkResult is the notification carrying a finished
// benchmark run (the extension shows it and the lens picks it up).
const methodBenchmarkResult = "gochallenge/benchmarkResult"

func mustJSON(v any) protocol.LSPAny {
	data, _ := json.Marshal(v)
	return protocol.LSPAny(data)
}

// commandArgs decodes [uri, name] arguments.
func commandArgs(args []protocol.LSPAny) (uri.URI, string, error) {
	var u, name string
	if len(args) < 1 || json.Unmarshal(args[0], &u) != nil {
		return "", "", &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "expected arguments [documentURI, name]"}
	}
	if len(args) > 1 {
		if err := json.Unmarshal(args[1], &name); err != nil {
			return "", "", &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "the second argument must be a test or benchmark name"}
		}
	}
	return uri.URI(u), name, nil
}

// commandResult is what executeCommand returns: the status for tests, the
// verdicts for benchmarks.
type commandResult struct {
	Challenge string                `json:"challenge"`
	Status    string                `json:"status,omitempty"`
	Why       string                `json:"why,omitempty"`
	Verdicts  []engine.BenchVerdict `json:"verdicts,omitempty"`
}

func (s *Server) executeCommand(ctx context.Context, p *protocol.ExecuteCommandParams) (json.RawMessage, error) {
	u, name, err := commandArgs(p.Arguments)
	if err != nil {
		return nil, err
	}
	st, id := s.locate(u)
	if st == nil {
		// A challenge id instead of a document.
		st, id = s.byID(string(u))
		if st == nil {
			return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("%s is not in a challenge workspace", u)}
		}
	}
	var out commandResult
	switch p.Command {
	case CommandCheck, CommandRunTest, CommandRaceCheck:
		req := checkRequest{raceCheck: p.Command == CommandRaceCheck}
		if p.Command == CommandRunTest && name != "" {
			req.run = "^" + regexp.QuoteMeta(name) + "$"
		}
		s.mu.Lock()
		s.hintsSoonLocked(st, id)
		s.mu.Unlock()
		res, err := s.check(ctx, st, id, req)
		if err != nil {
			return nil, err
		}
		out = commandResult{Challenge: id, Status: string(res.Status), Why: res.Why}
	case CommandRunBenchmark:
		prog := s.beginProgress(fmt.Sprintf("Benchmarking %s...", strings.TrimPrefix(name, "Benchmark")))
		rep, err := st.e.Bench(ctx, id, engine.BenchOptions{Name: name})
		if err != nil {
			prog.end("")
			return nil, err
		}
		prog.end("")
		out = commandResult{Challenge: id, Verdicts: rep.Verdicts}
		if !rep.Run.Compiled() {
			s.publish(st, id, rep.Run)
			out.Status, out.Why = "compile-error", "the benchmarks do not build"
		}
		s.notify(methodBenchmarkResult, out)
	default:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "unknown command " + p.Command}
	}
	data, err := json.Marshal(out)
	return data, err
}
