package dynamodb

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// PartiQL for DynamoDB: ExecuteStatement and BatchExecuteStatement. A
// statement is parsed into a small tree and then run as the item
// operation it stands for — SELECT as a Query (when its WHERE clause fixes
// the partition key) or a Scan, INSERT as a conditional PutItem, UPDATE
// and DELETE as conditional UpdateItem and DeleteItem — with its
// conditions and assignments written out in the expression language, so
// both kinds of request share one implementation of every operator and
// function.

// pqNode is a PartiQL expression.
type pqNode interface{}

type (
	pqPath  []string // attribute names and "[n]" list indexes
	pqValue struct{ v AttributeValue }
	pqOp    struct { // binary: comparisons, AND, OR, +, -
		op   string
		l, r pqNode
	}
	pqNot     struct{ x pqNode }
	pqBetween struct{ x, lo, hi pqNode }
	pqIn      struct {
		x    pqNode
		list []pqNode
	}
	pqCall struct {
		name string
		args []pqNode
	}
	pqMissing struct { // x IS [NOT] MISSING
		x   pqNode
		not bool
	}
)

// pqStatement is a parsed statement.
type pqStatement struct {
	kind      string // SELECT, INSERT, UPDATE, DELETE
	table     string
	index     string
	project   []pqPath // nil for *
	where     pqNode
	item      pqNode      // INSERT's VALUE
	set       [][2]pqNode // UPDATE's SET path = value
	remove    []pqPath    // and REMOVE paths
	returning string      // ALL_OLD, ALL_NEW, UPDATED_OLD, UPDATED_NEW
	order     []pqOrder   // SELECT's ORDER BY
}

// pqOrder is a key attribute a SELECT orders its results by.
type pqOrder struct {
	name string
	desc bool
}

type pqToken struct {
	kind string // ident, qident, string, number, punct, param, eof
	text string
}

type pqParser struct {
	toks   []pqToken
	pos    int
	params []AttributeValue
	used   int
	// docPath names the document literal being read, for its errors:
	// "root", then the keys down to it.
	docPath []string
}

func pqError(format string, args ...any) error {
	return validationf("Statement wasn't well formed, can't be processed: %s", fmt.Sprintf(format, args...))
}

func pqLex(src string) ([]pqToken, error) {
	var toks []pqToken
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "--"): // a comment to the end of the line
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
		case strings.HasPrefix(src[i:], "/*"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				return nil, pqError("unterminated comment at %d", i)
			}
			i += j + 4
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(src) {
					return nil, pqError("unterminated quoted text at %d", i)
				}
				if src[j] == c {
					if j+1 < len(src) && src[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(src[j])
			}
			kind := "string"
			if c == '"' {
				kind = "qident"
			}
			toks = append(toks, pqToken{kind, b.String()})
			i = j + 1
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' || src[j] == 'e' || src[j] == 'E' ||
				(src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E')) {
				j++
			}
			toks = append(toks, pqToken{"number", src[i:j]})
			i = j
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= '0' && src[j] <= '9' || unicode.IsLetter(rune(src[j]))) {
				j++
			}
			toks = append(toks, pqToken{"ident", src[i:j]})
			i = j
		case c == '?':
			toks = append(toks, pqToken{"param", "?"})
			i++
		default:
			for _, p := range []string{"<<", ">>", "<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", "[", "]", "{", "}", ",", ".", ":", "+", "-", "*", ";"} {
				if strings.HasPrefix(src[i:], p) {
					toks = append(toks, pqToken{"punct", p})
					i += len(p)
					goto next
				}
			}
			return nil, pqError("unexpected character %q", c)
		next:
		}
	}
	return append(toks, pqToken{kind: "eof"}), nil
}

func (p *pqParser) peek() pqToken { return p.toks[p.pos] }

func (p *pqParser) next() pqToken {
	t := p.toks[p.pos]
	if t.kind != "eof" {
		p.pos++
	}
	return t
}

// keyword consumes a bare keyword (any case) if it is next.
func (p *pqParser) keyword(words ...string) bool {
	for i, w := range words {
		t := p.toks[min(p.pos+i, len(p.toks)-1)]
		if t.kind != "ident" || !strings.EqualFold(t.text, w) {
			return false
		}
	}
	p.pos += len(words)
	return true
}

func (p *pqParser) punct(s string) bool {
	if t := p.peek(); t.kind == "punct" && t.text == s {
		p.pos++
		return true
	}
	return false
}

func (p *pqParser) expect(what string, ok bool) error {
	if ok {
		return nil
	}
	t := p.peek()
	if t.kind == "eof" {
		return pqError("expected %s at the end of the statement", what)
	}
	return pqError("expected %s, found %q", what, t.text)
}

// name reads an identifier, bare or double-quoted.
func (p *pqParser) name() (string, error) {
	t := p.next()
	if t.kind == "ident" || t.kind == "qident" {
		return t.text, nil
	}
	p.pos--
	return "", p.expect("a name", false)
}

// maxStatementSize is the longest statement DynamoDB accepts; it also
// bounds the parser's recursion.
const maxStatementSize = 8192

func parsePartiQL(src string, params []AttributeValue) (*pqStatement, error) {
	if len(src) > maxStatementSize {
		return nil, modelValidation(fmt.Sprintf("a statement of %d characters", len(src)), "statement", "have length less than or equal to 8192")
	}
	toks, err := pqLex(src)
	if err != nil {
		return nil, err
	}
	p := &pqParser{toks: toks, params: params, docPath: []string{"root"}}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	p.punct(";")
	if err := p.expect("the end of the statement", p.peek().kind == "eof"); err != nil {
		return nil, err
	}
	if p.used != len(params) {
		return nil, validationf("Number of parameters in request and statement don't match.")
	}
	return st, nil
}

