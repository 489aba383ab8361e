package a

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
)

var errTooDeep = errors.New("too deep")

const maxDepth = 1000

// A depth parameter compared against a bound.
type guardedParser struct {
	data []byte
	pos  int
}

func (p *guardedParser) value(depth int) error {
	if depth > maxDepth {
		return errTooDeep
	}
	if p.pos >= len(p.data) {
		return errSyntax
	}
	c := p.data[p.pos]
	p.pos++
	if c == '[' {
		return p.array(depth + 1)
	}
	return nil
}

func (p *guardedParser) array(depth int) error {
	for p.pos < len(p.data) && p.data[p.pos] != ']' {
		if err := p.value(depth); err != nil {
			return err
		}
	}
	p.pos++
	return nil
}

// A depth field counted up and down and compared with the option.
type fieldGuard struct {
	src   string
	at    int
	nest  int
	limit int
}

func (p *fieldGuard) enter() error {
	p.nest++
	if p.nest > p.limit {
		return errTooDeep
	}
	return nil
}

func (p *fieldGuard) value() error {
	c := p.src[p.at]
	p.at++
	if c != '(' {
		return nil
	}
	if err := p.enter(); err != nil {
		return err
	}
	defer func() { p.nest-- }()
	return p.value()
}

// A budget counted down.
func parseBudget(data []byte, i, budget int) (int, error) {
	if budget == 0 {
		return i, errTooDeep
	}
	if data[i] == '[' {
		return parseBudget(data, i+1, budget-1)
	}
	return i + 1, nil
}

// Recursion over a tree that is already built consumes no input.
type node struct {
	kids []*node
	text string
}

func (n *node) size() int {
	s := len(n.text)
	for _, k := range n.kids {
		s += k.size()
	}
	return s
}

// A binary search tree keyed by strings: the recursion follows the tree,
// and the counter it bumps is no read position.
type bst struct {
	key         string
	count       int
	left, right *bst
}

func (t *bst) insert(key string) *bst {
	if t == nil {
		return &bst{key: key, count: 1}
	}
	t.count++
	if key < t.key {
		t.left = t.left.insert(key)
	} else if key > t.key {
		t.right = t.right.insert(key)
	}
	return t
}

// An encoder writing into a buffer at a position field: it produces text,
// it does not consume it.
type encoder struct {
	buf []byte
	n   int
}

func (e *encoder) encode(n *node) {
	e.buf[e.n] = '['
	e.n++
	for _, k := range n.kids {
		e.encode(k)
	}
	copy(e.buf[e.n:], n.text)
	e.n += len(n.text)
}

// Recursion through a go statement starts a new stack each time.
func spread(r io.Reader, n int) {
	var b [1]byte
	if _, err := r.Read(b[:]); err != nil || n == 0 {
		return
	}
	go spread(r, n)
}

// An iterative parser with an explicit stack does not recurse at all.
func depthOf(data []byte) (int, error) {
	var stack []byte
	deepest := 0
	for _, c := range data {
		switch c {
		case '[', '{':
			stack = append(stack, c)
			deepest = max(deepest, len(stack))
		case ']', '}':
			if len(stack) == 0 {
				return 0, errSyntax
			}
			stack = stack[:len(stack)-1]
		}
	}
	return deepest, nil
}

// A directory walk recurses as deep as the file system, not as an input.
func walk(dir string, visit func(string)) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() {
			if err := walk(p, visit); err != nil {
				return err
			}
			continue
		}
		visit(p)
	}
	return nil
}

// Recursion over numbers.
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

// A token reader that enforces the depth limit itself: skipping
// recursively through it is bounded by that limit.
type decoder struct {
	r        *bufio.Reader
	depth    int
	maxDepth int
}

func (d *decoder) token() (byte, error) {
	b, err := d.r.ReadByte()
	if err != nil {
		return 0, err
	}
	switch b {
	case '[':
		if d.depth >= d.maxDepth {
			return 0, errTooDeep
		}
		d.depth++
	case ']':
		d.depth--
	}
	return b, nil
}

func (d *decoder) skip() error {
	b, err := d.token()
	if err != nil || b != '[' {
		return err
	}
	for {
		if err := d.skip(); err != nil {
			return err
		}
	}
}

// A walk over a parsed tape reads the input at offsets the tape stores,
// not at a position it advances.
type tapeNode struct{ start, end, first, next int }

type doc struct {
	data []byte
	tape []tapeNode
}

func (d *doc) count(i int) int {
	n := 1
	if d.data[d.tape[i].start] != '[' {
		return n
	}
	for c := d.tape[i].first; c != 0; c = d.tape[c].next {
		n += d.count(c)
	}
	return n
}

// A recursive binary search halves a range; it does not follow nesting.
func search(s string, lo, hi int, b byte) int {
	if lo >= hi {
		return lo
	}
	mid := (lo + hi) / 2
	if s[mid] < b {
		return search(s, mid+1, hi, b)
	}
	return search(s, lo, mid, b)
}
