"""The Glue Data Catalog through boto3 and the AWS CLI, as lake code uses it."""

import gzip
import json
import os
import subprocess
import sys
import time
import unittest

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


def code(err):
    return err.exception.response["Error"]["Code"]


def parquet_table(name, location):
    return {
        "Name": name,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE"},
        "PartitionKeys": [{"Name": "year", "Type": "int"}, {"Name": "month", "Type": "int"}],
        "StorageDescriptor": {
            "Columns": [
                {"Name": "id", "Type": "int"},
                {"Name": "name", "Type": "string"},
                {"Name": "amount", "Type": "double"},
                {"Name": "date", "Type": "date"},
            ],
            "Location": location,
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        },
    }


class CatalogTest(unittest.TestCase):
    def setUp(self):
        self.glue = harness.client("glue")
        self.db = harness.unique("lake_db").replace("-", "_")
        self.glue.create_database(DatabaseInput={"Name": self.db, "Description": "Practice data lake catalog"})
        self.addCleanup(self.glue.delete_database, Name=self.db)

    def test_database(self):
        db = self.glue.get_database(Name=self.db)["Database"]
        self.assertEqual(db["Name"], self.db)
        self.assertEqual(db["Description"], "Practice data lake catalog")
        self.assertIn("CreateTime", db)
        names = [d["Name"] for page in self.glue.get_paginator("get_databases").paginate() for d in page["DatabaseList"]]
        self.assertIn(self.db, names)
        with self.assertRaises(ClientError) as err:
            self.glue.create_database(DatabaseInput={"Name": self.db})
        self.assertEqual(code(err), "AlreadyExistsException")
        with self.assertRaises(self.glue.exceptions.EntityNotFoundException) as err:
            self.glue.get_database(Name="no_such_db")
        self.assertEqual(err.exception.response["Error"]["Message"], "Database no_such_db not found.")

    def test_table_round_trip(self):
        want = parquet_table("sales", "s3://lake-curated/sales/")
        self.glue.create_table(DatabaseName=self.db, TableInput=want)
        got = self.glue.get_table(DatabaseName=self.db, Name="sales")["Table"]
        for field in ("Name", "TableType", "Parameters", "PartitionKeys"):
            self.assertEqual(got[field], want[field], field)
        sd = got["StorageDescriptor"]
        for field in ("Columns", "Location", "InputFormat", "OutputFormat", "SerdeInfo"):
            self.assertEqual(sd[field], want["StorageDescriptor"][field], field)
        self.assertEqual(got["DatabaseName"], self.db)
        self.assertEqual(got["VersionId"], "0")
        tables = self.glue.get_tables(DatabaseName=self.db)["TableList"]
        self.assertEqual([t["Name"] for t in tables], ["sales"])

    def test_partitions_and_expressions(self):
        self.glue.create_table(DatabaseName=self.db, TableInput=parquet_table("orders", "s3://lake/orders/"))
        inputs = [
            {"Values": [str(y), str(m)], "StorageDescriptor": {"Location": f"s3://lake/orders/year={y}/month={m}/"}}
            for y in (2023, 2024) for m in range(1, 13)
        ]
        out = self.glue.batch_create_partition(DatabaseName=self.db, TableName="orders", PartitionInputList=inputs)
        self.assertEqual(out["Errors"], [])
        pages = self.glue.get_paginator("get_partitions").paginate(
            DatabaseName=self.db, TableName="orders", Expression="year = 2024 AND month BETWEEN 3 AND 5",
            PaginationConfig={"PageSize": 2},
        )
        got = [p["Values"] for page in pages for p in page["Partitions"]]
        # Integer keys compare as integers: month 10..12 are not "between 3 and 5" as text would have it.
        self.assertEqual(sorted(got), [["2024", "3"], ["2024", "4"], ["2024", "5"]])
        part = self.glue.get_partition(DatabaseName=self.db, TableName="orders", PartitionValues=["2023", "7"])["Partition"]
        self.assertEqual(part["StorageDescriptor"]["Location"], "s3://lake/orders/year=2023/month=7/")
        with self.assertRaises(ClientError) as err:
            self.glue.get_partitions(DatabaseName=self.db, TableName="orders", Expression="colour = 'red'")
        self.assertEqual(code(err), "InvalidInputException")

    def test_update_table_keeps_versions(self):
        t = parquet_table("events", "s3://lake/events/")
        self.glue.create_table(DatabaseName=self.db, TableInput=t)
        t["StorageDescriptor"]["Columns"].append({"Name": "country", "Type": "string"})
        self.glue.update_table(DatabaseName=self.db, TableInput=t)
        versions = self.glue.get_table_versions(DatabaseName=self.db, TableName="events")["TableVersions"]
        self.assertEqual([v["VersionId"] for v in versions], ["1", "0"])
        self.assertEqual(len(versions[0]["Table"]["StorageDescriptor"]["Columns"]), 5)


