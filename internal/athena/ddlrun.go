package athena

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/glue"
)

var (
	msckRepair     = regexp.MustCompile("(?is)^MSCK\\s+REPAIR\\s+TABLE\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
	showPartitions = regexp.MustCompile("(?is)^SHOW\\s+PARTITIONS\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
	showColumns    = regexp.MustCompile("(?is)^SHOW\\s+COLUMNS\\s+(?:IN|FROM)\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?(?:\\s+(?:IN|FROM)\\s+`?([\\w-]+)`?)?$")
	showCreate     = regexp.MustCompile("(?is)^SHOW\\s+CREATE\\s+TABLE\\s+`?([\\w-]+)`?(?:\\.`?([\\w-]+)`?)?$")
	alterTable     = regexp.MustCompile("(?is)^ALTER\\s+TABLE\\s+")
)

// hiveDDL runs the Hive DDL Lakebox parses itself; ok is false for other
// statements.
func (s *Service) hiveDDL(ctx context.Context, sc scope, rec *queryRecord, q string) (*result, bool, error) {
	ictx := sc.identity(ctx)
	defDB := rec.QueryExecutionContext.Database
	name := func(m []string) (string, string) {
		if m[2] != "" {
			return strings.ToLower(m[1]), strings.ToLower(m[2])
		}
		return strings.ToLower(defDB), strings.ToLower(m[1])
	}
	table := func(db, t string) (*glue.Table, error) {
		out, err := s.glue.GetTable(ictx, &glue.GetTableInput{DatabaseName: db, Name: t})
		if err != nil {
			return nil, catalogError(err, db, t)
		}
		return out.Table, nil
	}
	upper := strings.ToUpper(strings.Join(strings.Fields(q), " "))
	switch {
	case strings.HasPrefix(upper, "CREATE EXTERNAL TABLE") || strings.HasPrefix(upper, "CREATE TABLE"):
		ct, err := parseCreateTable(q, defDB)
		if err != nil {
			return nil, true, err
		}
		_, err = s.glue.CreateTable(ictx, &glue.CreateTableInput{DatabaseName: ct.db, TableInput: &ct.input})
		if e, ok := awserr.As(err); ok {
			switch {
			case e.Code == "AlreadyExistsException" && ct.ifNotExists:
				return &result{text: true}, true, nil
			case e.Code == "AlreadyExistsException":
				return nil, true, userError(errUser, "FAILED: AlreadyExistsException: Table %s.%s already exists", ct.db, ct.input.Name)
			case e.Code == "EntityNotFoundException":
				return nil, true, userError(errNoTable, "FAILED: SemanticException [Error 10072]: Database does not exist: %s", ct.db)
			}
			return nil, true, userError(errUser, "FAILED: %s: %s", e.Code, e.Message)
		}
		return &result{text: true}, true, err
	case msckRepair.MatchString(q):
		db, tn := name(msckRepair.FindStringSubmatch(q))
		t, err := table(db, tn)
		if err != nil {
			return nil, true, err
		}
		lines, err := s.repair(ictx, sc, t)
		if err != nil {
			return nil, true, err
		}
		return textResult("result", lines), true, nil
	case showPartitions.MatchString(q):
		db, tn := name(showPartitions.FindStringSubmatch(q))
		t, err := table(db, tn)
		if err != nil {
			return nil, true, err
		}
		if len(t.PartitionKeys) == 0 {
			return nil, true, userError(errUser, "FAILED: SemanticException [Error 10241]: Table %s is not a partitioned table", tn)
		}
		var lines []string
		err = s.eachPartition(ictx, t, func(p *glue.Partition) {
			var parts []string
			for i, k := range t.PartitionKeys {
				parts = append(parts, k.Name+"="+hiveEscape(p.Values[i]))
			}
			lines = append(lines, strings.Join(parts, "/"))
		})
		return textResult("partition", lines), true, err
	case showColumns.MatchString(q):
		m := showColumns.FindStringSubmatch(q)
		db, tn := name(m)
		if m[3] != "" {
			db = strings.ToLower(m[3])
		}
		t, err := table(db, tn)
		if err != nil {
			return nil, true, err
		}
		var lines []string
		for _, c := range append(append([]glue.Column(nil), t.StorageDescriptor.Columns...), t.PartitionKeys...) {
			lines = append(lines, c.Name)
		}
		return textResult("field", lines), true, nil
	case showCreate.MatchString(q):
		db, tn := name(showCreate.FindStringSubmatch(q))
		t, err := table(db, tn)
		if err != nil {
			return nil, true, err
		}
		return textResult("createtab_stmt", strings.Split(showCreateTable(t), "\n")), true, nil
	case alterTable.MatchString(q):
		return s.alterTable(ictx, defDB, q)
	}
	return nil, false, nil
}

// hiveEscape escapes a partition value as Hive does in partition names and
// folder names (FileUtils.escapePathName).
func hiveEscape(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte("\"#%'*/:=?\\{[]^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func textResult(col string, lines []string) *result {
	res := &result{text: true, columns: []ColumnInfo{columnInfo(col, "VARCHAR")}}
	for _, l := range lines {
		v := l
		res.rows = append(res.rows, []*string{&v})
	}
	return res
}

func (s *Service) eachPartition(ctx context.Context, t *glue.Table, fn func(*glue.Partition)) error {
	var next string
	for {
		out, err := s.glue.GetPartitions(ctx, &glue.GetPartitionsInput{DatabaseName: t.DatabaseName, TableName: t.Name, NextToken: next})
		if err != nil {
			return err
		}
		for _, p := range out.Partitions {
			fn(p)
		}
		if next = out.NextToken; next == "" {
			return nil
		}
	}
}

// repair adds the partitions found under the table's location in
// key=value folders that the catalog lacks (MSCK REPAIR TABLE).
func (s *Service) repair(ctx context.Context, sc scope, t *glue.Table) ([]string, error) {
	if len(t.PartitionKeys) == 0 {
		return nil, userError(errUser, "FAILED: SemanticException [Error 10241]: Table %s is not a partitioned table", t.Name)
	}
	have := map[string]bool{}
	if err := s.eachPartition(ctx, t, func(p *glue.Partition) { have[strings.Join(p.Values, "\x00")] = true }); err != nil {
		return nil, err
	}
	bucket, prefix, err := parseS3URI(t.StorageDescriptor.Location)
	if err != nil {
		return nil, err
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	found := map[string][]string{}
	var order []string
	err = s.objects.List(ctx, sc.account, bucket, prefix, func(key string, _ int64) error {
		dirs := strings.Split(path.Dir(strings.TrimPrefix(key, prefix)), "/")
		if len(dirs) < len(t.PartitionKeys) {
			return nil
		}
		vals := make([]string, len(t.PartitionKeys))
		for i, k := range t.PartitionKeys {
			kk, v, ok := strings.Cut(dirs[i], "=")
			if !ok || !strings.EqualFold(kk, k.Name) {
				return nil
			}
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			vals[i] = v
		}
		id := strings.Join(vals, "\x00")
		if _, ok := found[id]; !ok && !have[id] {
			order = append(order, id)
			found[id] = vals
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var lines, added []string
	var inputs []*glue.PartitionInput
	for _, id := range order {
		vals := found[id]
		var parts []string
		for i, k := range t.PartitionKeys {
			parts = append(parts, k.Name+"="+hiveEscape(vals[i]))
		}
		spec := strings.Join(parts, "/")
		lines = append(lines, "Partitions not in metastore:\t"+t.Name+":"+spec)
		added = append(added, "Repair: Added partition to metastore "+t.Name+":"+spec)
		inputs = append(inputs, s.partitionInput(t, vals, ""))
	}
	for i := 0; i < len(inputs); i += 100 {
		if _, err := s.glue.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: t.DatabaseName, TableName: t.Name, PartitionInputList: inputs[i:min(i+100, len(inputs))]}); err != nil {
			return nil, err
		}
	}
	return append(lines, added...), nil
}

// partitionInput is a partition of t with values at location (default:
// key=value folders under the table's location), inheriting the table's
// storage.
func (s *Service) partitionInput(t *glue.Table, vals []string, location string) *glue.PartitionInput {
	if location == "" {
		location = strings.TrimSuffix(t.StorageDescriptor.Location, "/")
		for i, k := range t.PartitionKeys {
			location += "/" + k.Name + "=" + hiveEscape(vals[i])
		}
		location += "/"
	}
	sd := *t.StorageDescriptor
	sd.Location = location
	return &glue.PartitionInput{Values: vals, StorageDescriptor: &sd}
}

// alterTable runs ALTER TABLE t ADD [IF NOT EXISTS] PARTITION ... and
// ALTER TABLE t DROP [IF EXISTS] PARTITION ....
func (s *Service) alterTable(ctx context.Context, defDB, q string) (*result, bool, error) {
	l := &ddlLexer{s: q}
	l.keyword("ALTER", "TABLE")
	db, tn, err := l.qualified(defDB)
	if err != nil {
		return nil, true, err
	}
	out, err := s.glue.GetTable(ctx, &glue.GetTableInput{DatabaseName: db, Name: tn})
	if err != nil {
		return nil, true, catalogError(err, db, tn)
	}
	t := out.Table
	switch {
	case l.keyword("ADD"):
		ifNot := l.keyword("IF", "NOT", "EXISTS")
		var inputs []*glue.PartitionInput
		for {
			p, err := l.partitionSpec(true)
			if err != nil {
				return nil, true, err
			}
			vals, err := p.valuesFor(t)
			if err != nil {
				return nil, true, err
			}
			inputs = append(inputs, s.partitionInput(t, vals, p.location))
			l.space()
			if l.pos >= len(l.s) || !strings.HasPrefix(strings.ToUpper(l.s[l.pos:]), "PARTITION") {
				break
			}
		}
		if err := l.end(); err != nil {
			return nil, true, err
		}
		res, err := s.glue.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: db, TableName: tn, PartitionInputList: inputs})
		if err != nil {
			return nil, true, err
		}
		for _, e := range res.Errors {
			if e.ErrorDetail.ErrorCode == "AlreadyExistsException" && ifNot {
				continue
			}
			return nil, true, userError(errUser, "FAILED: %s: Partition %v: %s", e.ErrorDetail.ErrorCode, e.PartitionValues, e.ErrorDetail.ErrorMessage)
		}
		return &result{text: true}, true, nil
	case l.keyword("DROP"):
		ifExists := l.keyword("IF", "EXISTS")
		var gone []glue.PartitionValueList
		for {
			p, err := l.partitionSpec(false)
			if err != nil {
				return nil, true, err
			}
			vals, err := p.valuesFor(t)
			if err != nil {
				return nil, true, err
			}
			gone = append(gone, glue.PartitionValueList{Values: vals})
			if !l.punct(',') {
				break
			}
		}
		if err := l.end(); err != nil {
			return nil, true, err
		}
		for i := 0; i < len(gone); i += 25 {
			res, err := s.glue.BatchDeletePartition(ctx, &glue.BatchDeletePartitionInput{DatabaseName: db, TableName: tn, PartitionsToDelete: gone[i:min(i+25, len(gone))]})
			if err != nil {
				return nil, true, err
			}
			if len(res.Errors) > 0 && !ifExists {
				e := res.Errors[0]
				return nil, true, userError(errUser, "FAILED: SemanticException [Error 10006]: Partition not found %v", e.PartitionValues)
			}
		}
		return &result{text: true}, true, nil
	}
	return nil, true, userError(errSyntax, "NOT_SUPPORTED: this ALTER TABLE is not supported by Lakebox yet (ADD and DROP PARTITION are)")
}
