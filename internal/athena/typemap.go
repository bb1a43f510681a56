package athena

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lakebox/lakebox/internal/sqlengine"
)

// duckType translates a Hive (Glue) type to the engine's.
func duckType(hive string) (string, error) { return spelledType(hive, nil) }

// spelledType is duckType with struct fields named as the data spells
// them (sp, from the files' keys; nil for the declared names): the engine
// matches JSON keys to fields by case, Hive's JSON SerDes ignore it.
func spelledType(hive string, sp *spelling) (string, error) {
	p := &typeParser{s: strings.ToLower(strings.TrimSpace(hive))}
	t, err := p.parse(0, sp)
	if err == nil && p.pos != len(p.s) {
		err = fmt.Errorf("unexpected %q", p.s[p.pos:])
	}
	if err != nil {
		return "", userError(errUser, "HIVE_INVALID_METADATA: type %q: %v", hive, err)
	}
	return t, nil
}

type typeParser struct {
	s   string
	pos int
}

func (p *typeParser) ident() string {
	start := p.pos
	for p.pos < len(p.s) && (p.s[p.pos] == '_' || p.s[p.pos] >= 'a' && p.s[p.pos] <= 'z' || p.s[p.pos] >= '0' && p.s[p.pos] <= '9' || p.s[p.pos] == ' ' && p.pos > start) {
		if p.s[p.pos] == ' ' && !strings.HasPrefix(p.s[p.pos:], " with") && !strings.HasPrefix(p.s[p.pos:], " time") && !strings.HasPrefix(p.s[p.pos:], " zone") {
			break
		}
		p.pos++
	}
	return strings.TrimSpace(p.s[start:p.pos])
}

func (p *typeParser) expect(c byte) error {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
	if p.pos >= len(p.s) || p.s[p.pos] != c {
		return fmt.Errorf("expected %q at %d", c, p.pos)
	}
	p.pos++
	return nil
}

func (p *typeParser) peek(c byte) bool {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
	return p.pos < len(p.s) && p.s[p.pos] == c
}

func (p *typeParser) parse(depth int, sp *spelling) (string, error) {
	if depth > 32 {
		return "", fmt.Errorf("nested too deeply")
	}
	name := p.ident()
	switch name {
	case "string", "varchar", "char":
		if p.peek('(') {
			p.skipArgs()
		}
		return "VARCHAR", nil
	case "tinyint":
		return "TINYINT", nil
	case "smallint":
		return "SMALLINT", nil
	case "int", "integer":
		return "INTEGER", nil
	case "bigint", "long":
		return "BIGINT", nil
	case "float", "real":
		return "FLOAT", nil
	case "double":
		return "DOUBLE", nil
	case "boolean":
		return "BOOLEAN", nil
	case "date":
		return "DATE", nil
	case "timestamp":
		return "TIMESTAMP", nil
	case "binary", "varbinary":
		return "BLOB", nil
	case "decimal":
		if !p.peek('(') {
			return "DECIMAL(10,0)", nil
		}
		args := p.skipArgs()
		return "DECIMAL(" + args + ")", nil
	case "array":
		if err := p.expect('<'); err != nil {
			return "", err
		}
		e, err := p.parse(depth+1, sp.element())
		if err != nil {
			return "", err
		}
		return e + "[]", p.expect('>')
	case "map":
		if err := p.expect('<'); err != nil {
			return "", err
		}
		k, err := p.parse(depth+1, nil)
		if err != nil {
			return "", err
		}
		if err := p.expect(','); err != nil {
			return "", err
		}
		v, err := p.parse(depth+1, nil)
		if err != nil {
			return "", err
		}
		return "MAP(" + k + ", " + v + ")", p.expect('>')
	case "struct":
		if err := p.expect('<'); err != nil {
			return "", err
		}
		var fields []string
		for {
			for p.pos < len(p.s) && p.s[p.pos] == ' ' {
				p.pos++
			}
			start := p.pos
			for p.pos < len(p.s) && p.s[p.pos] != ':' && p.s[p.pos] != '>' && p.s[p.pos] != ',' {
				p.pos++
			}
			fname := strings.Trim(strings.TrimSpace(p.s[start:p.pos]), "`")
			if err := p.expect(':'); err != nil {
				return "", err
			}
			fsp := sp.field(fname)
			ft, err := p.parse(depth+1, fsp)
			if err != nil {
				return "", err
			}
			fields = append(fields, sqlengine.QuoteIdent(fsp.nameOr(fname))+" "+ft)
			if p.peek(',') {
				p.pos++
				continue
			}
			break
		}
		return "STRUCT(" + strings.Join(fields, ", ") + ")", p.expect('>')
	}
	return "", fmt.Errorf("unknown type %q", name)
}

