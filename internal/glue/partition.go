package glue

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/maphash"
	"slices"
)

const (
	maxPartitionValueLen = 1024
	maxBatchCreate       = 100
	maxBatchGet          = 1000
	maxBatchDelete       = 25
	maxBatchUpdate       = 100
)

// partKey is the key of one partition.
func partKey(sc scope, db, table string, values []string) []byte {
	return appendTuple(sc.key(kindPartition, db, table), values...)
}

// checkValues validates a partition's values against the table's keys.
func checkValues(t *Table, values []string) error {
	if len(t.PartitionKeys) == 0 {
		return invalid("Table %s is not partitioned.", t.Name)
	}
	if len(values) != len(t.PartitionKeys) {
		return invalid("The number of partition keys do not match the number of partition values")
	}
	for _, v := range values {
		if len(v) > maxPartitionValueLen {
			return invalid("Partition values can be at most %d bytes long.", maxPartitionValueLen)
		}
	}
	return nil
}

// lockedTable takes the catalog lock shared and the table's stripe, then
// reads the table; release undoes both. Every write to a table's contents
// goes through it.
func (s *Service) lockedTable(ctx context.Context, catalogID, dbName, tableName string) (sc scope, rec *tableRecord, release func(), err error) {
	if sc, err = scopeOf(ctx, catalogID); err != nil {
		return sc, nil, nil, err
	}
	db, err := checkName("Database", dbName)
	if err != nil {
		return sc, nil, nil, err
	}
	tn, err := checkName("Table", tableName)
	if err != nil {
		return sc, nil, nil, err
	}
	s.catalogMu.RLock()
	unlock := s.lockTable(sc, db, tn)
	release = func() { unlock(); s.catalogMu.RUnlock() }
	if rec, err = s.table(sc, db, tn); err != nil {
		release()
		return sc, nil, nil, err
	}
	return sc, rec, release, nil
}

// readTable reads a table without locks, for reads.
func (s *Service) readTable(ctx context.Context, catalogID, dbName, tableName string) (scope, *tableRecord, error) {
	sc, err := scopeOf(ctx, catalogID)
	if err != nil {
		return sc, nil, err
	}
	rec, err := s.table(sc, dbName, tableName)
	return sc, rec, err
}

func (s *Service) newPartition(sc scope, t *Table, in *PartitionInput) *Partition {
	return &Partition{
		Values:            in.Values,
		DatabaseName:      t.DatabaseName,
		TableName:         t.Name,
		CreationTime:      s.now(),
		LastAccessTime:    in.LastAccessTime,
		StorageDescriptor: normalizeSD(in.StorageDescriptor),
		Parameters:        in.Parameters,
		LastAnalyzedTime:  in.LastAnalyzedTime,
		CatalogId:         sc.account,
	}
}

// putPartition adds p and its index entries to b.
func putPartition(b batch, sc scope, rec *tableRecord, p *Partition) {
	b.Set(partKey(sc, rec.DatabaseName, rec.Name, p.Values), mustJSON(p))
	for _, def := range rec.Indexes {
		b.Set(def.entry(sc, rec, p.Values), nil)
	}
}

// deletePartition adds the removal of the partition with values, its index
// entries and its column statistics to b.
func deletePartition(b batch, sc scope, rec *tableRecord, values []string) {
	b.Delete(partKey(sc, rec.DatabaseName, rec.Name, values))
	for _, def := range rec.Indexes {
		b.Delete(def.entry(sc, rec, values))
	}
	stats := appendTuple(sc.key(kindPartStat, rec.DatabaseName, rec.Name), values...)
	b.DeleteRange(stats, prefixEnd(stats))
}

// batch is what partition writes need of a meta batch.
type batch interface {
	Set(key, value []byte)
	Delete(key []byte)
	DeleteRange(start, end []byte)
}

type CreatePartitionInput struct {
	CatalogId      string          `json:"CatalogId,omitempty"`
	DatabaseName   string          `json:"DatabaseName"`
	TableName      string          `json:"TableName"`
	PartitionInput *PartitionInput `json:"PartitionInput"`
}

