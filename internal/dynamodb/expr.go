package dynamodb

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Expression is an expression member of a request: ConditionExpression,
// UpdateExpression, ProjectionExpression, FilterExpression or
// KeyConditionExpression, "" when not given. DynamoDB refuses one given
// empty, which a plain string could not tell from one not given; so its
// decoding refuses it.
type Expression string

// maxExpressionLength is the longest expression DynamoDB takes from a
// request, in bytes.
const maxExpressionLength = 4096

func (e *Expression) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '"' { // null, or a type error as for any string member
		var s *string
		err := jsonv2.UnmarshalDecode(dec, &s)
		*e = Expression(deref(s))
		return err
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if *e = Expression(tok.String()); *e == "" { // the pointer to what was just read ends with the member's name
		return validationf("Invalid %s: The expression can not be empty;", dec.StackPointer().LastToken())
	}
	// DynamoDB's limit on what a request gives: checked here, as a request
	// is read, so that what Lakebox builds itself (from the old parameters,
	// from PartiQL) is not held to it.
	if len(*e) > maxExpressionLength {
		return validationf("Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d", dec.StackPointer().LastToken(), len(*e))
	}
	// Each operator is a token of its own, so only a longer expression
	// can have too many.
	if member := dec.StackPointer().LastToken(); len(*e) > maxOperators && operatorCount(member, string(*e)) > maxOperators {
		// DynamoDB counts as it checks each operator and stops at the
		// first one too many.
		return validationf("Invalid %s: The expression contains too many operators; operator count: %d", member, maxOperators+1)
	}
	return nil
}

// maxOperators is the most operators and functions DynamoDB takes in one
// expression a request gives (like the size limit, not asked of what
// Lakebox builds from the old parameters and from PartiQL).
const maxOperators = 300

// operatorCount counts the operators and functions of an expression (the
// request member named kind) from its tokens: comparisons, AND, OR, NOT,
// BETWEEN, IN, + and -, and every function called, size() included; an
// update's = assigns, and is none. An expression that does not lex counts
// 0: the parser reports it.
func operatorCount(kind, src string) int {
	toks, err := lex(src)
	if err != nil {
		return 0
	}
	n := 0
	for i, t := range toks {
		switch t.kind {
		case tokPunct:
			switch t.text {
			case "<>", "<", "<=", ">", ">=", "+", "-":
				n++
			case "=":
				if kind != "UpdateExpression" {
					n++
				}
			}
		case tokIdent:
			// Keywords first: "BETWEEN (:x)" and "IN (" are no calls.
			switch {
			case strings.EqualFold(t.text, "AND"), strings.EqualFold(t.text, "OR"), strings.EqualFold(t.text, "NOT"),
				strings.EqualFold(t.text, "IN"):
				n++
			case strings.EqualFold(t.text, "BETWEEN"):
				// its AND is counted: the two make one operator
			case i+1 < len(toks) && toks[i+1].text == "(" && toks[i+1].kind == tokPunct:
				n++ // a function
			}
		}
	}
	return n
}

// The expression language: a lexer and a recursive-descent parser for
// condition, key condition, filter, update and projection expressions.
// Parsing checks names (#n) and values (:v) against the request's maps
// and records which were used.

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokName  // #name
	tokValue // :value
	tokNumber
	tokPunct
)

type token struct {
	kind tokenKind
	text string
	pos  int
}

func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		t, ok := lexOne(s, i)
		switch {
		case t.kind == tokEOF:
			return append(toks, t), nil
		case !ok:
			return nil, syntaxAt(s, toks, t)
		}
		toks = append(toks, t)
		i = t.pos + len(t.text)
	}
	return append(toks, token{tokEOF, "<EOF>", len(s)}), nil
}

// lexOne reads the token at or after i, past white space. A character
// that starts no token is a token of its own, not ok: DynamoDB's syntax
// errors name it. An identifier starts with a letter ("_x" is refused as
// DynamoDB refuses it: token "_").
func lexOne(s string, i int) (t token, ok bool) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	if i == len(s) {
		return token{tokEOF, "<EOF>", len(s)}, true
	}
	j := i + 1
	switch c := s[i]; {
	case isIdentStart(c) || c == '#' || c == ':':
		for j < len(s) && isIdentChar(s[j]) {
			j++
		}
		kind := tokIdent
		if c == '#' {
			kind = tokName
		} else if c == ':' {
			kind = tokValue
		}
		if kind != tokIdent && j == i+1 {
			return token{tokPunct, s[i:j], i}, false
		}
		return token{kind, s[i:j], i}, true
	case c >= '0' && c <= '9':
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return token{tokNumber, s[i:j], i}, true
	case strings.HasPrefix(s[i:], "<>") || strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
		return token{tokPunct, s[i : i+2], i}, true
	case strings.IndexByte("=<>()[],.+-", c) >= 0:
		return token{tokPunct, s[i:j], i}, true
	}
	return token{tokPunct, s[i:j], i}, false
}

func isIdentStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || c == '_' || c >= '0' && c <= '9' }

// syntaxError is the marker of a lexing error, completed by the parser
// with the expression's kind.
type syntaxError struct{ token, near string }

func (e *syntaxError) Error() string {
	return fmt.Sprintf("Syntax error; token: %q, near: %q", e.token, e.near)
}

// syntaxAt is the error of bad, a character no token starts with, after
// the tokens read before it.
func syntaxAt(s string, before []token, bad token) error {
	var prev *token
	if len(before) > 0 {
		prev = &before[len(before)-1]
	}
	next, _ := lexOne(s, bad.pos+len(bad.text))
	return &syntaxError{token: bad.text, near: near(s, prev, bad, next)}
}

// near is what DynamoDB's syntax errors quote around a token: the
// expression's own text from the token before it to the token after it.
func near(s string, prev *token, t, next token) string {
	lo, hi := t.pos, t.pos+len(t.text)
	if prev != nil {
		lo = prev.pos
	}
	if next.kind != tokEOF {
		hi = next.pos + len(next.text)
	}
	if t.kind == tokEOF {
		hi = len(s)
	}
	return s[lo:hi]
}

// pathElem is one step of a document path: an attribute or map key, or
// a list index.
type pathElem struct {
	name  string
	index int // when name == ""
}

type path []pathElem

func (p path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.name == "":
			fmt.Fprintf(&b, "[%d]", e.index)
		case i > 0:
			b.WriteString("." + e.name)
		default:
			b.WriteString(e.name)
		}
	}
	return b.String()
}

// operand kinds.
const (
	opPath = iota
	opValue
	opSize
	opIfNotExists
	opListAppend
	opPlus
	opMinus
)

type operand struct {
	kind  int
	path  path
	value *AttributeValue
	args  []*operand
}

// condition kinds.
const (
	condCompare = iota
	condBetween
	condIn
	condAnd
	condOr
	condNot
	condFunc
)

type condition struct {
	kind     int
	op       string // comparator or function name
	operands []*operand
	subs     []*condition
}

// attributes calls f with the top-level attribute each path in c names.
func (c *condition) attributes(f func(name string)) {
	c.paths(func(p path) { f(p[0].name) })
}

// paths calls f with each document path c names.
func (c *condition) paths(f func(p path)) {
	var walk func(o *operand)
	walk = func(o *operand) {
		if o.kind == opPath && len(o.path) > 0 {
			f(o.path)
		}
		for _, a := range o.args {
			walk(a)
		}
	}
	for _, o := range c.operands {
		walk(o)
	}
	for _, sub := range c.subs {
		sub.paths(f)
	}
}

// exprEnv holds a request's names and values and what of them was used.
type exprEnv struct {
	names     map[string]string
	values    map[string]AttributeValue
	usedNames map[string]bool
	usedVals  map[string]bool
}

// newEnv returns an environment over names and values. What was used is
// recorded only for what was given: most requests give neither.
func newEnv(names map[string]string, values map[string]AttributeValue) *exprEnv {
	e := &exprEnv{names: names, values: values}
	if len(names) > 0 {
		e.usedNames = make(map[string]bool, len(names))
	}
	if len(values) > 0 {
		e.usedVals = make(map[string]bool, len(values))
	}
	return e
}

// checkUnused fails when the request gives names or values no
// expression used.
func (e *exprEnv) checkUnused() error {
	var unusedVals, unusedNames []string
	for k := range e.values {
		if !e.usedVals[k] {
			unusedVals = append(unusedVals, k)
		}
	}
	for k := range e.names {
		if !e.usedNames[k] {
			unusedNames = append(unusedNames, k)
		}
	}
	if len(unusedVals) > 0 {
		return validationf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(sorted(unusedVals), ", "))
	}
	if len(unusedNames) > 0 {
		return validationf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(sorted(unusedNames), ", "))
	}
	return nil
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}

type parser struct {
	kind string // "ConditionExpression", … for messages
	src  string
	toks []token
	i    int
	env  *exprEnv
}

// exprError is a parse or semantic error of an expression.
func (p *parser) fail(format string, args ...any) error {
	return validationf("Invalid %s: %s", p.kind, fmt.Sprintf(format, args...))
}

