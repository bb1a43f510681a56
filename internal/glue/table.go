package glue

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// tableRecord is a table as stored: the Table Glue returns plus Lakebox's
// bookkeeping, which never reaches the wire.
type tableRecord struct {
	Table
	Version int64       `json:"lakeboxVersion"`
	Indexes []*indexDef `json:"lakeboxIndexes,omitempty"`
}

type CreateTableInput struct {
	CatalogId            string           `json:"CatalogId,omitempty"`
	DatabaseName         string           `json:"DatabaseName"`
	Name                 string           `json:"Name,omitempty"`
	TableInput           *TableInput      `json:"TableInput"`
	PartitionIndexes     []PartitionIndex `json:"PartitionIndexes,omitempty"`
	TransactionId        string           `json:"TransactionId,omitempty"`
	OpenTableFormatInput json.RawMessage  `json:"OpenTableFormatInput,omitempty"`
}

type CreateTableOutput struct{}

// CreateTable creates a table (or view) in an existing database.
func (s *Service) CreateTable(ctx context.Context, in *CreateTableInput) (*CreateTableOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TableInput == nil {
		return nil, invalid("TableInput is required.")
	}
	if in.TransactionId != "" {
		return nil, notSupported("Governed-table transactions")
	}
	if in.OpenTableFormatInput != nil {
		return nil, notSupported("OpenTableFormatInput (Iceberg tables created by Glue)")
	}
	if in.Name != "" && !strings.EqualFold(in.Name, in.TableInput.Name) {
		return nil, invalid("Name and TableInput.Name must match.")
	}
	s.catalogMu.RLock()
	defer s.catalogMu.RUnlock()
	db, err := s.database(sc, in.DatabaseName)
	if err != nil {
		return nil, err
	}
	t, err := tableFrom(in.TableInput)
	if err != nil {
		return nil, err
	}
	defer s.lockTable(sc, db.Name, t.Name)()
	key := sc.key(kindTable, db.Name, t.Name)
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if ok {
		return nil, exists("Table already exists.")
	}
	now := s.now()
	t.DatabaseName, t.CatalogId = db.Name, sc.account
	t.CreateTime, t.UpdateTime = now, now
	t.CreatedBy = "arn:aws:iam::" + sc.account + ":root"
	t.VersionId = "0"
	rec := &tableRecord{Table: *t}
	for i := range in.PartitionIndexes {
		def, err := newIndex(&rec.Table, rec.Indexes, &in.PartitionIndexes[i])
		if err != nil {
			return nil, err
		}
		rec.Indexes = append(rec.Indexes, def)
	}
	b := s.db.NewBatch()
	b.Set(key, mustJSON(rec))
	b.Set(versionKey(sc, db.Name, t.Name, 0), mustJSON(&rec.Table))
	return &CreateTableOutput{}, b.Commit()
}

func versionKey(sc scope, db, table string, v int64) []byte {
	return appendDesc(sc.key(kindVersion, db, table), uint64(v))
}

// tableFrom validates a TableInput and returns the table it describes.
func tableFrom(in *TableInput) (*Table, error) {
	name, err := checkName("Table", in.Name)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, k := range in.PartitionKeys {
		if k.Name == "" {
			return nil, invalid("Partition key names cannot be empty.")
		}
		lk := strings.ToLower(k.Name)
		if seen[lk] {
			return nil, invalid("Partition key %s is given twice.", k.Name)
		}
		seen[lk] = true
	}
	if in.StorageDescriptor != nil {
		for _, c := range in.StorageDescriptor.Columns {
			if c.Name == "" {
				return nil, invalid("Column names cannot be empty.")
			}
		}
	}
	if in.Retention < 0 {
		return nil, invalid("Retention cannot be negative.")
	}
	t := &Table{
		Name:              name,
		Description:       in.Description,
		Owner:             in.Owner,
		LastAccessTime:    in.LastAccessTime,
		LastAnalyzedTime:  in.LastAnalyzedTime,
		Retention:         in.Retention,
		StorageDescriptor: normalizeSD(in.StorageDescriptor),
		PartitionKeys:     in.PartitionKeys,
		ViewOriginalText:  in.ViewOriginalText,
		ViewExpandedText:  in.ViewExpandedText,
		TableType:         in.TableType,
		Parameters:        in.Parameters,
		TargetTable:       in.TargetTable,
		ViewDefinition:    in.ViewDefinition,
	}
	if t.PartitionKeys == nil {
		t.PartitionKeys = []Column{}
	}
	return t, nil
}

