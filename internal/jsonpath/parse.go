package jsonpath

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Path is a parsed SQL/JSON path.
type Path struct {
	strict bool
	root   node
}

// node is an expression of the path language: it yields a sequence.
type node interface{}

type (
	contextItem struct{}              // $
	currentItem struct{}              // @
	variable    struct{ name string } // $name
	literal     struct{ v any }
	lastIndex   struct{}
	member      struct {
		base node
		key  string
	}
	wildcardMember struct{ base node }
	elements       struct {
		base node
		subs []subscript // nil for [*]
	}
	filter struct {
		base node
		pred pred
	}
	method struct {
		base node
		name string
	}
	unary struct {
		op   byte
		expr node
	}
	binary struct {
		op          byte
		left, right node
	}
)

type subscript struct{ from, to node } // to is nil for a single index

// pred is a predicate of a filter: it is true, false or unknown.
type pred interface{}

type (
	andPred     struct{ left, right pred }
	orPred      struct{ left, right pred }
	notPred     struct{ p pred }
	isUnknown   struct{ p pred }
	existsPred  struct{ expr node }
	comparePred struct {
		op          string
		left, right node
	}
	startsWith struct{ expr, prefix node }
	likeRegex  struct {
		expr node
		re   *regexp.Regexp
	}
)

// Parse parses a path such as 'lax $.a[*]?(@ > 1)'.
func Parse(s string) (*Path, error) {
	p := &parser{src: s}
	if err := p.lex(); err != nil {
		return nil, err
	}
	path := &Path{}
	switch {
	case p.peekWord("strict"):
		path.strict = true
		p.pos++
	case p.peekWord("lax"):
		p.pos++
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, p.errorf("unexpected %q", p.toks[p.pos].text)
	}
	path.root = root
	return path, nil
}

type tok struct {
	text string
	kind byte // 'w' word, 'n' number, 's' string, 'v' variable ($name), 'p' punctuation
	val  string
}

type parser struct {
	src   string
	toks  []tok
	pos   int
	depth int // of nested expressions and predicates
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("jsonpath: invalid path %q: %s", p.src, fmt.Sprintf(format, args...))
}

func (p *parser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return p.errorf("unterminated string")
			}
			var v string
			if err := json.Unmarshal([]byte(s[i:j+1]), &v); err != nil {
				return p.errorf("bad string %s", s[i:j+1])
			}
			p.toks = append(p.toks, tok{s[i : j+1], 's', v})
			i = j + 1
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			p.toks = append(p.toks, tok{s[i:j], 'n', s[i:j]})
			i = j
		case c == '$':
			j := i + 1
			for j < len(s) && isNameRune(rune(s[j])) {
				j++
			}
			if j == i+1 {
				p.toks = append(p.toks, tok{"$", 'p', ""})
			} else {
				p.toks = append(p.toks, tok{s[i:j], 'v', s[i+1 : j]})
			}
			i = j
		case isNameRune(rune(c)) || c >= 0x80:
			j := i
			for j < len(s) && (isNameRune(rune(s[j])) || s[j] >= 0x80) {
				j++
			}
			p.toks = append(p.toks, tok{s[i:j], 'w', s[i:j]})
			i = j
		default:
			for _, op := range []string{"==", "!=", "<>", "<=", ">=", "&&", "||"} {
				if strings.HasPrefix(s[i:], op) {
					p.toks = append(p.toks, tok{op, 'p', ""})
					i += 2
					goto next
				}
			}
			if !strings.ContainsRune("$@.[](),*?<>!+-/%", rune(c)) {
				return p.errorf("unexpected character %q", c)
			}
			p.toks = append(p.toks, tok{s[i : i+1], 'p', ""})
			i++
		next:
		}
	}
	return nil
}

func isNameRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func (p *parser) peek(text string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == 'p' && p.toks[p.pos].text == text
}

func (p *parser) peekWord(w string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == 'w' && p.toks[p.pos].text == w
}

func (p *parser) accept(text string) bool {
	if p.peek(text) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(text string) error {
	if !p.accept(text) {
		if p.pos < len(p.toks) {
			return p.errorf("expected %q at %q", text, p.toks[p.pos].text)
		}
		return p.errorf("expected %q at the end", text)
	}
	return nil
}

func (p *parser) expr() (node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	defer func() { p.depth-- }()
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.peek("+") || p.peek("-") {
		op := p.toks[p.pos].text[0]
		p.pos++
		right, err := p.term()
		if err != nil {
			return nil, err
		}
		left = binary{op, left, right}
	}
	return left, nil
}

func (p *parser) term() (node, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.peek("*") || p.peek("/") || p.peek("%") {
		op := p.toks[p.pos].text[0]
		p.pos++
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = binary{op, left, right}
	}
	return left, nil
}

func (p *parser) unary() (node, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	defer func() { p.depth-- }()
	if p.peek("+") || p.peek("-") {
		op := p.toks[p.pos].text[0]
		p.pos++
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return unary{op, e}, nil
	}
	return p.accessors()
}

func (p *parser) accessors() (node, error) {
	n, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.accept("."):
			switch {
			case p.accept("*"):
				n = wildcardMember{n}
			case p.pos < len(p.toks) && p.toks[p.pos].kind == 's':
				n = member{n, p.toks[p.pos].val}
				p.pos++
			case p.pos < len(p.toks) && p.toks[p.pos].kind == 'w':
				name := p.toks[p.pos].text
				p.pos++
				if p.accept("(") {
					if err := p.expect(")"); err != nil {
						return nil, err
					}
					switch name {
					case "abs", "ceiling", "floor", "double", "size", "type", "keyvalue":
					default:
						return nil, p.errorf("unsupported method %s()", name)
					}
					n = method{n, name}
				} else {
					n = member{n, name}
				}
			default:
				return nil, p.errorf("expected a member name after '.'")
			}
		case p.accept("["):
			if p.accept("*") {
				if err := p.expect("]"); err != nil {
					return nil, err
				}
				n = elements{n, nil}
				continue
			}
			var subs []subscript
			for {
				from, err := p.expr()
				if err != nil {
					return nil, err
				}
				s := subscript{from: from}
				if p.peekWord("to") {
					p.pos++
					if s.to, err = p.expr(); err != nil {
						return nil, err
					}
				}
				subs = append(subs, s)
				if !p.accept(",") {
					break
				}
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			n = elements{n, subs}
		case p.accept("?"):
			if err := p.expect("("); err != nil {
				return nil, err
			}
			pr, err := p.predicate()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			n = filter{n, pr}
		default:
			return n, nil
		}
	}
}

