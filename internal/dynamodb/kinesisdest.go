package dynamodb

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Kinesis Data Streams for DynamoDB: a table's item changes, put into a
// Kinesis data stream. Every write that changes an item adds the change's
// record to the destination's outbox in the same atomic batch as the item,
// so nothing acknowledged is lost across a crash; a pump puts the outbox
// into Kinesis and removes what Kinesis took. Like AWS, delivery is at
// least once and in no guaranteed order (docs/dynamodb.md).
//
// Keys (docs/format/dynamodb.md):
//
//	ddb\x00o\x00<outbox id>                      outboxRecord (JSON)
//	ddb\x00q\x00<outbox id><sequence, 8 bytes>   uvarint length + partition key + the record's JSON
var (
	outboxPrefix      = []byte("ddb\x00o\x00")
	outboxEntryPrefix = []byte("ddb\x00q\x00")
)

// Destination states, as DescribeKinesisStreamingDestination shows them.
// Lakebox makes its changes at once, so the transitional states (ENABLING,
// DISABLING, UPDATING) are only what the changing calls answer, as AWS's do.
const (
	destActive       = "ACTIVE"
	destDisabled     = "DISABLED"
	destEnableFailed = "ENABLE_FAILED"
)

// KinesisSink is where destinations' records go: Lakebox's Kinesis.
type KinesisSink interface {
	// Exists reports whether the stream exists, as seen by its account.
	Exists(ctx context.Context, account, region, streamARN string) (bool, error)
	// Put puts records into the stream, answering per record whether
	// it was taken. An error means none was.
	Put(ctx context.Context, account, region, streamARN string, recs []KinesisRecord) ([]bool, error)
}

// KinesisRecord is one record for a Kinesis stream.
type KinesisRecord struct {
	PartitionKey string
	Data         []byte
}

// kinesisDestination is a table's Kinesis streaming destination, as kept
// in its table record.
type kinesisDestination struct {
	StreamARN   string
	Status      string
	Description string `json:",omitempty"` // why it failed
	Precision   string `json:",omitempty"` // MICROSECOND, or "" for milliseconds (never set)
	Outbox      string `json:",omitempty"` // the id of its outbox while ACTIVE
}

// capturing tells whether writes to the table add Kinesis records.
func (r *tableRecord) capturing() bool {
	for _, d := range r.Kinesis {
		if d.Status == destActive {
			return true
		}
	}
	return false
}

// outboxRecord is an outbox as stored. An outbox outlives its destination
// (disabled, or its table deleted) until what it holds is delivered.
type outboxRecord struct {
	ID                         string
	Account, Region, TableName string
	StreamARN                  string
	Retired                    bool `json:",omitempty"` // no writer adds to it any more
}

// outbox is an outbox at run time.
type outbox struct {
	sequencer // numbers its entries
	rec       outboxRecord
	retired   atomic.Bool // rec.Retired, once committed

	// failing is why Kinesis refused the last delivery ("" when it
	// did not): DescribeKinesisStreamingDestination shows it.
	failing atomic.Pointer[string]

	// Only the pump uses these.
	from    uint64 // where reading resumes: nothing is below it
	lastErr string // the last delivery error logged
}

func outboxDBKey(id string) []byte { return []byte(string(outboxPrefix) + id) }

func outboxEntryKey(id string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte(string(outboxEntryPrefix)+id), seq)
}

// loadOutboxes reads the outbox records and finds where each outbox's
// entries start and end.
func (s *Service) loadOutboxes() error {
	return eachJSON(s.db, outboxPrefix, func(r *outboxRecord) error {
		ob := &outbox{rec: *r}
		first, last, ok, err := seqRange(s.db, []byte(string(outboxEntryPrefix)+r.ID))
		if err != nil {
			return err
		}
		next := uint64(1)
		if ok {
			ob.from, next = first, last+1
		}
		ob.start(next)
		ob.retired.Store(r.Retired)
		s.outboxes[r.ID] = ob
		return nil
	})
}

func (s *Service) outboxByID(id string) *outbox {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.outboxes[id]
}

func saveOutbox(b *meta.Batch, r *outboxRecord) error {
	v, err := json.Marshal(r)
	if err != nil {
		return err
	}
	b.Set(outboxDBKey(r.ID), v)
	return nil
}

// retireOutbox marks the outbox of an active destination retired in b,
// and returns what to do once b commits. The table is write-locked, so no
// writer is adding to it; the pump forgets it once it is empty.
func (s *Service) retireOutbox(b *meta.Batch, d *kinesisDestination) (func(), error) {
	ob := s.outboxByID(d.Outbox)
	if d.Status != destActive || ob == nil {
		return func() {}, nil
	}
	r := ob.rec
	r.Retired = true
	if err := saveOutbox(b, &r); err != nil {
		return nil, err
	}
	return func() { ob.retired.Store(true); s.kickPump() }, nil
}

