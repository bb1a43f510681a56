package dynamodb

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// On-demand backups copy a table's items, as they are when CreateBackup
// answers, under keys of their own; they outlive the table and are gone
// only when deleted:
//
//	ddb\x00B\x00<account>\x00<region>\x00<backup id>     the backup's description and source table (JSON)
//	ddb\x00b\x00<backup id>\x00<key parts>               an item's JSON
//
// The copy reads a snapshot taken under the table's write lock (so no
// write is half in it), and the description is written last: a crash
// before it leaves unreferenced item keys, dead space no backup reads.

var (
	backupPrefix     = []byte("ddb\x00B\x00")
	backupItemPrefix = []byte("ddb\x00b\x00")

	ErrBackupNotFound = awserr.New("BackupNotFoundException", 400, "Backup not found")
)

func backupItems(id string) []byte { return []byte(string(backupItemPrefix) + id + "\x00") }

type BackupDetails struct {
	BackupArn              string     `json:"BackupArn"`
	BackupName             string     `json:"BackupName"`
	BackupSizeBytes        int64      `json:"BackupSizeBytes"`
	BackupStatus           string     `json:"BackupStatus"`
	BackupType             string     `json:"BackupType"`
	BackupCreationDateTime epoch.Time `json:"BackupCreationDateTime"`
}

type SourceTableDetails struct {
	TableName             string                `json:"TableName"`
	TableId               string                `json:"TableId"`
	TableArn              string                `json:"TableArn"`
	TableSizeBytes        int64                 `json:"TableSizeBytes"`
	KeySchema             []KeySchemaElement    `json:"KeySchema"`
	TableCreationDateTime epoch.Time            `json:"TableCreationDateTime"`
	ProvisionedThroughput ProvisionedThroughput `json:"ProvisionedThroughput"` // the model's shape: no change history
	ItemCount             int64                 `json:"ItemCount"`
	BillingMode           string                `json:"BillingMode"`
}

type BackupDescription struct {
	BackupDetails             BackupDetails              `json:"BackupDetails"`
	SourceTableDetails        SourceTableDetails         `json:"SourceTableDetails"`
	SourceTableFeatureDetails *SourceTableFeatureDetails `json:"SourceTableFeatureDetails,omitempty"`
}

// SourceTableFeatureDetails are what a backed-up table had besides its
// keys: its indexes, stream, time to live and encryption.
type SourceTableFeatureDetails struct {
	LocalSecondaryIndexes  []LocalSecondaryIndexInfo  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes []GlobalSecondaryIndexInfo `json:"GlobalSecondaryIndexes,omitempty"`
	StreamDescription      *StreamSpecification       `json:"StreamDescription,omitempty"`
	TimeToLiveDescription  *TimeToLiveDescription     `json:"TimeToLiveDescription,omitempty"`
	SSEDescription         *SSEDescription            `json:"SSEDescription,omitempty"`
}

// LocalSecondaryIndexInfo and GlobalSecondaryIndexInfo are a backed-up
// table's indexes as its backup describes them.
type LocalSecondaryIndexInfo struct {
	IndexName  string             `json:"IndexName"`
	KeySchema  []KeySchemaElement `json:"KeySchema"`
	Projection Projection         `json:"Projection"`
}

type GlobalSecondaryIndexInfo struct {
	LocalSecondaryIndexInfo
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
}

// description is a backup's description, with its source table's
// features as they were when it was made (from the record it keeps).
func (b *backupRecord) description() BackupDescription {
	d, src := b.Desc, &b.Source
	f := &SourceTableFeatureDetails{SSEDescription: src.sseDescription()}
	for _, ix := range src.Indexes {
		info := LocalSecondaryIndexInfo{IndexName: ix.IndexName, KeySchema: ix.KeySchema, Projection: ix.Projection}
		if ix.Global {
			f.GlobalSecondaryIndexes = append(f.GlobalSecondaryIndexes, GlobalSecondaryIndexInfo{info, ix.ProvisionedThroughput})
		} else {
			f.LocalSecondaryIndexes = append(f.LocalSecondaryIndexes, info)
		}
	}
	if src.Stream != "" {
		f.StreamDescription = &StreamSpecification{StreamEnabled: new(true), StreamViewType: src.StreamViewType}
	}
	if src.TTL != "" {
		f.TimeToLiveDescription = &TimeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: src.TTL}
	}
	d.SourceTableFeatureDetails = f
	return d
}

// backupRecord is a backup as stored: its description and the source
// table's record, from which restores take the schema.
type backupRecord struct {
	ID     string
	Desc   BackupDescription
	Source tableRecord
}

type CreateBackupInput struct {
	TableName  string `json:"TableName"`
	BackupName string `json:"BackupName"`
}

type CreateBackupOutput struct {
	BackupDetails BackupDetails `json:"BackupDetails"`
}