type CreatePartitionOutput struct{}

// CreatePartition adds one partition.
func (s *Service) CreatePartition(ctx context.Context, in *CreatePartitionInput) (*CreatePartitionOutput, error) {
	if in.PartitionInput == nil {
		return nil, invalid("PartitionInput is required.")
	}
	out, err := s.BatchCreatePartition(ctx, &BatchCreatePartitionInput{
		CatalogId: in.CatalogId, DatabaseName: in.DatabaseName, TableName: in.TableName,
		PartitionInputList: []*PartitionInput{in.PartitionInput},
	})
	if err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		d := out.Errors[0].ErrorDetail
		return nil, errorFromDetail(d)
	}
	return &CreatePartitionOutput{}, nil
}

type BatchCreatePartitionInput struct {
	CatalogId          string            `json:"CatalogId,omitempty"`
	DatabaseName       string            `json:"DatabaseName"`
	TableName          string            `json:"TableName"`
	PartitionInputList []*PartitionInput `json:"PartitionInputList"`
}

type BatchCreatePartitionOutput struct {
	Errors []PartitionError `json:"Errors"`
}

// BatchCreatePartition adds up to 100 partitions in one durable batch;
// partitions that exist already or are malformed are reported in Errors.
func (s *Service) BatchCreatePartition(ctx context.Context, in *BatchCreatePartitionInput) (*BatchCreatePartitionOutput, error) {
	if len(in.PartitionInputList) > maxBatchCreate {
		return nil, invalid("PartitionInputList can hold at most %d partitions.", maxBatchCreate)
	}
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	out := &BatchCreatePartitionOutput{Errors: []PartitionError{}}
	b := s.db.NewBatch()
	seen := map[string]bool{}
	for _, pin := range in.PartitionInputList {
		if pin == nil {
			continue
		}
		fail := func(err error) {
			out.Errors = append(out.Errors, PartitionError{PartitionValues: pin.Values, ErrorDetail: errorDetail(err)})
		}
		if err := checkValues(&rec.Table, pin.Values); err != nil {
			fail(err)
			continue
		}
		key := partKey(sc, rec.DatabaseName, rec.Name, pin.Values)
		has, err := s.db.Has(key)
		if err != nil {
			b.Close()
			return nil, err
		}
		if has || seen[string(key)] {
			fail(exists("Partition already exists."))
			continue
		}
		seen[string(key)] = true
		putPartition(b, sc, rec, s.newPartition(sc, &rec.Table, pin))
	}
	return out, b.Commit()
}

// errorFromDetail turns a batch error back into the error a single call
// returns.
func errorFromDetail(d *ErrorDetail) error {
	for _, e := range []*awsErr{ErrAlreadyExists, ErrEntityNotFound, ErrInvalidInput} {
		if e.Code == d.ErrorCode {
			return e.WithMessage("%s", d.ErrorMessage)
		}
	}
	return ErrInvalidInput.WithMessage("%s", d.ErrorMessage)
}

type GetPartitionInput struct {
	CatalogId       string   `json:"CatalogId,omitempty"`
	DatabaseName    string   `json:"DatabaseName"`
	TableName       string   `json:"TableName"`
	PartitionValues []string `json:"PartitionValues"`
}

type GetPartitionOutput struct {
	Partition *Partition `json:"Partition"`
}

// GetPartition returns one partition.
func (s *Service) GetPartition(ctx context.Context, in *GetPartitionInput) (*GetPartitionOutput, error) {
	sc, rec, err := s.readTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if err := checkValues(&rec.Table, in.PartitionValues); err != nil {
		return nil, err
	}
	var p Partition
	ok, err := s.getJSON(partKey(sc, rec.DatabaseName, rec.Name, in.PartitionValues), &p)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("Cannot find partition.")
	}
	return &GetPartitionOutput{Partition: &p}, nil
}

