package kinesis

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

const (
	maxRecordData    = 1 << 20 // bytes of a record's data
	maxPartitionKey  = 256     // characters
	maxPutRecords    = 500
	maxPutBatchBytes = 5 << 20 // data and partition keys of one PutRecords
	maxGetRecords    = 10000
	maxGetBytes      = 10 << 20
	iteratorLifetime = 5 * time.Minute
)

type PutRecordInput struct {
	StreamInput
	Data                      []byte `json:"Data"`
	PartitionKey              string `json:"PartitionKey"`
	ExplicitHashKey           string `json:"ExplicitHashKey,omitempty"`
	SequenceNumberForOrdering string `json:"SequenceNumberForOrdering,omitempty"`
}

type PutRecordOutput struct {
	ShardId        string `json:"ShardId"`
	SequenceNumber string `json:"SequenceNumber"`
	EncryptionType string `json:"EncryptionType"`
}

// checkRecord validates a record; field is its place in the request.
func checkRecord(data []byte, key, explicit, field string) (hashKey, error) {
	if len(data) > maxRecordData {
		return hashKey{}, validation("java.nio.HeapByteBuffer[pos=0 lim="+strconv.Itoa(len(data))+"]", field+"data", "have length less than or equal to 1048576")
	}
	if n := utf8.RuneCountInString(key); n < 1 || n > maxPartitionKey {
		return hashKey{}, validation(key, field+"partitionKey", "have length between 1 and 256")
	}
	if explicit != "" {
		h, ok := parseHashKey(explicit)
		if !ok {
			return hashKey{}, invalidArg("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", explicit)
		}
		return h, nil
	}
	return partitionHash(key), nil
}

