package dynamodb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Secondary indexes: an index entry per item that has the index's key
// attributes, written in the same batch as the item, under
//
//	ddb\x00x\x00<table id>\x00<index name>\x00<index key><table key>
//
// holding the item's projection. A Query or Scan of an index reads its
// entries as a table's are read.

type Projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

// SecondaryIndex is GlobalSecondaryIndex and LocalSecondaryIndex.
type SecondaryIndex struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []KeySchemaElement     `json:"KeySchema"`
	Projection            Projection             `json:"Projection"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	// Not served: refused when given (checkIndexes), never stored.
	OnDemandThroughput any `json:"OnDemandThroughput,omitempty"`
	WarmThroughput     any `json:"WarmThroughput,omitempty"`
}

// indexRecord is an index as stored with its table.
type indexRecord struct {
	SecondaryIndex
	Global            bool
	ThroughputChanges *throughputChanges `json:",omitempty"` // a global index's
}

var indexPrefix = []byte("ddb\x00x\x00")

// indexTablePrefix is where the entries of all of a table's indexes are.
func indexTablePrefix(tableID string) []byte {
	return []byte(string(indexPrefix) + tableID + "\x00")
}

func indexKeyPrefix(tableID, index string) []byte {
	return append(indexTablePrefix(tableID), index+"\x00"...)
}

func (ix *indexRecord) keyNames() (string, string) { return keyNames(ix.KeySchema) }

// keyAttribute tells whether name is in the table's key schema or one of
// its indexes'.
func (r *tableRecord) keyAttribute(name string) bool {
	in := func(ks []KeySchemaElement) bool {
		return slices.ContainsFunc(ks, func(k KeySchemaElement) bool { return k.AttributeName == name })
	}
	return in(r.KeySchema) || slices.ContainsFunc(r.Indexes, func(ix indexRecord) bool { return in(ix.KeySchema) })
}

// checkIndexes validates a table's indexes against its key schema and
// attribute definitions, which must define every key attribute once;
// lists names the request's index lists, for the model's messages.
func checkIndexes(ks []KeySchemaElement, defs []AttributeDefinition, gsis, lsis []SecondaryIndex, billing string, lists nameFields) error {
	for _, ix := range gsis {
		if err := (&notServed{OnDemandThroughput: ix.OnDemandThroughput, WarmThroughput: ix.WarmThroughput}).check(); err != nil {
			return err
		}
	}
	switch {
	case len(gsis) > 20 && lists.updating: // an index added by UpdateTable: a quota's code
		return ErrLimitExceeded.WithMessage("Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20")
	case len(gsis) > 20:
		return invalidParam("GlobalSecondaryIndex count exceeds the per-table limit of 20")
	}
	if len(lsis) > 5 {
		return invalidParam("Number of LocalSecondaryIndexes exceeds per-table limit of 5")
	}
	defined := map[string]bool{}
	for _, d := range defs {
		defined[d.AttributeName] = true
	}
	used := map[string]bool{}
	for _, k := range ks {
		used[k.AttributeName] = true
	}
	names := map[string]bool{}
	tableHash := ks[0].AttributeName
	for i, list := range [][]SecondaryIndex{gsis, lsis} {
		for j, ix := range list { // names follow the model's rules: the callers checked them, each at its member
			member := fmt.Sprintf("%s.%d.member", []string{lists.gsis, lists.lsis}[i], j+1)
			if names[ix.IndexName] {
				return validationf("One or more parameter values were invalid: Duplicate index name: %s", ix.IndexName)
			}
			names[ix.IndexName] = true
			if err := checkKeySchemaShape(ix.KeySchema, member+".keySchema"); err != nil {
				return err
			}
			for _, k := range ix.KeySchema {
				switch {
				case !defined[k.AttributeName] && lists.updating:
					return invalidParam("AttributeDefinitions is not specified for index: %s", ix.IndexName)
				case !defined[k.AttributeName]:
					return invalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", keyList(ix.KeySchema), defList(defs))
				}
				used[k.AttributeName] = true
			}
			if err := checkProjectionType(ix.Projection.ProjectionType, member); err != nil {
				return err
			}
			switch ix.Projection.ProjectionType {
			case "ALL", "KEYS_ONLY":
				if len(ix.Projection.NonKeyAttributes) > 0 {
					return invalidParam("ProjectionType is %s, but NonKeyAttributes is specified", ix.Projection.ProjectionType)
				}
			case "INCLUDE":
				if len(ix.Projection.NonKeyAttributes) == 0 {
					return invalidParam("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
				}
				seen := map[string]bool{}
				for _, a := range ix.Projection.NonKeyAttributes {
					if seen[a] {
						return invalidParam("Duplicate element in NonKeyAttributes: %s", a)
					}
					seen[a] = true
				}
			default: // not given
				return invalidParam("Unknown ProjectionType: null")
			}
			local := i == 1
			if local {
				if len(ks) < 2 {
					return invalidParam("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
				}
				if len(ix.KeySchema) != 2 {
					return invalidParam("Index KeySchema does not have a range key for index: %s", ix.IndexName)
				}
				if ix.KeySchema[0].AttributeName != tableHash {
					return invalidParam("Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s",
						ix.IndexName, ix.KeySchema[0].AttributeName, tableHash)
				}
			} else if billing == "PROVISIONED" && ix.ProvisionedThroughput == nil && !lists.updating {
				// (UpdateTable checks every index's after its changes,
				// in its own words.)
				return invalidParam("ProvisionedThroughput is not specified for index: %s", ix.IndexName)
			} else if billing == "PAY_PER_REQUEST" && ix.ProvisionedThroughput != nil && lists.updating {
				return invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: %s when BillingMode is PAY_PER_REQUEST", ix.IndexName)
			} else if billing == "PAY_PER_REQUEST" && ix.ProvisionedThroughput != nil {
				return onDemandIndexThroughput(ix.IndexName)
			}
		}
	}
	if len(used) != len(defs) { // a name defined twice counts twice
		return invalidParam("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
	}
	return nil
}

// checkProjectionType checks an index's ProjectionType, if given, against
// the model's values; member is the index's member path in the request.
func checkProjectionType(pt, member string) error {
	switch pt {
	case "", "ALL", "KEYS_ONLY", "INCLUDE":
		return nil
	}
	return modelValidation(pt, member+".projection.projectionType", "satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]")
}

func onDemandIndexThroughput(index string) error {
	return invalidParam("ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", index)
}

// checkKeySchemaShape checks a key schema's one or two elements; field
// is its member path in the request, for the model's messages.
func checkKeySchemaShape(ks []KeySchemaElement, field string) error {
	switch {
	case ks == nil:
		return modelValidation(nil, field, "not be null")
	case len(ks) == 0:
		return modelValidation("[]", field, "have length greater than or equal to 1")
	case len(ks) > 2:
		return modelValidation(len(ks), field, "have length less than or equal to 2")
	}
	for i, k := range ks {
		if k.KeyType != "HASH" && k.KeyType != "RANGE" {
			return modelValidation(k.KeyType, fmt.Sprintf("%s.%d.member.keyType", field, i+1), "satisfy enum value set: [HASH, RANGE]")
		}
	}
	if ks[0].KeyType != "HASH" {
		return validationf("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 && ks[1].KeyType != "RANGE" {
		return validationf("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	}
	if len(ks) == 2 && ks[0].AttributeName == ks[1].AttributeName {
		return validationf("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	return nil
}

// checkIndexKeys refuses an item whose index key attributes have the
// wrong type or are empty (an item without them is simply not indexed).
func (r *tableRecord) checkIndexKeys(item Item) error {
	for _, ix := range r.Indexes {
		for _, k := range ix.KeySchema {
			v, ok := item[k.AttributeName]
			if !ok {
				continue
			}
			if want := r.attrType(k.AttributeName); v.Type() != want {
				return invalidParam("Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", k.AttributeName, want, v.Type(), ix.IndexName)
			}
			if (v.S != nil && *v.S == "") || (v.B != nil && len(v.B) == 0) {
				return validationf("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: %s, IndexKey: %s", ix.IndexName, k.AttributeName)
			}
		}
	}
	return nil
}

// indexes tells whether an index has an entry for item: whether the item
// has the index's key attributes, of their types.
func (r *tableRecord) indexes(ix *indexRecord, item Item) bool {
	for _, k := range ix.KeySchema {
		if v, ok := item[k.AttributeName]; !ok || v.Type() != r.attrType(k.AttributeName) {
			return false
		}
	}
	return true
}

// entryKey is an item's key in an index, or nil when the item lacks the
// index's key attributes.
func (r *tableRecord) entryKey(ix *indexRecord, item Item) []byte {
	if !r.indexes(ix, item) {
		return nil
	}
	key := indexKeyPrefix(r.dataID(), ix.IndexName)
	for _, k := range ix.KeySchema {
		v := item[k.AttributeName]
		key = appendKeyPart(key, &v)
	}
	hash, rng := r.keyNames()
	for _, name := range []string{hash, rng} {
		if name != "" {
			v := item[name]
			key = appendKeyPart(key, &v)
		}
	}
	return key
}

// projectIndex is what an index keeps of an item.
func (r *tableRecord) projectIndex(ix *indexRecord, item Item) Item {
	if ix.Projection.ProjectionType == "ALL" {
		return item
	}
	out := Item{}
	for _, n := range r.indexAttributes(ix) {
		if v, ok := item[n]; ok && n != "" {
			out[n] = v
		}
	}
	return out
}

// indexAttributes is the attributes an index with a partial projection
// keeps: the table's keys, its own, and its NonKeyAttributes.
func (r *tableRecord) indexAttributes(ix *indexRecord) []string {
	hash, rng := r.keyNames()
	keep := []string{hash, rng}
	for _, k := range ix.KeySchema {
		keep = append(keep, k.AttributeName)
	}
	return append(keep, ix.Projection.NonKeyAttributes...)
}

// projects reports whether an index keeps attribute name of its items.
func (r *tableRecord) projects(ix *indexRecord, name string) bool {
	return ix.Projection.ProjectionType == "ALL" || name != "" && slices.Contains(r.indexAttributes(ix), name)
}

// indexWrites adds the index changes of an item of rec's going from old
// to new (either may be nil).
func (w *writeBatch) indexWrites(r *tableRecord, old, new Item) {
	for i := range r.Indexes {
		ix := &r.Indexes[i]
		var was, is []byte
		if old != nil {
			was = r.entryKey(ix, old)
		}
		if new != nil {
			is = r.entryKey(ix, new)
		}
		if was != nil && !slices.Equal(was, is) {
			w.b.Delete(was)
		}
		if is != nil {
			w.b.Set(is, w.sealed(r, appendItem(nil, r.projectIndex(ix, new))))
		}
	}
}

func (r *tableRecord) index(name string) *indexRecord {
	for i := range r.Indexes {
		if r.Indexes[i].IndexName == name {
			return &r.Indexes[i]
		}
	}
	return nil
}

// keyspace is what a Query or Scan reads: a table or one of its indexes.
type keyspace struct {
	prefix    []byte
	hash, rng string
	index     *indexRecord
}

func (r *tableRecord) keyspace(indexName string) (*keyspace, error) {
	if indexName == "" {
		hash, rng := r.keyNames()
		return &keyspace{prefix: itemKeyPrefix(r.dataID()), hash: hash, rng: rng}, nil
	}
	ix := r.index(indexName)
	if ix == nil {
		// No index could have a name that breaks the model's rules: say
		// which (checked here, off the path of indexes found).
		if err := nameValidation(indexName, "indexName"); err != nil {
			return nil, err
		}
		return nil, validationf("The table does not have the specified index: %s", indexName)
	}
	hash, rng := ix.keyNames()
	return &keyspace{prefix: indexKeyPrefix(r.dataID(), indexName), hash: hash, rng: rng, index: ix}, nil
}

// startKey is where a read resumes after ExclusiveStartKey: the entry of
// an item with those attributes.
func (ks *keyspace) startKey(r *tableRecord, start Item) ([]byte, error) {
	if ks.index == nil {
		key, err := r.keyOf(start, true)
		if e, ok := awserr.As(err); ok {
			return nil, validationf("The provided starting key is invalid: %s", e.Message)
		}
		return key, err
	}
	hash, rng := r.keyNames()
	want := map[string]bool{hash: true, rng: rng != "", ks.hash: true, ks.rng: ks.rng != ""}
	for name := range start {
		if !want[name] {
			return nil, validationf("The provided starting key is invalid: The provided key element does not match the schema")
		}
	}
	// The table's key, all of it and of its types, as well as the index's.
	if _, err := r.keyOf(r.keyAttributes(start), true); err != nil {
		return nil, validationf("The provided starting key is invalid: The provided key element does not match the schema")
	}
	key := r.entryKey(ks.index, start)
	if key == nil {
		return nil, validationf("The provided starting key is invalid: The provided key element does not match the schema")
	}
	return key, nil
}

// lastKey is the LastEvaluatedKey of an item read.
func (ks *keyspace) lastKey(r *tableRecord, item Item) Item {
	out := r.keyAttributes(item)
	for _, n := range []string{ks.hash, ks.rng} {
		if v, ok := item[n]; ok && n != "" {
			out[n] = v
		}
	}
	return out
}

// backfill writes the entries of a new index for every item.
func (s *Service) backfill(r *tableRecord, ix *indexRecord) error {
	prefix := itemKeyPrefix(r.dataID())
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	b := s.db.NewBatch()
	defer b.Close()
	for it.First(); it.Valid(); it.Next() {
		v, err := s.opened(it)
		if err != nil {
			return err
		}
		item, err := decodeItem(v)
		if err != nil {
			return err
		}
		if key := r.entryKey(ix, item); key != nil {
			entry, err := s.sealFor(r, appendItem(nil, r.projectIndex(ix, item)))
			if err != nil {
				return err
			}
			b.Set(key, entry)
		}
	}
	return b.Commit()
}

func indexArn(r *tableRecord, name string) string { return fmt.Sprintf("%s/index/%s", r.arn(), name) }

type GlobalSecondaryIndexUpdate struct {
	Create *SecondaryIndex `json:"Create,omitempty"`
	Delete *struct {
		IndexName string `json:"IndexName"`
	} `json:"Delete,omitempty"`
	Update *struct {
		IndexName             string                 `json:"IndexName"`
		ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
		OnDemandThroughput    any                    `json:"OnDemandThroughput,omitempty"` // refused
		WarmThroughput        any                    `json:"WarmThroughput,omitempty"`     // refused
	} `json:"Update,omitempty"`
}

type UpdateTableInput struct {
	TableName                   string                       `json:"TableName"`
	AttributeDefinitions        []AttributeDefinition        `json:"AttributeDefinitions,omitempty"`
	BillingMode                 string                       `json:"BillingMode,omitempty"`
	ProvisionedThroughput       *ProvisionedThroughput       `json:"ProvisionedThroughput,omitempty"`
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate `json:"GlobalSecondaryIndexUpdates,omitempty"`
	DeletionProtectionEnabled   *bool                        `json:"DeletionProtectionEnabled,omitempty"`
	StreamSpecification         *StreamSpecification         `json:"StreamSpecification,omitempty"`
	SSESpecification            *SSESpecification            `json:"SSESpecification,omitempty"`
	TableClass                  string                       `json:"TableClass,omitempty"`
	ReplicaUpdates              []ReplicationGroupUpdate     `json:"ReplicaUpdates,omitempty"`
	notServed
}

type UpdateTableOutput struct {
	TableDescription TableDescription `json:"TableDescription"`
}

// tableChanges names the kinds of change an UpdateTable asks for.
type tableChanges map[string]bool

func (in *UpdateTableInput) changes() tableChanges {
	c := tableChanges{}
	for name, given := range map[string]bool{"sse": in.SSESpecification != nil, "class": in.TableClass != "",
		"protection": in.DeletionProtectionEnabled != nil, "throughput": in.ProvisionedThroughput != nil,
		"billing": in.BillingMode != "", "indexes": in.GlobalSecondaryIndexUpdates != nil, "stream": in.StreamSpecification != nil,
		"replicas": in.ReplicaUpdates != nil} {
		if given {
			c[name] = true
		}
	}
	return c
}

// besides reports whether any change is asked for but those named.
func (c tableChanges) besides(names ...string) bool {
	for name := range c {
		if !slices.Contains(names, name) {
			return true
		}
	}
	return false
}

// checkCombination refuses, in DynamoDB's words and order, the changes
// an UpdateTable may not make together: encryption, the table class and
// deletion protection each alone, and a stream or an index made or
// removed beside provisioned throughput (DynamoDB's live answers,
// ack-api-quirks DDB-TABLE-382 and 433).
func (in *UpdateTableInput) checkCombination() error {
	c := in.changes()
	indexMadeOrRemoved := slices.ContainsFunc(in.GlobalSecondaryIndexUpdates, func(u GlobalSecondaryIndexUpdate) bool { return u.Create != nil || u.Delete != nil })
	iops := in.ProvisionedThroughput != nil || in.BillingMode == "PROVISIONED"
	switch {
	case c["sse"] && c.besides("sse"):
		return invalidParam("Server-Side Encryption modification must be the only operation in the request")
	case c["class"] && c.besides("class"):
		return invalidParam("TableClass modification must be the only operation in the request")
	case c["protection"] && c.besides("protection"):
		return invalidParam("DeletionProtection modification must be the only operation in the request")
	case in.StreamSpecification != nil && iops:
		return invalidParam("You cannot modify stream status while updating table IOPS")
	case indexMadeOrRemoved && in.ProvisionedThroughput != nil:
		return invalidParam("You cannot create or delete index while updating table IOPS")
	case indexMadeOrRemoved && in.StreamSpecification != nil:
		return invalidParam("You cannot create or delete index while changing stream status")
	}
	return nil
}

// UpdateTable changes billing, throughput, deletion protection, the table
// class, the stream and the encryption (resealing every item when it turns
// on or off), and creates (backfilling it from every item) or deletes one
// global index.
func (s *Service) UpdateTable(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	if err := checkTableSettings(&in.notServed, in.TableClass); err != nil {
		return nil, err
	}
	kmsKey, err := in.SSESpecification.kmsKey(scopeOf(ctx), "sSESpecification")
	if err != nil {
		return nil, err
	}
	if err := s.checkEncryption(kmsKey); err != nil {
		return nil, err
	}
	if err := checkThroughput(in.ProvisionedThroughput, "provisionedThroughput"); err != nil {
		return nil, err
	}
	if err := in.checkCombination(); err != nil {
		return nil, err
	}
	if in.ReplicaUpdates != nil {
		return s.updateReplicas(ctx, in)
	}
	if in.GlobalSecondaryIndexUpdates != nil && len(in.GlobalSecondaryIndexUpdates) == 0 {
		return nil, invalidParam("List of GlobalSecondaryIndexUpdates is empty")
	}
	if len(in.changes()) == 0 {
		return nil, validationf("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, " +
			"ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, " +
			"WarmThroughput or TableClass is required")
	}
	var v awserr.Violations
	for i, u := range in.GlobalSecondaryIndexUpdates {
		at := fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.", i+1)
		if u.Create != nil {
			checkName(&v, u.Create.IndexName, at+"create.indexName")
		}
		if u.Update != nil {
			checkName(&v, u.Update.IndexName, at+"update.indexName")
		}
		if u.Delete != nil {
			checkName(&v, u.Delete.IndexName, at+"delete.indexName")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	online := 0
	for _, u := range in.GlobalSecondaryIndexUpdates {
		if u.Create != nil || u.Delete != nil {
			online++
		}
	}
	if online > 1 {
		return nil, ErrLimitExceeded.WithMessage("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	}
	// A global table's members are locked with it: an index made or
	// removed is every member's (global.go).
	t, members, err := s.lockGroupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer unlockAll(members)
	rec := t.rec
	if rec.global() {
		if err := in.checkGlobal(); err != nil {
			return nil, err
		}
		if in.SSESpecification != nil {
			return s.encryptGroup(t, members, in.SSESpecification, kmsKey)
		}
	}
	was := rec.sseDescription() // for the answer to an encryption change
	rec.Indexes = slices.Clone(rec.Indexes)
	if in.BillingMode != "" {
		switch in.BillingMode {
		case "PAY_PER_REQUEST":
			if rec.BillingMode != "PAY_PER_REQUEST" {
				rec.PayPerRequestSince = s.clock.Now().UnixMilli()
			}
			rec.Throughput = nil
			for i := range rec.Indexes {
				rec.Indexes[i].ProvisionedThroughput = nil
			}
		case "PROVISIONED":
			if in.ProvisionedThroughput == nil && rec.Throughput == nil {
				return nil, validationf("One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
			}
		default:
			return nil, modelValidation(in.BillingMode, "billingMode", "satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]")
		}
		rec.BillingMode = in.BillingMode
	}
	if in.ProvisionedThroughput != nil {
		if rec.BillingMode == "PAY_PER_REQUEST" {
			return nil, validationf("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		// A request that would change only the throughput, to what it is,
		// is refused, as DynamoDB refuses it.
		if cur, want := rec.Throughput, in.ProvisionedThroughput; cur != nil && *cur == *want && !in.changes().besides("throughput") {
			return nil, validationf("The provisioned throughput for the table will not change. The requested value equals the current value. "+
				"Current ReadCapacityUnits provisioned for the table: %d. Requested ReadCapacityUnits: %d. "+
				"Current WriteCapacityUnits provisioned for the table: %d. Requested WriteCapacityUnits: %d. "+
				"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
				cur.ReadCapacityUnits, want.ReadCapacityUnits, cur.WriteCapacityUnits, want.WriteCapacityUnits)
		}
		if err := checkMaximum(in.ProvisionedThroughput, "", rec.Region); err != nil {
			return nil, err
		}
		if err := checkDecrease(rec.ThroughputChanges, rec.Throughput, in.ProvisionedThroughput, s.clock.Now()); err != nil {
			return nil, err
		}
		throughputChanged(&rec.ThroughputChanges, rec.Throughput, in.ProvisionedThroughput, s.clock.Now())
		rec.Throughput = in.ProvisionedThroughput
	}
	if in.DeletionProtectionEnabled != nil {
		rec.DeletionProtection = *in.DeletionProtectionEnabled
	}
	if err := rec.setClass(in.TableClass, s.clock.Now()); err != nil {
		return nil, err
	}
	if in.SSESpecification != nil {
		if err := in.SSESpecification.changes(&rec, kmsKey); err != nil {
			return nil, err
		}
		rec.KMSKey = kmsKey
	}
	var enable bool
	if spec := in.StreamSpecification; spec != nil {
		var err error
		enable, err = checkStreamSpec(spec, false)
		switch {
		case err != nil:
			return nil, err
		case enable && rec.Stream != "":
			return nil, validationf("Table already has an enabled stream: TableName: %s", rec.Name)
		case !enable && rec.Stream == "":
			return nil, validationf("Table has no stream to disable: TableName: %s", rec.Name)
		}
	}
	// Definitions are checked here, before any index changes: an index
	// made on a type the item decoder cannot give would refuse every write.
	if err := checkAttributeTypes(in.AttributeDefinitions, ""); err != nil {
		return nil, err
	}
	save := s.db.NewBatch() // what is stored with the updated record
	defer save.Close()
	var created *indexRecord
	updated := map[string]bool{}
	for i, u := range in.GlobalSecondaryIndexUpdates {
		switch countSet(u.Create != nil, u.Update != nil, u.Delete != nil) {
		case 0:
			return nil, invalidParam("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
		case 2, 3:
			return nil, invalidParam("Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object")
		}
		switch {
		case u.Create != nil:
			// At its own member: checkIndexes sees it among the others.
			at := fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.create", i+1)
			if err := checkKeySchemaShape(u.Create.KeySchema, at+".keySchema"); err != nil {
				return nil, err
			}
			if err := checkProjectionType(u.Create.Projection.ProjectionType, at); err != nil {
				return nil, err
			}
			if rec.index(u.Create.IndexName) != nil {
				return nil, validationf("Attempting to create an index which already exists")
			}
			defs := rec.Attributes
			for _, d := range in.AttributeDefinitions {
				if rec.attrType(d.AttributeName) == "" {
					defs = append(defs, d)
				}
			}
			var gsis, lsis []SecondaryIndex
			for _, ix := range rec.Indexes {
				if ix.Global {
					gsis = append(gsis, ix.SecondaryIndex)
				} else {
					lsis = append(lsis, ix.SecondaryIndex)
				}
			}
			gsis = append(gsis, *u.Create)
			if err := checkIndexes(rec.KeySchema, defs, gsis, lsis, rec.BillingMode, nameFields{gsis: "globalSecondaryIndexes", lsis: "localSecondaryIndexes", updating: true}); err != nil {
				return nil, err
			}
			rec.Attributes = defs
			rec.Indexes = append(rec.Indexes, indexRecord{SecondaryIndex: *u.Create, Global: true})
			created = &rec.Indexes[len(rec.Indexes)-1]
			if err := checkMaximum(created.ProvisionedThroughput, created.IndexName, rec.Region); err != nil {
				return nil, err
			}
		case u.Delete != nil:
			ix := rec.index(u.Delete.IndexName)
			switch {
			case ix == nil:
				return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Index: %s not found", u.Delete.IndexName)
			case !ix.Global:
				return nil, validationf("Cannot delete an index that is not a GlobalSecondaryIndex: %s", u.Delete.IndexName)
			}
			// Its entries go in the commit that stores the table without
			// it, once every check has passed.
			prefix := indexKeyPrefix(rec.dataID(), ix.IndexName)
			save.DeleteRange(prefix, meta.PrefixEnd(prefix))
			rec.Indexes = slices.DeleteFunc(rec.Indexes, func(x indexRecord) bool { return x.IndexName == u.Delete.IndexName })
			// As on DynamoDB, the table describes only the attributes its
			// keys and its indexes' keys use.
			rec.Attributes = slices.DeleteFunc(slices.Clone(rec.Attributes), func(a AttributeDefinition) bool { return !rec.keyAttribute(a.AttributeName) })
		case u.Update != nil:
			ix := rec.index(u.Update.IndexName)
			switch {
			case ix == nil:
				return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Index: %s not found", u.Update.IndexName)
			case !ix.Global:
				return nil, validationf("Cannot update an index that is not a GlobalSecondaryIndex: %s", u.Update.IndexName)
			case updated[ix.IndexName]:
				return nil, invalidParam("Only one global secondary index update per index is allowed simultaneously. Index: %s", ix.IndexName)
			}
			updated[ix.IndexName] = true
			if err := (&notServed{OnDemandThroughput: u.Update.OnDemandThroughput, WarmThroughput: u.Update.WarmThroughput}).check(); err != nil {
				return nil, err
			}
			switch {
			case u.Update.ProvisionedThroughput == nil:
				return nil, invalidParam("ProvisionedThroughput must be specified for index: %s", u.Update.IndexName)
			case rec.BillingMode == "PAY_PER_REQUEST":
				return nil, invalidParam("The only Updates for index: %s when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput", u.Update.IndexName)
			}
			if err := checkThroughput(u.Update.ProvisionedThroughput, fmt.Sprintf("globalSecondaryIndexUpdates.%d.member.update.provisionedThroughput", i+1)); err != nil {
				return nil, err
			}
			if cur, want := ix.ProvisionedThroughput, u.Update.ProvisionedThroughput; cur != nil && *cur == *want {
				return nil, validationf("The provisioned throughput for the index %[1]s will not change. The requested value equals the current value. "+
					"Current ReadCapacityUnits provisioned for index %[1]s: %[2]d. Requested ReadCapacityUnits: %[3]d. "+
					"Current WriteCapacityUnits provisioned for index %[1]s: %[4]d. Requested WriteCapacityUnits: %[5]d. "+
					"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.",
					ix.IndexName, cur.ReadCapacityUnits, want.ReadCapacityUnits, cur.WriteCapacityUnits, want.WriteCapacityUnits)
			}
			if err := checkMaximum(u.Update.ProvisionedThroughput, ix.IndexName, rec.Region); err != nil {
				return nil, err
			}
			if err := checkDecrease(ix.ThroughputChanges, ix.ProvisionedThroughput, u.Update.ProvisionedThroughput, s.clock.Now()); err != nil {
				return nil, err
			}
			throughputChanged(&ix.ThroughputChanges, ix.ProvisionedThroughput, u.Update.ProvisionedThroughput, s.clock.Now())
			ix.ProvisionedThroughput = u.Update.ProvisionedThroughput
		}
	}
	if rec.BillingMode == "PROVISIONED" {
		// Every global index needs its own throughput, also once a table
		// turns from on-demand to provisioned.
		var missing []string
		for _, ix := range rec.Indexes {
			if ix.Global && ix.ProvisionedThroughput == nil {
				missing = append(missing, ix.IndexName)
			}
		}
		if missing != nil {
			return nil, invalidParam("ProvisionedThroughput must be specified for index: %s", strings.Join(missing, ","))
		}
	}
	if created != nil {
		// Writers hold the table's read lock; with the write lock held, no
		// item changes while the index is filled.
		if err := s.backfill(&rec, created); err != nil {
			return nil, err
		}
	}
	if rec.encrypted() != t.rec.encrypted() {
		// In the commit that stores the record: a crash keeps the table
		// as it was or as it is asked to be.
		if err := s.reseal(save, &rec); err != nil {
			return nil, err
		}
	}
	var opened, closed *stream
	switch {
	case in.StreamSpecification == nil:
	case enable:
		opened = s.newStream(&rec, in.StreamSpecification.StreamViewType)
	default:
		closed = s.closeStream(&rec)
	}
	// The other members of a global table share the items and index
	// entries, filled once above: their records take the indexes too. A
	// class given here is every member's, as on DynamoDB (a member's own
	// is ReplicaUpdates' TableClassOverride).
	shared := map[*table]tableRecord{}
	if in.GlobalSecondaryIndexUpdates != nil || in.TableClass != "" {
		for _, m := range members {
			if m != t {
				mr := m.rec
				mr.Attributes, mr.Indexes = rec.Attributes, rec.Indexes
				if err := mr.setClass(in.TableClass, s.clock.Now()); err != nil {
					return nil, replicaClassSpent(mr.Region)
				}
				if err := putTableRecord(save, &mr); err != nil {
					return nil, err
				}
				shared[m] = mr
			}
		}
	}
	if err := s.saveTableIn(save, &rec, opened, closed); err != nil {
		return nil, err
	}
	t.rec = rec
	for m, mr := range shared {
		m.rec = mr
	}
	if opened != nil {
		s.mu.Lock()
		s.streams[opened.rec.ID] = opened
		s.mu.Unlock()
	}
	// DynamoDB answers UPDATING for the changes it makes in the
	// background, ACTIVE for deletion protection and encryption; Lakebox
	// has made them all when it answers, and DescribeTable says ACTIVE.
	status := "ACTIVE"
	if in.changes().besides("protection", "sse") {
		status = "UPDATING"
	}
	out := &UpdateTableOutput{TableDescription: s.describe(&rec, status, 0, 0)}
	describeReplicas(&out.TableDescription, lockedMembers(members))
	if in.SSESpecification != nil {
		out.TableDescription.sseUpdating(was)
	}
	return out, nil
}
