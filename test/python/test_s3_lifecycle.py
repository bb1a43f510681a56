"""Lifecycle rules carried out on the server clock, through boto3 and the CLI."""

import json
import os
import sys
import unittest
import urllib.request

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

DAY = 24 * 3600


def code(err):
    return err.exception.response["Error"]["Code"]


def admin(path, body=None):
    req = urllib.request.Request(harness.endpoint() + path, method="POST", data=json.dumps(body or {}).encode())
    with urllib.request.urlopen(req) as resp:
        return json.loads(resp.read() or b"{}")


def travel(seconds):
    """Moves the server clock forward and runs a lifecycle pass."""
    admin("/_lakebox/clock", {"advance": f"{seconds}s"})
    return admin("/_lakebox/lifecycle")


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()
        self.bucket = harness.unique("zones")
        self.s3.create_bucket(Bucket=self.bucket)

    def test_raw_zone_ages_into_glacier_and_restores(self):
        body = b"e" * (200 * 1024)
        self.s3.put_object(Bucket=self.bucket, Key="raw/2026/11/events.json", Body=body)
        self.s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
            "ID": "raw-ages", "Status": "Enabled", "Filter": {"Prefix": "raw/"},
            "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
        }]})
        rules = self.s3.get_bucket_lifecycle_configuration(Bucket=self.bucket)["Rules"]
        self.assertEqual(rules[0]["ID"], "raw-ages")

        travel(31 * DAY)
        head = self.s3.head_object(Bucket=self.bucket, Key="raw/2026/11/events.json")
        self.assertEqual(head["StorageClass"], "STANDARD_IA")
        travel(60 * DAY)
        head = self.s3.head_object(Bucket=self.bucket, Key="raw/2026/11/events.json")
        self.assertEqual(head["StorageClass"], "GLACIER")

        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="raw/2026/11/events.json")
        self.assertEqual(code(err), "InvalidObjectState")
        out = self.s3.restore_object(Bucket=self.bucket, Key="raw/2026/11/events.json",
                                     RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
        self.assertEqual(out["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(self.s3.head_object(Bucket=self.bucket, Key="raw/2026/11/events.json")["Restore"],
                         'ongoing-request="true"')
        travel(6 * 60)  # expedited: up to five minutes
        restored = self.s3.head_object(Bucket=self.bucket, Key="raw/2026/11/events.json")["Restore"]
        self.assertTrue(restored.startswith('ongoing-request="false", expiry-date="'), restored)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="raw/2026/11/events.json")["Body"].read(), body)

    def test_expiration_and_invalid_rules(self):
        self.s3.put_object(Bucket=self.bucket, Key="tmp/scratch.csv", Body=b"a,b")
        self.s3.put_object(Bucket=self.bucket, Key="keep.csv", Body=b"a,b")
        self.s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
            "ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1},
        }]})
        travel(2 * DAY)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])]
        self.assertEqual(keys, ["keep.csv"])

        with self.assertRaises(ClientError) as err:
            self.s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
                "ID": "bad", "Status": "Enabled", "Filter": {"Prefix": ""},
                "Transitions": [{"Days": 5, "StorageClass": "ONEZONE_IA"}]}]})
        self.assertEqual(code(err), "InvalidArgument")
        with self.assertRaises(ClientError) as err:
            self.s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
                "ID": "bad", "Status": "Sometimes", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}]})
        self.assertIn(code(err), ("MalformedXML",))


class LifecycleCLITest(unittest.TestCase):
    def test_cli_lifecycle(self):
        bucket = harness.unique("cli-lc")
        harness.aws("s3", "mb", f"s3://{bucket}")
        config = json.dumps({"Rules": [{"ID": "abort", "Status": "Enabled", "Filter": {"Prefix": ""},
                                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]})
        harness.aws("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket,
                    "--lifecycle-configuration", config)
        got = json.loads(harness.aws("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket).stdout)
        self.assertEqual(got["Rules"][0]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"], 7)
        harness.aws("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "half-done")
        travel(8 * DAY)
        uploads = json.loads(harness.aws("s3api", "list-multipart-uploads", "--bucket", bucket).stdout or "{}")
        self.assertEqual(uploads.get("Uploads", []), [])


if __name__ == "__main__":
    unittest.main()


class VersionsAndTiersTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()
        self.bucket = harness.unique("processed")
        self.s3.create_bucket(Bucket=self.bucket)

    def test_noncurrent_versions_expire(self):
        self.s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})
        ids = [self.s3.put_object(Bucket=self.bucket, Key="table/part-0.parquet", Body=f"v{i}".encode())["VersionId"]
               for i in range(3)]
        self.s3.put_bucket_lifecycle_configuration(Bucket=self.bucket, LifecycleConfiguration={"Rules": [{
            "ID": "keep-one-old", "Status": "Enabled", "Filter": {},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 7, "NewerNoncurrentVersions": 1}}]})
        travel(8 * DAY)
        left = [v["VersionId"] for v in self.s3.list_object_versions(Bucket=self.bucket)["Versions"]]
        self.assertEqual(left, [ids[2], ids[1]])

    def test_intelligent_tiering_archive_and_restore(self):
        self.s3.put_object(Bucket=self.bucket, Key="cold/x.csv", Body=b"a,b", StorageClass="INTELLIGENT_TIERING")
        self.s3.put_bucket_intelligent_tiering_configuration(Bucket=self.bucket, Id="deep", IntelligentTieringConfiguration={
            "Id": "deep", "Status": "Enabled", "Filter": {"Prefix": "cold/"},
            "Tierings": [{"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]})
        travel(181 * DAY)
        head = self.s3.head_object(Bucket=self.bucket, Key="cold/x.csv")
        self.assertEqual(head["ArchiveStatus"], "DEEP_ARCHIVE_ACCESS")
        self.assertEqual(head["StorageClass"], "INTELLIGENT_TIERING")
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="cold/x.csv")
        self.assertEqual(code(err), "InvalidObjectState")
        self.s3.restore_object(Bucket=self.bucket, Key="cold/x.csv", RestoreRequest={"GlacierJobParameters": {"Tier": "Standard"}})
        travel(13 * 3600)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="cold/x.csv")["Body"].read(), b"a,b")
        self.assertNotIn("ArchiveStatus", self.s3.head_object(Bucket=self.bucket, Key="cold/x.csv"))

    def test_object_lock_with_cli(self):
        bucket = harness.unique("ledger")
        harness.aws("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket")
        harness.aws("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
                    json.dumps({"ObjectLockEnabled": "Enabled",
                                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}}}))
        vid = self.s3.put_object(Bucket=bucket, Key="entries.csv", Body=b"1,2")["VersionId"]
        proc = harness.aws("s3api", "delete-object", "--bucket", bucket, "--key", "entries.csv", "--version-id", vid,
                           "--bypass-governance-retention", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("AccessDenied", proc.stderr)
        admin("/_lakebox/clock", {"advance": f"{2 * DAY}s"})
        harness.aws("s3api", "delete-object", "--bucket", bucket, "--key", "entries.csv", "--version-id", vid)
