package firehosehttp

import (
	"bytes"
	"testing"

	"github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"

	"github.com/lakebox/lakebox/internal/firehose"
)

// generic decodes as the awsjson decoder does.
func generic(body []byte) (*firehose.PutRecordBatchInput, error) {
	in := &firehose.PutRecordBatchInput{}
	return in, json.Unmarshal(body, in, jsonv1.DefaultOptionsV1())
}

func TestDecodeBatch(t *testing.T) {
	for body, fast := range map[string]bool{
		`{"DeliveryStreamName":"s","Records":[{"Data":"aGk="},{"Data":""}]}`:     true,
		` { "Records" : [ { "Data" : "eA==" } ] , "DeliveryStreamName" : "s" } `: true,
		`{"DeliveryStreamName":"s","Records":[]}`:                                true,
		`{"DeliveryStreamName":"s\u0041","Records":[]}`:                          false, // an escape
		`{"DeliveryStreamName":"s","Records":[{"data":"eA=="}]}`:                 false, // another spelling
		`{"DeliveryStreamName":"s","Records":[{"Data":null}]}`:                   false,
		`{"DeliveryStreamName":"s","Records":[{"Data":"!!"}]}`:                   false, // bad base64
		`{"DeliveryStreamName":"s","Records":[{"Data":"eA=="}]} x`:               false,
		`{"DeliveryStreamName":"s","DeliveryStreamName":"t","Records":[]}`:       false,
		`{"DeliveryStreamName":"s"}`:                                             false,
	} {
		in, ok := decodeBatch([]byte(body), new([]byte))
		if ok != fast {
			t.Errorf("decodeBatch(%s) fast = %v, want %v", body, ok, fast)
			continue
		}
		if ok {
			want, err := generic([]byte(body))
			if err != nil || !same(in, want) {
				t.Errorf("decodeBatch(%s) = %+v; generic %+v, %v", body, in, want, err)
			}
		}
	}
}

func same(a, b *firehose.PutRecordBatchInput) bool {
	if a.DeliveryStreamName != b.DeliveryStreamName || len(a.Records) != len(b.Records) {
		return false
	}
	for i := range a.Records {
		if !bytes.Equal(a.Records[i].Data, b.Records[i].Data) {
			return false
		}
	}
	return true
}

// Whatever the fast path accepts, the generic decoder reads the same way.
func FuzzDecodeBatch(f *testing.F) {
	for _, s := range []string{`{"DeliveryStreamName":"s","Records":[{"Data":"aGk="},{"Data":""}]}`, `{"Records":[],"DeliveryStreamName":"x"}`, `{"a":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, ok := decodeBatch(body, new([]byte))
		if !ok {
			return
		}
		want, err := generic(body)
		if err != nil || !same(in, want) {
			t.Fatalf("decodeBatch(%q) = %+v; generic %+v, %v", body, in, want, err)
		}
	})
}
