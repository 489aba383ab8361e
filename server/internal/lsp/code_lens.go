package lsp

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"

	"go.lsp.dev/protocol"

	"gochallenge.dev/gochallenge/server/internal/engine"
)

// codeLens puts "run test" above every TestX and "run benchmark" above
// every BenchmarkX of a challenge's test files; a benchmark's lens shows
// the learner's last result and the challenge's target.
func (s *Server) codeLens(_ context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	u := p.TextDocument.URI
	path := docPath(u)
	if !strings.HasSuffix(path, "_test.go") {
		return []protocol.CodeLens{}, nil
	}
	st, id := s.locate(u)
	if st == nil {
		return []protocol.CodeLens{}, nil
	}
	text, open := s.document(u)
	if !open {
		data, err := os.ReadFile(path)
		if err != nil {
			return []protocol.CodeLens{}, nil
		}
		text = string(data)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, text, parser.SkipObjectResolution)
	if f == nil {
		return []protocol.CodeLens{}, err
	}
	ch, _ := st.e.Challenge(id)
	prog, _ := st.e.WS.Progress.Load()
	lenses := []protocol.CodeLens{}
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil {
			continue
		}
		name := fn.Name.Name
		line := uint32(fset.Position(fn.Pos()).Line - 1)
		rng := protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line}}
		args := []protocol.LSPAny{mustJSON(string(u)), mustJSON(name)}
		switch {
		case strings.HasPrefix(name, "Test") && name != "TestMain":
			lenses = append(lenses, protocol.CodeLens{Range: rng, Command: protocol.Command{Title: "run test", Command: CommandRunTest, Arguments: args}})
		case strings.HasPrefix(name, "Benchmark"):
			title := "run benchmark"
			var last *engine.BenchVerdict
			if prog != nil {
				if h := prog.Get(id).History[name]; len(h) > 0 {
					b := h[len(h)-1].Bench
					last = &engine.BenchVerdict{}
					last.NsPerOp, last.AllocsPerOp = b.NsPerOp, b.AllocsPerOp
				}
			}
			if last != nil {
				title += fmt.Sprintf(" · last %s ns/op, %s allocs/op", engine.Thousands(last.NsPerOp), engine.Thousands(last.AllocsPerOp))
			}
			if ch != nil {
				if t := engine.BenchmarkTarget(ch, name); t != "" {
					title += " · target " + t
				}
			}
			lenses = append(lenses, protocol.CodeLens{Range: rng, Command: protocol.Command{Title: title, Command: CommandRunBenchmark, Arguments: args}})
		}
	}
	return lenses, nil
}
