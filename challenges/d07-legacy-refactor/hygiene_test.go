package billing

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/appends"
	"golang.org/x/tools/go/analysis/passes/assign"
	"golang.org/x/tools/go/analysis/passes/atomic"
	"golang.org/x/tools/go/analysis/passes/bools"
	"golang.org/x/tools/go/analysis/passes/composite"
	"golang.org/x/tools/go/analysis/passes/copylock"
	"golang.org/x/tools/go/analysis/passes/deepequalerrors"
	"golang.org/x/tools/go/analysis/passes/defers"
	"golang.org/x/tools/go/analysis/passes/directive"
	"golang.org/x/tools/go/analysis/passes/errorsas"
	"golang.org/x/tools/go/analysis/passes/hostport"
	"golang.org/x/tools/go/analysis/passes/httpresponse"
	"golang.org/x/tools/go/analysis/passes/ifaceassert"
	"golang.org/x/tools/go/analysis/passes/loopclosure"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/analysis/passes/nilfunc"
	"golang.org/x/tools/go/analysis/passes/nilness"
	"golang.org/x/tools/go/analysis/passes/printf"
	"golang.org/x/tools/go/analysis/passes/shift"
	"golang.org/x/tools/go/analysis/passes/sigchanyzer"
	"golang.org/x/tools/go/analysis/passes/slog"
	"golang.org/x/tools/go/analysis/passes/sortslice"
	"golang.org/x/tools/go/analysis/passes/stdmethods"
	"golang.org/x/tools/go/analysis/passes/stdversion"
	"golang.org/x/tools/go/analysis/passes/stringintconv"
	"golang.org/x/tools/go/analysis/passes/structtag"
	"golang.org/x/tools/go/analysis/passes/timeformat"
	"golang.org/x/tools/go/analysis/passes/unmarshal"
	"golang.org/x/tools/go/analysis/passes/unreachable"
	"golang.org/x/tools/go/analysis/passes/unsafeptr"
	"golang.org/x/tools/go/analysis/passes/unusedresult"
	"golang.org/x/tools/go/analysis/passes/unusedwrite"
	"golang.org/x/tools/go/analysis/passes/waitgroup"
)

// vetAnalyzers are `go vet`'s checks that apply to a package without
// assembly or cgo, plus the x/tools checks staticcheck also makes: nil
// dereferences on some path (nilness), writes to copies that are never
// read (unusedwrite), errors compared with reflect.DeepEqual, bad
// sort.Slice calls.
var vetAnalyzers = []*analysis.Analyzer{
	appends.Analyzer, assign.Analyzer, atomic.Analyzer, bools.Analyzer, composite.Analyzer,
	copylock.Analyzer, defers.Analyzer, directive.Analyzer, errorsas.Analyzer, hostport.Analyzer,
	httpresponse.Analyzer, ifaceassert.Analyzer, loopclosure.Analyzer, lostcancel.Analyzer,
	nilfunc.Analyzer, printf.Analyzer, shift.Analyzer, sigchanyzer.Analyzer, slog.Analyzer,
	stdmethods.Analyzer, stdversion.Analyzer, stringintconv.Analyzer, structtag.Analyzer,
	timeformat.Analyzer, unmarshal.Analyzer, unreachable.Analyzer, unsafeptr.Analyzer,
	unusedresult.Analyzer, waitgroup.Analyzer,
	nilness.Analyzer, unusedwrite.Analyzer, deepequalerrors.Analyzer, sortslice.Analyzer,
}

// extraAnalyzers is where more checks plug in (staticcheck's, for one).
var extraAnalyzers []*analysis.Analyzer

// maxComplexity is the highest cyclomatic complexity a function may have.
const maxComplexity = 12

// TestHygiene runs go/analysis passes over package billing (not its tests,
// not legacy/) in-process: the rules of the refactoring, go vet's checks,
// and the x/tools checks staticcheck also makes. Every rule is a subtest.
func TestHygiene(t *testing.T) {
	p, err := loadOnce()
	if err != nil {
		t.Fatalf("loading the package: %v", err)
	}
	rules := []struct {
		name string
		as   []*analysis.Analyzer
	}{
		{"globals", []*analysis.Analyzer{globalsAnalyzer}},
		{"init", []*analysis.Analyzer{initAnalyzer}},
		{"legacy", []*analysis.Analyzer{legacyImportAnalyzer}},
		{"any", []*analysis.Analyzer{anyAnalyzer}},
		{"ambient", []*analysis.Analyzer{ambientAnalyzer}},
		{"complexity", []*analysis.Analyzer{complexityAnalyzer}},
		{"vet", vetAnalyzers},
	}
	if len(extraAnalyzers) > 0 {
		rules = append(rules, struct {
			name string
			as   []*analysis.Analyzer
		}{"staticcheck", extraAnalyzers})
	}
	for _, r := range rules {
		t.Run(r.name, func(t *testing.T) {
			for _, d := range runAnalyzers(t, p, r.as...) {
				t.Error(d)
			}
		})
	}
}

var globalsAnalyzer = &analysis.Analyzer{
	Name: "globals",
	Doc:  "no package-level variables except Err* sentinels",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					for _, name := range spec.(*ast.ValueSpec).Names {
						if name.Name == "_" || strings.HasPrefix(name.Name, "Err") {
							continue
						}
						pass.Reportf(name.Pos(), "package-level variable %s: only Err* sentinel errors may be package variables; keep state in a struct the constructor builds", name.Name)
					}
				}
			}
		}
		return nil, nil
	},
}

