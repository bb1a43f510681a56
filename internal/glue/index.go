package glue

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
)

// Partition indexes: a secondary index over some partition keys, kept in
// the same batch as the partitions, so GetPartitions can seek by keys that
// do not lead the partition key order.

const maxIndexesPerTable = 3

// indexDef is a partition index as stored in its table's record.
type indexDef struct {
	Name string   `json:"name"`
	Keys []string `json:"keys"` // partition key names, as declared
}

type PartitionIndex struct {
	Keys      []string `json:"Keys"`
	IndexName string   `json:"IndexName"`
}

type KeySchemaElement struct {
	Name string `json:"Name"`
	Type string `json:"Type"`
}

type PartitionIndexDescriptor struct {
	IndexName      string             `json:"IndexName"`
	Keys           []KeySchemaElement `json:"Keys"`
	IndexStatus    string             `json:"IndexStatus"`
	BackfillErrors []any              `json:"BackfillErrors,omitempty"`
}

// newIndex validates an index for t, next to the table's other indexes.
func newIndex(t *Table, others []*indexDef, in *PartitionIndex) (*indexDef, error) {
	name, err := checkName("Index", in.IndexName)
	if err != nil {
		return nil, err
	}
	if len(others) >= maxIndexesPerTable {
		return nil, ErrResourceLimit.WithMessage("A table can have at most %d partition indexes.", maxIndexesPerTable)
	}
	for _, o := range others {
		if o.Name == name {
			return nil, exists("Partition index %s already exists.", name)
		}
	}
	if len(in.Keys) == 0 {
		return nil, invalid("A partition index needs at least one key.")
	}
	def := &indexDef{Name: name}
	for _, k := range in.Keys {
		i := keyIndex(t, k)
		if i < 0 {
			return nil, invalid("Index key %s is not a partition key of table %s.", k, t.Name)
		}
		def.Keys = append(def.Keys, t.PartitionKeys[i].Name)
	}
	return def, def.check(t)
}

// check verifies that the index's keys are partition keys of t of a type
// Glue can index.
func (d *indexDef) check(t *Table) error {
	for _, k := range d.Keys {
		i := keyIndex(t, k)
		if i < 0 {
			return invalid("Partition key %s is used by partition index %s and cannot be removed.", k, d.Name)
		}
		switch typ := strings.ToLower(t.PartitionKeys[i].Type); typ {
		case "string", "char", "varchar", "date", "int", "integer", "bigint", "long", "tinyint", "smallint", "":
		default:
			if !strings.HasPrefix(typ, "varchar(") && !strings.HasPrefix(typ, "char(") {
				return invalid("Partition key %s of type %s cannot be indexed.", k, typ)
			}
		}
	}
	return nil
}

func keyIndex(t *Table, name string) int {
	for i, k := range t.PartitionKeys {
		if strings.EqualFold(k.Name, name) {
			return i
		}
	}
	return -1
}

// cols returns the positions of the index's keys among t's partition keys.
func (d *indexDef) cols(t *Table) []int {
	c := make([]int, len(d.Keys))
	for i, k := range d.Keys {
		c[i] = keyIndex(t, k)
	}
	return c
}

func (d *indexDef) prefix(sc scope, rec *tableRecord) []byte {
	return sc.key(kindIndex, rec.DatabaseName, rec.Name, d.Name)
}

// entry is the index key of the partition with values.
func (d *indexDef) entry(sc scope, rec *tableRecord, values []string) []byte {
	k := d.prefix(sc, rec)
	for _, c := range d.cols(&rec.Table) {
		k = appendTuple(k, values[c])
	}
	return appendTuple(k, values...)
}

// plan is how GetPartitions finds candidates: the tuple prefixes to scan,
// in order, in the partitions themselves or in one index.
type plan struct {
	index    *indexDef
	prefixes [][]byte
	// lo and hi bound the next column after each prefix when a range
	// constrains it (text columns only): keys from prefix+lo (inclusive)
	// to prefix+hi (exclusive); nil is open.
	lo, hi []byte
}

// bounds returns the key range of one prefix under base.
func (p plan) bounds(base, prefix []byte) (lower, upper []byte) {
	start := append(append([]byte(nil), base...), prefix...)
	lower, upper = start, prefixEnd(start)
	if p.lo != nil {
		lower = append(append([]byte(nil), start...), p.lo...)
	}
	if p.hi != nil {
		upper = append(append([]byte(nil), start...), p.hi...)
	}
	return lower, upper
}

