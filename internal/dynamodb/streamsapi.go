package dynamodb

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/signedtoken"
)

// The DynamoDB Streams API (DynamoDBStreams_20120810).

type ListStreamsInput struct {
	TableName               string `json:"TableName,omitempty"`
	Limit                   *int   `json:"Limit,omitempty"`
	ExclusiveStartStreamArn string `json:"ExclusiveStartStreamArn,omitempty"`
}

type StreamSummary struct {
	StreamArn   string `json:"StreamArn"`
	TableName   string `json:"TableName"`
	StreamLabel string `json:"StreamLabel"`
}

type ListStreamsOutput struct {
	Streams                []StreamSummary `json:"Streams"`
	LastEvaluatedStreamArn string          `json:"LastEvaluatedStreamArn,omitempty"`
}

// ListStreams lists the account's streams in the region, enabled or not,
// by table name and label.
func (s *Service) ListStreams(ctx context.Context, in *ListStreamsInput) (*ListStreamsOutput, error) {
	limit, err := pageLimit(in.Limit, 100)
	if err != nil {
		return nil, err
	}
	sc := scopeOf(ctx)
	var all []StreamSummary
	s.mu.RLock()
	for _, st := range s.streams {
		r := &st.rec // the fields read here never change
		if r.Account == sc.account && r.Region == sc.region && (in.TableName == "" || r.TableName == in.TableName) {
			all = append(all, StreamSummary{StreamArn: r.arn(), TableName: r.TableName, StreamLabel: r.Label})
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b StreamSummary) int {
		return strings.Compare(a.TableName+"\x00"+a.StreamLabel, b.TableName+"\x00"+b.StreamLabel)
	})
	if in.ExclusiveStartStreamArn != "" {
		i := slices.IndexFunc(all, func(x StreamSummary) bool { return x.StreamArn == in.ExclusiveStartStreamArn })
		if i < 0 {
			return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Stream: %s not found", in.ExclusiveStartStreamArn)
		}
		all = all[i+1:]
	}
	out := &ListStreamsOutput{Streams: all}
	if len(all) > limit {
		out.Streams = all[:limit]
		out.LastEvaluatedStreamArn = all[limit-1].StreamArn
	}
	if out.Streams == nil {
		out.Streams = []StreamSummary{}
	}
	return out, nil
}

// pageLimit checks an optional Limit between 1 and most.
func pageLimit(l *int, most int) (int, error) {
	if l == nil {
		return most, nil
	}
	return *l, awserr.RangeValidation("limit", *l, 1, most)
}

type DescribeStreamInput struct {
	StreamArn             string `json:"StreamArn"`
	Limit                 *int   `json:"Limit,omitempty"`
	ExclusiveStartShardId string `json:"ExclusiveStartShardId,omitempty"`
	ShardFilter           *struct {
		Type    string `json:"Type"`
		ShardId string `json:"ShardId,omitempty"`
	} `json:"ShardFilter,omitempty"`
}

type SequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber,omitempty"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

type Shard struct {
	ShardId             string              `json:"ShardId"`
	SequenceNumberRange SequenceNumberRange `json:"SequenceNumberRange"`
	ParentShardId       string              `json:"ParentShardId,omitempty"`
}

