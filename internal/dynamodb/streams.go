package dynamodb

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// DynamoDB Streams: a table's change log. Every write that changes an
// item adds a stream record in the same atomic batch as the item, so a
// change is in the stream exactly when it is in the table, across
// crashes. Each stream has one shard, open while the stream is enabled;
// records live 24 hours of server time (docs/dynamodb.md).
//
// Keys (docs/format/dynamodb.md):
//
//	ddb\x00S\x00<stream id>                      streamRecord (JSON)
//	ddb\x00r\x00<stream id><sequence, 8 bytes>   arrival (Unix ms, 8 bytes) + the record's wire JSON
//	ddb\x00k                                     the key that signs shard iterators
var (
	streamPrefix = []byte("ddb\x00S\x00")
	recordPrefix = []byte("ddb\x00r\x00")
	iterKeyKey   = []byte("ddb\x00k")
)

const (
	streamRetention  = 24 * time.Hour
	iteratorLifetime = 15 * time.Minute
	maxStreamRecords = 1000    // GetRecords' largest Limit
	maxRecordsBytes  = 1 << 20 // and its largest response
)

// streamRecord is a stream as stored.
type streamRecord struct {
	ID                         string // 16 random bytes in hex; names the stream's keys
	Account, Region, TableName string
	Label                      string // creation time, e.g. 2026-11-22T23:35:10.123
	ViewType                   string
	KeySchema                  []KeySchemaElement
	Created                    int64  // Unix ms
	Disabled                   int64  `json:",omitempty"` // Unix ms; 0 while enabled
	Last                       uint64 `json:",omitempty"` // once disabled: the last sequence number handed out
	Trimmed                    uint64 `json:",omitempty"` // records below this number are gone
}

func (r *streamRecord) arn() string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s/stream/%s", r.Region, r.Account, r.TableName, r.Label)
}

// shardID names the stream's one shard.
func (r *streamRecord) shardID() string { return fmt.Sprintf("shardId-%020d-%s", r.Created, r.ID[:8]) }

func streamDBKey(id string) []byte { return []byte(string(streamPrefix) + id) }

func recordKey(streamID string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(string(recordPrefix)+streamID), seq)
}

// seqText is a sequence number as the API shows it: 21 digits at least.
func seqText(seq uint64) string { return fmt.Sprintf("%021d", seq) }

// stream is a stream at run time.
type stream struct {
	sequencer // numbers its records

	mu  sync.Mutex
	rec streamRecord

	// saveMu is held from a snapshot of rec to the commit that stores it,
	// so an older snapshot is never stored over a newer one.
	saveMu sync.Mutex
}

func (st *stream) snapshot() streamRecord {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.rec
}

// loadStreams reads the stream records and finds where each stream's
// numbering stopped.
func (s *Service) loadStreams() error {
	return eachJSON(s.db, streamPrefix, func(r *streamRecord) error {
		st := &stream{rec: *r}
		next := max(1, r.Trimmed, r.Last+1)
		_, last, ok, err := seqRange(s.db, []byte(string(recordPrefix)+r.ID))
		if err != nil {
			return err
		}
		if ok {
			next = max(next, last+1)
		}
		st.start(next)
		s.streams[r.ID] = st
		return nil
	})
}

// iteratorKey returns the key that signs shard iterators, made on first
// use and kept, so iterators outlive a restart as they would on AWS.
func (s *Service) iteratorKey() ([]byte, error) {
	k, err := s.db.Get(iterKeyKey)
	if !errors.Is(err, meta.ErrNotFound) {
		return k, err
	}
	k, _ = hex.DecodeString(newID() + newID())
	b := s.db.NewBatch()
	b.Set(iterKeyKey, k)
	return k, b.Commit()
}

