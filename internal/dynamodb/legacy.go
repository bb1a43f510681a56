package dynamodb

import (
	"fmt"
	"slices"
	"strings"
)

// The legacy (pre-expression) parameters — AttributesToGet, KeyConditions,
// QueryFilter, ScanFilter, Expected with ConditionalOperator, and
// AttributeUpdates — are translated into expressions with generated
// placeholders, then served by the one expression path.

// Condition is a legacy condition on one attribute (KeyConditions,
// QueryFilter, ScanFilter).
type Condition struct {
	ComparisonOperator string           `json:"ComparisonOperator"`
	AttributeValueList []AttributeValue `json:"AttributeValueList,omitempty"`
}

// ExpectedAttributeValue is a legacy condition of a write (Expected).
type ExpectedAttributeValue struct {
	Value              *AttributeValue  `json:"Value,omitempty"`
	Exists             *bool            `json:"Exists,omitempty"`
	ComparisonOperator string           `json:"ComparisonOperator,omitempty"`
	AttributeValueList []AttributeValue `json:"AttributeValueList,omitempty"`
}

// AttributeValueUpdate is a legacy update of one attribute.
type AttributeValueUpdate struct {
	Value  *AttributeValue `json:"Value,omitempty"`
	Action string          `json:"Action,omitempty"`
}

// legacy builds an expression's text and its placeholders.
type legacy struct {
	prefix string // keeps one translation's placeholders apart from another's
	member string // the request's member translated, as a model error's path names it: "keyConditions"
	names  map[string]string
	values map[string]AttributeValue
	n      int
}

func newLegacy(prefix string, names map[string]string, values map[string]AttributeValue) *legacy {
	return &legacy{prefix: prefix, names: names, values: values}
}

// name and value add a placeholder for attr or v to the request's maps,
// past those the request gives itself: KeyConditions may come with a
// FilterExpression or ProjectionExpression that has its own.
func (l *legacy) name(attr string) string {
	k := l.fresh("#", func(k string) bool { _, taken := l.names[k]; return taken })
	l.names[k] = attr
	return k
}

func (l *legacy) value(v AttributeValue) string {
	k := l.fresh(":", func(k string) bool { _, taken := l.values[k]; return taken })
	l.values[k] = v
	return k
}

// fresh returns the next placeholder with sigil that is not taken.
func (l *legacy) fresh(sigil string, taken func(string) bool) string {
	for {
		l.n++
		if k := fmt.Sprintf("%s%s%d", sigil, l.prefix, l.n); !taken(k) {
			return k
		}
	}
}

// checkAttributesToGet refuses an empty AttributesToGet, which would
// otherwise read as no projection: every attribute.
func checkAttributesToGet(field string, names []string) error {
	if names != nil && len(names) == 0 {
		return modelValidation("[]", field, "have length greater than or equal to 1")
	}
	for i, n := range names {
		if slices.Contains(names[:i], n) {
			return invalidParam("Duplicate value in attribute name: %s", n)
		}
	}
	return nil
}

// conditionalOperatorUse refuses a ConditionalOperator with fewer than
// two conditions (of Expected, QueryFilter or ScanFilter) to join.
func conditionalOperatorUse(op string, conditions int) error {
	switch {
	case op == "":
		return nil
	case conditions == 0:
		return validationf("ConditionalOperator cannot be used without Filter or Expected")
	case conditions == 1:
		return validationf("ConditionalOperator can only be used when Filter or Expected has two or more elements")
	}
	return nil
}

// params is what a request gives of the expressions and of the older
// parameters they replace, as DynamoDB checks them before it translates
// anything: in its order, with its lists and words (those of its own
// emulator's InputConverter).
type params struct {
	attributeUpdates, attributesToGet, expected, queryFilter, scanFilter, keyConditions, conditionalOperator bool

	update, projection, condition, filter, keyCondition Expression

	names, values bool
	// valuesFor names, for the refusal of values without them, the
	// expressions of the operation that take values.
	valuesFor string
}

