package glue

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/lakebox/lakebox/internal/auth"
)

// The write side of a crawl: tables and partitions go through the same
// service methods clients call, so they get the same validation, locking
// and durability.

func (c *crawler) ctx(ctx context.Context) context.Context {
	return auth.WithIdentity(ctx, auth.Identity{Account: c.sc.account, Region: c.sc.region})
}

// writeTable creates or updates the table of spec and its partitions. For
// a catalog target, fixed is the table to update.
func (c *crawler) writeTable(ctx context.Context, spec *tableSpec, fixed *tableRecord) error {
	ctx = c.ctx(ctx)
	db := c.rec.DatabaseName
	keys := partitionKeys(spec)
	if fixed != nil {
		db = fixed.DatabaseName
		keys = keys[:0]
		for _, k := range fixed.PartitionKeys {
			keys = append(keys, k.Name)
		}
	}
	drop := map[string]bool{}
	for _, k := range keys {
		drop[strings.ToLower(k)] = true
	}
	fields, res, size, records := describeFiles(spec.files)
	for _, f := range fields {
		if drop[strings.ToLower(f.Name)] {
			c.log("Column %s of %s is also a partition key; the partition key is kept", f.Name, spec.location())
		}
	}
	cols := toColumns(fields, drop)
	sd, params := c.storage(spec.location(), cols, res, size, records, len(spec.files))
	pkeys := make([]Column, len(keys))
	for i, k := range keys {
		pkeys[i] = Column{Name: k, Type: "string"}
	}
	in := &TableInput{TableType: "EXTERNAL_TABLE", Parameters: params, StorageDescriptor: sd, PartitionKeys: pkeys, Retention: 0}

	var current *tableRecord
	if fixed != nil {
		current, in.Name = fixed, fixed.Name
		in.PartitionKeys = fixed.PartitionKeys
	} else {
		name := c.tableName(spec)
		for attempt := 0; ; attempt++ {
			rec, err := c.s.table(c.sc, db, name)
			if _, ok := asAWS(err); ok && err != nil {
				break // no such table: create it
			}
			if err != nil {
				return err
			}
			if rec.StorageDescriptor != nil && withSlash(rec.StorageDescriptor.Location) == spec.location() {
				current = rec
				break
			}
			if attempt > 0 {
				return invalid("table name %s is taken", name)
			}
			name += "_" + hash8(spec.location()) // Glue's answer to a name clash
		}
		in.Name = name
	}
	c.seen[spec.location()] = true
	var table *tableRecord
	switch {
	case current == nil:
		if _, err := c.s.CreateTable(ctx, &CreateTableInput{DatabaseName: db, TableInput: in}); err != nil {
			return err
		}
		c.stats.tablesCreated++
		c.log("Created table %s in database %s", in.Name, db)
		var err error
		if table, err = c.s.table(c.sc, db, in.Name); err != nil {
			return err
		}
	default:
		var err error
		if table, err = c.updateTable(ctx, current, in); err != nil {
			return err
		}
	}
	return c.writePartitions(ctx, spec, table)
}

// updateTable applies a crawl to an existing table as the schema change
// policy says, and returns the table as it now is.
func (c *crawler) updateTable(ctx context.Context, current *tableRecord, in *TableInput) (*tableRecord, error) {
	old := current.StorageDescriptor
	newCols := in.StorageDescriptor.Columns
	if old != nil && c.cfg.CrawlerOutput.Tables.AddOrUpdateBehavior == "MergeNewColumns" {
		merged := slices.Clone(old.Columns)
		for _, col := range newCols {
			if !slices.ContainsFunc(merged, func(x Column) bool { return strings.EqualFold(x.Name, col.Name) }) {
				merged = append(merged, col)
			}
		}
		newCols = merged
	} else if old != nil {
		newCols = keepOrder(old.Columns, newCols)
	}
	if old != nil && sameColumns(old.Columns, newCols) {
		return current, nil
	}
	if c.rec.SchemaChangePolicy.UpdateBehavior == "LOG" || c.incremental() {
		c.log("Schema change of table %s not applied (UpdateBehavior LOG)", current.Name)
		return current, nil
	}
	if len(in.PartitionKeys) != len(current.PartitionKeys) {
		c.log("Table %s: the partition layout changed from %d to %d keys; not updated", current.Name, len(current.PartitionKeys), len(in.PartitionKeys))
		return current, nil
	}
	in.StorageDescriptor.Columns = newCols
	in.PartitionKeys = current.PartitionKeys
	in.Description, in.Owner = current.Description, current.Owner
	for k, v := range current.Parameters {
		if _, ok := in.Parameters[k]; !ok && k != "DEPRECATED_BY_CRAWLER" {
			in.Parameters[k] = v
		}
	}
	if _, err := c.s.UpdateTable(ctx, &UpdateTableInput{DatabaseName: current.DatabaseName, TableInput: in}); err != nil {
		return nil, err
	}
	c.stats.tablesUpdated++
	c.log("Updated the schema of table %s in database %s", current.Name, current.DatabaseName)
	return c.s.table(c.sc, current.DatabaseName, current.Name)
}

