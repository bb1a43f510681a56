"""Kinesis Data Streams through boto3 and the AWS CLI: the calls producers
and consumers make, every iterator type, and resharding with lineage."""

import base64
import datetime
import hashlib
import json
import os
import sys
import unittest

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

MAX_HASH = 2**128 - 1


def code(err):
    return err.exception.response["Error"]["Code"]


def shard_for(key, shards):
    """The shard AWS routes a partition key to, for even hash ranges."""
    h = int.from_bytes(hashlib.md5(key.encode()).digest(), "big")
    return "shardId-%012d" % min(h // ((MAX_HASH + 1) // shards), shards - 1)


class KinesisTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.k = harness.client("kinesis")

    def stream(self, shards=2):
        name = harness.unique("s")
        self.k.create_stream(StreamName=name, ShardCount=shards)
        self.k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        return name

    def drain(self, name, shard, **kw):
        it = self.k.get_shard_iterator(StreamName=name, ShardId=shard, **kw)["ShardIterator"]
        out = []
        while it:
            res = self.k.get_records(ShardIterator=it, Limit=2)
            out += res["Records"]
            if not res["Records"]:
                break
            it = res.get("NextShardIterator")
        return out

    def test_put_and_get(self):
        name = self.stream(2)
        desc = self.k.describe_stream(StreamName=name)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "ACTIVE")
        self.assertEqual([s["ShardId"] for s in desc["Shards"]], ["shardId-000000000000", "shardId-000000000001"])
        one = self.k.put_record(StreamName=name, Data=b"\x00binary\xff", PartitionKey="alice")
        self.assertEqual(one["ShardId"], shard_for("alice", 2))
        self.assertEqual(len(one["SequenceNumber"]), 56)
        res = self.k.put_records(StreamName=name, Records=[
            {"Data": json.dumps({"n": i}).encode(), "PartitionKey": f"user-{i % 4}"} for i in range(10)])
        self.assertEqual(res["FailedRecordCount"], 0)
        for i, r in enumerate(res["Records"]):
            self.assertEqual(r["ShardId"], shard_for(f"user-{i % 4}", 2))
        got = {}
        for shard in ("shardId-000000000000", "shardId-000000000001"):
            recs = self.drain(name, shard, ShardIteratorType="TRIM_HORIZON")
            seqs = [int(r["SequenceNumber"]) for r in recs]
            self.assertEqual(seqs, sorted(seqs))
            for r in recs:
                self.assertIsInstance(r["ApproximateArrivalTimestamp"], datetime.datetime)
                got[r["Data"]] = r["PartitionKey"]
        self.assertEqual(len(got), 11)
        self.assertEqual(got[b"\x00binary\xff"], "alice")

    def test_large_records(self):
        # Records over 1 MiB once the stream allows them (up to 10 MiB).
        name = self.stream(1)
        arn = self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
        big = b"z" * (2 << 20)
        with self.assertRaises(ClientError) as err:
            self.k.put_record(StreamName=name, Data=big, PartitionKey="p")
        self.assertEqual(err.exception.response["Error"]["Code"], "ValidationException")
        self.k.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=3072)
        self.assertEqual(self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["MaxRecordSizeInKiB"], 3072)
        self.k.put_record(StreamName=name, Data=big, PartitionKey="p")
        recs = self.drain(name, "shardId-000000000000", ShardIteratorType="TRIM_HORIZON")
        self.assertEqual([r["Data"] for r in recs], [big])

    def test_iterator_types(self):
        name = self.stream(1)
        shard = "shardId-000000000000"
        seqs = [self.k.put_record(StreamName=name, Data=str(i).encode(), PartitionKey="k")["SequenceNumber"] for i in range(5)]

        def read(**kw):
            it = self.k.get_shard_iterator(StreamName=name, ShardId=shard, **kw)["ShardIterator"]
            return [r["Data"].decode() for r in self.k.get_records(ShardIterator=it)["Records"]]

        self.assertEqual(read(ShardIteratorType="TRIM_HORIZON"), ["0", "1", "2", "3", "4"])
        self.assertEqual(read(ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[2]), ["2", "3", "4"])
        self.assertEqual(read(ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[2]), ["3", "4"])
        self.assertEqual(read(ShardIteratorType="LATEST"), [])
        past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        self.assertEqual(read(ShardIteratorType="AT_TIMESTAMP", Timestamp=past), ["0", "1", "2", "3", "4"])
        latest = self.k.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        self.k.put_record(StreamName=name, Data=b"new", PartitionKey="k")
        res = self.k.get_records(ShardIterator=latest)
        self.assertEqual([r["Data"] for r in res["Records"]], [b"new"])
        self.assertEqual(res["MillisBehindLatest"], 0)

    def test_resharding_lineage(self):
        name = self.stream(1)
        self.k.put_record(StreamName=name, Data=b"before", PartitionKey="k")
        self.k.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
        shards = self.k.list_shards(StreamName=name)["Shards"]
        self.assertEqual(len(shards), 3)
        self.assertIn("EndingSequenceNumber", shards[0]["SequenceNumberRange"])
        self.assertEqual({s.get("ParentShardId") for s in shards[1:]}, {"shardId-000000000000"})
        it = self.k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        res = self.k.get_records(ShardIterator=it)
        self.assertEqual([r["Data"] for r in res["Records"]], [b"before"])
        self.assertNotIn("NextShardIterator", res)
        self.assertEqual(sorted(c["ShardId"] for c in res["ChildShards"]), ["shardId-000000000001", "shardId-000000000002"])
        self.k.merge_shards(StreamName=name, ShardToMerge="shardId-000000000001", AdjacentShardToMerge="shardId-000000000002")
        merged = self.k.list_shards(StreamName=name, ShardFilter={"Type": "AT_LATEST"})["Shards"]
        self.assertEqual(len(merged), 1)
        self.assertEqual(merged[0]["HashKeyRange"], {"StartingHashKey": "0", "EndingHashKey": str(MAX_HASH)})
        self.assertEqual(merged[0]["AdjacentParentShardId"], "shardId-000000000002")

    def test_enhanced_fan_out(self):
        name = self.stream(1)
        arn = self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
        consumer = self.k.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
        self.assertEqual(consumer["ConsumerStatus"], "ACTIVE")
        self.k.put_record(StreamName=name, Data=b"one", PartitionKey="k")
        self.k.put_record(StreamName=name, Data=b"two", PartitionKey="k")
        res = self.k.subscribe_to_shard(ConsumerARN=consumer["ConsumerARN"], ShardId="shardId-000000000000",
                                        StartingPosition={"Type": "TRIM_HORIZON"})
        got = []
        for event in res["EventStream"]:
            got += [r["Data"] for r in event["SubscribeToShardEvent"]["Records"]]
            if len(got) >= 2:
                break
        res["EventStream"].close()
        self.assertEqual(got, [b"one", b"two"])
        consumers = self.k.list_stream_consumers(StreamARN=arn)["Consumers"]
        self.assertEqual([c["ConsumerName"] for c in consumers], ["app"])
        self.k.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
        self.assertEqual(self.k.list_stream_consumers(StreamARN=arn)["Consumers"], [])

    def test_encryption(self):
        name = self.stream(1)
        self.k.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        out = self.k.put_record(StreamName=name, Data=b"sealed", PartitionKey="k")
        self.assertEqual(out["EncryptionType"], "KMS")
        self.assertEqual(self.k.describe_stream(StreamName=name)["StreamDescription"]["EncryptionType"], "KMS")
        recs = self.drain(name, "shardId-000000000000", ShardIteratorType="TRIM_HORIZON")
        self.assertEqual([(r["Data"], r["EncryptionType"]) for r in recs], [(b"sealed", "KMS")])
        self.k.stop_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        self.assertEqual(self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["EncryptionType"], "NONE")

    def test_errors(self):
        name = self.stream(1)
        with self.assertRaises(ClientError) as e:
            self.k.describe_stream(StreamName="no-such-stream")
        self.assertEqual(code(e), "ResourceNotFoundException")
        with self.assertRaises(ClientError) as e:
            self.k.put_record(StreamName=name, Data=b"x" * (1024 * 1024 + 1), PartitionKey="k")
        self.assertEqual(code(e), "ValidationException")
        with self.assertRaises(ClientError) as e:
            self.k.get_records(ShardIterator="bm90IGFuIGl0ZXJhdG9y")
        self.assertEqual(code(e), "InvalidArgumentException")
        with self.assertRaises(ClientError) as e:
            self.k.create_stream(StreamName=name, ShardCount=1)
        self.assertEqual(code(e), "ResourceInUseException")

    def test_cli(self):
        name = harness.unique("cli")
        harness.aws("kinesis", "create-stream", "--stream-name", name, "--shard-count", "1")
        harness.aws("kinesis", "wait", "stream-exists", "--stream-name", name)
        # AWS CLI v1 sends --data's text as the record's bytes (v2 would
        # read it as base64); records come back base64-encoded.
        put = json.loads(harness.aws("kinesis", "put-record", "--stream-name", name, "--partition-key", "k", "--data", "from the cli").stdout)
        it = json.loads(harness.aws("kinesis", "get-shard-iterator", "--stream-name", name, "--shard-id", put["ShardId"],
                                    "--shard-iterator-type", "TRIM_HORIZON").stdout)["ShardIterator"]
        recs = json.loads(harness.aws("kinesis", "get-records", "--shard-iterator", it).stdout)["Records"]
        self.assertEqual([base64.b64decode(r["Data"]) for r in recs], [b"from the cli"])
        summary = json.loads(harness.aws("kinesis", "describe-stream-summary", "--stream-name", name).stdout)
        self.assertEqual(summary["StreamDescriptionSummary"]["OpenShardCount"], 1)
        harness.aws("kinesis", "delete-stream", "--stream-name", name)


if __name__ == "__main__":
    unittest.main()
