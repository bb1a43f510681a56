package dynamodb

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Point-in-time recovery keeps every version of every item of a table
// for its recovery period, written in the same batch as the item:
//
//	ddb\x00h\x00<table id>\x00<key parts><^unix ms, 8 bytes>   0x01 + the item's JSON, or 0x00 when deleted
//
// Key parts are prefix-free, so an item's versions are adjacent, newest
// first. Enabling copies the table's items in as of that moment, under the
// table's write lock; the state at any time since is then, for each item,
// its newest version at or before that time. Restores and exports read it.

var historyPrefix = []byte("ddb\x00h\x00")

const (
	defaultRecoveryDays = 35
	versionDeleted      = 0
	versionItem         = 1
)

var (
	ErrTableNotFound                = awserr.New("TableNotFoundException", 400, "Table not found")
	ErrTableAlreadyExists           = awserr.New("TableAlreadyExistsException", 400, "Table already exists")
	ErrContinuousBackupsUnavailable = awserr.New("ContinuousBackupsUnavailableException", 400, "Continuous backups are not available")
	ErrPITRUnavailable              = awserr.New("PointInTimeRecoveryUnavailableException", 400, "Point in time recovery is not enabled")
	ErrInvalidRestoreTime           = awserr.New("InvalidRestoreTimeException", 400, "Invalid restore time")
)

// pitrRecord is a table's point-in-time recovery, when it is on.
type pitrRecord struct {
	Since int64 // Unix ms: when it was turned on
	Days  int   // the recovery period
}

func historyTablePrefix(tableID string) []byte {
	return []byte(string(historyPrefix) + tableID + "\x00")
}

// historyKey is the key of the version at ms of an item of rec; itemKey
// is the item's key in the table. Each table keeps its own versions, a
// replica of a global table too, though the replicas share their items.
func historyKey(rec *tableRecord, itemKey []byte, ms int64) []byte {
	k := append(historyTablePrefix(rec.ID), itemKey[len(itemKeyPrefix(rec.dataID())):]...)
	return binary.BigEndian.AppendUint64(k, ^uint64(ms))
}

// splitHistoryKey returns the key parts and the time of a version's key
// under a table's history prefix.
func splitHistoryKey(prefix, k []byte) (parts []byte, ms int64) {
	return k[len(prefix) : len(k)-8], int64(^binary.BigEndian.Uint64(k[len(k)-8:]))
}

// keep records a version of an item in the batch when the table keeps
// them: body is the item's JSON, nil when it was deleted.
func (w *writeBatch) keep(rec *tableRecord, key, body []byte) {
	if rec.PITR == nil {
		return
	}
	v := make([]byte, 1, 1+len(body))
	if body != nil {
		v[0] = versionItem
		v = append(v, body...)
	}
	if w.at == 0 { // one moment for the whole batch: a transaction is restored whole or not at all
		w.at = w.s.clock.Now().UnixMilli()
	}
	w.b.Set(historyKey(rec, key, w.at), v)
}

// earliest returns the earliest restorable time of a table's recovery.
func (p *pitrRecord) earliest(now time.Time) int64 {
	return max(p.Since, now.Add(-time.Duration(p.Days)*24*time.Hour).UnixMilli())
}

// stateAt calls fn with the key parts and JSON of every item a table held
// at ms. The slices are valid only during the call.
func (s *Service) stateAt(tableID string, ms int64, fn func(parts, body []byte) error) error {
	prefix := historyTablePrefix(tableID)
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	var chosen []byte // the item whose version at ms was found
	found := false
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		parts, at := splitHistoryKey(prefix, k)
		if found && bytes.Equal(parts, chosen) || at > ms {
			continue
		}
		chosen, found = append(chosen[:0], parts...), true
		v, err := it.Value()
		if err != nil {
			return err
		}
		if len(v) > 0 && v[0] == versionItem {
			body, err := s.open(v[1:])
			if err != nil {
				return err
			}
			if err := fn(parts, body); err != nil {
				return err
			}
		}
	}
	return it.Close()
}

