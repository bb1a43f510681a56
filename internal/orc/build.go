package orc

import (
	"fmt"
	"math/big"
	"time"

	"github.com/lakebox/lakebox/internal/hivetype"
)

// Builder gathers rows into the columns of a stripe, one value at a time,
// in the order of the type tree: a row's fields, a list's elements, a
// map's keys each followed by its value, a struct's fields. WriteStripe
// checks that the values fit the types.
type Builder struct {
	types []Type
	cols  []*Column // by type id
	size  int
}

// NewBuilder starts an empty stripe of the given types.
func NewBuilder(types []Type) *Builder {
	b := &Builder{types: types}
	b.Reset()
	return b
}

// Reset empties the stripe.
func (b *Builder) Reset() {
	b.cols = make([]*Column, len(b.types))
	for id := range b.types {
		b.cols[id] = &Column{ID: id}
	}
	for id, t := range b.types {
		for _, c := range t.Children {
			b.cols[id].Children = append(b.cols[id].Children, b.cols[c])
		}
	}
	b.size = 0
}

// Stripe returns the stripe's row column, for WriteStripe.
func (b *Builder) Stripe() *Column { return b.cols[0] }

// Rows counts the stripe's rows.
func (b *Builder) Rows() int { return b.cols[0].Rows }

// Size is roughly how many bytes the stripe's values take.
func (b *Builder) Size() int { return b.size }

// Child is the type id of child i of type id.
func (b *Builder) Child(id, i int) int { return b.types[id].Children[i] }

func (b *Builder) value(id int) *Column {
	c := b.cols[id]
	c.Rows++
	c.Present = append(c.Present, true)
	b.size += 8
	return c
}

// Row starts a row: its fields follow.
func (b *Builder) Row() { b.value(0) }

// Null adds a NULL to column id.
func (b *Builder) Null(id int) {
	c := b.cols[id]
	c.Rows++
	c.Present = append(c.Present, false)
}

func (b *Builder) Bool(id int, v bool) {
	c := b.value(id)
	c.Bools = append(c.Bools, v)
}

// Int adds a Byte, Short, Int, Long or Date (days since 1970) value.
func (b *Builder) Int(id int, v int64) {
	c := b.value(id)
	c.Ints = append(c.Ints, v)
}

func (b *Builder) Float(id int, v float64) {
	c := b.value(id)
	c.Floats = append(c.Floats, v)
}

// Bytes adds a String, Varchar, Char or Binary value; the Builder keeps v.
func (b *Builder) Bytes(id int, v []byte) {
	c := b.value(id)
	c.Bytes = append(c.Bytes, v)
	b.size += len(v)
}

// Decimal adds an unscaled value of the given scale.
func (b *Builder) Decimal(id int, unscaled *big.Int, scale int64) {
	c := b.value(id)
	c.Decimals = append(c.Decimals, unscaled)
	c.Scales = append(c.Scales, scale)
}

// Time adds a Timestamp (its wall-clock time) or TimestampInstant value.
func (b *Builder) Time(id int, t time.Time) {
	c := b.value(id)
	c.Times = append(c.Times, t)
}

// Len adds a List's or Map's value of n entries: n elements, or n keys
// each followed by its value, follow.
func (b *Builder) Len(id int, n int) {
	c := b.value(id)
	c.Lengths = append(c.Lengths, int64(n))
}

// Struct adds a Struct value: its fields follow.
func (b *Builder) Struct(id int) { b.value(id) }

// FromHive lays out columns of Hive types as ORC's type tree: the row
// struct is type 0, and each type is followed by its children's subtrees.
// varchar(n) and char(n) are written as strings.
func FromHive(names []string, types []*hivetype.Type) ([]Type, error) {
	out := []Type{{Kind: Struct}}
	for i, t := range types {
		id, err := appendHive(&out, t, 0)
		if err != nil {
			return nil, fmt.Errorf("column %s: %v", names[i], err)
		}
		out[0].Children = append(out[0].Children, id)
		out[0].Names = append(out[0].Names, names[i])
	}
	return out, nil
}

var hiveKinds = map[string]Kind{
	"string": String, "boolean": Boolean, "tinyint": Byte, "smallint": Short, "int": Int, "integer": Int,
	"bigint": Long, "float": Float, "double": Double, "date": Date, "timestamp": Timestamp,
	"binary": Binary, "decimal": Decimal, "array": List, "map": Map, "struct": Struct,
}

func appendHive(types *[]Type, t *hivetype.Type, depth int) (int, error) {
	kind, ok := hiveKinds[t.Name]
	if !ok {
		return 0, fmt.Errorf("the type %s cannot be written to ORC", t.Name)
	}
	if depth > maxDepth {
		return 0, fmt.Errorf("types nested too deep")
	}
	id := len(*types)
	*types = append(*types, Type{Kind: kind, Precision: t.Precision, Scale: t.Scale})
	var children []*hivetype.Type
	switch t.Name {
	case "array":
		children = []*hivetype.Type{t.Elem}
	case "map":
		children = []*hivetype.Type{t.Key, t.Elem}
	case "struct":
		for _, f := range t.Fields {
			children = append(children, f.Type)
			(*types)[id].Names = append((*types)[id].Names, f.Name)
		}
	}
	for _, c := range children {
		cid, err := appendHive(types, c, depth+1)
		if err != nil {
			return 0, err
		}
		(*types)[id].Children = append((*types)[id].Children, cid)
	}
	return id, nil
}