// keepOrder lists cols in the order of the old columns, new ones last.
func keepOrder(old, cols []Column) []Column {
	out := make([]Column, 0, len(cols))
	for _, o := range old {
		if i := slices.IndexFunc(cols, func(x Column) bool { return strings.EqualFold(x.Name, o.Name) }); i >= 0 {
			out = append(out, cols[i])
		}
	}
	for _, col := range cols {
		if !slices.ContainsFunc(out, func(x Column) bool { return strings.EqualFold(x.Name, col.Name) }) {
			out = append(out, col)
		}
	}
	return out
}

func (c *crawler) incremental() bool {
	return c.rec.RecrawlPolicy != nil && c.rec.RecrawlPolicy.RecrawlBehavior == "CRAWL_NEW_FOLDERS_ONLY"
}

// writePartitions adds the partitions the crawl found, updates changed
// ones, and handles vanished ones as DeleteBehavior says.
func (c *crawler) writePartitions(ctx context.Context, spec *tableSpec, table *tableRecord) error {
	depth := len(table.PartitionKeys)
	if depth == 0 {
		return nil
	}
	groups := map[string][]*crawlFile{}
	var order []string
	for _, f := range spec.files {
		if len(f.dirs) != depth {
			c.log("Skipping s3://%s/%s: it is not %d folders below %s", spec.bucket, f.key, depth, spec.location())
			continue
		}
		k := string(appendTuple(nil, partitionValues(f, depth)...))
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	existing := map[string]*Partition{}
	if err := c.s.eachPartition(c.sc, table, func(p *Partition) error {
		existing[string(appendTuple(nil, p.Values...))] = p
		return nil
	}); err != nil {
		return err
	}
	inherit := c.cfg.CrawlerOutput.Partitions.AddOrUpdateBehavior == "InheritFromTable"
	var create []*PartitionInput
	var update []BatchUpdatePartitionEntry
	for _, k := range order {
		files := groups[k]
		values := partitionValues(files[0], depth)
		fields, res, size, records := describeFiles(files)
		cols := toColumns(fields, nil)
		loc := spec.location() + strings.Join(files[0].dirs, "/") + "/"
		if inherit && table.StorageDescriptor != nil {
			cols = table.StorageDescriptor.Columns
		}
		sd, params := c.storage(loc, cols, res, size, records, len(files))
		delete(params, "UPDATED_BY_CRAWLER")
		delete(params, "CrawlerSchemaDeserializerVersion")
		delete(params, "CrawlerSchemaSerializerVersion")
		pin := &PartitionInput{Values: values, StorageDescriptor: sd, Parameters: params}
		old, ok := existing[k]
		delete(existing, k)
		switch {
		case !ok:
			create = append(create, pin)
		case c.rec.SchemaChangePolicy.UpdateBehavior == "LOG":
		case old.StorageDescriptor == nil || !sameColumns(old.StorageDescriptor.Columns, cols) || old.StorageDescriptor.Location != loc:
			update = append(update, BatchUpdatePartitionEntry{PartitionValueList: values, PartitionInput: pin})
		}
	}
	for i := 0; i < len(create); i += maxBatchCreate {
		out, err := c.s.BatchCreatePartition(ctx, &BatchCreatePartitionInput{DatabaseName: table.DatabaseName, TableName: table.Name, PartitionInputList: create[i:min(i+maxBatchCreate, len(create))]})
		if err != nil {
			return err
		}
		c.stats.partsAdded += int64(min(maxBatchCreate, len(create)-i) - len(out.Errors))
		for _, e := range out.Errors {
			c.log("Partition %v of table %s not created: %s", e.PartitionValues, table.Name, e.ErrorDetail.ErrorMessage)
		}
	}
	for i := 0; i < len(update); i += maxBatchUpdate {
		out, err := c.s.BatchUpdatePartition(ctx, &BatchUpdatePartitionInput{DatabaseName: table.DatabaseName, TableName: table.Name, Entries: update[i:min(i+maxBatchUpdate, len(update))]})
		if err != nil {
			return err
		}
		c.stats.partsUpdated += int64(min(maxBatchUpdate, len(update)-i) - len(out.Errors))
	}
	if c.incremental() || len(existing) == 0 {
		return nil
	}
	if c.rec.SchemaChangePolicy.DeleteBehavior != "DELETE_FROM_DATABASE" {
		c.log("%d partitions of table %s have no data any more; kept (DeleteBehavior %s)", len(existing), table.Name, c.rec.SchemaChangePolicy.DeleteBehavior)
		return nil
	}
	var gone []PartitionValueList
	for _, p := range existing {
		gone = append(gone, PartitionValueList{Values: p.Values})
	}
	for i := 0; i < len(gone); i += maxBatchDelete {
		out, err := c.s.BatchDeletePartition(ctx, &BatchDeletePartitionInput{DatabaseName: table.DatabaseName, TableName: table.Name, PartitionsToDelete: gone[i:min(i+maxBatchDelete, len(gone))]})
		if err != nil {
			return err
		}
		c.stats.partsDeleted += int64(min(maxBatchDelete, len(gone)-i) - len(out.Errors))
	}
	return nil
}

// crawlCatalogTable re-crawls the data of an existing table.
func (c *crawler) crawlCatalogTable(ctx context.Context, db, name string) error {
	table, err := c.s.table(c.sc, db, name)
	if err != nil {
		c.log("Catalog target %s.%s: %v", db, name, err)
		return nil
	}
	if table.StorageDescriptor == nil || table.StorageDescriptor.Location == "" {
		c.log("Catalog target %s.%s has no location", db, name)
		return nil
	}
	bucket, root, err := parseS3Path(table.StorageDescriptor.Location)
	if err != nil {
		c.log("Catalog target %s.%s: %v", db, name, err)
		return nil
	}
	root = strings.TrimSuffix(root, "/")
	if root != "" {
		root += "/"
	}
	good, err := c.read(ctx, bucket, root, nil, nil, nil)
	if err != nil {
		return err
	}
	if len(good) == 0 {
		c.log("Catalog target %s.%s: no data at %s", db, name, table.StorageDescriptor.Location)
		return nil
	}
	return c.writeTable(ctx, &tableSpec{bucket: bucket, root: root, depth: len(table.PartitionKeys), files: good}, table)
}

// handleVanished applies DeleteBehavior to the tables this crawler wrote
// before whose data is gone.
func (c *crawler) handleVanished(ctx context.Context) error {
	if c.incremental() {
		return nil
	}
	var gone []*tableRecord
	err := c.s.eachTable(c.sc, c.rec.DatabaseName, func(t *tableRecord) error {
		if t.Parameters["UPDATED_BY_CRAWLER"] != c.rec.Name || t.StorageDescriptor == nil || c.seen[withSlash(t.StorageDescriptor.Location)] {
			return nil
		}
		for _, target := range c.rec.Targets.S3Targets {
			if strings.HasPrefix(withSlash(t.StorageDescriptor.Location), withSlash(target.Path)) {
				gone = append(gone, t)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ctx = c.ctx(ctx)
	for _, t := range gone {
		switch c.rec.SchemaChangePolicy.DeleteBehavior {
		case "DELETE_FROM_DATABASE":
			if _, err := c.s.DeleteTable(ctx, &DeleteTableInput{DatabaseName: t.DatabaseName, Name: t.Name}); err != nil {
				return err
			}
			c.stats.tablesDeleted++
			c.log("Deleted table %s: its data is gone", t.Name)
		case "DEPRECATE_IN_DATABASE":
			if t.Parameters["DEPRECATED_BY_CRAWLER"] != "" {
				continue
			}
			in := tableInputOf(&t.Table)
			in.Parameters["DEPRECATED_BY_CRAWLER"] = strconv.Itoa(1)
			if _, err := c.s.UpdateTable(ctx, &UpdateTableInput{DatabaseName: t.DatabaseName, TableInput: in, SkipArchive: ptrTrue()}); err != nil {
				return err
			}
			c.stats.tablesDeleted++
			c.log("Deprecated table %s: its data is gone", t.Name)
		default:
			c.log("Table %s has no data any more; kept (DeleteBehavior LOG)", t.Name)
		}
	}
	return nil
}

func ptrTrue() *bool { t := true; return &t }

// tableInputOf is the input that recreates t.
func tableInputOf(t *Table) *TableInput {
	params := map[string]string{}
	for k, v := range t.Parameters {
		params[k] = v
	}
	return &TableInput{
		Name: t.Name, Description: t.Description, Owner: t.Owner, LastAccessTime: t.LastAccessTime, LastAnalyzedTime: t.LastAnalyzedTime,
		Retention: t.Retention, StorageDescriptor: t.StorageDescriptor, PartitionKeys: t.PartitionKeys, ViewOriginalText: t.ViewOriginalText,
		ViewExpandedText: t.ViewExpandedText, TableType: t.TableType, Parameters: params, TargetTable: t.TargetTable, ViewDefinition: t.ViewDefinition,
	}
}

// eachTable calls fn for every table of a database.
func (s *Service) eachTable(sc scope, db string, fn func(*tableRecord) error) error {
	p := sc.key(kindTable, strings.ToLower(db))
	return s.scan(p, prefixEnd(p), func(_, v []byte) (bool, error) {
		var rec tableRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		return true, fn(&rec)
	})
}

// eachPartition calls fn for every partition of a table.
func (s *Service) eachPartition(sc scope, rec *tableRecord, fn func(*Partition) error) error {
	p := s.partPrefix(sc, rec)
	return s.scan(p, prefixEnd(p), func(_, v []byte) (bool, error) {
		var part Partition
		if err := json.Unmarshal(v, &part); err != nil {
			return false, err
		}
		return true, fn(&part)
	})
}