// check refuses the two kinds of parameters together, and names or
// values given with no expression to use them.
func (g *params) check() error {
	var old, expr []string
	for _, p := range []struct {
		given bool
		name  string
	}{{g.attributeUpdates, "AttributeUpdates"}, {g.attributesToGet, "AttributesToGet"}, {g.expected, "Expected"},
		{g.queryFilter, "QueryFilter"}, {g.scanFilter, "ScanFilter"}, {g.conditionalOperator, "ConditionalOperator"},
		{g.keyCondition != "" && g.keyConditions, "KeyConditions"}} { // KeyConditions count as mixed beside KeyConditionExpression only
		if p.given {
			old = append(old, p.name)
		}
	}
	exprs := []struct {
		x    Expression
		name string
	}{{g.update, "UpdateExpression"}, {g.projection, "ProjectionExpression"}, {g.condition, "ConditionExpression"},
		{g.filter, "FilterExpression"}, {g.keyCondition, "KeyConditionExpression"}}
	for _, e := range exprs {
		if e.x != "" {
			expr = append(expr, e.name)
		}
	}
	if len(old) > 0 && len(expr) > 0 {
		return validationf("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {%s} Expression parameters: {%s}",
			strings.Join(old, ", "), strings.Join(expr, ", "))
	}
	if g.names && len(expr) == 0 {
		return validationf("ExpressionAttributeNames can only be specified when using expressions")
	}
	if g.values && g.update == "" && g.condition == "" && g.filter == "" && g.keyCondition == "" {
		return validationf("ExpressionAttributeValues can only be specified when using expressions: %s", g.valuesFor)
	}
	return nil
}

// projection translates AttributesToGet.
func (l *legacy) projection(attrs []string) Expression {
	parts := make([]string, len(attrs))
	for i, a := range attrs {
		parts[i] = l.name(a)
	}
	return Expression(strings.Join(parts, ", "))
}

// operands is how many values each comparison operator takes (-1: one or
// more).
func operands(op string) (int, bool) {
	switch op {
	case "EQ", "NE", "LE", "LT", "GE", "GT", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH":
		return 1, true
	case "NULL", "NOT_NULL":
		return 0, true
	case "BETWEEN":
		return 2, true
	case "IN":
		return -1, true
	}
	return 0, false
}

// takes reports whether a comparison operator of the old parameters takes
// a value of type t, as AWS's reference gives them: EQ and NE any type,
// BEGINS_WITH strings and binaries, the others strings, numbers and
// binaries.
func takes(op, t string) bool {
	switch op {
	case "EQ", "NE":
		return true
	case "BEGINS_WITH":
		return prefixed(t)
	}
	return scalar(t)
}

