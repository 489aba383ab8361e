// Package lockio defines an Analyzer that reports blocking operations
// (channel operations, time.Sleep, network, file and database calls)
// performed while a sync.Mutex or sync.RWMutex is held.
package lockio

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/locks"
	"gochallenge.dev/gochallenge/server/internal/analysis/passes/internal/match"
)

//go:embed lockio.md
var Page string

const doc = `report blocking operations performed while a mutex is held

A mutex should be held for a handful of memory operations. Holding it
across a channel send or receive, a blocking select, time.Sleep, or a
network, file or database call makes every goroutine that needs the lock
wait for the slowest peer, disk or server, and turns a stuck receiver
into a deadlock. The pass follows each function body statement by
statement, from mu.Lock()/mu.RLock() to the matching Unlock (to the end
of the function after defer mu.Unlock()), and reports the blocking
operation. A select with a default case is non-blocking and is not
reported, nor is a send into a channel made with room for it just before
(ch = make(chan T, 1); ch <- x). File I/O means reading, writing or syncing data; metadata
calls (os.Remove, os.Rename, os.Stat...) are not reported, since code
often makes them under the lock on purpose to keep the disk in step with
memory. Reading or writing an *os.File or net.Conn stored next to the
mutex in the same struct is not reported either, nor is anything done
under a mutex whose name says it serialises I/O (wmu, writeMu, sendMu,
readMu...): there the mutex exists to serialise that I/O.`

// Diagnostic categories, so the product can weigh them differently.
const (
	CategorySleep   = "sleep"   // time.Sleep under the lock
	CategoryChannel = "channel" // channel send/receive, blocking select, range over a channel
	CategoryIO      = "io"      // network, file or database call
)

