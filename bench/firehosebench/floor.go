package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
)

// runFloor serves the least a Firehose client accepts: PutRecordBatch
// answered with a record id per record (it counts the records' Data
// members), every other call with an ACTIVE stream or an empty object.
// It stores nothing; it shows what the client and HTTP cost here.
func runFloor(addr string) {
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		switch strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "Firehose_20150804.") {
		case "PutRecordBatch":
			n := bytes.Count(body, []byte(`"Data"`))
			var b bytes.Buffer
			b.WriteString(`{"FailedPutCount":0,"Encrypted":false,"RequestResponses":[`)
			for i := range n {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`{"RecordId":"0123456789abcdef0123456789abcdef"}`)
			}
			b.WriteString(`]}`)
			w.Write(b.Bytes())
		case "DescribeDeliveryStream":
			io.WriteString(w, `{"DeliveryStreamDescription":{"DeliveryStreamName":"bench","DeliveryStreamARN":"arn:aws:firehose:us-east-1:000000000000:deliverystream/bench","DeliveryStreamStatus":"ACTIVE","DeliveryStreamType":"DirectPut","VersionId":"1","Destinations":[],"HasMoreDestinations":false}}`)
		case "CreateDeliveryStream":
			io.WriteString(w, `{"DeliveryStreamARN":"arn:aws:firehose:us-east-1:000000000000:deliverystream/bench"}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
}
