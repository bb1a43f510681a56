package kinesis

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/signedtoken"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

const (
	// A record's data is at most 1 MiB unless its stream's
	// MaxRecordSizeInKiB (UpdateMaxRecordSize) allows up to 10 MiB.
	minRecordSizeKiB = 1024
	maxRecordSizeKiB = 10240
	maxPartitionKey  = 256 // characters
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
// Its data is checked against the largest size a stream may take; fits
// checks it against its stream's.
func checkRecord(data []byte, key, explicit, field string) (hashKey, error) {
	if err := fits(data, maxRecordSizeKiB<<10, field); err != nil {
		return hashKey{}, err
	}
	if err := awserr.LengthValidation(key, field+"partitionKey", utf8.RuneCountInString(key), 1, maxPartitionKey); err != nil {
		return hashKey{}, err
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

// fits checks a record's data against a maximum size in bytes.
func fits(data []byte, max int, field string) error {
	if len(data) > max {
		return validation("java.nio.HeapByteBuffer[pos=0 lim="+strconv.Itoa(len(data))+"]", field+"data", "have length less than or equal to "+strconv.Itoa(max))
	}
	return nil
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
	if err := fits(in.Data, st.maxRecordData(), ""); err != nil {
		return nil, err
	}
	out, err := s.put(st, []PutRecordsRequestEntry{{Data: in.Data, PartitionKey: in.PartitionKey}}, []hashKey{h})
	if err != nil {
		return nil, err
	}
	r := out.Records[0]
	if r.ErrorCode != "" { // over the shard's limit
		return nil, ErrThroughputExceeded.WithMessage("%s", r.ErrorMessage)
	}
	return &PutRecordOutput{ShardId: r.ShardId, SequenceNumber: r.SequenceNumber, EncryptionType: out.EncryptionType}, nil
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
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	limit := st.maxRecordData()
	for i, r := range in.Records {
		if err := fits(r.Data, limit, "records."+strconv.Itoa(i+1)+".member."); err != nil {
			return nil, err
		}
	}
	// A stream that takes records over 5 MiB takes a request of one.
	if size > max(maxPutBatchBytes, limit) {
		return nil, invalidArg("Records size exceeds 5 MB limit")
	}
	return s.put(st, in.Records, hashes)
}

// put routes validated records (with their hash keys) to their shards and
// appends them in one durable write; records over a shard's limit fail
// alone.
func (s *Service) put(st *stream, entries []PutRecordsRequestEntry, hashes []hashKey) (*PutRecordsOutput, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	seal, err := s.sealer(st)
	if err != nil {
		return nil, err
	}
	// The request's records are metered at one instant, its arrival: a
	// request that takes a while must not refill the shard's allowance for
	// its own later records.
	arrived := s.clock.Now()
	now := arrived.UnixMilli()
	out := &PutRecordsOutput{Records: make([]PutRecordsResultEntry, len(entries)), EncryptionType: st.rec.encryptionType()}
	recs := make([]streamlog.Record, 0, len(entries))
	placed := make([]int, 0, len(entries)) // where each of recs answers
	for i, r := range entries {
		shard, ok := st.route.route(hashes[i])
		if !ok {
			return nil, errors.New("kinesis: no open shard holds a hash key")
		}
		if s.opts.Limits && !s.limits.write(st.id, shard, len(r.Data)+len(r.PartitionKey), arrived) {
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
	index, sh, err := st.shardNamed(in.ShardId)
	if err != nil {
		return nil, err
	}
	pos, err := s.position(st, index, sh, in.ShardIteratorType, in.StartingSequenceNumber, in.Timestamp)
	if err != nil {
		return nil, err
	}
	return &GetShardIteratorOutput{ShardIterator: s.iterator(st.id, index, pos)}, nil
}

// shardNamed returns a copy of the stream's shard with the given id.
func (st *stream) shardNamed(id string) (int, shardRecord, error) {
	index, ok := parseShardID(id)
	st.mu.RLock()
	defer st.mu.RUnlock()
	var sh *shardRecord
	if ok {
		sh = st.rec.shard(index)
	}
	if sh == nil {
		return 0, shardRecord{}, ErrResourceNotFound.WithMessage("Shard %s in stream %s under account %s does not exist", id, st.key.name, st.key.account)
	}
	return index, *sh, nil
}

// position is the log position an iterator type (or a subscription's
// starting position) names in a shard.
func (s *Service) position(st *stream, index int, sh shardRecord, typ, seq string, ts *epoch.Time) (uint64, error) {
	switch typ {
	case "TRIM_HORIZON":
		return sh.StartSeq, nil
	case "LATEST":
		if sh.EndSeq != nil {
			return *sh.EndSeq, nil
		}
		return st.log.Next(), nil
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		if seq == "" {
			return 0, invalidArg("StartingSequenceNumber must be given for ShardIteratorType %s.", typ)
		}
		seqShard, pos, ok := parseSequenceNumber(seq)
		if !ok || seqShard != index {
			return 0, invalidArg("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid because it did not come from this stream.",
				seq, shardID(index), st.key.name, st.key.account)
		}
		if typ == "AFTER_SEQUENCE_NUMBER" {
			pos++
		}
		return pos, nil
	case "AT_TIMESTAMP":
		if ts == nil {
			return 0, invalidArg("Timestamp must be given for ShardIteratorType AT_TIMESTAMP.")
		}
		pos, err := st.log.Seek(uint32(index), ts.UnixMilli())
		return max(pos, sh.StartSeq), err
	}
	return 0, validation(typ, "shardIteratorType", "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]")
}

// An iterator is a signed token (package signedtoken) whose body is:
// version, stream id (16 bytes), shard (4), position (8), issued (Unix
// ms, 8).
const (
	iteratorVersion = 1
	iteratorBody    = 1 + 16 + 4 + 8 + 8
)

func (s *Service) iterator(streamID string, shard int, pos uint64) string {
	b := make([]byte, 0, iteratorBody)
	b = append(b, iteratorVersion)
	id, _ := hex.DecodeString(streamID)
	b = append(b, id...)
	b = binary.BigEndian.AppendUint32(b, uint32(shard))
	b = binary.BigEndian.AppendUint64(b, pos)
	b = binary.BigEndian.AppendUint64(b, uint64(s.nowMs()))
	return signedtoken.Sign(s.key, b)
}

type iteratorState struct {
	stream string
	shard  int
	pos    uint64
	issued int64
}

func (s *Service) parseIterator(tok string) (iteratorState, bool) {
	b, ok := signedtoken.Open(s.key, tok)
	if !ok || len(b) != iteratorBody || b[0] != iteratorVersion {
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

	// buf holds the records' data, for Release to give back.
	svc *Service
	buf []byte
}

// Release gives the buffer that holds the records' data back for the
// next GetRecords to read into: the records must not be used after it.
// Not calling it is safe; the buffer is then simply not reused.
func (o *GetRecordsOutput) Release() {
	if o.svc != nil {
		o.svc.putReadBuffer(o.buf)
		o.svc, o.buf, o.Records = nil, nil, nil
	}
}

// readBuffer returns a buffer to read records into, reused when one was
// given back.
func (s *Service) readBuffer() []byte {
	select {
	case b := <-s.readBufs:
		return b
	default:
		return nil
	}
}

func (s *Service) putReadBuffer(b []byte) {
	if cap(b) > 2*maxGetBytes {
		return
	}
	select {
	case s.readBufs <- b[:0]:
	default:
	}
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
	recs, buf, err := st.log.ReadInto(s.readBuffer(), uint32(it.shard), it.pos, limit, maxGetBytes)
	if err != nil {
		s.putReadBuffer(buf)
		return nil, err
	}
	if s.opts.Limits {
		s.limits.readDone(st.id, it.shard, bytesOf(recs))
	}
	out := &GetRecordsOutput{Records: make([]Record, 0, len(recs)), svc: s, buf: buf}
	next := it.pos
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, r := range recs {
		next = r.Seq + 1
		if r.Arrival < cutoff {
			continue // past the retention period
		}
		rec, err := s.record(st, it.shard, r)
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
