// Package streamlog is a durable, append-only log of records: one per
// Kinesis stream, holding the records of all its shards.
//
// Appends are group-committed: concurrent Append calls are gathered by one
// writer into a single write and a single fdatasync, and none returns
// before its records are on disk. Within one commit the records are laid
// out shard by shard, so that the records of a shard in a commit are one
// contiguous chunk; an in-memory index per shard lists its chunks in
// sequence order, and a read is a binary search and a positioned read.
//
// Sequence numbers are assigned by the log, increasing across the whole
// log (so within every shard) in the order records are written. The log
// lives in a directory of segment files named by the first sequence number
// they may hold; a segment is closed once it passes the segment size, and
// retention removes whole segments. Open rebuilds the index by reading the
// segments and cuts a torn tail off the last one.
//
// The record frame (little endian):
//
//	u32 body length | u32 CRC-32C of the body | body
//	body: u32 shard (its top bit: the data is sealed) | u64 sequence | i64 arrival (Unix ms) | uvarint key length | key | data
package streamlog
