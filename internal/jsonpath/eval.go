package jsonpath

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// ErrStructural is wrapped by the errors strict mode raises where lax mode
// yields nothing: a missing member, an index out of bounds, an accessor on
// the wrong type.
var ErrStructural = errors.New("jsonpath: structural error")

// Eval applies the path to a document; vars are the values of $name
// variables. It returns the sequence of items the path yields.
func (p *Path) Eval(doc any, vars map[string]any) ([]any, error) {
	e := &evaluator{strict: p.strict, root: doc, vars: vars}
	return e.eval(p.root, nil, noLast)
}

// noLast is the last index outside array subscripts.
const noLast = math.MinInt

type evaluator struct {
	strict  bool
	root    any
	vars    map[string]any
	objects int // keyvalue()'s ids so far
}

// jsonNumber is JSON's number syntax, which double() takes from strings.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

func (e *evaluator) structural(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrStructural, fmt.Sprintf(format, args...))
}

// maxItems bounds every sequence a path makes: lax mode reads a scalar as
// a one-element array, so '$[0,0][0,0]...' doubles a sequence at every
// step, and a short path could otherwise take all memory.
const maxItems = 1 << 20

// eval evaluates n with @ bound to current (nil outside filters) and last
// to the last index of the array being subscripted (noLast outside).
func (e *evaluator) eval(n node, current any, last int) ([]any, error) {
	out, err := e.evalNode(n, current, last)
	if err == nil && len(out) > maxItems {
		return nil, fmt.Errorf("jsonpath: the path makes more than %d items", maxItems)
	}
	return out, err
}

