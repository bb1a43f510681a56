package athena

import "strings"

// A value moved into a zone (x AT TIME ZONE 'America/New_York') is its
// wall-clock time there to the engine; the query that moves it keeps its
// zone beside it (zonedColumns, instantsInSelect). A query over a
// subquery or CTE that selects such a value, with a constant zone, gets the
// same answers through the column: its filters compare the column's
// instants, and the outermost select prints it with its zone, as Trino
// does. columnZones says which columns those are.

// columnZones maps the columns a select reads from its subqueries and CTEs
// to the zone of those that are moved values. Keys are "source.column" and,
// where every source of the FROM clause is a subquery or a CTE (so no
// table's column can have the name), "column"; a name two sources give
// differently maps to "".
type columnZones map[string]string

// sourceZones reads the FROM clause of the select n; ctes are the query's
// common table expressions by lower-case name.
func sourceZones(n map[string]any, ctes map[string]map[string]any) columnZones {
	return sourceZonesAt(n, ctes, 0)
}

func sourceZonesAt(n map[string]any, ctes map[string]map[string]any, depth int) columnZones {
	zones := columnZones{}
	if depth > 16 {
		return zones
	}
	unqualified := map[string]string{}
	onlySubqueries := true
	add := func(source string, node map[string]any, aliases []any) {
		for name, zone := range outputZones(node, aliases, ctes, depth+1) {
			zones[source+"."+name] = zone
			if z, seen := unqualified[name]; seen && z != zone {
				zone = ""
			}
			unqualified[name] = zone
		}
	}
	var from func(t any)
	from = func(t any) {
		m, _ := t.(map[string]any)
		switch m["type"] {
		case "JOIN":
			from(m["left"])
			from(m["right"])
		case "SUBQUERY":
			sub, _ := m["subquery"].(map[string]any)
			node, _ := sub["node"].(map[string]any)
			aliases, _ := m["column_name_alias"].([]any)
			add(strings.ToLower(stringOf(m["alias"])), node, aliases)
		case "BASE_TABLE":
			name := strings.ToLower(stringOf(m["table_name"]))
			cte := ctes[name]
			if cte == nil || stringOf(m["schema_name"]) != "" {
				onlySubqueries = false
				return
			}
			query, _ := cte["query"].(map[string]any)
			node, _ := query["node"].(map[string]any)
			aliases, _ := cte["aliases"].([]any)
			if a := stringOf(m["alias"]); a != "" {
				name = strings.ToLower(a)
			}
			add(name, node, aliases)
		case "EMPTY":
		default:
			onlySubqueries = false // a table function, VALUES, ...
		}
	}
	from(n["from_table"])
	if onlySubqueries {
		for name, zone := range unqualified {
			zones[name] = zone
		}
	}
	return zones
}

// outputZones maps the output columns of a select (named by aliases when
// the source renames them) to their constant zones, for those that are
// moved values.
func outputZones(node map[string]any, aliases []any, ctes map[string]map[string]any, depth int) map[string]string {
	if node == nil || node["type"] != "SELECT_NODE" {
		return nil
	}
	list, _ := node["select_list"].([]any)
	if len(aliases) > 0 {
		for _, item := range list {
			if e, _ := item.(map[string]any); e["class"] == "STAR" {
				return nil // a * is many columns: the aliases' positions are not the list's
			}
		}
	}
	var inner columnZones
	out := map[string]string{}
	for i, item := range list {
		e, _ := item.(map[string]any)
		name := strings.ToLower(stringOf(e["alias"]))
		if e["class"] == "COLUMN_REF" && name == "" {
			cols, _ := e["column_names"].([]any)
			name = strings.ToLower(stringOf(cols[len(cols)-1]))
		}
		if i < len(aliases) {
			name = strings.ToLower(stringOf(aliases[i]))
		}
		if name == "" {
			continue
		}
		zone := movedZone(e)
		if zone == "" && e["class"] == "COLUMN_REF" {
			if inner == nil {
				inner = sourceZonesAt(node, ctes, depth)
			}
			zone = inner.of(e)
		}
		out[name] = zone
	}
	return out
}

// of returns the zone of a column reference, or "".
func (z columnZones) of(ref map[string]any) string {
	if ref["class"] != "COLUMN_REF" {
		return ""
	}
	cols, _ := ref["column_names"].([]any)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = strings.ToLower(stringOf(c))
	}
	switch len(names) {
	case 1:
		return z[names[0]]
	case 2:
		return z[names[0]+"."+names[1]]
	}
	return ""
}

// zoneOfMoved returns the zone expression of a value moved into one,
// before translation (x AT TIME ZONE z, at_timezone, with_timezone,
// from_unixtime with a zone or an offset) or after (lakebox_at_zone,
// lakebox_with_timezone); nil for anything else.
func zoneOfMoved(e map[string]any) any {
	args := childrenOf(e)
	if e["class"] == "FUNCTION" && len(args) == 3 && strings.EqualFold(stringOf(e["function_name"]), "from_unixtime") {
		return offsetZone(args[1], args[2]) // hours, minutes
	}
	if e["class"] != "FUNCTION" || len(args) != 2 {
		return nil
	}
	switch strings.ToLower(stringOf(e["function_name"])) {
	case "from_unixtime":
		return args[1]
	case "timezone", "lakebox_at_zone":
		return args[0]
	case "at_timezone", "with_timezone", "lakebox_with_timezone":
		return args[1]
	}
	return nil
}

// movedZone returns the constant zone of a value moved into one (see
// zoneOfMoved); "" for anything else.
func movedZone(e map[string]any) string {
	zone := zoneOfMoved(e)
	if zone == nil {
		return ""
	}
	val, typ, ok := constantValue(zone)
	z, _ := val.(string)
	if !ok || typ != "VARCHAR" {
		return ""
	}
	return z
}

// cteQueries returns the common table expressions of a statement's tree by
// lower-case name. A name defined twice (a nested WITH may reuse one) is
// left out: which of the two a reference means depends on scopes this
// does not follow, so its columns are not known to be zoned.
func cteQueries(root any) map[string]map[string]any {
	ctes := map[string]map[string]any{}
	twice := map[string]bool{}
	visit(root, func(n map[string]any) bool {
		m, _ := n["cte_map"].(map[string]any)
		list, _ := m["map"].([]any)
		for _, e := range list {
			em, _ := e.(map[string]any)
			k, _ := em["key"].(string)
			v, _ := em["value"].(map[string]any)
			if k == "" || v == nil {
				continue
			}
			if _, seen := ctes[strings.ToLower(k)]; seen {
				twice[strings.ToLower(k)] = true
			}
			ctes[strings.ToLower(k)] = v
		}
		return true
	})
	for k := range twice {
		delete(ctes, k)
	}
	return ctes
}
