// Package globalstate defines an Analyzer that reports package-level
// variables written after initialisation, and package initialisation that
// reads the environment, touches files or the network.
//
// # Analyzer globalstate
//
// globalstate: report package variables written outside their declaration, and init with I/O, env or network side effects
//
// A package variable that functions write is state shared by every caller:
// two services in one process, two parallel tests, two goroutines all see
// and change the same value, and nothing in a function's signature says
// it depends on it. An init (or a package variable's initialiser) that
// reads the environment, opens files or a database, or calls the network
// runs when the package is imported, before main and before every test,
// where it cannot be configured, return an error or be faked.
//
// Reported (category "write"): in a function, an assignment, op-assignment,
// ++/--, range assignment, delete or clear whose target is a package
// variable or reached through one (v = x, v.f = x, v[k] = x, *v = x,
// pkg.V = x), and &v (or &v.f, &v[i]) passed to a call, which may write
// through it. Not reported: the variable's own declaration, writes after
// a Lock of a package-level mutex in the same function (a synchronised
// registry, as sql.Register keeps: shared on purpose), writes made
// while the package initialises (in init, outside the func literals it
// only creates), in main of package main, or in the function (literal or
// named) given to sync.Once.Do / sync.OnceFunc / OnceValue(s) (lazy
// initialisation), reads (sync/atomic Load*), method calls on a variable
// (mu.Lock(), m.Store(k, v)), never-written variables such as sentinel
// errors, and _test.go files.
//
// Reported (category "init"): in init, or in a package variable's
// initialiser, a call that reads or changes the environment (os.Getenv,
// os.LookupEnv...), the file system (os.Open, os.ReadFile...), runs a
// command, uses the network (net.Dial, http.Get, an http.Client's Do...),
// opens a database (sql.Open), or parses the command line (flag.Parse),
// directly or through functions of the package.
package globalstate

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/locks"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

// Page is the hint page a learner opens from a diagnostic.
//
//go:embed globalstate.md
var Page string

const doc = `report package variables written outside their declaration, and init with I/O, env or network side effects

A package variable that functions write is state shared by every caller,
test and goroutine, invisible in any signature. An init that reads the
environment, opens files or a database or calls the network runs at import,
before main and every test, and cannot be configured or return an error.
Keep state in a struct a constructor builds, and pass configuration in.`

// Analyzer reports global state; see the package documentation.
var Analyzer = &analysis.Analyzer{
	Name: "globalstate",
	Doc:  doc,
	Run:  run,
}

// Diagnostic categories: writes to package variables, and side effects
// of package initialisation.
const (
	CategoryWrite = "write"
	CategoryInit  = "init"
)

type checker struct {
	pass  *analysis.Pass
	decls map[*types.Func]*ast.FuncDecl
	// effects maps the package's functions that have a side effect (or
	// call one that does) to a description of it.
	effects map[*types.Func]string
	// lazy: the package's functions given by name to sync.Once.Do or
	// sync.OnceFunc/OnceValue(s): lazy initialisers.
	lazy map[*types.Func]bool
}

func run(pass *analysis.Pass) (any, error) {
	c := &checker{pass: pass, decls: match.FuncDecls(pass), effects: map[*types.Func]string{}, lazy: map[*types.Func]bool{}}
	c.findEffects()
	c.findLazy()
	for _, f := range pass.Files {
		if match.InTestFile(pass, f.Pos()) || !strings.HasSuffix(pass.Fset.File(f.Pos()).Name(), ".go") {
			continue // tests, and the test main go test generates
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body == nil {
					continue
				}
				if isInit(pass, d) {
					c.checkInit(d.Body, "init")
					c.checkWrites(d.Body, "init", true)
				} else {
					fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func)
					c.checkWrites(d.Body, d.Name.Name, c.lazy[fn] || pass.Pkg.Name() == "main" && d.Recv == nil && d.Name.Name == "main")
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for _, v := range vs.Values {
						c.checkInit(v, "the initialiser of "+names(vs))
						c.checkWrites(v, names(vs), true)
					}
				}
			}
		}
	}
	return nil, nil
}