func (p *pqParser) statement() (*pqStatement, error) {
	st := &pqStatement{}
	var err error
	switch {
	case p.keyword("SELECT"):
		st.kind = "SELECT"
		if !p.punct("*") {
			for {
				path, err := p.path()
				if err != nil {
					return nil, err
				}
				st.project = append(st.project, path)
				if !p.punct(",") {
					break
				}
			}
		}
		if err := p.expect("FROM", p.keyword("FROM")); err != nil {
			return nil, err
		}
		if err := p.table(st, true); err != nil {
			return nil, err
		}
		if p.keyword("WHERE") {
			if st.where, err = p.or(); err != nil {
				return nil, err
			}
		}
		if p.keyword("ORDER", "BY") {
			for {
				path, err := p.path()
				if err != nil {
					return nil, err
				}
				if len(path) != 1 {
					return nil, validationf("Argument to ORDER BY must be of type VariableReference. Type: %s", strings.Join(path, "."))
				}
				o := pqOrder{name: path[0]}
				if !p.keyword("ASC") {
					o.desc = p.keyword("DESC")
				}
				st.order = append(st.order, o)
				if !p.punct(",") {
					break
				}
			}
		}
		return st, nil
	case p.keyword("EXISTS"):
		if err := p.expect("(", p.punct("(")); err != nil {
			return nil, err
		}
		inner, err := p.statement()
		if err != nil {
			return nil, err
		}
		if inner.kind != "SELECT" || inner.where == nil {
			return nil, pqError("EXISTS takes a SELECT with a WHERE clause")
		}
		inner.kind = "EXISTS"
		return inner, p.expect(")", p.punct(")"))
	case p.keyword("INSERT", "INTO"):
		st.kind = "INSERT"
		if err := p.table(st, false); err != nil {
			return nil, err
		}
		if err := p.expect("VALUE", p.keyword("VALUE")); err != nil {
			return nil, err
		}
		if t := p.peek(); t.kind != "punct" || t.text != "{" {
			return nil, validationf("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
		}
		if st.item, err = p.operand(); err != nil {
			return nil, err
		}
		if p.keyword("RETURNING") {
			return nil, validationf("RETURNING is not supported in INSERT")
		}
		return st, nil
	case p.keyword("UPDATE"):
		st.kind = "UPDATE"
		if err := p.table(st, false); err != nil {
			return nil, err
		}
		for {
			switch {
			case p.keyword("SET"):
				for {
					path, err := p.path()
					if err != nil {
						return nil, err
					}
					if err := p.expect("=", p.punct("=")); err != nil {
						return nil, err
					}
					v, err := p.sum()
					if err != nil {
						return nil, err
					}
					st.set = append(st.set, [2]pqNode{path, v})
					if !p.punct(",") {
						break
					}
				}
				continue
			case p.keyword("REMOVE"):
				path, err := p.path()
				if err != nil {
					return nil, err
				}
				st.remove = append(st.remove, path)
				continue
			}
			break
		}
		if len(st.set) == 0 && len(st.remove) == 0 {
			return nil, p.expect("SET or REMOVE", false)
		}
		if err := p.expect("WHERE", p.keyword("WHERE")); err != nil {
			return nil, err
		}
		if st.where, err = p.or(); err != nil {
			return nil, err
		}
		return st, p.returning(st, "ALL OLD", "MODIFIED OLD", "ALL NEW", "MODIFIED NEW")
	case p.keyword("DELETE", "FROM"):
		st.kind = "DELETE"
		if err := p.table(st, false); err != nil {
			return nil, err
		}
		if err := p.expect("WHERE", p.keyword("WHERE")); err != nil {
			return nil, err
		}
		if st.where, err = p.or(); err != nil {
			return nil, err
		}
		return st, p.returning(st, "ALL OLD")
	}
	return nil, p.expect("SELECT, INSERT, UPDATE or DELETE", false)
}

func (p *pqParser) table(st *pqStatement, index bool) error {
	var err error
	if st.table, err = p.name(); err != nil {
		return err
	}
	if index && p.punct(".") {
		st.index, err = p.name()
	}
	return err
}

// returning reads RETURNING <which> *, for the forms allowed.
func (p *pqParser) returning(st *pqStatement, allowed ...string) error {
	if !p.keyword("RETURNING") {
		return nil
	}
	for _, form := range allowed {
		words := strings.Fields(form)
		if p.keyword(words...) {
			if err := p.expect("*", p.punct("*")); err != nil {
				return err
			}
			st.returning = strings.Replace(strings.Replace(form, "MODIFIED", "UPDATED", 1), " ", "_", 1)
			return nil
		}
	}
	return p.expect(strings.Join(allowed, " *, ")+" *", false)
}

// path reads an attribute path: name(.name | [n])*.
func (p *pqParser) path() (pqPath, error) {
	n, err := p.name()
	if err != nil {
		return nil, err
	}
	path := pqPath{n}
	for {
		switch {
		case p.punct("."):
			if n, err = p.name(); err != nil {
				return nil, err
			}
			path = append(path, n)
		case p.punct("["):
			t := p.next()
			if _, err := strconv.Atoi(t.text); t.kind != "number" || err != nil {
				return nil, pqError("a list index must be a whole number, found %q", t.text)
			}
			if err := p.expect("]", p.punct("]")); err != nil {
				return nil, err
			}
			path = append(path, "["+t.text+"]")
		default:
			return path, nil
		}
	}
}

func (p *pqParser) or() (pqNode, error) {
	l, err := p.and()
	for err == nil && p.keyword("OR") {
		var r pqNode
		r, err = p.and()
		l = pqOp{"OR", l, r}
	}
	return l, err
}

func (p *pqParser) and() (pqNode, error) {
	l, err := p.not()
	for err == nil && p.keyword("AND") {
		var r pqNode
		r, err = p.not()
		l = pqOp{"AND", l, r}
	}
	return l, err
}

func (p *pqParser) not() (pqNode, error) {
	if p.keyword("NOT") {
		x, err := p.not()
		return pqNot{x}, err
	}
	return p.comparison()
}

func (p *pqParser) comparison() (pqNode, error) {
	l, err := p.sum()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"=", "<>", "!=", "<=", ">=", "<", ">"} {
		if p.punct(op) {
			r, err := p.sum()
			if op == "!=" {
				op = "<>"
			}
			return pqOp{op, l, r}, err
		}
	}
	switch {
	case p.keyword("BETWEEN"):
		lo, err := p.sum()
		if err != nil {
			return nil, err
		}
		if err := p.expect("AND", p.keyword("AND")); err != nil {
			return nil, err
		}
		hi, err := p.sum()
		return pqBetween{l, lo, hi}, err
	case p.keyword("IN"):
		closing := "]"
		if p.punct("(") {
			closing = ")"
		} else if err := p.expect("[ or (", p.punct("[")); err != nil {
			return nil, err
		}
		var list []pqNode
		for !p.punct(closing) {
			if len(list) > 0 {
				if err := p.expect(",", p.punct(",")); err != nil {
					return nil, err
				}
			}
			v, err := p.operand()
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return pqIn{l, list}, nil
	case p.keyword("IS"):
		not := p.keyword("NOT")
		if p.keyword("MISSING") {
			return pqMissing{l, not}, nil
		}
		t := p.next()
		typ := pqType(t)
		if typ == "" {
			return nil, validationf("Unsupported data type for IS operator: %s. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]", t.text)
		}
		var n pqNode = pqCall{"attribute_type", []pqNode{l, pqValue{strValue(typ)}}}
		if not {
			n = pqNot{n}
		}
		return n, nil
	}
	return l, nil
}

// pqType is the DynamoDB type a PartiQL type named after IS stands for
// (MISSING aside), "" for none.
func pqType(t pqToken) string {
	if t.kind != "ident" {
		return ""
	}
	switch strings.ToUpper(t.text) {
	case "NULL":
		return typeNULL
	case "BOOLEAN":
		return typeBOOL
	case "BLOB":
		return typeB
	case "STRING":
		return typeS
	case "NUMERIC":
		return typeN
	case "STRUCT", "TUPLE":
		return typeM
	case "LIST":
		return typeL
	}
	return ""
}

// sum reads an operand, or two joined by + or -.
func (p *pqParser) sum() (pqNode, error) {
	l, err := p.operand()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"+", "-"} {
		if p.punct(op) {
			r, err := p.operand()
			return pqOp{op, l, r}, err
		}
	}
	return l, nil
}

