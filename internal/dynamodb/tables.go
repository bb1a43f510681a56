package dynamodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

type KeySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"`
}

type AttributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type ProvisionedThroughput struct {
	ReadCapacityUnits  int64 `json:"ReadCapacityUnits"`
	WriteCapacityUnits int64 `json:"WriteCapacityUnits"`
}

type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// tableRecord is a table as stored.
type tableRecord struct {
	Account, Region, Name string
	ID                    string
	KeySchema             []KeySchemaElement
	Attributes            []AttributeDefinition
	BillingMode           string
	Throughput            *ProvisionedThroughput `json:",omitempty"`
	ThroughputChanges     *throughputChanges     `json:",omitempty"`
	Created               int64
	Tags                  []Tag                `json:",omitempty"`
	DeletionProtection    bool                 `json:",omitempty"`
	TableClass            string               `json:",omitempty"` // as given: STANDARD or STANDARD_INFREQUENT_ACCESS
	TableClassChanged     int64                `json:",omitempty"` // Unix ms UpdateTable last changed it
	TableClassChangedOnce int64                `json:",omitempty"` // Unix ms of the change before that (classSpent)
	PayPerRequestSince    int64                `json:",omitempty"` // Unix ms UpdateTable last made it PAY_PER_REQUEST (else since Created)
	TTL                   string               `json:",omitempty"` // the time-to-live attribute, when expiry is on
	Indexes               []indexRecord        `json:",omitempty"`
	Stream                string               `json:",omitempty"` // the id of the enabled stream
	StreamViewType        string               `json:",omitempty"` // and its view type
	LatestStream          string               `json:",omitempty"` // the ARN of the newest stream, enabled or not
	PITR                  *pitrRecord          `json:",omitempty"` // point-in-time recovery, when on
	Kinesis               []kinesisDestination `json:",omitempty"`
	Restored              *restoreRecord       `json:",omitempty"` // where a restored table's items came from
	KMSKey                string               `json:",omitempty"` // the ARN of the KMS key an encrypted table is sealed for (sse.go)
	// DataID names where the items and index entries of a global table
	// are kept: its members share them (global.go). Empty for a table that
	// was never a replica: its own ID.
	DataID string `json:",omitempty"`
	// Replicas are the regions of the other members of its global table.
	Replicas []string `json:",omitempty"`
	// CollectionsSized is set on a table with local indexes whose item
	// collections' sizes are kept (collections.go): every such table made
	// since Lakebox kept them, and older ones once New has measured them.
	CollectionsSized bool `json:",omitempty"`
	// Filling is set while a restore or an import fills the new table: a
	// table still filling when the server starts was cut short by a crash
	// (its request never answered) and is removed.
	Filling bool `json:",omitempty"`
}

// table is a table at run time.
type table struct {
	key tableKey // never changes: read without the lock
	mu  sync.RWMutex
	rec tableRecord
	// deleted is set by DeleteTable: a writer that found the table just
	// before must not write into its removed keys.
	deleted bool
	// readUnlock is mu.RUnlock as a value made once: lockTable hands it to
	// every request, and a method value made there is an allocation each.
	readUnlock func()
	// filling is the record of a table a restore or an import is filling
	// under the write lock (lockForFill), for DescribeTable to answer
	// CREATING from rather than wait for the fill.
	filling atomic.Pointer[tableRecord]
	// counted is what DescribeTable last counted of the table (countedStats).
	counted atomic.Pointer[tableStats]
}

// lockForFill write-locks a new table a restore or an import is about to
// fill; until unlockFilled, DescribeTable answers CREATING.
func (t *table) lockForFill() {
	t.mu.Lock()
	rec := t.rec
	t.filling.Store(&rec)
}

func (t *table) unlockFilled() {
	t.filling.Store(nil)
	t.mu.Unlock()
}

func newTable(rec tableRecord) *table {
	t := &table{key: tableKey{rec.Account, rec.Region, rec.Name}, rec: rec}
	t.readUnlock = t.mu.RUnlock
	return t
}

func (r *tableRecord) arn() string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", r.Region, r.Account, r.Name)
}

// keyNames returns the partition and sort key attribute names ("" when
// there is no sort key).
func (r *tableRecord) keyNames() (string, string) { return keyNames(r.KeySchema) }

// keyNames returns a key schema's partition and sort key names ("" when
// there is no sort key).
func keyNames(ks []KeySchemaElement) (string, string) {
	var hash, rng string
	for _, k := range ks {
		if k.KeyType == "HASH" {
			hash = k.AttributeName
		} else {
			rng = k.AttributeName
		}
	}
	return hash, rng
}

func (r *tableRecord) attrType(name string) string {
	for _, a := range r.Attributes {
		if a.AttributeName == name {
			return a.AttributeType
		}
	}
	return ""
}

