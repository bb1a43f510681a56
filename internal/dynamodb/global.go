package dynamodb

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Global tables (version 2019.11.21), within one account: a table's
// replicas are the tables of its name in other regions, the members of
// one group, which share one copy of the items and index entries (their
// DataID). A write in one region is in every region when it is
// acknowledged, and item locks, which stripe by the item's key, are the
// same in every region. Each member keeps its own stream (each holds every
// change, as on AWS), Kinesis destinations, point-in-time versions,
// backups, tags, deletion protection and table class. The key schema,
// indexes, billing and time to live are the group's.
// docs/design/dynamodb-global-tables.md.

// globalTableVersion is the version DescribeTable names.
const globalTableVersion = "2019.11.21"

// dataID names where the table's items and index entries are kept.
func (r *tableRecord) dataID() string {
	if r.DataID != "" {
		return r.DataID
	}
	return r.ID
}

// global reports whether the table has replicas.
func (r *tableRecord) global() bool { return len(r.Replicas) > 0 }

// regions returns the regions of the table's group in order, its own
// among them.
func (r *tableRecord) regions() []string {
	regions := append([]string{r.Region}, r.Replicas...)
	slices.Sort(regions)
	return regions
}

// replicasOf returns the records of the other members of rec's group.
// The caller holds every member's lock (readLockAll, writeLockGroup).
func (s *Service) replicasOf(rec *tableRecord) []*tableRecord {
	if len(rec.Replicas) == 0 {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*tableRecord
	for _, region := range rec.Replicas {
		if m := s.tables[tableKey{rec.Account, region, rec.Name}]; m != nil {
			out = append(out, &m.rec)
		}
	}
	return out
}

// tableOrder is the order tables are locked in when several are: by name,
// then region (a global table's members).
func tableOrder(a, b *table) int {
	return cmpKeys(a.key, b.key)
}

func cmpKeys(a, b tableKey) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	if c := strings.Compare(a.region, b.region); c != 0 {
		return c
	}
	return strings.Compare(a.account, b.account)
}

// readLockAll read-locks tables and every member of their global tables,
// each once, in tableOrder: a writer of a global table writes a stream
// record for each member, and must see their records steady. It retries
// when a group changed while it locked. A table of tables found deleted
// is not found.
func (s *Service) readLockAll(tables []*table) (func(), error) {
	for try := 0; ; try++ {
		if try == maxGroupRetries {
			return nil, errGroupUnsteady
		}
		set := map[*table]bool{}
		var all []*table
		add := func(t *table) {
			if t != nil && !set[t] {
				set[t] = true
				all = append(all, t)
			}
		}
		for _, t := range tables {
			add(t)
			t.mu.RLock()
			replicas := slices.Clone(t.rec.Replicas)
			t.mu.RUnlock()
			s.mu.RLock()
			for _, region := range replicas {
				add(s.tables[tableKey{t.key.account, region, t.key.name}])
			}
			s.mu.RUnlock()
		}
		slices.SortFunc(all, tableOrder)
		for _, t := range all {
			t.mu.RLock()
		}
		release := func() {
			for _, t := range all {
				t.mu.RUnlock()
			}
		}
		steady := true
		for _, t := range all {
			if t.deleted {
				if slices.Contains(tables, t) {
					release()
					return nil, tableNotFound()
				}
				steady = false // a member left meanwhile
			}
			for _, region := range t.rec.Replicas {
				if m := s.lookupKey(tableKey{t.key.account, region, t.key.name}); m == nil || !set[m] {
					steady = false // a member joined meanwhile
				}
			}
		}
		if steady {
			return release, nil
		}
		release()
	}
}

// maxGroupRetries bounds the tries to lock a global table's members while
// its group changes: a group changes in one commit, so a second try
// finds it steady; one that never does is a fault, answered, not spun on.
const maxGroupRetries = 100

var errGroupUnsteady = errors.New("dynamodb: the members of a global table do not name each other")

func (s *Service) lookupKey(k tableKey) *table {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tables[k]
}