type PointInTimeRecoveryDescription struct {
	PointInTimeRecoveryStatus  string      `json:"PointInTimeRecoveryStatus"`
	RecoveryPeriodInDays       int         `json:"RecoveryPeriodInDays,omitempty"`
	EarliestRestorableDateTime *epoch.Time `json:"EarliestRestorableDateTime,omitempty"`
	LatestRestorableDateTime   *epoch.Time `json:"LatestRestorableDateTime,omitempty"`
}

type ContinuousBackupsDescription struct {
	ContinuousBackupsStatus        string                         `json:"ContinuousBackupsStatus"`
	PointInTimeRecoveryDescription PointInTimeRecoveryDescription `json:"PointInTimeRecoveryDescription"`
}

type ContinuousBackupsOutput struct {
	ContinuousBackupsDescription ContinuousBackupsDescription `json:"ContinuousBackupsDescription"`
}

// continuousBackups describes a table's backups: continuous backups are
// ENABLED on every table from its creation, as on DynamoDB; point-in-time
// recovery is what UpdateContinuousBackups turns on and off.
func (s *Service) continuousBackups(rec *tableRecord) *ContinuousBackupsOutput {
	p := rec.PITR
	if p == nil {
		return &ContinuousBackupsOutput{ContinuousBackupsDescription{ContinuousBackupsStatus: "ENABLED",
			PointInTimeRecoveryDescription: PointInTimeRecoveryDescription{PointInTimeRecoveryStatus: "DISABLED"}}}
	}
	now := s.clock.Now()
	return &ContinuousBackupsOutput{ContinuousBackupsDescription{ContinuousBackupsStatus: "ENABLED",
		PointInTimeRecoveryDescription: PointInTimeRecoveryDescription{PointInTimeRecoveryStatus: "ENABLED",
			RecoveryPeriodInDays: p.Days, EarliestRestorableDateTime: epoch.Ptr(time.UnixMilli(p.earliest(now))),
			LatestRestorableDateTime: epoch.Ptr(now)}}}
}