// StreamSpecification is a table's stream setting.
type StreamSpecification struct {
	StreamEnabled  *bool  `json:"StreamEnabled,omitempty"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

// checkStreamSpec validates a stream setting, of a table being created
// or updated (CreateTable words the view type's rules its own way); it
// reports whether the stream is to be on.
func checkStreamSpec(spec *StreamSpecification, creating bool) (bool, error) {
	if spec.StreamEnabled == nil {
		return false, modelValidation(nil, "streamSpecification.streamEnabled", "not be null")
	}
	if !*spec.StreamEnabled {
		switch {
		case spec.StreamViewType != "" && creating:
			return false, invalidParam("Table is being created with a stream disabled, UpdateViewType should not be specified")
		case spec.StreamViewType != "":
			return false, invalidParam("If stream is being disabled, then UpdateViewType must not be specified")
		}
		return false, nil
	}
	switch spec.StreamViewType {
	case "":
		if creating {
			return false, invalidParam("Table is being created with a stream enabled, UpdateViewType is required")
		}
		return false, invalidParam("If stream is being enabled then UpdateViewType is required")
	case "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
		return true, nil
	}
	return false, modelValidation(spec.StreamViewType, "streamSpecification.streamViewType", "satisfy enum value set: [OLD_IMAGE, KEYS_ONLY, NEW_AND_OLD_IMAGES, NEW_IMAGE]")
}

// newStream makes rec's new stream (rec is the table being created or
// updated, write-locked). The caller saves the record with the table.
func (s *Service) newStream(rec *tableRecord, viewType string) *stream {
	now := s.clock.Now()
	st := &stream{sequencer: sequencer{next: 1}, rec: streamRecord{
		ID: newID(), Account: rec.Account, Region: rec.Region, TableName: rec.Name,
		Label: now.UTC().Format("2006-01-02T15:04:05.000"), ViewType: viewType,
		KeySchema: rec.KeySchema, Created: now.UnixMilli(),
	}}
	// Labels name streams; a table re-enabled within the same millisecond
	// of server time gets the next one.
	for s.streamByARN(st.rec.arn()) != nil {
		st.rec.Created++
		st.rec.Label = time.UnixMilli(st.rec.Created).UTC().Format("2006-01-02T15:04:05.000")
	}
	rec.Stream, rec.StreamViewType, rec.LatestStream = st.rec.ID, viewType, st.rec.arn()
	return st
}

// closeStream disables a table's stream: its shard closes at the last
// number handed out. Writers are excluded (the table is write-locked).
func (s *Service) closeStream(rec *tableRecord) *stream {
	st := s.streamByID(rec.Stream)
	rec.Stream, rec.StreamViewType = "", ""
	if st == nil {
		return nil
	}
	st.mu.Lock()
	st.rec.Disabled = s.clock.Now().UnixMilli()
	st.rec.Last = st.last() // none is pending: the table is write-locked
	st.mu.Unlock()
	return st
}

func (s *Service) streamByID(id string) *stream {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.streams[id]
}

func (s *Service) streamByARN(arn string) *stream {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, st := range s.streams {
		if st.rec.arn() == arn { // the ARN and ID never change
			return st
		}
	}
	return nil
}

// saveStream adds a stream's record to b.
func saveStream(b *meta.Batch, st *stream) error {
	r := st.snapshot()
	v, err := json.Marshal(&r)
	if err != nil {
		return err
	}
	b.Set(streamDBKey(r.ID), v)
	return nil
}

// readsOld tells whether a write to the table needs the item it
// replaces even when the request does not: to replace its index entries
// or to write its stream record.
func (r *tableRecord) readsOld() bool {
	return len(r.Indexes) > 0 || r.Stream != "" || r.capturing() || r.global() // a replica's stream or destination
}

// writeBatch is one atomic write of items: their bodies, their index
// entries and their stream records, committed together.
type writeBatch struct {
	s       *Service
	b       *meta.Batch
	at      int64 // Unix ms of the point-in-time versions it keeps, once one is
	settles []func(committed bool)
	kick    bool  // it adds to an outbox: wake the pump after the commit
	err     error // the first value that could not be sealed: commit fails with it
	// grown is the change each item collection written to takes, by
	// collection key (collections.go); sizes, once committed, their sizes.
	grown, sizes map[string]int64
}

func (s *Service) newWriteBatch() *writeBatch { return &writeBatch{s: s, b: s.db.NewBatch()} }

// put writes an item over old (nil for none); body is its encoding.
func (w *writeBatch) put(rec *tableRecord, key []byte, old, item Item, body []byte) {
	stored := w.sealed(rec, body)
	w.b.Set(key, stored)
	w.indexWrites(rec, old, item)
	w.resize(rec, old, item)
	w.record(rec, key, old, item, false)
	w.keep(rec, key, stored)
	for _, m := range w.s.replicasOf(rec) { // their items are rec's: their streams and versions
		w.record(m, key, old, item, false)
		w.keep(m, key, stored)
	}
}

// remove deletes an item; expired tells a TTL deletion.
func (w *writeBatch) remove(rec *tableRecord, key []byte, old Item, expired bool) {
	w.b.Delete(key)
	w.indexWrites(rec, old, nil)
	w.resize(rec, old, nil)
	w.record(rec, key, old, nil, expired)
	w.keep(rec, key, nil)
	for _, m := range w.s.replicasOf(rec) {
		w.record(m, key, old, nil, expired)
		w.keep(m, key, nil)
	}
}

// sealed returns what the store keeps of v, a value made of rec's items
// (Service.sealFor); an error is kept for commit to return.
func (w *writeBatch) sealed(rec *tableRecord, v []byte) []byte {
	out, err := w.s.sealFor(rec, v)
	if err != nil && w.err == nil {
		w.err = err
	}
	return out
}

// sealedFrom returns v with v[from:] sealed as sealed seals it: the JSON
// of a record after its header.
func (w *writeBatch) sealedFrom(rec *tableRecord, v []byte, from int) []byte {
	if !rec.encrypted() {
		return v
	}
	return append(v[:from], w.sealed(rec, v[from:])...)
}

// commit commits the batch durably. It fails with a
// *collectionFullError when it would grow an item collection past the
// limit.
func (w *writeBatch) commit() error {
	err := w.err
	unlock := func() {}
	if err == nil && len(w.grown) > 0 {
		var release func()
		if release, err = w.sizeCollections(); err == nil {
			unlock = release
		}
	}
	if err != nil {
		w.b.Close()
	} else {
		err = w.b.Commit()
	}
	unlock()
	w.settle(err == nil)
	if err == nil && w.kick {
		w.s.kickPump()
	}
	return err
}

// discard gives back the stream numbers of a batch that will not commit;
// after commit it does nothing. Every writer defers it: a number left
// pending would stop the stream's readers.
func (w *writeBatch) discard() {
	if len(w.settles) == 0 {
		return
	}
	w.settle(false)
	// The numbers given back may have held the pump's readers below
	// records that other writers committed.
	if w.kick {
		w.s.kickPump()
	}
}

func (w *writeBatch) settle(committed bool) {
	for _, settle := range w.settles {
		settle(committed)
	}
	w.settles = nil
}

// record adds the stream and Kinesis records of an item going from old
// to item, when the table has a stream or a Kinesis destination and the
// item really changed (DynamoDB writes no record for a write that changes
// nothing).
func (w *writeBatch) record(rec *tableRecord, key []byte, old, item Item, expired bool) {
	if rec.Stream == "" && len(rec.Kinesis) == 0 || old == nil && item == nil || old != nil && item != nil && sameItem(old, item) {
		return
	}
	if rec.capturing() {
		w.kinesisRecord(rec, key, old, item, expired)
	}
	if rec.Stream == "" {
		return
	}
	st := w.s.streamByID(rec.Stream)
	if st == nil {
		return
	}
	seq := st.reserve()
	w.settles = append(w.settles, func(committed bool) { st.settle(seq, committed) })
	now := w.s.clock.Now()
	v := binary.BigEndian.AppendUint64(nil, uint64(now.UnixMilli()))
	v = appendStreamRecord(v, rec, st.rec.ViewType, seq, now, old, item, expired)
	w.b.Set(recordKey(st.rec.ID, seq), w.sealedFrom(rec, v, 8))
}

func sameItem(a, b Item) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || !equal(&x, &y) {
			return false
		}
	}
	return true
}

// change names an item's change from old to item (INSERT, MODIFY or
// REMOVE) and gives the item's key attributes.
func (r *tableRecord) change(old, item Item) (string, Item) {
	either, name := item, "MODIFY"
	switch {
	case old == nil:
		name = "INSERT"
	case item == nil:
		either, name = old, "REMOVE"
	}
	return name, r.keyAttributes(either)
}

// appendStreamRecord appends a stream record's wire JSON.
func appendStreamRecord(b []byte, rec *tableRecord, view string, seq uint64, now time.Time, old, item Item, expired bool) []byte {
	name, keys := rec.change(old, item)
	size := itemSize(keys)
	b = append(b, `{"awsRegion":`...)
	b = appendString(b, rec.Region)
	b = append(b, `,"dynamodb":{"ApproximateCreationDateTime":`...)
	b = strconv.AppendInt(b, now.Unix(), 10)
	b = append(b, `,"Keys":`...)
	b = appendItem(b, keys)
	if item != nil && (view == "NEW_IMAGE" || view == "NEW_AND_OLD_IMAGES") {
		b = appendItem(append(b, `,"NewImage":`...), item)
		size += itemSize(item)
	}
	if old != nil && (view == "OLD_IMAGE" || view == "NEW_AND_OLD_IMAGES") {
		b = appendItem(append(b, `,"OldImage":`...), old)
		size += itemSize(old)
	}
	b = append(b, `,"SequenceNumber":"`...)
	b = append(b, seqText(seq)...)
	b = append(b, `","SizeBytes":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	b = append(b, `,"StreamViewType":`...)
	b = appendString(b, view)
	b = append(b, `},"eventID":"`...)
	b = append(b, newID()...)
	b = append(b, `","eventName":"`...)
	b = append(b, name...)
	b = append(b, `","eventSource":"aws:dynamodb","eventVersion":"1.1"`...)
	if expired {
		b = append(b, `,"userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}`...)
	}
	return append(b, '}')
}

// TrimStreams removes stream records older than 24 hours of server time,
// and forgets disabled streams once nothing of them is left. It returns
// how many streams it trimmed.
func (s *Service) TrimStreams() (int, error) {
	cutoff := s.clock.Now().Add(-streamRetention).UnixMilli()
	s.mu.RLock()
	streams := make([]*stream, 0, len(s.streams))
	for _, st := range s.streams {
		streams = append(streams, st)
	}
	s.mu.RUnlock()
	trimmed := 0
	for _, st := range streams {
		done, err := s.trimStream(st, cutoff)
		if err != nil {
			return trimmed, err
		}
		if done {
			trimmed++
		}
	}
	return trimmed, nil
}

// trimStream removes one stream's records that arrived before cutoff
// (Unix ms), and the stream itself once it is disabled, old and empty.
func (s *Service) trimStream(st *stream, cutoff int64) (bool, error) {
	st.saveMu.Lock()
	defer st.saveMu.Unlock()
	r := st.snapshot()
	prefix := []byte(string(recordPrefix) + r.ID)
	// Never past a record still being written: it would land below the
	// trim point and stay.
	end := st.visible()
	it, err := s.db.NewIter(recordKey(r.ID, r.Trimmed), recordKey(r.ID, end))
	if err != nil {
		return false, err
	}
	upTo, recent := r.Trimmed, false
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return false, err
		}
		if int64(binary.BigEndian.Uint64(v)) >= cutoff {
			recent = true
			break
		}
		upTo = binary.BigEndian.Uint64(it.Key()[len(prefix):]) + 1
	}
	if err := it.Close(); err != nil {
		return false, err
	}
	gone := r.Disabled != 0 && r.Disabled < cutoff && !recent
	if upTo == r.Trimmed && !gone {
		return false, nil
	}
	b := s.db.NewBatch()
	b.DeleteRange(recordKey(r.ID, r.Trimmed), recordKey(r.ID, upTo))
	st.mu.Lock()
	st.rec.Trimmed = upTo
	st.mu.Unlock()
	if gone {
		b.DeleteRange(prefix, meta.PrefixEnd(prefix))
		b.Delete(streamDBKey(r.ID))
	} else if err := saveStream(b, st); err != nil {
		return false, err
	}
	if err := b.Commit(); err != nil {
		return false, err
	}
	if gone {
		s.mu.Lock()
		delete(s.streams, r.ID)
		s.mu.Unlock()
	}
	return true, nil
}
