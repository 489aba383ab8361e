// Package lint runs the hint passes over one challenge package in-process.
//
// The first run of a package loads it with go/packages (one `go list`,
// imports from export data); later runs re-parse and re-type-check only
// the package's own files against the imports kept from that load, so a
// save costs milliseconds. A change to the file list or the import set
// (or a go.mod edit) triggers a fresh load.
package lint

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// Finding is one diagnostic of a pass, located in a file.
type Finding struct {
	Pass string `json:"pass"`
	// Category is the pass's kind of finding, when it has several.
	Category string `json:"category,omitempty"`
	Message  string `json:"message"`
	Span
	Fixes []Fix `json:"fixes,omitempty"`
}

// Span is a byte range in a file; lines and columns are 1-based, columns
// count bytes.
type Span struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Col       int    `json:"col"`
	EndLine   int    `json:"endLine"`
	EndCol    int    `json:"endCol"`
	Offset    int    `json:"offset"`
	EndOffset int    `json:"endOffset"`
}

// Fix is a suggested fix: edits to apply together.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Edit replaces a span with new text.
type Edit struct {
	Span
	NewText string `json:"newText"`
}

// ErrDoesNotTypeCheck means the package has syntax or type errors: the
// test run reports those, and passes over broken code would only guess.
var ErrDoesNotTypeCheck = errors.New("the package does not type-check")

// Request names a package and the passes to run on it.
type Request struct {
	// Dir is the package directory; the go command runs in ModuleRoot.
	ModuleRoot, Dir string
	// Overlay replaces files' contents (absolute paths), as go build
	// -overlay does: verify runs the passes over reference solutions.
	Overlay map[string][]byte
	// Env is the go command's environment (nil: the process's).
	Env       []string
	Analyzers []*analysis.Analyzer
}

// Linter keeps loaded packages between runs. It is safe for concurrent use.
type Linter struct {
	mu     sync.Mutex
	cache  map[string]*loaded // by package directory
	loads  int
	checks int
}

// New returns an empty Linter.
func New() *Linter { return &Linter{cache: map[string]*loaded{}} }

// Stats reports how many go/packages loads and in-place re-checks ran:
// tests use it to prove a save does not reload.
func (l *Linter) Stats() (loads, checks int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loads, l.checks
}

// loaded is what a go/packages load gives that survives edits.
type loaded struct {
	pkgPath   string
	files     []string // compiled Go files of the package with its in-package tests
	listing   string   // the directory's .go files (and go.mod's stamp) when loaded
	imports   map[string]*types.Package
	importSet string
	sizes     types.Sizes
	goVersion string
}

// Run runs the passes and returns their findings sorted by position.
func (l *Linter) Run(ctx context.Context, r Request) ([]Finding, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	dir := filepath.Clean(r.Dir)
	listing := dirListing(dir, r.ModuleRoot, r.Overlay)
	p := l.cache[dir]
	for attempt := 0; ; attempt++ {
		if p == nil || p.listing != listing {
			var err error
			if p, err = l.load(ctx, r, listing); err != nil {
				delete(l.cache, dir)
				return nil, err
			}
			l.cache[dir] = p
		}
		fset := token.NewFileSet()
		files, err := parseFiles(fset, p.files, r.Overlay)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrDoesNotTypeCheck, err)
		}
		if importSet(files) != p.importSet {
			if attempt > 0 {
				return nil, fmt.Errorf("%w: imports do not resolve", ErrDoesNotTypeCheck)
			}
			p = nil // imports changed: their types must come from a new load
			continue
		}
		l.checks++
		return p.check(fset, files, r.Analyzers)
	}
}