func isInit(pass *analysis.Pass, d *ast.FuncDecl) bool {
	return d.Recv == nil && d.Name.Name == "init"
}

func names(vs *ast.ValueSpec) string {
	var s []string
	for _, n := range vs.Names {
		s = append(s, n.Name)
	}
	return "package variable " + strings.Join(s, ", ")
}

// eachRun calls f for the nodes of n that run when n runs, and g for the
// func literals that n only creates (they run later, when called).
func eachRun(n ast.Node, f func(ast.Node), g func(*ast.FuncLit)) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if g != nil {
				g(n)
			}
			return false
		case *ast.CallExpr:
			f(n)
			if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
				eachRun(lit.Body, f, g) // func() { ... }(), defer func() { ... }()
				for _, a := range n.Args {
					eachRun(a, f, g)
				}
				return false
			}
		case nil:
			return false
		default:
			f(n)
		}
		return true
	})
}

// checkWrites reports the writes to package variables in a function body
// or initialiser. initialising: n runs while the package initialises (or
// in main), so its own writes are set-up; the func literals it creates
// still run later and are checked.
func (c *checker) checkWrites(n ast.Node, where string, initialising bool) {
	// A write after Lock on a package-level mutex is a synchronised
	// process-wide registry (sql.Register's kind), kept on purpose.
	locked := token.NoPos
	eachRun(n, func(m ast.Node) {
		if e, ok := m.(ast.Expr); ok && !locked.IsValid() {
			if _, mu, op, ok := locks.Call(c.pass.TypesInfo, e); ok && op == "Lock" && c.rootPkgVar(mu) != nil {
				locked = m.Pos()
			}
		}
	}, nil)
	eachRun(n, func(m ast.Node) {
		if !initialising && !(locked.IsValid() && locked < m.Pos()) {
			c.write(m, where)
		}
	}, func(lit *ast.FuncLit) {
		if c.isLazyArg(n, lit) {
			return
		}
		inner := where
		if !strings.HasPrefix(inner, "a func literal in ") {
			inner = "a func literal in " + where
		}
		c.checkWrites(lit.Body, inner, false)
	})
}

// lazyInit reports whether call is sync.Once.Do, sync.OnceFunc, OnceValue
// or OnceValues: their function runs once, as a lazy initialiser.
func (c *checker) lazyInit(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	switch fn.Name() {
	case "Do":
		recv := fn.Signature().Recv()
		return recv != nil && match.NamedOrPointer(recv.Type(), "sync", "Once")
	case "OnceFunc", "OnceValue", "OnceValues":
		return fn.Signature().Recv() == nil
	}
	return false
}

// findLazy finds the package's functions passed by name to a lazy
// initialiser: once.Do(initTables).
func (c *checker) findLazy() {
	for _, f := range c.pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && c.lazyInit(call) {
				for _, a := range call.Args {
					var id *ast.Ident
					switch a := ast.Unparen(a).(type) {
					case *ast.Ident:
						id = a
					case *ast.SelectorExpr:
						id = a.Sel
					}
					if id != nil {
						if fn, ok := c.pass.TypesInfo.Uses[id].(*types.Func); ok && fn.Pkg() == c.pass.Pkg {
							c.lazy[fn.Origin()] = true
						}
					}
				}
			}
			return true
		})
	}
}

