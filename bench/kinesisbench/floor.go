package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// runFloor serves the least a Kinesis client accepts: a stream that is
// ACTIVE, and PutRecords answered with a sequence number per record (it
// counts the records' partition keys). It stores nothing; it shows what
// the client and HTTP cost on this machine.
func runFloor(addr string) {
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
		case "DescribeStreamSummary":
			io.WriteString(w, `{"StreamDescriptionSummary":{"StreamName":"bench","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/bench","StreamStatus":"ACTIVE","RetentionPeriodHours":24,"StreamCreationTimestamp":0,"EnhancedMonitoring":[],"OpenShardCount":1}}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
}