// writeLockGroup write-locks t and the other members of its global table
// in tableOrder, for a change of the group (a replica made or removed)
// or of what its members share. It returns the members locked, t among
// them; a table deleted meanwhile is not found.
func (s *Service) writeLockGroup(t *table) ([]*table, error) {
	for try := 0; ; try++ {
		if try == maxGroupRetries {
			return nil, errGroupUnsteady
		}
		t.mu.RLock()
		regions, deleted := t.rec.regions(), t.deleted
		t.mu.RUnlock()
		if deleted {
			return nil, tableNotFoundNamed(t.key.name)
		}
		var all []*table
		for _, region := range regions {
			if m := s.lookupKey(tableKey{t.key.account, region, t.key.name}); m != nil {
				all = append(all, m)
			}
		}
		slices.SortFunc(all, tableOrder)
		for _, m := range all {
			m.mu.Lock()
		}
		if !t.deleted && slices.Equal(t.rec.regions(), regions) && len(all) == len(regions) {
			return all, nil
		}
		for _, m := range all {
			m.mu.Unlock()
		}
	}
}

// lockGroupNamed looks a table up as lockNamed does and write-locks it
// with the other members of its global table (writeLockGroup).
func (s *Service) lockGroupNamed(ctx context.Context, name string) (*table, []*table, error) {
	t, err := s.lookupNamed(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if f := t.filling.Load(); f != nil { // being created: a change is refused, not kept waiting for the fill
		return nil, nil, ErrResourceInUse.WithMessage("Attempt to change a resource which is still in use: Table is being created: %s", f.Name)
	}
	members, err := s.writeLockGroup(t)
	return t, members, err
}

func unlockAll(tables []*table) {
	for _, t := range tables {
		t.mu.Unlock()
	}
}

// Replica updates of UpdateTable (ReplicationGroupUpdate in the model).
type ReplicationGroupUpdate struct {
	Create *ReplicationGroupMemberAction `json:"Create,omitempty"`
	Update *ReplicationGroupMemberAction `json:"Update,omitempty"`
	Delete *struct {
		RegionName string `json:"RegionName"`
	} `json:"Delete,omitempty"`
}

// ReplicationGroupMemberAction makes a replica (Create) or changes one
// (Update, of any member, the table's own region among them): the
// settings each member has for itself.
type ReplicationGroupMemberAction struct {
	RegionName string `json:"RegionName"`
	// KMSMasterKeyId is the member's key, in its region. A global table's
	// members are encrypted alike, each under its own key, or none is:
	// they share their items.
	KMSMasterKeyId     string `json:"KMSMasterKeyId,omitempty"`
	TableClassOverride string `json:"TableClassOverride,omitempty"`
	// Refused: a global table is on demand and has its table's indexes.
	ProvisionedThroughputOverride any `json:"ProvisionedThroughputOverride,omitempty"`
	OnDemandThroughputOverride    any `json:"OnDemandThroughputOverride,omitempty"`
	GlobalSecondaryIndexes        any `json:"GlobalSecondaryIndexes,omitempty"`
}

// check refuses what Lakebox does not serve and a table class outside
// the model.
func (a *ReplicationGroupMemberAction) check() error {
	switch {
	case a.ProvisionedThroughputOverride != nil:
		return validationf("Lakebox does not support ProvisionedThroughputOverride yet: its global tables are on demand.")
	case a.OnDemandThroughputOverride != nil:
		return validationf("Lakebox does not support OnDemandThroughputOverride yet.")
	case a.GlobalSecondaryIndexes != nil:
		return validationf("Lakebox does not support replica GlobalSecondaryIndexes settings yet: a replica has the table's indexes.")
	}
	return checkTableClass(a.TableClassOverride)
}

// apply changes a member's own settings as an Update asks.
func (s *Service) apply(a *ReplicationGroupMemberAction, rec *tableRecord) error {
	if err := s.setKey(rec, a.KMSMasterKeyId); err != nil {
		return err
	}
	return rec.setClass(a.TableClassOverride, s.clock.Now())
}

// setKey gives a member the key id names ("": none asked), of the
// member's region (a bare id or an alias is resolved there). It must be
// another key than the member's: DynamoDB refuses the key a member has
// already.
func (s *Service) setKey(rec *tableRecord, id string) error {
	if id == "" {
		return nil
	}
	key := seal.KeyARN(id, rec.Account, rec.Region, defaultKMSAlias)
	if r := keyRegion(key); r != rec.Region {
		return validationf("KMS validation error for region %s: com.amazonaws.services.kms.model.NotFoundException: Invalid arn %s", rec.Region, r)
	}
	if key == rec.KMSKey {
		return errReplicaKeys
	}
	if err := s.checkEncryption(key); err != nil {
		return err
	}
	rec.KMSKey = key
	return nil
}

// errReplicaKeys is DynamoDB's answer to a request that would leave a
// global table's members encrypted unalike, one in the clear and one
// under a key, and to an Update naming the key a member has already or
// the account's DynamoDB key (ack-api-quirks DDB-TABLE-295, 309).
var errReplicaKeys = invalidParam("KMSMasterKeyId must be specified for each replica.")

// ReplicaDescription is a member of a global table as DescribeTable
// lists it (the others than the table described).
type ReplicaDescription struct {
	RegionName               string             `json:"RegionName"`
	ReplicaStatus            string             `json:"ReplicaStatus"`
	KMSMasterKeyId           string             `json:"KMSMasterKeyId,omitempty"`
	ReplicaTableClassSummary *tableClassSummary `json:"ReplicaTableClassSummary,omitempty"`
}

// describeReplicas adds to d what each of the other members has for
// itself, its record found by member.
func describeReplicas(d *TableDescription, member func(region string) (tableRecord, bool)) {
	for i := range d.Replicas {
		if rec, ok := member(d.Replicas[i].RegionName); ok {
			d.Replicas[i].KMSMasterKeyId = rec.KMSKey
			d.Replicas[i].ReplicaTableClassSummary = rec.classSummary()
		}
	}
}

// lockedMembers finds members' records among tables the caller holds
// locked.
func lockedMembers(members []*table) func(string) (tableRecord, bool) {
	return func(region string) (tableRecord, bool) {
		for _, m := range members {
			if m.key.region == region {
				return m.rec, true
			}
		}
		return tableRecord{}, false
	}
}

// memberRecord returns a copy of the record of rec's group member in
// region, read under its own lock: the caller holds no table's.
func (s *Service) memberRecord(rec *tableRecord) func(string) (tableRecord, bool) {
	return func(region string) (tableRecord, bool) {
		m := s.lookupKey(tableKey{rec.Account, region, rec.Name})
		if m == nil {
			return tableRecord{}, false
		}
		m.mu.RLock()
		defer m.mu.RUnlock()
		// A table of that name that is not (or no longer) a member is
		// not described as one.
		return m.rec, !m.deleted && m.rec.dataID() == rec.dataID()
	}
}

// regionPattern is what a region name looks like ("us-east-1",
// "us-gov-west-1").
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// checkReplicaUpdates checks the replica updates of an UpdateTable
// before any table is locked.
func (in *UpdateTableInput) checkReplicaUpdates(region string) error {
	if in.changes().besides("replicas") {
		return invalidParam("Replica modification must be the only operation in the request")
	}
	if len(in.ReplicaUpdates) == 0 {
		return invalidParam("List of ReplicaUpdates is empty")
	}
	named := map[string]bool{}
	for i, u := range in.ReplicaUpdates {
		var r, action string
		switch {
		case countSet(u.Create != nil, u.Update != nil, u.Delete != nil) != 1:
			return invalidParam("Only one of Create, Update or Delete must be specified in a ReplicationGroupUpdate")
		case u.Delete != nil:
			r, action = u.Delete.RegionName, "delete"
		default:
			a := cmp.Or(u.Create, u.Update)
			if err := a.check(); err != nil {
				return err
			}
			r, action = a.RegionName, "create"
			if u.Update != nil {
				action = "update"
			}
		}
		if r == "" {
			return modelValidation(nil, fmt.Sprintf("replicaUpdates.%d.member.%s.regionName", i+1, action), "not be null")
		}
		if named[r] {
			return invalidParam("Only one replica update per region is allowed in a request: %s", r)
		}
		named[r] = true
		// The table's own region may be updated (its key, its class), as
		// Terraform changes a global table's encryption: never made or
		// removed here.
		if r == region && u.Update == nil {
			return validationf("Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.")
		}
		if !regionPattern.MatchString(r) {
			return invalidParam("%s is not a region", r)
		}
	}
	return nil
}

// updateReplicas makes, changes and removes the replicas an UpdateTable
// names, in one commit with every member's record.
func (s *Service) updateReplicas(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	sc := scopeOf(ctx)
	if err := in.checkReplicaUpdates(sc.region); err != nil {
		return nil, err
	}
	_, members, err := s.lockGroupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer unlockAll(members)
	// The group as it will be: every member's record, by region.
	recs := map[string]*tableRecord{}
	for _, m := range members {
		rec := m.rec
		recs[rec.Region] = &rec
	}
	src := recs[sc.region]
	if !src.global() && slices.ContainsFunc(in.ReplicaUpdates, func(u ReplicationGroupUpdate) bool { return u.Update != nil && u.Update.RegionName == sc.region }) {
		// The table's own region is updated here only as a member of a
		// group.
		return nil, validationf("Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or UpdateTable as required.")
	}
	sealed := src.encrypted() // the group's items, as they are stored now
	var made []*tableRecord
	removed, updated := map[string]bool{}, map[string]bool{}
	for _, u := range in.ReplicaUpdates {
		switch {
		case u.Delete != nil:
			r := u.Delete.RegionName
			switch {
			case recs[r] == nil:
				return nil, errReplicaNotFound
			case recs[r].DeletionProtection: // as DeleteTable in its region refuses it
				return nil, validationf("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
			}
			delete(recs, r)
			removed[r] = true
		case u.Update != nil:
			rec := recs[u.Update.RegionName]
			if rec == nil {
				return nil, errReplicaNotFound
			}
			if u.Update.KMSMasterKeyId == "" && u.Update.TableClassOverride == "" {
				return nil, validationf("There are no actions specified in the Replica Update Action of the request.")
			}
			if isDefaultKey(seal.KeyARN(u.Update.KMSMasterKeyId, rec.Account, rec.Region, "")) {
				// The account's key is asked of every member at once, by
				// SSESpecification: DynamoDB refuses it here.
				return nil, errReplicaKeys
			}
			if err := s.apply(u.Update, rec); err != nil {
				if err == errClassSpent && rec.Region != sc.region {
					err = replicaClassSpent(rec.Region)
				}
				return nil, err
			}
			updated[rec.Region] = true
		default:
			c := u.Create
			if recs[c.RegionName] != nil {
				return nil, invalidParam("Replica already exists in region %s", c.RegionName)
			}
			if src.BillingMode != "PAY_PER_REQUEST" {
				return nil, validationf("Table write capacity should either be Pay-Per-Request or AutoScaled.")
			}
			m := s.newReplica(src, c.RegionName, c.TableClassOverride)
			if err := s.setKey(m, c.KMSMasterKeyId); err != nil {
				return nil, err
			}
			if c.KMSMasterKeyId == "" && src.encrypted() && isDefaultKey(src.KMSKey) {
				// The account's DynamoDB key, as src's, in the replica's region.
				m.KMSKey = seal.KeyARN("", m.Account, m.Region, defaultKMSAlias)
			}
			recs[c.RegionName] = m
			made = append(made, m)
		}
	}
	if recs[sc.region] == nil { // unreachable: the local region was refused
		return nil, validationf("Cannot add, delete, or update the local region through ReplicaUpdates.")
	}
	if err := s.namesFree(made); err != nil { // before the work of a reseal
		return nil, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.resealGroup(b, recs, sealed); err != nil {
		return nil, err
	}
	if err := s.regroup(b, members, recs, made, removed); err != nil {
		return nil, err
	}
	out := &UpdateTableOutput{TableDescription: s.describe(recs[sc.region], "UPDATING", 0, 0)}
	describeReplicas(&out.TableDescription, func(region string) (tableRecord, bool) {
		rec := recs[region]
		if rec == nil {
			return tableRecord{}, false
		}
		return *rec, true
	})
	// As DynamoDB answers: the replicas it has begun to make are
	// CREATING, those it changes UPDATING.
	for i, r := range out.TableDescription.Replicas {
		switch {
		case slices.ContainsFunc(made, func(m *tableRecord) bool { return m.Region == r.RegionName }):
			out.TableDescription.Replicas[i].ReplicaStatus = "CREATING"
		case updated[r.RegionName]:
			out.TableDescription.Replicas[i].ReplicaStatus = "UPDATING"
		}
	}
	return out, nil
}

// errReplicaNotFound is DynamoDB's answer to a Delete or Update of a
// region where the table has no member.
var errReplicaNotFound = validationf("Replica specified in the Replica Update or Replica Delete action of the request was not found.")

// resealGroup checks that the members of a group to be, recs, are
// encrypted alike, each under its own key, or none is, and adds to b the
// group's items, index entries and point-in-time versions in the form
// that asks for, when it is not the form they are in (sealed). Alike is
// DynamoDB's rule: every member under a key of the customer's, or every
// member under the account's DynamoDB key of its region.
func (s *Service) resealGroup(b *meta.Batch, recs map[string]*tableRecord, sealed bool) error {
	var all []*tableRecord
	for _, region := range slices.Sorted(maps.Keys(recs)) {
		all = append(all, recs[region])
	}
	for _, rec := range all[1:] {
		switch {
		case rec.encrypted() != all[0].encrypted():
			return errReplicaKeys
		case rec.encrypted() && isDefaultKey(rec.KMSKey) != isDefaultKey(all[0].KMSKey):
			return invalidParam("All replica keys must either be Customer Managed CMK or AWS Managed CMK.")
		}
	}
	if all[0].encrypted() == sealed {
		return nil
	}
	return s.reseal(b, all[0], all[1:]...)
}

// regroup stores a global table's group as it is to be, in one commit of
// b with what the caller added to it: recs are the records of its members to be, by region (the new ones,
// made, among them), and removed the regions of the members, all locked,
// that leave it. Every member's Replicas are set from recs, and every
// member of a group gets a stream if it has none. In memory, nothing
// changes unless the commit does, but for the stream of a member that
// leaves, closed as DeleteTable closes one.
func (s *Service) regroup(b *meta.Batch, members []*table, recs map[string]*tableRecord, made []*tableRecord, removed map[string]bool) error {
	// A name taken is refused before anything changes, even in memory (a
	// removed member's stream is closed below); it is checked again, under
	// s.mu, just before the commit.
	if err := s.namesFree(made); err != nil {
		return err
	}
	// Every member streams every change: one without a stream gets one of
	// NEW_AND_OLD_IMAGES, as on AWS (a stream already on keeps its view).
	var opened, closed []*stream
	if len(recs) > 1 {
		for _, rec := range recs {
			if rec.Stream == "" {
				opened = append(opened, s.newStream(rec, "NEW_AND_OLD_IMAGES"))
			}
		}
	}
	for _, rec := range recs {
		rec.Replicas = nil
		for region := range recs {
			if region != rec.Region {
				rec.Replicas = append(rec.Replicas, region)
			}
		}
		slices.Sort(rec.Replicas)
		if rec.Replicas == nil && rec.DataID == rec.ID {
			rec.DataID = "" // the last member, its data its own again
		}
	}
	var retired []func()
	for _, m := range members {
		if removed[m.key.region] {
			f, st, err := s.dropMember(b, m)
			if err != nil {
				return err
			}
			retired = append(retired, f...)
			closed = append(closed, st)
		}
	}
	for _, st := range append(opened, closed...) {
		if st != nil {
			st.saveMu.Lock()
			defer st.saveMu.Unlock()
			if err := saveStream(b, st); err != nil {
				return err
			}
		}
	}
	for _, rec := range recs {
		if err := putTableRecord(b, rec); err != nil {
			return err
		}
	}
	// The new replicas' names are claimed under s.mu, held from the check
	// to the registration, as createTable claims a table's: a CreateTable,
	// a restore or another group's replica of that name in that region
	// cannot come between.
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.namesFreeLocked(made); err != nil {
		return err
	}
	if err := b.Commit(); err != nil {
		return err
	}
	for _, m := range members {
		if removed[m.key.region] {
			m.deleted = true
			delete(s.tables, m.key)
		} else {
			m.rec = *recs[m.key.region]
		}
	}
	for _, rec := range made {
		t := newTable(*rec)
		s.tables[t.key] = t
	}
	for _, st := range opened {
		s.streams[st.rec.ID] = st
	}
	for _, f := range retired {
		f()
	}
	return nil
}

// namesFree refuses new replicas whose region already has a table of
// their name.
func (s *Service) namesFree(made []*tableRecord) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.namesFreeLocked(made)
}

func (s *Service) namesFreeLocked(made []*tableRecord) error {
	for _, rec := range made {
		if s.tables[tableKey{rec.Account, rec.Region, rec.Name}] != nil {
			return invalidParam("Table already exists: a table named %s already exists in region %s", rec.Name, rec.Region)
		}
	}
	return nil
}

// newReplica returns the record of a new member of src's group, which
// from now keeps its items where src does.
// It has class, or src's class, made so rather than changed; and no key:
// updateReplicas gives it the one its Create names, or the account's
// DynamoDB key when src has that.
func (s *Service) newReplica(src *tableRecord, region, class string) *tableRecord {
	if src.DataID == "" {
		src.DataID = src.ID
	}
	return &tableRecord{
		Account: src.Account, Region: region, Name: src.Name, ID: newID(), DataID: src.DataID,
		KeySchema: src.KeySchema, Attributes: src.Attributes, BillingMode: src.BillingMode, Created: s.clock.Now().UnixMilli(),
		TableClass: cmp.Or(class, src.TableClass), TTL: src.TTL, Indexes: slices.Clone(src.Indexes),
		CollectionsSized: src.CollectionsSized,
	}
}

// dropMember adds to b what removing a member of a global table removes:
// its record, its point-in-time versions, its stream (kept, disabled, as
// DeleteTable keeps it) and its Kinesis destinations' outboxes. Its items
// stay: the other members hold them. It returns what to do once b is
// committed.
func (s *Service) dropMember(b *meta.Batch, m *table) ([]func(), *stream, error) {
	rec := m.rec
	b.Delete(tableDBKey(m.key))
	history := historyTablePrefix(rec.ID)
	b.DeleteRange(history, meta.PrefixEnd(history))
	st := s.closeStream(&rec)
	var retired []func()
	for i := range rec.Kinesis {
		f, err := s.retireOutbox(b, &rec.Kinesis[i])
		if err != nil {
			return nil, nil, err
		}
		retired = append(retired, f)
	}
	return retired, st, nil
}

// leaveGroup deletes t, a member of a global table, locked with the other
// members: they keep the items, and lose its region, in one commit.
func (s *Service) leaveGroup(t *table, members []*table) (*DeleteTableOutput, error) {
	recs := map[string]*tableRecord{}
	for _, m := range members {
		if m != t {
			rec := m.rec
			recs[rec.Region] = &rec
		}
	}
	rec := t.rec
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.regroup(b, members, recs, nil, map[string]bool{t.key.region: true}); err != nil {
		return nil, err
	}
	out := &DeleteTableOutput{TableDescription: s.describe(&rec, "DELETING", 0, 0)}
	describeReplicas(&out.TableDescription, lockedMembers(members))
	return out, nil
}

// putTableRecord adds a table's record to b.
func putTableRecord(b *meta.Batch, rec *tableRecord) error {
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b.Set(tableDBKey(tableKey{rec.Account, rec.Region, rec.Name}), v)
	return nil
}

// checkGlobal refuses the changes of an UpdateTable of a global table's
// member that DynamoDB refuses: the stream's end, and provisioned
// throughput, which a global table may have only with auto scaling
// (Lakebox has none).
func (in *UpdateTableInput) checkGlobal() error {
	switch {
	case in.StreamSpecification != nil && in.StreamSpecification.StreamEnabled != nil && !*in.StreamSpecification.StreamEnabled:
		return invalidParam("Disabling Stream is not allowed for a Global Table replica.")
	case in.BillingMode == "PROVISIONED" || in.ProvisionedThroughput != nil:
		return validationf("Table write capacity should either be Pay-Per-Request or AutoScaled.")
	}
	return nil
}

// encryptGroup changes the encryption of a global table's members as an
// UpdateTable of member t asks (spec, for kmsKey in t's region), with
// every member locked: the key AWS owns, or the account's DynamoDB key,
// is every member's, each in its region; a key of the customer's is t's
// alone, and the others must have keys of their own already (or get them
// through ReplicaUpdates). Every item is resealed in the commit that
// stores the records when encryption turns on or off.
func (s *Service) encryptGroup(t *table, members []*table, spec *SSESpecification, kmsKey string) (*UpdateTableOutput, error) {
	if err := spec.changes(&t.rec, kmsKey); err != nil {
		return nil, err
	}
	recs := map[string]*tableRecord{}
	for _, m := range members {
		rec := m.rec
		switch {
		case m == t:
			rec.KMSKey = kmsKey
		case kmsKey == "" || isDefaultKey(kmsKey):
			rec.KMSKey = ""
			if kmsKey != "" {
				rec.KMSKey = seal.KeyARN("", rec.Account, rec.Region, defaultKMSAlias)
			}
		}
		recs[rec.Region] = &rec
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := s.resealGroup(b, recs, t.rec.encrypted()); err != nil {
		return nil, err
	}
	for _, rec := range recs {
		if err := putTableRecord(b, rec); err != nil {
			return nil, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	was := t.rec.sseDescription()
	for _, m := range members {
		m.rec = *recs[m.key.region]
	}
	out := &UpdateTableOutput{TableDescription: s.describe(&t.rec, "ACTIVE", 0, 0)}
	describeReplicas(&out.TableDescription, lockedMembers(members))
	out.TableDescription.sseUpdating(was)
	return out, nil
}
