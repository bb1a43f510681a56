"""The Glue Data Catalog through boto3 and the AWS CLI, as lake code uses it."""

import json
import os
import subprocess
import sys
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