// kinesisRecord adds the Kinesis records of an item going from old to
// item to the outboxes of rec's active destinations.
func (w *writeBatch) kinesisRecord(rec *tableRecord, key []byte, old, item Item, expired bool) {
	now := w.s.clock.Now()
	sum := md5.Sum(key)
	pk := strings.ToUpper(hex.EncodeToString(sum[:]))
	for _, d := range rec.Kinesis {
		if d.Status != destActive {
			continue
		}
		ob := w.s.outboxByID(d.Outbox)
		if ob == nil {
			continue
		}
		seq := ob.reserve()
		w.settles = append(w.settles, func(committed bool) { ob.settle(seq, committed) })
		v := binary.AppendUvarint(nil, uint64(len(pk)))
		v = append(v, pk...)
		header := len(v)
		v = appendKinesisRecord(v, rec, d.Precision, now, old, item, expired)
		w.b.Set(outboxEntryKey(ob.rec.ID, seq), w.sealedFrom(rec, v, header))
		w.kick = true
	}
}

// appendKinesisRecord appends the JSON of a change as DynamoDB puts it
// into Kinesis: both images where they exist, the time in milliseconds
// (or microseconds, when the destination asks), fields in AWS's order.
func appendKinesisRecord(b []byte, rec *tableRecord, precision string, now time.Time, old, item Item, expired bool) []byte {
	name, keys := rec.change(old, item)
	size := itemSize(keys)
	b = append(b, `{"awsRegion":`...)
	b = appendString(b, rec.Region)
	b = append(b, `,"eventID":"`...)
	b = append(b, uuid.NewString()...)
	b = append(b, `","eventName":"`...)
	b = append(b, name...)
	b = append(b, `","userIdentity":`...)
	if expired {
		b = append(b, `{"type":"Service","principalId":"dynamodb.amazonaws.com"}`...)
	} else {
		b = append(b, `null`...)
	}
	b = append(b, `,"recordFormat":"application/json","tableName":`...)
	b = appendString(b, rec.Name)
	b = append(b, `,"dynamodb":{"ApproximateCreationDateTime":`...)
	if precision == "MICROSECOND" {
		b = strconv.AppendInt(b, now.UnixMicro(), 10)
	} else {
		b = strconv.AppendInt(b, now.UnixMilli(), 10)
	}
	b = appendItem(append(b, `,"Keys":`...), keys)
	if item != nil {
		b = appendItem(append(b, `,"NewImage":`...), item)
		size += itemSize(item)
	}
	if old != nil {
		b = appendItem(append(b, `,"OldImage":`...), old)
		size += itemSize(old)
	}
	b = append(b, `,"SizeBytes":`...)
	b = strconv.AppendInt(b, int64(size), 10)
	if precision == "MICROSECOND" {
		b = append(b, `,"ApproximateCreationDateTimePrecision":"MICROSECOND"`...)
	}
	return append(b, `},"eventSource":"aws:dynamodb"}`...)
}

// kickPump wakes the pump: an outbox has new entries.
func (s *Service) kickPump() {
	select {
	case s.pumpKick <- struct{}{}:
	default:
	}
}

// PumpKinesis puts the outboxes' entries into Kinesis until ctx ends:
// whenever a write adds some, and every second for what Kinesis refused
// (a throttled shard, a stream that is gone).
func (s *Service) PumpKinesis(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		for more := true; more && ctx.Err() == nil; {
			more = s.pumpPass(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.pumpKick:
		}
	}
}

// pumpPass delivers one batch from every outbox; it reports whether some
// outbox may have more ready at once.
func (s *Service) pumpPass(ctx context.Context) bool {
	s.mu.RLock()
	boxes := make([]*outbox, 0, len(s.outboxes))
	for _, ob := range s.outboxes {
		boxes = append(boxes, ob)
	}
	s.mu.RUnlock()
	more := false
	for _, ob := range boxes {
		full, err := s.deliver(ctx, ob)
		if err != nil {
			// Logged once while it lasts: a stream that is gone fails
			// every second.
			if ctx.Err() == nil && err.Error() != ob.lastErr {
				s.opts.Logger.Warn("kinesis streaming destination", "table", ob.rec.TableName, "stream", ob.rec.StreamARN, "err", err)
				ob.lastErr = err.Error()
				msg := "Records cannot be put into the stream: " + err.Error()
				ob.failing.Store(&msg)
			}
			continue
		}
		if ob.lastErr != "" {
			ob.lastErr = ""
			ob.failing.Store(nil)
		}
		more = more || full
	}
	return more
}

