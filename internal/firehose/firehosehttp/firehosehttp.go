package firehosehttp

import (
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/firehose"
)

// New returns the HTTP handler of svc.
func New(svc *firehose.Service) http.Handler {
	return &awsjson.Service{
		TargetPrefix:      "Firehose_20150804",
		ContentType:       "application/x-amz-json-1.1",
		InternalErrorCode: "InternalFailure",
		Ops: map[string]awsjson.Handler{
			"CreateDeliveryStream":          awsjson.Op(svc.CreateDeliveryStream),
			"DeleteDeliveryStream":          awsjson.Op(svc.DeleteDeliveryStream),
			"DescribeDeliveryStream":        awsjson.Op(svc.DescribeDeliveryStream),
			"ListDeliveryStreams":           awsjson.Op(svc.ListDeliveryStreams),
			"UpdateDestination":             awsjson.Op(svc.UpdateDestination),
			"PutRecord":                     awsjson.Op(svc.PutRecord),
			"PutRecordBatch":                putRecordBatch(svc),
			"StartDeliveryStreamEncryption": awsjson.Op(svc.StartDeliveryStreamEncryption),
			"StopDeliveryStreamEncryption":  awsjson.Op(svc.StopDeliveryStreamEncryption),
			"TagDeliveryStream":             awsjson.Op(svc.TagDeliveryStream),
			"UntagDeliveryStream":           awsjson.Op(svc.UntagDeliveryStream),
			"ListTagsForDeliveryStream":     awsjson.Op(svc.ListTagsForDeliveryStream),
		},
	}
}
