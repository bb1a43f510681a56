package athena

import (
	"context"
	"strings"
	"sync"
)

// Athena speaks Trino's SQL; the engine is DuckDB. Most of the two
// dialects agree; the functions that differ are renamed in the syntax
// tree, rewritten (date formats, which Trino writes MySQL- and Joda-style),
// or defined as macros in the engine (macros prefixed lakebox_ stand in
// where a DuckDB name already means something else).

// macros are created once per engine.
var macros = []string{
	"CREATE OR REPLACE MACRO lakebox_element_at(c, k) AS c[k]",
	"CREATE OR REPLACE MACRO lakebox_date_add(unit, n, x) AS x + (CAST(n AS VARCHAR) || ' ' || unit)::INTERVAL",
	"CREATE OR REPLACE MACRO lakebox_slice(a, start, n) AS list_slice(a, start, start + n - 1)",
	"CREATE OR REPLACE MACRO map_agg(k, v) AS map(list(k), list(v))",
	"CREATE OR REPLACE MACRO from_unixtime(x) AS CAST(to_timestamp(x) AS TIMESTAMP)",
	"CREATE OR REPLACE MACRO to_unixtime(x) AS epoch(x)",
	"CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
	"CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE)",
	"CREATE OR REPLACE MACRO to_utf8(s) AS encode(s)",
	"CREATE OR REPLACE MACRO from_utf8(b) AS decode(b)",
	"CREATE OR REPLACE MACRO url_extract_host(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)",
	"CREATE OR REPLACE MACRO url_extract_path(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*([^?#]*)', 1)",
}

// renames maps Trino function names to the engine's.
var renames = map[string]string{
	"approx_distinct":     "approx_count_distinct",
	"approx_percentile":   "approx_quantile",
	"element_at":          "lakebox_element_at",
	"transform":           "list_transform",
	"array_join":          "array_to_string",
	"regexp_like":         "regexp_matches",
	"json_extract_scalar": "json_extract_string",
	"day_of_week":         "isodow",
	"dow":                 "isodow",
	"day_of_year":         "dayofyear",
	"doy":                 "dayofyear",
	"day_of_month":        "dayofmonth",
	"last_day_of_month":   "last_day",
	"sequence":            "generate_series",
	"slice":               "lakebox_slice",
	"zip":                 "list_zip",
	"codepoint":           "unicode",
	"rand":                "random",
	"array_max":           "list_max",
	"array_min":           "list_min",
	"array_sum":           "list_sum",
	"array_average":       "list_avg",
	"array_position":      "list_position",
	"arrays_overlap":      "list_has_any",
	"array_intersect":     "list_intersect",
	"array_union":         "list_union", // DuckDB 1.5 name for distinct concatenation
	"array_except":        "list_except",
	"cardinality":         "len",
	"index":               "strpos",
	"stddev":              "stddev_samp",
}

// prepared creates the macros in an engine once.
type prepared struct {
	once sync.Once
	err  error
}

// prepare creates the macros in the engine once.
func (s *Service) prepare(ctx context.Context) error {
	// Not the query's context: a query stopped while the macros are made
	// must not leave the engine without them.
	ctx = context.WithoutCancel(ctx)
	s.macros.once.Do(func() {
		sess, err := s.engine.Session(ctx)
		if err != nil {
			s.macros.err = err
			return
		}
		defer sess.Close()
		for _, m := range macros {
			if err := sess.Exec(ctx, m); err != nil {
				s.macros.err = err
				return
			}
		}
	})
	return s.macros.err
}

// translate rewrites Trino functions in a syntax tree for the engine.
func translate(v any) {
	switch n := v.(type) {
	case map[string]any:
		if n["class"] == "FUNCTION" {
			translateFunction(n)
		}
		for _, c := range n {
			translate(c)
		}
	case []any:
		for _, c := range n {
			translate(c)
		}
	}
}

func translateFunction(n map[string]any) {
	name, _ := n["function_name"].(string)
	args, _ := n["children"].([]any)
	switch strings.ToLower(name) {
	case "date_parse":
		if len(args) == 2 && convertFormat(args[1], mysqlFormat) {
			n["function_name"] = "strptime"
		}
		return
	case "date_format":
		if len(args) == 2 && convertFormat(args[1], mysqlFormat) {
			n["function_name"] = "strftime"
		}
		return
	case "parse_datetime":
		if len(args) == 2 && convertFormat(args[1], jodaFormat) {
			n["function_name"] = "strptime"
		}
		return
	case "format_datetime":
		if len(args) == 2 && convertFormat(args[1], jodaFormat) {
			n["function_name"] = "strftime"
		}
		return
	case "date_add":
		if len(args) == 3 {
			n["function_name"] = "lakebox_date_add"
		}
		return
	case "reduce":
		// reduce(array, initial, (s, x) -> ..., s -> s): the engine's
		// list_reduce(array, lambda, initial), when the output function is
		// the identity, as it nearly always is.
		if len(args) == 4 && isIdentityLambda(args[3]) {
			n["function_name"] = "list_reduce"
			n["children"] = []any{args[0], args[2], args[1]}
		}
		return
	case "cardinality":
		// len for arrays; the engine's own cardinality for maps. Which one
		// the argument is is known only when binding, so leave maps' name
		// alone when the argument is visibly a map.
		if len(args) == 1 {
			if a, ok := args[0].(map[string]any); ok && strings.EqualFold(stringOf(a["function_name"]), "map") {
				return
			}
		}
	}
	if to, ok := renames[strings.ToLower(name)]; ok {
		n["function_name"] = to
	}
}