type BatchGetPartitionInput struct {
	CatalogId       string               `json:"CatalogId,omitempty"`
	DatabaseName    string               `json:"DatabaseName"`
	TableName       string               `json:"TableName"`
	PartitionsToGet []PartitionValueList `json:"PartitionsToGet"`
}

type BatchGetPartitionOutput struct {
	Partitions      []*Partition         `json:"Partitions"`
	UnprocessedKeys []PartitionValueList `json:"UnprocessedKeys"`
}

// BatchGetPartition returns the partitions that exist among up to 1,000.
func (s *Service) BatchGetPartition(ctx context.Context, in *BatchGetPartitionInput) (*BatchGetPartitionOutput, error) {
	if len(in.PartitionsToGet) > maxBatchGet {
		return nil, invalid("PartitionsToGet can hold at most %d partitions.", maxBatchGet)
	}
	sc, rec, err := s.readTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	out := &BatchGetPartitionOutput{Partitions: []*Partition{}, UnprocessedKeys: []PartitionValueList{}}
	for _, pv := range in.PartitionsToGet {
		if err := checkValues(&rec.Table, pv.Values); err != nil {
			return nil, err
		}
		var p Partition
		ok, err := s.getJSON(partKey(sc, rec.DatabaseName, rec.Name, pv.Values), &p)
		if err != nil {
			return nil, err
		}
		if ok {
			out.Partitions = append(out.Partitions, &p)
		}
	}
	return out, nil
}

type Segment struct {
	SegmentNumber int64 `json:"SegmentNumber"`
	TotalSegments int64 `json:"TotalSegments"`
}

type GetPartitionsInput struct {
	CatalogId           string          `json:"CatalogId,omitempty"`
	DatabaseName        string          `json:"DatabaseName"`
	TableName           string          `json:"TableName"`
	Expression          string          `json:"Expression,omitempty"`
	NextToken           string          `json:"NextToken,omitempty"`
	Segment             *Segment        `json:"Segment,omitempty"`
	MaxResults          int64           `json:"MaxResults,omitempty"`
	ExcludeColumnSchema *bool           `json:"ExcludeColumnSchema,omitempty"`
	TransactionId       string          `json:"TransactionId,omitempty"`
	QueryAsOfTime       json.RawMessage `json:"QueryAsOfTime,omitempty"`
}

type GetPartitionsOutput struct {
	Partitions []*Partition `json:"Partitions"`
	NextToken  string       `json:"NextToken,omitempty"`
}

// GetPartitions returns a table's partitions in value order, those that
// satisfy Expression when it is given. Equality and IN constraints on
// leading partition keys (or on the leading keys of a partition index)
// become key-range seeks; the rest of the expression is evaluated on the
// values decoded from the keys, so a partition's record is read only when
// it is returned.
func (s *Service) GetPartitions(ctx context.Context, in *GetPartitionsInput) (*GetPartitionsOutput, error) {
	if in.TransactionId != "" || in.QueryAsOfTime != nil {
		return nil, notSupported("Governed-table transactions and QueryAsOfTime")
	}
	limit, err := pageSize(in.MaxResults, maxPartitionPage)
	if err != nil {
		return nil, err
	}
	seg := Segment{SegmentNumber: 0, TotalSegments: 1}
	if in.Segment != nil {
		seg = *in.Segment
		if seg.TotalSegments < 1 || seg.TotalSegments > 10 || seg.SegmentNumber < 0 || seg.SegmentNumber >= seg.TotalSegments {
			return nil, invalid("Segment must have 1 to 10 TotalSegments and a SegmentNumber below TotalSegments.")
		}
	}
	sc, rec, err := s.readTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	var filter pred
	if in.Expression != "" {
		if filter, err = parseExpr(in.Expression, rec.PartitionKeys); err != nil {
			return nil, err
		}
	}
	var after []byte
	if in.NextToken != "" {
		if after, err = decodeToken(in.NextToken); err != nil {
			return nil, err
		}
	}
	q := &partitionQuery{
		s: s, sc: sc, rec: rec, filter: filter, after: after, limit: limit, seg: seg,
		excludeColumns: in.ExcludeColumnSchema != nil && *in.ExcludeColumnSchema,
	}
	return q.run()
}

