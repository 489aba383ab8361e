package billing

// Move this file next to hygiene_test.go once the challenges module can
// build honnef.co/go/tools/staticcheck (go.mod/go.sum need
// golang.org/x/exp/typeparams, golang.org/x/mod and github.com/BurntSushi/toml
// besides honnef.co/go/tools itself). TestHygiene then gains a
// "staticcheck" rule: the checks `staticcheck ./...` runs by default.

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"honnef.co/go/tools/analysis/lint"
	"honnef.co/go/tools/simple"
	"honnef.co/go/tools/staticcheck"
	"honnef.co/go/tools/stylecheck"
	"honnef.co/go/tools/unused"
)

func init() {
	for _, set := range [][]*lint.Analyzer{staticcheck.Analyzers, simple.Analyzers, stylecheck.Analyzers} {
		for _, a := range set {
			if !a.Doc.NonDefault {
				extraAnalyzers = append(extraAnalyzers, a.Analyzer)
			}
		}
	}
	extraAnalyzers = append(extraAnalyzers, unusedCode)
}

// unusedCode reports what staticcheck's U1000 finds. The unused analyzer
// only returns its findings; the staticcheck command is what prints them.
var unusedCode = &analysis.Analyzer{
	Name:     "U1000",
	Doc:      "unused code",
	Requires: []*analysis.Analyzer{unused.Analyzer.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, obj := range pass.ResultOf[unused.Analyzer.Analyzer].(unused.Result).Unused {
			pass.Report(analysis.Diagnostic{Pos: position(pass, obj.DisplayPosition), Message: fmt.Sprintf("%s %s is unused", obj.Kind, obj.Name)})
		}
		return nil, nil
	},
}

func position(pass *analysis.Pass, p token.Position) token.Pos {
	for _, f := range pass.Files {
		if tf := pass.Fset.File(f.Pos()); tf != nil && tf.Name() == p.Filename && p.Line >= 1 && p.Line <= tf.LineCount() {
			return tf.LineStart(p.Line) + token.Pos(max(p.Column-1, 0))
		}
	}
	return token.NoPos
}