var Analyzer = &analysis.Analyzer{
	Name:     "lockio",
	Doc:      doc,
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	if !match.Imports(pass.Pkg, "sync") {
		return nil, nil
	}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for n := range in.PreorderSeq((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var body *ast.BlockStmt
		switch n := n.(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body != nil {
			c := &checker{pass: pass, reported: map[ast.Node]bool{}}
			c.block(body.List, nil)
		}
	}
	return nil, nil
}

// lock is a mutex held at some point of the walk.
type lock struct {
	name string // source text of the mutex expression, for messages
	base string // key of the struct holding the mutex, or "pkg" for a package-level mutex; "" if neither
}

// held maps a mutex key to the lock held.
type held = locks.Held[lock]

type checker struct {
	pass     *analysis.Pass
	reported map[ast.Node]bool
}

// block walks a statement list with the locks h held on entry and returns
// the locks held at its end and whether every path through it leaves it
// (return, panic, break, continue, goto).
func (c *checker) block(list []ast.Stmt, h held) (held, bool) {
	if h == nil {
		h = held{}
	}
	// Room left in channels made with a buffer earlier in this list: a send
	// into a fresh buffered channel cannot block.
	room := map[string]int64{}
	for _, s := range list {
		if send, ok := s.(*ast.SendStmt); ok {
			if k := match.VarKey(c.pass, send.Chan); k != "" && room[k] > 0 {
				room[k]--
				c.expr(send.Value, h)
				continue
			}
		}
		c.noteMake(s, room)
		var term bool
		h, term = c.stmt(s, h)
		if term {
			return h, true
		}
	}
	return h, false
}

// noteMake records ch = make(chan T, N) with a constant N > 0.
func (c *checker) noteMake(s ast.Stmt, room map[string]int64) {
	as, ok := s.(*ast.AssignStmt)
	if !ok || len(as.Lhs) != len(as.Rhs) {
		return
	}
	for i, rhs := range as.Rhs {
		k := match.VarKey(c.pass, as.Lhs[i])
		if k == "" {
			continue
		}
		delete(room, k)
		call, ok := ast.Unparen(rhs).(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			continue
		}
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); !ok || id.Name != "make" {
			continue
		} else if _, ok := c.pass.TypesInfo.Uses[id].(*types.Builtin); !ok {
			continue
		}
		if tv, ok := c.pass.TypesInfo.Types[call.Args[1]]; ok && tv.Value != nil {
			if n, ok := constant.Int64Val(tv.Value); ok && n > 0 {
				room[k] = n
			}
		}
	}
}

func (c *checker) stmt(s ast.Stmt, h held) (held, bool) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if op, key, lk, ok := c.lockCall(s.X); ok {
			h = h.Clone()
			switch op {
			case "Lock", "RLock":
				h[key] = lk
			case "Unlock", "RUnlock":
				delete(h, key)
			}
			return h, false
		}
		c.expr(s.X, h)
		if match.IsNoReturn(c.pass.TypesInfo, s.X) {
			return h, true
		}
	case *ast.ReturnStmt:
		for _, r := range s.Results {
			c.expr(r, h)
		}
		return h, true
	case *ast.BranchStmt:
		return h, s.Tok != token.FALLTHROUGH
	case *ast.DeferStmt:
		// Runs at return; its arguments are evaluated now but are rarely blocking.
	case *ast.GoStmt:
		for _, a := range s.Call.Args {
			c.expr(a, h)
		}
	case *ast.SendStmt:
		c.expr(s.Chan, h)
		c.expr(s.Value, h)
		c.report(s, s.Arrow, h, "channel send")
	case *ast.BlockStmt:
		return c.block(s.List, h)
	case *ast.LabeledStmt:
		return c.stmt(s.Stmt, h)
	case *ast.IfStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		c.expr(s.Cond, h)
		h1, t1 := c.block(s.Body.List, h.Clone())
		h2, t2 := h, false
		if s.Else != nil {
			h2, t2 = c.stmt(s.Else, h.Clone())
		}
		return locks.Join(h1, t1, h2, t2)
	case *ast.ForStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		if s.Cond != nil {
			c.expr(s.Cond, h)
		}
		out, _ := c.block(s.Body.List, h.Clone())
		if s.Post != nil {
			c.stmt(s.Post, out)
		}
		return locks.Meet(h, out), false
	case *ast.RangeStmt:
		c.expr(s.X, h)
		if t := c.pass.TypesInfo.TypeOf(s.X); t != nil {
			if _, ok := t.Underlying().(*types.Chan); ok {
				c.report(s, s.For, h, "range over a channel")
			}
		}
		out, _ := c.block(s.Body.List, h.Clone())
		return locks.Meet(h, out), false
	case *ast.SwitchStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		if s.Tag != nil {
			c.expr(s.Tag, h)
		}
		return c.clauses(s.Body, h)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			h, _ = c.stmt(s.Init, h)
		}
		c.stmt(s.Assign, h)
		return c.clauses(s.Body, h)
	case *ast.SelectStmt:
		hasDefault := false
		for _, cc := range s.Body.List {
			if cc.(*ast.CommClause).Comm == nil {
				hasDefault = true
			}
		}
		if !hasDefault {
			c.report(s, s.Select, h, "blocking select")
		}
		return c.clauses(s.Body, h)
	case *ast.AssignStmt:
		for _, e := range s.Rhs {
			c.expr(e, h)
		}
		for _, e := range s.Lhs {
			c.expr(e, h)
		}
	case *ast.IncDecStmt:
		c.expr(s.X, h)
	case *ast.DeclStmt:
		c.expr(s.Decl, h)
	}
	return h, false
}

// clauses walks the clauses of a switch or select. Without a default
// clause, a switch may also fall straight through with h.
func (c *checker) clauses(body *ast.BlockStmt, h held) (held, bool) {
	return locks.Clauses(body, h, func(cl ast.Stmt, list []ast.Stmt, h held) (held, bool) {
		if cc, ok := cl.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				c.expr(e, h)
			}
		}
		return c.block(list, h)
	})
}

// expr reports blocking operations inside an expression, skipping function
// literals (they run later, or are checked as functions of their own).
func (c *checker) expr(n ast.Node, h held) {
	if n == nil || len(h) == 0 {
		return
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				c.report(n, n.OpPos, h, "channel receive")
			}
		case *ast.CallExpr:
			if what, ok := c.blockingCall(n, h); ok {
				c.report(n, n.Pos(), h, what)
			}
		}
		return true
	})
}

