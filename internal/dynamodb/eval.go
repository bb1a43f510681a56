package dynamodb

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// resolve finds the value at a path in an item (nil when absent).
func resolve(item Item, p path) *AttributeValue {
	v, ok := item[p[0].name]
	if !ok {
		return nil
	}
	cur := &v
	for _, e := range p[1:] {
		switch {
		case e.name != "" && cur.M != nil:
			x, ok := cur.M[e.name]
			if !ok {
				return nil
			}
			cur = &x
		case e.name == "" && cur.L != nil:
			if e.index >= len(cur.L) {
				return nil
			}
			cur = &cur.L[e.index]
		default:
			return nil
		}
	}
	return cur
}

// operandValue evaluates an operand of a condition (nil: absent).
func operandValue(item Item, o *operand) (*AttributeValue, error) {
	switch o.kind {
	case opValue:
		return o.value, nil
	case opPath:
		return resolve(item, o.path), nil
	case opSize:
		v, err := operandValue(item, o.args[0])
		if err != nil {
			return nil, err
		}
		n := sizeOf(v)
		if n < 0 { // absent, or a number, boolean or null: comparisons with it are false
			return nil, nil
		}
		s := strconv.Itoa(n)
		return &AttributeValue{N: &s}, nil
	}
	return nil, validationf("Invalid ConditionExpression: unexpected operand")
}

// sizeOf is what size() gives for v: a string's characters, a binary's
// bytes, a list's, map's or set's members; -1 for what has no size (a
// number, a boolean, null, or nothing).
func sizeOf(v *AttributeValue) int {
	if v == nil {
		return -1
	}
	switch v.Type() {
	case typeS:
		return utf8.RuneCountInString(*v.S)
	case typeB:
		return len(v.B)
	case typeL:
		return len(v.L)
	case typeM:
		return len(v.M)
	case typeSS:
		return len(v.SS)
	case typeNS:
		return len(v.NS)
	case typeBS:
		return len(v.BS)
	}
	return -1
}

// evaluate decides a condition on an item (which may be nil: no item).
func evaluate(c *condition, item Item) (bool, error) {
	switch c.kind {
	case condAnd, condOr:
		a, err := evaluate(c.subs[0], item)
		if err != nil {
			return false, err
		}
		if c.kind == condAnd && !a || c.kind == condOr && a {
			return a, nil
		}
		return evaluate(c.subs[1], item)
	case condNot:
		a, err := evaluate(c.subs[0], item)
		return !a, err
	}
	vals := make([]*AttributeValue, len(c.operands))
	for i, o := range c.operands {
		v, err := operandValue(item, o)
		if err != nil {
			return false, err
		}
		vals[i] = v
	}
	switch c.kind {
	case condCompare:
		a, b := vals[0], vals[1]
		if a == nil || b == nil {
			return c.op == "<>" && (a != nil || b != nil), nil
		}
		switch c.op {
		case "=":
			return equal(a, b), nil
		case "<>":
			return !equal(a, b), nil
		}
		n, ok := compare(a, b)
		if !ok {
			return false, nil
		}
		switch c.op {
		case "<":
			return n < 0, nil
		case "<=":
			return n <= 0, nil
		case ">":
			return n > 0, nil
		}
		return n >= 0, nil
	case condBetween:
		if vals[0] == nil || vals[1] == nil || vals[2] == nil {
			return false, nil
		}
		// Bounds read from the item the wrong way round make an empty
		// range, no error: DynamoDB refuses reversed bounds only when both
		// are values, before reading (checkOperands).
		lo, ok1 := compare(vals[0], vals[1])
		hi, ok2 := compare(vals[0], vals[2])
		return ok1 && ok2 && lo >= 0 && hi <= 0, nil
	case condIn:
		if vals[0] == nil {
			return false, nil
		}
		for _, v := range vals[1:] {
			if v != nil && equal(vals[0], v) {
				return true, nil
			}
		}
		return false, nil
	case condFunc:
		v := vals[0]
		switch c.op {
		case "attribute_exists":
			return v != nil, nil
		case "attribute_not_exists":
			return v == nil, nil
		case "attribute_type": // the parser let only a value naming a type be vals[1]
			return v != nil && v.Type() == *vals[1].S, nil
		case "begins_with":
			prefix := vals[1]
			if v == nil || prefix == nil {
				return false, nil
			}
			switch {
			case v.S != nil && prefix.S != nil:
				return strings.HasPrefix(*v.S, *prefix.S), nil
			case v.B != nil && prefix.B != nil:
				return bytes.HasPrefix(v.B, prefix.B), nil
			}
			return false, nil
		case "contains":
			x := vals[1]
			if v == nil || x == nil {
				return false, nil
			}
			switch {
			case v.S != nil && x.S != nil:
				return strings.Contains(*v.S, *x.S), nil
			case v.B != nil && x.B != nil:
				return bytes.Contains(v.B, x.B), nil
			case v.SS != nil && x.S != nil:
				return slices.Contains(v.SS, *x.S), nil
			case v.NS != nil && x.N != nil:
				return slices.ContainsFunc(v.NS, func(n string) bool { return compareNumbers(n, *x.N) == 0 }), nil
			case v.BS != nil && x.B != nil:
				return slices.ContainsFunc(v.BS, func(b []byte) bool { return bytes.Equal(b, x.B) }), nil
			case v.L != nil:
				return slices.ContainsFunc(v.L, func(e AttributeValue) bool { return equal(&e, x) }), nil
			}
			return false, nil
		}
	}
	return false, nil
}