// CreateBackup copies a table's items into a new backup, AVAILABLE when
// it answers.
func (s *Service) CreateBackup(ctx context.Context, in *CreateBackupInput) (*CreateBackupOutput, error) {
	if err := nameValidation(in.BackupName, "backupName"); err != nil {
		return nil, err
	}
	t, err := s.backupsTable(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	sc := scopeOf(ctx)
	// The write lock only while the snapshot is taken: an iterator reads
	// the store as it was when opened.
	t.mu.Lock()
	if t.deleted {
		t.mu.Unlock()
		return nil, ErrTableNotFound.WithMessage("Table not found: %s", t.rec.Name)
	}
	rec := t.rec
	now := s.clock.Now()
	from := itemKeyPrefix(rec.dataID())
	it, err := s.db.NewIter(from, meta.PrefixEnd(from))
	t.mu.Unlock()
	if err != nil {
		return nil, err
	}
	id := jobID(now)
	prefix := backupItems(id)
	count, size, err := s.copyItems(it, func(b *meta.Batch, key, body []byte) {
		b.Set(append(bytes.Clone(prefix), key[len(from):]...), bytes.Clone(body))
	})
	if err != nil {
		return nil, err
	}
	desc := s.describe(&rec, "ACTIVE", count, size)
	b := backupRecord{ID: id, Source: rec, Desc: BackupDescription{
		BackupDetails: BackupDetails{BackupArn: rec.arn() + "/backup/" + id, BackupName: in.BackupName, BackupSizeBytes: size,
			BackupStatus: "AVAILABLE", BackupType: "USER", BackupCreationDateTime: epoch.New(now)},
		SourceTableDetails: SourceTableDetails{TableName: rec.Name, TableId: rec.ID, TableArn: rec.arn(), TableSizeBytes: size,
			KeySchema: rec.KeySchema, TableCreationDateTime: desc.CreationDateTime,
			ProvisionedThroughput: ProvisionedThroughput{desc.ProvisionedThroughput.ReadCapacityUnits, desc.ProvisionedThroughput.WriteCapacityUnits},
			ItemCount:             count, BillingMode: rec.BillingMode}}}
	if err := s.saveJob(jobKey(backupPrefix, sc, id), b); err != nil {
		return nil, err
	}
	return &CreateBackupOutput{BackupDetails: b.Desc.BackupDetails}, nil
}

// copyItems writes, with put, a copy of each item an iterator over a table
// yields (its key and JSON) in batches of a thousand, closes the iterator,
// and returns the items' number and size. A scan an error ends early fails
// the copy.
func (s *Service) copyItems(it *meta.Iter, put func(b *meta.Batch, key, body []byte)) (count, size int64, err error) {
	defer it.Close()
	b := s.db.NewBatch()
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err != nil {
			b.Close()
			return 0, 0, err
		}
		body, err := s.open(v)
		if err != nil {
			b.Close()
			return 0, 0, err
		}
		item, err := decodeItem(body)
		if err != nil {
			b.Close()
			return 0, 0, err
		}
		put(b, it.Key(), v) // as stored: a copy of a sealed item stays sealed
		count++
		size += int64(itemSize(item))
		if count%1000 == 0 {
			if err := b.Commit(); err != nil {
				return 0, 0, err
			}
			b = s.db.NewBatch()
		}
	}
	if err := it.Close(); err != nil { // an error that ended the scan early
		b.Close()
		return 0, 0, err
	}
	return count, size, b.Commit()
}

type BackupArnInput struct {
	BackupArn string `json:"BackupArn"`
}

type BackupDescriptionOutput struct {
	BackupDescription BackupDescription `json:"BackupDescription"`
}

func backupARN(b *backupRecord) string { return b.Desc.BackupDetails.BackupArn }

func (s *Service) backup(ctx context.Context, arn string) (*backupRecord, error) {
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":table/") || !strings.Contains(arn, "/backup/") {
		return nil, validationf("Invalid Backup ARN")
	}
	b, err := jobByARN(s, backupPrefix, scopeOf(ctx), arn, "backup", backupARN)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return nil, ErrBackupNotFound.WithMessage("Backup not found: %s", arn)
	}
	return b, nil
}

// DescribeBackup describes a backup.
func (s *Service) DescribeBackup(ctx context.Context, in *BackupArnInput) (*BackupDescriptionOutput, error) {
	b, err := s.backup(ctx, in.BackupArn)
	if err != nil {
		return nil, err
	}
	return &BackupDescriptionOutput{BackupDescription: b.description()}, nil
}

// DeleteBackup deletes a backup and its items.
func (s *Service) DeleteBackup(ctx context.Context, in *BackupArnInput) (*BackupDescriptionOutput, error) {
	b, err := s.backup(ctx, in.BackupArn)
	if err != nil {
		return nil, err
	}
	batch := s.db.NewBatch()
	batch.Delete(jobKey(backupPrefix, scopeOf(ctx), b.ID))
	items := backupItems(b.ID)
	batch.DeleteRange(items, meta.PrefixEnd(items))
	if err := batch.Commit(); err != nil {
		return nil, err
	}
	b.Desc.BackupDetails.BackupStatus = "DELETED"
	return &BackupDescriptionOutput{BackupDescription: b.description()}, nil
}