// operand reads a literal, a parameter, a function call, a parenthesized
// condition or a path.
func (p *pqParser) operand() (pqNode, error) {
	t := p.peek()
	switch {
	case t.kind == "param":
		p.next()
		if p.used >= len(p.params) {
			return nil, validationf("Number of parameters in request and statement don't match.")
		}
		p.used++
		return pqValue{p.params[p.used-1]}, nil
	case t.kind == "string":
		p.next()
		return pqValue{strValue(t.text)}, nil
	case t.kind == "number", t.kind == "punct" && t.text == "-" && p.toks[p.pos+1].kind == "number":
		text := p.next().text
		if text == "-" {
			text += p.next().text
		}
		return pqValue{AttributeValue{N: &text}}, nil
	case t.kind == "punct" && t.text == "(":
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		return x, p.expect(")", p.punct(")"))
	case t.kind == "punct" && (t.text == "{" || t.text == "[" || t.text == "<<"):
		v, err := p.literal()
		return pqValue{v}, err
	case t.kind == "ident":
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			p.next()
			b := strings.EqualFold(t.text, "TRUE")
			return pqValue{AttributeValue{BOOL: &b}}, nil
		case "NULL":
			p.next()
			yes := true
			return pqValue{AttributeValue{NULL: &yes}}, nil
		case "MISSING": // bare, it is no attribute ("MISSING" quoted is one)
			return nil, validationf("MISSING must be compared using IS operator")
		}
		if next := p.toks[p.pos+1]; next.kind == "punct" && next.text == "(" {
			p.pos += 2
			call := pqCall{name: strings.ToLower(t.text)}
			for !p.punct(")") {
				if len(call.args) > 0 {
					if err := p.expect(",", p.punct(",")); err != nil {
						return nil, err
					}
				}
				a, err := p.sum()
				if err != nil {
					return nil, err
				}
				call.args = append(call.args, a)
			}
			return call, nil
		}
	}
	if t.kind == "ident" || t.kind == "qident" {
		return p.path()
	}
	return nil, p.expect("a value or an attribute", false)
}

// literal reads a document: {'k': v, ...}, [v, ...] or <<v, ...>> (a set).
func (p *pqParser) literal() (AttributeValue, error) {
	open := p.next().text
	closing := map[string]string{"{": "}", "[": "]", "<<": ">>"}[open]
	var m Item
	var l []AttributeValue
	for !p.punct(closing) {
		if len(m)+len(l) > 0 {
			if err := p.expect(",", p.punct(",")); err != nil {
				return AttributeValue{}, err
			}
		}
		var key string
		if open == "{" {
			t := p.next()
			if t.kind != "string" && t.kind != "qident" {
				return AttributeValue{}, pqError("a document's keys are quoted names, found %q", t.text)
			}
			if err := p.expect(":", p.punct(":")); err != nil {
				return AttributeValue{}, err
			}
			key = t.text
		}
		if open == "{" {
			p.docPath = append(p.docPath, key)
		}
		x, err := p.operand()
		if open == "{" {
			p.docPath = p.docPath[:len(p.docPath)-1]
		}
		if err != nil {
			return AttributeValue{}, err
		}
		v, ok := x.(pqValue)
		if !ok {
			return AttributeValue{}, pqError("a document holds values, not attributes or expressions")
		}
		if open == "{" {
			if m == nil {
				m = Item{}
			}
			if _, dup := m[key]; dup {
				return AttributeValue{}, validationf("Duplicate keys in tuple. Key: %s under %s", key, strings.Join(p.docPath, "."))
			}
			m[key] = v.v
		} else {
			l = append(l, v.v)
		}
	}
	switch open {
	case "{":
		if m == nil {
			m = Item{}
		}
		return AttributeValue{M: m}, nil
	case "[":
		if l == nil {
			l = []AttributeValue{}
		}
		return AttributeValue{L: l}, nil
	}
	set := AttributeValue{}
	for _, v := range l {
		switch {
		case v.S != nil:
			set.SS = append(set.SS, *v.S)
		case v.N != nil:
			set.NS = append(set.NS, *v.N)
		case v.B != nil:
			set.BS = append(set.BS, v.B)
		default:
			return AttributeValue{}, pqError("a set holds strings, numbers or binary values")
		}
	}
	if (set.SS != nil) && (set.NS != nil || set.BS != nil) || set.NS != nil && set.BS != nil {
		return AttributeValue{}, pqError("a set's members are all of one type")
	}
	if set.SS == nil && set.NS == nil && set.BS == nil {
		return AttributeValue{}, invalidParam("An string set  may not be empty")
	}
	return set, nil
}

func hasAttr(item Item, name string) bool {
	_, ok := item[name]
	return ok
}

func strValue(s string) AttributeValue { return AttributeValue{S: &s} }

// pqWriter writes PartiQL nodes out in the expression language, naming
// every attribute and value by a placeholder.
type pqWriter struct {
	names  map[string]string
	values map[string]AttributeValue
	byName map[string]string
}

func newPQWriter() *pqWriter {
	return &pqWriter{names: map[string]string{}, values: map[string]AttributeValue{}, byName: map[string]string{}}
}