// condition translates one attribute's condition.
func (l *legacy) condition(attr string, c Condition) (string, error) {
	want, ok := operands(c.ComparisonOperator)
	if !ok {
		return "", modelValidation(c.ComparisonOperator, l.member+"."+attr+".member.comparisonOperator", "satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")
	}
	if n := len(c.AttributeValueList); want >= 0 && n != want || want < 0 && n == 0 {
		return "", invalidParam("Invalid number of argument(s) for the %s ComparisonOperator", c.ComparisonOperator)
	}
	for _, v := range c.AttributeValueList {
		if _, err := v.check(attr, 0); err != nil {
			return "", err
		}
		// The types each operator takes, as AWS's reference gives them (EQ
		// and NE take any): refused in the old parameters' words, before
		// the expression's own checks would word it as an expression's.
		t := v.Type()
		if !takes(c.ComparisonOperator, t) {
			return "", invalidParam("ComparisonOperator %s is not valid for %s AttributeValue type", c.ComparisonOperator, t)
		}
		if t != c.AttributeValueList[0].Type() {
			return "", invalidParam("AttributeValues inside AttributeValueList must be of same type")
		}
	}
	if c.ComparisonOperator == "BETWEEN" {
		if n, ok := compare(&c.AttributeValueList[0], &c.AttributeValueList[1]); ok && n > 0 {
			return "", validationf("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
		}
	}
	n := l.name(attr)
	vals := make([]string, len(c.AttributeValueList))
	for i, v := range c.AttributeValueList {
		vals[i] = l.value(v)
	}
	switch c.ComparisonOperator {
	case "EQ":
		return n + " = " + vals[0], nil
	case "NE":
		return n + " <> " + vals[0], nil
	case "LE":
		return n + " <= " + vals[0], nil
	case "LT":
		return n + " < " + vals[0], nil
	case "GE":
		return n + " >= " + vals[0], nil
	case "GT":
		return n + " > " + vals[0], nil
	case "CONTAINS":
		return "contains(" + n + ", " + vals[0] + ")", nil
	case "NOT_CONTAINS":
		return "NOT contains(" + n + ", " + vals[0] + ")", nil
	case "BEGINS_WITH":
		return "begins_with(" + n + ", " + vals[0] + ")", nil
	case "NULL":
		return "attribute_not_exists(" + n + ")", nil
	case "NOT_NULL":
		return "attribute_exists(" + n + ")", nil
	case "BETWEEN":
		return n + " BETWEEN " + vals[0] + " AND " + vals[1], nil
	}
	return n + " IN (" + strings.Join(vals, ", ") + ")", nil
}

// checkConditionalOperator checks a ConditionalOperator, also when no
// legacy conditions come with it.
func checkConditionalOperator(op string) error {
	switch op {
	case "", "AND", "OR":
		return nil
	}
	return modelValidation(op, "conditionalOperator", "satisfy enum value set: [OR, AND]")
}

// conditions translates a map of conditions joined by op (AND or OR;
// translateRead and translateWrite have checked it).
func (l *legacy) conditions(conds map[string]Condition, op string) (Expression, error) {
	if op == "" {
		op = "AND"
	}
	var parts []string
	for _, attr := range sortedNames(conds) {
		p, err := l.condition(attr, conds[attr])
		if err != nil {
			return "", err
		}
		parts = append(parts, "("+p+")")
	}
	return Expression(strings.Join(parts, " "+op+" ")), nil
}

// expected translates Expected, refusing what DynamoDB refuses in its
// words and order (its emulator's and dynalite's agree): a
// ComparisonOperator takes its values from AttributeValueList or Value,
// Exists from Value.
func (l *legacy) expected(exp map[string]ExpectedAttributeValue, op string) (Expression, error) {
	conds := map[string]Condition{}
	for _, attr := range sortedNames(exp) {
		e := exp[attr]
		switch {
		case e.AttributeValueList != nil && e.Value != nil:
			return "", invalidParam("Value and AttributeValueList cannot be used together for Attribute: %s", attr)
		case e.ComparisonOperator != "":
			if e.Exists != nil {
				return "", invalidParam("Exists and ComparisonOperator cannot be used together for Attribute: %s", attr)
			}
			values := e.AttributeValueList
			if e.Value != nil {
				values = []AttributeValue{*e.Value}
			}
			if values == nil && e.ComparisonOperator != "NULL" && e.ComparisonOperator != "NOT_NULL" {
				return "", invalidParam("Value or AttributeValueList must be used with ComparisonOperator: %s for Attribute: %s", e.ComparisonOperator, attr)
			}
			conds[attr] = Condition{ComparisonOperator: e.ComparisonOperator, AttributeValueList: values}
		case e.AttributeValueList != nil:
			return "", invalidParam("AttributeValueList can only be used with a ComparisonOperator for Attribute: %s", attr)
		case e.Exists != nil && !*e.Exists:
			if e.Value != nil {
				return "", invalidParam("Value cannot be used when Exists is false for Attribute: %s", attr)
			}
			conds[attr] = Condition{ComparisonOperator: "NULL"}
		case e.Value != nil:
			conds[attr] = Condition{ComparisonOperator: "EQ", AttributeValueList: []AttributeValue{*e.Value}}
		case e.Exists == nil:
			return "", invalidParam("Value must be provided when Exists is null for Attribute: %s", attr)
		default:
			return "", invalidParam("Value must be provided when Exists is true for Attribute: %s", attr)
		}
	}
	return l.conditions(conds, op)
}

// updates translates AttributeUpdates.
func (l *legacy) updates(ups map[string]AttributeValueUpdate) (Expression, error) {
	var set, remove, add, del []string
	for _, attr := range sortedNames(ups) {
		u := ups[attr]
		if u.Value != nil {
			if _, err := u.Value.check(attr, 0); err != nil {
				return "", err
			}
		}
		n := l.name(attr)
		switch u.Action {
		case "", "PUT":
			if u.Value == nil {
				return "", invalidParam("Only DELETE action is allowed when no attribute value is specified")
			}
			set = append(set, n+" = "+l.value(*u.Value))
		case "DELETE":
			switch {
			case u.Value == nil:
				remove = append(remove, n)
			case !u.Value.isSet():
				return "", invalidParam("DELETE action with value is not supported for the type %s", u.Value.Type())
			default:
				del = append(del, n+" "+l.value(*u.Value))
			}
		case "ADD":
			if u.Value == nil {
				return "", invalidParam("Only DELETE action is allowed when no attribute value is specified")
			}
			if u.Value.N == nil && u.Value.L == nil && !u.Value.isSet() {
				return "", invalidParam("ADD action is not supported for the type %s", u.Value.Type())
			}
			if u.Value.L != nil { // appends, as on DynamoDB (which documents ADD for numbers and sets only)
				set = append(set, n+" = list_append(if_not_exists("+n+", "+l.value(AttributeValue{L: []AttributeValue{}})+"), "+l.value(*u.Value)+")")
				continue
			}
			add = append(add, n+" "+l.value(*u.Value))
		default:
			return "", modelValidation(u.Action, "attributeUpdates.action", "satisfy enum value set: [ADD, PUT, DELETE]")
		}
	}
	var b []string
	for _, c := range []struct {
		clause string
		parts  []string
	}{{"SET", set}, {"REMOVE", remove}, {"ADD", add}, {"DELETE", del}} {
		if len(c.parts) > 0 {
			b = append(b, c.clause+" "+strings.Join(c.parts, ", "))
		}
	}
	return Expression(strings.Join(b, " ")), nil
}

// legacyMaps returns the request's name and value maps, made if absent,
// for translations to add to.
func legacyMaps(names *map[string]string, values *map[string]AttributeValue) *legacy {
	if *names == nil {
		*names = map[string]string{}
	}
	if *values == nil {
		*values = map[string]AttributeValue{}
	}
	return newLegacy("", *names, *values)
}

// translateWrite turns a write's Expected and AttributeUpdates into
// ConditionExpression and UpdateExpression. upd is nil but for
// UpdateItem.
func translateWrite(expected map[string]ExpectedAttributeValue, condOp string, updates map[string]AttributeValueUpdate,
	cond, upd *Expression, names *map[string]string, values *map[string]AttributeValue) error {
	if err := checkConditionalOperator(condOp); err != nil {
		return err
	}
	given := params{expected: expected != nil, attributeUpdates: updates != nil, conditionalOperator: condOp != "",
		condition: *cond, names: *names != nil, values: *values != nil, valuesFor: "ConditionExpression is null"}
	if upd != nil {
		given.update, given.valuesFor = *upd, "UpdateExpression and ConditionExpression are null"
	}
	if err := given.check(); err != nil {
		return err
	}
	if err := conditionalOperatorUse(condOp, len(expected)); err != nil {
		return err
	}
	if expected == nil && updates == nil {
		return nil
	}
	l := legacyMaps(names, values)
	var err error
	if expected != nil {
		l.prefix, l.member = "e", "expected"
		if *cond, err = l.expected(expected, condOp); err != nil {
			return err
		}
	}
	if updates != nil {
		l.prefix = "u"
		if *upd, err = l.updates(updates); err != nil {
			return err
		}
	}
	*names, *values = nonEmpty(*names), nonEmpty(*values) // when nothing was translated
	return nil
}