func (p *parser) syntax() error {
	t := p.toks[p.i]
	var prev *token
	if p.i > 0 {
		prev = &p.toks[p.i-1]
	}
	next := p.toks[min(p.i+1, len(p.toks)-1)]
	return p.fail("Syntax error; token: %q, near: %q", t.text, near(p.src, prev, t, next))
}

// maxExpressionSize bounds an expression, and with it the parser's and
// the evaluator's recursion. DynamoDB refuses user expressions over 4 KB;
// the bound here is looser because the legacy parameters (Expected,
// AttributeUpdates, ...) are translated into expressions that may be
// longer than what the user wrote.
const maxExpressionSize = 64 << 10

func newParser(kind, src string, env *exprEnv) (*parser, error) {
	if strings.TrimSpace(src) == "" {
		return nil, validationf("Invalid %s: The expression can not be empty;", kind)
	}
	if len(src) > maxExpressionSize {
		return nil, validationf("Invalid %s: Expression size has exceeded the maximum allowed size; expression size: %d", kind, len(src))
	}
	toks, err := lex(src)
	if err != nil {
		if se, ok := err.(*syntaxError); ok {
			return nil, validationf("Invalid %s: Syntax error; token: %q, near: %q", kind, se.token, se.near)
		}
		return nil, err
	}
	return &parser{kind: kind, src: src, toks: toks, env: env}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i = min(p.i+1, len(p.toks)-1); return t }

func (p *parser) punct(s string) bool {
	if t := p.peek(); t.kind == tokPunct && t.text == s {
		p.i++
		return true
	}
	return false
}

