package glue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// The Glue partition predicate language (GetPartitions' Expression): a SQL
// WHERE clause over partition keys. Comparisons follow the key's type:
// integral keys compare as integers, floating and decimal keys as numbers,
// all others (string, char, varchar, date, timestamp) as strings, which
// orders ISO dates and times correctly.
//
//	expr      = or
//	or        = and { OR and }
//	and       = not { AND not }
//	not       = NOT not | "(" expr ")" | predicate
//	predicate = key op literal | literal op key
//	          | key [NOT] IN "(" literal { "," literal } ")"
//	          | key [NOT] BETWEEN literal AND literal
//	          | key [NOT] LIKE literal
//	op        = "=" | "<>" | "!=" | "<" | "<=" | ">" | ">="
//	literal   = 'text' | "text" | number

// maxExprLen bounds an expression (Glue's PredicateString allows 2048).
const maxExprLen = 2048

type valueKind int

const (
	kindText valueKind = iota
	kindInt
	kindFloat
)

func kindOf(hiveType string) valueKind {
	t := strings.ToLower(strings.TrimSpace(hiveType))
	switch {
	case t == "tinyint" || t == "smallint" || t == "int" || t == "integer" || t == "bigint" || t == "long":
		return kindInt
	case t == "float" || t == "double" || strings.HasPrefix(t, "decimal"):
		return kindFloat
	}
	return kindText
}

// pred is a bound predicate: it tests a partition's values.
type pred interface {
	eval(values []string) bool
}

type andPred struct{ l, r pred }
type orPred struct{ l, r pred }
type notPred struct{ p pred }

func (p andPred) eval(v []string) bool { return p.l.eval(v) && p.r.eval(v) }
func (p orPred) eval(v []string) bool  { return p.l.eval(v) || p.r.eval(v) }
func (p notPred) eval(v []string) bool { return !p.p.eval(v) }

// cmpPred compares key col with a literal.
type cmpPred struct {
	col  int
	op   string // = <> < <= > >=
	lit  literal
	kind valueKind
}

func (p cmpPred) eval(v []string) bool {
	c, ok := compare(v[p.col], p.lit, p.kind)
	if !ok {
		return false
	}
	switch p.op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default:
		return c >= 0
	}
}

type inPred struct {
	col  int
	lits []literal
	kind valueKind
}

func (p inPred) eval(v []string) bool {
	for _, l := range p.lits {
		if c, ok := compare(v[p.col], l, p.kind); ok && c == 0 {
			return true
		}
	}
	return false
}

type likePred struct {
	col int
	re  *regexp.Regexp
}

func (p likePred) eval(v []string) bool { return p.re.MatchString(v[p.col]) }

// literal is a constant, kept as text and, when it is one, as a number.
type literal struct {
	text  string
	num   float64
	isNum bool
	i     int64
	isInt bool
}

func newLiteral(text string) literal {
	l := literal{text: text}
	if i, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64); err == nil {
		l.i, l.isInt, l.num, l.isNum = i, true, float64(i), true
	} else if f, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil {
		l.num, l.isNum = f, true
	}
	return l
}

// compare orders a partition value against a literal; ok is false when the
// value is not of the key's type.
func compare(value string, l literal, kind valueKind) (int, bool) {
	switch kind {
	case kindInt:
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return 0, false
		}
		if l.isInt {
			return cmp3(n, l.i), true
		}
		return cmp3(float64(n), l.num), true
	case kindFloat:
		f, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return 0, false
		}
		return cmp3(f, l.num), true
	}
	return strings.Compare(value, l.text), true
}

func cmp3[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CheckExpression reports whether expr is a valid partition predicate for
// a table with the given partition keys.
func CheckExpression(expr string, keys []Column) (bool, error) {
	_, err := parseExpr(expr, keys)
	return err == nil, err
}

// PartitionFilter compiles expr into a test of a partition's values (in
// the order of keys), for partitions that are computed rather than stored
// (Athena's partition projection).
func PartitionFilter(expr string, keys []Column) (func(values []string) bool, error) {
	p, err := parseExpr(expr, keys)
	if err != nil {
		return nil, err
	}
	return p.eval, nil
}

// parseExpr parses expr and binds it to the table's partition keys.
func parseExpr(expr string, keys []Column) (pred, error) {
	if len(expr) > maxExprLen {
		return nil, invalid("Expression is longer than %d characters.", maxExprLen)
	}
	toks, err := lex(expr)
	if err != nil {
		return nil, invalid("Unsupported expression %q: %v.", expr, err)
	}
	p := &parser{toks: toks, keys: keys}
	n, err := p.or(0)
	if err == nil && p.peek().kind != tokEOF {
		err = fmt.Errorf("unexpected %s", p.peek())
	}
	if err != nil {
		return nil, invalid("Unsupported expression %q: %v.", expr, err)
	}
	return n, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokNumber
	tokOp
	tokLParen
	tokRParen
	tokComma
)

type token struct {
	kind tokKind
	text string
}

func (t token) String() string {
	if t.kind == tokEOF {
		return "end of expression"
	}
	return strconv.Quote(t.text)
}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "("})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")"})
			i++
		case c == ',':
			toks = append(toks, token{tokComma, ","})
			i++
		case c == '\'' || c == '"' || c == '`':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return nil, fmt.Errorf("unterminated quote at offset %d", i)
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c { // doubled quote
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			kind := tokString
			if c == '`' {
				kind = tokIdent
			}
			toks = append(toks, token{kind, b.String()})
			i = j + 1
		case strings.ContainsRune("=<>!", rune(c)):
			raw := s[i : i+1]
			if i+1 < len(s) && (s[i+1] == '=' || c == '<' && s[i+1] == '>') {
				raw = s[i : i+2]
			}
			op := raw
			switch raw {
			case "!":
				return nil, fmt.Errorf("unexpected \"!\" at offset %d", i)
			case "!=":
				op = "<>"
			case "==":
				op = "="
			}
			toks = append(toks, token{tokOp, op})
			i += len(raw)
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' || s[j] == 'e' || s[j] == 'E') {
				j++
			}
			toks = append(toks, token{tokNumber, s[i:j]})
			i = j
		case c == '_' || c < 0x80 && unicode.IsLetter(rune(c)):
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] < 0x80 && (unicode.IsLetter(rune(s[j])) || unicode.IsDigit(rune(s[j])))) {
				j++
			}
			toks = append(toks, token{tokIdent, s[i:j]})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q at offset %d", c, i)
		}
	}
	return append(toks, token{kind: tokEOF}), nil
}

