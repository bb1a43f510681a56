// Package firehose is Amazon Data Firehose delivering into Lakebox's own
// S3: delivery streams fed directly (PutRecord, PutRecordBatch) or from a
// Kinesis stream, records kept in a durable buffer log until they are
// delivered, and the delivery AWS does — buffering by size and time,
// prefixes with !{timestamp:…} and partition-key expressions, the
// processing chain (de-aggregation, decompression, CloudWatch Logs
// extraction, JQ metadata extraction, delimiters), JSON to Parquet
// conversion typed by a Glue table, compression, error output and backup.
//
// A record acknowledged by PutRecord(Batch) is in the buffer log on disk.
// One delivery worker per stream reads the log, processes records into
// buffers (one per destination prefix) and writes a buffer as one S3
// object when it is full or old enough. What has been delivered is
// recorded after the object is written, per buffer, so a crash delivers
// a record again at worst — under the same object name, which replaces
// the object written before the crash rather than duplicating it.
// See docs/firehose.md and docs/format/firehose.md.
package firehose
