package dynamodb

import "math"

// Capacity units, as DynamoDB counts them for ReturnConsumedCapacity: a
// write costs one WCU per KB begun of the larger of the old and new item,
// and each index entry it adds, replaces or removes costs the same per KB
// of its projection (an index whose key changes pays for the removal and
// the addition; one whose projection does not change pays nothing). A
// read costs one RCU per 4 KB begun, half that when eventually
// consistent; a Query or Scan of an index is charged to the index.

// Capacity is the units charged to a table or one index.
type Capacity struct {
	CapacityUnits      float64  `json:"CapacityUnits"`
	ReadCapacityUnits  *float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *float64 `json:"WriteCapacityUnits,omitempty"`
}

// ConsumedCapacity is what a request cost, in capacity units. Table and
// the index maps are given for ReturnConsumedCapacity INDEXES.
type ConsumedCapacity struct {
	TableName              string              `json:"TableName"`
	CapacityUnits          float64             `json:"CapacityUnits"`
	ReadCapacityUnits      *float64            `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits     *float64            `json:"WriteCapacityUnits,omitempty"`
	Table                  *Capacity           `json:"Table,omitempty"`
	GlobalSecondaryIndexes map[string]Capacity `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes  map[string]Capacity `json:"LocalSecondaryIndexes,omitempty"`
}

// writeUnits is the WCUs of writing an item of size bytes: one per KB
// begun, at least one.
func writeUnits(size int) float64 { return math.Max(1, math.Ceil(float64(size)/1024)) }

// replaceUnits is the WCUs of a write from old to item (either nil): by
// the larger of the two, as DynamoDB charges PutItem, UpdateItem and
// DeleteItem, in batches and transactions too.
func replaceUnits(old, item Item) float64 { return writeUnits(max(itemSize(old), itemSize(item))) }

// readUnits is the RCUs of reading size bytes: one per 4 KB begun, half
// that for an eventually consistent read.
func readUnits(size int, consistent bool) float64 {
	u := math.Max(1, math.Ceil(float64(size)/4096))
	if !consistent {
		u /= 2
	}
	return u
}

// checkCapacityMode checks a request's ReturnConsumedCapacity.
func checkCapacityMode(mode string) error {
	switch mode {
	case "", "NONE", "TOTAL", "INDEXES":
		return nil
	}
	return modelValidation(mode, "returnConsumedCapacity", "satisfy enum value set: [INDEXES, TOTAL, NONE]")
}

// wantsCapacity tells whether a ReturnConsumedCapacity asks for a figure.
func wantsCapacity(mode string) bool { return mode == "TOTAL" || mode == "INDEXES" }

// units is a capacity figure of one kind.
func units(n float64, write bool) Capacity {
	c := Capacity{CapacityUnits: n}
	if write {
		c.WriteCapacityUnits = &n
	} else {
		c.ReadCapacityUnits = &n
	}
	return c
}

// consumed is the capacity of a request charged to its table alone.
func consumed(mode, table string, n float64, write bool) *ConsumedCapacity {
	return charged(mode, nil, table, n, nil, write)
}

// charged builds a ConsumedCapacity: tableUnits charged to the table and
// byIndex to rec's indexes (rec may be nil when byIndex is empty).
func charged(mode string, rec *tableRecord, table string, tableUnits float64, byIndex map[string]float64, write bool) *ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	total := tableUnits
	for _, n := range byIndex {
		total += n
	}
	u := units(total, write)
	c := &ConsumedCapacity{TableName: table, CapacityUnits: total, ReadCapacityUnits: u.ReadCapacityUnits, WriteCapacityUnits: u.WriteCapacityUnits}
	if mode != "INDEXES" {
		return c
	}
	t := units(tableUnits, write)
	c.Table = &t
	for name, n := range byIndex {
		m := &c.LocalSecondaryIndexes
		if ix := rec.index(name); ix != nil && ix.Global {
			m = &c.GlobalSecondaryIndexes
		}
		if *m == nil {
			*m = map[string]Capacity{}
		}
		(*m)[name] = units(n, write)
	}
	return c
}