// errBadUpdatePath is DynamoDB's answer to setting a path whose parent
// does not exist.
func errBadUpdatePath() error {
	return validationf("The document path provided in the update expression is invalid for update")
}

// setValueOf computes the value a SET action assigns.
func setValueOf(item Item, o *operand) (*AttributeValue, error) {
	switch o.kind {
	case opValue:
		v := o.value.clone()
		return &v, nil
	case opPath:
		v := resolve(item, o.path)
		if v == nil {
			return nil, validationf("The provided expression refers to an attribute that does not exist in the item")
		}
		c := v.clone()
		return &c, nil
	case opIfNotExists:
		if v := resolve(item, o.args[0].path); v != nil {
			c := v.clone()
			return &c, nil
		}
		return setValueOf(item, o.args[1])
	case opListAppend:
		a, b, err := setValueOfBoth(item, o)
		if err != nil {
			return nil, err
		}
		if a.L == nil || b.L == nil { // values were checked as the expression was parsed: an attribute's
			return nil, validationf("An operand in the update expression has an incorrect data type")
		}
		return &AttributeValue{L: append(slices.Clone(a.L), b.L...)}, nil
	case opPlus, opMinus:
		a, b, err := setValueOfBoth(item, o)
		if err != nil {
			return nil, err
		}
		if a.N == nil || b.N == nil {
			return nil, validationf("An operand in the update expression has an incorrect data type")
		}
		n, err := addNumbers(*a.N, *b.N, o.kind == opMinus)
		if err != nil {
			return nil, err
		}
		return &AttributeValue{N: &n}, nil
	}
	return nil, validationf("Invalid UpdateExpression: unexpected operand")
}

// setValueOfBoth computes the two operands of a binary operand.
func setValueOfBoth(item Item, o *operand) (*AttributeValue, *AttributeValue, error) {
	a, err := setValueOf(item, o.args[0])
	if err != nil {
		return nil, nil, err
	}
	b, err := setValueOf(item, o.args[1])
	return a, b, err
}

// setAt assigns v at p; the path's parent must exist.
func setAt(item Item, p path, v AttributeValue) error {
	if len(p) == 1 {
		item[p[0].name] = v
		return nil
	}
	root, ok := item[p[0].name]
	if !ok {
		return errBadUpdatePath()
	}
	if err := setIn(&root, p[1:], v); err != nil {
		return err
	}
	item[p[0].name] = root
	return nil
}

func setIn(cur *AttributeValue, p path, v AttributeValue) error {
	e := p[0]
	if len(p) == 1 {
		switch {
		case e.name != "" && cur.M != nil:
			cur.M[e.name] = v
		case e.name == "" && cur.L != nil:
			if e.index >= len(cur.L) {
				cur.L = append(cur.L, v)
			} else {
				cur.L[e.index] = v
			}
		default:
			return errBadUpdatePath()
		}
		return nil
	}
	switch {
	case e.name != "" && cur.M != nil:
		child, ok := cur.M[e.name]
		if !ok {
			return errBadUpdatePath()
		}
		if err := setIn(&child, p[1:], v); err != nil {
			return err
		}
		cur.M[e.name] = child
	case e.name == "" && cur.L != nil && e.index < len(cur.L):
		return setIn(&cur.L[e.index], p[1:], v)
	default:
		return errBadUpdatePath()
	}
	return nil
}

