package kinesishttp

import (
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// New returns the HTTP handler of svc.
func New(svc *kinesis.Service) http.Handler {
	return &awsjson.Service{
		TargetPrefix:      "Kinesis_20131202",
		ContentType:       "application/x-amz-json-1.1",
		InternalErrorCode: "InternalFailure",
		CBOR:              true, // the Java SDK's (and so KCL's) default
		Ops: map[string]awsjson.Handler{
			"CreateStream":          awsjson.Op(svc.CreateStream),
			"DeleteStream":          awsjson.Op(svc.DeleteStream),
			"DescribeStream":        awsjson.Op(svc.DescribeStream),
			"DescribeStreamSummary": awsjson.Op(svc.DescribeStreamSummary),
			"ListStreams":           awsjson.Op(svc.ListStreams),
			"ListShards":            awsjson.Op(svc.ListShards),
			"DescribeLimits":        awsjson.Op(svc.DescribeLimits),
			"UpdateStreamMode":      awsjson.Op(svc.UpdateStreamMode),
			"UpdateMaxRecordSize":   awsjson.Op(svc.UpdateMaxRecordSize),

			"IncreaseStreamRetentionPeriod": awsjson.Op(svc.IncreaseStreamRetentionPeriod),
			"DecreaseStreamRetentionPeriod": awsjson.Op(svc.DecreaseStreamRetentionPeriod),
			"EnableEnhancedMonitoring":      awsjson.Op(svc.EnableEnhancedMonitoring),
			"StartStreamEncryption":         awsjson.Op(svc.StartStreamEncryption),
			"StopStreamEncryption":          awsjson.Op(svc.StopStreamEncryption),
			"DisableEnhancedMonitoring":     awsjson.Op(svc.DisableEnhancedMonitoring),

			"PutRecord":        awsjson.Op(svc.PutRecord),
			"PutRecords":       awsjson.Op(svc.PutRecords),
			"GetShardIterator": awsjson.Op(svc.GetShardIterator),
			"GetRecords":       getRecords(svc),

			"SplitShard":       awsjson.Op(svc.SplitShard),
			"MergeShards":      awsjson.Op(svc.MergeShards),
			"UpdateShardCount": awsjson.Op(svc.UpdateShardCount),

			"RegisterStreamConsumer":   awsjson.Op(svc.RegisterStreamConsumer),
			"DescribeStreamConsumer":   awsjson.Op(svc.DescribeStreamConsumer),
			"ListStreamConsumers":      awsjson.Op(svc.ListStreamConsumers),
			"DeregisterStreamConsumer": awsjson.Op(svc.DeregisterStreamConsumer),
			"SubscribeToShard":         subscribeToShard(svc),

			"AddTagsToStream":      awsjson.Op(svc.AddTagsToStream),
			"RemoveTagsFromStream": awsjson.Op(svc.RemoveTagsFromStream),
			"ListTagsForStream":    awsjson.Op(svc.ListTagsForStream),
			"TagResource":          awsjson.Op(svc.TagResource),
			"UntagResource":        awsjson.Op(svc.UntagResource),
			"ListTagsForResource":  awsjson.Op(svc.ListTagsForResource),
		},
	}
}