type partitionQuery struct {
	s              *Service
	sc             scope
	rec            *tableRecord
	filter         pred
	after          []byte // resume at this tuple (inclusive)
	limit          int
	seg            Segment
	excludeColumns bool

	out *GetPartitionsOutput
}

// keep reports whether the partition with encoded tuple enc and values
// belongs in the answer.
func (q *partitionQuery) keep(enc []byte, values []string) bool {
	if q.seg.TotalSegments > 1 && int64(maphash.Bytes(q.s.seed, enc)%uint64(q.seg.TotalSegments)) != q.seg.SegmentNumber {
		return false
	}
	return q.filter == nil || q.filter.eval(values)
}

// add appends a partition record; it reports false once the page is full
// (and sets NextToken to enc).
func (q *partitionQuery) add(enc, v []byte) (bool, error) {
	if len(q.out.Partitions) == q.limit {
		q.out.NextToken = encodeToken(enc)
		return false, nil
	}
	var p Partition
	if err := json.Unmarshal(v, &p); err != nil {
		return false, err
	}
	if q.excludeColumns && p.StorageDescriptor != nil {
		p.StorageDescriptor.Columns = nil
	}
	q.out.Partitions = append(q.out.Partitions, &p)
	return true, nil
}

func (q *partitionQuery) run() (*GetPartitionsOutput, error) {
	q.out = &GetPartitionsOutput{Partitions: []*Partition{}}
	nkeys := len(q.rec.PartitionKeys)
	pl := planFor(q.filter, q.rec)
	base := q.s.partPrefix(q.sc, q.rec)
	if pl.index != nil {
		return q.out, q.viaIndex(pl, base)
	}
	for _, prefix := range pl.prefixes {
		lower, upper := pl.bounds(base, prefix)
		if bytes.Compare(lower, upper) >= 0 {
			continue
		}
		if q.after != nil {
			resume := append(append([]byte(nil), base...), q.after...)
			if bytes.Compare(resume, upper) >= 0 {
				continue
			}
			if bytes.Compare(resume, lower) > 0 {
				lower = resume
			}
		}
		more := true
		err := q.s.scanLazy(lower, upper, func(k []byte, value func() ([]byte, error)) (bool, error) {
			enc := k[len(base):]
			values, rest, err := readTuple(enc, nkeys)
			if err != nil || len(rest) != 0 {
				return false, errBadTuple
			}
			if !q.keep(enc, values) {
				return true, nil
			}
			v, err := value()
			if err != nil {
				return false, err
			}
			more, err = q.add(bytes.Clone(enc), v)
			return more, err
		})
		if err != nil || !more {
			return q.out, err
		}
	}
	return q.out, nil
}

// viaIndex answers from a partition index: it collects the matching
// partitions' tuples from the index entries, sorts them, and reads the
// page's records.
func (q *partitionQuery) viaIndex(pl plan, base []byte) error {
	nkeys := len(q.rec.PartitionKeys)
	idxBase := pl.index.prefix(q.sc, q.rec)
	var tuples [][]byte
	for _, prefix := range pl.prefixes {
		lower, upper := pl.bounds(idxBase, prefix)
		if bytes.Compare(lower, upper) >= 0 {
			continue
		}
		err := q.s.scanLazy(lower, upper, func(k []byte, _ func() ([]byte, error)) (bool, error) {
			_, rest, err := readTuple(k[len(idxBase):], len(pl.index.Keys))
			if err != nil {
				return false, err
			}
			values, tail, err := readTuple(rest, nkeys)
			if err != nil || len(tail) != 0 {
				return false, errBadTuple
			}
			if (q.after == nil || bytes.Compare(rest, q.after) >= 0) && q.keep(rest, values) {
				tuples = append(tuples, bytes.Clone(rest))
			}
			return true, nil
		})
		if err != nil {
			return err
		}
	}
	slices.SortFunc(tuples, bytes.Compare)
	tuples = slices.CompactFunc(tuples, bytes.Equal)
	for _, enc := range tuples {
		v, err := q.s.db.Get(append(append([]byte(nil), base...), enc...))
		if err != nil {
			return err // an index entry always has its partition
		}
		if more, err := q.add(enc, v); err != nil || !more {
			return err
		}
	}
	return nil
}

