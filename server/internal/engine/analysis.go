package engine

import (
	"context"
	"path/filepath"

	"gochallenge.dev/gochallenge/server/internal/analysis/lint"
	"gochallenge.dev/gochallenge/server/internal/analysis/suite"
	"gochallenge.dev/gochallenge/server/internal/gotest"
)

// Finding is a hint pass's finding in the learner's code.
type Finding struct {
	lint.Finding
	Severity suite.Severity `json:"severity"`
}

// Analyze runs the challenge's hint passes over the learner's code. It
// returns lint.ErrDoesNotTypeCheck when the code does not compile (the
// test run explains why), and the findings of the passes that ran along
// with the error of one that failed. Findings in the shipped tests are
// dropped: they are ours, not the learner's.
func (e *Engine) Analyze(ctx context.Context, id string) ([]Finding, error) {
	ch, err := e.Challenge(id)
	if err != nil {
		return nil, err
	}
	passes, _ := suite.For(ch.Analyzers)
	found, err := e.linter.Run(ctx, lint.Request{
		ModuleRoot: e.WS.Root,
		Dir:        e.WS.Dir(ch),
		Env:        gotest.Env(),
		Analyzers:  suite.Analyzers(passes),
	})
	byName := map[string]suite.Pass{}
	for _, p := range passes {
		byName[p.Name()] = p
	}
	var out []Finding
	for _, f := range found {
		rel, _ := filepath.Rel(e.WS.Root, f.File)
		if _, shipped := e.WS.Meta.ShippedTests[filepath.ToSlash(rel)]; shipped {
			continue
		}
		out = append(out, Finding{Finding: f, Severity: byName[f.Pass].SeverityOf(f.Category)})
	}
	return out, err
}
