package athena

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/lakebox/lakebox/internal/glue"
)

// Partition pruning from the catalog: the conditions of a query's WHERE
// clause that constrain only a table's partition keys are rendered in the
// Glue partition predicate language and handed to GetPartitions, so a
// query reads (and reports as scanned) only the partitions it can match.
// The engine still applies the whole WHERE clause: pruning may only widen,
// never change, the answer, so anything not understood is left out of an
// AND and makes an OR or NOT unprunable.

const pruneKey = "__lakebox_prune" // set on a BASE_TABLE node while binding

// markPrunes finds SELECT nodes and tags their base tables with the
// conditions that concern them.
func markPrunes(v any) {
	switch n := v.(type) {
	case map[string]any:
		if where, ok := n["where_clause"].(map[string]any); ok {
			if from, ok := n["from_table"].(map[string]any); ok {
				var tables []map[string]any
				baseTables(from, &tables)
				for _, t := range tables {
					quals := map[string]bool{}
					if a, _ := t["alias"].(string); a != "" {
						quals[strings.ToLower(a)] = true
					} else if name, _ := t["table_name"].(string); name != "" {
						quals[strings.ToLower(name)] = true
					}
					t[pruneKey] = pruneTarget{where: where, quals: quals, unqualified: len(tables) == 1}
				}
			}
		}
		for k, c := range n {
			if k != pruneKey {
				markPrunes(c)
			}
		}
	case []any:
		for _, c := range n {
			markPrunes(c)
		}
	}
}

// baseTables collects the tables joined directly in a FROM clause.
func baseTables(from map[string]any, out *[]map[string]any) {
	switch from["type"] {
	case "BASE_TABLE":
		*out = append(*out, from)
	case "JOIN":
		for _, side := range []string{"left", "right"} {
			if m, ok := from[side].(map[string]any); ok {
				baseTables(m, out)
			}
		}
	}
}

type pruneTarget struct {
	where       map[string]any
	quals       map[string]bool
	unqualified bool // the only table: unqualified columns are its own
}

// expression renders the target's conditions on the table's partition
// keys, or "" when none can prune.
func (p pruneTarget) expression(t *glue.Table) string {
	keys := map[string]string{}
	for _, k := range t.PartitionKeys {
		keys[strings.ToLower(k.Name)] = strings.ToLower(k.Type)
	}
	r := renderer{p: p, keys: keys}
	s, ok := r.render(p.where)
	if !ok {
		return ""
	}
	return s
}

type renderer struct {
	p    pruneTarget
	keys map[string]string // partition key -> Hive type
}

var comparisons = map[string]string{
	"COMPARE_EQUAL": "=", "COMPARE_NOTEQUAL": "<>", "COMPARE_LESSTHAN": "<", "COMPARE_GREATERTHAN": ">",
	"COMPARE_LESSTHANOREQUALTO": "<=", "COMPARE_GREATERTHANOREQUALTO": ">=",
}

var flipped = map[string]string{"=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<="}