class CrawlerTest(unittest.TestCase):
    """The seed's pattern: a processed zone, a database, a daily crawler."""

    def setUp(self):
        self.s3 = harness.client()
        self.glue = harness.client("glue")
        self.prefix = harness.unique("practice")
        self.bucket = f"{self.prefix}-processed"
        self.db = self.prefix.replace("-", "_")
        self.s3.create_bucket(Bucket=self.bucket)
        self.glue.create_database(DatabaseInput={"Name": self.db, "Description": "Practice data lake catalog"})

    def wait_ready(self, name, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            crawler = self.glue.get_crawler(Name=name)["Crawler"]
            if crawler["State"] == "READY" and "LastCrawl" in crawler:
                return crawler
            if time.monotonic() > deadline:
                self.fail(f"crawler {name} still {crawler['State']} after {timeout}s")
            time.sleep(0.05)

    def test_crawl_csv_and_json_zone(self):
        for day in ("2026-11-20", "2026-11-21"):
            self.s3.put_object(Bucket=self.bucket, Key=f"sales/dt={day}/sales.csv",
                               Body=b"id,product,amount\n1,widget,9.99\n2,gadget,19.5\n")
            self.s3.put_object(Bucket=self.bucket, Key=f"clicks/dt={day}/clicks.json.gz",
                               Body=gzip.compress(b'{"user": "u1", "page": "/", "ms": 12}\n{"user": "u2", "page": "/a", "ms": 7.5}\n'))
        name = f"{self.prefix}-crawler"
        self.glue.create_crawler(
            Name=name, Role="arn:aws:iam::000000000000:role/crawler", DatabaseName=self.db,
            Targets={"S3Targets": [{"Path": f"s3://{self.bucket}/"}]},
            Schedule="cron(0 0 * * ? *)",
        )
        self.assertEqual(self.glue.get_crawler(Name=name)["Crawler"]["Schedule"]["State"], "SCHEDULED")
        self.glue.start_crawler(Name=name)
        crawler = self.wait_ready(name)
        with self.assertRaises(self.glue.exceptions.CrawlerNotRunningException):
            self.glue.stop_crawler(Name=name)
        self.assertEqual(crawler["LastCrawl"]["Status"], "SUCCEEDED")
        tables = {t["Name"]: t for t in self.glue.get_tables(DatabaseName=self.db)["TableList"]}
        self.assertEqual(sorted(tables), ["clicks", "sales"])
        sales = tables["sales"]
        self.assertEqual([(c["Name"], c["Type"]) for c in sales["StorageDescriptor"]["Columns"]],
                         [("id", "bigint"), ("product", "string"), ("amount", "double")])
        self.assertEqual(sales["PartitionKeys"], [{"Name": "dt", "Type": "string"}])
        self.assertEqual(sales["Parameters"]["classification"], "csv")
        self.assertEqual(sales["Parameters"]["skip.header.line.count"], "1")
        clicks = tables["clicks"]
        self.assertEqual([(c["Name"], c["Type"]) for c in clicks["StorageDescriptor"]["Columns"]],
                         [("user", "string"), ("page", "string"), ("ms", "double")])
        self.assertEqual(clicks["Parameters"]["compressionType"], "gzip")
        parts = self.glue.get_partitions(DatabaseName=self.db, TableName="sales", Expression="dt >= '2026-11-21'")["Partitions"]
        self.assertEqual([p["Values"] for p in parts], [["2026-11-21"]])
        metrics = self.glue.get_crawler_metrics(CrawlerNameList=[name])["CrawlerMetricsList"][0]
        self.assertEqual(metrics["TablesCreated"], 2)
        crawls = self.glue.list_crawls(CrawlerName=name)["Crawls"]
        self.assertEqual(crawls[0]["State"], "COMPLETED")


class CatalogCLITest(unittest.TestCase):
    def aws(self, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1")
        out = subprocess.run(["aws", "--endpoint-url", harness.endpoint(), "--output", "json", *args],
                             env=env, capture_output=True, text=True)
        return out

    def test_cli_database_and_table(self):
        db = harness.unique("cli_db").replace("-", "_")
        r = self.aws("glue", "create-database", "--database-input", json.dumps({"Name": db}))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.aws("glue", "create-table", "--database-name", db, "--table-input",
                     json.dumps(parquet_table("t1", "s3://lake/t1/")))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.aws("glue", "get-tables", "--database-name", db)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([t["Name"] for t in json.loads(r.stdout)["TableList"]], ["t1"])
        r = self.aws("glue", "get-table", "--database-name", db, "--name", "nope")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("EntityNotFoundException", r.stderr)
        self.assertEqual(self.aws("glue", "delete-database", "--name", db).returncode, 0)


if __name__ == "__main__":
    unittest.main()