// normalizeSD gives a storage descriptor the empty lists and maps Glue
// always returns.
func normalizeSD(sd *StorageDescriptor) *StorageDescriptor {
	if sd == nil {
		return nil
	}
	c := *sd
	if c.BucketColumns == nil {
		c.BucketColumns = []string{}
	}
	if c.SortColumns == nil {
		c.SortColumns = []Order{}
	}
	if c.Parameters == nil {
		c.Parameters = map[string]string{}
	}
	return &c
}

type GetTableInput struct {
	CatalogId            string `json:"CatalogId,omitempty"`
	DatabaseName         string `json:"DatabaseName"`
	Name                 string `json:"Name"`
	TransactionId        string `json:"TransactionId,omitempty"`
	QueryAsOfTime        json.RawMessage
	IncludeStatusDetails *bool `json:"IncludeStatusDetails,omitempty"`
}

type GetTableOutput struct {
	Table *Table `json:"Table"`
}

// GetTable returns one table.
func (s *Service) GetTable(ctx context.Context, in *GetTableInput) (*GetTableOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TransactionId != "" || in.QueryAsOfTime != nil {
		return nil, notSupported("Governed-table transactions and QueryAsOfTime")
	}
	rec, err := s.table(sc, in.DatabaseName, in.Name)
	if err != nil {
		return nil, err
	}
	return &GetTableOutput{Table: &rec.Table}, nil
}

// table reads a table; a missing database or table is EntityNotFound.
func (s *Service) table(sc scope, dbName, name string) (*tableRecord, error) {
	db, err := checkName("Database", dbName)
	if err != nil {
		return nil, err
	}
	tn, err := checkName("Table", name)
	if err != nil {
		return nil, err
	}
	var rec tableRecord
	ok, err := s.getJSON(sc.key(kindTable, db, tn), &rec)
	if err != nil {
		return nil, err
	}
	if !ok {
		if _, err := s.database(sc, db); err != nil {
			return nil, err
		}
		return nil, notFound("Table %s not found.", tn)
	}
	return &rec, nil
}

type GetTablesInput struct {
	CatalogId            string `json:"CatalogId,omitempty"`
	DatabaseName         string `json:"DatabaseName"`
	Expression           string `json:"Expression,omitempty"`
	NextToken            string `json:"NextToken,omitempty"`
	MaxResults           int64  `json:"MaxResults,omitempty"`
	TransactionId        string `json:"TransactionId,omitempty"`
	QueryAsOfTime        json.RawMessage
	IncludeStatusDetails *bool    `json:"IncludeStatusDetails,omitempty"`
	AttributesToGet      []string `json:"AttributesToGet,omitempty"`
}

type GetTablesOutput struct {
	TableList []*Table `json:"TableList"`
	NextToken string   `json:"NextToken,omitempty"`
}

// GetTables lists a database's tables in name order, optionally those
// whose names match Expression, a Hive name pattern: alternatives split by
// "|", "*" matching any characters, matched case-insensitively against the
// whole name.
func (s *Service) GetTables(ctx context.Context, in *GetTablesInput) (*GetTablesOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TransactionId != "" || in.QueryAsOfTime != nil {
		return nil, notSupported("Governed-table transactions and QueryAsOfTime")
	}
	limit, err := pageSize(in.MaxResults, maxCatalogPage)
	if err != nil {
		return nil, err
	}
	var match *regexp.Regexp
	if in.Expression != "" {
		if match, err = namePattern(in.Expression); err != nil {
			return nil, err
		}
	}
	attrs, err := tableAttributes(in.AttributesToGet)
	if err != nil {
		return nil, err
	}
	db, err := s.database(sc, in.DatabaseName)
	if err != nil {
		return nil, err
	}
	prefix := sc.key(kindTable, db.Name)
	lower, err := resume(prefix, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &GetTablesOutput{TableList: []*Table{}}
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		name := string(k[len(prefix) : len(k)-1])
		if match != nil && !match.MatchString(name) {
			return true, nil
		}
		if len(out.TableList) == limit {
			out.NextToken = encodeToken(k[len(prefix):])
			return false, nil
		}
		var rec tableRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		out.TableList = append(out.TableList, attrs(&rec.Table))
		return true, nil
	})
	return out, err
}

