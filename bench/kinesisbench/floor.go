package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// floorRecords is how many records each shard of the floor gives a
// draining consumer.
const floorRecords = 200000

// runFloor serves the least a Kinesis client accepts: a stream that is
// ACTIVE, PutRecords answered with a sequence number per record (it counts
// the records' partition keys), and shards of floorRecords canned 1 KiB
// records, 10,000 a GetRecords (the iterator is the count left). It stores
// nothing; it shows what the client and HTTP cost on this machine.
func runFloor(addr string) {
	page := floorPage(10000)
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "Kinesis_20131202."); op {
		case "PutRecords":
			n := bytes.Count(body, []byte(`"PartitionKey"`))
			var b bytes.Buffer
			b.WriteString(`{"FailedRecordCount":0,"Records":[`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"SequenceNumber":"49000000000000000000000000000000000000000000000000%06d","ShardId":"shardId-000000000000"}`, i)
			}
			b.WriteString(`]}`)
			w.Write(b.Bytes())
		case "GetShardIterator":
			fmt.Fprintf(w, `{"ShardIterator":"%d"}`, floorRecords)
		case "GetRecords":
			var left int
			fmt.Sscanf(string(body[bytes.Index(body, []byte(`"ShardIterator":"`))+len(`"ShardIterator":"`):]), "%d", &left)
			if left <= 0 {
				io.WriteString(w, `{"Records":[],"NextShardIterator":"0","MillisBehindLatest":0}`)
				return
			}
			fmt.Fprintf(w, `{"Records":%s,"NextShardIterator":"%d","MillisBehindLatest":1000}`, page, left-10000)
		case "DescribeStreamSummary":
			io.WriteString(w, `{"StreamDescriptionSummary":{"StreamName":"bench","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/bench","StreamStatus":"ACTIVE","RetentionPeriodHours":24,"StreamCreationTimestamp":0,"EnhancedMonitoring":[],"OpenShardCount":1}}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
}

func floorPage(n int) []byte {
	data := base64.StdEncoding.EncodeToString(make([]byte, 1024))
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"SequenceNumber":"49000000000000000000000000000000000000000000000000%06d","ApproximateArrivalTimestamp":1.7e9,"Data":"%s","PartitionKey":"p%d"}`, i, data, i)
	}
	b.WriteByte(']')
	return b.Bytes()
}