// skipArgs reads "(a,b)" and returns "a,b".
func (p *typeParser) skipArgs() string {
	p.expect('(')
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] != ')' {
		p.pos++
	}
	args := strings.ReplaceAll(p.s[start:p.pos], " ", "")
	p.expect(')')
	return args
}

var decimalType = regexp.MustCompile(`^DECIMAL\((\d+),(\d+)\)$`)

// columnInfo describes a result column with Athena's type names.
func columnInfo(name, duck string) ColumnInfo {
	c := ColumnInfo{CatalogName: "hive", Name: name, Label: name, Nullable: "UNKNOWN", CaseSensitive: false}
	d := strings.ToUpper(duck)
	switch {
	case d == "BOOLEAN":
		c.Type = "boolean"
	case d == "TINYINT" || d == "UTINYINT":
		c.Type, c.Precision = "tinyint", 3
	case d == "SMALLINT" || d == "USMALLINT":
		c.Type, c.Precision = "smallint", 5
	case d == "INTEGER" || d == "UINTEGER":
		c.Type, c.Precision = "integer", 10
	case d == "BIGINT" || d == "UBIGINT":
		c.Type, c.Precision = "bigint", 19
	case d == "HUGEINT" || d == "UHUGEINT":
		c.Type, c.Precision = "decimal", 38
	case d == "FLOAT":
		c.Type, c.Precision = "float", 17
	case d == "DOUBLE":
		c.Type, c.Precision = "double", 17
	case strings.HasPrefix(d, "DECIMAL"):
		c.Type = "decimal"
		if m := decimalType.FindStringSubmatch(d); m != nil {
			c.Precision, _ = strconv.ParseInt(m[1], 10, 64)
			c.Scale, _ = strconv.ParseInt(m[2], 10, 64)
		}
	case d == "VARCHAR" || d == "JSON" || d == "UUID":
		c.Type, c.Precision, c.CaseSensitive = "varchar", 2147483647, true
		if d == "JSON" {
			c.Type = "json"
		}
	case d == "DATE":
		c.Type = "date"
	case d == "TIMESTAMP(9) WITH TIME ZONE": // the engine's zoned pair of a TIMESTAMP_NS
		c.Type, c.Precision = "timestamp with time zone", 9
	case strings.HasPrefix(d, "TIMESTAMP WITH TIME ZONE") || d == "TIMESTAMPTZ":
		c.Type, c.Precision = "timestamp with time zone", 3
	case strings.HasPrefix(d, "TIMESTAMP"):
		c.Type, c.Precision = "timestamp", 3
	case d == "TIME WITH TIME ZONE" || d == "TIMETZ":
		c.Type, c.Precision = "time with time zone", 3
	case strings.HasPrefix(d, "TIME"):
		c.Type = "time"
	case d == "INTERVAL":
		c.Type = "interval day to second"
	case d == "BLOB":
		c.Type = "varbinary"
	case strings.HasSuffix(d, "[]") || strings.HasPrefix(d, "LIST"):
		c.Type = "array"
	case strings.HasPrefix(d, "MAP"):
		c.Type = "map"
	case strings.HasPrefix(d, "STRUCT"):
		c.Type = "row"
	default:
		c.Type = strings.ToLower(d)
	}
	return c
}

// spelling is how a table's JSON files spell a key and the keys under it:
// Hive's JSON SerDes (OpenX by default, and Hive's) match keys to columns
// and struct fields whatever their case, the engine only by exact name.
type spelling struct {
	name   string
	fields map[string]*spelling // by lower-case name
	elem   *spelling            // an array's elements
}

// spellingOf reads a json_group_structure result: objects' keys, arrays'
// elements. The first spelling of a name met wins.
func spellingOf(name string, structure any) *spelling {
	sp := &spelling{name: name}
	switch v := structure.(type) {
	case map[string]any:
		sp.fields = make(map[string]*spelling, len(v))
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // deterministic when spellings differ by case
		for _, k := range keys {
			if _, ok := sp.fields[strings.ToLower(k)]; !ok {
				sp.fields[strings.ToLower(k)] = spellingOf(k, v[k])
			}
		}
	case []any:
		if len(v) > 0 {
			sp.elem = spellingOf("", v[0])
		}
	}
	return sp
}

func (sp *spelling) field(name string) *spelling {
	if sp == nil {
		return nil
	}
	return sp.fields[strings.ToLower(name)]
}

func (sp *spelling) element() *spelling {
	if sp == nil {
		return nil
	}
	return sp.elem
}

func (sp *spelling) nameOr(declared string) string {
	if sp == nil || sp.name == "" {
		return declared
	}
	return sp.name
}