// Kinesis's PutRecords limits, which one delivery keeps to.
const (
	putRecordsCount  = 500
	putRecordsBytes  = 5 << 20
	maxKinesisRecord = 1 << 20 // a record's data
)

// deliver puts one batch of ob's entries into Kinesis, and removes those it
// took. It reports whether the batch was full (more may be waiting).
func (s *Service) deliver(ctx context.Context, ob *outbox) (bool, error) {
	if s.opts.Kinesis == nil {
		return false, nil
	}
	end := ob.visible()
	it, err := s.db.NewIter(outboxEntryKey(ob.rec.ID, ob.from), outboxEntryKey(ob.rec.ID, end))
	if err != nil {
		return false, err
	}
	var (
		keys  [][]byte
		recs  []KinesisRecord
		bytes int
		drop  [][]byte // entries Kinesis could never take
	)
	for it.First(); it.Valid() && len(recs) < putRecordsCount; it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return false, err
		}
		n, w := binary.Uvarint(v)
		if w <= 0 || uint64(len(v)-w) < n {
			it.Close()
			return false, fmt.Errorf("dynamodb: outbox entry %x is damaged", it.Key())
		}
		data, err := s.open(v[w+int(n):])
		if err != nil {
			it.Close()
			return false, err
		}
		r := KinesisRecord{PartitionKey: string(v[w : w+int(n)]), Data: append([]byte(nil), data...)}
		if len(r.Data) > maxKinesisRecord {
			// A change of a large item carrying both its images can
			// outgrow a Kinesis record: it cannot be delivered, and
			// must not hold back the changes after it.
			s.opts.Logger.Error("kinesis streaming destination: a change is larger than a Kinesis record and is dropped",
				"table", ob.rec.TableName, "stream", ob.rec.StreamARN, "bytes", len(r.Data))
			drop = append(drop, append([]byte(nil), it.Key()...))
			continue
		}
		if bytes+len(r.Data)+len(r.PartitionKey) > putRecordsBytes && len(recs) > 0 {
			break
		}
		bytes += len(r.Data) + len(r.PartitionKey)
		keys = append(keys, append([]byte(nil), it.Key()...))
		recs = append(recs, r)
	}
	if err := it.Close(); err != nil {
		return false, err
	}
	if len(drop) > 0 {
		b := s.db.NewBatch()
		for _, k := range drop {
			b.Delete(k)
		}
		if err := b.Commit(); err != nil {
			return false, err
		}
	}
	if len(recs) == 0 {
		ob.from = end
		// A retired outbox that is empty is done: nothing is pending
		// below end, and nothing will be added.
		if ob.retired.Load() && end == ob.visible() {
			return false, s.dropOutbox(ob)
		}
		return false, nil
	}
	r := ob.rec
	taken, err := s.opts.Kinesis.Put(ctx, r.Account, r.Region, r.StreamARN, recs)
	if err != nil {
		if ob.retired.Load() {
			// A retired outbox whose stream is gone can never be
			// delivered: nothing will take its records.
			if ok, xerr := s.opts.Kinesis.Exists(ctx, r.Account, r.Region, r.StreamARN); xerr == nil && !ok {
				return false, s.dropOutbox(ob)
			}
		}
		return false, err
	}
	b := s.db.NewBatch()
	first := -1 // the first entry Kinesis refused
	for i, ok := range taken {
		if ok {
			b.Delete(keys[i])
		} else if first < 0 {
			first = i
		}
	}
	// Not synced: a crash that loses the deletions puts those records
	// into Kinesis again, which delivery at least once allows.
	if err := b.CommitUnsynced(); err != nil {
		return false, err
	}
	if first >= 0 {
		ob.from = binary.BigEndian.Uint64(keys[first][len(keys[first])-8:])
		return false, nil // retried on the next tick
	}
	ob.from = binary.BigEndian.Uint64(keys[len(keys)-1][len(keys[len(keys)-1])-8:]) + 1
	return len(recs) == putRecordsCount || bytes >= putRecordsBytes/2, nil
}

// dropOutbox removes an outbox and what it holds.
func (s *Service) dropOutbox(ob *outbox) error {
	b := s.db.NewBatch()
	b.Delete(outboxDBKey(ob.rec.ID))
	prefix := []byte(string(outboxEntryPrefix) + ob.rec.ID)
	b.DeleteRange(prefix, meta.PrefixEnd(prefix))
	if err := b.Commit(); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.outboxes, ob.rec.ID)
	s.mu.Unlock()
	return nil
}