type ListBackupsInput struct {
	TableName               string      `json:"TableName,omitempty"`
	Limit                   *int        `json:"Limit,omitempty"`
	TimeRangeLowerBound     *epoch.Time `json:"TimeRangeLowerBound,omitempty"`
	TimeRangeUpperBound     *epoch.Time `json:"TimeRangeUpperBound,omitempty"`
	ExclusiveStartBackupArn string      `json:"ExclusiveStartBackupArn,omitempty"`
	BackupType              string      `json:"BackupType,omitempty"`
}

type BackupSummary struct {
	TableName              string     `json:"TableName"`
	TableId                string     `json:"TableId"`
	TableArn               string     `json:"TableArn"`
	BackupArn              string     `json:"BackupArn"`
	BackupName             string     `json:"BackupName"`
	BackupCreationDateTime epoch.Time `json:"BackupCreationDateTime"`
	BackupStatus           string     `json:"BackupStatus"`
	BackupType             string     `json:"BackupType"`
	BackupSizeBytes        int64      `json:"BackupSizeBytes"`
}

type ListBackupsOutput struct {
	BackupSummaries        []BackupSummary `json:"BackupSummaries"`
	LastEvaluatedBackupArn string          `json:"LastEvaluatedBackupArn,omitempty"`
}

// ListBackups lists the account's backups in the region, oldest first.
func (s *Service) ListBackups(ctx context.Context, in *ListBackupsInput) (*ListBackupsOutput, error) {
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 100 {
			return nil, modelValidation(*in.Limit, "limit", "have value between 1 and 100")
		}
		limit = *in.Limit
	}
	if lo, hi := in.TimeRangeLowerBound, in.TimeRangeUpperBound; lo != nil && hi != nil && lo.After(hi.Time) {
		return nil, invalidParam("Time range lower bound must be less than or equal to upper bound")
	}
	switch in.BackupType {
	case "", "ALL", "USER":
	case "SYSTEM", "AWS_BACKUP":
		return &ListBackupsOutput{BackupSummaries: []BackupSummary{}}, nil // Lakebox makes none
	default:
		return nil, modelValidation(in.BackupType, "backupType", "satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]")
	}
	all, err := loadJobs[backupRecord](s, backupPrefix, scopeOf(ctx))
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(b backupRecord) bool {
		at := b.Desc.BackupDetails.BackupCreationDateTime
		return in.TableName != "" && b.Source.Name != in.TableName && b.Source.arn() != in.TableName ||
			in.TimeRangeLowerBound != nil && at.Before(in.TimeRangeLowerBound.Time) ||
			in.TimeRangeUpperBound != nil && !at.Before(in.TimeRangeUpperBound.Time)
	})
	if a := in.ExclusiveStartBackupArn; a != "" {
		// By position: ids sort by creation, and the backup named may
		// have been deleted since (list, then delete, page by page).
		i := strings.LastIndex(a, "/backup/")
		if i < 0 {
			return nil, validationf("Invalid ExclusiveStartBackupArn: %s", a)
		}
		after := a[i+len("/backup/"):]
		all = slices.DeleteFunc(all, func(b backupRecord) bool { return b.ID <= after })
	}
	out := &ListBackupsOutput{BackupSummaries: []BackupSummary{}}
	for i, b := range all {
		if i == limit {
			out.LastEvaluatedBackupArn = backupARN(&all[i-1])
			break
		}
		d, t := b.Desc.BackupDetails, b.Desc.SourceTableDetails
		out.BackupSummaries = append(out.BackupSummaries, BackupSummary{TableName: t.TableName, TableId: t.TableId, TableArn: t.TableArn,
			BackupArn: d.BackupArn, BackupName: d.BackupName, BackupCreationDateTime: d.BackupCreationDateTime,
			BackupStatus: d.BackupStatus, BackupType: d.BackupType, BackupSizeBytes: d.BackupSizeBytes})
	}
	return out, nil
}

type RestoreTableFromBackupInput struct {
	TargetTableName string `json:"TargetTableName"`
	BackupArn       string `json:"BackupArn"`
	RestoreOverrides
}

// RestoreTableFromBackup makes a new table holding a backup's items,
// ACTIVE and filled when it answers.
func (s *Service) RestoreTableFromBackup(ctx context.Context, in *RestoreTableFromBackupInput) (*RestoreTableOutput, error) {
	b, err := s.backup(ctx, in.BackupArn)
	if err != nil {
		return nil, err
	}
	// The items are read from a snapshot taken now: a DeleteBackup while
	// the table is made cannot empty the restore.
	prefix := backupItems(b.ID)
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	from := &restoreRecord{SourceBackupArn: backupARN(b), SourceTableArn: b.Source.arn(), At: b.Desc.BackupDetails.BackupCreationDateTime.UnixMilli()}
	return s.restore(ctx, &b.Source, from, in.TargetTableName, &in.RestoreOverrides, func(fn func(parts, body []byte) error) error {
		for it.First(); it.Valid(); it.Next() {
			v, err := s.opened(it)
			if err != nil {
				return err
			}
			if err := fn(bytes.TrimPrefix(it.Key(), prefix), v); err != nil {
				return err
			}
		}
		return it.Close()
	})
}