func (w *pqWriter) path(p pqPath) string {
	var b strings.Builder
	for i, part := range p {
		if strings.HasPrefix(part, "[") {
			b.WriteString(part)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		ph, ok := w.byName[part]
		if !ok {
			ph = "#n" + strconv.Itoa(len(w.names))
			w.names[ph], w.byName[part] = part, ph
		}
		b.WriteString(ph)
	}
	return b.String()
}

// projection writes a SELECT list ("" for *).
func (w *pqWriter) projection(paths []pqPath) Expression {
	parts := make([]string, len(paths))
	for i, p := range paths {
		parts[i] = w.path(p)
	}
	return Expression(strings.Join(parts, ", "))
}

func (w *pqWriter) value(v AttributeValue) string {
	ph := ":v" + strconv.Itoa(len(w.values))
	w.values[ph] = v
	return ph
}

func (w *pqWriter) expr(n pqNode) (string, error) {
	switch n := n.(type) {
	case pqPath:
		return w.path(n), nil
	case pqValue:
		return w.value(n.v), nil
	case pqOp:
		l, err := w.expr(n.l)
		if err != nil {
			return "", err
		}
		r, err := w.expr(n.r)
		return "(" + l + " " + n.op + " " + r + ")", err
	case pqNot:
		x, err := w.expr(n.x)
		return "(NOT " + x + ")", err
	case pqBetween:
		parts, err := w.exprs(n.x, n.lo, n.hi)
		if err != nil {
			return "", err
		}
		return "(" + parts[0] + " BETWEEN " + parts[1] + " AND " + parts[2] + ")", nil
	case pqIn:
		parts, err := w.exprs(append([]pqNode{n.x}, n.list...)...)
		if err != nil {
			return "", err
		}
		return "(" + parts[0] + " IN (" + strings.Join(parts[1:], ", ") + "))", nil
	case pqMissing:
		x, err := w.expr(n.x)
		if n.not {
			return "attribute_exists(" + x + ")", err
		}
		return "attribute_not_exists(" + x + ")", err
	case pqCall:
		switch n.name {
		case "begins_with", "contains", "attribute_type", "size", "attribute_exists", "attribute_not_exists", "list_append", "if_not_exists":
		default:
			return "", pqError("unsupported function %s", n.name)
		}
		args, err := w.exprs(n.args...)
		return n.name + "(" + strings.Join(args, ", ") + ")", err
	}
	return "", pqError("unexpected expression")
}

func (w *pqWriter) exprs(ns ...pqNode) ([]string, error) {
	out := make([]string, len(ns))
	for i, n := range ns {
		var err error
		if out[i], err = w.expr(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// conjuncts splits a condition at its top-level ANDs.
func conjuncts(n pqNode) []pqNode {
	if op, ok := n.(pqOp); ok && op.op == "AND" {
		return append(conjuncts(op.l), conjuncts(op.r)...)
	}
	if n == nil {
		return nil
	}
	return []pqNode{n}
}

// keyEquality returns the value a conjunct fixes a top-level attribute
// to (attr = value or value = attr).
func keyEquality(n pqNode, attr string) (AttributeValue, bool) {
	op, ok := n.(pqOp)
	if !ok || op.op != "=" {
		return AttributeValue{}, false
	}
	for _, pair := range [][2]pqNode{{op.l, op.r}, {op.r, op.l}} {
		if namesAttr(pair[0], attr) {
			if v, ok := pair[1].(pqValue); ok {
				return v.v, true
			}
		}
	}
	return AttributeValue{}, false
}

// splitKey takes the equalities on the key attributes out of a WHERE
// clause; what is left is a condition on the item.
func splitKey(where pqNode, names ...string) (Item, []pqNode) {
	key := Item{}
	var rest []pqNode
	for _, c := range conjuncts(where) {
		matched := false
		for _, k := range names {
			if _, dup := key[k]; !dup && k != "" {
				if v, ok := keyEquality(c, k); ok {
					key[k], matched = v, true
					break
				}
			}
		}
		if !matched {
			rest = append(rest, c)
		}
	}
	return key, rest
}

// sortKeyCondition tells a condition a key condition may hold on the
// sort key: a comparison, BETWEEN or begins_with of the key and values.
func sortKeyCondition(n pqNode, rng string) bool {
	isKey := func(x pqNode) bool { p, ok := x.(pqPath); return ok && len(p) == 1 && p[0] == rng && rng != "" }
	isValue := func(x pqNode) bool { _, ok := x.(pqValue); return ok }
	switch n := n.(type) {
	case pqOp:
		switch n.op {
		case "=", "<", "<=", ">", ">=":
			return isKey(n.l) && isValue(n.r)
		}
	case pqBetween:
		return isKey(n.x) && isValue(n.lo) && isValue(n.hi)
	case pqCall:
		return n.name == "begins_with" && len(n.args) == 2 && isKey(n.args[0]) && isValue(n.args[1])
	}
	return false
}

// and joins conditions with AND (nil for none).
func and(ns []pqNode) pqNode {
	var out pqNode
	for _, n := range ns {
		if out == nil {
			out = n
		} else {
			out = pqOp{"AND", out, n}
		}
	}
	return out
}

type ExecuteStatementInput struct {
	Statement                           string           `json:"Statement"`
	Parameters                          []AttributeValue `json:"Parameters,omitempty"`
	ConsistentRead                      *bool            `json:"ConsistentRead,omitempty"`
	NextToken                           string           `json:"NextToken,omitempty"`
	Limit                               *int             `json:"Limit,omitempty"`
	ReturnConsumedCapacity              string           `json:"ReturnConsumedCapacity,omitempty"`
	ReturnValuesOnConditionCheckFailure string           `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type ExecuteStatementOutput struct {
	Items            []RawItem         `json:"Items"`
	NextToken        string            `json:"NextToken,omitempty"`
	LastEvaluatedKey Item              `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// ExecuteStatement runs one PartiQL statement.
func (s *Service) ExecuteStatement(ctx context.Context, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	if in.Statement == "" {
		return nil, modelValidation(nil, "statement", "not be null")
	}
	if err := checkReturnOnFailure("returnValuesOnConditionCheckFailure", in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	if in.Parameters != nil && len(in.Parameters) == 0 { // given, the model wants one at least
		return nil, awserr.LengthValidation("[]", "parameters", 0, 1, math.MaxInt)
	}
	st, err := parsePartiQL(in.Statement, in.Parameters)
	if err != nil {
		return nil, err
	}
	if st.kind == "SELECT" {
		return s.pqSelect(ctx, st, in)
	}
	if in.NextToken != "" || in.Limit != nil {
		return nil, validationf("Limit and NextToken can only be used with SELECT statements")
	}
	item, cc, err := s.pqWrite(ctx, st, in.ReturnConsumedCapacity, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	out := &ExecuteStatementOutput{Items: []RawItem{}, ConsumedCapacity: cc}
	if item != nil {
		out.Items = append(out.Items, appendItem(nil, item))
	}
	return out, nil
}

// keyAttrs names a table's (or index's) partition and sort keys.
func (s *Service) keyAttrs(ctx context.Context, table, index string) (string, string, error) {
	t, err := s.lookup(ctx, table)
	if err != nil {
		return "", "", err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if index == "" {
		hash, rng := t.rec.keyNames()
		return hash, rng, nil
	}
	ix := t.rec.index(index)
	if ix == nil {
		return "", "", validationf("The table does not have the specified index: %s", index)
	}
	hash, rng := ix.keyNames()
	return hash, rng, nil
}

func (s *Service) pqSelect(ctx context.Context, st *pqStatement, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	hash, rng, err := s.keyAttrs(ctx, st.table, st.index)
	if err != nil {
		return nil, err
	}
	w := newPQWriter()
	q := &QueryInput{TableName: st.table, IndexName: st.index, ConsistentRead: in.ConsistentRead, keysInFilter: true,
		Limit: in.Limit, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	// The partition key's values, when the WHERE clause fixes it: one
	// (pk = x), or several (pk IN [...], pk = x OR pk = y), each queried
	// in turn as DynamoDB does, reading those partitions only.
	var parts []AttributeValue
	key, rest := splitKey(st.where, hash)
	if v, ok := key[hash]; ok {
		parts = []AttributeValue{v}
	} else if vs, others, ok := partitionValues(st.where, hash); ok {
		parts, rest = vs, others
	} else {
		rest = conjuncts(st.where)
	}
	var keyCond string
	if len(parts) > 0 {
		keyCond = w.path(pqPath{hash}) + " = " + partitionValue
		// A condition on the sort key joins the key condition, so Limit
		// and paging count what DynamoDB counts.
		for i, c := range rest {
			if sortKeyCondition(c, rng) {
				cond, err := w.expr(c)
				if err != nil {
					return nil, err
				}
				keyCond += " AND " + cond
				rest = append(rest[:i:i], rest[i+1:]...)
				break
			}
		}
	}
	if parts, err = orderQuery(q, st, parts, hash, rng); err != nil {
		return nil, err
	}
	if cond := and(rest); cond != nil {
		filter, err := w.expr(cond)
		if err != nil {
			return nil, err
		}
		q.FilterExpression = Expression(filter)
	}
	q.ProjectionExpression = w.projection(st.project)
	q.ExpressionAttributeNames, q.ExpressionAttributeValues = nonEmpty(w.names), nonEmpty(w.values)
	if len(parts) > 0 {
		return s.queryPartitions(ctx, q, keyCond, parts, in.NextToken)
	}
	if in.NextToken != "" {
		var ok bool
		if q.ExclusiveStartKey, ok = keyToken(in.NextToken); !ok {
			return nil, validationf("Invalid NextToken")
		}
	}
	res, err := s.Scan(ctx, q)
	if err != nil {
		return nil, statementError(err)
	}
	var token string
	if res.LastEvaluatedKey != nil {
		token = nextToken(res.LastEvaluatedKey)
	}
	return statementPage(res.Items, res.ConsumedCapacity, res.LastEvaluatedKey, token), nil
}

// partitionValue is the placeholder of the partition key's value in the
// key condition of each Query a SELECT runs (the statement's own values
// are :v0, :v1, …).
const partitionValue = ":partition"

// statementPage is a SELECT's answer: its items, and the token to go on
// from ("" for none).
func statementPage(items []RawItem, cc *ConsumedCapacity, last Item, token string) *ExecuteStatementOutput {
	if items == nil {
		items = []RawItem{}
	}
	return &ExecuteStatementOutput{Items: items, LastEvaluatedKey: last, ConsumedCapacity: cc, NextToken: token}
}

// nextToken encodes where a SELECT goes on from as its NextToken.
func nextToken(v any) string {
	b, _ := json.Marshal(v)
	return base64.StdEncoding.EncodeToString(b)
}

// partitionPosition is where a SELECT over several partitions goes on
// from: the partition's place in the statement's list and the Query's
// last key there (none: from its start).
type partitionPosition struct {
	Partition int
	Key       Item `json:",omitempty"`
}

// keyToken reads a NextToken that holds a Query's or Scan's last key.
func keyToken(token string) (Item, bool) {
	b, err := base64.StdEncoding.DecodeString(token)
	var key Item
	return key, err == nil && json.Unmarshal(b, &key) == nil
}

// decode reads a NextToken of a SELECT of n partitions: a position, or
// for one partition the Query's last key alone. Another statement's token
// (a key where a position is due) is refused, not read as the start.
func (at *partitionPosition) decode(token string, n int) bool {
	if n == 1 {
		var ok bool
		at.Key, ok = keyToken(token)
		return ok && at.Key != nil
	}
	b, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return false
	}
	var pos struct {
		Partition *int
		Key       Item
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if d.Decode(&pos) != nil || pos.Partition == nil || *pos.Partition < 0 || *pos.Partition >= n {
		return false
	}
	at.Partition, at.Key = *pos.Partition, pos.Key
	return true
}

// queryPartitions runs q once for each of the partition key's values in
// turn (keyCond names the value partitionValue). A page ends where a
// Query's does (Limit, or its 1 MB) or where Limit runs out between two
// partitions; its NextToken names the partition to go on with. A single
// partition's token is the Query's last key alone, as before there were
// several.
func (s *Service) queryPartitions(ctx context.Context, q *QueryInput, keyCond string, parts []AttributeValue, token string) (*ExecuteStatementOutput, error) {
	var at partitionPosition
	if token != "" && !at.decode(token, len(parts)) {
		return nil, validationf("Invalid NextToken")
	}
	var items []RawItem
	used := map[string]*ConsumedCapacity{}
	remaining := -1 // no Limit
	if q.Limit != nil {
		remaining = *q.Limit
	}
	var next *partitionPosition
	pageRead := 0 // one page's 1 MB holds every partition's items
	for i := at.Partition; i < len(parts) && next == nil; i++ {
		pq := *q
		pq.KeyConditionExpression = Expression(keyCond)
		pq.ExpressionAttributeValues = map[string]AttributeValue{partitionValue: parts[i]}
		maps.Copy(pq.ExpressionAttributeValues, q.ExpressionAttributeValues)
		pq.ExclusiveStartKey = nil
		if i == at.Partition {
			pq.ExclusiveStartKey = at.Key
		}
		if remaining >= 0 {
			pq.Limit = &remaining
		}
		pq.pageRead = pageRead
		res, err := s.Query(ctx, &pq)
		if err != nil {
			return nil, statementError(err)
		}
		items = append(items, res.Items...)
		addConsumed(used, res.ConsumedCapacity)
		if remaining >= 0 {
			remaining -= res.ScannedCount
		}
		pageRead += res.read
		switch {
		case res.LastEvaluatedKey != nil:
			next = &partitionPosition{Partition: i, Key: res.LastEvaluatedKey}
		case remaining == 0 && i+1 < len(parts): // a Query that fills the page names its last key
			next = &partitionPosition{Partition: i + 1}
		}
	}
	var cc *ConsumedCapacity
	for _, c := range used {
		cc = c // one table
	}
	switch {
	case next == nil:
		return statementPage(items, cc, nil, ""), nil
	case len(parts) == 1:
		return statementPage(items, cc, next.Key, nextToken(next.Key)), nil
	}
	return statementPage(items, cc, next.Key, nextToken(next)), nil
}

// partitionValues finds the condition of a WHERE clause that gives the
// partition key several values, pk IN [...] or pk = x OR pk = y, each a
// value: the values, without repeats, in the order given, and the other
// conditions.
func partitionValues(where pqNode, hash string) ([]AttributeValue, []pqNode, bool) {
	all := conjuncts(where)
	for i, c := range all {
		var vs []AttributeValue
		switch c := c.(type) {
		case pqIn:
			if !namesAttr(c.x, hash) {
				continue
			}
			for _, n := range c.list {
				v, ok := n.(pqValue)
				if !ok {
					return nil, nil, false
				}
				vs = append(vs, v.v)
			}
		case pqOp:
			if !orOfEqualities(c, hash, &vs) {
				continue
			}
		default:
			continue
		}
		var values []AttributeValue
		for _, v := range vs {
			if !slices.ContainsFunc(values, func(w AttributeValue) bool { return equal(&w, &v) }) { // 1 and 1.0 are one value
				values = append(values, v)
			}
		}
		return values, append(all[:i:i], all[i+1:]...), len(values) > 0
	}
	return nil, nil, false
}

// orOfEqualities reports whether n is pk = x OR pk = y OR …, each a
// value (keyEquality), appending the values to vs.
func orOfEqualities(n pqOp, hash string, vs *[]AttributeValue) bool {
	if n.op == "OR" {
		l, lok := n.l.(pqOp)
		r, rok := n.r.(pqOp)
		return lok && rok && orOfEqualities(l, hash, vs) && orOfEqualities(r, hash, vs)
	}
	v, ok := keyEquality(n, hash)
	if ok {
		*vs = append(*vs, v)
	}
	return ok
}

// orderQuery applies a SELECT's ORDER BY, which must name key attributes
// and fix the partition key (parts, its values), to its Queries: the sort
// key descending reads each partition backwards, the partition key
// descending alone takes the partitions in the reverse of their order in
// the statement (DynamoDB Local's SelectResultsOrderer); it returns the
// partitions in the order to read them.
func orderQuery(q *QueryInput, st *pqStatement, parts []AttributeValue, hash, rng string) ([]AttributeValue, error) {
	if len(st.order) == 0 {
		return parts, nil
	}
	if st.where == nil {
		return nil, validationf("Must have WHERE clause in the statement when using ORDER BY clause.")
	}
	for _, o := range st.order {
		if o.name != hash && (rng == "" || o.name != rng) {
			return nil, validationf("Variable reference %s in ORDER BY clause must be part of the primary key", o.name)
		}
	}
	if len(parts) == 0 {
		return nil, validationf("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.")
	}
	var hashDesc, rangeDesc bool
	for _, o := range st.order {
		hashDesc = hashDesc || o.name == hash && o.desc
		rangeDesc = rangeDesc || o.name == rng && o.desc
	}
	switch {
	case rangeDesc:
		// DynamoDB Local reverses the partitions and then the whole list:
		// with the sort key descending, the partitions keep their order
		// whatever the partition key's.
		forward := false
		q.ScanIndexForward = &forward
	case hashDesc:
		parts = slices.Clone(parts)
		slices.Reverse(parts)
	}
	return parts, nil
}

// comparesAttr reports whether a condition compares the attribute attr
// itself (=, <, BETWEEN, IN…).
func comparesAttr(n pqNode, attr string) bool {
	switch n := n.(type) {
	case pqOp:
		return n.op != "AND" && n.op != "OR" && (namesAttr(n.l, attr) || namesAttr(n.r, attr))
	case pqIn:
		return namesAttr(n.x, attr)
	case pqBetween:
		return namesAttr(n.x, attr)
	}
	return false
}

func namesAttr(n pqNode, attr string) bool {
	p, ok := n.(pqPath)
	return ok && len(p) == 1 && p[0] == attr
}

// pqPlan is a write statement as the item operation it stands for.
type pqPlan struct {
	kind      string // INSERT, UPDATE, DELETE, EXISTS
	table     string
	item      Item       // INSERT's
	key       Item       // the others'
	update    Expression // UPDATE's update expression
	condition Expression // the condition expression ("" for none)
	names     map[string]string
	values    map[string]AttributeValue
	returning string
}

// planWrite turns an INSERT, UPDATE, DELETE (or a transaction's EXISTS)
// into its item operation. INSERT adds an item whose key is new; UPDATE
// changes one that exists; DELETE of a missing item is no error, of an
// item its condition rejects is; EXISTS checks that the item exists and
// meets its condition.
func (s *Service) planWrite(ctx context.Context, st *pqStatement) (*pqPlan, error) {
	hash, rng, err := s.keyAttrs(ctx, st.table, "")
	if err != nil {
		return nil, err
	}
	if st.kind == "EXISTS" && st.index != "" {
		return nil, validationf("Operations on indices are not supported in transactions")
	}
	w := newPQWriter()
	pl := &pqPlan{kind: st.kind, table: st.table, returning: st.returning}
	exists := w.path(pqPath{hash})
	if st.kind == "INSERT" {
		v, ok := st.item.(pqValue)
		if !ok || v.v.M == nil {
			return nil, pqError("INSERT takes a document: VALUE {'name': value, ...}")
		}
		pl.item, pl.condition, pl.names = v.v.M, Expression("attribute_not_exists("+exists+")"), w.names
		return pl, nil
	}
	key, rest := splitKey(st.where, hash, rng)
	if _, ok := key[hash]; !ok || rng != "" && !hasAttr(key, rng) {
		return nil, validationf("Where clause does not contain a mandatory equality on all key attributes")
	}
	for _, c := range rest { // the statement names one item: its key once
		for _, k := range []string{hash, rng} {
			if k != "" && comparesAttr(c, k) {
				return nil, validationf("Multiple conditions on same key %s. Only single item Update/Insert/Delete are supported", k)
			}
		}
	}
	pl.key = key
	var cond string
	if c := and(rest); c != nil {
		if cond, err = w.expr(c); err != nil {
			return nil, err
		}
	}
	switch st.kind {
	case "DELETE":
		if cond != "" {
			pl.condition = Expression("attribute_not_exists(" + exists + ") OR " + cond)
		}
	case "UPDATE":
		if pl.update, err = w.update(st); err != nil {
			return nil, err
		}
		fallthrough
	default: // EXISTS, and UPDATE's condition
		if st.kind == "EXISTS" && cond == "" {
			return nil, validationf("EXISTS() must contain a single item read with additional condition")
		}
		pl.condition = Expression("attribute_exists(" + exists + ")")
		if cond != "" {
			pl.condition += Expression(" AND " + cond)
		}
	}
	if pl.condition != "" || pl.update != "" {
		pl.names = w.names
	}
	pl.values = nonEmpty(w.values)
	return pl, nil
}

// pqWrite runs an INSERT, UPDATE or DELETE; it returns the item RETURNING
// asks for.
func (s *Service) pqWrite(ctx context.Context, st *pqStatement, capacity, onFailure string) (Item, *ConsumedCapacity, error) {
	pl, err := s.planWrite(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	var out *ItemOutput
	switch pl.kind {
	case "INSERT":
		out, err = s.PutItem(ctx, &PutItemInput{TableName: pl.table, Item: pl.item, ReturnConsumedCapacity: capacity,
			ConditionExpression: pl.condition, ExpressionAttributeNames: pl.names})
		if errors.Is(err, ErrConditionalCheckFailed) {
			err = ErrDuplicateItem.WithMessage("Duplicate primary key exists in table")
		}
	case "DELETE":
		out, err = s.DeleteItem(ctx, &DeleteItemInput{TableName: pl.table, Key: pl.key, ReturnValues: pl.returning,
			ReturnConsumedCapacity: capacity, ReturnValuesOnConditionCheckFailure: onFailure,
			ConditionExpression: pl.condition, ExpressionAttributeNames: pl.names, ExpressionAttributeValues: pl.values})
	case "UPDATE":
		out, err = s.UpdateItem(ctx, &UpdateItemInput{TableName: pl.table, Key: pl.key, UpdateExpression: pl.update,
			ReturnValues: pl.returning, ReturnConsumedCapacity: capacity, ReturnValuesOnConditionCheckFailure: onFailure,
			ConditionExpression: pl.condition, ExpressionAttributeNames: pl.names, ExpressionAttributeValues: pl.values})
	default:
		return nil, nil, validationf("EXISTS can only be used in transactions")
	}
	if err != nil {
		return nil, nil, statementError(err)
	}
	return out.Attributes, out.ConsumedCapacity, nil
}

// statementError words an error of the operation a statement ran as as
// DynamoDB's PartiQL words it: a check of the expression Lakebox made of
// the statement (an operand's type, say) comes without that expression's
// name, which the statement never had.
func statementError(err error) error {
	e, ok := awserr.As(err)
	if !ok || e.Code != ErrValidation.Code {
		return err
	}
	for _, kind := range []string{"KeyConditionExpression", "FilterExpression", "ConditionExpression", "UpdateExpression", "ProjectionExpression"} {
		if msg, ok := strings.CutPrefix(e.Message, "Invalid "+kind+": "); ok {
			return ErrValidation.WithMessage("%s", msg)
		}
	}
	return err
}

// transactItem is a write statement as a TransactWriteItems action.
func (pl *pqPlan) transactItem(onFailure string) TransactWriteItem {
	switch pl.kind {
	case "INSERT":
		return TransactWriteItem{Put: &TransactPut{TableName: pl.table, Item: pl.item, ConditionExpression: pl.condition,
			ExpressionAttributeNames: pl.names, ReturnValuesOnConditionCheckFailure: onFailure, failure: "DuplicateItem"}}
	case "DELETE":
		return TransactWriteItem{Delete: &TransactDelete{TableName: pl.table, Key: pl.key, ConditionExpression: pl.condition,
			ExpressionAttributeNames: pl.names, ExpressionAttributeValues: pl.values, ReturnValuesOnConditionCheckFailure: onFailure}}
	case "UPDATE":
		return TransactWriteItem{Update: &TransactUpdate{TableName: pl.table, Key: pl.key, UpdateExpression: pl.update,
			ConditionExpression: pl.condition, ExpressionAttributeNames: pl.names, ExpressionAttributeValues: pl.values,
			ReturnValuesOnConditionCheckFailure: onFailure}}
	}
	return TransactWriteItem{ConditionCheck: &ConditionCheck{TableName: pl.table, Key: pl.key, ConditionExpression: pl.condition,
		ExpressionAttributeNames: pl.names, ExpressionAttributeValues: pl.values, ReturnValuesOnConditionCheckFailure: onFailure}}
}

// update writes UPDATE's SET and REMOVE clauses as an update expression;
// set_add and set_delete become ADD and DELETE.
func (w *pqWriter) update(st *pqStatement) (Expression, error) {
	var set, add, del, remove []string
	for _, a := range st.set {
		path := w.path(a[0].(pqPath))
		if call, ok := a[1].(pqCall); ok && (call.name == "set_add" || call.name == "set_delete") {
			op := strings.ToUpper(strings.TrimPrefix(call.name, "set_")) // ADD or DELETE, as DynamoDB names them
			if len(call.args) != 2 {
				return "", validationf("SET_%s must have exactly two arguments", op)
			}
			if target, ok := call.args[0].(pqPath); !ok || w.path(target) != path {
				return "", validationf("The first argument to SET_%s must equal the assignment value", op)
			}
			v, ok := call.args[1].(pqValue)
			if !ok || v.v.SS == nil && v.v.NS == nil && v.v.BS == nil {
				return "", validationf("The second argument to SET_%s must be a value with type SET", op)
			}
			clause := path + " " + w.value(v.v)
			if call.name == "set_add" {
				add = append(add, clause)
			} else {
				del = append(del, clause)
			}
			continue
		}
		value := a[1]
		var v string
		var err error
		if op, ok := value.(pqOp); ok && (op.op == "+" || op.op == "-") {
			// The update language takes a + b bare, not in parentheses.
			var parts []string
			parts, err = w.exprs(op.l, op.r)
			if err == nil {
				v = parts[0] + " " + op.op + " " + parts[1]
			}
		} else {
			v, err = w.expr(value)
		}
		if err != nil {
			return "", err
		}
		set = append(set, path+" = "+v)
	}
	for _, p := range st.remove {
		remove = append(remove, w.path(p))
	}
	var clauses []string
	for _, c := range []struct {
		word  string
		parts []string
	}{{"SET", set}, {"ADD", add}, {"DELETE", del}, {"REMOVE", remove}} {
		if len(c.parts) > 0 {
			clauses = append(clauses, c.word+" "+strings.Join(c.parts, ", "))
		}
	}
	return Expression(strings.Join(clauses, " ")), nil
}

type BatchStatementRequest struct {
	Statement                           string           `json:"Statement"`
	Parameters                          []AttributeValue `json:"Parameters,omitempty"`
	ConsistentRead                      *bool            `json:"ConsistentRead,omitempty"`
	ReturnValuesOnConditionCheckFailure string           `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type BatchExecuteStatementInput struct {
	Statements             []BatchStatementRequest `json:"Statements"`
	ReturnConsumedCapacity string                  `json:"ReturnConsumedCapacity,omitempty"`
}

type BatchStatementError struct {
	Code    string  `json:"Code"`
	Message string  `json:"Message"`
	Item    RawItem `json:"Item,omitempty"` // the item a failed condition found, for ALL_OLD
}

type BatchStatementResponse struct {
	TableName string               `json:"TableName,omitempty"`
	Item      Item                 `json:"Item,omitempty"`
	Error     *BatchStatementError `json:"Error,omitempty"`
}

type BatchExecuteStatementOutput struct {
	Responses        []BatchStatementResponse `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity       `json:"ConsumedCapacity,omitempty"`
}

// BatchExecuteStatement runs up to 25 statements, all reads (SELECTs that
// name one item) or all writes, each on its own: a statement's failure is
// its response's Error.
func (s *Service) BatchExecuteStatement(ctx context.Context, in *BatchExecuteStatementInput) (*BatchExecuteStatementOutput, error) {
	if err := awserr.LengthValidation(fmt.Sprintf("%d statements", len(in.Statements)), "statements", len(in.Statements), 1, 25); err != nil {
		return nil, err
	}
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	// A statement that does not parse, or whose parameters do not fit it,
	// is that statement's error; the others still run, as on DynamoDB.
	parsed := make([]*pqStatement, len(in.Statements))
	faults := make([]error, len(in.Statements))
	reads, writes := 0, 0
	for i, r := range in.Statements {
		if err := checkReturnOnFailure("statements.member.returnValuesOnConditionCheckFailure", r.ReturnValuesOnConditionCheckFailure); err != nil {
			return nil, err
		}
		parsed[i], faults[i] = parsePartiQL(r.Statement, r.Parameters)
		switch {
		case faults[i] != nil:
		case parsed[i].kind == "SELECT":
			reads++
		default:
			writes++
		}
	}
	if reads != 0 && writes != 0 {
		return nil, validationf("Supported statements are either all read statements or all write statements")
	}
	out := &BatchExecuteStatementOutput{Responses: make([]BatchStatementResponse, len(parsed))}
	used := map[string]*ConsumedCapacity{}
	for i, st := range parsed {
		resp := &out.Responses[i]
		if faults[i] != nil {
			resp.Error = batchStatementError(faults[i])
			continue
		}
		resp.TableName = st.table
		var cc *ConsumedCapacity
		var err error
		if st.kind == "SELECT" {
			resp.Item, cc, err = s.pqGet(ctx, st, in.Statements[i].ConsistentRead, in.ReturnConsumedCapacity)
		} else {
			resp.Item, cc, err = s.pqWrite(ctx, st, in.ReturnConsumedCapacity, in.Statements[i].ReturnValuesOnConditionCheckFailure)
		}
		if err != nil {
			resp.Error = batchStatementError(err)
		}
		addConsumed(used, cc)
	}
	for _, name := range sortedNames(used) {
		out.ConsumedCapacity = append(out.ConsumedCapacity, *used[name])
	}
	return out, nil
}

// pqGet runs a batch's SELECT, which must name one item by its key.
func (s *Service) pqGet(ctx context.Context, st *pqStatement, consistent *bool, capacity string) (Item, *ConsumedCapacity, error) {
	in, err := s.planGet(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	in.ConsistentRead, in.ReturnConsumedCapacity = consistent, capacity
	out, err := s.GetItem(ctx, in)
	if err != nil {
		return nil, nil, statementError(err)
	}
	if out.Item == nil {
		return nil, out.ConsumedCapacity, nil
	}
	item, err := out.Item.Decode()
	return item, out.ConsumedCapacity, err
}

// planGet turns a SELECT that names one item by its whole key, and
// nothing else, into a GetItem (batches and transactions read only so).
func (s *Service) planGet(ctx context.Context, st *pqStatement) (*GetItemInput, error) {
	hash, rng, err := s.keyAttrs(ctx, st.table, st.index)
	if err != nil {
		return nil, err
	}
	key, rest := splitKey(st.where, hash, rng)
	if st.index != "" || len(rest) > 0 || !hasAttr(key, hash) || rng != "" && !hasAttr(key, rng) {
		return nil, validationf("Select statements within BatchExecuteStatement and ExecuteTransaction must specify the full primary key and nothing else")
	}
	w := newPQWriter()
	in := &GetItemInput{TableName: st.table, Key: key, ProjectionExpression: w.projection(st.project)}
	in.ExpressionAttributeNames = nonEmpty(w.names) // set after projection has filled it
	return in, nil
}

type ParameterizedStatement struct {
	Statement                           string           `json:"Statement"`
	Parameters                          []AttributeValue `json:"Parameters,omitempty"`
	ReturnValuesOnConditionCheckFailure string           `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type ExecuteTransactionInput struct {
	TransactStatements     []ParameterizedStatement `json:"TransactStatements"`
	ClientRequestToken     string                   `json:"ClientRequestToken,omitempty"`
	ReturnConsumedCapacity string                   `json:"ReturnConsumedCapacity,omitempty"`
}

type ExecuteTransactionOutput struct {
	Responses        []ItemResponse     `json:"Responses,omitempty"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// ExecuteTransaction runs up to 100 statements as one transaction: all
// SELECTs of whole keys (a TransactGetItems), or all INSERT, UPDATE,
// DELETE and EXISTS(SELECT ...) checks (a TransactWriteItems, all or
// none, with a cancellation reason per statement).
func (s *Service) ExecuteTransaction(ctx context.Context, in *ExecuteTransactionInput) (*ExecuteTransactionOutput, error) {
	if err := awserr.LengthValidation(len(in.TransactStatements), "transactStatements", len(in.TransactStatements), 1, maxTransactItems); err != nil {
		return nil, err
	}
	var gets []TransactGetItem
	var writes []TransactWriteItem
	for _, ps := range in.TransactStatements {
		st, err := parsePartiQL(ps.Statement, ps.Parameters)
		if err != nil {
			return nil, err
		}
		if st.kind == "SELECT" {
			g, err := s.planGet(ctx, st)
			if err != nil {
				return nil, err
			}
			var tg TransactGetItem
			tg.Get = &struct {
				TableName                string            `json:"TableName"`
				Key                      Item              `json:"Key"`
				ProjectionExpression     Expression        `json:"ProjectionExpression,omitempty"`
				ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
			}{g.TableName, g.Key, g.ProjectionExpression, g.ExpressionAttributeNames}
			gets = append(gets, tg)
			continue
		}
		pl, err := s.planWrite(ctx, st)
		if err != nil {
			return nil, err
		}
		if pl.returning != "" {
			return nil, validationf("RETURNING is not supported in transactions")
		}
		writes = append(writes, pl.transactItem(ps.ReturnValuesOnConditionCheckFailure))
	}
	if len(gets) > 0 && len(writes) > 0 {
		return nil, validationf("Supported statements are either all read statements or all write statements")
	}
	if len(gets) > 0 { // SDKs send a ClientRequestToken with reads too: reading twice is harmless
		out, err := s.TransactGetItems(ctx, &TransactGetItemsInput{TransactItems: gets, ReturnConsumedCapacity: in.ReturnConsumedCapacity})
		if err != nil {
			return nil, statementError(err)
		}
		return &ExecuteTransactionOutput{Responses: out.Responses, ConsumedCapacity: out.ConsumedCapacity}, nil
	}
	out, err := s.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: writes, ClientRequestToken: in.ClientRequestToken,
		ReturnConsumedCapacity: in.ReturnConsumedCapacity})
	if err != nil {
		return nil, statementError(err)
	}
	return &ExecuteTransactionOutput{ConsumedCapacity: out.ConsumedCapacity}, nil
}

// batchStatementError is a statement's error as BatchExecuteStatement
// reports it.
func batchStatementError(err error) *BatchStatementError {
	ae, ok := awserr.As(err)
	if !ok {
		return &BatchStatementError{Code: "InternalServerError", Message: "Internal server error"}
	}
	code := strings.TrimSuffix(ae.Code, "Exception")
	switch code {
	case "Validation":
		code = "ValidationError"
	case "ResourceNotFound", "ConditionalCheckFailed", "DuplicateItem", "TransactionConflict", "RequestLimitExceeded", "ProvisionedThroughputExceeded",
		"ItemCollectionSizeLimitExceeded":
	default:
		code = "InternalServerError"
	}
	out := &BatchStatementError{Code: code, Message: ae.Message}
	for _, f := range ae.Fields {
		if f.Name == "Item" && f.Raw {
			out.Item = RawItem(f.Value)
		}
	}
	return out
}