// removeAt removes the value at a path. One that is not there is a no-op,
// as on DynamoDB, but its parent must be: a map for a name, a list for an
// index.
func removeAt(item Item, p path) error {
	if len(p) == 1 {
		delete(item, p[0].name)
		return nil
	}
	root, ok := item[p[0].name]
	if !ok {
		return errBadUpdatePath()
	}
	if err := removeIn(&root, p[1:]); err != nil {
		return err
	}
	item[p[0].name] = root
	return nil
}

func removeIn(cur *AttributeValue, p path) error {
	e := p[0]
	if len(p) == 1 {
		switch {
		case e.name != "" && cur.M != nil:
			delete(cur.M, e.name)
		case e.name == "" && cur.L != nil:
			if e.index < len(cur.L) {
				cur.L = slices.Delete(cur.L, e.index, e.index+1)
			}
		default:
			return errBadUpdatePath()
		}
		return nil
	}
	switch {
	case e.name != "" && cur.M != nil:
		child, ok := cur.M[e.name]
		if !ok {
			return errBadUpdatePath()
		}
		if err := removeIn(&child, p[1:]); err != nil {
			return err
		}
		cur.M[e.name] = child
	case e.name == "" && cur.L != nil && e.index < len(cur.L):
		return removeIn(&cur.L[e.index], p[1:])
	default:
		return errBadUpdatePath()
	}
	return nil
}

// inListOrder orders paths for applying, element by element: names by
// their text, list indexes by number, ascending or, when desc, descending.
// SET then appends past a list's end in index order, as DynamoDB does, and
// REMOVE takes every element after those before it (deeper ones first), so
// each index names the element it named in the list as it was: removing
// l[2][1] shifts nothing l[0] needs, and the reverse would.
func inListOrder(paths []path, desc bool) []int {
	order := make([]int, len(paths))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := paths[a], paths[b]
		for i := range min(len(pa), len(pb)) {
			x, y := pa[i], pb[i]
			switch {
			case x.name != "" && y.name != "":
				if c := strings.Compare(x.name, y.name); c != 0 {
					return c
				}
			case x.name == "" && y.name == "":
				if x.index != y.index {
					if desc {
						return y.index - x.index
					}
					return x.index - y.index
				}
			case x.name != "": // a name and an index: both cannot be valid; any order
				return -1
			default:
				return 1
			}
		}
		return len(pa) - len(pb) // one inside the other: refused before (checkOverlaps)
	})
	return order
}