func (l *Linter) load(ctx context.Context, r Request, listing string) (*loaded, error) {
	l.loads++
	rel, err := filepath.Rel(r.ModuleRoot, r.Dir)
	if err != nil {
		return nil, err
	}
	cfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedTypesSizes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedModule,
		Dir:     r.ModuleRoot,
		Env:     r.Env,
		Tests:   true,
		Overlay: r.Overlay,
	}
	pkgs, err := packages.Load(cfg, "./"+filepath.ToSlash(rel))
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", rel, err)
	}
	// The package compiled with its in-package tests covers the learner's
	// files and the tests beside them; fall back to the plain package.
	var pkg *packages.Package
	for _, c := range pkgs {
		if strings.HasSuffix(c.PkgPath, "_test") || strings.HasSuffix(c.PkgPath, ".test") {
			continue
		}
		if pkg == nil || strings.Contains(c.ID, " [") {
			pkg = c
		}
	}
	if pkg == nil || pkg.Types == nil {
		return nil, fmt.Errorf("loading %s: no package found", rel)
	}
	if len(pkg.CompiledGoFiles) == 0 {
		return nil, fmt.Errorf("loading %s: %v", rel, pkg.Errors)
	}
	// Errors in the package's own files are found again by check, which
	// reports them as ErrDoesNotTypeCheck; what matters here is that every
	// import's types arrived.
	p := &loaded{
		pkgPath: pkg.PkgPath,
		files:   pkg.CompiledGoFiles,
		listing: listing,
		imports: map[string]*types.Package{},
		sizes:   pkg.TypesSizes,
	}
	if pkg.Module != nil {
		p.goVersion = "go" + pkg.Module.GoVersion
	}
	for _, imp := range pkg.Types.Imports() {
		p.imports[imp.Path()] = imp
	}
	p.importSet = importSet(pkg.Syntax)
	for _, path := range strings.Split(p.importSet, "\n") {
		if _, ok := p.imports[path]; !ok && path != "" && path != "unsafe" {
			return nil, fmt.Errorf("%w: import %q did not load: %v", ErrDoesNotTypeCheck, path, pkg.Errors)
		}
	}
	return p, nil
}

// check type-checks freshly parsed files against the kept imports and
// runs the passes.
func (p *loaded) check(fset *token.FileSet, files []*ast.File, analyzers []*analysis.Analyzer) ([]Finding, error) {
	var typeErrs []error
	conf := types.Config{
		Importer:  importerFunc(p.imports),
		Sizes:     p.sizes,
		GoVersion: p.goVersion,
		Error:     func(err error) { typeErrs = append(typeErrs, err) },
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
	pkg, _ := conf.Check(p.pkgPath, fset, files, info)
	if len(typeErrs) > 0 {
		return nil, fmt.Errorf("%w: %v", ErrDoesNotTypeCheck, typeErrs[0])
	}
	diags, err := analyze(fset, files, pkg, info, p.sizes, analyzers)
	out := make([]Finding, 0, len(diags))
	for _, d := range diags {
		f := Finding{Pass: d.by.Name, Category: d.Category, Message: d.Message, Span: span(fset, d.Pos, d.End)}
		for _, sf := range d.SuggestedFixes {
			fix := Fix{Message: sf.Message}
			for _, e := range sf.TextEdits {
				fix.Edits = append(fix.Edits, Edit{Span: span(fset, e.Pos, e.End), NewText: string(e.NewText)})
			}
			f.Fixes = append(f.Fixes, fix)
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		return a.Pass < b.Pass
	})
	return out, err
}

func span(fset *token.FileSet, pos, end token.Pos) Span {
	if !end.IsValid() {
		end = pos
	}
	s, e := fset.Position(pos), fset.Position(end)
	return Span{File: s.Filename, Line: s.Line, Col: s.Column, EndLine: e.Line, EndCol: e.Column, Offset: s.Offset, EndOffset: e.Offset}
}

type importerFunc map[string]*types.Package

func (m importerFunc) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p, ok := m[path]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("import %q was not loaded", path)
}

func parseFiles(fset *token.FileSet, names []string, overlay map[string][]byte) ([]*ast.File, error) {
	files := make([]*ast.File, 0, len(names))
	for _, name := range names {
		src, ok := overlay[name]
		if !ok {
			var err error
			if src, err = os.ReadFile(name); err != nil {
				return nil, err
			}
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func importSet(files []*ast.File) string {
	var paths []string
	for _, f := range files {
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil {
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	return strings.Join(slices.Compact(paths), "\n")
}

// dirListing fingerprints what a load depends on besides file contents:
// which Go files exist and the module files.
func dirListing(dir, moduleRoot string, overlay map[string][]byte) string {
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".go") {
			names = append(names, e.Name())
		}
	}
	for name := range overlay {
		if filepath.Dir(name) == dir && !slices.Contains(names, filepath.Base(name)) {
			names = append(names, filepath.Base(name))
		}
	}
	sort.Strings(names)
	for _, mod := range []string{"go.mod", "go.sum"} {
		if st, err := os.Stat(filepath.Join(moduleRoot, mod)); err == nil {
			names = append(names, fmt.Sprintf("%s@%d/%d", mod, st.ModTime().UnixNano(), st.Size()))
		}
	}
	return strings.Join(names, "\n")
}