// tableARN splits a table's ARN, arn:<partition>:dynamodb:<region>:
// <account>:table/<name>.
func tableARN(s string) (region, account, name string, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || !strings.HasPrefix(parts[5], "table/") {
		return "", "", "", false
	}
	return parts[3], parts[4], strings.TrimPrefix(parts[5], "table/"), true
}

var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// checkName adds to v the model's rules for table, index and backup names
// that value breaks, in the order DynamoDB lists them: the pattern, then
// the length.
func checkName(v *awserr.Violations, value, field string) {
	if !namePattern.MatchString(value) {
		v.Add(value, field, "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	v.Length(value, field, len(value), 3, 255)
}

// nameValidation is the ValidationException of a table, index or backup
// name that breaks the model's rules (see checkName), or nil.
func nameValidation(value, field string) error {
	var v awserr.Violations
	if checkName(&v, value, field); len(v) > 0 {
		return v.Err()
	}
	return nil
}

type CreateTableInput struct {
	TableName                 string                 `json:"TableName"`
	KeySchema                 []KeySchemaElement     `json:"KeySchema"`
	AttributeDefinitions      []AttributeDefinition  `json:"AttributeDefinitions"`
	BillingMode               string                 `json:"BillingMode,omitempty"`
	ProvisionedThroughput     *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	Tags                      []Tag                  `json:"Tags,omitempty"`
	DeletionProtectionEnabled *bool                  `json:"DeletionProtectionEnabled,omitempty"`
	TableClass                string                 `json:"TableClass,omitempty"`

	GlobalSecondaryIndexes []SecondaryIndex `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes  []SecondaryIndex `json:"LocalSecondaryIndexes,omitempty"`

	StreamSpecification *StreamSpecification `json:"StreamSpecification,omitempty"`
	SSESpecification    *SSESpecification    `json:"SSESpecification,omitempty"`
	notServed

	// restored is set by restores: where the items come from.
	restored *restoreRecord
}

// notServed holds the members of table requests Lakebox does not serve:
// global tables, resource policies and throughput limits it would not
// enforce. Given, they are refused, never dropped.
type notServed struct {
	OnDemandThroughput                 any `json:"OnDemandThroughput,omitempty"`
	WarmThroughput                     any `json:"WarmThroughput,omitempty"`
	ResourcePolicy                     any `json:"ResourcePolicy,omitempty"`
	MultiRegionConsistency             any `json:"MultiRegionConsistency,omitempty"`
	GlobalTableWitnessUpdates          any `json:"GlobalTableWitnessUpdates,omitempty"`
	GlobalTableSourceArn               any `json:"GlobalTableSourceArn,omitempty"`
	GlobalTableSettingsReplicationMode any `json:"GlobalTableSettingsReplicationMode,omitempty"`
}

func (n *notServed) check() error {
	for _, m := range []struct {
		name string
		v    any
	}{{"OnDemandThroughput", n.OnDemandThroughput}, {"WarmThroughput", n.WarmThroughput}, {"ResourcePolicy", n.ResourcePolicy},
		{"MultiRegionConsistency", n.MultiRegionConsistency},
		{"GlobalTableWitnessUpdates", n.GlobalTableWitnessUpdates}, {"GlobalTableSourceArn", n.GlobalTableSourceArn},
		{"GlobalTableSettingsReplicationMode", n.GlobalTableSettingsReplicationMode}} {
		if m.v != nil {
			return validationf("Lakebox does not support %s yet.", m.name)
		}
	}
	return nil
}

// checkTableSettings checks the settings CreateTable and UpdateTable
// share: members not served, and the table class.
func checkTableSettings(n *notServed, class string) error {
	if err := n.check(); err != nil {
		return err
	}
	return checkTableClass(class)
}

// checkTableClass refuses a table class outside the model ("" is the
// default, STANDARD).
func checkTableClass(class string) error {
	switch class {
	case "", "STANDARD", "STANDARD_INFREQUENT_ACCESS":
		return nil
	}
	return validationf("Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].")
}

type IndexDescription struct {
	IndexName             string                  `json:"IndexName"`
	IndexArn              string                  `json:"IndexArn"`
	KeySchema             []KeySchemaElement      `json:"KeySchema"`
	Projection            Projection              `json:"Projection"`
	IndexStatus           string                  `json:"IndexStatus,omitempty"`
	ProvisionedThroughput *provisionedDescription `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64                   `json:"IndexSizeBytes"`
	ItemCount             int64                   `json:"ItemCount"`
}

type TableDescription struct {
	TableName                 string                 `json:"TableName"`
	TableArn                  string                 `json:"TableArn"`
	TableId                   string                 `json:"TableId"`
	TableStatus               string                 `json:"TableStatus"`
	KeySchema                 []KeySchemaElement     `json:"KeySchema"`
	AttributeDefinitions      []AttributeDefinition  `json:"AttributeDefinitions"`
	CreationDateTime          epoch.Time             `json:"CreationDateTime"`
	ProvisionedThroughput     provisionedDescription `json:"ProvisionedThroughput"`
	BillingModeSummary        *billingModeSummary    `json:"BillingModeSummary,omitempty"`
	TableSizeBytes            int64                  `json:"TableSizeBytes"`
	ItemCount                 int64                  `json:"ItemCount"`
	DeletionProtectionEnabled bool                   `json:"DeletionProtectionEnabled"`
	GlobalSecondaryIndexes    []IndexDescription     `json:"GlobalSecondaryIndexes,omitempty"`
	LocalSecondaryIndexes     []IndexDescription     `json:"LocalSecondaryIndexes,omitempty"`
	StreamSpecification       *StreamSpecification   `json:"StreamSpecification,omitempty"`
	LatestStreamArn           string                 `json:"LatestStreamArn,omitempty"`
	LatestStreamLabel         string                 `json:"LatestStreamLabel,omitempty"`
	TableClassSummary         *tableClassSummary     `json:"TableClassSummary,omitempty"`
	RestoreSummary            *restoreSummary        `json:"RestoreSummary,omitempty"`
	SSEDescription            *SSEDescription        `json:"SSEDescription,omitempty"`
	GlobalTableVersion        string                 `json:"GlobalTableVersion,omitempty"`
	Replicas                  []ReplicaDescription   `json:"Replicas,omitempty"`
}

// restoreRecord is where a restored table's items came from: a backup, or
// a table at a point in time (SourceBackupArn then empty), and that time
// (the backup's, or the point's), in Unix ms.
type restoreRecord struct {
	SourceBackupArn string `json:",omitempty"`
	SourceTableArn  string
	At              int64
}

type restoreSummary struct {
	SourceBackupArn   string     `json:"SourceBackupArn,omitempty"`
	SourceTableArn    string     `json:"SourceTableArn"`
	RestoreDateTime   epoch.Time `json:"RestoreDateTime"`
	RestoreInProgress bool       `json:"RestoreInProgress"`
}

type tableClassSummary struct {
	TableClass         string      `json:"TableClass"`
	LastUpdateDateTime *epoch.Time `json:"LastUpdateDateTime,omitempty"`
}

type provisionedDescription struct {
	LastIncreaseDateTime   *epoch.Time `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   *epoch.Time `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64       `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64       `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64       `json:"WriteCapacityUnits"`
}

// throughputChanges is when a provisioned throughput (a table's or a
// global index's) last went up and last went down, and how many times it
// went down on the UTC day it last did.
type throughputChanges struct {
	LastIncrease int64 `json:",omitempty"` // Unix ms
	LastDecrease int64 `json:",omitempty"`
	Decreases    int64 `json:",omitempty"`
}

// freeDecreases is how many decreases of a table's (or a global index's)
// provisioned throughput DynamoDB allows in a UTC day before it allows one
// an hour (decreaseInterval).
const (
	freeDecreases    = 4
	decreaseInterval = time.Hour
)

// checkDecrease refuses a change from old to new at now that lowers a
// figure, when the UTC day's free decreases are spent and the last was
// less than an hour ago, in DynamoDB's words (ack-api-quirks
// DDB-TABLE-184: the next decrease is allowed an hour after the last, or
// at the start of the next UTC day if that comes first).
func checkDecrease(c *throughputChanges, old, new *ProvisionedThroughput, now time.Time) error {
	if c == nil || old == nil || new == nil ||
		new.ReadCapacityUnits >= old.ReadCapacityUnits && new.WriteCapacityUnits >= old.WriteCapacityUnits ||
		!sameUTCDay(c.LastDecrease, now.UnixMilli()) || c.Decreases < freeDecreases {
		return nil
	}
	last := time.UnixMilli(c.LastDecrease).UTC()
	next := last.Add(decreaseInterval)
	if y, m, d := last.Date(); next.Day() != d {
		next = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
	}
	if !now.Before(next) {
		return nil
	}
	const form = "Monday, January 2, 2006 at 3:04:05 PM Coordinated Universal Time"
	return ErrLimitExceeded.WithMessage("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. "+
		"After the first %d decreases, each subsequent decrease in the same UTC day can be performed at most once every %d seconds. "+
		"Number of decreases today: %d. Last decrease at %s. Next decrease can be made at %s.",
		freeDecreases, int(decreaseInterval.Seconds()), c.Decreases, last.Format(form), next.Format(form))
}

// throughputChanged records a change from old to new at now (either nil:
// no change of throughput, but of billing mode) in *c, made if need be.
// A change that raises one figure and lowers the other is both.
func throughputChanged(c **throughputChanges, old, new *ProvisionedThroughput, now time.Time) {
	if old == nil || new == nil || *old == *new {
		return
	}
	var next throughputChanges // a new record: the one in use is shared with readers
	if *c != nil {
		next = **c
	}
	ms := now.UnixMilli()
	if new.ReadCapacityUnits > old.ReadCapacityUnits || new.WriteCapacityUnits > old.WriteCapacityUnits {
		next.LastIncrease = ms
	}
	if new.ReadCapacityUnits < old.ReadCapacityUnits || new.WriteCapacityUnits < old.WriteCapacityUnits {
		if !sameUTCDay(next.LastDecrease, ms) {
			next.Decreases = 0
		}
		next.Decreases++
		next.LastDecrease = ms
	}
	*c = &next
}

// describeThroughput writes a throughput and its changes as DynamoDB
// describes them at now: NumberOfDecreasesToday counts the UTC day's.
func describeThroughput(t *ProvisionedThroughput, c *throughputChanges, now time.Time) provisionedDescription {
	var d provisionedDescription
	if t == nil { // on demand: zeros
		return d
	}
	d.ReadCapacityUnits, d.WriteCapacityUnits = t.ReadCapacityUnits, t.WriteCapacityUnits
	if c == nil {
		return d
	}
	if c.LastIncrease != 0 {
		d.LastIncreaseDateTime = epoch.Ptr(time.UnixMilli(c.LastIncrease))
	}
	if c.LastDecrease != 0 {
		d.LastDecreaseDateTime = epoch.Ptr(time.UnixMilli(c.LastDecrease))
		if sameUTCDay(c.LastDecrease, now.UnixMilli()) {
			d.NumberOfDecreasesToday = c.Decreases
		}
	}
	return d
}

func sameUTCDay(a, b int64) bool {
	y1, m1, d1 := time.UnixMilli(a).UTC().Date()
	y2, m2, d2 := time.UnixMilli(b).UTC().Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

type billingModeSummary struct {
	BillingMode                       string      `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime *epoch.Time `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

type CreateTableOutput struct {
	TableDescription TableDescription `json:"TableDescription"`
}

// CreateTable makes a table; it is ACTIVE at once.
func (s *Service) CreateTable(ctx context.Context, in *CreateTableInput) (*CreateTableOutput, error) {
	out, _, err := s.createTable(ctx, in, false, nameFields{table: "tableName", gsis: "globalSecondaryIndexes", lsis: "localSecondaryIndexes"})
	return out, err
}

// nameFields are the members of a request that hold a new table's name,
// its global and local index lists and (under params) its key schema and
// attribute definitions, as its validation errors name them.
// checkThroughput checks a throughput's units against the model's
// minimum of 1; field is its member path in the request.
// maxCapacity is DynamoDB's default quota on the read and on the write
// capacity units of one table, and of one global index.
const maxCapacity = 40000

// checkMaximum refuses a provisioned throughput above the quota, in
// DynamoDB's words (ack-api-quirks DDB-TABLE-171, 443): a table's when
// index is "", else the index's.
func checkMaximum(pt *ProvisionedThroughput, index, region string) error {
	if pt == nil {
		return nil
	}
	for _, c := range []struct {
		name  string
		units int64
	}{{"ReadCapacityUnits", pt.ReadCapacityUnits}, {"WriteCapacityUnits", pt.WriteCapacityUnits}} {
		switch {
		case c.units <= maxCapacity:
		case index == "":
			return ErrLimitExceeded.WithMessage("The requested %s, %d, is above the per table maximum for the account in %s. Per table maximum: %d. "+
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.", c.name, c.units, region, maxCapacity)
		default:
			return ErrLimitExceeded.WithMessage("The requested %s for index %s, %d, is above the per index maximum for the account in %s. Per index maximum: %d. "+
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.", c.name, index, c.units, region, maxCapacity)
		}
	}
	return nil
}

func checkThroughput(pt *ProvisionedThroughput, field string) error {
	if pt == nil {
		return nil
	}
	var v awserr.Violations
	if pt.ReadCapacityUnits < 1 {
		v.Add(pt.ReadCapacityUnits, field+".readCapacityUnits", "have value greater than or equal to 1")
	}
	if pt.WriteCapacityUnits < 1 {
		v.Add(pt.WriteCapacityUnits, field+".writeCapacityUnits", "have value greater than or equal to 1")
	}
	if err := v.Err(); err != nil { // (a nil *awserr.Error is not a nil error)
		return err
	}
	return nil
}

type nameFields struct {
	table, gsis, lsis, params string
	updating                  bool // UpdateTable's new index, checked among the others
}

// createTable makes a table. For a restore or an import (filling), it is
// marked Filling and returned locked for the fill (lockForFill) before
// anyone else can find it; the caller clears the mark with filled and
// unlocks it with unlockFilled.
func (s *Service) createTable(ctx context.Context, in *CreateTableInput, filling bool, at nameFields) (*CreateTableOutput, *table, error) {
	sc := scopeOf(ctx)
	var v awserr.Violations
	checkName(&v, in.TableName, at.table)
	for i, ix := range in.GlobalSecondaryIndexes {
		checkName(&v, ix.IndexName, fmt.Sprintf("%s.%d.member.indexName", at.gsis, i+1))
	}
	for i, ix := range in.LocalSecondaryIndexes {
		checkName(&v, ix.IndexName, fmt.Sprintf("%s.%d.member.indexName", at.lsis, i+1))
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	if err := checkTableSettings(&in.notServed, in.TableClass); err != nil {
		return nil, nil, err
	}
	kmsKey, err := in.SSESpecification.kmsKey(sc, at.params+"sSESpecification")
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkEncryption(kmsKey); err != nil {
		return nil, nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, nil, err
	}
	if len(in.Tags) > maxTags {
		return nil, nil, tooManyTags()
	}
	withStream := false
	if in.StreamSpecification != nil {
		var err error
		if withStream, err = checkStreamSpec(in.StreamSpecification, true); err != nil {
			return nil, nil, err
		}
	}
	mode := in.BillingMode
	if mode == "" {
		mode = "PROVISIONED"
	}
	if err := checkKeySchema(in.KeySchema, in.AttributeDefinitions, at.params); err != nil {
		return nil, nil, err
	}
	if in.LocalSecondaryIndexes != nil && len(in.LocalSecondaryIndexes) == 0 {
		return nil, nil, invalidParam("List of LocalSecondaryIndexes is empty")
	}
	if in.GlobalSecondaryIndexes != nil && len(in.GlobalSecondaryIndexes) == 0 {
		return nil, nil, invalidParam("List of GlobalSecondaryIndexes is empty")
	}
	if err := checkIndexes(in.KeySchema, in.AttributeDefinitions, in.GlobalSecondaryIndexes, in.LocalSecondaryIndexes, mode, at); err != nil {
		return nil, nil, err
	}
	switch mode {
	case "PROVISIONED":
		if in.ProvisionedThroughput == nil {
			return nil, nil, validationf("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		if err := checkThroughput(in.ProvisionedThroughput, at.params+"provisionedThroughput"); err != nil {
			return nil, nil, err
		}
		if err := checkMaximum(in.ProvisionedThroughput, "", sc.region); err != nil {
			return nil, nil, err
		}
		for _, ix := range in.GlobalSecondaryIndexes {
			if err := checkMaximum(ix.ProvisionedThroughput, ix.IndexName, sc.region); err != nil {
				return nil, nil, err
			}
		}
	case "PAY_PER_REQUEST":
		if in.ProvisionedThroughput != nil {
			return nil, nil, validationf("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
	default:
		return nil, nil, modelValidation(mode, at.params+"billingMode", "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
	}
	rec := tableRecord{Account: sc.account, Region: sc.region, Name: in.TableName, ID: newID(), KeySchema: in.KeySchema,
		Attributes: in.AttributeDefinitions, BillingMode: mode, Throughput: in.ProvisionedThroughput,
		Created: s.clock.Now().UnixMilli(), Tags: in.Tags, TableClass: in.TableClass, Filling: filling, Restored: in.restored,
		KMSKey: kmsKey, CollectionsSized: len(in.LocalSecondaryIndexes) > 0}
	for _, ix := range in.GlobalSecondaryIndexes {
		rec.Indexes = append(rec.Indexes, indexRecord{SecondaryIndex: ix, Global: true})
	}
	for _, ix := range in.LocalSecondaryIndexes {
		rec.Indexes = append(rec.Indexes, indexRecord{SecondaryIndex: ix})
	}
	if in.DeletionProtectionEnabled != nil {
		rec.DeletionProtection = *in.DeletionProtectionEnabled
	}
	var st *stream
	if withStream {
		st = s.newStream(&rec, in.StreamSpecification.StreamViewType)
	}
	key := tableKey{sc.account, sc.region, in.TableName}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tables[key]; ok {
		return nil, nil, ErrResourceInUse.WithMessage("Table already exists: %s", in.TableName)
	}
	if err := s.saveTable(&rec, st); err != nil {
		return nil, nil, err
	}
	t := newTable(rec)
	if filling {
		t.lockForFill()
	}
	s.tables[key] = t
	if st != nil {
		s.streams[st.rec.ID] = st
	}
	return &CreateTableOutput{TableDescription: s.describe(&rec, "ACTIVE", 0, 0)}, t, nil
}

// checkKeySchema checks a table's key schema and that its attributes are
// defined (checkIndexes checks that nothing else is).
func checkKeySchema(ks []KeySchemaElement, defs []AttributeDefinition, params string) error {
	if err := checkKeySchemaShape(ks, params+"keySchema"); err != nil {
		return err
	}
	if err := checkAttributeTypes(defs, params); err != nil {
		return err
	}
	defined := map[string]string{}
	for _, d := range defs {
		if _, ok := defined[d.AttributeName]; ok {
			return validationf("Attribute Name is duplicated: %s", d.AttributeName)
		}
		defined[d.AttributeName] = d.AttributeType
	}
	for _, k := range ks {
		if _, ok := defined[k.AttributeName]; !ok {
			return invalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", keyList(ks), defList(defs))
		}
	}
	return nil
}

// checkAttributeTypes checks the types attribute definitions give.
func checkAttributeTypes(defs []AttributeDefinition, params string) error {
	for i, d := range defs {
		switch d.AttributeType {
		case typeS, typeN, typeB:
		default:
			return modelValidation(d.AttributeType, fmt.Sprintf("%sattributeDefinitions.%d.member.attributeType", params, i+1), "satisfy enum value set: [B, N, S]")
		}
	}
	return nil
}

func keyList(ks []KeySchemaElement) string {
	var s []string
	for _, k := range ks {
		s = append(s, k.AttributeName)
	}
	return strings.Join(s, ", ")
}

func defList(ds []AttributeDefinition) string {
	var s []string
	for _, d := range ds {
		s = append(s, d.AttributeName)
	}
	return strings.Join(s, ", ")
}

// saveTable stores a table's record, and in the same batch the records
// of the streams it opened or closed (nil ones are skipped).
func (s *Service) saveTable(rec *tableRecord, streams ...*stream) error {
	return s.saveTableIn(s.db.NewBatch(), rec, streams...)
}

// saveTableIn is saveTable committing b, with what b holds already.
func (s *Service) saveTableIn(b *meta.Batch, rec *tableRecord, streams ...*stream) error {
	for _, st := range streams {
		if st != nil {
			st.saveMu.Lock() // until the commit: a trim must not store an older snapshot after it
			defer st.saveMu.Unlock()
			if err := saveStream(b, st); err != nil {
				b.Close()
				return err
			}
		}
	}
	return s.commitTable(b, rec)
}

// commitTable stores a table's record in b and commits b.
func (s *Service) commitTable(b *meta.Batch, rec *tableRecord) error {
	if err := putTableRecord(b, rec); err != nil {
		b.Close()
		return err
	}
	return b.Commit()
}

func (s *Service) describe(rec *tableRecord, status string, count, size int64) TableDescription {
	d := TableDescription{
		TableName: rec.Name, TableArn: rec.arn(), TableId: rec.ID, TableStatus: status, KeySchema: rec.KeySchema,
		AttributeDefinitions: rec.Attributes, CreationDateTime: epoch.New(time.UnixMilli(rec.Created)),
		TableSizeBytes: size, ItemCount: count, DeletionProtectionEnabled: rec.DeletionProtection,
	}
	if rec.Stream != "" {
		yes := true
		d.StreamSpecification = &StreamSpecification{StreamEnabled: &yes, StreamViewType: rec.StreamViewType}
	}
	if r := rec.Restored; r != nil {
		d.RestoreSummary = &restoreSummary{SourceBackupArn: r.SourceBackupArn, SourceTableArn: r.SourceTableArn,
			RestoreDateTime: epoch.New(time.UnixMilli(r.At)), RestoreInProgress: rec.Filling}
	}
	if rec.LatestStream != "" {
		d.LatestStreamArn = rec.LatestStream
		d.LatestStreamLabel = rec.LatestStream[strings.LastIndexByte(rec.LatestStream, '/')+1:]
	}
	d.TableClassSummary = rec.classSummary()
	d.SSEDescription = rec.sseDescription()
	if rec.global() {
		d.GlobalTableVersion = globalTableVersion
		for _, region := range rec.Replicas {
			d.Replicas = append(d.Replicas, ReplicaDescription{RegionName: region, ReplicaStatus: "ACTIVE"})
		}
	}
	now := s.clock.Now()
	d.ProvisionedThroughput = describeThroughput(rec.Throughput, rec.ThroughputChanges, now)
	if rec.BillingMode == "PAY_PER_REQUEST" {
		d.BillingModeSummary = &billingModeSummary{BillingMode: rec.BillingMode, LastUpdateToPayPerRequestDateTime: epoch.Ptr(time.UnixMilli(cmp.Or(rec.PayPerRequestSince, rec.Created)))}
	}
	for _, ix := range rec.Indexes {
		desc := IndexDescription{IndexName: ix.IndexName, IndexArn: indexArn(rec, ix.IndexName), KeySchema: ix.KeySchema, Projection: ix.Projection}
		if ix.Global {
			desc.IndexStatus = "ACTIVE"
			pd := describeThroughput(ix.ProvisionedThroughput, ix.ThroughputChanges, now)
			desc.ProvisionedThroughput = &pd
			d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, desc)
		} else {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, desc)
		}
	}
	return d
}

// setClass changes the table's class to class, when one is given. STANDARD
// asked of a table that never named a class changes nothing: DynamoDB
// describes no class for it then either. Once the class has changed
// classChanges times in classWindow, any class asked is errClassSpent,
// as DynamoDB refuses even a class the table has then.
func (r *tableRecord) setClass(class string, now time.Time) error {
	switch {
	case class == "":
		return nil
	case r.TableClassChangedOnce != 0 && now.Sub(time.UnixMilli(r.TableClassChangedOnce)) < classWindow:
		return errClassSpent
	case class != cmp.Or(r.TableClass, "STANDARD"):
		r.TableClass = class
		r.TableClassChangedOnce, r.TableClassChanged = r.TableClassChanged, now.UnixMilli()
	}
	return nil
}

// DynamoDB allows two changes of a table's class in 30 days
// (ack-api-quirks DDB-TABLE-294, 443), counted for each replica apart.
const classWindow = 30 * 24 * time.Hour

var errClassSpent = ErrLimitExceeded.WithMessage("Subscriber limit exceeded: Updates to TableClass are limited to 2 times in 30 day(s).")

// replicaClassSpent is errClassSpent as DynamoDB words it for a replica
// whose class a change made through another region would change.
func replicaClassSpent(region string) error {
	return ErrLimitExceeded.WithMessage("Limit exceeded for replica in %s. Updates to TableClass are limited to 2 times in 30 day(s)", region)
}

// classSummary describes the table's class, nil for one that never named
// one.
func (r *tableRecord) classSummary() *tableClassSummary {
	if r.TableClass == "" {
		return nil
	}
	c := &tableClassSummary{TableClass: r.TableClass}
	if r.TableClassChanged != 0 {
		c.LastUpdateDateTime = epoch.Ptr(time.UnixMilli(r.TableClassChanged))
	}
	return c
}

// lookupNamed is lookup for the table operations, whose not-found
// message names the table.
func (s *Service) lookupNamed(ctx context.Context, name string) (*table, error) {
	t, err := s.lookup(ctx, name)
	if err != nil && errors.Is(err, ErrResourceNotFound) {
		if _, _, n, ok := tableARN(name); ok {
			name = n
		}
		return nil, tableNotFoundNamed(name)
	}
	return t, err
}

// lockNamed looks a table up as lookupNamed does and write-locks it, for
// an operation that changes its record; a table deleted meanwhile is not
// found. The caller unlocks t.mu.
func (s *Service) lockNamed(ctx context.Context, name string) (*table, error) {
	t, err := s.lookupNamed(ctx, name)
	if err != nil {
		return nil, err
	}
	if f := t.filling.Load(); f != nil { // being created: a change is refused, not kept waiting for the fill
		return nil, ErrResourceInUse.WithMessage("Attempt to change a resource which is still in use: Table is being created: %s", f.Name)
	}
	t.mu.Lock()
	if t.deleted {
		t.mu.Unlock()
		return nil, tableNotFoundNamed(t.rec.Name)
	}
	return t, nil
}

type TableNameInput struct {
	TableName string `json:"TableName"`
}

type DescribeTableOutput struct {
	Table TableDescription `json:"Table"`
}

// DescribeTable describes a table, counting its items and their size
// (AWS refreshes these about every six hours; Lakebox counts them now).
func (s *Service) DescribeTable(ctx context.Context, in *TableNameInput) (*DescribeTableOutput, error) {
	t, err := s.lookupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	// An import or a restore is filling it: CREATING, at once, so that a
	// waiter polls on rather than waits here for the fill.
	if rec := t.filling.Load(); rec != nil {
		return &DescribeTableOutput{Table: s.describe(rec, "CREATING", 0, 0)}, nil
	}
	t.mu.RLock()
	rec, deleted := t.rec, t.deleted
	t.mu.RUnlock()
	if deleted { // a failed import or restore took it away meanwhile
		return nil, tableNotFoundNamed(rec.Name)
	}
	d := s.describe(&rec, "ACTIVE", 0, 0)
	describeReplicas(&d, s.memberRecord(&rec))
	if err := s.countedStats(t, &rec, &d); err != nil {
		return nil, err
	}
	return &DescribeTableOutput{Table: d}, nil
}

// tableStats is a table's items and index entries as stats counted them,
// with the store's commit count read before the count began.
type tableStats struct {
	commits     uint64
	items, size int64
	indexes     map[string][2]int64 // entries and bytes, by index name
}

// countedStats is stats, counted again only when the store has committed
// anything since the last count: every write is a commit, so an unmoved
// count means unmoved data, and a DescribeTable of a large table that
// nothing writes to (Terraform's refreshes, waiters) costs no scan.
func (s *Service) countedStats(t *table, rec *tableRecord, d *TableDescription) error {
	commits := s.db.Commits()
	if c := t.counted.Load(); c != nil && c.commits == commits && c.fill(d) {
		return nil
	}
	if err := s.stats(rec, d); err != nil {
		return err
	}
	c := &tableStats{commits: commits, items: d.ItemCount, size: d.TableSizeBytes, indexes: map[string][2]int64{}}
	for _, ixs := range [][]IndexDescription{d.GlobalSecondaryIndexes, d.LocalSecondaryIndexes} {
		for _, ix := range ixs {
			c.indexes[ix.IndexName] = [2]int64{ix.ItemCount, ix.IndexSizeBytes}
		}
	}
	t.counted.Store(c)
	return nil
}

// fill gives d the counts, and reports whether it had one for each of
// d's indexes.
func (c *tableStats) fill(d *TableDescription) bool {
	for _, ixs := range [][]IndexDescription{d.GlobalSecondaryIndexes, d.LocalSecondaryIndexes} {
		for i := range ixs {
			n, ok := c.indexes[ixs[i].IndexName]
			if !ok {
				return false
			}
			ixs[i].ItemCount, ixs[i].IndexSizeBytes = n[0], n[1]
		}
	}
	d.ItemCount, d.TableSizeBytes = c.items, c.size
	return true
}

// stats describes a table's items and index entries as they are now: how
// many, and their sizes. DynamoDB refreshes these about every six hours;
// Lakebox counts them when asked, reading every one.
func (s *Service) stats(rec *tableRecord, d *TableDescription) error {
	var err error
	if d.ItemCount, d.TableSizeBytes, err = s.rangeStats(itemKeyPrefix(rec.dataID()), 0); err != nil {
		return err
	}
	for _, ixs := range [][]IndexDescription{d.GlobalSecondaryIndexes, d.LocalSecondaryIndexes} {
		for i := range ixs {
			if ixs[i].ItemCount, ixs[i].IndexSizeBytes, err = s.rangeStats(indexKeyPrefix(rec.dataID(), ixs[i].IndexName), indexEntryOverhead); err != nil {
				return err
			}
		}
	}
	return nil
}

type DeleteTableOutput struct {
	TableDescription TableDescription `json:"TableDescription"`
}

// DeleteTable removes a table and its items.
func (s *Service) DeleteTable(ctx context.Context, in *TableNameInput) (*DeleteTableOutput, error) {
	// A replica of a global table leaves its group: the others are
	// locked too.
	t, members, err := s.lockGroupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer unlockAll(members)
	if t.rec.DeletionProtection {
		// A ValidationException, as DynamoDB answers it.
		return nil, validationf("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	}
	if len(members) > 1 {
		return s.leaveGroup(t, members)
	}
	return s.deleteTable(t)
}

// deleteTable removes a table the caller has write-locked.
func (s *Service) deleteTable(t *table) (*DeleteTableOutput, error) {
	rec := t.rec
	t.deleted = true
	s.mu.Lock()
	delete(s.tables, tableKey{rec.Account, rec.Region, rec.Name})
	s.mu.Unlock()
	b := s.db.NewBatch()
	b.Delete(tableDBKey(tableKey{rec.Account, rec.Region, rec.Name}))
	// The stream outlives the table, disabled, for its 24 hours.
	if st := s.closeStream(&rec); st != nil {
		st.saveMu.Lock()
		defer st.saveMu.Unlock()
		if err := saveStream(b, st); err != nil {
			return nil, err
		}
	}
	// Its Kinesis destination's outbox is delivered, then forgotten.
	var retired []func()
	for i := range rec.Kinesis {
		f, err := s.retireOutbox(b, &rec.Kinesis[i])
		if err != nil {
			b.Close()
			return nil, err
		}
		retired = append(retired, f)
	}
	prefix := itemKeyPrefix(rec.dataID())
	b.DeleteRange(prefix, meta.PrefixEnd(prefix))
	indexes := indexTablePrefix(rec.dataID())
	b.DeleteRange(indexes, meta.PrefixEnd(indexes))
	sizes := collectionTablePrefix(rec.dataID())
	b.DeleteRange(sizes, meta.PrefixEnd(sizes))
	history := historyTablePrefix(rec.ID)
	b.DeleteRange(history, meta.PrefixEnd(history))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	for _, f := range retired {
		f()
	}
	return &DeleteTableOutput{TableDescription: s.describe(&rec, "DELETING", 0, 0)}, nil
}

type ListTablesInput struct {
	ExclusiveStartTableName string `json:"ExclusiveStartTableName,omitempty"`
	Limit                   *int   `json:"Limit,omitempty"`
}

type ListTablesOutput struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

// ListTables lists table names in order, 100 at most a page.
func (s *Service) ListTables(ctx context.Context, in *ListTablesInput) (*ListTablesOutput, error) {
	if name := in.ExclusiveStartTableName; name != "" {
		if err := awserr.LengthValidation(name, "exclusiveStartTableName", len(name), 3, 255); err != nil { // a name, not an ARN
			return nil, err
		}
	}
	limit := 100
	if in.Limit != nil {
		limit = *in.Limit
		if err := awserr.RangeValidation("limit", limit, 1, 100); err != nil {
			return nil, err
		}
	}
	sc := scopeOf(ctx)
	var names []string
	s.mu.RLock()
	for k := range s.tables {
		if k.account == sc.account && k.region == sc.region && k.name > in.ExclusiveStartTableName {
			names = append(names, k.name)
		}
	}
	s.mu.RUnlock()
	sort.Strings(names)
	out := &ListTablesOutput{TableNames: names}
	if len(names) > limit {
		out.TableNames = names[:limit]
		out.LastEvaluatedTableName = names[limit-1]
	}
	if out.TableNames == nil {
		out.TableNames = []string{}
	}
	return out, nil
}
