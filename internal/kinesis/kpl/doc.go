// Package kpl reads and writes records aggregated by the Kinesis Producer
// Library: many user records packed into one Kinesis record. Kinesis
// stores an aggregate as sent; consumers (the KCL, Firehose, Lambda)
// unpack it. Firehose and functions use Deaggregate to do as they do.
//
// An aggregate is the magic F3 89 9A C2, a protobuf AggregatedRecord and
// the MD5 of that protobuf:
//
//	message AggregatedRecord {
//	  repeated string partition_key_table = 1;
//	  repeated string explicit_hash_key_table = 2;
//	  repeated Record records = 3;
//	}
//	message Record {
//	  required uint64 partition_key_index = 1;
//	  optional uint64 explicit_hash_key_index = 2;
//	  required bytes data = 3;
//	  repeated Tag tags = 4;
//	}
//	message Tag { required string key = 1; optional string value = 2; }
package kpl
