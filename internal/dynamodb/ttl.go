package dynamodb

import (
	"context"
	"strconv"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

type TimeToLiveSpecification struct {
	Enabled       *bool   `json:"Enabled"`       // required: absent is not "off"
	AttributeName *string `json:"AttributeName"` // required: absent is "null" to the model's check, not ""
}

type UpdateTimeToLiveInput struct {
	TableName               string                   `json:"TableName"`
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

type UpdateTimeToLiveOutput struct {
	TimeToLiveSpecification TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

// UpdateTimeToLive turns expiry on or off. Items whose TTL attribute is a
// number of epoch seconds in the past (on the server clock) are deleted
// by the expiry pass (every minute, and whenever the clock is advanced).
func (s *Service) UpdateTimeToLive(ctx context.Context, in *UpdateTimeToLiveInput) (*UpdateTimeToLiveOutput, error) {
	spec := in.TimeToLiveSpecification
	if spec == nil {
		return nil, modelValidation(nil, "timeToLiveSpecification", "not be null")
	}
	var v awserr.Violations
	if spec.AttributeName == nil {
		v.Add(nil, "timeToLiveSpecification.attributeName", "not be null")
	} else {
		v.Length(*spec.AttributeName, "timeToLiveSpecification.attributeName", len(*spec.AttributeName), 1, 255)
	}
	if spec.Enabled == nil {
		v.Add(nil, "timeToLiveSpecification.enabled", "not be null")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	name := *spec.AttributeName
	// The members of a global table share their time to live.
	t, members, err := s.lockGroupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer unlockAll(members)
	rec := t.rec
	switch {
	case !*spec.Enabled && rec.TTL == "":
		return nil, validationf("TimeToLive is already disabled")
	case rec.TTL != "" && rec.TTL != name: // enabling or disabling another attribute
		return nil, validationf("TimeToLive is active on a different AttributeName: current AttributeName is %s", rec.TTL)
	case *spec.Enabled && rec.TTL != "":
		return nil, validationf("TimeToLive is already enabled")
	}
	if !*spec.Enabled {
		name = ""
	}
	b := s.db.NewBatch()
	defer b.Close()
	recs := make([]tableRecord, len(members))
	for i, m := range members {
		recs[i] = m.rec
		recs[i].TTL = name
		if err := putTableRecord(b, &recs[i]); err != nil {
			return nil, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	for i, m := range members {
		m.rec = recs[i]
	}
	return &UpdateTimeToLiveOutput{TimeToLiveSpecification: *spec}, nil
}

type TimeToLiveDescription struct {
	TimeToLiveStatus string `json:"TimeToLiveStatus"`
	AttributeName    string `json:"AttributeName,omitempty"`
}

type DescribeTimeToLiveOutput struct {
	TimeToLiveDescription TimeToLiveDescription `json:"TimeToLiveDescription"`
}

// DescribeTimeToLive reports whether expiry is on, and on what attribute.
func (s *Service) DescribeTimeToLive(ctx context.Context, in *TableNameInput) (*DescribeTimeToLiveOutput, error) {
	t, err := s.lookupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.rec.TTL == "" {
		return &DescribeTimeToLiveOutput{TimeToLiveDescription: TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}}, nil
	}
	return &DescribeTimeToLiveOutput{TimeToLiveDescription: TimeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: t.rec.TTL}}, nil
}

// Expire deletes the items past their time to live in every table with
// expiry on, and returns how many it deleted. An item expires when its TTL
// attribute is a number of epoch seconds before now; other values never
// expire it, as on DynamoDB.
func (s *Service) Expire() (int, error) {
	if err := s.expireTokens(); err != nil {
		return 0, err
	}
	now := s.clock.Now().Unix()
	// Table locks are never taken under s.mu (UpdateTable and DeleteTable
	// take s.mu under their table's lock), but by createTable for a table
	// no one else can see yet.
	s.mu.RLock()
	all := make([]*table, 0, len(s.tables))
	for _, t := range s.tables {
		all = append(all, t)
	}
	s.mu.RUnlock()
	var tables []*table
	for _, t := range all {
		if t.filling.Load() != nil { // a restore or import holds it until filled
			continue
		}
		t.mu.RLock()
		// A global table's members share their items: the first region's
		// expires them for all.
		if t.rec.TTL != "" && (!t.rec.global() || t.rec.regions()[0] == t.rec.Region) {
			tables = append(tables, t)
		}
		t.mu.RUnlock()
	}
	deleted := 0
	for _, t := range tables {
		n, err := s.expireTable(t, now)
		deleted += n
		if err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

func (s *Service) expireTable(t *table, now int64) (int, error) {
	t.mu.RLock()
	id, ttl := t.rec.dataID(), t.rec.TTL
	t.mu.RUnlock()
	prefix := itemKeyPrefix(id)
	it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return 0, err
	}
	var expired [][]byte
	for it.First(); it.Valid(); it.Next() {
		v, err := s.opened(it)
		if err != nil {
			it.Close()
			return 0, err
		}
		item, err := decodeItem(v)
		if err != nil {
			it.Close()
			return 0, err
		}
		if expiredAt(item[ttl], now) {
			expired = append(expired, append([]byte(nil), it.Key()...))
		}
	}
	if err := it.Close(); err != nil {
		return 0, err
	}
	n := 0
	for _, key := range expired {
		// Re-check under the table's and the item's lock, as a writer: the
		// table may have changed or gone, the item been rewritten.
		release, err := s.readLockAll([]*table{t}) // and a global table's members, whose streams get the deletion
		if err != nil {
			return n, nil // deleted meanwhile
		}
		if t.rec.TTL == "" {
			release()
			return n, nil
		}
		unlock := s.lockItems(key)
		item, err := s.getItem(key)
		if err == nil && item != nil && expiredAt(item[t.rec.TTL], now) {
			w := s.newWriteBatch()
			defer w.discard()
			w.remove(&t.rec, key, item, true)
			if err = w.commit(); err == nil {
				n++
			}
		}
		unlock()
		release()
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// ttlMaxAge is how far in the past a TTL attribute may be and still
// expire its item: DynamoDB ignores timestamps more than five years old.
const ttlMaxAge = 5 * 365 * 24 * 60 * 60

// expiredAt tells whether a TTL attribute, in Unix seconds, expires its
// item at now.
func expiredAt(v AttributeValue, now int64) bool {
	if v.N == nil {
		return false
	}
	d, err := parseNumber(*v.N)
	if err != nil {
		return false
	}
	sec, err := strconv.ParseFloat(d.Text('f'), 64)
	return err == nil && sec > 0 && sec < float64(now) && sec >= float64(now-ttlMaxAge)
}