func stringOf(v any) string { s, _ := v.(string); return s }

// isIdentityLambda reports whether v is "x -> x".
func isIdentityLambda(v any) bool {
	l, ok := v.(map[string]any)
	if !ok || l["class"] != "LAMBDA" {
		return false
	}
	name := func(e any) string {
		m, _ := e.(map[string]any)
		if m == nil || m["class"] != "COLUMN_REF" {
			return ""
		}
		names, _ := m["column_names"].([]any)
		if len(names) != 1 {
			return ""
		}
		return stringOf(names[0])
	}
	lhs, rhs := name(l["lhs"]), name(l["expr"])
	return lhs != "" && lhs == rhs
}

// convertFormat rewrites a constant format argument; it reports false (and
// changes nothing) for a format that is not a constant string.
func convertFormat(arg any, conv func(string) string) bool {
	c, ok := arg.(map[string]any)
	if !ok || c["class"] != "CONSTANT" {
		return false
	}
	v, _ := c["value"].(map[string]any)
	s, ok := v["value"].(string)
	if !ok {
		return false
	}
	v["value"] = conv(s)
	return true
}

// mysqlFormat converts a MySQL date format (Trino's date_parse and
// date_format) to strftime's.
func mysqlFormat(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'i':
			b.WriteString("%M") // minutes
		case 'M':
			b.WriteString("%B") // month name
		case 's':
			b.WriteString("%S")
		case 'e':
			b.WriteString("%-d")
		case 'c':
			b.WriteString("%-m")
		case 'k':
			b.WriteString("%-H")
		case 'h':
			b.WriteString("%I")
		case 'l':
			b.WriteString("%-I")
		case 'W':
			b.WriteString("%A")
		case 'r':
			b.WriteString("%I:%M:%S %p")
		case 'T':
			b.WriteString("%H:%M:%S")
		case 'v':
			b.WriteString("%V")
		case 'x':
			b.WriteString("%G")
		default: // %Y %y %m %d %H %p %a %b %f %j %% mean the same
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// jodaFormat converts a Joda-Time pattern (Trino's parse_datetime and
// format_datetime) to strftime's.
func jodaFormat(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		if c == '\'' { // quoted literal
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				b.WriteString(f[i+1:])
				break
			}
			b.WriteString(strings.ReplaceAll(f[i+1:i+1+j], "%", "%%"))
			i += j + 2
			continue
		}
		n := 1
		for i+n < len(f) && f[i+n] == c {
			n++
		}
		i += n
		switch {
		case c == 'y' || c == 'Y' || c == 'x':
			if n == 2 {
				b.WriteString("%y")
			} else {
				b.WriteString("%Y")
			}
		case c == 'M':
			switch {
			case n >= 4:
				b.WriteString("%B")
			case n == 3:
				b.WriteString("%b")
			case n == 2:
				b.WriteString("%m")
			default:
				b.WriteString("%-m")
			}
		case c == 'd':
			b.WriteString(map[bool]string{true: "%d", false: "%-d"}[n >= 2])
		case c == 'H':
			b.WriteString(map[bool]string{true: "%H", false: "%-H"}[n >= 2])
		case c == 'h':
			b.WriteString(map[bool]string{true: "%I", false: "%-I"}[n >= 2])
		case c == 'm':
			b.WriteString(map[bool]string{true: "%M", false: "%-M"}[n >= 2])
		case c == 's':
			b.WriteString(map[bool]string{true: "%S", false: "%-S"}[n >= 2])
		case c == 'S':
			if n <= 3 {
				b.WriteString("%g")
			} else {
				b.WriteString("%f")
			}
		case c == 'E':
			b.WriteString(map[bool]string{true: "%A", false: "%a"}[n >= 4])
		case c == 'a':
			b.WriteString("%p")
		case c == 'D':
			b.WriteString("%j")
		case c == 'Z' || c == 'z':
			b.WriteString("%z")
		case c == '%':
			b.WriteString(strings.Repeat("%%", n))
		default:
			b.WriteString(strings.Repeat(string(c), n))
		}
	}
	return b.String()
}

// typedDoubles keeps double literals (1e10, 2.5E-4) doubles: the engine
// parses them as DOUBLE, as Trino does, but turning the tree back into SQL
// prints them as plain decimals, which the engine would then read as
// DECIMAL. They are wrapped in a cast to DOUBLE.
func typedDoubles(v any) {
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if m, ok := c.(map[string]any); ok && isDoubleConstant(m) {
				n[k] = castDouble(m)
				continue
			}
			typedDoubles(c)
		}
	case []any:
		for i, c := range n {
			if m, ok := c.(map[string]any); ok && isDoubleConstant(m) {
				n[i] = castDouble(m)
				continue
			}
			typedDoubles(c)
		}
	}
}

func isDoubleConstant(m map[string]any) bool {
	if m["class"] != "CONSTANT" {
		return false
	}
	val, _ := m["value"].(map[string]any)
	typ, _ := val["type"].(map[string]any)
	return typ != nil && typ["id"] == "DOUBLE" && val["is_null"] == false
}

func castDouble(c map[string]any) map[string]any {
	alias := c["alias"]
	c["alias"] = ""
	return map[string]any{
		"class": "CAST", "type": "OPERATOR_CAST", "alias": alias, "query_location": c["query_location"],
		"child": c, "cast_type": map[string]any{"id": "DOUBLE", "type_info": nil}, "try_cast": false,
	}
}