// namePattern compiles a Hive table-name pattern.
func namePattern(expr string) (*regexp.Regexp, error) {
	alts := strings.Split(expr, "|")
	for i, a := range alts {
		alts[i] = strings.ReplaceAll(strings.TrimSpace(a), "*", ".*")
	}
	re, err := regexp.Compile("(?i)^(?:" + strings.Join(alts, "|") + ")$")
	if err != nil {
		return nil, invalid("Expression %q is not a valid pattern: %v.", expr, err)
	}
	return re, nil
}

// tableAttributes returns the projection AttributesToGet asks for.
func tableAttributes(attrs []string) (func(*Table) *Table, error) {
	if len(attrs) == 0 {
		return func(t *Table) *Table { return t }, nil
	}
	var typ bool
	for _, a := range attrs {
		switch a {
		case "NAME":
		case "TABLE_TYPE":
			typ = true
		default:
			return nil, invalid("AttributesToGet may only contain NAME and TABLE_TYPE.")
		}
	}
	return func(t *Table) *Table {
		p := &Table{Name: t.Name, PartitionKeys: nil}
		if typ {
			p.TableType = t.TableType
		}
		return p
	}, nil
}

type UpdateTableInput struct {
	CatalogId                  string          `json:"CatalogId,omitempty"`
	DatabaseName               string          `json:"DatabaseName"`
	Name                       string          `json:"Name,omitempty"`
	TableInput                 *TableInput     `json:"TableInput"`
	SkipArchive                *bool           `json:"SkipArchive,omitempty"`
	TransactionId              string          `json:"TransactionId,omitempty"`
	VersionId                  string          `json:"VersionId,omitempty"`
	ViewUpdateAction           string          `json:"ViewUpdateAction,omitempty"`
	Force                      bool            `json:"Force,omitempty"`
	UpdateOpenTableFormatInput json.RawMessage `json:"UpdateOpenTableFormatInput,omitempty"`
}

type UpdateTableOutput struct{}

// UpdateTable replaces a table's definition and, unless SkipArchive, keeps
// the previous one as a version. VersionId, when given, must be the
// current version (optimistic concurrency).
func (s *Service) UpdateTable(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TableInput == nil {
		return nil, invalid("TableInput is required.")
	}
	if in.TransactionId != "" || in.UpdateOpenTableFormatInput != nil || in.ViewUpdateAction != "" {
		return nil, notSupported("Transactions, open table formats and view update actions in UpdateTable")
	}
	if in.Name != "" && !strings.EqualFold(in.Name, in.TableInput.Name) {
		return nil, invalid("Name and TableInput.Name must match.")
	}
	t, err := tableFrom(in.TableInput)
	if err != nil {
		return nil, err
	}
	s.catalogMu.RLock()
	defer s.catalogMu.RUnlock()
	db, err := checkName("Database", in.DatabaseName)
	if err != nil {
		return nil, err
	}
	defer s.lockTable(sc, db, t.Name)()
	old, err := s.table(sc, db, t.Name)
	if err != nil {
		return nil, err
	}
	if in.VersionId != "" && in.VersionId != old.VersionId {
		return nil, ErrConcurrentModify.WithMessage("Update table failed due to concurrent modifications: version %s is not the current version %s.", in.VersionId, old.VersionId)
	}
	if len(t.PartitionKeys) != len(old.PartitionKeys) {
		if has, err := s.hasPartitions(sc, db, t.Name); err != nil {
			return nil, err
		} else if has {
			return nil, invalid("The number of partition keys cannot change while the table has partitions.")
		}
	}
	for _, def := range old.Indexes {
		if err := def.check(t); err != nil {
			return nil, err
		}
	}
	t.DatabaseName, t.CatalogId, t.CreatedBy = old.DatabaseName, old.CatalogId, old.CreatedBy
	t.CreateTime, t.UpdateTime = old.CreateTime, s.now()
	t.IsRegisteredWithLakeFormation = old.IsRegisteredWithLakeFormation
	rec := &tableRecord{Table: *t, Version: old.Version, Indexes: old.Indexes}
	b := s.db.NewBatch()
	if in.SkipArchive == nil || !*in.SkipArchive {
		rec.Version++
	}
	rec.VersionId = strconv.FormatInt(rec.Version, 10)
	b.Set(sc.key(kindTable, db, t.Name), mustJSON(rec))
	b.Set(versionKey(sc, db, t.Name, rec.Version), mustJSON(&rec.Table))
	return &UpdateTableOutput{}, b.Commit()
}

