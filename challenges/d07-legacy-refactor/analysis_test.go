package billing

// A small go/analysis driver: it loads this package (and only this
// package) from source, type-checks it against the compiled export data of
// its imports, and runs analyzers over it in-process, as `go vet` would.

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// sources is this package's directory as the compiler saw it. Embedding
// (rather than reading the directory) also sees the files that `go test
// -overlay` substitutes, which is how reference solutions are checked.
//
//go:embed *.go
var sources embed.FS

// loadedPackage is the package under analysis, without its tests.
type loadedPackage struct {
	fset  *token.FileSet
	files []*ast.File
	pkg   *types.Package
	info  *types.Info
}

var loadOnce = sync.OnceValues(loadPackage)

func loadPackage() (*loadedPackage, error) {
	fset := token.NewFileSet()
	entries, err := sources.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	imports := map[string]bool{}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		data, err := sources.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, e.Name(), data, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		for _, imp := range f.Imports {
			imports[strings.Trim(imp.Path.Value, `"`)] = true
		}
	}
	exports, err := exportData(slices.Sorted(func(yield func(string) bool) {
		for p := range imports {
			if p != "unsafe" && !yield(p) {
				return
			}
		}
	}))
	var imp types.Importer
	if err != nil {
		// No go command at hand: type-check the imports from source,
		// which is correct but takes seconds.
		imp = importer.ForCompiler(fset, "source", nil)
	} else {
		imp = importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			f, ok := exports[path]
			if !ok || f == "" {
				return nil, fmt.Errorf("no export data for %s", path)
			}
			return os.Open(f)
		})
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: imp, GoVersion: "go1.26", Sizes: types.SizesFor("gc", runtime.GOARCH)}
	pkg, err := conf.Check("curriculum.dev/challenges/d07-legacy-refactor", fset, files, info)
	if err != nil {
		return nil, fmt.Errorf("type-checking the package: %w", err)
	}
	return &loadedPackage{fset: fset, files: files, pkg: pkg, info: info}, nil
}

// exportData asks the go command where the compiled export data of the
// packages (and their dependencies) is: one `go list -export`, served from
// the build cache that compiling this test just filled. It builds with
// -race when this test binary was, so that the cache entries match.
func exportData(pkgs []string) (map[string]string, error) {
	if len(pkgs) == 0 {
		return map[string]string{}, nil
	}
	args := []string{"list", "-e", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}"}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	goCmd := "go"
	if p, err := exec.LookPath("go"); err == nil {
		goCmd = p
	} else if p := runtime.GOROOT() + "/bin/go"; fileExists(p) {
		goCmd = p
	}
	cmd := exec.Command(goCmd, append(args, pkgs...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v: %s", err, stderr.Bytes())
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, file, _ := strings.Cut(sc.Text(), "\t")
		m[path] = file
	}
	return m, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// runAnalyzers runs the analyzers, and what they require, over p and
// returns their diagnostics, formatted as file:line: [analyzer] message.
// Facts work within the package; facts about other packages are absent, as
// if those packages had none.
func runAnalyzers(t *testing.T, p *loadedPackage, analyzers ...*analysis.Analyzer) []string {
	t.Helper()
	// Facts belong to the analyzer that exports them.
	type key struct {
		a   *analysis.Analyzer
		obj types.Object
		typ reflect.Type
	}
	objFacts := map[key]analysis.Fact{}
	pkgFacts := map[key]analysis.Fact{}
	results := map[*analysis.Analyzer]any{}
	var diags []string
	var run func(a *analysis.Analyzer, report bool) error
	run = func(a *analysis.Analyzer, report bool) error {
		if _, done := results[a]; done && !report {
			return nil
		}
		for _, req := range a.Requires {
			if err := run(req, false); err != nil {
				return err
			}
		}
		resultOf := map[*analysis.Analyzer]any{}
		for _, req := range a.Requires {
			resultOf[req] = results[req]
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       p.fset,
			Files:      p.files,
			Pkg:        p.pkg,
			TypesInfo:  p.info,
			TypesSizes: types.SizesFor("gc", runtime.GOARCH),
			ResultOf:   resultOf,
			ReadFile:   sources.ReadFile,
			Report: func(d analysis.Diagnostic) {
				if report {
					pos := p.fset.Position(d.Pos)
					diags = append(diags, fmt.Sprintf("%s:%d: [%s] %s", pos.Filename, pos.Line, a.Name, d.Message))
				}
			},
			ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
				f, ok := objFacts[key{a, obj, reflect.TypeOf(fact)}]
				if ok {
					reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
				}
				return ok
			},
			ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
				objFacts[key{a, obj, reflect.TypeOf(fact)}] = fact
			},
			ImportPackageFact: func(pkg *types.Package, fact analysis.Fact) bool {
				f, ok := pkgFacts[key{a, nil, reflect.TypeOf(fact)}]
				if ok && pkg == p.pkg {
					reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
				}
				return ok && pkg == p.pkg
			},
			ExportPackageFact: func(fact analysis.Fact) { pkgFacts[key{a, nil, reflect.TypeOf(fact)}] = fact },
			AllObjectFacts: func() []analysis.ObjectFact {
				var out []analysis.ObjectFact
				for k, f := range objFacts {
					if k.a == a {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				return out
			},
			AllPackageFacts: func() []analysis.PackageFact {
				var out []analysis.PackageFact
				for k, f := range pkgFacts {
					if k.a == a {
						out = append(out, analysis.PackageFact{Package: p.pkg, Fact: f})
					}
				}
				return out
			},
		}
		res, err := a.Run(pass)
		if err != nil {
			return fmt.Errorf("analyzer %s: %w", a.Name, err)
		}
		results[a] = res
		return nil
	}
	for _, a := range analyzers {
		if err := run(a, true); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(diags)
	return slices.Compact(diags)
}
