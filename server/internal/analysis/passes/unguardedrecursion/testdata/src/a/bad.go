package a

import (
	"bufio"
	"encoding/json"
	"errors"
)

var errSyntax = errors.New("syntax error")

// 1. The textbook recursive-descent parser: a receiver with a position
// field, parseValue -> parseArray -> parseValue.
type parser struct {
	data []byte
	pos  int
}

func (p *parser) parseValue() (any, error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, errSyntax
	}
	switch p.data[p.pos] {
	case '[':
		return p.parseArray()
	case '{':
		return p.parseObject()
	}
	p.pos++
	return nil, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) && p.data[p.pos] == ' ' {
		p.pos++
	}
}

func (p *parser) parseArray() (any, error) {
	p.pos++ // [
	var out []any
	for p.pos < len(p.data) && p.data[p.pos] != ']' {
		v, err := p.parseValue() // want `parseValue → parseArray → parseValue recurses \(also through parseObject\) once per nesting level of its input with no depth limit`
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	p.pos++
	return out, nil
}

func (p *parser) parseObject() (any, error) {
	p.pos++ // {
	for p.pos < len(p.data) && p.data[p.pos] != '}' {
		if _, err := p.parseValue(); err != nil {
			return nil, err
		}
	}
	p.pos++
	return nil, nil
}

// 2. Direct self-recursion threading a position: (data, i) in, (value, i) out.
func parse(data []byte, i int) (any, int, error) {
	if i >= len(data) {
		return nil, i, errSyntax
	}
	if data[i] == '[' {
		var out []any
		i++
		for i < len(data) && data[i] != ']' {
			v, next, err := parse(data, i) // want `parse calls itself once per nesting level`
			if err != nil {
				return nil, next, err
			}
			out, i = append(out, v), next
		}
		return out, i + 1, nil
	}
	return data[i], i + 1, nil
}

// 3. The "rest of the input" style.
func parseList(s string) ([]any, string, error) {
	if s == "" || s[0] != '(' {
		return nil, s, errSyntax
	}
	s = s[1:]
	var out []any
	for len(s) > 0 && s[0] != ')' {
		if s[0] == '(' {
			v, rest, err := parseList(s) // want `parseList calls itself`
			if err != nil {
				return nil, rest, err
			}
			out, s = append(out, v), rest
			continue
		}
		out, s = append(out, s[0]), s[1:]
	}
	if s == "" {
		return nil, s, errSyntax
	}
	return out, s[1:], nil
}

// 4. Reading a stream: each '[' read from the reader descends.
func readNested(r *bufio.Reader) (int, error) {
	n := 0
	for {
		b, err := r.ReadByte()
		if err != nil {
			return n, err
		}
		switch b {
		case '[':
			m, err := readNested(r) // want `readNested calls itself`
			if err != nil {
				return n, err
			}
			n += m + 1
		case ']':
			return n, nil
		}
	}
}

// 5. A recursive closure over a position in the enclosing function.
func count(src string) int {
	pos := 0
	var walk func() int
	walk = func() int {
		n := 0
		for pos < len(src) {
			c := src[pos]
			pos++
			switch c {
			case '{':
				n += 1 + walk() // want `walk calls itself`
			case '}':
				return n
			}
		}
		return n
	}
	return walk()
}

// 6. A pointer to the position.
func skipValue(data []byte, pos *int) error {
	if *pos >= len(data) {
		return errSyntax
	}
	c := data[*pos]
	*pos++
	if c == '[' {
		for *pos < len(data) && data[*pos] != ']' {
			if err := skipValue(data, pos); err != nil { // want `skipValue calls itself`
				return err
			}
		}
		*pos++
	}
	return nil
}

// 7. encoding/json's token stream, skipped recursively.
func skipJSON(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok && (d == '[' || d == '{') {
		for dec.More() {
			if err := skipJSON(dec); err != nil { // want `skipJSON calls itself`
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

// 8. A depth counter that is kept but never compared bounds nothing.
type tokenizer struct {
	src    string
	i      int
	depth  int
	depths []int
}

func (t *tokenizer) value() {
	if t.i >= len(t.src) {
		return
	}
	ch := t.src[t.i]
	t.i++
	t.depths = append(t.depths, t.depth)
	if ch == '(' {
		t.depth++
		t.value() // want `value calls itself`
		t.depth--
	}
}
