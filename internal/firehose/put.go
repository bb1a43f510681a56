package firehose

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

const (
	maxRecord     = 1_024_000
	maxBatch      = 500
	maxBatchBytes = 4 << 20
)

type Record struct {
	Data []byte `json:"Data"`
}

type PutRecordInput struct {
	DeliveryStreamName string  `json:"DeliveryStreamName"`
	Record             *Record `json:"Record"`
}

type PutRecordOutput struct {
	RecordId  string `json:"RecordId"`
	Encrypted bool   `json:"Encrypted"`
}

type PutRecordBatchInput struct {
	DeliveryStreamName string   `json:"DeliveryStreamName"`
	Records            []Record `json:"Records"`
}

type PutRecordBatchResponseEntry struct {
	RecordId     string `json:"RecordId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type PutRecordBatchOutput struct {
	FailedPutCount   int                           `json:"FailedPutCount"`
	Encrypted        bool                          `json:"Encrypted"`
	RequestResponses []PutRecordBatchResponseEntry `json:"RequestResponses"`
}

// PutRecord buffers one record durably.
func (s *Service) PutRecord(ctx context.Context, in *PutRecordInput) (*PutRecordOutput, error) {
	if in.Record == nil {
		return nil, validation(nil, "record", "not be null")
	}
	if n := len(in.Record.Data); n > maxRecord {
		return nil, validation(fmt.Sprintf("java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", n, n), "record.data", "have length less than or equal to 1024000")
	}
	out, err := s.PutRecordBatch(ctx, &PutRecordBatchInput{DeliveryStreamName: in.DeliveryStreamName, Records: []Record{*in.Record}})
	if err != nil {
		return nil, err
	}
	return &PutRecordOutput{RecordId: out.RequestResponses[0].RecordId, Encrypted: out.Encrypted}, nil
}

// PutRecordBatch buffers up to 500 records in one group commit: when it
// answers, every record it reports as put is on disk.
func (s *Service) PutRecordBatch(ctx context.Context, in *PutRecordBatchInput) (*PutRecordBatchOutput, error) {
	if len(in.Records) < 1 || len(in.Records) > maxBatch {
		return nil, validation(fmt.Sprintf("%d records", len(in.Records)), "records", "have length less than or equal to 500")
	}
	total := 0
	for i, r := range in.Records {
		if len(r.Data) > maxRecord {
			return nil, validation(fmt.Sprintf("java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]", len(r.Data), len(r.Data)),
				fmt.Sprintf("records.%d.member.data", i+1), "have length less than or equal to 1024000")
		}
		total += len(r.Data)
	}
	if total > maxBatchBytes {
		return nil, invalidArg("Records size exceeds 4 MB limit")
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.RLock()
	typ, id, enc := ds.rec.Type, ds.rec.ID, ds.rec.Encryption != nil && ds.rec.Encryption.Status == "ENABLED"
	ring := ds.keys
	ds.mu.RUnlock()
	if typ != typeDirectPut {
		return nil, invalidArg("This operation is not permitted on %s delivery stream type.", typ)
	}
	now := s.clock.Now().UnixMilli()
	recs := make([]streamlog.Record, len(in.Records))
	for i, r := range in.Records {
		recs[i] = streamlog.Record{Arrival: now, Data: r.Data}
		if enc {
			if recs[i].Data, err = ring.Seal(r.Data); err != nil {
				return nil, err
			}
			recs[i].Sealed = true
		}
	}
	if err := ds.log.Append(recs); err != nil {
		return nil, fmt.Errorf("firehose: buffer records: %w", err)
	}
	if m := s.opts.Metrics; m != nil {
		m.Incoming(in.DeliveryStreamName, len(recs), total)
	}
	out := &PutRecordBatchOutput{Encrypted: enc, RequestResponses: make([]PutRecordBatchResponseEntry, len(recs))}
	for i, r := range recs {
		out.RequestResponses[i].RecordId = recordID(id, r.Seq)
	}
	return out, nil
}

// recordID is the id PutRecord returns: unique per stream and record.
func recordID(streamID string, seq uint64) string {
	var n [8]byte
	var h [16]byte
	binary.BigEndian.PutUint64(n[:], seq)
	hex.Encode(h[:], n[:])
	var b strings.Builder
	b.Grow(len(streamID) + len(h))
	b.WriteString(streamID)
	b.Write(h[:])
	return b.String()
}