type StreamDescription struct {
	StreamArn               string             `json:"StreamArn"`
	StreamLabel             string             `json:"StreamLabel"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamViewType          string             `json:"StreamViewType"`
	CreationRequestDateTime float64            `json:"CreationRequestDateTime"`
	TableName               string             `json:"TableName"`
	KeySchema               []KeySchemaElement `json:"KeySchema"`
	Shards                  []Shard            `json:"Shards"`
	LastEvaluatedShardId    string             `json:"LastEvaluatedShardId,omitempty"`
}

type DescribeStreamOutput struct {
	StreamDescription StreamDescription `json:"StreamDescription"`
}

// lookupStream finds a stream of the caller's account and region by ARN.
func (s *Service) lookupStream(ctx context.Context, arn string) (*stream, error) {
	if arn == "" {
		return nil, modelValidation(nil, "streamArn", "not be null")
	}
	st := s.streamByARN(arn)
	sc := scopeOf(ctx)
	if st == nil || st.rec.Account != sc.account || st.rec.Region != sc.region {
		return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Stream: %s not found", arn)
	}
	return st, nil
}

// DescribeStream describes a stream and its shard.
func (s *Service) DescribeStream(ctx context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, error) {
	if _, err := pageLimit(in.Limit, 100); err != nil {
		return nil, err
	}
	st, err := s.lookupStream(ctx, in.StreamArn)
	if err != nil {
		return nil, err
	}
	r := st.snapshot()
	d := StreamDescription{
		StreamArn: r.arn(), StreamLabel: r.Label, StreamStatus: "ENABLED", StreamViewType: r.ViewType,
		CreationRequestDateTime: float64(r.Created) / 1000, TableName: r.TableName, KeySchema: r.KeySchema,
		Shards: []Shard{},
	}
	shard := Shard{ShardId: r.shardID(), SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: seqText(max(1, r.Trimmed))}}
	if r.Disabled != 0 {
		d.StreamStatus = "DISABLED"
		if r.Last >= max(1, r.Trimmed) {
			shard.SequenceNumberRange.EndingSequenceNumber = seqText(r.Last)
		}
	}
	switch {
	case in.ShardFilter != nil:
		if in.ShardFilter.Type != "CHILD_SHARDS" {
			return nil, modelValidation(in.ShardFilter.Type, "shardFilter.type", "satisfy enum value set: [CHILD_SHARDS]")
		}
		// The one shard has no children.
	case in.ExclusiveStartShardId == "" || in.ExclusiveStartShardId < shard.ShardId:
		d.Shards = append(d.Shards, shard)
	}
	return &DescribeStreamOutput{StreamDescription: d}, nil
}

type GetShardIteratorInput struct {
	StreamArn         string `json:"StreamArn"`
	ShardId           string `json:"ShardId"`
	ShardIteratorType string `json:"ShardIteratorType"`
	SequenceNumber    string `json:"SequenceNumber,omitempty"`
}

type GetShardIteratorOutput struct {
	ShardIterator string `json:"ShardIterator,omitempty"`
}

// GetShardIterator returns where to start reading the stream's shard.
func (s *Service) GetShardIterator(ctx context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, error) {
	st, err := s.lookupStream(ctx, in.StreamArn)
	if err != nil {
		return nil, err
	}
	r := st.snapshot()
	if in.ShardId != r.shardID() {
		return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Shard does not exist")
	}
	first := max(1, r.Trimmed)
	var pos uint64
	switch in.ShardIteratorType {
	case "TRIM_HORIZON":
		pos = first
	case "LATEST":
		pos = st.visible()
	case "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER":
		n, err := parseSeq(in.SequenceNumber)
		if err != nil {
			return nil, err
		}
		if n >= st.visible() {
			return nil, validationf("Invalid SequenceNumber: %s is beyond the end of the shard %s", in.SequenceNumber, r.shardID())
		}
		if n < first {
			return nil, ErrTrimmedDataAccess.WithMessage("Sequence number %s is before the trim horizon of shard %s: its records are past the 24-hour retention", in.SequenceNumber, r.shardID())
		}
		pos = n
		if in.ShardIteratorType == "AFTER_SEQUENCE_NUMBER" {
			pos++
		}
	default:
		return nil, modelValidation(in.ShardIteratorType, "shardIteratorType", "satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST]")
	}
	if in.ShardIteratorType != "AT_SEQUENCE_NUMBER" && in.ShardIteratorType != "AFTER_SEQUENCE_NUMBER" && in.SequenceNumber != "" {
		return nil, validationf("Sequence number must not be specified with iterator type %s", in.ShardIteratorType)
	}
	return &GetShardIteratorOutput{ShardIterator: s.shardIterator(r.ID, pos)}, nil
}

func parseSeq(text string) (uint64, error) {
	if err := awserr.LengthValidation(text, "sequenceNumber", len(text), 21, 40); err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(strings.TrimLeft(text, "0"), 10, 64)
	if strings.Trim(text, "0123456789") != "" || err != nil && strings.TrimLeft(text, "0") != "" {
		return 0, validationf("Invalid SequenceNumber: %s", text)
	}
	return n, nil
}

// A shard iterator: version, stream id (16 bytes), position (8), issued
// (Unix ms, 8), then the first 16 bytes of an HMAC-SHA256 of those.
const (
	shardIteratorVersion = 1
	shardIteratorBody    = 1 + 16 + 8 + 8
)

func (s *Service) shardIterator(streamID string, pos uint64) string {
	b := make([]byte, 0, shardIteratorBody+16)
	b = append(b, shardIteratorVersion)
	id, _ := hex.DecodeString(streamID)
	b = append(b, id...)
	b = binary.BigEndian.AppendUint64(b, pos)
	b = binary.BigEndian.AppendUint64(b, uint64(s.clock.Now().UnixMilli()))
	return signedtoken.Sign(s.iterKey, b)
}

type GetRecordsInput struct {
	ShardIterator string `json:"ShardIterator"`
	Limit         *int   `json:"Limit,omitempty"`
}

// GetRecordsOutput is appended by hand: its records are kept in their
// wire form.
type GetRecordsOutput struct {
	Records           []RawItem `json:"Records"`
	NextShardIterator string    `json:"NextShardIterator,omitempty"`
}

// GetRecords reads up to Limit records (1,000 and 1 MB at most) from an
// iterator's position. At the end of a disabled stream's shard the next
// iterator is null.
func (s *Service) GetRecords(ctx context.Context, in *GetRecordsInput) (*GetRecordsOutput, error) {
	limit, err := pageLimit(in.Limit, maxStreamRecords)
	if err != nil {
		return nil, err
	}
	if in.ShardIterator == "" {
		return nil, modelValidation(nil, "shardIterator", "not be null")
	}
	body, ok := signedtoken.Open(s.iterKey, in.ShardIterator)
	if !ok || len(body) != shardIteratorBody || body[0] != shardIteratorVersion {
		return nil, validationf("Invalid ShardIterator")
	}
	st := s.streamByID(hex.EncodeToString(body[1:17]))
	if st == nil {
		return nil, ErrResourceNotFound.WithMessage("Requested resource not found: Stream no longer exists")
	}
	pos := binary.BigEndian.Uint64(body[17:])
	issued := time.UnixMilli(int64(binary.BigEndian.Uint64(body[25:])))
	if now := s.clock.Now(); now.Sub(issued) > iteratorLifetime {
		return nil, ErrExpiredIterator.WithMessage("Iterator expired. The iterator was created at time %s while right now it's %s. The iterator is valid for 15 minutes.",
			issued.UTC().Format(time.RFC1123), now.UTC().Format(time.RFC1123))
	}
	sc := scopeOf(ctx)
	r := st.snapshot()
	if r.Account != sc.account || r.Region != sc.region {
		return nil, validationf("Invalid ShardIterator")
	}
	if pos < r.Trimmed {
		return nil, ErrTrimmedDataAccess.WithMessage("The operation attempted to read past the oldest stream record in a shard: its records are past the 24-hour retention")
	}
	end := st.visible()
	out := &GetRecordsOutput{Records: []RawItem{}}
	it, err := s.db.NewIter(recordKey(r.ID, pos), recordKey(r.ID, end))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	size := 0
	for ok := it.First(); ok && len(out.Records) < limit && size < maxRecordsBytes; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		record, err := s.open(v[8:])
		if err != nil {
			return nil, err
		}
		out.Records = append(out.Records, slices.Clone(RawItem(record)))
		size += len(record)
		pos = binary.BigEndian.Uint64(it.Key()[len(recordPrefix)+len(r.ID):]) + 1
	}
	if !it.Valid() {
		if err := it.Err(); err != nil { // not the end: an error
			return nil, err
		}
		pos = max(pos, end) // every number below end is read or was abandoned
	}
	if r.Disabled != 0 && pos > r.Last {
		return out, nil // the shard is closed and read to its end
	}
	out.NextShardIterator = s.shardIterator(r.ID, pos)
	return out, nil
}

// AppendJSON writes the response.
func (o *GetRecordsOutput) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	if o.NextShardIterator != "" {
		b = append(appendString(append(b, `"NextShardIterator":`...), o.NextShardIterator), ',')
	}
	b = append(b, `"Records":[`...)
	for i, r := range o.Records {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	return append(b, "]}"...)
}
