package server

import (
	"context"
	"errors"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/dynamodb"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// ddbKinesis puts DynamoDB's Kinesis streaming destination records into
// Lakebox's Kinesis through its API, as the table's account.
type ddbKinesis struct{ kinesis *kinesis.Service }

func ddbContext(ctx context.Context, account, region string) context.Context {
	return auth.WithIdentity(ctx, auth.Identity{Account: account, Region: region, AccessKey: "dynamodb.amazonaws.com"})
}

func (k ddbKinesis) Exists(ctx context.Context, account, region, arn string) (bool, error) {
	_, err := k.kinesis.DescribeStreamSummary(ddbContext(ctx, account, region), &kinesis.StreamInput{StreamARN: arn})
	if errors.Is(err, kinesis.ErrResourceNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (k ddbKinesis) Put(ctx context.Context, account, region, arn string, recs []dynamodb.KinesisRecord) ([]bool, error) {
	in := &kinesis.PutRecordsInput{StreamInput: kinesis.StreamInput{StreamARN: arn}, Records: make([]kinesis.PutRecordsRequestEntry, len(recs))}
	for i, r := range recs {
		in.Records[i] = kinesis.PutRecordsRequestEntry{PartitionKey: r.PartitionKey, Data: r.Data}
	}
	out, err := k.kinesis.PutRecords(ddbContext(ctx, account, region), in)
	if err != nil {
		return nil, err
	}
	taken := make([]bool, len(out.Records))
	for i, r := range out.Records {
		taken[i] = r.ErrorCode == ""
	}
	return taken, nil
}