type DeleteTableInput struct {
	CatalogId     string `json:"CatalogId,omitempty"`
	DatabaseName  string `json:"DatabaseName"`
	Name          string `json:"Name"`
	TransactionId string `json:"TransactionId,omitempty"`
}

type DeleteTableOutput struct{}

// DeleteTable removes a table with its partitions, indexes, versions,
// statistics and tags.
func (s *Service) DeleteTable(ctx context.Context, in *DeleteTableInput) (*DeleteTableOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TransactionId != "" {
		return nil, notSupported("Governed-table transactions")
	}
	s.catalogMu.RLock()
	defer s.catalogMu.RUnlock()
	return &DeleteTableOutput{}, s.deleteTable(sc, in.DatabaseName, in.Name)
}

func (s *Service) deleteTable(sc scope, dbName, name string) error {
	db, err := checkName("Database", dbName)
	if err != nil {
		return err
	}
	tn, err := checkName("Table", name)
	if err != nil {
		return err
	}
	defer s.lockTable(sc, db, tn)()
	if _, err := s.table(sc, db, tn); err != nil {
		return err
	}
	b := s.db.NewBatch()
	b.Delete(sc.key(kindTable, db, tn))
	for _, kind := range []byte{kindVersion, kindPartition, kindIndex, kindTableStat, kindPartStat} {
		p := sc.key(kind, db, tn)
		b.DeleteRange(p, prefixEnd(p))
	}
	b.Delete(sc.key(kindTag, arn(sc, "table/"+db+"/"+tn)))
	return b.Commit()
}

type BatchDeleteTableInput struct {
	CatalogId      string   `json:"CatalogId,omitempty"`
	DatabaseName   string   `json:"DatabaseName"`
	TablesToDelete []string `json:"TablesToDelete"`
	TransactionId  string   `json:"TransactionId,omitempty"`
}

type TableError struct {
	TableName   string       `json:"TableName"`
	ErrorDetail *ErrorDetail `json:"ErrorDetail"`
}

type BatchDeleteTableOutput struct {
	Errors []TableError `json:"Errors"`
}

// BatchDeleteTable deletes up to 100 tables; each failure is reported, not
// thrown.
func (s *Service) BatchDeleteTable(ctx context.Context, in *BatchDeleteTableInput) (*BatchDeleteTableOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.TransactionId != "" {
		return nil, notSupported("Governed-table transactions")
	}
	if len(in.TablesToDelete) > 100 {
		return nil, invalid("TablesToDelete can hold at most 100 names.")
	}
	s.catalogMu.RLock()
	defer s.catalogMu.RUnlock()
	if _, err := s.database(sc, in.DatabaseName); err != nil {
		return nil, err
	}
	out := &BatchDeleteTableOutput{Errors: []TableError{}}
	for _, name := range in.TablesToDelete {
		if err := s.deleteTable(sc, in.DatabaseName, name); err != nil {
			if _, ok := asAWS(err); !ok {
				return nil, err
			}
			out.Errors = append(out.Errors, TableError{TableName: name, ErrorDetail: errorDetail(err)})
		}
	}
	return out, nil
}