func (c *checker) report(n ast.Node, pos token.Pos, h held, what string) {
	if len(h) == 0 || c.reported[n] {
		return
	}
	c.reported[n] = true
	name := ""
	for _, lk := range h { // name the lock deterministically: smallest name
		if name == "" || lk.name < name {
			name = lk.name
		}
	}
	var advice, category string
	switch what {
	case "time.Sleep":
		advice = "stalls every goroutine that needs the lock: Unlock before sleeping"
		category = CategorySleep
	case "channel send", "channel receive", "blocking select", "range over a channel":
		advice = "stalls every goroutine that needs the lock until the other side is ready (a deadlock if it needs the lock too): Unlock first, or use select with default"
		category = CategoryChannel
	default:
		advice = "makes every goroutine that needs the lock wait for the I/O: copy what you need under the lock and do the I/O after Unlock"
		category = CategoryIO
	}
	c.pass.Report(analysis.Diagnostic{
		Pos:      pos,
		End:      n.End(),
		Category: category,
		Message:  fmt.Sprintf("%s while %s is locked %s", what, name, advice),
	})
}

// lockCall recognises mu.Lock(), mu.RLock(), mu.Unlock(), mu.RUnlock() on a
// sync.Mutex or sync.RWMutex (possibly embedded).
func (c *checker) lockCall(e ast.Expr) (op, key string, lk lock, ok bool) {
	_, mu, op, ok := locks.Call(c.pass.TypesInfo, e)
	if !ok {
		return "", "", lock{}, false
	}
	key = match.VarKey(c.pass, mu)
	if key == "" {
		return "", "", lock{}, false
	}
	if ioMutexName(mu) {
		return "", "", lock{}, false // held across I/O on purpose: not tracked
	}
	lk = lock{name: types.ExprString(mu)}
	x := ast.Unparen(mu)
	if s, ok := x.(*ast.SelectorExpr); ok {
		if sl, ok := c.pass.TypesInfo.Selections[s]; ok && sl.Kind() == types.FieldVal {
			lk.base = match.VarKey(c.pass, s.X) // s.mu: guards the other fields of s
		} else if match.IsPkgVar(c.pass.TypesInfo, c.pass.Pkg, s.Sel) {
			lk.base = "pkg"
		}
	} else if id, ok := x.(*ast.Ident); ok && match.IsPkgVar(c.pass.TypesInfo, c.pass.Pkg, id) {
		lk.base = "pkg"
	}
	if lk.base == "" && !locks.IsMutex(c.pass.TypesInfo.TypeOf(mu)) {
		lk.base = key // s.Lock() on a struct embedding the mutex
	}
	return op, key, lk, true
}

// ioMutexName reports a mutex named for the I/O it serialises: wmu,
// wrMu, writeMu, sendMu, readMu, connMu...
func ioMutexName(e ast.Expr) bool {
	var name string
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		name = e.Name
	case *ast.SelectorExpr:
		name = e.Sel.Name
	default:
		return false
	}
	name = strings.ToLower(strings.ReplaceAll(name, "_", ""))
	for _, suffix := range []string{"mutex", "mtx", "mu", "lock"} {
		if prefix, ok := strings.CutSuffix(name, suffix); ok {
			switch prefix {
			case "w", "r", "wr", "rd", "write", "writer", "writes", "read", "reader", "reads",
				"send", "recv", "io", "conn", "file", "out", "flush", "sync", "dial":
				return true
			}
		}
	}
	return false
}