func (s *Service) partPrefix(sc scope, rec *tableRecord) []byte {
	return sc.key(kindPartition, rec.DatabaseName, rec.Name)
}

// scanLazy is scan that reads a value only when fn asks for it.
func (s *Service) scanLazy(lower, upper []byte, fn func(k []byte, value func() ([]byte, error)) (bool, error)) error {
	it, err := s.db.NewIter(lower, upper)
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		more, err := fn(it.Key(), it.Value)
		if err != nil {
			it.Close()
			return err
		}
		if !more {
			break
		}
	}
	return it.Close()
}

func (s *Service) hasPartitions(sc scope, db, table string) (bool, error) {
	p := sc.key(kindPartition, db, table)
	found := false
	err := s.scanLazy(p, prefixEnd(p), func([]byte, func() ([]byte, error)) (bool, error) {
		found = true
		return false, nil
	})
	return found, err
}

type UpdatePartitionInput struct {
	CatalogId          string          `json:"CatalogId,omitempty"`
	DatabaseName       string          `json:"DatabaseName"`
	TableName          string          `json:"TableName"`
	PartitionValueList []string        `json:"PartitionValueList"`
	PartitionInput     *PartitionInput `json:"PartitionInput"`
}

type UpdatePartitionOutput struct{}

// UpdatePartition replaces a partition's definition (its values may change).
func (s *Service) UpdatePartition(ctx context.Context, in *UpdatePartitionInput) (*UpdatePartitionOutput, error) {
	out, err := s.BatchUpdatePartition(ctx, &BatchUpdatePartitionInput{
		CatalogId: in.CatalogId, DatabaseName: in.DatabaseName, TableName: in.TableName,
		Entries: []BatchUpdatePartitionEntry{{PartitionValueList: in.PartitionValueList, PartitionInput: in.PartitionInput}},
	})
	if err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return nil, errorFromDetail(out.Errors[0].ErrorDetail)
	}
	return &UpdatePartitionOutput{}, nil
}

type BatchUpdatePartitionEntry struct {
	PartitionValueList []string        `json:"PartitionValueList"`
	PartitionInput     *PartitionInput `json:"PartitionInput"`
}

type BatchUpdatePartitionFailure struct {
	PartitionValueList []string     `json:"PartitionValueList"`
	ErrorDetail        *ErrorDetail `json:"ErrorDetail"`
}

type BatchUpdatePartitionInput struct {
	CatalogId    string                      `json:"CatalogId,omitempty"`
	DatabaseName string                      `json:"DatabaseName"`
	TableName    string                      `json:"TableName"`
	Entries      []BatchUpdatePartitionEntry `json:"Entries"`
}

type BatchUpdatePartitionOutput struct {
	Errors []BatchUpdatePartitionFailure `json:"Errors"`
}

