// Package kinesis is Amazon Kinesis Data Streams: streams of shards that
// take records by partition key and give them back in order per shard.
//
// A stream's metadata (its shards, their hash key ranges and lineage,
// retention, tags) is a JSON record in the metadata store; its records are
// in one streamlog.Log, in DATA_DIR/streams/<stream id>/. Sequence numbers
// are 56-digit decimals: "49", the shard's index in 12 digits and the
// log's sequence number in 42, so they increase along a shard, a child
// shard's numbers exceed its parents', and a number names its shard.
//
// Iterators are opaque tokens that carry the stream, shard, position and
// time of issue under an HMAC with a key kept in the metadata store, so a
// forged or foreign iterator is refused and one older than five minutes
// (on the server clock) has expired.
//
// The package knows nothing of HTTP; kinesishttp serves it.
package kinesis
