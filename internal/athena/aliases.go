package athena

import (
	"encoding/json"
	"strings"
)

// Trino resolves WHERE, GROUP BY and HAVING against the FROM clause only:
// an output alias there is an error ("Column 'x' cannot be resolved"),
// where DuckDB would quietly use the alias. checkAliases gives Athena's
// answer, for SELECTs over catalog tables whose columns are known.
func (b *binder) checkAliases(v any) error {
	switch n := v.(type) {
	case map[string]any:
		if n["type"] == "SELECT_NODE" {
			if err := b.checkSelect(n); err != nil {
				return err
			}
		}
		for _, c := range n {
			if err := b.checkAliases(c); err != nil {
				return err
			}
		}
	case []any:
		for _, c := range n {
			if err := b.checkAliases(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *binder) checkSelect(n map[string]any) error {
	from, _ := n["from_table"].(map[string]any)
	if from == nil {
		return nil
	}
	var tables []map[string]any
	if !onlyBaseTables(from, &tables) || len(tables) == 0 {
		return nil // a subquery or table function: its columns are unknown here
	}
	columns := map[string]bool{}
	for _, t := range tables {
		cols, ok := b.tables.columns[stringOf(t["table_name"])]
		if !ok {
			return nil // a CTE
		}
		for c := range cols {
			columns[c] = true
		}
	}
	aliases := map[string]bool{}
	list, _ := n["select_list"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			if a := stringOf(m["alias"]); a != "" {
				aliases[strings.ToLower(a)] = true
			}
		}
	}
	for _, clause := range []string{"where_clause", "group_expressions", "having"} {
		if ref := aliasRef(n[clause], aliases, columns); ref != nil {
			line, col := lineCol(b.query, location(ref))
			names, _ := ref["column_names"].([]any)
			return userError(errSyntax, "COLUMN_NOT_FOUND: line %d:%d: Column '%s' cannot be resolved", line, col, stringOf(names[0]))
		}
	}
	return nil
}

func onlyBaseTables(from map[string]any, out *[]map[string]any) bool {
	switch from["type"] {
	case "BASE_TABLE":
		*out = append(*out, from)
		return true
	case "JOIN":
		l, _ := from["left"].(map[string]any)
		r, _ := from["right"].(map[string]any)
		return l != nil && r != nil && onlyBaseTables(l, out) && onlyBaseTables(r, out)
	}
	return false
}

// aliasRef finds an unqualified column reference to an output alias that
// is no column of the FROM clause, outside subqueries.
func aliasRef(v any, aliases, columns map[string]bool) map[string]any {
	switch n := v.(type) {
	case map[string]any:
		if n["class"] == "SUBQUERY" {
			return nil
		}
		if n["class"] == "COLUMN_REF" {
			names, _ := n["column_names"].([]any)
			if len(names) == 1 {
				name := strings.ToLower(stringOf(names[0]))
				if aliases[name] && !columns[name] {
					return n
				}
			}
			return nil
		}
		for _, c := range n {
			if r := aliasRef(c, aliases, columns); r != nil {
				return r
			}
		}
	case []any:
		for _, c := range n {
			if r := aliasRef(c, aliases, columns); r != nil {
				return r
			}
		}
	}
	return nil
}

func location(n map[string]any) int {
	if num, ok := n["query_location"].(json.Number); ok {
		if p, err := num.Int64(); err == nil {
			return int(p)
		}
	}
	return -1
}
