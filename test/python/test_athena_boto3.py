"""Athena through boto3, the seed's way: a workgroup with an output location,
a query started, polled, and its results read."""

import hashlib
import hmac
import os
import sys
import time
import unittest
import zlib

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


class AthenaTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()
        self.glue = harness.client("glue")
        self.athena = harness.client("athena")
        self.prefix = harness.unique("ath")
        self.results = f"{self.prefix}-athena-results"
        self.data = f"{self.prefix}-processed"
        self.db = self.prefix.replace("-", "_")
        for b in (self.results, self.data):
            self.s3.create_bucket(Bucket=b)

    def run_query(self, sql, **kw):
        qid = self.athena.start_query_execution(QueryString=sql, **kw)["QueryExecutionId"]
        deadline = time.monotonic() + 60
        while True:
            q = self.athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if q["Status"]["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return q
            if time.monotonic() > deadline:
                self.fail(f"query {qid} still {q['Status']['State']}")
            time.sleep(0.02)

    def succeed(self, sql, **kw):
        """Runs sql, asserts that it SUCCEEDED, and returns its execution."""
        q = self.run_query(sql, **kw)
        self.assertEqual(q["Status"]["State"], "SUCCEEDED", q["Status"].get("StateChangeReason"))
        return q

    def test_workgroup_query_and_results(self):
        wg = f"{self.prefix}-workgroup"
        self.athena.create_work_group(Name=wg, Configuration={
            "ResultConfiguration": {"OutputLocation": f"s3://{self.results}/"},
            "EnforceWorkGroupConfiguration": True,
            "PublishCloudWatchMetricsEnabled": True,
            "BytesScannedCutoffPerQuery": 1073741824,
        })
        got = self.athena.get_work_group(WorkGroup=wg)["WorkGroup"]["Configuration"]
        self.assertEqual(got["ResultConfiguration"]["OutputLocation"], f"s3://{self.results}/")
        self.assertEqual(got["BytesScannedCutoffPerQuery"], 1073741824)

        self.s3.put_object(Bucket=self.data, Key="sales/dt=2026-11-21/a.csv", Body=b"id,product,amount\n1,widget,9.5\n2,gadget,20\n")
        self.s3.put_object(Bucket=self.data, Key="sales/dt=2026-11-22/a.csv", Body=b"id,product,amount\n3,widget,1.25\n")
        q = self.succeed(f"CREATE DATABASE {self.db}", WorkGroup=wg)
        self.glue.create_crawler(Name=self.prefix, Role="r", DatabaseName=self.db,
                                 Targets={"S3Targets": [{"Path": f"s3://{self.data}/sales/"}]})
        self.glue.start_crawler(Name=self.prefix)
        deadline = time.monotonic() + 60
        while self.glue.get_crawler(Name=self.prefix)["Crawler"]["State"] != "READY" or \
                "LastCrawl" not in self.glue.get_crawler(Name=self.prefix)["Crawler"]:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)

        q = self.succeed("SELECT product, sum(amount) AS revenue, count(*) AS orders FROM sales "
                         "WHERE dt >= '2026-11-21' GROUP BY product ORDER BY revenue DESC",
                         QueryExecutionContext={"Database": self.db}, WorkGroup=wg)
        self.assertGreater(q["Statistics"]["DataScannedInBytes"], 0)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        rows = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"]]
        self.assertEqual(rows, [["product", "revenue", "orders"], ["gadget", "20.0", "1"], ["widget", "10.75", "2"]])
        types = [c["Type"] for c in res["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        self.assertEqual(types, ["varchar", "double", "bigint"])
        out = q["ResultConfiguration"]["OutputLocation"]
        body = self.s3.get_object(Bucket=self.results, Key=f"{q['QueryExecutionId']}.csv")["Body"].read()
        self.assertTrue(body.startswith(b'"product","revenue","orders"\n'), body)
        self.assertTrue(out.startswith(f"s3://{self.results}/"))

    def test_sql_json_functions_over_a_json_table(self):
        out = {"OutputLocation": f"s3://{self.results}/"}
        self.s3.put_object(Bucket=self.data, Key="customers/c.json", Body=(
            b'{"id": 101, "description": "{\\"comment\\": \\"nice\\", \\"children\\": [10, 13, 16]}"}\n'
            b'{"id": 102, "description": "{\\"comment\\": \\"problematic\\", \\"children\\": [8, 11]}"}\n'))
        self.succeed(f"CREATE DATABASE {self.db}", ResultConfiguration=out)
        q = self.succeed(f"CREATE EXTERNAL TABLE {self.db}.customers (id int, description string) "
                         f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://{self.data}/customers/'",
                         ResultConfiguration=out)
        q = self.succeed(
            "SELECT id, json_exists(description, 'lax $.children[*]?(@ > 12)'), "
            "json_query(description, 'lax $.children[*]?(@ > 9)' WITH ARRAY WRAPPER), "
            "json_value(description, 'strict $.children[2]' DEFAULT 'none' ON ERROR), "
            "json_value(description, 'lax $.comment') "
            f"FROM {self.db}.customers ORDER BY id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        rows = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]]
        self.assertEqual(rows, [["101", "true", "[10,13,16]", "16", "nice"],
                                ["102", "false", "[11]", "none", "problematic"]])
        types = [c["Type"] for c in res["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        self.assertEqual(types[1], "boolean")
        q = self.run_query("SELECT json_query('{}', 'lax $.a' WITH ARRAY WRAPPER PASSING 1 AS x)", ResultConfiguration=out)
        self.assertEqual(q["Status"]["State"], "FAILED")
        self.assertIn("unexpected PASSING", q["Status"]["StateChangeReason"])
        q = self.succeed(
            "SELECT json_query(description, 'lax $.children[*]?(@ > $min)' PASSING 12 AS min WITH ARRAY WRAPPER) "
            f"FROM {self.db}.customers ORDER BY id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        self.assertEqual([r["Data"][0].get("VarCharValue") for r in res["ResultSet"]["Rows"][1:]], ["[13,16]", None])  # nothing found: NULL ON EMPTY
        # The constructors build JSON of the columns: keys from values, JSON kept JSON.
        q = self.succeed(
            "SELECT json_object(KEY CAST(id AS varchar) VALUE json_query(description, 'lax $.children'), "
            "'comment' : json_value(description, 'lax $.comment'), 'none' : NULL ABSENT ON NULL) "
            f"FROM {self.db}.customers ORDER BY id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        self.assertEqual([r["Data"][0].get("VarCharValue") for r in res["ResultSet"]["Rows"][1:]],
                         ['{"101":[10,13,16],"comment":"nice"}', '{"102":[8,11],"comment":"problematic"}'])

    def test_json_column_cast_to_rows(self):
        # Event payloads as strings, cast to typed rows as Trino casts them:
        # keys in any case, extra keys passed over, missing ones NULL.
        out = {"OutputLocation": f"s3://{self.results}/"}
        self.s3.put_object(Bucket=self.data, Key="events/e.json", Body=(
            b'{"id": 1, "payload": "{\\"items\\": [{\\"SKU\\": \\"a\\", \\"qty\\": 2, \\"extra\\": true}]}"}\n'
            b'{"id": 2, "payload": "{\\"items\\": [{\\"sku\\": \\"b\\"}, [\\"c\\", 5]]}"}\n'))
        self.succeed(f"CREATE DATABASE {self.db}", ResultConfiguration=out)
        q = self.succeed(f"CREATE EXTERNAL TABLE {self.db}.events (id int, payload string) "
                         f"ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://{self.data}/events/'",
                         ResultConfiguration=out)
        q = self.succeed(
            "SELECT id, item.sku, item.qty FROM " + self.db + ".events CROSS JOIN UNNEST("
            "CAST(json_extract(payload, '$.items') AS ARRAY(ROW(sku VARCHAR, qty INTEGER)))) AS t(item) ORDER BY id, item.sku",
            ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        rows = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]]
        self.assertEqual(rows, [["1", "a", "2"], ["2", "b", None], ["2", "c", "5"]])
        # A JSON column of a CTE casts the same way.
        q = self.succeed(f"WITH e AS (SELECT id, json_extract(payload, '$.items[0]') AS first FROM {self.db}.events) "
                         "SELECT id, CAST(first AS ROW(sku VARCHAR)), CAST(json_extract(first, '$.sku') AS VARCHAR) "
                         "FROM e ORDER BY id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        rows = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]]
        self.assertEqual(rows, [["1", "{sku=a}", None], ["2", "{sku=b}", "b"]])
        q = self.run_query("SELECT CAST(json_parse('[1, 2, 3]') AS ROW(a INTEGER, b INTEGER))", ResultConfiguration=out)
        self.assertEqual(q["Status"]["State"], "FAILED")
        self.assertEqual(q["Status"]["StateChangeReason"],
                         "INVALID_CAST_ARGUMENT: Cannot cast to row(a integer, b integer). Expected json array ending, but got 3")

    def test_timestamps_keep_their_zone(self):
        out = {"OutputLocation": f"s3://{self.results}/"}
        q = self.succeed("SELECT TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles' AS la, "
                         "hour(TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles') AS h, "
                         "from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00') AS parsed", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        self.assertEqual([d.get("VarCharValue") for d in res["ResultSet"]["Rows"][1]["Data"]],
                         ["2012-10-30 18:00:00.000 America/Los_Angeles", "18", "2020-05-11 11:15:05.055 +01:00"])
        types = [c["Type"] for c in res["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        self.assertEqual(types, ["timestamp with time zone", "bigint", "timestamp with time zone"])
        # Localized in a CTE, filtered by an instant: Trino compares instants and prints the zone.
        q = self.succeed("WITH e AS (SELECT id, ts AT TIME ZONE 'America/New_York' AS local_time FROM (VALUES "
                         "(1, TIMESTAMP '2024-01-01 04:00:00'), (2, TIMESTAMP '2024-01-01 06:00:00')) AS t(id, ts)) "
                         "SELECT id, local_time FROM e WHERE local_time >= TIMESTAMP '2024-01-01 05:00:00 UTC'",
                         ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        self.assertEqual([[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]],
                         [["2", "2024-01-01 01:00:00.000 America/New_York"]])
        self.assertEqual(res["ResultSet"]["ResultSetMetadata"]["ColumnInfo"][1]["Type"], "timestamp with time zone")

    def test_hashes_pseudonymize_and_bucket(self):
        """Emails pseudonymized with an HMAC and users bucketed by crc32, as
        pipelines do before data leaves the raw zone."""
        out = {"OutputLocation": f"s3://{self.results}/"}
        users = [("u1", "ann@example.com"), ("u2", "bob@example.com"), ("u3", None)]
        body = "".join(f"{u},{e or ''}\n" for u, e in users).encode()
        self.s3.put_object(Bucket=self.data, Key="users/part-0.csv", Body=body)
        self.succeed(f"CREATE DATABASE {self.db}", ResultConfiguration=out)
        self.succeed(f"CREATE EXTERNAL TABLE {self.db}.users (user_id string, email string) "
                     f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://{self.data}/users/'",
                     ResultConfiguration=out)
        q = self.succeed("SELECT user_id, lower(to_hex(hmac_sha256(to_utf8(nullif(email, '')), to_utf8('pepper')))), "
                         "crc32(to_utf8(user_id)) % 4, to_hex(sha512(to_utf8(user_id))), "
                         "concat(to_utf8(user_id), X'00') = to_utf8(user_id) || X'00', concat(user_id, nullif(email, '')) "
                         f"FROM {self.db}.users ORDER BY user_id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        got = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]]
        want = [[u,
                 hmac.new(b"pepper", e.encode(), hashlib.sha256).hexdigest() if e else None,
                 str(zlib.crc32(u.encode()) % 4),
                 hashlib.sha512(u.encode()).hexdigest().upper(),
                 "true",
                 u + e if e else None] for u, e in users]
        self.assertEqual(got, want)
        types = [c["Type"] for c in res["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
        self.assertEqual(types, ["varchar", "varchar", "bigint", "varchar", "boolean", "varchar"])

    def test_ctas_to_orc_and_back(self):
        """A curated zone written as partitioned ORC by CTAS, read back, added
        to with INSERT INTO, and exported with UNLOAD."""
        out = {"OutputLocation": f"s3://{self.results}/"}
        self.s3.put_object(Bucket=self.data, Key="raw/orders.csv",
                           Body=b"1,ann,12.50,2024-03-01\n2,bob,7.25,2024-03-01\n3,cy,100.00,2024-03-02\n")
        self.succeed(f"CREATE DATABASE {self.db}", ResultConfiguration=out)
        self.succeed(f"CREATE EXTERNAL TABLE {self.db}.raw_orders (id int, customer string, amount decimal(10,2), day date) "
                     f"ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://{self.data}/raw/'", ResultConfiguration=out)
        self.succeed(f"CREATE TABLE {self.db}.orders WITH (format = 'ORC', write_compression = 'SNAPPY', "
                     f"external_location = 's3://{self.data}/curated/orders/', partitioned_by = ARRAY['day']) AS "
                     f"SELECT id, customer, amount, ARRAY[customer, upper(customer)] AS names, day FROM {self.db}.raw_orders",
                     ResultConfiguration=out)
        keys = sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=self.data, Prefix="curated/orders/")["Contents"])
        self.assertEqual(len(keys), 2, keys)
        self.assertTrue(all(k.endswith(".orc") for k in keys), keys)
        self.assertTrue(keys[0].startswith("curated/orders/day=2024-03-01/"), keys)
        body = self.s3.get_object(Bucket=self.data, Key=keys[0])["Body"].read()
        self.assertEqual(body[:3], b"ORC")
        table = self.glue.get_table(DatabaseName=self.db, Name="orders")["Table"]
        self.assertIn("OrcSerde", table["StorageDescriptor"]["SerdeInfo"]["SerializationLibrary"])
        self.assertEqual([c["Type"] for c in table["StorageDescriptor"]["Columns"]], ["int", "string", "decimal(10,2)", "array<string>"])
        self.succeed(f"INSERT INTO {self.db}.orders SELECT 4, 'di', 1.05, ARRAY['di'], DATE '2024-03-02'", ResultConfiguration=out)
        q = self.succeed(f"SELECT id, customer, amount, element_at(names, 2), day FROM {self.db}.orders ORDER BY id", ResultConfiguration=out)
        res = self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])
        got = [[d.get("VarCharValue") for d in r["Data"]] for r in res["ResultSet"]["Rows"][1:]]
        self.assertEqual(got, [["1", "ann", "12.50", "ANN", "2024-03-01"], ["2", "bob", "7.25", "BOB", "2024-03-01"],
                               ["3", "cy", "100.00", "CY", "2024-03-02"], ["4", "di", "1.05", None, "2024-03-02"]])
        self.succeed(f"UNLOAD (SELECT id, amount FROM {self.db}.orders WHERE day = DATE '2024-03-02') "
                     f"TO 's3://{self.data}/export/' WITH (format = 'ORC')", ResultConfiguration=out)
        exported = self.s3.list_objects_v2(Bucket=self.data, Prefix="export/")["Contents"]
        self.assertEqual(len(exported), 1)
        self.assertTrue(exported[0]["Key"].endswith(".orc"))

    def test_failures_are_clear(self):
        out = {"OutputLocation": f"s3://{self.results}/"}
        q = self.run_query("SELECT * FROM no_such_db.t", ResultConfiguration=out)
        self.assertEqual(q["Status"]["State"], "FAILED")
        self.assertIn("does not exist", q["Status"]["StateChangeReason"])
        self.assertEqual(q["Status"]["AthenaError"]["ErrorCategory"], 2)
        q = self.run_query("SELECT 1,\n  no_such_function(2)", ResultConfiguration=out)
        self.assertEqual(q["Status"]["State"], "FAILED")
        self.assertEqual(q["Status"]["StateChangeReason"], "FUNCTION_NOT_FOUND: line 2:3: Function 'no_such_function' not registered")
        with self.assertRaises(ClientError) as err:
            self.athena.start_query_execution(QueryString="SELECT 1")
        self.assertEqual(err.exception.response["Error"]["Code"], "InvalidRequestException")
        with self.assertRaises(ClientError):
            self.athena.get_query_results(QueryExecutionId=q["QueryExecutionId"])


if __name__ == "__main__":
    unittest.main()