func (p *parser) primary() (node, error) {
	if p.pos >= len(p.toks) {
		return nil, p.errorf("unexpected end")
	}
	t := p.toks[p.pos]
	p.pos++
	switch {
	case t.kind == 'p' && t.text == "$":
		return contextItem{}, nil
	case t.kind == 'p' && t.text == "@":
		return currentItem{}, nil
	case t.kind == 'v':
		return variable{t.val}, nil
	case t.kind == 'n':
		return literal{json.Number(t.val)}, nil
	case t.kind == 's':
		return literal{t.val}, nil
	case t.kind == 'w' && t.text == "true":
		return literal{true}, nil
	case t.kind == 'w' && t.text == "false":
		return literal{false}, nil
	case t.kind == 'w' && t.text == "null":
		return literal{Null{}}, nil
	case t.kind == 'w' && t.text == "last":
		return lastIndex{}, nil
	case t.kind == 'p' && t.text == "(":
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return e, nil
	}
	return nil, p.errorf("unexpected %q", t.text)
}

func (p *parser) predicate() (pred, error) {
	if p.depth++; p.depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	defer func() { p.depth-- }()
	left, err := p.andPredicate()
	if err != nil {
		return nil, err
	}
	for p.accept("||") {
		right, err := p.andPredicate()
		if err != nil {
			return nil, err
		}
		left = orPred{left, right}
	}
	return left, nil
}

func (p *parser) andPredicate() (pred, error) {
	left, err := p.notPredicate()
	if err != nil {
		return nil, err
	}
	for p.accept("&&") {
		right, err := p.notPredicate()
		if err != nil {
			return nil, err
		}
		left = andPred{left, right}
	}
	return left, nil
}

func (p *parser) notPredicate() (pred, error) {
	if p.accept("!") {
		if p.peekWord("exists") { // ! exists( ... ) needs no parentheses of its own
			inner, err := p.primaryPredicate()
			if err != nil {
				return nil, err
			}
			return notPred{inner}, nil
		}
		if err := p.expect("("); err != nil {
			return nil, err
		}
		inner, err := p.predicate()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return notPred{inner}, nil
	}
	return p.primaryPredicate()
}

func (p *parser) primaryPredicate() (pred, error) {
	if p.peek("(") {
		// A parenthesized predicate, unless it is the left operand of a
		// comparison: try the predicate first.
		save := p.pos
		p.pos++
		if inner, err := p.predicate(); err == nil && p.accept(")") {
			if p.peekWord("is") {
				p.pos++
				if !p.peekWord("unknown") {
					return nil, p.errorf("expected unknown after is")
				}
				p.pos++
				return isUnknown{inner}, nil
			}
			if !p.atComparison() {
				return inner, nil
			}
		}
		p.pos = save
	}
	if p.peekWord("exists") {
		p.pos++
		if err := p.expect("("); err != nil {
			return nil, err
		}
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return existsPred{e}, nil
	}
	left, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch {
	case p.atComparison():
		op := p.toks[p.pos].text
		p.pos++
		right, err := p.expr()
		if err != nil {
			return nil, err
		}
		return comparePred{op, left, right}, nil
	case p.peekWord("starts"):
		p.pos++
		if !p.peekWord("with") {
			return nil, p.errorf("expected with after starts")
		}
		p.pos++
		prefix, err := p.primary()
		if err != nil {
			return nil, err
		}
		return startsWith{left, prefix}, nil
	case p.peekWord("like_regex"):
		p.pos++
		if p.pos >= len(p.toks) || p.toks[p.pos].kind != 's' {
			return nil, p.errorf("like_regex wants a string pattern")
		}
		pattern := p.toks[p.pos].val
		p.pos++
		if p.peekWord("flag") {
			p.pos++
			if p.pos >= len(p.toks) || p.toks[p.pos].kind != 's' {
				return nil, p.errorf("flag wants a string")
			}
			var flags string
			for _, f := range p.toks[p.pos].val {
				switch f {
				case 'i', 's', 'm':
					flags += string(f)
				default: // x (free spacing) and q (literal) included
					return nil, p.errorf("unsupported like_regex flag %q", f)
				}
			}
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			p.pos++
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, p.errorf("bad like_regex pattern: %v", err)
		}
		return likeRegex{left, re}, nil
	}
	return nil, p.errorf("expected a predicate")
}

func (p *parser) atComparison() bool {
	if p.pos >= len(p.toks) || p.toks[p.pos].kind != 'p' {
		return false
	}
	switch p.toks[p.pos].text {
	case "==", "!=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// parseIndex converts a subscript value to an index.
func parseIndex(v any) (int, bool) {
	f, ok := number(v)
	if !ok || f != float64(int64(f)) {
		return 0, false
	}
	return int(f), true
}