// BatchUpdatePartition updates up to 100 partitions in one batch.
func (s *Service) BatchUpdatePartition(ctx context.Context, in *BatchUpdatePartitionInput) (*BatchUpdatePartitionOutput, error) {
	if len(in.Entries) > maxBatchUpdate {
		return nil, invalid("Entries can hold at most %d partitions.", maxBatchUpdate)
	}
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	out := &BatchUpdatePartitionOutput{Errors: []BatchUpdatePartitionFailure{}}
	b := s.db.NewBatch()
	for _, e := range in.Entries {
		fail := func(err error) {
			out.Errors = append(out.Errors, BatchUpdatePartitionFailure{PartitionValueList: e.PartitionValueList, ErrorDetail: errorDetail(err)})
		}
		if e.PartitionInput == nil {
			fail(invalid("PartitionInput is required."))
			continue
		}
		if err := checkValues(&rec.Table, e.PartitionValueList); err != nil {
			fail(err)
			continue
		}
		var old Partition
		ok, err := s.getJSON(partKey(sc, rec.DatabaseName, rec.Name, e.PartitionValueList), &old)
		if err != nil {
			b.Close()
			return nil, err
		}
		if !ok {
			fail(notFound("Cannot find partition."))
			continue
		}
		pin := *e.PartitionInput
		if pin.Values == nil {
			pin.Values = old.Values
		}
		if err := checkValues(&rec.Table, pin.Values); err != nil {
			fail(err)
			continue
		}
		moved := !slices.Equal(pin.Values, old.Values)
		if moved {
			if has, err := s.db.Has(partKey(sc, rec.DatabaseName, rec.Name, pin.Values)); err != nil {
				b.Close()
				return nil, err
			} else if has {
				fail(exists("Partition already exists."))
				continue
			}
			deletePartition(b, sc, rec, old.Values)
		}
		p := s.newPartition(sc, &rec.Table, &pin)
		p.CreationTime = old.CreationTime
		putPartition(b, sc, rec, p)
	}
	return out, b.Commit()
}

type DeletePartitionInput struct {
	CatalogId       string   `json:"CatalogId,omitempty"`
	DatabaseName    string   `json:"DatabaseName"`
	TableName       string   `json:"TableName"`
	PartitionValues []string `json:"PartitionValues"`
}

type DeletePartitionOutput struct{}

// DeletePartition removes one partition.
func (s *Service) DeletePartition(ctx context.Context, in *DeletePartitionInput) (*DeletePartitionOutput, error) {
	out, err := s.BatchDeletePartition(ctx, &BatchDeletePartitionInput{
		CatalogId: in.CatalogId, DatabaseName: in.DatabaseName, TableName: in.TableName,
		PartitionsToDelete: []PartitionValueList{{Values: in.PartitionValues}},
	})
	if err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return nil, errorFromDetail(out.Errors[0].ErrorDetail)
	}
	return &DeletePartitionOutput{}, nil
}

type BatchDeletePartitionInput struct {
	CatalogId          string               `json:"CatalogId,omitempty"`
	DatabaseName       string               `json:"DatabaseName"`
	TableName          string               `json:"TableName"`
	PartitionsToDelete []PartitionValueList `json:"PartitionsToDelete"`
}

type BatchDeletePartitionOutput struct {
	Errors []PartitionError `json:"Errors"`
}

// BatchDeletePartition removes up to 25 partitions in one batch.
func (s *Service) BatchDeletePartition(ctx context.Context, in *BatchDeletePartitionInput) (*BatchDeletePartitionOutput, error) {
	if len(in.PartitionsToDelete) > maxBatchDelete {
		return nil, invalid("PartitionsToDelete can hold at most %d partitions.", maxBatchDelete)
	}
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	out := &BatchDeletePartitionOutput{Errors: []PartitionError{}}
	b := s.db.NewBatch()
	for _, pv := range in.PartitionsToDelete {
		fail := func(err error) {
			out.Errors = append(out.Errors, PartitionError{PartitionValues: pv.Values, ErrorDetail: errorDetail(err)})
		}
		if err := checkValues(&rec.Table, pv.Values); err != nil {
			fail(err)
			continue
		}
		has, err := s.db.Has(partKey(sc, rec.DatabaseName, rec.Name, pv.Values))
		if err != nil {
			b.Close()
			return nil, err
		}
		if !has {
			fail(notFound("Cannot find partition."))
			continue
		}
		deletePartition(b, sc, rec, pv.Values)
	}
	return out, b.Commit()
}