var initAnalyzer = &analysis.Analyzer{
	Name: "init",
	Doc:  "no init functions",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, decl := range f.Decls {
				if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
					pass.Reportf(fd.Pos(), "func init: a package with an init does work nobody asked for on import; do it in the constructor")
				}
			}
		}
		return nil, nil
	},
}

var legacyImportAnalyzer = &analysis.Analyzer{
	Name: "legacy",
	Doc:  "package billing does not call into legacy/: it replaces it",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, imp := range f.Imports {
				if strings.HasSuffix(strings.Trim(imp.Path.Value, `"`), "/legacy") {
					pass.Reportf(imp.Pos(), "import of %s: billing replaces the legacy package; only the tests may use it", imp.Path.Value)
				}
			}
		}
		return nil, nil
	},
}

var anyAnalyzer = &analysis.Analyzer{
	Name: "any",
	Doc:  "no empty interface (any, interface{}) in the exported API",
	Run: func(pass *analysis.Pass) (any, error) {
		scope := pass.Pkg.Scope()
		for _, name := range scope.Names() {
			obj := scope.Lookup(name)
			if !obj.Exported() {
				continue
			}
			w := &anyWalker{pass: pass, seen: map[*types.Named]bool{}}
			switch obj := obj.(type) {
			case *types.TypeName:
				w.walk(obj.Type(), obj.Name())
				if named, ok := obj.Type().(*types.Named); ok {
					for m := range named.Methods() {
						if m.Exported() {
							w.walk(m.Type(), obj.Name()+"."+m.Name())
						}
					}
				}
			default:
				w.walk(obj.Type(), obj.Name())
			}
			for _, where := range w.found {
				pass.Reportf(obj.Pos(), "exported %s has an empty interface in %s: say what it is (a concrete type, a small interface, a generic)", obj.Name(), where)
			}
		}
		return nil, nil
	},
}

type anyWalker struct {
	pass  *analysis.Pass
	seen  map[*types.Named]bool
	found []string
}

func (w *anyWalker) walk(t types.Type, where string) {
	switch t := types.Unalias(t).(type) {
	case *types.Pointer:
		w.walk(t.Elem(), where)
	case *types.Slice:
		w.walk(t.Elem(), where)
	case *types.Array:
		w.walk(t.Elem(), where)
	case *types.Chan:
		w.walk(t.Elem(), where)
	case *types.Map:
		w.walk(t.Key(), where)
		w.walk(t.Elem(), where)
	case *types.Signature:
		for v := range t.Params().Variables() {
			w.walk(v.Type(), where)
		}
		for v := range t.Results().Variables() {
			w.walk(v.Type(), where)
		}
	case *types.Interface:
		if t.Empty() {
			w.found = append(w.found, where)
			return
		}
		for m := range t.ExplicitMethods() {
			if m.Exported() {
				w.walk(m.Type(), where+"."+m.Name())
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if f.Exported() {
				w.walk(f.Type(), where+"."+f.Name())
			}
		}
	case *types.Named:
		for a := range t.TypeArgs().Types() {
			w.walk(a, where)
		}
		if t.Obj().Pkg() != w.pass.Pkg || w.seen[t] {
			return // another package's business, or already walked
		}
		w.seen[t] = true
		w.walk(t.Underlying(), where)
	}
}

// ambient lists what reaches for process-wide state instead of what was
// injected: package path, then names.
var ambient = map[string][]string{
	"time":     {"Now", "Since", "Until"},
	"net/http": {"DefaultClient", "Get", "Head", "Post", "PostForm"},
	"os":       {"Getenv", "LookupEnv", "Environ"},
	"log":      {"Print", "Printf", "Println", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Default"},
	"log/slog": {"Default", "Debug", "Info", "Warn", "Error", "Log", "DebugContext", "InfoContext", "WarnContext", "ErrorContext", "LogAttrs"},
}

var ambientAnalyzer = &analysis.Analyzer{
	Name: "ambient",
	Doc:  "no time.Now, http.DefaultClient, environment or global loggers: use what was injected",
	Run: func(pass *analysis.Pass) (any, error) {
		for id, obj := range pass.TypesInfo.Uses {
			if obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() {
				continue // not a package-level object (a method, a field...)
			}
			for _, name := range ambient[obj.Pkg().Path()] {
				if obj.Name() == name {
					pass.Reportf(id.Pos(), "%s.%s reaches for process-wide state: take it from the constructor (clock, *http.Client, *slog.Logger, config)", obj.Pkg().Name(), name)
				}
			}
		}
		return nil, nil
	},
}

var complexityAnalyzer = &analysis.Analyzer{
	Name: "complexity",
	Doc:  fmt.Sprintf("cyclomatic complexity of every function at most %d", maxComplexity),
	Run: func(pass *analysis.Pass) (any, error) {
		for _, f := range pass.Files {
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				if c := complexity(fd.Body); c > maxComplexity {
					pass.Reportf(fd.Pos(), "%s has a cyclomatic complexity of %d (max %d): split it", funcName(fd), c, maxComplexity)
				}
			}
		}
		return nil, nil
	},
}

// complexity is gocyclo's count: 1, plus one per if, for, range, non-default
// case and select clause, && and ||.
func complexity(body *ast.BlockStmt) int {
	c := 1
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			c++
		case *ast.CaseClause:
			if n.List != nil {
				c++
			}
		case *ast.CommClause:
			if n.Comm != nil {
				c++
			}
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				c++
			}
		}
		return true
	})
	return c
}

func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return "(" + id.Name + ")." + fd.Name.Name
	}
	return fd.Name.Name
}
