package kinesishttp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// getRecords serves GetRecords with its response encoded by hand: it is
// the one large response (up to 10,000 records, 10 MiB of data), and
// reflection-driven encoding cost a third of a drain's server time.
func getRecords(svc *kinesis.Service) awsjson.Handler {
	op := awsjson.Op(svc.GetRecords)
	return func(ctx context.Context, body []byte) (any, error) {
		out, err := op(ctx, body)
		if err != nil {
			return nil, err
		}
		return recordsJSON{out.(*kinesis.GetRecordsOutput)}, nil
	}
}

type recordsJSON struct{ *kinesis.GetRecordsOutput }

var _ awsjson.Appender = recordsJSON{}

// AppendJSON writes what encoding/json would (HTML characters aside,
// which JSON does not require escaped).
func (o recordsJSON) AppendJSON(b []byte) []byte {
	size := 64
	for _, r := range o.Records {
		size += 160 + len(r.PartitionKey) + base64.StdEncoding.EncodedLen(len(r.Data))
	}
	b = slices.Grow(b, size)
	b = append(b, `{"Records":[`...)
	for i, r := range o.Records {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"SequenceNumber":`...)
		b = appendString(b, r.SequenceNumber)
		b = append(b, `,"ApproximateArrivalTimestamp":`...)
		b = r.ApproximateArrivalTimestamp.AppendJSON(b)
		if r.Data == nil {
			b = append(b, `,"Data":null,"PartitionKey":`...)
		} else {
			b = append(b, `,"Data":"`...)
			b = base64.StdEncoding.AppendEncode(b, r.Data)
			b = append(b, `","PartitionKey":`...)
		}
		b = appendString(b, r.PartitionKey)
		if r.EncryptionType != "" {
			b = append(b, `,"EncryptionType":`...)
			b = appendString(b, r.EncryptionType)
		}
		b = append(b, '}')
	}
	b = append(b, ']')
	if o.NextShardIterator != nil {
		b = append(b, `,"NextShardIterator":`...)
		b = appendString(b, *o.NextShardIterator)
	}
	b = append(b, `,"MillisBehindLatest":`...)
	b = strconv.AppendInt(b, o.MillisBehindLatest, 10)
	if len(o.ChildShards) > 0 {
		children, _ := json.Marshal(o.ChildShards) // a few shards, at most
		b = append(b, `,"ChildShards":`...)
		b = append(b, children...)
	}
	return append(b, '}')
}

func appendString(b []byte, s string) []byte {
	out, err := jsontext.AppendQuote(b, s)
	if err != nil { // invalid UTF-8: encoding/json replaces it
		q, _ := json.Marshal(s)
		return append(b, q...)
	}
	return out
}
