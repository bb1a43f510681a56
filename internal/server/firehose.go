package server

import (
	"context"
	"maps"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/firehose"
	"github.com/lakebox/lakebox/internal/glue"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// firehoseCatalog gives Firehose's format conversion the Glue tables of
// the delivery stream's account.
type firehoseCatalog struct{ glue *glue.Service }

func (c firehoseCatalog) Columns(ctx context.Context, account, region, database, table string) ([]firehose.Column, error) {
	ctx = auth.WithIdentity(ctx, auth.Identity{Account: account, Region: region, AccessKey: "firehose.amazonaws.com"})
	out, err := c.glue.GetTable(ctx, &glue.GetTableInput{DatabaseName: database, Name: table})
	if err != nil {
		return nil, err
	}
	var cols []firehose.Column
	if sd := out.Table.StorageDescriptor; sd != nil {
		for _, col := range sd.Columns {
			cols = append(cols, firehose.Column{Name: col.Name, Type: col.Type})
		}
	}
	return cols, nil
}

// firehoseSource reads Kinesis streams for Kinesis-sourced delivery
// streams through the Kinesis API, as the delivery stream's account.
type firehoseSource struct{ kinesis *kinesis.Service }

// Retention is the source stream's retention period.
func (k firehoseSource) Retention(ctx context.Context, account, region, arn string) (time.Duration, error) {
	ctx = auth.WithIdentity(ctx, auth.Identity{Account: account, Region: region, AccessKey: "firehose.amazonaws.com"})
	out, err := k.kinesis.DescribeStreamSummary(ctx, &kinesis.StreamInput{StreamARN: arn})
	if err != nil {
		return 0, err
	}
	return time.Duration(out.StreamDescriptionSummary.RetentionPeriodHours) * time.Hour, nil
}

func (k firehoseSource) Read(ctx context.Context, account, region, arn string, cp map[string]string, start time.Time, limit int) ([]firehose.SourceRecord, map[string]string, error) {
	ctx = auth.WithIdentity(ctx, auth.Identity{Account: account, Region: region, AccessKey: "firehose.amazonaws.com"})
	var shards []kinesis.Shard
	in := &kinesis.ListShardsInput{StreamInput: kinesis.StreamInput{StreamARN: arn}}
	for {
		out, err := k.kinesis.ListShards(ctx, in)
		if err != nil {
			return nil, cp, err
		}
		shards = append(shards, out.Shards...)
		if out.NextToken == "" {
			break
		}
		in = &kinesis.ListShardsInput{NextToken: out.NextToken}
	}
	next := maps.Clone(cp)
	if next == nil {
		next = map[string]string{}
	}
	var recs []firehose.SourceRecord
	for _, sh := range shards {
		if len(recs) >= limit {
			break
		}
		it := &kinesis.GetShardIteratorInput{StreamInput: kinesis.StreamInput{StreamARN: arn}, ShardId: sh.ShardId}
		if seq, ok := next[sh.ShardId]; ok {
			it.ShardIteratorType, it.StartingSequenceNumber = "AFTER_SEQUENCE_NUMBER", seq
		} else {
			it.ShardIteratorType, it.Timestamp = "AT_TIMESTAMP", epoch.Ptr(start)
		}
		iter, err := k.kinesis.GetShardIterator(ctx, it)
		if err != nil {
			return recs, next, err
		}
		n := min(limit-len(recs), 10000)
		out, err := k.kinesis.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter.ShardIterator, Limit: &n, StreamARN: arn})
		if err != nil {
			return recs, next, err
		}
		for _, r := range out.Records {
			recs = append(recs, firehose.SourceRecord{Data: r.Data, Arrival: r.ApproximateArrivalTimestamp.Time, Sequence: r.SequenceNumber})
			next[sh.ShardId] = r.SequenceNumber
		}
	}
	return recs, next, nil
}