type parser struct {
	toks []token
	pos  int
	keys []Column
}

// maxDepth bounds nesting so no expression exhausts the stack.
const maxDepth = 100

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *parser) keyword(word string) bool {
	if t := p.peek(); t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.pos++
		return true
	}
	return false
}

func (p *parser) or(depth int) (pred, error) {
	l, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("OR") {
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		l = orPred{l, r}
	}
	return l, nil
}

func (p *parser) and(depth int) (pred, error) {
	l, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	for p.keyword("AND") {
		r, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		l = andPred{l, r}
	}
	return l, nil
}

func (p *parser) not(depth int) (pred, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d", maxDepth)
	}
	if p.keyword("NOT") {
		n, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return notPred{n}, nil
	}
	if p.peek().kind == tokLParen {
		p.next()
		n, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tokRParen {
			return nil, fmt.Errorf("expected \")\", found %s", t)
		}
		return n, nil
	}
	return p.predicate()
}

func (p *parser) predicate() (pred, error) {
	t := p.next()
	if t.kind == tokString || t.kind == tokNumber { // literal op key
		lit := t
		op := p.next()
		if op.kind != tokOp {
			return nil, fmt.Errorf("expected a comparison after %s, found %s", lit, op)
		}
		k := p.next()
		col, kind, err := p.bind(k)
		if err != nil {
			return nil, err
		}
		return cmpPred{col: col, op: flip(op.text), lit: newLiteral(lit.text), kind: kind}, nil
	}
	col, kind, err := p.bind(t)
	if err != nil {
		return nil, err
	}
	negate := p.keyword("NOT")
	var n pred
	switch {
	case p.keyword("IN"):
		if t := p.next(); t.kind != tokLParen {
			return nil, fmt.Errorf("expected \"(\" after IN, found %s", t)
		}
		in := inPred{col: col, kind: kind}
		for {
			l, err := p.literal()
			if err != nil {
				return nil, err
			}
			in.lits = append(in.lits, l)
			if t := p.next(); t.kind == tokRParen {
				break
			} else if t.kind != tokComma {
				return nil, fmt.Errorf("expected \",\" or \")\" in IN list, found %s", t)
			}
		}
		n = in
	case p.keyword("BETWEEN"):
		lo, err := p.literal()
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			return nil, fmt.Errorf("expected AND in BETWEEN, found %s", p.peek())
		}
		hi, err := p.literal()
		if err != nil {
			return nil, err
		}
		n = andPred{cmpPred{col, ">=", lo, kind}, cmpPred{col, "<=", hi, kind}}
	case p.keyword("LIKE"):
		l, err := p.literal()
		if err != nil {
			return nil, err
		}
		n = likePred{col: col, re: likeRegexp(l.text)}
	default:
		if negate {
			return nil, fmt.Errorf("expected IN, BETWEEN or LIKE after NOT, found %s", p.peek())
		}
		op := p.next()
		if op.kind != tokOp {
			return nil, fmt.Errorf("expected a comparison after %s, found %s", t, op)
		}
		l, err := p.literal()
		if err != nil {
			return nil, err
		}
		n = cmpPred{col: col, op: op.text, lit: l, kind: kind}
	}
	if negate {
		n = notPred{n}
	}
	return n, nil
}

func (p *parser) literal() (literal, error) {
	t := p.next()
	if t.kind != tokString && t.kind != tokNumber {
		return literal{}, fmt.Errorf("expected a value, found %s", t)
	}
	return newLiteral(t.text), nil
}

// bind resolves an identifier to a partition key.
func (p *parser) bind(t token) (int, valueKind, error) {
	if t.kind != tokIdent {
		return 0, 0, fmt.Errorf("expected a partition key, found %s", t)
	}
	for i, k := range p.keys {
		if strings.EqualFold(k.Name, t.text) {
			return i, kindOf(k.Type), nil
		}
	}
	return 0, 0, fmt.Errorf("%s is not a partition key", t)
}

// flip turns "literal op key" into "key op' literal".
func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

// likeRegexp compiles a SQL LIKE pattern: % any run, _ any one character.
func likeRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?s)^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