// maxPlanPrefixes bounds the cartesian product of IN lists a plan seeks.
const maxPlanPrefixes = 10000

// planFor picks the access path for filter: the one whose leading keys are
// pinned to the most keys by equality or IN.
func planFor(filter pred, rec *tableRecord) plan {
	sets := make([][]string, len(rec.PartitionKeys))
	if filter != nil {
		collectEq(filter, sets)
	}
	primary := make([]int, len(rec.PartitionKeys))
	for i := range primary {
		primary[i] = i
	}
	bestCols, best := primary, plan{prefixes: prefixesFor(sets, primary)}
	bestLen := pinned(sets, primary)
	for _, def := range rec.Indexes {
		cols := def.cols(&rec.Table)
		if n := pinned(sets, cols); n > bestLen {
			bestCols, best, bestLen = cols, plan{index: def, prefixes: prefixesFor(sets, cols)}, n
		}
	}
	if filter != nil && bestLen < len(bestCols) {
		next := bestCols[bestLen]
		if kindOf(rec.PartitionKeys[next].Type) == kindText {
			best.lo, best.hi = textRange(filter, next)
		}
	}
	return best
}

// textRange bounds a text column by the comparisons AND-ed at the top of
// filter, as tuple-key suffixes: values >= v start at esc(v), values > v
// at esc(v) 0x00 0x02, values <= v end before esc(v) 0x00 0x02 and values
// < v before esc(v) (esc being a tuple element without its terminator).
func textRange(filter pred, col int) (lo, hi []byte) {
	esc := func(v string) []byte { t := appendTuple(nil, v); return t[:len(t)-2] }
	var walk func(pred)
	walk = func(p pred) {
		switch n := p.(type) {
		case andPred:
			walk(n.l)
			walk(n.r)
		case cmpPred:
			if n.col != col || n.kind != kindText {
				return
			}
			var l, h []byte
			switch n.op {
			case ">=":
				l = esc(n.lit.text)
			case ">":
				l = append(esc(n.lit.text), 0, 2)
			case "<=":
				h = append(esc(n.lit.text), 0, 2)
			case "<":
				h = esc(n.lit.text)
			}
			if l != nil && (lo == nil || bytes.Compare(l, lo) > 0) {
				lo = l
			}
			if h != nil && (hi == nil || bytes.Compare(h, hi) < 0) {
				hi = h
			}
		}
	}
	walk(filter)
	return lo, hi
}

// pinned counts the leading columns with an equality set, within the
// prefix budget.
func pinned(sets [][]string, cols []int) int {
	n, product := 0, 1
	for _, c := range cols {
		if sets[c] == nil || product*len(sets[c]) > maxPlanPrefixes {
			break
		}
		product *= len(sets[c])
		n++
	}
	return n
}

// prefixesFor returns the sorted tuple prefixes the pinned columns allow.
func prefixesFor(sets [][]string, cols []int) [][]byte {
	prefixes := [][]byte{nil}
	for _, c := range cols[:pinned(sets, cols)] {
		var next [][]byte
		for _, p := range prefixes {
			for _, v := range sets[c] {
				next = append(next, appendTuple(bytes.Clone(p), v))
			}
		}
		prefixes = next
	}
	slices.SortFunc(prefixes, bytes.Compare)
	return slices.CompactFunc(prefixes, bytes.Equal)
}

// collectEq records, for each column, the values an AND-ed equality or IN
// constraint allows (intersecting several). Only values whose text is the
// only one the column's type can match are used: strings as written,
// integers in canonical decimal form.
func collectEq(p pred, sets [][]string) {
	switch n := p.(type) {
	case andPred:
		collectEq(n.l, sets)
		collectEq(n.r, sets)
	case cmpPred:
		if n.op == "=" {
			if v, ok := canonical(n.lit, n.kind); ok {
				narrow(sets, n.col, []string{v})
			}
		}
	case inPred:
		var vs []string
		for _, l := range n.lits {
			v, ok := canonical(l, n.kind)
			if !ok {
				return
			}
			vs = append(vs, v)
		}
		narrow(sets, n.col, vs)
	}
}