func (e *evaluator) evalNode(n node, current any, last int) ([]any, error) {
	switch n := n.(type) {
	case contextItem:
		return []any{e.root}, nil
	case currentItem:
		if current == nil {
			return nil, errors.New("jsonpath: @ outside a filter")
		}
		return []any{current}, nil
	case variable:
		v, ok := e.vars[n.name]
		if !ok { // SQL names are case-insensitive unless quoted
			for k, val := range e.vars {
				if strings.EqualFold(k, n.name) {
					v, ok = val, true
					break
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("jsonpath: no value passed for $%s", n.name)
		}
		return []any{v}, nil
	case literal:
		return []any{n.v}, nil
	case lastIndex:
		if last == noLast {
			return nil, errors.New("jsonpath: last outside an array subscript")
		}
		return []any{json.Number(fmt.Sprint(last))}, nil
	case member:
		base, err := e.eval(n.base, current, last)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, item := range e.unwrap(base) {
			o, ok := item.(*Object)
			if !ok {
				if e.strict {
					return nil, e.structural("member %q of a %s", n.key, typeName(item))
				}
				continue
			}
			v, found := o.Get(n.key)
			if !found {
				if e.strict {
					return nil, e.structural("no member %q", n.key)
				}
				continue
			}
			out = append(out, v)
		}
		return out, nil
	case wildcardMember:
		base, err := e.eval(n.base, current, last)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, item := range e.unwrap(base) {
			o, ok := item.(*Object)
			if !ok {
				if e.strict {
					return nil, e.structural("members of a %s", typeName(item))
				}
				continue
			}
			out = append(out, o.Values...)
		}
		return out, nil
	case elements:
		base, err := e.eval(n.base, current, last)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, item := range base {
			arr, ok := item.([]any)
			if !ok {
				if e.strict {
					return nil, e.structural("subscript of a %s", typeName(item))
				}
				arr = []any{item} // lax: a non-array reads as a one-element array
			}
			if n.subs == nil {
				out = append(out, arr...)
				continue
			}
			for _, s := range n.subs {
				from, err := e.index(s.from, current, len(arr)-1)
				if err != nil {
					return nil, err
				}
				to := from
				if s.to != nil {
					if to, err = e.index(s.to, current, len(arr)-1); err != nil {
						return nil, err
					}
				}
				if e.strict && (from < 0 || to >= len(arr) || from > to) {
					return nil, e.structural("subscript [%d to %d] of an array of %d", from, to, len(arr))
				}
				for i := max(from, 0); i <= to && i < len(arr); i++ {
					out = append(out, arr[i])
				}
				if len(out) > maxItems {
					return nil, fmt.Errorf("jsonpath: the path makes more than %d items", maxItems)
				}
			}
		}
		return out, nil
	case filter:
		base, err := e.eval(n.base, current, last)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, item := range e.unwrap(base) {
			if e.test(n.pred, item, last) == truth {
				out = append(out, item)
			}
		}
		return out, nil
	case method:
		base, err := e.eval(n.base, current, last)
		if err != nil {
			return nil, err
		}
		return e.method(n.name, base)
	case unary:
		vals, err := e.eval(n.expr, current, last)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, v := range e.unwrap(vals) {
			num, ok := v.(json.Number)
			if !ok {
				return nil, fmt.Errorf("jsonpath: %c of a %s", n.op, typeName(v))
			}
			if n.op == '-' { // negated as text: exact for any number
				if s, neg := strings.CutPrefix(string(num), "-"); neg {
					num = json.Number(s)
				} else {
					num = "-" + num
				}
			}
			out = append(out, num)
		}
		return out, nil
	case binary:
		l, err := e.singleNumber(n.left, current, last)
		if err != nil {
			return nil, err
		}
		r, err := e.singleNumber(n.right, current, last)
		if err != nil {
			return nil, err
		}
		if v, ok, err := integerArithmetic(n.op, l, r); ok || err != nil {
			return []any{v}, err
		}
		lf, _ := l.Float64()
		rf, _ := r.Float64()
		var v float64
		switch n.op {
		case '+':
			v = lf + rf
		case '-':
			v = lf - rf
		case '*':
			v = lf * rf
		case '/':
			if rf == 0 {
				return nil, errors.New("jsonpath: division by zero")
			}
			v = lf / rf
		case '%':
			if rf == 0 {
				return nil, errors.New("jsonpath: division by zero")
			}
			v = math.Mod(lf, rf)
		}
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, errors.New("jsonpath: arithmetic overflow")
		}
		return []any{numberOf(v)}, nil
	}
	return nil, fmt.Errorf("jsonpath: cannot evaluate %T", n)
}

// unwrap replaces arrays in a sequence by their elements, in lax mode.
func (e *evaluator) unwrap(items []any) []any {
	if e.strict {
		return items
	}
	var out []any
	for _, it := range items {
		if a, ok := it.([]any); ok {
			out = append(out, a...)
		} else {
			out = append(out, it)
		}
	}
	return out
}

func (e *evaluator) index(n node, current any, last int) (int, error) {
	vals, err := e.eval(n, current, last)
	if err != nil {
		return 0, err
	}
	if len(vals) != 1 {
		return 0, errors.New("jsonpath: a subscript is not a single number")
	}
	i, ok := parseIndex(vals[0])
	if !ok {
		return 0, errors.New("jsonpath: a subscript is not an integer")
	}
	return i, nil
}

func (e *evaluator) singleNumber(n node, current any, last int) (json.Number, error) {
	vals, err := e.eval(n, current, last)
	if err != nil {
		return "", err
	}
	vals = e.unwrap(vals)
	if len(vals) != 1 {
		return "", errors.New("jsonpath: an arithmetic operand is not a single item")
	}
	num, ok := vals[0].(json.Number)
	if !ok {
		return "", fmt.Errorf("jsonpath: arithmetic on a %s", typeName(vals[0]))
	}
	return num, nil
}

// integerArithmetic computes l op r exactly when both are integers, as
// Trino does (division truncates); ok is false otherwise.
func integerArithmetic(op byte, l, r json.Number) (v json.Number, ok bool, err error) {
	a, okA := new(big.Int).SetString(string(l), 10)
	b, okB := new(big.Int).SetString(string(r), 10)
	if !okA || !okB {
		return "", false, nil
	}
	switch op {
	case '+':
		a.Add(a, b)
	case '-':
		a.Sub(a, b)
	case '*':
		a.Mul(a, b)
	case '/', '%':
		if b.Sign() == 0 {
			return "", true, errors.New("jsonpath: division by zero")
		}
		if op == '/' {
			a.Quo(a, b)
		} else {
			a.Rem(a, b)
		}
	}
	return json.Number(a.String()), true, nil
}

// exact returns a JSON number as an exact rational.
func exact(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(string(n))
}

func (e *evaluator) method(name string, base []any) ([]any, error) {
	var out []any
	if name != "size" && name != "type" {
		base = e.unwrap(base)
	}
	for _, v := range base {
		switch name {
		case "type":
			out = append(out, typeName(v))
		case "size":
			switch a := v.(type) {
			case []any:
				out = append(out, json.Number(fmt.Sprint(len(a))))
			default:
				if e.strict {
					return nil, e.structural("size() of a %s", typeName(v))
				}
				out = append(out, json.Number("1"))
			}
		case "abs", "ceiling", "floor":
			f, ok := number(v)
			if !ok {
				return nil, fmt.Errorf("jsonpath: %s() of a %s", name, typeName(v))
			}
			switch name {
			case "abs":
				f = math.Abs(f)
			case "ceiling":
				f = math.Ceil(f)
			case "floor":
				f = math.Floor(f)
			}
			out = append(out, numberOf(f))
		case "double":
			text, ok := numberText(v)
			f, err := strconv.ParseFloat(text, 64)
			if !ok || !jsonNumber.MatchString(text) || err != nil || math.IsInf(f, 0) {
				return nil, fmt.Errorf("jsonpath: double() of %s", Encode(v))
			}
			out = append(out, json.Number(strconv.FormatFloat(f, 'g', -1, 64)))
		case "keyvalue":
			o, ok := v.(*Object)
			if !ok {
				return nil, fmt.Errorf("jsonpath: keyvalue() of a %s", typeName(v))
			}
			id := json.Number(strconv.Itoa(e.objects)) // each object's members share an id of their own
			e.objects++
			for i, k := range o.Keys {
				out = append(out, &Object{Keys: []string{"name", "value", "id"}, Values: []any{k, o.Values[i], id}})
			}
		}
	}
	return out, nil
}

// truth values of predicates.
type tri int

const (
	falsity tri = iota
	truth
	unknown
)

func (e *evaluator) test(p pred, current any, last int) tri {
	switch p := p.(type) {
	case andPred:
		l := e.test(p.left, current, last)
		if l == falsity {
			return falsity
		}
		r := e.test(p.right, current, last)
		switch {
		case r == falsity:
			return falsity
		case l == truth && r == truth:
			return truth
		}
		return unknown
	case orPred:
		l := e.test(p.left, current, last)
		if l == truth {
			return truth
		}
		r := e.test(p.right, current, last)
		switch {
		case r == truth:
			return truth
		case l == falsity && r == falsity:
			return falsity
		}
		return unknown
	case notPred:
		switch e.test(p.p, current, last) {
		case truth:
			return falsity
		case falsity:
			return truth
		}
		return unknown
	case isUnknown:
		if e.test(p.p, current, last) == unknown {
			return truth
		}
		return falsity
	case existsPred:
		vals, err := e.eval(p.expr, current, last)
		switch {
		case err != nil:
			return unknown
		case len(vals) > 0:
			return truth
		}
		return falsity
	case comparePred:
		l, err := e.eval(p.left, current, last)
		if err != nil {
			return unknown
		}
		r, err := e.eval(p.right, current, last)
		if err != nil {
			return unknown
		}
		l, r = e.unwrap(l), e.unwrap(r)
		if len(l)*len(r) > maxItems {
			return unknown
		}
		found, failed := false, false
		for _, a := range l {
			for _, b := range r {
				switch compare(p.op, a, b) {
				case truth:
					found = true
				case unknown:
					failed = true
				}
			}
		}
		switch {
		case failed && (e.strict || !found):
			return unknown
		case found:
			return truth
		}
		return falsity
	case startsWith:
		l, err := e.eval(p.expr, current, last)
		if err != nil {
			return unknown
		}
		pre, err := e.eval(p.prefix, current, last)
		if err != nil || len(pre) != 1 {
			return unknown
		}
		prefix, ok := pre[0].(string)
		if !ok {
			return unknown
		}
		return e.anyString(l, func(s string) bool { return strings.HasPrefix(s, prefix) })
	case likeRegex:
		l, err := e.eval(p.expr, current, last)
		if err != nil {
			return unknown
		}
		return e.anyString(l, p.re.MatchString)
	}
	return unknown
}

func (e *evaluator) anyString(items []any, ok func(string) bool) tri {
	found, failed := false, false
	for _, it := range e.unwrap(items) {
		s, isString := it.(string)
		switch {
		case !isString:
			failed = true
		case ok(s):
			found = true
		}
	}
	switch {
	case failed && (e.strict || !found):
		return unknown
	case found:
		return truth
	}
	return falsity
}

// compare compares two items as SQL/JSON does: numbers with numbers,
// strings with strings, booleans with booleans; null equals only null;
// anything else (arrays, objects, mixed types) is unknown.
func compare(op string, a, b any) tri {
	_, aNull := a.(Null)
	_, bNull := b.(Null)
	var c int
	switch {
	case aNull || bNull:
		// null equals only null, whatever the other side is.
		eq := aNull && bNull
		switch op {
		case "==":
			return boolTri(eq)
		case "!=", "<>":
			return boolTri(!eq)
		}
		return falsity
	default:
		if ra, ok := exact(a); ok {
			rb, ok := exact(b)
			if !ok {
				return unknown
			}
			c = ra.Cmp(rb)
			break
		}
		if sa, ok := a.(string); ok {
			sb, ok := b.(string)
			if !ok {
				return unknown
			}
			c = strings.Compare(sa, sb)
			break
		}
		if ba, ok := a.(bool); ok {
			bb, ok := b.(bool)
			if !ok {
				return unknown
			}
			switch {
			case ba == bb:
				c = 0
			case !ba:
				c = -1
			default:
				c = 1
			}
			break
		}
		return unknown
	}
	switch op {
	case "==":
		return boolTri(c == 0)
	case "!=", "<>":
		return boolTri(c != 0)
	case "<":
		return boolTri(c < 0)
	case "<=":
		return boolTri(c <= 0)
	case ">":
		return boolTri(c > 0)
	case ">=":
		return boolTri(c >= 0)
	}
	return unknown
}

func boolTri(b bool) tri {
	if b {
		return truth
	}
	return falsity
}
