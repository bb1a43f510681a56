package kinesishttp

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// The hand-written GetRecords encoding says what encoding/json says.
func TestRecordsJSON(t *testing.T) {
	next := "AQID+/=="
	for _, out := range []*kinesis.GetRecordsOutput{
		{Records: []kinesis.Record{}},
		{
			Records: []kinesis.Record{
				{SequenceNumber: "49000000000000000000000000000000000000000000000000000001", ApproximateArrivalTimestamp: epoch.New(time.UnixMilli(1700000000123)),
					Data: []byte{0, 1, 2, 255}, PartitionKey: `key "quoted" <b> & ünïcode \ tab	end`},
				{SequenceNumber: "49000000000000000000000000000000000000000000000000000002", ApproximateArrivalTimestamp: epoch.New(time.UnixMilli(1700000001000)),
					Data: nil, PartitionKey: "k", EncryptionType: "KMS"},
			},
			NextShardIterator: &next, MillisBehindLatest: 42,
		},
		{Records: []kinesis.Record{}, ChildShards: []kinesis.ChildShard{{ShardId: "shardId-000000000001", ParentShards: []string{"shardId-000000000000"},
			HashKeyRange: kinesis.HashKeyRange{StartingHashKey: "0", EndingHashKey: "9"}}}},
	} {
		want, err := json.Marshal(out)
		if err != nil {
			t.Fatal(err)
		}
		got := recordsJSON{out}.AppendJSON([]byte("prefix"))
		if string(got[:6]) != "prefix" {
			t.Fatalf("AppendJSON dropped what it appends to: %q", got)
		}
		var a, b any
		if err := json.Unmarshal(got[6:], &a); err != nil {
			t.Fatalf("%s: %v", got[6:], err)
		}
		json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("hand-written:\n%s\nencoding/json:\n%s", got[6:], want)
		}
	}
}