// PutRecord writes one record; it returns once the record is on disk.
func (s *Service) PutRecord(ctx context.Context, in *PutRecordInput) (*PutRecordOutput, error) {
	h, err := checkRecord(in.Data, in.PartitionKey, in.ExplicitHashKey, "")
	if err != nil {
		return nil, err
	}
	if in.SequenceNumberForOrdering != "" {
		if _, _, ok := parseSequenceNumber(in.SequenceNumberForOrdering); !ok {
			return nil, invalidArg("ExclusiveMinimumSequenceNumber %s used in PutRecord on stream %s under account %s is invalid.",
				in.SequenceNumberForOrdering, in.StreamName, scopeOf(ctx).account)
		}
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	shard, ok := st.route.route(h)
	if !ok {
		return nil, errors.New("kinesis: no open shard holds a hash key")
	}
	if s.opts.Limits && !s.limits.write(st.id, shard, len(in.Data)+len(in.PartitionKey), s.clock.Now()) {
		return nil, throughputExceeded(st, shard)
	}
	seal, err := s.sealer(st)
	if err != nil {
		return nil, err
	}
	rec := streamlog.Record{Shard: uint32(shard), Arrival: s.nowMs(), Key: in.PartitionKey, Data: in.Data}
	if seal != nil {
		rec.Data, rec.Sealed = seal(in.Data), true
	}
	recs := []streamlog.Record{rec}
	if err := st.log.Append(recs); err != nil {
		return nil, err
	}
	return &PutRecordOutput{ShardId: shardID(shard), SequenceNumber: sequenceNumber(shard, recs[0].Seq), EncryptionType: st.rec.encryptionType()}, nil
}

type PutRecordsRequestEntry struct {
	Data            []byte `json:"Data"`
	ExplicitHashKey string `json:"ExplicitHashKey,omitempty"`
	PartitionKey    string `json:"PartitionKey"`
}

type PutRecordsInput struct {
	StreamInput
	Records []PutRecordsRequestEntry `json:"Records"`
}

type PutRecordsResultEntry struct {
	SequenceNumber string `json:"SequenceNumber,omitempty"`
	ShardId        string `json:"ShardId,omitempty"`
	ErrorCode      string `json:"ErrorCode,omitempty"`
	ErrorMessage   string `json:"ErrorMessage,omitempty"`
}

type PutRecordsOutput struct {
	FailedRecordCount int                     `json:"FailedRecordCount"`
	Records           []PutRecordsResultEntry `json:"Records"`
	EncryptionType    string                  `json:"EncryptionType"`
}

// PutRecords writes up to 500 records in one durable append. A request
// that breaks the limits fails whole; otherwise every record is written.
func (s *Service) PutRecords(ctx context.Context, in *PutRecordsInput) (*PutRecordsOutput, error) {
	if len(in.Records) < 1 || len(in.Records) > maxPutRecords {
		return nil, validation("", "records", "have length less than or equal to 500")
	}
	hashes := make([]hashKey, len(in.Records))
	size := 0
	for i, r := range in.Records {
		h, err := checkRecord(r.Data, r.PartitionKey, r.ExplicitHashKey, "records."+strconv.Itoa(i+1)+".member.")
		if err != nil {
			return nil, err
		}
		hashes[i] = h
		size += len(r.Data) + len(r.PartitionKey)
	}
	if size > maxPutBatchBytes {
		return nil, invalidArg("Records size exceeds 5 MB limit")
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	seal, err := s.sealer(st)
	if err != nil {
		return nil, err
	}
	now := s.nowMs()
	out := &PutRecordsOutput{Records: make([]PutRecordsResultEntry, len(in.Records)), EncryptionType: st.rec.encryptionType()}
	recs := make([]streamlog.Record, 0, len(in.Records))
	placed := make([]int, 0, len(in.Records)) // where each of recs answers
	for i, r := range in.Records {
		shard, ok := st.route.route(hashes[i])
		if !ok {
			return nil, errors.New("kinesis: no open shard holds a hash key")
		}
		if s.opts.Limits && !s.limits.write(st.id, shard, len(r.Data)+len(r.PartitionKey), s.clock.Now()) {
			e := throughputExceeded(st, shard)
			out.Records[i] = PutRecordsResultEntry{ErrorCode: e.Code, ErrorMessage: e.Message}
			out.FailedRecordCount++
			continue
		}
		rec := streamlog.Record{Shard: uint32(shard), Arrival: now, Key: r.PartitionKey, Data: r.Data}
		if seal != nil {
			rec.Data, rec.Sealed = seal(r.Data), true
		}
		recs = append(recs, rec)
		placed = append(placed, i)
	}
	if err := st.log.Append(recs); err != nil {
		return nil, err
	}
	for j, r := range recs {
		out.Records[placed[j]] = PutRecordsResultEntry{SequenceNumber: sequenceNumber(int(r.Shard), r.Seq), ShardId: shardID(int(r.Shard))}
	}
	return out, nil
}

type GetShardIteratorInput struct {
	StreamInput
	ShardId                string      `json:"ShardId"`
	ShardIteratorType      string      `json:"ShardIteratorType"`
	StartingSequenceNumber string      `json:"StartingSequenceNumber,omitempty"`
	Timestamp              *epoch.Time `json:"Timestamp,omitempty"`
}

type GetShardIteratorOutput struct {
	ShardIterator string `json:"ShardIterator"`
}

// GetShardIterator returns an iterator at a position of a shard.
func (s *Service) GetShardIterator(ctx context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, error) {
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	index, ok := parseShardID(in.ShardId)
	st.mu.RLock()
	var shard *shardRecord
	if ok {
		shard = st.rec.shard(index)
	}
	var sh shardRecord
	if shard != nil {
		sh = *shard
	}
	name, account := st.key.name, st.key.account
	st.mu.RUnlock()
	if shard == nil {
		return nil, ErrResourceNotFound.WithMessage("Shard %s in stream %s under account %s does not exist", in.ShardId, name, account)
	}
	var pos uint64
	switch in.ShardIteratorType {
	case "TRIM_HORIZON":
		pos = sh.StartSeq
	case "LATEST":
		pos = st.log.Next()
		if sh.EndSeq != nil {
			pos = *sh.EndSeq
		}
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		seqShard, p, ok := parseSequenceNumber(in.StartingSequenceNumber)
		if in.StartingSequenceNumber == "" {
			return nil, invalidArg("StartingSequenceNumber must be given for ShardIteratorType %s.", in.ShardIteratorType)
		}
		if !ok || seqShard != index {
			return nil, invalidArg("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid because it did not come from this stream.",
				in.StartingSequenceNumber, in.ShardId, name, account)
		}
		pos = p
		if in.ShardIteratorType == "AFTER_SEQUENCE_NUMBER" {
			pos++
		}
	case "AT_TIMESTAMP":
		if in.Timestamp == nil {
			return nil, invalidArg("Timestamp must be given for ShardIteratorType AT_TIMESTAMP.")
		}
		if pos, err = st.log.Seek(uint32(index), in.Timestamp.UnixMilli()); err != nil {
			return nil, err
		}
		pos = max(pos, sh.StartSeq)
	default:
		return nil, validation(in.ShardIteratorType, "shardIteratorType", "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]")
	}
	return &GetShardIteratorOutput{ShardIterator: s.iterator(st.id, index, pos)}, nil
}

// An iterator: version, stream id (16 bytes), shard (4), position (8),
// issued (Unix ms, 8), then the first 16 bytes of an HMAC-SHA256 of those.
const (
	iteratorVersion = 1
	iteratorBody    = 1 + 16 + 4 + 8 + 8
	iteratorSize    = iteratorBody + 16
)

func (s *Service) iterator(streamID string, shard int, pos uint64) string {
	b := make([]byte, 0, iteratorSize)
	b = append(b, iteratorVersion)
	id, _ := hex.DecodeString(streamID)
	b = append(b, id...)
	b = binary.BigEndian.AppendUint32(b, uint32(shard))
	b = binary.BigEndian.AppendUint64(b, pos)
	b = binary.BigEndian.AppendUint64(b, uint64(s.nowMs()))
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	b = append(b, m.Sum(nil)[:16]...)
	return base64.StdEncoding.EncodeToString(b)
}

type iteratorState struct {
	stream string
	shard  int
	pos    uint64
	issued int64
}

func (s *Service) parseIterator(tok string) (iteratorState, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil || len(b) != iteratorSize || b[0] != iteratorVersion {
		return iteratorState{}, false
	}
	m := hmac.New(sha256.New, s.key)
	m.Write(b[:iteratorBody])
	if !hmac.Equal(m.Sum(nil)[:16], b[iteratorBody:]) {
		return iteratorState{}, false
	}
	return iteratorState{
		stream: hex.EncodeToString(b[1:17]),
		shard:  int(binary.BigEndian.Uint32(b[17:])),
		pos:    binary.BigEndian.Uint64(b[21:]),
		issued: int64(binary.BigEndian.Uint64(b[29:])),
	}, true
}

type GetRecordsInput struct {
	ShardIterator string `json:"ShardIterator"`
	Limit         *int   `json:"Limit,omitempty"`
	StreamARN     string `json:"StreamARN,omitempty"`
}

type Record struct {
	SequenceNumber              string     `json:"SequenceNumber"`
	ApproximateArrivalTimestamp epoch.Time `json:"ApproximateArrivalTimestamp"`
	Data                        []byte     `json:"Data"`
	PartitionKey                string     `json:"PartitionKey"`
	EncryptionType              string     `json:"EncryptionType,omitempty"`
}

type ChildShard struct {
	ShardId      string       `json:"ShardId"`
	ParentShards []string     `json:"ParentShards"`
	HashKeyRange HashKeyRange `json:"HashKeyRange"`
}

type GetRecordsOutput struct {
	Records            []Record     `json:"Records"`
	NextShardIterator  *string      `json:"NextShardIterator,omitempty"`
	MillisBehindLatest int64        `json:"MillisBehindLatest"`
	ChildShards        []ChildShard `json:"ChildShards,omitempty"`
}

// GetRecords reads from an iterator's position. At the end of a closed
// shard it returns no next iterator and the shard's children.
func (s *Service) GetRecords(ctx context.Context, in *GetRecordsInput) (*GetRecordsOutput, error) {
	limit, err := pageSize(in.Limit, maxGetRecords, maxGetRecords, "limit")
	if err != nil {
		return nil, err
	}
	it, ok := s.parseIterator(in.ShardIterator)
	if !ok {
		return nil, invalidArg("Invalid ShardIterator.")
	}
	sc := scopeOf(ctx)
	s.mu.RLock()
	st := s.byID[it.stream]
	s.mu.RUnlock()
	if st == nil || st.key.account != sc.account || st.key.region != sc.region {
		return nil, ErrResourceNotFound.WithMessage("Shard %s in stream under account %s does not exist", shardID(it.shard), sc.account)
	}
	now := s.nowMs()
	if age := now - it.issued; age > iteratorLifetime.Milliseconds() {
		return nil, ErrExpiredIterator.WithMessage("Iterator expired. The iterator was created at time %s while right now it is %s which is further in the future than the tolerated delay of %d milliseconds.",
			time.UnixMilli(it.issued).UTC().Format("Mon Jan 02 15:04:05 UTC 2006"), time.UnixMilli(now).UTC().Format("Mon Jan 02 15:04:05 UTC 2006"), iteratorLifetime.Milliseconds())
	}
	st.mu.RLock()
	shard := st.rec.shard(it.shard)
	var sh shardRecord
	if shard != nil {
		sh = *shard
	}
	cutoff := st.rec.horizon(now)
	var children []ChildShard
	if shard != nil && !shard.open() {
		children = st.rec.children(it.shard)
	}
	st.mu.RUnlock()
	if shard == nil {
		return nil, ErrResourceNotFound.WithMessage("Shard %s in stream %s under account %s does not exist", shardID(it.shard), st.key.name, sc.account)
	}
	if s.opts.Limits && !s.limits.read(st.id, it.shard, s.clock.Now()) {
		return nil, throughputExceeded(st, it.shard)
	}
	recs, err := st.log.Read(uint32(it.shard), it.pos, limit, maxGetBytes)
	if err != nil {
		return nil, err
	}
	if s.opts.Limits {
		s.limits.readDone(st.id, it.shard, bytesOf(recs))
	}
	out := &GetRecordsOutput{Records: make([]Record, 0, len(recs))}
	next := it.pos
	st.mu.RLock()
	defer st.mu.RUnlock()
	open := s.opener(st)
	for _, r := range recs {
		next = r.Seq + 1
		if r.Arrival < cutoff {
			continue // past the retention period
		}
		rec, err := open(it.shard, r)
		if err != nil {
			return nil, err
		}
		out.Records = append(out.Records, rec)
	}
	caughtUp := len(recs) < limit && bytesOf(recs) < maxGetBytes
	if caughtUp {
		// Reading resumes where the next record will be: a closed shard
		// gets none past its end.
		if sh.EndSeq != nil {
			out.ChildShards = children
			return out, nil
		}
	} else if len(recs) > 0 {
		out.MillisBehindLatest = max(now-recs[len(recs)-1].Arrival, 0)
	}
	tok := s.iterator(it.stream, it.shard, next)
	out.NextShardIterator = &tok
	return out, nil
}

func bytesOf(recs []streamlog.Record) int {
	n := 0
	for _, r := range recs {
		n += len(r.Data)
	}
	return n
}

// children returns the shards made from shard by resharding.
func (r *streamRecord) children(shard int) []ChildShard {
	var out []ChildShard
	for i := range r.Shards {
		c := &r.Shards[i]
		if c.Parent != shard && c.AdjacentParent != shard {
			continue
		}
		parents := []string{shardID(c.Parent)}
		if c.AdjacentParent >= 0 {
			parents = append(parents, shardID(c.AdjacentParent))
		}
		out = append(out, ChildShard{ShardId: shardID(c.Index), ParentShards: parents, HashKeyRange: HashKeyRange{c.Start, c.End}})
	}
	return out
}

func throughputExceeded(st *stream, shard int) *awserr.Error {
	return ErrThroughputExceeded.WithMessage("Rate exceeded for shard %s in stream %s under account %s.", shardID(shard), st.key.name, st.key.account)
}