// isLazyArg reports whether lit is the argument of a lazy initialiser
// call inside n.
func (c *checker) isLazyArg(n ast.Node, lit *ast.FuncLit) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if call, ok := m.(*ast.CallExpr); ok && c.lazyInit(call) {
			for _, a := range call.Args {
				if ast.Unparen(a) == lit {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// write reports n if it writes a package variable.
func (c *checker) write(n ast.Node, where string) {
	target := func(e ast.Expr, pos token.Pos, verb string) { c.target(e, pos, where+" "+verb) }
	switch n := n.(type) {
	case *ast.AssignStmt:
		if n.Tok == token.DEFINE {
			return
		}
		for _, lhs := range n.Lhs {
			target(lhs, n.Pos(), "writes")
		}
	case *ast.IncDecStmt:
		target(n.X, n.Pos(), "increments or decrements")
	case *ast.RangeStmt:
		if n.Tok == token.ASSIGN {
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e != nil {
					target(e, e.Pos(), "writes")
				}
			}
		}
	case *ast.CallExpr:
		if (match.IsBuiltin(c.pass.TypesInfo, n.Fun, "delete") || match.IsBuiltin(c.pass.TypesInfo, n.Fun, "clear")) && len(n.Args) > 0 {
			target(n.Args[0], n.Pos(), "deletes from")
			return
		}
		if c.readOnly(n) {
			return
		}
		for _, a := range n.Args {
			if u, ok := ast.Unparen(a).(*ast.UnaryExpr); ok && u.Op == token.AND {
				target(u.X, u.Pos(), "passes a pointer to")
			}
		}
	}
}

// readOnly reports calls that only read through a pointer: sync/atomic's
// Load functions.
func (c *checker) readOnly(call *ast.CallExpr) bool {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && strings.HasPrefix(fn.Name(), "Load")
}

// target reports e if it denotes a package variable or storage reached
// through one.
func (c *checker) target(e ast.Expr, pos token.Pos, verb string) {
	v := c.rootPkgVar(e)
	if v == nil {
		return
	}
	name := v.Name()
	if v.Pkg() != c.pass.Pkg {
		name = v.Pkg().Name() + "." + name
	}
	what := "package variable " + name
	if id, ok := ast.Unparen(e).(*ast.Ident); !ok || c.pass.TypesInfo.Uses[id] != v {
		if sel, ok := ast.Unparen(e).(*ast.SelectorExpr); !ok || c.pass.TypesInfo.Uses[sel.Sel] != v {
			what = types.ExprString(e) + ", part of package variable " + name
		}
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      pos,
		End:      e.End(),
		Category: CategoryWrite,
		Message: fmt.Sprintf("%s %s: global state is shared by every caller, test and goroutine and hidden from every signature; keep it in a struct that a constructor builds and pass that in",
			verb, what),
	})
}

// rootPkgVar returns the package-level variable e is rooted at: v, v.f,
// v[k], *v, v.(*T).f, pkg.V; nil for locals and for values returned by
// calls.
func (c *checker) rootPkgVar(e ast.Expr) *types.Var {
	info := c.pass.TypesInfo
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
				return nil
			}
			return v
		case *ast.SelectorExpr:
			if _, ok := info.Selections[x]; !ok {
				e = x.Sel // pkg.V
				continue
			}
			if s := info.Selections[x]; s.Kind() != types.FieldVal {
				return nil
			}
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.TypeAssertExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// effect describes a call with a side effect at initialisation, or "".
func (c *checker) effect(call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return ""
	}
	if fn.Pkg() == c.pass.Pkg {
		if e := c.effects[fn.Origin()]; e != "" {
			return fmt.Sprintf("calls %s, which %s", fn.Name(), e)
		}
		return ""
	}
	path, name := fn.Pkg().Path(), fn.Name()
	recv := fn.Signature().Recv()
	if recv != nil {
		switch {
		case match.NamedOrPointer(recv.Type(), "net/http", "Client"):
			return "calls the network (" + types.ExprString(call.Fun) + ")"
		case match.NamedOrPointer(recv.Type(), "net/http", "Server") && strings.HasPrefix(name, "ListenAndServe"):
			return "starts a server (" + types.ExprString(call.Fun) + ")"
		case match.NamedOrPointer(recv.Type(), "net", "Dialer"):
			return "calls the network (" + types.ExprString(call.Fun) + ")"
		case match.NamedOrPointer(recv.Type(), "database/sql", "DB"):
			return "uses the database (" + types.ExprString(call.Fun) + ")"
		}
		return ""
	}
	if desc := sideEffects[path][name]; desc != "" {
		return desc + " (" + path[strings.LastIndex(path, "/")+1:] + "." + name + ")"
	}
	return ""
}

