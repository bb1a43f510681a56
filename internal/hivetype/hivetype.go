package hivetype

import (
	"fmt"
	"strconv"
	"strings"
)

// Type is a parsed Hive type.
type Type struct {
	// Name is the lower-case base name: "string", "int", "decimal",
	// "array", "map", "struct", …; varchar(n) and char(n) are "string".
	Name string
	// Precision and Scale are a decimal's.
	Precision, Scale int
	// Elem is an array's element or a map's value; Key is a map's key.
	Elem, Key *Type
	// Fields are a struct's members, in order.
	Fields []Field
}

// Field is a member of a struct.
type Field struct {
	Name string
	Type *Type
}

var primitives = map[string]bool{
	"string": true, "boolean": true, "tinyint": true, "smallint": true, "int": true, "integer": true, "bigint": true,
	"float": true, "double": true, "date": true, "timestamp": true, "binary": true,
}

// Parse reads a Hive type.
func Parse(s string) (*Type, error) {
	p := &parser{s: strings.ToLower(strings.TrimSpace(s))}
	t, err := p.parse(0)
	if p.skip(); err == nil && p.pos != len(p.s) {
		err = fmt.Errorf("unexpected %q", p.s[p.pos:])
	}
	if err != nil {
		return nil, fmt.Errorf("the type %q is not a Hive type: %v", s, err)
	}
	return t, nil
}

type parser struct {
	s   string
	pos int
}

func (p *parser) skip() {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
}

func (p *parser) ident() string {
	p.skip()
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') {
			break
		}
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *parser) accept(c byte) bool {
	p.skip()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(c byte) error {
	if !p.accept(c) {
		return fmt.Errorf("expected %q at %d", c, p.pos)
	}
	return nil
}

func (p *parser) number() (int, error) {
	p.skip()
	start := p.pos
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	return strconv.Atoi(p.s[start:p.pos])
}

func (p *parser) parse(depth int) (*Type, error) {
	if depth > 32 {
		return nil, fmt.Errorf("nested too deeply")
	}
	name := p.ident()
	switch {
	case name == "integer":
		return &Type{Name: "int"}, nil
	case primitives[name]:
		return &Type{Name: name}, nil
	case name == "varchar" || name == "char":
		if p.accept('(') {
			if _, err := p.number(); err != nil {
				return nil, fmt.Errorf("%s needs a length", name)
			}
			if err := p.expect(')'); err != nil {
				return nil, err
			}
		}
		return &Type{Name: "string"}, nil
	case name == "decimal":
		t := &Type{Name: "decimal", Precision: 10}
		if p.accept('(') {
			var err error
			if t.Precision, err = p.number(); err != nil || t.Precision < 1 || t.Precision > 38 {
				return nil, fmt.Errorf("decimal precision must be 1 to 38")
			}
			if p.accept(',') {
				if t.Scale, err = p.number(); err != nil || t.Scale < 0 || t.Scale > t.Precision {
					return nil, fmt.Errorf("decimal scale must be 0 to the precision")
				}
			}
			if err := p.expect(')'); err != nil {
				return nil, err
			}
		}
		return t, nil
	case name == "array":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		elem, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "array", Elem: elem}, p.expect('>')
	case name == "map":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		key, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(','); err != nil {
			return nil, err
		}
		val, err := p.parse(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Type{Name: "map", Key: key, Elem: val}, p.expect('>')
	case name == "struct":
		if err := p.expect('<'); err != nil {
			return nil, err
		}
		t := &Type{Name: "struct"}
		for {
			fname := p.ident()
			if fname == "" {
				return nil, fmt.Errorf("expected a field name at %d", p.pos)
			}
			if err := p.expect(':'); err != nil {
				return nil, err
			}
			ft, err := p.parse(depth + 1)
			if err != nil {
				return nil, err
			}
			t.Fields = append(t.Fields, Field{Name: fname, Type: ft})
			if !p.accept(',') {
				break
			}
		}
		return t, p.expect('>')
	case name == "":
		return nil, fmt.Errorf("expected a type at %d", p.pos)
	}
	return nil, fmt.Errorf("unknown type %q", name)
}