func (r renderer) render(e map[string]any) (string, bool) {
	kids := func(key string) []map[string]any {
		list, _ := e[key].([]any)
		out := make([]map[string]any, 0, len(list))
		for _, c := range list {
			if m, ok := c.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	child := func(key string) map[string]any { m, _ := e[key].(map[string]any); return m }
	switch e["type"] {
	case "CONJUNCTION_AND":
		var parts []string
		for _, c := range kids("children") {
			if s, ok := r.render(c); ok {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			return "", false
		}
		return "(" + strings.Join(parts, " AND ") + ")", true
	case "CONJUNCTION_OR":
		var parts []string
		for _, c := range kids("children") {
			s, ok := r.render(c)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return "(" + strings.Join(parts, " OR ") + ")", len(parts) > 0
	case "OPERATOR_NOT":
		c := kids("children")
		if len(c) != 1 {
			return "", false
		}
		s, ok := r.render(c[0])
		return "NOT (" + s + ")", ok
	case "COMPARE_IN", "COMPARE_NOT_IN":
		c := kids("children")
		if len(c) < 2 {
			return "", false
		}
		col, typ, ok := r.column(c[0])
		if !ok {
			return "", false
		}
		var lits []string
		for _, l := range c[1:] {
			s, ok := literal(l, typ)
			if !ok {
				return "", false
			}
			lits = append(lits, s)
		}
		op := " IN ("
		if e["type"] == "COMPARE_NOT_IN" {
			op = " NOT IN ("
		}
		return col + op + strings.Join(lits, ", ") + ")", true
	case "COMPARE_BETWEEN":
		col, typ, ok := r.column(child("input"))
		lo, ok1 := literal(child("lower"), typ)
		hi, ok2 := literal(child("upper"), typ)
		if !ok || !ok1 || !ok2 {
			return "", false
		}
		return col + " BETWEEN " + lo + " AND " + hi, true
	}
	if op, ok := comparisons[e["type"].(string)]; ok && e["class"] == "COMPARISON" {
		if col, typ, ok := r.column(child("left")); ok {
			if lit, ok := literal(child("right"), typ); ok {
				return col + " " + op + " " + lit, true
			}
		}
		if col, typ, ok := r.column(child("right")); ok {
			if lit, ok := literal(child("left"), typ); ok {
				return col + " " + flipped[op] + " " + lit, true
			}
		}
		return "", false
	}
	if e["class"] == "FUNCTION" && e["function_name"] == "~~" { // LIKE
		c := kids("children")
		if len(c) == 2 {
			if col, typ, ok := r.column(c[0]); ok && kindOfHive(typ) == "text" {
				if lit, ok := literal(c[1], typ); ok && strings.HasPrefix(lit, "'") {
					return col + " LIKE " + lit, true
				}
			}
		}
	}
	return "", false
}

// column returns a partition key referenced by e, quoted for Glue.
func (r renderer) column(e map[string]any) (string, string, bool) {
	if e == nil || e["class"] != "COLUMN_REF" {
		return "", "", false
	}
	names, _ := e["column_names"].([]any)
	var name string
	switch len(names) {
	case 1:
		if !r.p.unqualified {
			return "", "", false
		}
		name, _ = names[0].(string)
	case 2:
		q, _ := names[0].(string)
		if !r.p.quals[strings.ToLower(q)] {
			return "", "", false
		}
		name, _ = names[1].(string)
	default:
		return "", "", false
	}
	typ, ok := r.keys[strings.ToLower(name)]
	if !ok {
		return "", "", false
	}
	return "`" + strings.ToLower(name) + "`", typ, true
}

func kindOfHive(t string) string {
	switch {
	case t == "tinyint" || t == "smallint" || t == "int" || t == "integer" || t == "bigint":
		return "int"
	case t == "date":
		return "date"
	case t == "string" || strings.HasPrefix(t, "varchar") || strings.HasPrefix(t, "char"):
		return "text"
	}
	return "other"
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// literal renders a constant for a key of type typ, when Glue's comparison
// of it agrees with the engine's.
func literal(e map[string]any, typ string) (string, bool) {
	if e == nil || e["class"] != "CONSTANT" {
		return "", false
	}
	v, _ := e["value"].(map[string]any)
	if v == nil || v["is_null"] == true {
		return "", false
	}
	t, _ := v["type"].(map[string]any)
	id, _ := t["id"].(string)
	switch kindOfHive(typ) {
	case "int":
		switch id {
		case "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT", "UINTEGER", "UBIGINT":
			if n, ok := v["value"].(json.Number); ok {
				return n.String(), true
			}
		}
	case "text", "date":
		if id == "VARCHAR" {
			s, ok := v["value"].(string)
			if !ok || kindOfHive(typ) == "date" && !isoDate.MatchString(s) {
				return "", false
			}
			return "'" + strings.ReplaceAll(s, "'", "''") + "'", true
		}
	}
	return "", false
}

// equalities returns the values the target's conditions give key by
// equality (k = v, k IN (...)) in the AND at the top of the WHERE clause.
func (p pruneTarget) equalities(t *glue.Table, key string) []string {
	keys := map[string]string{}
	for _, k := range t.PartitionKeys {
		keys[strings.ToLower(k.Name)] = strings.ToLower(k.Type)
	}
	r := renderer{p: p, keys: keys}
	var out []string
	var visit func(e map[string]any)
	visit = func(e map[string]any) {
		kids, _ := e["children"].([]any)
		switch {
		case e["type"] == "CONJUNCTION_AND":
			for _, c := range kids {
				if m, ok := c.(map[string]any); ok {
					visit(m)
				}
			}
		case e["type"] == "COMPARE_IN" && len(kids) >= 2:
			if col, typ, ok := r.column(asMap(kids[0])); ok && col == "`"+key+"`" {
				for _, l := range kids[1:] {
					if v, ok := literalValue(asMap(l), typ); ok {
						out = append(out, v)
					}
				}
			}
		case e["type"] == "COMPARE_EQUAL":
			for _, sides := range [][2]string{{"left", "right"}, {"right", "left"}} {
				if col, typ, ok := r.column(asMap(e[sides[0]])); ok && col == "`"+key+"`" {
					if v, ok := literalValue(asMap(e[sides[1]]), typ); ok {
						out = append(out, v)
					}
				}
			}
		}
	}
	if p.where != nil {
		visit(p.where)
	}
	return out
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// literalValue is a constant's value as a partition value.
func literalValue(e map[string]any, typ string) (string, bool) {
	s, ok := literal(e, typ)
	if !ok {
		return "", false
	}
	if strings.HasPrefix(s, "'") {
		s = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(s, "'"), "'"), "''", "'")
	}
	return s, true
}