var (
	env  = "reads the environment"
	fs   = "touches the file system"
	netw = "calls the network"
)

// sideEffects lists the functions whose call at initialisation is
// reported, by package path and name.
var sideEffects = map[string]map[string]string{
	"os": {
		"Getenv": env, "LookupEnv": env, "Environ": env, "ExpandEnv": env,
		"Setenv": "changes the environment", "Unsetenv": "changes the environment", "Clearenv": "changes the environment",
		"Open": fs, "OpenFile": fs, "OpenRoot": fs, "OpenInRoot": fs, "Create": fs, "ReadFile": fs, "WriteFile": fs,
		"ReadDir": fs, "Stat": fs, "Lstat": fs, "Mkdir": fs, "MkdirAll": fs, "MkdirTemp": fs, "CreateTemp": fs,
		"Remove": fs, "RemoveAll": fs, "Rename": fs, "Chdir": fs, "Getwd": fs, "Chmod": fs, "Chown": fs,
		"Truncate": fs, "Symlink": fs, "Link": fs, "Readlink": fs, "CopyFS": fs,
		"UserHomeDir": env, "UserConfigDir": env, "UserCacheDir": env, "Hostname": "asks the system (os.Hostname)",
	},
	"syscall":   {"Getenv": env, "Environ": env},
	"io/ioutil": {"ReadFile": fs, "WriteFile": fs, "ReadDir": fs, "TempFile": fs, "TempDir": fs},
	"os/exec":   {"Command": "runs a command", "CommandContext": "runs a command", "LookPath": fs},
	"net": {
		"Dial": netw, "DialTimeout": netw, "DialTCP": netw, "DialUDP": netw, "DialUnix": netw, "DialIP": netw,
		"Listen": netw, "ListenTCP": netw, "ListenUDP": netw, "ListenUnix": netw, "ListenPacket": netw,
		"ListenIP": netw, "ListenMulticastUDP": netw, "ListenUnixgram": netw,
		"LookupHost": netw, "LookupIP": netw, "LookupAddr": netw, "LookupCNAME": netw, "LookupMX": netw,
		"LookupNS": netw, "LookupTXT": netw, "LookupSRV": netw, "LookupPort": netw,
	},
	"net/http": {
		"Get": netw, "Head": netw, "Post": netw, "PostForm": netw,
		"ListenAndServe": "starts a server", "ListenAndServeTLS": "starts a server", "Serve": "starts a server", "ServeTLS": "starts a server",
	},
	"database/sql": {"Open": "opens a database", "OpenDB": "opens a database"},
	"flag":         {"Parse": "parses the command line, before the program (or go test) has defined its flags"},
}

// findEffects computes, to a fixed point, the package functions that have
// a side effect or call one that does, outside the func literals they
// only create.
func (c *checker) findEffects() {
	for changed := true; changed; {
		changed = false
		for fn, fd := range c.decls {
			if c.effects[fn] != "" || match.InTestFile(c.pass, fd.Pos()) {
				continue
			}
			eachRun(fd.Body, func(n ast.Node) {
				if call, ok := n.(*ast.CallExpr); ok && c.effects[fn] == "" {
					if e := c.effect(call); e != "" {
						c.effects[fn] = e
						changed = true
					}
				}
			}, nil)
		}
	}
}

// checkInit reports the side effects of code that runs while the package
// initialises.
func (c *checker) checkInit(n ast.Node, where string) {
	eachRun(n, func(n ast.Node) {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return
		}
		if e := c.effect(call); e != "" {
			c.pass.Report(analysis.Diagnostic{
				Pos:      call.Pos(),
				End:      call.End(),
				Category: CategoryInit,
				Message: fmt.Sprintf("%s %s at import, before main and every test, where it cannot be configured, faked or return an error; do it in a constructor (or main) and pass the result in",
					where, e),
			})
		}
	}, nil)
}