func (p *parser) keyword(s string) bool {
	if t := p.peek(); t.kind == tokIdent && strings.EqualFold(t.text, s) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(s string) error {
	if !p.punct(s) {
		return p.syntax()
	}
	return nil
}

func (p *parser) end() error {
	if p.peek().kind != tokEOF {
		return p.syntax()
	}
	return nil
}

// name resolves an attribute name token.
func (p *parser) name(t token) (string, error) {
	switch t.kind {
	case tokName:
		n, ok := p.env.names[t.text]
		if !ok {
			return "", p.fail("An expression attribute name used in the document path is not defined; attribute name: %s", t.text)
		}
		p.env.usedNames[t.text] = true
		return n, nil
	case tokIdent:
		if isReserved(t.text) {
			return "", p.fail("Attribute name is a reserved keyword; reserved keyword: %s", t.text)
		}
		return t.text, nil
	}
	if t.kind != tokEOF {
		p.i-- // the syntax error names t, which the caller has read
	}
	return "", p.syntax()
}

func (p *parser) path() (path, error) {
	n, err := p.name(p.next())
	if err != nil {
		return nil, err
	}
	out := path{{name: n}}
	for {
		switch {
		case p.punct("."):
			n, err := p.name(p.next())
			if err != nil {
				return nil, err
			}
			out = append(out, pathElem{name: n})
		case p.punct("["):
			t := p.next()
			if t.kind != tokNumber {
				p.i--
				return nil, p.syntax()
			}
			idx, err := strconv.Atoi(t.text)
			if err != nil {
				return nil, p.syntax()
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			out = append(out, pathElem{index: idx})
		default:
			if len(out) > 32 {
				return nil, p.fail("The document path has too many nesting levels; nesting levels: %d", len(out))
			}
			return out, nil
		}
	}
}

func (p *parser) value(t token) (*operand, error) {
	v, ok := p.env.values[t.text]
	if !ok {
		return nil, p.fail("An expression attribute value used in expression is not defined; attribute value: %s", t.text)
	}
	p.env.usedVals[t.text] = true
	return &operand{kind: opValue, value: &v}, nil
}

// operand reads a path, a value or size() of one (in conditions), or
// one of them in parentheses.
func (p *parser) operand() (*operand, error) {
	t := p.peek()
	switch {
	case t.kind == tokPunct && t.text == "(":
		p.i++
		o, err := p.operand()
		if err != nil {
			return nil, err
		}
		return o, p.expect(")")
	case t.kind == tokValue:
		p.i++
		return p.value(t)
	case t.kind == tokIdent && p.toks[p.i+1].text == "(":
		if _, ok := conditionArity(t.text); ok {
			return nil, misused(p, t.text)
		}
		if t.text != "size" {
			return nil, p.unknownFunction(t.text)
		}
		p.i += 2
		arg, err := p.operand() // a path or a value, perhaps in parentheses: size((a))
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &operand{kind: opSize, args: []*operand{arg}}, nil // its operand's type is checked with the others'
	case t.kind == tokIdent || t.kind == tokName:
		pa, err := p.path()
		if err != nil {
			return nil, err
		}
		return &operand{kind: opPath, path: pa}, nil
	}
	return nil, p.syntax()
}

// Conditions, lowest precedence first: OR, AND, NOT, then the rest.
func (p *parser) condition() (*condition, error) {
	c, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("OR") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		c = &condition{kind: condOr, subs: []*condition{c, r}}
	}
	return c, nil
}

func (p *parser) and() (*condition, error) {
	c, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.keyword("AND") {
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		c = &condition{kind: condAnd, subs: []*condition{c, r}}
	}
	return c, nil
}

func (p *parser) not() (*condition, error) {
	if p.keyword("NOT") {
		c, err := p.not()
		if err != nil {
			return nil, err
		}
		return &condition{kind: condNot, subs: []*condition{c}}, nil
	}
	return p.primary()
}

// comparator reports whether t is one of the comparison operators.
func comparator(t token) bool {
	switch t.text {
	case "=", "<>", "<", "<=", ">", ">=":
		return t.kind == tokPunct
	}
	return false
}

// misused is DynamoDB's refusal of a function where it cannot stand: a
// condition function as an operand, size as a condition, list_append
// inside another function or + and - (nestable).
func misused(p *parser, function string) error {
	return p.fail("The function is not allowed to be used this way in an expression; function: %s", function)
}

// unknownFunction refuses a function the expression cannot call: one of
// the other kind of expression's, in DynamoDB's words for that, or no
// function at all.
func (p *parser) unknownFunction(name string) error {
	_, condFn := conditionArity(name)
	switch {
	case p.kind == "UpdateExpression" && (condFn || name == "size"):
		return p.fail("The function is not allowed in an update expression; function: %s", name)
	case p.kind != "UpdateExpression" && (name == "if_not_exists" || name == "list_append"):
		return p.fail("The function is not allowed in a condition expression; function: %s", name)
	}
	return p.fail("Invalid function name; function: %s", name)
}

// conditionArity is how many operands a condition function takes.
func conditionArity(name string) (int, bool) {
	switch name {
	case "attribute_exists", "attribute_not_exists":
		return 1, true
	case "attribute_type", "begins_with", "contains":
		return 2, true
	}
	return 0, false
}

func (p *parser) primary() (*condition, error) {
	if start := p.i; p.punct("(") {
		c, err := p.condition()
		if err == nil {
			if err = p.expect(")"); err == nil {
				return c, nil
			}
		}
		// Not a condition in parentheses: perhaps an operand in them, as
		// in "(a) = :v", which DynamoDB takes too. When that fails as well,
		// the refusal is the one of the reading that got further.
		reached := p.i
		p.i = start
		c, err2 := p.comparison()
		if err2 == nil {
			return c, nil
		}
		if p.i > reached {
			return nil, err2
		}
		return nil, err
	}
	return p.comparison()
}

// comparison reads a condition that is not a group: a function, or an
// operand compared, ranged or listed.
func (p *parser) comparison() (*condition, error) {
	t := p.peek()
	if t.kind == tokIdent && p.toks[p.i+1].text == "(" && t.text != "size" {
		want, ok := conditionArity(t.text)
		if !ok {
			return nil, p.unknownFunction(t.text)
		}
		p.i += 2
		args, err := p.arguments(p.operand)
		if err != nil {
			return nil, err
		}
		if len(args) != want {
			return nil, p.fail("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", t.text, len(args))
		}
		// Only the existence checks need a path: begins_with(:v, a) and
		// contains(:v, a) ask whether the value begins with or contains
		// the attribute, as DynamoDB's validator lets them (DynamoDB
		// Local's OperatorValidator checks the path of these two alone).
		if (t.text == "attribute_exists" || t.text == "attribute_not_exists") && args[0].kind != opPath {
			return nil, p.fail("Operator or function requires a document path; operator or function: %s", t.text)
		}
		if comparator(p.peek()) {
			return nil, misused(p, t.text) // attribute_exists(a) = :v
		}
		return &condition{kind: condFunc, op: t.text, operands: args}, nil
	}
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	switch t := p.peek(); {
	case comparator(t):
		p.i++
		right, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &condition{kind: condCompare, op: t.text, operands: []*operand{left, right}}, nil
	case p.keyword("BETWEEN"):
		lo, err := p.operand()
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			return nil, p.syntax()
		}
		hi, err := p.operand()
		if err != nil {
			return nil, err
		}
		return &condition{kind: condBetween, operands: []*operand{left, lo, hi}}, nil
	case p.keyword("IN"):
		if err := p.expect("("); err != nil {
			return nil, err
		}
		ops := []*operand{left}
		for {
			o, err := p.operand()
			if err != nil {
				return nil, err
			}
			ops = append(ops, o)
			if !p.punct(",") {
				break
			}
		}
		if len(ops) > 101 {
			return nil, p.fail("The IN operator is provided with too many operands; number of operands: %d", len(ops)-1)
		}
		return &condition{kind: condIn, operands: ops}, p.expect(")")
	}
	if left.kind == opSize {
		return nil, misused(p, "size") // size(a) alone is no condition
	}
	return nil, p.syntax()
}