// apply carries out an update expression on a copy of item.
func apply(u *update, item Item) (Item, error) {
	out := cloneItem(item)
	// Every value is computed from the item as it was, then assigned.
	type assign struct {
		path path
		v    AttributeValue
	}
	var sets []assign
	var setPaths []path
	for _, a := range u.set {
		v, err := setValueOf(item, a.value)
		if err != nil {
			return nil, err
		}
		sets = append(sets, assign{a.path, *v})
		setPaths = append(setPaths, a.path)
	}
	for _, i := range inListOrder(setPaths, false) {
		if err := setAt(out, sets[i].path, sets[i].v); err != nil {
			return nil, err
		}
	}
	for _, i := range inListOrder(u.remove, true) {
		if err := removeAt(out, u.remove[i]); err != nil {
			return nil, err
		}
	}
	for _, a := range u.add {
		cur := resolve(out, a.path)
		v := a.value.value
		switch {
		case v.N != nil:
			n := *v.N
			if cur != nil {
				if cur.N == nil {
					return nil, validationf("An operand in the update expression has an incorrect data type")
				}
				var err error
				if n, err = addNumbers(*cur.N, *v.N, false); err != nil {
					return nil, err
				}
			}
			if err := setAt(out, a.path, AttributeValue{N: &n}); err != nil {
				return nil, err
			}
		case v.isSet():
			merged := v.clone()
			if cur != nil {
				if cur.Type() != v.Type() {
					return nil, validationf("An operand in the update expression has an incorrect data type")
				}
				merged = union(cur, v)
			}
			if err := setAt(out, a.path, merged); err != nil {
				return nil, err
			}
		default:
			return nil, validationf("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: %s", typeName(v.Type()))
		}
	}
	for _, a := range u.delete {
		cur := resolve(out, a.path)
		v := a.value.value
		if !v.isSet() {
			return nil, validationf("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: %s", typeName(v.Type()))
		}
		if cur == nil { // nothing to take from; but its parent must be there, as for REMOVE
			if err := removeAt(out, a.path); err != nil {
				return nil, err
			}
			continue
		}
		if cur.Type() != v.Type() {
			return nil, validationf("An operand in the update expression has an incorrect data type")
		}
		rest := difference(cur, v)
		if rest == nil {
			if err := removeAt(out, a.path); err != nil {
				return nil, err
			}
		} else if err := setAt(out, a.path, *rest); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// typeName is how DynamoDB names a type in messages.
func typeName(t string) string {
	switch t {
	case typeS:
		return "STRING"
	case typeN:
		return "NUMBER"
	case typeB:
		return "BINARY"
	case typeBOOL:
		return "BOOLEAN"
	case typeNULL:
		return "NULL"
	case typeL:
		return "LIST"
	case typeM:
		return "MAP"
	}
	return t
}

func union(a, b *AttributeValue) AttributeValue {
	out := a.clone()
	switch {
	case a.SS != nil:
		for _, s := range b.SS {
			if !slices.Contains(out.SS, s) {
				out.SS = append(out.SS, s)
			}
		}
	case a.NS != nil:
		for _, s := range b.NS {
			if !slices.ContainsFunc(out.NS, func(x string) bool { return compareNumbers(x, s) == 0 }) {
				out.NS = append(out.NS, s)
			}
		}
	case a.BS != nil:
		for _, s := range b.BS {
			if !slices.ContainsFunc(out.BS, func(x []byte) bool { return bytes.Equal(x, s) }) {
				out.BS = append(out.BS, s)
			}
		}
	}
	return out
}

// difference is a minus b, or nil when nothing is left.
func difference(a, b *AttributeValue) *AttributeValue {
	out := a.clone()
	switch {
	case a.SS != nil:
		out.SS = slices.DeleteFunc(out.SS, func(s string) bool { return slices.Contains(b.SS, s) })
		if len(out.SS) == 0 {
			return nil
		}
	case a.NS != nil:
		out.NS = slices.DeleteFunc(out.NS, func(s string) bool {
			return slices.ContainsFunc(b.NS, func(x string) bool { return compareNumbers(x, s) == 0 })
		})
		if len(out.NS) == 0 {
			return nil
		}
	case a.BS != nil:
		out.BS = slices.DeleteFunc(out.BS, func(s []byte) bool {
			return slices.ContainsFunc(b.BS, func(x []byte) bool { return bytes.Equal(x, s) })
		})
		if len(out.BS) == 0 {
			return nil
		}
	}
	return &out
}

// project keeps the paths of an item a projection names. As in
// DynamoDB, the elements kept of a list are packed in index order, and
// paths through one element (l[0].a, l[0].b) meet in it.
func project(item Item, paths []path) Item {
	out := Item{}
	for _, p := range paths {
		if resolve(item, p) == nil {
			continue
		}
		var prev *AttributeValue
		if x, ok := out[p[0].name]; ok {
			prev = &x
		}
		out[p[0].name] = projectPath(prev, item[p[0].name], p[1:])
	}
	for k, v := range out {
		out[k] = packLists(v)
	}
	return out
}

// projectPath is src projected on the path p (which exists in it), merged
// into prev, what earlier paths projected of the same value. A projected
// list keeps its elements at their indexes, with untyped holes between
// them, until packLists.
func projectPath(prev *AttributeValue, src AttributeValue, p path) AttributeValue {
	if len(p) == 0 {
		return src.clone()
	}
	e := p[0]
	if e.name != "" {
		out := AttributeValue{M: map[string]AttributeValue{}}
		if prev != nil && prev.M != nil {
			out = *prev
		}
		var pc *AttributeValue
		if x, ok := out.M[e.name]; ok {
			pc = &x
		}
		out.M[e.name] = projectPath(pc, src.M[e.name], p[1:])
		return out
	}
	out := AttributeValue{L: make([]AttributeValue, len(src.L))}
	if prev != nil && prev.L != nil {
		out = *prev
	}
	var pc *AttributeValue
	if x := out.L[e.index]; x.Type() != "" {
		pc = &x
	}
	out.L[e.index] = projectPath(pc, src.L[e.index], p[1:])
	return out
}

// packLists drops the holes projectPath left in the lists of v.
func packLists(v AttributeValue) AttributeValue {
	switch {
	case v.L != nil:
		packed := v.L[:0]
		for _, x := range v.L {
			if x.Type() != "" {
				packed = append(packed, packLists(x))
			}
		}
		v.L = packed
	case v.M != nil:
		for k, x := range v.M {
			v.M[k] = packLists(x)
		}
	}
	return v
}
