package classify

import (
	"strings"
)

// Type is a Hive type as a tree, so schemas of many files can be merged.
type Type struct {
	// Name is a primitive ("bigint", "decimal(10,2)", "string", ...) or
	// "struct", "array" or "map".
	Name   string
	Fields []Field // struct members, in order
	Elem   *Type   // array element, map value
	Key    *Type   // map key
}

// Field is a named column or struct member.
type Field struct {
	Name string
	Type *Type
}

func prim(name string) *Type { return &Type{Name: name} }

// String renders t as Glue and Athena write it: array<struct<a:int>>.
func (t *Type) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *Type) write(b *strings.Builder) {
	switch t.Name {
	case "struct":
		b.WriteString("struct<")
		for i, f := range t.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.Name)
			b.WriteByte(':')
			f.Type.write(b)
		}
		b.WriteByte('>')
	case "array":
		b.WriteString("array<")
		t.Elem.write(b)
		b.WriteByte('>')
	case "map":
		b.WriteString("map<")
		t.Key.write(b)
		b.WriteByte(',')
		t.Elem.write(b)
		b.WriteByte('>')
	default:
		b.WriteString(t.Name)
	}
}

// numeric ranks the types a number widens through.
var numeric = map[string]int{"tinyint": 1, "smallint": 2, "int": 3, "bigint": 4, "float": 5, "double": 6}

// Merge returns the narrowest type that holds values of both a and b: the
// wider number, the union of struct members (in first-seen order), merged
// array elements and map values; anything else that differs is string.
// A nil side (a column missing from one file) yields the other.
func Merge(a, b *Type) *Type {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.Name == "null":
		return b
	case b.Name == "null":
		return a
	}
	if a.Name != b.Name {
		ra, oka := numeric[a.Name]
		rb, okb := numeric[b.Name]
		if oka && okb {
			if ra > rb {
				return a
			}
			return b
		}
		if strings.HasPrefix(a.Name, "decimal") && okb && rb >= 5 || strings.HasPrefix(b.Name, "decimal") && oka && ra >= 5 {
			return prim("double")
		}
		return prim("string")
	}
	switch a.Name {
	case "struct":
		return &Type{Name: "struct", Fields: MergeFields(a.Fields, b.Fields)}
	case "array":
		return &Type{Name: "array", Elem: Merge(a.Elem, b.Elem)}
	case "map":
		return &Type{Name: "map", Key: Merge(a.Key, b.Key), Elem: Merge(a.Elem, b.Elem)}
	}
	return a
}

// MergeFields merges two column lists by name (case-insensitively): a's
// columns in order, widened by b's, then b's new columns.
func MergeFields(a, b []Field) []Field {
	out := make([]Field, 0, max(len(a), len(b)))
	idx := map[string]int{}
	for _, f := range a {
		idx[strings.ToLower(f.Name)] = len(out)
		out = append(out, f)
	}
	for _, f := range b {
		if i, ok := idx[strings.ToLower(f.Name)]; ok {
			out[i].Type = Merge(out[i].Type, f.Type)
			continue
		}
		idx[strings.ToLower(f.Name)] = len(out)
		out = append(out, f)
	}
	return out
}

// Similarity is the share of columns two schemas have in common, by name:
// |a ∩ b| / |a ∪ b|. Glue groups folders into one table when their
// schemas are similar enough.
func Similarity(a, b []Field) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	names := map[string]bool{}
	for _, f := range a {
		names[strings.ToLower(f.Name)] = true
	}
	both := 0
	for _, f := range b {
		if names[strings.ToLower(f.Name)] {
			both++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}