// parseCondition parses a condition or filter expression.
func parseCondition(kind, src string, env *exprEnv) (*condition, error) {
	p, err := newParser(kind, src, env)
	if err != nil {
		return nil, err
	}
	c, err := p.condition()
	if err != nil {
		return nil, err
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if p.redundantParens() {
		return nil, p.fail("The expression has redundant parentheses;")
	}
	return c, p.checkOperands(c)
}

// redundantParens reports whether the expression wraps something in two
// pairs of parentheses at once, "((a = :v))", which DynamoDB refuses in
// conditions. A function's or IN's own parentheses do not count:
// "size((a))" is a function of "(a)".
func (p *parser) redundantParens() bool {
	match := make(map[int]int) // a parenthesis's index in toks to its closing one's
	var open []int
	for i, t := range p.toks {
		switch {
		case t.kind != tokPunct:
		case t.text == "(":
			open = append(open, i)
		case t.text == ")" && len(open) > 0:
			match[open[len(open)-1]] = i
			open = open[:len(open)-1]
		}
	}
	grouping := func(i int) bool {
		if p.toks[i].text != "(" || p.toks[i].kind != tokPunct {
			return false
		}
		if i == 0 || p.toks[i-1].kind != tokIdent {
			return true
		}
		switch strings.ToUpper(p.toks[i-1].text) {
		case "AND", "OR", "NOT", "BETWEEN":
			return true
		}
		return false // a function's arguments or IN's list
	}
	for i := 0; i+1 < len(p.toks); i++ {
		if grouping(i) && grouping(i+1) && match[i] == match[i+1]+1 {
			return true
		}
	}
	return false
}

// checkOperands refuses what DynamoDB refuses before it reads anything,
// the innermost operator first, left to right: size() of what has no
// size (checkSize), an ordering (<, <=, >, >=, BETWEEN) of a value
// neither string, number nor binary, begins_with of a value neither
// string nor binary (size() is a number), a first operand that comes
// again (checkDistinct), attribute_type of anything but a type's name
// (checkTypeName), and BETWEEN bounds of two types or the wrong way round.
func (p *parser) checkOperands(c *condition) error {
	for _, sub := range c.subs {
		if err := p.checkOperands(sub); err != nil {
			return err
		}
	}
	ops := c.operands
	for _, o := range ops {
		if err := p.checkSize(o); err != nil {
			return err
		}
	}
	var takes func(t string) bool // the values the operator or function takes
	name := c.op
	switch {
	case c.kind == condCompare && c.op != "=" && c.op != "<>":
		takes = scalar
	case c.kind == condBetween:
		takes, name = scalar, "BETWEEN"
	case c.kind == condIn:
		name = "IN"
	case c.kind == condFunc && c.op == "begins_with":
		takes = prefixed
	}
	for _, o := range ops {
		typ := "" // what the operand is known to be before the item is read
		switch o.kind {
		case opValue:
			typ = o.value.Type()
		case opSize:
			typ = typeN
		}
		if takes != nil && typ != "" && !takes(typ) {
			return p.fail("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", name, typ)
		}
	}
	if err := p.checkDistinct(name, ops); err != nil {
		return err
	}
	if c.kind == condFunc && c.op == "attribute_type" {
		if err := p.checkTypeName(ops[1]); err != nil {
			return err
		}
	}
	if c.kind == condBetween && ops[1].kind == opValue && ops[2].kind == opValue {
		lo, hi := ops[1].value, ops[2].value
		bounds := fmt.Sprintf("lower bound operand: AttributeValue: {%s}, upper bound operand: AttributeValue: {%s}", showScalar(lo), showScalar(hi))
		if lo.Type() != hi.Type() {
			return p.fail("The BETWEEN operator requires same data type for lower and upper bounds; %s", bounds)
		}
		if n, ok := compare(lo, hi); ok && n > 0 {
			return p.fail("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; %s", bounds)
		}
	}
	return nil
}

// checkSize refuses size() of what has no size, known before the item is
// read: a number, boolean or null value, or size() itself, a number.
func (p *parser) checkSize(o *operand) error {
	if o.kind != opSize {
		return nil
	}
	arg := o.args[0]
	if err := p.checkSize(arg); err != nil { // size(size(size(a))): the innermost first
		return err
	}
	typ := ""
	switch {
	case arg.kind == opSize:
		typ = typeN
	case arg.kind == opValue && sizeOf(arg.value) < 0:
		typ = arg.value.Type()
	default:
		return nil
	}
	return p.fail("Incorrect operand type for operator or function; operator or function: size, operand type: %s", typ)
}

// typeNames are the types attribute_type names, as DynamoDB lists them
// when it refuses another name.
const typeNames = "{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }"

// checkTypeName refuses a second operand of attribute_type that is not a
// value naming a type, as DynamoDB does before it reads the item: a path
// or size() would name one only once read. A path could be of any type,
// so its "operand type" is every one (DynamoDB's spelling of that set for
// a path is a guess; its message for a wrong name is documented).
func (p *parser) checkTypeName(o *operand) error {
	typ := typeNames
	switch {
	case o.kind == opSize:
		typ = typeN
	case o.kind == opValue && o.value.S == nil:
		typ = o.value.Type()
	case o.kind == opValue:
		switch name := *o.value.S; name {
		case typeS, typeN, typeB, typeBOOL, typeNULL, typeL, typeM, typeSS, typeNS, typeBS:
			return nil
		default:
			return p.fail("Invalid attribute type name found; type: %s, valid types: %s", name, typeNames)
		}
	}
	return p.fail("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: %s", typ)
}

// checkDistinct refuses an operator or function whose first operand, a
// path, appears again among its others (a = a, a BETWEEN a AND :y,
// a IN (:x, a), if_not_exists(a, a)), as DynamoDB refuses every operator
// of more than one operand but list_append, + and -.
func (p *parser) checkDistinct(name string, ops []*operand) error {
	if len(ops) < 2 || ops[0].kind != opPath {
		return nil
	}
	for _, o := range ops[1:] {
		if o.kind == opPath && slices.Equal(o.path, ops[0].path) {
			return p.fail("The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: [%s]", name, pathList(ops[0].path))
		}
	}
	return nil
}

// scalar reports whether values of type t are strings, numbers or
// binaries: what the orderings (<, <=, >, >=, BETWEEN) compare, and what
// contains and IN take.
func scalar(t string) bool { return t == typeS || t == typeN || t == typeB }

// prefixed reports whether values of type t have prefixes, as begins_with
// takes them: strings and binaries.
func prefixed(t string) bool { return t == typeS || t == typeB }

// showScalar writes a value as DynamoDB's messages show it: "N:5".
func showScalar(v *AttributeValue) string {
	switch v.Type() {
	case typeS:
		return "S:" + *v.S
	case typeN:
		return "N:" + *v.N
	case typeB:
		return "B:" + base64.StdEncoding.EncodeToString(v.B)
	}
	return v.Type()
}

// parseProjection parses a projection expression.
func parseProjection(src string, env *exprEnv) ([]path, error) {
	p, err := newParser("ProjectionExpression", src, env)
	if err != nil {
		return nil, err
	}
	var out []path
	for {
		pa, err := p.path()
		if err != nil {
			return nil, err
		}
		out = append(out, pa)
		if !p.punct(",") {
			break
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	return out, checkOverlaps(out, p)
}

// update is a parsed update expression.
type update struct {
	set    []setAction
	remove []path
	add    []pathValue
	delete []pathValue
}

type setAction struct {
	path  path
	value *operand
}

type pathValue struct {
	path  path
	value *operand
}

// parseUpdate parses an update expression.
func parseUpdate(src string, env *exprEnv) (*update, error) {
	p, err := newParser("UpdateExpression", src, env)
	if err != nil {
		return nil, err
	}
	u := &update{}
	seen := map[string]bool{}
	for p.peek().kind != tokEOF {
		t := p.next()
		clause := strings.ToUpper(t.text)
		if t.kind != tokIdent || (clause != "SET" && clause != "REMOVE" && clause != "ADD" && clause != "DELETE") {
			p.i--
			return nil, p.syntax()
		}
		if seen[clause] {
			return nil, p.fail("The %q section can only be used once in an update expression;", clause)
		}
		seen[clause] = true
		for {
			pa, err := p.path()
			if err != nil {
				return nil, err
			}
			switch clause {
			case "SET":
				if err := p.expect("="); err != nil {
					return nil, err
				}
				v, err := p.setValue()
				if err != nil {
					return nil, err
				}
				u.set = append(u.set, setAction{pa, v})
			case "REMOVE":
				u.remove = append(u.remove, pa)
			default:
				t := p.next()
				if t.kind != tokValue {
					p.i--
					return nil, p.syntax()
				}
				v, err := p.value(t)
				if err != nil {
					return nil, err
				}
				// The value's type is the request's own error, found
				// before any item is read.
				switch t := v.value.Type(); {
				case clause == "ADD" && t != typeN && t != typeSS && t != typeNS && t != typeBS,
					clause == "DELETE" && t != typeSS && t != typeNS && t != typeBS:
					return nil, p.fail("Incorrect operand type for operator or function; operator: %s, operand type: %s", clause, typeName(t))
				}
				if clause == "ADD" {
					u.add = append(u.add, pathValue{pa, v})
				} else {
					u.delete = append(u.delete, pathValue{pa, v})
				}
			}
			if !p.punct(",") {
				break
			}
		}
	}
	return u, checkOverlaps(u.paths(), p)
}

// setValue reads operand [+|- operand], where operands may be
// if_not_exists(path, value) and list_append(a, b).
func (p *parser) setValue() (*operand, error) {
	a, err := p.setOperand()
	if err != nil {
		return nil, err
	}
	for _, op := range []struct {
		text string
		kind int
	}{{"+", opPlus}, {"-", opMinus}} {
		if p.punct(op.text) {
			b, err := p.setOperand()
			if err != nil {
				return nil, err
			}
			if err := nestable(p, a, b); err != nil {
				return nil, err
			}
			if err := p.checkValueTypes(op.text, typeN, a, b); err != nil {
				return nil, err
			}
			return &operand{kind: op.kind, args: []*operand{a, b}}, nil
		}
	}
	return a, nil
}

func (p *parser) setOperand() (*operand, error) {
	t := p.peek()
	if t.kind == tokIdent && p.toks[p.i+1].text == "(" {
		kind := map[string]int{"if_not_exists": opIfNotExists, "list_append": opListAppend}
		k, ok := kind[t.text]
		if !ok {
			return nil, p.unknownFunction(t.text)
		}
		p.i += 2
		args, err := p.arguments(p.setOperand)
		if err != nil {
			return nil, err
		}
		if len(args) != 2 {
			return nil, p.fail("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", t.text, len(args))
		}
		if k == opIfNotExists && args[0].kind != opPath {
			return nil, p.fail("Operator or function requires a document path; operator or function: if_not_exists")
		}
		if err := nestable(p, args...); err != nil {
			return nil, err
		}
		if k == opIfNotExists {
			if err := p.checkDistinct(t.text, args); err != nil {
				return nil, err
			}
		}
		if k == opListAppend {
			if err := p.checkValueTypes(t.text, typeL, args...); err != nil {
				return nil, err
			}
		}
		return &operand{kind: k, args: args}, nil
	}
	if t.kind == tokValue {
		p.i++
		return p.value(t)
	}
	pa, err := p.path()
	if err != nil {
		return nil, err
	}
	return &operand{kind: opPath, path: pa}, nil
}

// nestable refuses, among the operands of an update's operator or
// function, a function DynamoDB does not take there: only if_not_exists
// may stand inside another (list_append(if_not_exists(l, :empty), :v),
// if_not_exists(n, :zero) + :v); list_append inside anything is "not
// allowed to be used this way" (ScyllaDB's Alternator tests record it
// against AWS, and DynamoDB Local's update validator nests if_not_exists
// alone).
func nestable(p *parser, operands ...*operand) error {
	for _, o := range operands {
		if o.kind == opListAppend {
			return misused(p, "list_append")
		}
	}
	return nil
}

// arguments reads a function's arguments, each by read, and the
// parenthesis closing them.
func (p *parser) arguments(read func() (*operand, error)) ([]*operand, error) {
	var args []*operand
	for {
		a, err := read()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if !p.punct(",") {
			return args, p.expect(")")
		}
	}
}

// checkValueTypes refuses, as DynamoDB does before it reads the item, a
// value among operands that op cannot take: + and - take numbers,
// list_append lists. An attribute of the wrong type is found only when
// the update runs, and refused in other words.
func (p *parser) checkValueTypes(op, want string, operands ...*operand) error {
	for _, o := range operands {
		if o.kind == opValue && o.value.Type() != want {
			return p.fail("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", op, o.value.Type())
		}
	}
	return nil
}

// checkOverlaps refuses an update or a projection whose paths overlap
// (one is the other, or holds it) or conflict (one steps into a map where
// the other steps into a list). An overlap is reported before a conflict,
// as DynamoDB reports them.
func checkOverlaps(all []path, p *parser) error {
	var conflict error
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			a, b := all[i], all[j]
			same := true
			for k := range min(len(a), len(b)) {
				if (a[k].name == "") != (b[k].name == "") {
					if conflict == nil {
						conflict = p.fail("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [%s], path two: [%s]", pathList(a), pathList(b))
					}
					same = false
					break
				}
				if a[k] != b[k] {
					same = false
					break
				}
			}
			if same {
				return p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [%s], path two: [%s]", pathList(a), pathList(b))
			}
		}
	}
	return conflict
}

func pathList(p path) string {
	var parts []string
	for _, e := range p {
		if e.name == "" {
			parts = append(parts, fmt.Sprintf("[%d]", e.index))
		} else {
			parts = append(parts, e.name)
		}
	}
	return strings.Join(parts, ", ")
}

// isPlaceholder reports whether k is sigil (# for a name, : for a value)
// and a name's characters.
func isPlaceholder(k string, sigil byte) bool {
	return len(k) >= 2 && k[0] == sigil && strings.IndexFunc(k[1:], func(r rune) bool { return r >= 0x80 || !isIdentChar(byte(r)) }) < 0
}

// appendSorted appends m's keys to dst in order: a request with more than
// one fault among its names or values is told of the same one each time.
func appendSorted[V any](dst []string, m map[string]V) []string {
	for k := range m {
		dst = append(dst, k)
	}
	slices.Sort(dst)
	return dst
}

// maxKeyLength is the longest key ExpressionAttributeNames or Values may
// have, in UTF-16 code units as DynamoDB counts it.
const maxKeyLength = 255

// checkKey refuses a key of ExpressionAttributeNames or Values (what) as
// DynamoDB does, in its order: an empty key, a key too long, then one
// that is not the sigil and a name's characters. The length is named
// for a name's key but not for a value's, as DynamoDB words it.
func checkKey(what, k string, sigil byte) error {
	const invalid = "%s contains invalid key: "
	switch n := utf16Len(k); {
	case n == 0:
		return validationf(invalid+"The expression attribute map contains an empty key;", what)
	case n > maxKeyLength && sigil == '#':
		return validationf(invalid+"The expression attribute map contains a key that is too long; size of key: %d", what, n)
	case n > maxKeyLength:
		return validationf(invalid+"The expression attribute map contains a key that is too long;", what)
	case !isPlaceholder(k, sigil):
		return validationf(invalid+"Syntax error; key: %q", what, k)
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units, as Java counts a
// string's length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// nonEmpty is m, or nil when it holds nothing: a request's name and value
// maps, given, may not be empty, so the requests Lakebox builds itself
// (from the old parameters, from PartiQL) leave an empty one out.
func nonEmpty[M ~map[K]V, K comparable, V any](m M) M {
	if len(m) == 0 {
		return nil
	}
	return m
}

// checkNames validates ExpressionAttributeNames' keys: given, the map
// may not be empty, and each key is # and a name's characters.
func checkNames(names map[string]string) error {
	if names != nil && len(names) == 0 {
		return validationf("ExpressionAttributeNames must not be empty")
	}
	var buf [8]string
	keys := appendSorted(buf[:0], names)
	for _, k := range keys {
		if err := checkKey("ExpressionAttributeNames", k, '#'); err != nil {
			return err
		}
	}
	for _, k := range keys {
		if names[k] == "" {
			return validationf("ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", k)
		}
	}
	return nil
}

// checkValues validates ExpressionAttributeValues, canonicalizing their
// numbers.
func checkValues(values map[string]AttributeValue) error {
	if values != nil && len(values) == 0 {
		return validationf("ExpressionAttributeValues must not be empty")
	}
	var buf [8]string
	keys := appendSorted(buf[:0], values)
	for _, k := range keys { // the keys first, as DynamoDB checks them
		if err := checkKey("ExpressionAttributeValues", k, ':'); err != nil {
			return err
		}
	}
	for _, k := range keys {
		v := values[k]
		changed, err := v.check(k, 0)
		if err != nil {
			msg := err.Error()
			if e, ok := awserr.As(err); ok {
				msg = e.Message
			}
			return validationf("ExpressionAttributeValues contains invalid value: %s for key %s", msg, k)
		}
		if changed {
			values[k] = v
		}
	}
	return nil
}
