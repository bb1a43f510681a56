"""Amazon Data Firehose through boto3 and the AWS CLI: delivery streams
writing to S3 with AWS's object names, compression, dynamic partitioning
with JQ, JSON-to-Parquet and JSON-to-ORC conversion read back through Athena, a Kinesis
stream as the source, server-side encryption, and AWS's errors.

Buffers with an interval are delivered on the server clock: the tests
advance it with POST /_lakebox/clock instead of waiting a minute."""

import base64
import datetime
import gzip
import http.server
import json
import os
import re
import sys
import threading
import time
import unittest
import urllib.request

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

ACCOUNT = "000000000000"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/firehose"
DESTINATION = "destinationId-000000000001"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
STAMP = r"\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}"


def code(err):
    return err.exception.response["Error"]["Code"]


def message(err):
    return err.exception.response["Error"]["Message"]


def server_clock(advance=None):
    """The server's clock (GET /_lakebox/clock), advanced first if asked."""
    url = harness.endpoint() + "/_lakebox/clock"
    if advance is None:
        req = urllib.request.Request(url)
    else:
        req = urllib.request.Request(url, data=json.dumps({"advance": advance}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        state = json.loads(r.read())
    return parse_time(state["now"])


def parse_time(s):
    """An RFC 3339 time with up to nanoseconds, as Go writes it, in UTC."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})", s)
    if not m:
        raise AssertionError(f"clock time {s!r} is not RFC 3339")
    frac = (m.group(2) or "0")[:6].ljust(6, "0")
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    t = datetime.datetime.fromisoformat(f"{m.group(1)}.{frac}{zone}")
    return t.astimezone(datetime.timezone.utc)


def object_name(stream, ext="", version=1):
    """The name AWS gives a delivered object after its prefix."""
    return re.escape(f"{stream}-{version}-") + f"({STAMP})-{UUID}" + re.escape(ext)


class FirehoseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fh = harness.client("firehose")
        cls.s3 = harness.client()

    def setUp(self):
        self.bucket = harness.unique("fh")
        self.s3.create_bucket(Bucket=self.bucket)

    def destination(self, **kw):
        d = {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{self.bucket}",
             "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1}}
        d.update(kw)
        return d

    def create(self, name=None, **dest):
        name = name or harness.unique("ds")
        arn = self.fh.create_delivery_stream(DeliveryStreamName=name,
                                             ExtendedS3DestinationConfiguration=self.destination(**dest))["DeliveryStreamARN"]
        self.assertEqual(arn, f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{name}")
        return name

    def objects(self, prefix=""):
        out = {}
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"]] = self.s3.get_object(Bucket=self.bucket, Key=o["Key"])["Body"].read()
        return out

    def wait_objects(self, done, prefix="", timeout=20):
        """Polls the bucket until done(objects) holds; returns the objects."""
        deadline = time.monotonic() + timeout
        while True:
            objs = self.objects(prefix)
            if done(objs):
                return objs
            if time.monotonic() > deadline:
                self.fail(f"s3://{self.bucket}/{prefix} holds {sorted(objs)} after {timeout}s")
            time.sleep(0.2)

    def put_batch(self, name, records):
        out = self.fh.put_record_batch(DeliveryStreamName=name, Records=[{"Data": r} for r in records])
        self.assertEqual(out["FailedPutCount"], 0, out)
        self.assertEqual(len(out["RequestResponses"]), len(records))
        ids = [r["RecordId"] for r in out["RequestResponses"]]
        self.assertEqual(len(set(ids)), len(ids), ids)
        return out

    def test_direct_put_gzip_with_default_time_path(self):
        name = self.create(Prefix="raw/", CompressionFormat="GZIP")
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        self.assertEqual(desc["DeliveryStreamName"], name)
        self.assertEqual(desc["DeliveryStreamStatus"], "ACTIVE")
        self.assertEqual(desc["DeliveryStreamType"], "DirectPut")
        self.assertEqual(desc["VersionId"], "1")
        self.assertIsInstance(desc["CreateTimestamp"], datetime.datetime)
        self.assertFalse(desc["HasMoreDestinations"])
        self.assertEqual(len(desc["Destinations"]), 1)
        dest = desc["Destinations"][0]
        self.assertEqual(dest["DestinationId"], DESTINATION)
        ext, plain = dest["ExtendedS3DestinationDescription"], dest["S3DestinationDescription"]
        for d in (ext, plain):
            self.assertEqual(d["BucketARN"], f"arn:aws:s3:::{self.bucket}")
            self.assertEqual(d["RoleARN"], ROLE)
            self.assertEqual(d["Prefix"], "raw/")
            self.assertEqual(d["CompressionFormat"], "GZIP")
            self.assertEqual(d["BufferingHints"], {"IntervalInSeconds": 0, "SizeInMBs": 1})
        self.assertEqual(ext["EncryptionConfiguration"], {"NoEncryptionConfig": "NoEncryption"})
        self.assertEqual(ext["S3BackupMode"], "Disabled")

        records = [json.dumps({"event": "click", "n": i, "page": f"/p/{i}"}).encode() + b"\n" for i in range(5)]
        records.append(b'{"event":"no-newline"}')  # Firehose adds no delimiter of its own
        before = server_clock()
        self.put_batch(name, records)
        after = server_clock()
        objs = self.wait_objects(lambda o: len(o) >= 1, "raw/")
        self.assertEqual(len(objs), 1, sorted(objs))
        key, body = next(iter(objs.items()))
        m = re.fullmatch(r"raw/(\d{4}/\d{2}/\d{2}/\d{2})/" + object_name(name, ".gz"), key)
        self.assertIsNotNone(m, key)
        # The time is the oldest record's arrival on the server clock, in UTC.
        stamp = datetime.datetime.strptime(m.group(2), "%Y-%m-%d-%H-%M-%S").replace(tzinfo=datetime.timezone.utc)
        self.assertLessEqual(before.replace(microsecond=0), stamp)
        self.assertLessEqual(stamp, after)
        self.assertEqual(m.group(1), stamp.strftime("%Y/%m/%d/%H"))
        self.assertEqual(body[:2], b"\x1f\x8b", "not gzip")
        self.assertEqual(gzip.decompress(body), b"".join(records))

    def test_dynamic_partitioning_with_jq(self):
        name = self.create(
            Prefix="orders/customer_id=!{partitionKeyFromQuery:customer_id}/",
            ErrorOutputPrefix="errors/!{firehose:error-output-type}/",
            BufferingHints={"IntervalInSeconds": 60, "SizeInMBs": 64},
            DynamicPartitioningConfiguration={"Enabled": True},
            ProcessingConfiguration={"Enabled": True, "Processors": [
                {"Type": "MetadataExtraction", "Parameters": [
                    {"ParameterName": "MetadataExtractionQuery", "ParameterValue": "{customer_id:.customer_id}"},
                    {"ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6"}]},
                {"Type": "AppendDelimiterToRecord"},
            ]})
        ext = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Destinations"][0]["ExtendedS3DestinationDescription"]
        self.assertTrue(ext["DynamicPartitioningConfiguration"]["Enabled"])
        self.assertEqual(ext["BufferingHints"], {"IntervalInSeconds": 60, "SizeInMBs": 64})

        orders = [{"customer_id": "c-1", "total": 10}, {"customer_id": "c-2", "total": 20}, {"customer_id": "c-1", "total": 30}]
        bad = b"this is not json"
        arrived = server_clock()
        self.put_batch(name, [json.dumps(o).encode() for o in orders] + [bad])
        server_clock(advance="61s")
        objs = self.wait_objects(lambda o: len(o) >= 3)
        self.assertEqual(len(objs), 3, sorted(objs))

        by_folder = {}
        for key, body in objs.items():
            m = re.fullmatch(r"(.*/)" + object_name(name), key)
            self.assertIsNotNone(m, key)
            by_folder[m.group(1)] = body
        self.assertEqual(by_folder.pop("orders/customer_id=c-1/"),
                         (json.dumps(orders[0]) + "\n" + json.dumps(orders[2]) + "\n").encode())
        self.assertEqual(by_folder.pop("orders/customer_id=c-2/"), (json.dumps(orders[1]) + "\n").encode())
        (folder, body), = by_folder.items()
        # Error output goes under the error prefix, by error type (and the
        # default time path, since the prefix has no timestamp).
        m = re.fullmatch(r"errors/processing-failed/(\d{4}/\d{2}/\d{2}/\d{2}/)?", folder)
        self.assertIsNotNone(m, folder)
        if m.group(1):
            self.assertEqual(m.group(1), arrived.strftime("%Y/%m/%d/%H/"))
        lines = body.decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        err = json.loads(lines[0])
        self.assertEqual(err["errorCode"], "DynamicPartitioning.MetadataExtractionFailed")
        self.assertEqual(base64.b64decode(err["rawData"]), bad)
        self.assertEqual(err["attemptsMade"], 1)
        self.assertIsInstance(err["arrivalTimestamp"], int)
        self.assertIn("errorMessage", err)

    def test_parquet_conversion_read_through_athena(self):
        self.conversion_read_through_athena({"ParquetSerDe": {"Compression": "SNAPPY"}}, ".parquet", b"PAR1", "PARQUET")

    def test_orc_conversion_read_through_athena(self):
        self.conversion_read_through_athena({"OrcSerDe": {"Compression": "ZLIB", "StripeSizeBytes": 8 << 20}}, ".orc", b"ORC", "ORC")

    def conversion_read_through_athena(self, serializer, ext, magic, stored_as):
        glue, athena = harness.client("glue"), harness.client("athena")
        db = harness.unique("fhdb").replace("-", "_")
        glue.create_database(DatabaseInput={"Name": db})
        columns = [("id", "bigint"), ("name", "string"), ("amount", "decimal(10,2)"), ("ts", "timestamp"), ("tags", "array<string>")]
        glue.create_table(DatabaseName=db, TableInput={"Name": "orders_schema", "StorageDescriptor": {
            "Columns": [{"Name": n, "Type": t} for n, t in columns]}})
        name = self.create(
            Prefix="parquet/", ErrorOutputPrefix="errors/!{firehose:error-output-type}/",
            BufferingHints={"IntervalInSeconds": 60, "SizeInMBs": 128},
            DataFormatConversionConfiguration={
                "Enabled": True,
                "SchemaConfiguration": {"RoleARN": ROLE, "DatabaseName": db, "TableName": "orders_schema",
                                        "Region": "us-east-1", "VersionId": "LATEST"},
                "InputFormatConfiguration": {"Deserializer": {"OpenXJsonSerDe": {}}},
                "OutputFormatConfiguration": {"Serializer": serializer},
            })
        records = [
            {"id": 1, "name": "alpha", "amount": 12.5, "ts": "2024-05-01T12:34:56Z", "tags": ["a", "b"]},
            {"id": 2, "Name": "beta", "amount": "3.10", "ts": "2024-05-02 08:00:00.250", "tags": []},  # keys are case-insensitive
            {"id": 3, "name": "gamma", "amount": "abc", "ts": "2024-05-03T00:00:00Z", "tags": ["x"]},  # malformed
            {"id": 4, "amount": 1234567.891, "ts": "2024-05-04T23:59:59Z", "tags": ["z"]},  # name missing: null
        ]
        raw = [json.dumps(r).encode() for r in records]
        self.put_batch(name, raw)
        server_clock(advance="61s")
        objs = self.wait_objects(lambda o: any(k.endswith(ext) for k in o) and any(k.startswith("errors/") for k in o))
        self.assertEqual(len(objs), 2, sorted(objs))
        pq = [k for k in objs if k.endswith(ext)][0]
        m = re.fullmatch(r"parquet/(\d{4}/\d{2}/\d{2}/\d{2}/)" + object_name(name, ext), pq)
        self.assertIsNotNone(m, pq)
        self.assertTrue(objs[pq].startswith(magic), objs[pq][:8])

        errkey = [k for k in objs if k.startswith("errors/")][0]
        self.assertRegex(errkey, r"^errors/format-conversion-failed/(\d{4}/\d{2}/\d{2}/\d{2}/)?" + object_name(name) + "$")
        lines = objs[errkey].decode().splitlines()
        self.assertEqual(len(lines), 1, lines)
        err = json.loads(lines[0])
        self.assertEqual(err["lastErrorCode"], "DataFormatConversion.MalformedData")
        self.assertEqual(json.loads(base64.b64decode(err["rawData"])), records[2])
        self.assertEqual(err["dataCatalogTable"]["databaseName"], db)
        self.assertEqual(err["dataCatalogTable"]["tableName"], "orders_schema")

        # Athena reads what Firehose wrote, typed by a table over its folder.
        results = harness.unique("fhres")
        self.s3.create_bucket(Bucket=results)
        out = {"OutputLocation": f"s3://{results}/"}

        def run(sql):
            qid = athena.start_query_execution(QueryString=sql, QueryExecutionContext={"Database": db},
                                               ResultConfiguration=out)["QueryExecutionId"]
            deadline = time.monotonic() + 60
            while True:
                q = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
                if q["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                    break
                if time.monotonic() > deadline:
                    self.fail(f"query {qid} still {q['Status']['State']}")
                time.sleep(0.05)
            self.assertEqual(q["Status"]["State"], "SUCCEEDED", f"{sql}: {q['Status'].get('StateChangeReason')}")
            return athena.get_query_results(QueryExecutionId=qid)["ResultSet"]

        folder = pq[:pq.rindex("/") + 1]
        run(f"CREATE EXTERNAL TABLE delivered (id bigint, name string, amount decimal(10,2), ts timestamp, tags array<string>) "
            f"STORED AS {stored_as} LOCATION 's3://{self.bucket}/{folder}'")
        res = run("SELECT id, name, amount, ts, tags FROM delivered ORDER BY id")
        rows = [[d.get("VarCharValue") for d in r["Data"]] for r in res["Rows"]]
        self.assertEqual(rows, [
            ["id", "name", "amount", "ts", "tags"],
            ["1", "alpha", "12.50", "2024-05-01 12:34:56.000", "[a, b]"],
            ["2", "beta", "3.10", "2024-05-02 08:00:00.250", "[]"],
            ["4", None, "1234567.89", "2024-05-04 23:59:59.000", "[z]"],
        ])
        types = [c["Type"] for c in res["ResultSetMetadata"]["ColumnInfo"]]
        self.assertEqual(types, ["bigint", "varchar", "decimal", "timestamp", "array"])
        res = run("SELECT sum(amount), count(*) FROM delivered")
        self.assertEqual([d.get("VarCharValue") for d in res["Rows"][1]["Data"]], ["1234583.49", "3"])

    def test_kinesis_stream_as_source(self):
        k = harness.client("kinesis")
        stream = harness.unique("src")
        k.create_stream(StreamName=stream, ShardCount=1)
        k.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        stream_arn = k.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]["StreamARN"]
        k.put_record(StreamName=stream, Data=b"before the delivery stream\n", PartitionKey="k")
        time.sleep(0.01)  # the delivery stream is created a clear millisecond after that record arrived

        name = harness.unique("ds")
        self.fh.create_delivery_stream(DeliveryStreamName=name, DeliveryStreamType="KinesisStreamAsSource",
                                       KinesisStreamSourceConfiguration={"KinesisStreamARN": stream_arn, "RoleARN": ROLE},
                                       ExtendedS3DestinationConfiguration=self.destination(Prefix="from-kinesis/"))
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        self.assertEqual(desc["DeliveryStreamType"], "KinesisStreamAsSource")
        src = desc["Source"]["KinesisStreamSourceDescription"]
        self.assertEqual(src["KinesisStreamARN"], stream_arn)
        self.assertEqual(src["RoleARN"], ROLE)
        self.assertIsInstance(src["DeliveryStartTimestamp"], datetime.datetime)
        listed = self.fh.list_delivery_streams(DeliveryStreamType="KinesisStreamAsSource", Limit=10000)["DeliveryStreamNames"]
        self.assertIn(name, listed)

        records = [json.dumps({"n": i}).encode() + b"\n" for i in range(4)]
        res = k.put_records(StreamName=stream, Records=[{"Data": r, "PartitionKey": f"p{i}"} for i, r in enumerate(records)])
        self.assertEqual(res["FailedRecordCount"], 0)

        def delivered(objs):
            return sum(len(b.splitlines()) for b in objs.values()) >= len(records)

        objs = self.wait_objects(delivered, "from-kinesis/", timeout=30)
        lines = []
        for key, body in objs.items():
            self.assertRegex(key, r"^from-kinesis/\d{4}/\d{2}/\d{2}/\d{2}/" + object_name(name) + "$")
            lines += body.splitlines(keepends=True)
        # Delivery starts at the delivery stream's creation: the record put
        # before it is not delivered.
        self.assertEqual(sorted(lines), sorted(records))

        for call in (lambda: self.fh.put_record_batch(DeliveryStreamName=name, Records=[{"Data": b"x"}]),
                     lambda: self.fh.put_record(DeliveryStreamName=name, Record={"Data": b"x"})):
            with self.assertRaises(ClientError) as e:
                call()
            self.assertEqual(code(e), "InvalidArgumentException")
            self.assertIn("KinesisStreamAsSource", message(e))

    def test_http_endpoint(self):
        # A receiver on this machine, answering as AWS's contract asks.
        received = []

        class Receiver(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                req = json.loads(body)
                received.append((dict(self.headers), req))
                out = json.dumps({"requestId": req["requestId"], "timestamp": int(time.time() * 1000)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        name = harness.unique("http")
        self.fh.create_delivery_stream(DeliveryStreamName=name, HttpEndpointDestinationConfiguration={
            "EndpointConfiguration": {"Url": f"http://127.0.0.1:{server.server_port}/events", "Name": "receiver", "AccessKey": "k-123"},
            "BufferingHints": {"IntervalInSeconds": 0, "SizeInMBs": 1},
            "RequestConfiguration": {"ContentEncoding": "GZIP", "CommonAttributes": [{"AttributeName": "team", "AttributeValue": "data"}]},
            "S3Configuration": {"RoleARN": ROLE, "BucketARN": f"arn:aws:s3:::{self.bucket}"},
        })
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["Destinations"][0]
        http_desc = desc["HttpEndpointDestinationDescription"]
        self.assertEqual(http_desc["EndpointConfiguration"], {"Url": f"http://127.0.0.1:{server.server_port}/events", "Name": "receiver"})
        self.assertEqual(http_desc["S3BackupMode"], "FailedDataOnly")
        self.put_batch(name, [b'{"n": 1}', b'{"n": 2}'])
        deadline = time.monotonic() + 20
        while not received and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(len(received), 1)
        headers, req = received[0]
        self.assertEqual([base64.b64decode(r["data"]) for r in req["records"]], [b'{"n": 1}', b'{"n": 2}'])
        self.assertEqual(headers["X-Amz-Firehose-Access-Key"], "k-123")
        self.assertEqual(headers["X-Amz-Firehose-Request-Id"], req["requestId"])
        self.assertEqual(json.loads(headers["X-Amz-Firehose-Common-Attributes"]), {"commonAttributes": {"team": "data"}})
        self.assertEqual(headers["X-Amz-Firehose-Source-Arn"], f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/{name}")

    def test_errors(self):
        missing = harness.unique("missing")
        with self.assertRaises(ClientError) as e:
            self.fh.describe_delivery_stream(DeliveryStreamName=missing)
        self.assertEqual(code(e), "ResourceNotFoundException")
        self.assertEqual(message(e), f"Firehose {missing} under account {ACCOUNT} not found.")
        self.assertEqual(e.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(ClientError) as e:
            self.fh.put_record(DeliveryStreamName=missing, Record={"Data": b"x"})
        self.assertEqual(code(e), "ResourceNotFoundException")

        name = self.create(Prefix="p/")
        with self.assertRaises(ClientError) as e:
            self.fh.create_delivery_stream(DeliveryStreamName=name, ExtendedS3DestinationConfiguration=self.destination())
        self.assertEqual(code(e), "ResourceInUseException")

        update = {"DeliveryStreamName": name, "DestinationId": DESTINATION,
                  "ExtendedS3DestinationUpdate": {"CompressionFormat": "GZIP"}}
        with self.assertRaises(ClientError) as e:
            self.fh.update_destination(CurrentDeliveryStreamVersionId="7", **update)
        self.assertEqual(code(e), "ConcurrentModificationException")
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        self.assertEqual(desc["VersionId"], "1")
        self.assertEqual(desc["Destinations"][0]["ExtendedS3DestinationDescription"]["CompressionFormat"], "UNCOMPRESSED")
        self.fh.update_destination(CurrentDeliveryStreamVersionId="1", **update)
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        self.assertEqual(desc["VersionId"], "2")
        self.assertIsInstance(desc["LastUpdateTimestamp"], datetime.datetime)
        ext = desc["Destinations"][0]["ExtendedS3DestinationDescription"]
        self.assertEqual((ext["CompressionFormat"], ext["Prefix"]), ("GZIP", "p/"))
        with self.assertRaises(ClientError) as e:
            self.fh.update_destination(CurrentDeliveryStreamVersionId="1", **update)
        self.assertEqual(code(e), "ConcurrentModificationException")

        refused = {
            "lambda": {"ProcessingConfiguration": {"Enabled": True, "Processors": [{"Type": "Lambda", "Parameters": [
                {"ParameterName": "LambdaArn", "ParameterValue": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f"}]}]}},
            "expr-without-error-prefix": {"Prefix": "data/!{timestamp:yyyy}/"},
        }
        for what, dest in refused.items():
            with self.subTest(what):
                bad = harness.unique("bad")
                with self.assertRaises(ClientError) as e:
                    self.fh.create_delivery_stream(DeliveryStreamName=bad, ExtendedS3DestinationConfiguration=self.destination(**dest))
                self.assertEqual(code(e), "InvalidArgumentException")
                with self.assertRaises(ClientError) as e:
                    self.fh.describe_delivery_stream(DeliveryStreamName=bad)
                self.assertEqual(code(e), "ResourceNotFoundException")

    def test_cli(self):
        name = self.create(Prefix="cli/")
        listed = json.loads(harness.aws("firehose", "list-delivery-streams", "--limit", "10000").stdout)
        self.assertIn(name, listed["DeliveryStreamNames"])
        self.assertFalse(listed["HasMoreDeliveryStreams"])
        self.assertEqual(listed["DeliveryStreamNames"], sorted(listed["DeliveryStreamNames"]))
        # AWS CLI v1 sends a blob's text as its bytes (v2 would read base64).
        data = '{"from":"the cli"}\n'
        put = json.loads(harness.aws("firehose", "put-record", "--delivery-stream-name", name,
                                     "--record", json.dumps({"Data": data})).stdout)
        self.assertRegex(put["RecordId"], r"^\S+$")
        self.assertFalse(put["Encrypted"])
        desc = json.loads(harness.aws("firehose", "describe-delivery-stream", "--delivery-stream-name", name).stdout)
        self.assertEqual(desc["DeliveryStreamDescription"]["DeliveryStreamStatus"], "ACTIVE")
        objs = self.wait_objects(lambda o: len(o) >= 1, "cli/")
        self.assertEqual(list(objs.values()), [data.encode()])
        missing = harness.aws("firehose", "describe-delivery-stream", "--delivery-stream-name", "no-such-stream", check=False)
        self.assertEqual(missing.returncode, 255)  # AWS CLI v1: 255 for a service error
        self.assertIn("ResourceNotFoundException", missing.stderr)

    def test_encryption(self):
        name = self.create(Prefix="sealed/")
        desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
        self.assertEqual(desc["DeliveryStreamEncryptionConfiguration"]["Status"], "DISABLED")
        self.fh.start_delivery_stream_encryption(DeliveryStreamName=name,
                                                 DeliveryStreamEncryptionConfigurationInput={"KeyType": "AWS_OWNED_CMK"})
        deadline = time.monotonic() + 20
        while True:
            desc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]
            enc = desc["DeliveryStreamEncryptionConfiguration"]
            if enc["Status"] != "ENABLING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(enc["Status"], "ENABLED")
        self.assertEqual(enc["KeyType"], "AWS_OWNED_CMK")
        self.assertNotIn("KeyARN", enc)

        records = [b"secret one\n", b"secret two\n"]
        out = self.put_batch(name, records)
        self.assertTrue(out["Encrypted"])
        one = self.fh.put_record(DeliveryStreamName=name, Record={"Data": b"secret three\n"})
        self.assertTrue(one["Encrypted"])
        records.append(b"secret three\n")
        objs = self.wait_objects(lambda o: sum(len(b.splitlines()) for b in o.values()) >= 3, "sealed/")
        lines = []
        for key, body in objs.items():
            self.assertRegex(key, r"^sealed/\d{4}/\d{2}/\d{2}/\d{2}/" + object_name(name) + "$")
            lines += body.splitlines(keepends=True)
        self.assertEqual(sorted(lines), sorted(records))

        self.fh.stop_delivery_stream_encryption(DeliveryStreamName=name)
        deadline = time.monotonic() + 20
        while True:
            enc = self.fh.describe_delivery_stream(DeliveryStreamName=name)["DeliveryStreamDescription"]["DeliveryStreamEncryptionConfiguration"]
            if enc["Status"] != "DISABLING" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(enc["Status"], "DISABLED")
        self.assertFalse(self.fh.put_record(DeliveryStreamName=name, Record={"Data": b"clear\n"})["Encrypted"])


if __name__ == "__main__":
    unittest.main()