// DescribeContinuousBackups reports a table's point-in-time recovery.
func (s *Service) DescribeContinuousBackups(ctx context.Context, in *TableNameInput) (*ContinuousBackupsOutput, error) {
	t, err := s.backupsTable(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return s.continuousBackups(&t.rec), nil
}

type PointInTimeRecoverySpecification struct {
	PointInTimeRecoveryEnabled *bool `json:"PointInTimeRecoveryEnabled"`
	RecoveryPeriodInDays       *int  `json:"RecoveryPeriodInDays,omitempty"`
}

type UpdateContinuousBackupsInput struct {
	TableName                        string                            `json:"TableName"`
	PointInTimeRecoverySpecification *PointInTimeRecoverySpecification `json:"PointInTimeRecoverySpecification"`
}

// UpdateContinuousBackups turns point-in-time recovery on (taking the
// table's items in as they are now), changes its period, or turns it off
// (forgetting the versions kept).
func (s *Service) UpdateContinuousBackups(ctx context.Context, in *UpdateContinuousBackupsInput) (*ContinuousBackupsOutput, error) {
	spec := in.PointInTimeRecoverySpecification
	if spec == nil {
		return nil, modelValidation(nil, "pointInTimeRecoverySpecification", "not be null")
	}
	if spec.PointInTimeRecoveryEnabled == nil {
		return nil, modelValidation(nil, "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", "not be null")
	}
	days := defaultRecoveryDays
	if d := spec.RecoveryPeriodInDays; d != nil {
		if *d < 1 || *d > 35 {
			return nil, modelValidation(*d, "pointInTimeRecoverySpecification.recoveryPeriodInDays", "have value between 1 and 35")
		}
		if !*spec.PointInTimeRecoveryEnabled {
			return nil, validationf("Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.")
		}
		days = *d
	}
	t, err := s.backupsTable(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	// The write lock: no item write is between the copy and the flag.
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.deleted {
		return nil, ErrTableNotFound.WithMessage("Table not found: %s", t.rec.Name)
	}
	rec := t.rec
	prefix := historyTablePrefix(rec.ID)
	switch {
	case !*spec.PointInTimeRecoveryEnabled:
		if rec.PITR == nil {
			return s.continuousBackups(&rec), nil
		}
		// The record first: a crash before the versions go leaves only
		// unreferenced keys, which the next enabling clears.
		rec.PITR = nil
		if err := s.saveTable(&rec); err != nil {
			return nil, err
		}
		t.rec = rec
		b := s.db.NewBatch()
		b.DeleteRange(prefix, meta.PrefixEnd(prefix))
		if err := b.Commit(); err != nil {
			return nil, err
		}
		return s.continuousBackups(&rec), nil
	case rec.PITR != nil:
		// A longer period cannot reach back past what a shorter one
		// already let go.
		p := *rec.PITR
		p.Since, p.Days = p.earliest(s.clock.Now()), days
		rec.PITR = &p
	default:
		now := s.clock.Now().UnixMilli()
		if err := s.copyIntoHistory(&rec, now); err != nil {
			return nil, err
		}
		rec.PITR = &pitrRecord{Since: now, Days: days}
	}
	if err := s.saveTable(&rec); err != nil {
		return nil, err
	}
	t.rec = rec
	return s.continuousBackups(&rec), nil
}

// copyIntoHistory writes a table's items as versions at ms, after
// clearing what an earlier, interrupted copy may have left.
func (s *Service) copyIntoHistory(rec *tableRecord, ms int64) error {
	hist := historyTablePrefix(rec.ID)
	b := s.db.NewBatch()
	b.DeleteRange(hist, meta.PrefixEnd(hist))
	if err := b.Commit(); err != nil {
		return err
	}
	prefix := itemKeyPrefix(rec.dataID())
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	_, _, err = s.copyItems(it, func(b *meta.Batch, key, body []byte) {
		b.Set(historyKey(rec, key, ms), append([]byte{versionItem}, body...))
	})
	return err
}

// TrimHistory drops the item versions older than each table's recovery
// period needs, and returns how many it dropped. The newest version at
// or before the period's start stays: it is the state then.
func (s *Service) TrimHistory() (int, error) {
	now := s.clock.Now()
	s.mu.RLock()
	var tables []*table
	for _, t := range s.tables {
		tables = append(tables, t)
	}
	s.mu.RUnlock()
	dropped := 0
	for _, t := range tables {
		if t.filling.Load() != nil { // a restore or import holds it until filled
			continue
		}
		// Under the read lock, as writers: UpdateTable, which rewrites
		// the versions when encryption changes (reseal) under the write
		// lock, must not write back one this drops.
		t.mu.RLock()
		id, p := t.rec.ID, t.rec.PITR
		if t.deleted || p == nil {
			t.mu.RUnlock()
			continue
		}
		cutoff := now.Add(-time.Duration(p.Days) * 24 * time.Hour).UnixMilli()
		if cutoff <= p.Since {
			t.mu.RUnlock()
			continue
		}
		n, err := s.trimTable(id, cutoff)
		t.mu.RUnlock()
		dropped += n
		if err != nil {
			return dropped, err
		}
	}
	return dropped, nil
}

func (s *Service) trimTable(tableID string, cutoff int64) (int, error) {
	prefix := historyTablePrefix(tableID)
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return 0, err
	}
	// An item's drops commit together: dropping a deletion without the
	// versions before it would bring the item back.
	var drop [][]byte
	dropped := 0
	flush := func() error {
		b := s.db.NewBatch()
		for _, k := range drop {
			b.Delete(k)
		}
		if err := b.Commit(); err != nil {
			return err
		}
		dropped += len(drop)
		drop = drop[:0]
		return nil
	}
	var item []byte
	kept := false // the current item's state at the cutoff is kept
	for it.First(); it.Valid(); it.Next() {
		k := it.Key()
		parts, at := splitHistoryKey(prefix, k)
		if !bytes.Equal(parts, item) {
			if len(drop) >= 1000 {
				if err := flush(); err != nil {
					it.Close()
					return dropped, err
				}
			}
			item, kept = append(item[:0], parts...), false
		}
		if at > cutoff {
			continue
		}
		if kept {
			drop = append(drop, bytes.Clone(k))
			continue
		}
		kept = true
		v, err := it.Value()
		if err != nil {
			it.Close()
			return 0, err
		}
		if len(v) == 0 || v[0] == versionDeleted { // nothing to restore
			drop = append(drop, bytes.Clone(k))
		}
	}
	if err := it.Close(); err != nil {
		return dropped, err
	}
	if len(drop) > 0 {
		if err := flush(); err != nil {
			return dropped, err
		}
	}
	return dropped, nil
}

// check refuses, in DynamoDB's words, overrides that do not fit the
// source table: throughput with a billing mode that has none or lacks it,
// and an index the source did not have (a restore leaves indexes out,
// never makes new ones).
func (o *RestoreOverrides) check(src *tableRecord) error {
	billing := cmp.Or(o.BillingModeOverride, src.BillingMode)
	switch {
	case o.BillingModeOverride == "PAY_PER_REQUEST" && o.ProvisionedThroughputOverride != nil:
		return validationf("Invalid Request: Cannot override ProvisionedThroughput if BillingMode is overridden to PAY_PER_REQUEST")
	case o.BillingModeOverride == "" && billing == "PAY_PER_REQUEST" && o.ProvisionedThroughputOverride != nil:
		return validationf("Invalid Request: Cannot override ProvisionedThroughput unless BillingMode is PROVISIONED")
	case o.BillingModeOverride == "PROVISIONED" && src.BillingMode != "PROVISIONED" && o.ProvisionedThroughputOverride == nil:
		return validationf("Invalid Request: Must override ProvisionedThroughput if BillingMode is overridden to PROVISIONED")
	}
	for i, list := range [][]SecondaryIndex{o.GlobalSecondaryIndexOverride, o.LocalSecondaryIndexOverride} {
		for _, want := range list {
			ix := src.index(want.IndexName)
			if ix == nil || ix.Global != (i == 0) || !slices.Equal(ix.KeySchema, want.KeySchema) ||
				ix.Projection.ProjectionType != want.Projection.ProjectionType || !slices.Equal(ix.Projection.NonKeyAttributes, want.Projection.NonKeyAttributes) {
				return validationf("Invalid Request: Index %s does not match a secondary index that existed in the source table and cannot be created during the restore operation", want.IndexName)
			}
		}
	}
	return nil
}

// RestoreOverrides are what a restore may change of the source table's
// settings; the keys stay the source's.
type RestoreOverrides struct {
	BillingModeOverride           string                 `json:"BillingModeOverride,omitempty"`
	ProvisionedThroughputOverride *ProvisionedThroughput `json:"ProvisionedThroughputOverride,omitempty"`
	GlobalSecondaryIndexOverride  []SecondaryIndex       `json:"GlobalSecondaryIndexOverride,omitempty"`
	LocalSecondaryIndexOverride   []SecondaryIndex       `json:"LocalSecondaryIndexOverride,omitempty"`
	SSESpecificationOverride      *SSESpecification      `json:"SSESpecificationOverride,omitempty"`
	OnDemandThroughputOverride    any                    `json:"OnDemandThroughputOverride,omitempty"` // refused
}

type RestoreTableToPointInTimeInput struct {
	SourceTableArn          string      `json:"SourceTableArn,omitempty"`
	SourceTableName         string      `json:"SourceTableName,omitempty"`
	TargetTableName         string      `json:"TargetTableName"`
	UseLatestRestorableTime *bool       `json:"UseLatestRestorableTime,omitempty"`
	RestoreDateTime         *epoch.Time `json:"RestoreDateTime,omitempty"`
	RestoreOverrides
}

type RestoreTableOutput struct {
	TableDescription TableDescription `json:"TableDescription"`
}

// RestoreTableToPointInTime makes a new table holding the items a table
// with point-in-time recovery held at a moment of its recovery period.
// The new table is ACTIVE, and filled, when it answers.
func (s *Service) RestoreTableToPointInTime(ctx context.Context, in *RestoreTableToPointInTimeInput) (*RestoreTableOutput, error) {
	if (in.SourceTableName == "") == (in.SourceTableArn == "") {
		return nil, validationf("Invalid Request: Must provide exactly one of: sourceTableArn, sourceTableName")
	}
	name := cmp.Or(in.SourceTableName, in.SourceTableArn)
	if in.UseLatestRestorableTime != nil && *in.UseLatestRestorableTime && in.RestoreDateTime != nil {
		return nil, validationf("Only one of UseLatestRestorableTime and RestoreDateTime can be specified")
	}
	rec, err := s.recoverable(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	at := now.UnixMilli()
	if in.UseLatestRestorableTime == nil || !*in.UseLatestRestorableTime {
		if in.RestoreDateTime == nil {
			return nil, validationf("Invalid Request: Either one of RestoreDateTime or UseLatestRestorableTime must be specified, but not both")
		}
		if at, err = rec.PITR.within(in.RestoreDateTime.Time, now); err != nil {
			return nil, ErrInvalidRestoreTime.WithMessage("RestoreDateTime %s", err)
		}
	}
	from := &restoreRecord{SourceTableArn: rec.arn(), At: at}
	return s.restore(ctx, &rec, from, in.TargetTableName, &in.RestoreOverrides, func(fn func(parts, body []byte) error) error {
		return s.stateAt(rec.ID, at, fn)
	})
}

// restore creates a table with a source's keys and settings (or the
// overrides) and fills it with the items each yields, holding the new
// table's write lock: writers wait until it is filled. from is what its
// RestoreSummary tells.
func (s *Service) restore(ctx context.Context, src *tableRecord, from *restoreRecord, name string, o *RestoreOverrides,
	each func(fn func(parts, body []byte) error) error) (*RestoreTableOutput, error) {
	// Checked here to be named as the request names them; the table's
	// creation checks them again under their CreateTable names.
	if o.OnDemandThroughputOverride != nil {
		return nil, validationf("Lakebox does not support OnDemandThroughputOverride yet.")
	}
	if _, err := o.SSESpecificationOverride.kmsKey(scopeOf(ctx), "sSESpecificationOverride"); err != nil {
		return nil, err
	}
	if err := o.check(src); err != nil {
		return nil, err
	}
	create := &CreateTableInput{TableName: name, KeySchema: src.KeySchema, TableClass: src.TableClass,
		BillingMode: src.BillingMode, ProvisionedThroughput: src.Throughput, SSESpecification: o.SSESpecificationOverride,
		notServed: notServed{OnDemandThroughput: o.OnDemandThroughputOverride}, restored: from}
	if o.BillingModeOverride != "" {
		create.BillingMode = o.BillingModeOverride
		if create.BillingMode == "PAY_PER_REQUEST" {
			create.ProvisionedThroughput = nil
		}
	}
	if o.ProvisionedThroughputOverride != nil {
		create.ProvisionedThroughput = o.ProvisionedThroughputOverride
	}
	for _, ix := range src.Indexes {
		if ix.Global {
			create.GlobalSecondaryIndexes = append(create.GlobalSecondaryIndexes, ix.SecondaryIndex)
		} else {
			create.LocalSecondaryIndexes = append(create.LocalSecondaryIndexes, ix.SecondaryIndex)
		}
	}
	// An override given empty restores no indexes of its kind (nil: an
	// empty list is what CreateTable refuses).
	if o.GlobalSecondaryIndexOverride != nil {
		create.GlobalSecondaryIndexes = o.GlobalSecondaryIndexOverride
		if len(create.GlobalSecondaryIndexes) == 0 {
			create.GlobalSecondaryIndexes = nil
		}
	}
	if o.LocalSecondaryIndexOverride != nil {
		create.LocalSecondaryIndexes = o.LocalSecondaryIndexOverride
		if len(create.LocalSecondaryIndexes) == 0 {
			create.LocalSecondaryIndexes = nil
		}
	}
	if create.BillingMode == "PAY_PER_REQUEST" {
		for i := range create.GlobalSecondaryIndexes {
			create.GlobalSecondaryIndexes[i].ProvisionedThroughput = nil
		}
	}
	// Only the attributes the keys use: an override may leave an index out.
	used := map[string]bool{}
	for _, k := range create.KeySchema {
		used[k.AttributeName] = true
	}
	for _, ix := range append(append([]SecondaryIndex(nil), create.GlobalSecondaryIndexes...), create.LocalSecondaryIndexes...) {
		for _, k := range ix.KeySchema {
			used[k.AttributeName] = true
		}
	}
	for _, d := range src.Attributes {
		if used[d.AttributeName] {
			create.AttributeDefinitions = append(create.AttributeDefinitions, d)
		}
	}
	_, target, err := s.createTable(ctx, create, true, nameFields{table: "targetTableName", gsis: "globalSecondaryIndexOverride", lsis: "localSecondaryIndexOverride"})
	if err != nil {
		if errors.Is(err, ErrResourceInUse) {
			return nil, ErrTableAlreadyExists.WithMessage("Table already exists: %s", name)
		}
		return nil, err
	}
	// A restore that does not finish (an error, a panic) takes its
	// half-filled table away again.
	finished := false
	defer func() {
		if !finished {
			s.deleteTable(target) // best effort: the request fails anyway
		}
		target.unlockFilled()
	}()
	count, size, err := s.fill(&target.rec, each)
	if err != nil {
		return nil, err
	}
	if err := s.filled(target, nil); err != nil {
		return nil, err
	}
	finished = true
	return &RestoreTableOutput{TableDescription: s.describe(&target.rec, "ACTIVE", count, size)}, nil
}

// filled clears a write-locked table's Filling mark, durably, in one
// commit with what b holds (nil: nothing more).
func (s *Service) filled(t *table, b *meta.Batch) error {
	if b == nil {
		b = s.db.NewBatch()
	}
	rec := t.rec
	rec.Filling = false
	if err := s.saveTableIn(b, &rec); err != nil {
		return err
	}
	t.rec = rec
	return nil
}

// removeUnfilled removes the tables a crash left half filled by a restore
// or an import; New calls it before the service serves.
func (s *Service) removeUnfilled() error {
	for _, t := range s.tables {
		if !t.rec.Filling {
			continue
		}
		s.opts.Logger.Warn("dynamodb: removing a table a crash left half filled", "table", t.rec.Name, "account", t.rec.Account, "region", t.rec.Region)
		t.mu.Lock()
		_, err := s.deleteTable(t) // takes it out of s.tables too
		t.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// fill writes into a new table the items each yields (key parts and
// JSON), and returns their number and size.
func (s *Service) fill(target *tableRecord, each func(fn func(parts, body []byte) error) error) (count, size int64, err error) {
	w := s.newWriteBatch()
	defer func() { w.discard() }()
	n := 0
	err = each(func(parts, body []byte) error {
		item, err := decodeItem(body)
		if err != nil {
			return err
		}
		key := append(itemKeyPrefix(target.dataID()), parts...)
		w.put(target, key, nil, item, bytes.Clone(body))
		count++
		size += int64(itemSize(item))
		if n++; n%500 == 0 {
			if err := w.commit(); err != nil {
				return err
			}
			w = s.newWriteBatch()
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return count, size, w.commit()
}

// recoverable returns the record of a table with point-in-time recovery
// on, or the error restores and exports give.
func (s *Service) recoverable(ctx context.Context, name string) (tableRecord, error) {
	t, err := s.backupsTable(ctx, name)
	if err != nil {
		return tableRecord{}, err
	}
	t.mu.RLock()
	rec := t.rec
	t.mu.RUnlock()
	if rec.PITR == nil {
		return rec, ErrPITRUnavailable.WithMessage("Point in time recovery is not enabled for table '%s'", rec.Name)
	}
	return rec, nil
}

// within returns the moment (Unix ms) a requested time reads, or an error
// when it falls outside the recovery window, from the earliest restorable
// time to now. SDKs send timestamps in whole seconds (botocore does), so
// the second of the earliest time reads as the earliest time.
func (p *pitrRecord) within(at, now time.Time) (int64, error) {
	earliest := p.earliest(now)
	if at.Before(time.UnixMilli(earliest).Truncate(time.Second)) || at.After(now) {
		return 0, fmt.Errorf("%s is outside the point-in-time recovery window [%s, %s]", at.UTC().Format(time.RFC3339Nano),
			time.UnixMilli(earliest).UTC().Format(time.RFC3339Nano), now.UTC().Format(time.RFC3339Nano))
	}
	return max(at.UnixMilli(), earliest), nil
}

// backupsTable finds a table, with the backup operations' error for one
// that does not exist.
func (s *Service) backupsTable(ctx context.Context, name string) (*table, error) {
	t, err := s.lookupNamed(ctx, name)
	if errors.Is(err, ErrResourceNotFound) {
		if _, _, n, ok := tableARN(name); ok {
			name = n
		}
		return nil, ErrTableNotFound.WithMessage("Table not found: %s", name)
	}
	return t, err
}