// Blocking functions and methods, by package path.
var (
	netFuncs = set("Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix",
		"Listen", "ListenTCP", "ListenUDP", "ListenPacket", "ListenIP", "ListenUnix", "ListenUnixgram", "ListenMulticastUDP",
		"LookupHost", "LookupIP", "LookupAddr", "LookupCNAME", "LookupMX", "LookupNS", "LookupSRV", "LookupTXT", "LookupPort",
		"ResolveTCPAddr", "ResolveUDPAddr", "ResolveIPAddr", "ResolveUnixAddr")
	netMethods = set("Read", "Write", "ReadFrom", "WriteTo", "ReadFromUDP", "WriteToUDP", "ReadMsgUDP", "WriteMsgUDP",
		"ReadFromUDPAddrPort", "WriteToUDPAddrPort", "ReadFromIP", "WriteToIP", "ReadFromUnix", "WriteToUnix",
		"ReadMsgUnix", "WriteMsgUnix", "Accept", "AcceptTCP", "AcceptUnix", "Dial", "DialContext", "Listen", "ListenPacket",
		"LookupHost", "LookupIP", "LookupIPAddr", "LookupNetIP", "LookupAddr", "LookupCNAME", "LookupMX", "LookupNS",
		"LookupSRV", "LookupTXT", "LookupPort")
	httpFuncs   = set("Get", "Head", "Post", "PostForm", "ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS")
	httpMethods = map[string]map[string]bool{
		"Client":       set("Do", "Get", "Head", "Post", "PostForm"),
		"Transport":    set("RoundTrip"),
		"RoundTripper": set("RoundTrip"),
		"Server":       set("ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", "Shutdown"),
	}
	// File I/O means moving data: metadata calls (Open, Stat, Remove,
	// Rename, Mkdir...) are single bounded syscalls that code often makes
	// under a lock on purpose, to keep the disk in step with memory.
	osFuncs       = set("ReadFile", "WriteFile", "CopyFS")
	osFileMethods = set("Read", "ReadAt", "ReadFrom", "Write", "WriteAt", "WriteString", "WriteTo", "Sync")
	sqlMethods    = set("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Begin", "BeginTx",
		"Ping", "PingContext", "Prepare", "PrepareContext", "Commit", "Rollback", "Conn", "Next", "NextResultSet", "Scan", "Close")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// blockingCall reports whether call is time.Sleep or a network, file or
// database call, and names it for the message.
func (c *checker) blockingCall(call *ast.CallExpr, h held) (string, bool) {
	fn, _ := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil {
		return "", false
	}
	name := types.ExprString(call.Fun)
	recv := fn.Signature().Recv()
	recvName := ""
	if recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			recvName = n.Obj().Name()
		}
	}
	switch fn.Pkg().Path() {
	case "time":
		if recv == nil && fn.Name() == "Sleep" {
			return "time.Sleep", true
		}
	case "net":
		if recv == nil && netFuncs[fn.Name()] {
			return name + " (network I/O)", true
		}
		if recv != nil && netMethods[fn.Name()] && !c.guardsOwn(call, h) {
			return name + " (network I/O)", true
		}
	case "net/http":
		if recv == nil && httpFuncs[fn.Name()] {
			return name + " (network I/O)", true
		}
		if recv != nil && httpMethods[recvName][fn.Name()] {
			return name + " (network I/O)", true
		}
	case "os":
		if recv == nil && osFuncs[fn.Name()] {
			return name + " (file I/O)", true
		}
		if recvName == "File" && osFileMethods[fn.Name()] && !c.guardsOwn(call, h) {
			return name + " (file I/O)", true
		}
	case "database/sql":
		switch recvName {
		case "DB", "Tx", "Conn", "Stmt":
			if sqlMethods[fn.Name()] && fn.Name() != "Next" && fn.Name() != "Scan" && fn.Name() != "NextResultSet" {
				return name + " (database I/O)", true
			}
		case "Rows":
			if fn.Name() == "Next" || fn.Name() == "NextResultSet" {
				return name + " (database I/O)", true
			}
		}
	}
	return "", false
}

// guardsOwn reports whether the receiver of a file/connection method is a
// field of the struct whose mutex is held (or a package-level variable next
// to a package-level mutex): then the lock serialises that very I/O.
func (c *checker) guardsOwn(call *ast.CallExpr, h held) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x := ast.Unparen(sel.X)
	if s, ok := x.(*ast.SelectorExpr); ok {
		if sl, ok := c.pass.TypesInfo.Selections[s]; ok && sl.Kind() == types.FieldVal {
			base := match.VarKey(c.pass, s.X)
			for _, lk := range h {
				if base != "" && lk.base == base {
					return true
				}
			}
			return false
		}
		x = s.Sel
	}
	if id, ok := x.(*ast.Ident); ok && match.IsPkgVar(c.pass.TypesInfo, c.pass.Pkg, id) {
		for _, lk := range h {
			if lk.base == "pkg" {
				return true
			}
		}
	}
	return false
}