// writeConsumed is the capacity of writing an item from old to item
// (either nil): the table's units and each index's. table is the table as
// the request named it, by name or ARN, which is how DynamoDB echoes it.
func writeConsumed(mode string, rec *tableRecord, table string, old, item Item) *ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	return charged(mode, rec, table, replaceUnits(old, item), rec.indexUnits(old, item), true)
}

// indexUnits is what a write from old to item costs each index it
// touches.
func (r *tableRecord) indexUnits(old, item Item) map[string]float64 {
	var out map[string]float64
	for i := range r.Indexes {
		ix := &r.Indexes[i]
		var was, is Item
		if old != nil && r.entryKey(ix, old) != nil {
			was = r.projectIndex(ix, old)
		}
		if item != nil && r.entryKey(ix, item) != nil {
			is = r.projectIndex(ix, item)
		}
		var n float64
		switch {
		case was == nil && is == nil:
			continue
		case was == nil:
			n = writeUnits(itemSize(is))
		case is == nil:
			n = writeUnits(itemSize(was))
		case string(r.entryKey(ix, old)) != string(r.entryKey(ix, item)):
			n = writeUnits(itemSize(was)) + writeUnits(itemSize(is))
		case sameItem(was, is):
			continue
		default: // the entry rewritten in place: the larger of the two, as the table's item
			n = writeUnits(max(itemSize(was), itemSize(is)))
		}
		if out == nil {
			out = map[string]float64{}
		}
		out[ix.IndexName] = n
	}
	return out
}

// indexCharges sums the index units of a batch's or a transaction's
// writes, by table as the request named it.
type indexCharges map[string]*indexCharge

type indexCharge struct {
	rec   *tableRecord
	units map[string]float64
}

// add charges one write's index units, times factor (transactional
// writes cost double).
func (c indexCharges) add(table string, rec *tableRecord, byIndex map[string]float64, factor float64) {
	t := c[table]
	if t == nil {
		t = &indexCharge{rec: rec, units: map[string]float64{}}
		c[table] = t
	}
	for name, n := range byIndex {
		t.units[name] += n * factor
	}
}

// charged is a table's ConsumedCapacity: tableUnits and its indexes'.
func (c indexCharges) charged(mode, table string, tableUnits float64) *ConsumedCapacity {
	if t := c[table]; t != nil && len(t.units) > 0 {
		return charged(mode, t.rec, table, tableUnits, t.units, true)
	}
	return consumed(mode, table, tableUnits, true)
}

// addConsumed adds c (which may be nil) to sum's figure for c's table:
// the capacity of a request made of several calls.
func addConsumed(sum map[string]*ConsumedCapacity, c *ConsumedCapacity) {
	if c == nil {
		return
	}
	t := sum[c.TableName]
	if t == nil {
		t = &ConsumedCapacity{TableName: c.TableName}
		sum[c.TableName] = t
	}
	t.CapacityUnits += c.CapacityUnits
	t.ReadCapacityUnits = addUnits(t.ReadCapacityUnits, c.ReadCapacityUnits)
	t.WriteCapacityUnits = addUnits(t.WriteCapacityUnits, c.WriteCapacityUnits)
	if c.Table != nil {
		if t.Table == nil {
			t.Table = &Capacity{}
		}
		t.Table.add(*c.Table)
	}
	t.GlobalSecondaryIndexes = addIndexUnits(t.GlobalSecondaryIndexes, c.GlobalSecondaryIndexes)
	t.LocalSecondaryIndexes = addIndexUnits(t.LocalSecondaryIndexes, c.LocalSecondaryIndexes)
}

func (c *Capacity) add(o Capacity) {
	c.CapacityUnits += o.CapacityUnits
	c.ReadCapacityUnits = addUnits(c.ReadCapacityUnits, o.ReadCapacityUnits)
	c.WriteCapacityUnits = addUnits(c.WriteCapacityUnits, o.WriteCapacityUnits)
}

func addIndexUnits(sum, o map[string]Capacity) map[string]Capacity {
	for name, c := range o {
		if sum == nil {
			sum = map[string]Capacity{}
		}
		x := sum[name]
		x.add(c)
		sum[name] = x
	}
	return sum
}

// addUnits is a+b for optional unit counts (nil when neither is given).
func addUnits(a, b *float64) *float64 {
	if b == nil {
		return a
	}
	n := *b
	if a != nil {
		n += *a
	}
	return &n
}