func canonical(l literal, kind valueKind) (string, bool) {
	switch kind {
	case kindText:
		return l.text, true
	case kindInt:
		if l.isInt {
			return strconv.FormatInt(l.i, 10), true
		}
	}
	return "", false
}

func narrow(sets [][]string, col int, vs []string) {
	if sets[col] == nil {
		sets[col] = slices.Compact(slices.Sorted(slices.Values(vs)))
		return
	}
	var both []string
	for _, v := range sets[col] {
		if slices.Contains(vs, v) {
			both = append(both, v)
		}
	}
	if both == nil {
		both = []string{} // contradictory: nothing matches
	}
	sets[col] = both
}

type CreatePartitionIndexInput struct {
	CatalogId      string          `json:"CatalogId,omitempty"`
	DatabaseName   string          `json:"DatabaseName"`
	TableName      string          `json:"TableName"`
	PartitionIndex *PartitionIndex `json:"PartitionIndex"`
}

type CreatePartitionIndexOutput struct{}

// CreatePartitionIndex adds an index and backfills it from the existing
// partitions in the same batch, so it is ACTIVE as soon as it exists.
func (s *Service) CreatePartitionIndex(ctx context.Context, in *CreatePartitionIndexInput) (*CreatePartitionIndexOutput, error) {
	if in.PartitionIndex == nil {
		return nil, invalid("PartitionIndex is required.")
	}
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	def, err := newIndex(&rec.Table, rec.Indexes, in.PartitionIndex)
	if err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	base := s.partPrefix(sc, rec)
	n := len(rec.PartitionKeys)
	err = s.scanLazy(base, prefixEnd(base), func(k []byte, _ func() ([]byte, error)) (bool, error) {
		values, _, err := readTuple(k[len(base):], n)
		if err != nil {
			return false, err
		}
		b.Set(def.entry(sc, rec, values), nil)
		return true, nil
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	rec.Indexes = append(rec.Indexes, def)
	b.Set(sc.key(kindTable, rec.DatabaseName, rec.Name), mustJSON(rec))
	return &CreatePartitionIndexOutput{}, b.Commit()
}

type GetPartitionIndexesInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	NextToken    string `json:"NextToken,omitempty"`
}

type GetPartitionIndexesOutput struct {
	PartitionIndexDescriptorList []PartitionIndexDescriptor `json:"PartitionIndexDescriptorList"`
}

// GetPartitionIndexes lists a table's indexes (at most three: one page).
func (s *Service) GetPartitionIndexes(ctx context.Context, in *GetPartitionIndexesInput) (*GetPartitionIndexesOutput, error) {
	_, rec, err := s.readTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	out := &GetPartitionIndexesOutput{PartitionIndexDescriptorList: []PartitionIndexDescriptor{}}
	for _, def := range rec.Indexes {
		d := PartitionIndexDescriptor{IndexName: def.Name, IndexStatus: "ACTIVE"}
		for _, c := range def.cols(&rec.Table) {
			k := rec.PartitionKeys[c]
			d.Keys = append(d.Keys, KeySchemaElement{Name: k.Name, Type: k.Type})
		}
		out.PartitionIndexDescriptorList = append(out.PartitionIndexDescriptorList, d)
	}
	return out, nil
}

type DeletePartitionIndexInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	IndexName    string `json:"IndexName"`
}

type DeletePartitionIndexOutput struct{}

// DeletePartitionIndex drops an index and its entries.
func (s *Service) DeletePartitionIndex(ctx context.Context, in *DeletePartitionIndexInput) (*DeletePartitionIndexOutput, error) {
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	name := strings.ToLower(in.IndexName)
	i := slices.IndexFunc(rec.Indexes, func(d *indexDef) bool { return d.Name == name })
	if i < 0 {
		return nil, notFound("Partition index %s not found.", in.IndexName)
	}
	p := rec.Indexes[i].prefix(sc, rec)
	rec.Indexes = slices.Delete(rec.Indexes, i, i+1)
	b := s.db.NewBatch()
	b.DeleteRange(p, prefixEnd(p))
	b.Set(sc.key(kindTable, rec.DatabaseName, rec.Name), mustJSON(rec))
	return &DeletePartitionIndexOutput{}, b.Commit()
}
