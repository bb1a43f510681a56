"""S3 versioning through boto3 and the AWS CLI: a raw zone kept versioned."""

import json
import os
import sys
import unittest

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


def code(err):
    return err.exception.response["Error"]["Code"]


class VersioningTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()
        self.bucket = harness.unique("raw")
        self.s3.create_bucket(Bucket=self.bucket)
        self.s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Enabled"})

    def test_versions_survive_overwrite_and_delete(self):
        ids = [self.s3.put_object(Bucket=self.bucket, Key="events/day=1.json", Body=f"batch {i}".encode())["VersionId"]
               for i in range(3)]
        self.assertEqual(len(set(ids)), 3)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=self.bucket)["Status"], "Enabled")

        deleted = self.s3.delete_object(Bucket=self.bucket, Key="events/day=1.json")
        self.assertTrue(deleted["DeleteMarker"])
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="events/day=1.json")
        self.assertEqual(code(err), "NoSuchKey")
        self.assertEqual(err.exception.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-delete-marker"), "true")

        # Every version is still readable by id.
        for i, vid in enumerate(ids):
            body = self.s3.get_object(Bucket=self.bucket, Key="events/day=1.json", VersionId=vid)["Body"].read()
            self.assertEqual(body, f"batch {i}".encode())

        listed = self.s3.list_object_versions(Bucket=self.bucket, Prefix="events/")
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], ids[::-1])
        self.assertEqual(len(listed["DeleteMarkers"]), 1)
        self.assertTrue(listed["DeleteMarkers"][0]["IsLatest"])
        self.assertEqual(listed["DeleteMarkers"][0]["VersionId"], deleted["VersionId"])

        # Undelete: remove the marker.
        self.s3.delete_object(Bucket=self.bucket, Key="events/day=1.json", VersionId=deleted["VersionId"])
        got = self.s3.get_object(Bucket=self.bucket, Key="events/day=1.json")
        self.assertEqual(got["Body"].read(), b"batch 2")
        self.assertEqual(got["VersionId"], ids[2])

    def test_paginator_and_unknown_version(self):
        for i in range(7):
            self.s3.put_object(Bucket=self.bucket, Key=f"k{i % 3}", Body=b"x")
        pages = self.s3.get_paginator("list_object_versions").paginate(Bucket=self.bucket, PaginationConfig={"PageSize": 2})
        versions = [(v["Key"], v["VersionId"]) for p in pages for v in p.get("Versions", [])]
        self.assertEqual(len(versions), 7)
        self.assertEqual(len(set(versions)), 7)
        self.assertEqual([k for k, _ in versions], sorted(k for k, _ in versions))

        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="k0", VersionId="0" * 26)
        self.assertEqual(code(err), "NoSuchVersion")
        with self.assertRaises(ClientError) as err:
            self.s3.head_object(Bucket=self.bucket, Key="k0", VersionId="definitely-not-a-version")
        self.assertEqual(code(err), "400")

    def test_suspended_null_version(self):
        v1 = self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"one")["VersionId"]
        self.s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Suspended"})
        self.assertNotIn("VersionId", self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"two"))
        self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"three")
        listed = self.s3.list_object_versions(Bucket=self.bucket)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in listed["Versions"]], [("null", True), (v1, False)])
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="k", VersionId="null")["Body"].read(), b"three")

    def test_invalid_configuration(self):
        with self.assertRaises(ClientError) as err:
            self.s3.put_bucket_versioning(Bucket=self.bucket, VersioningConfiguration={"Status": "Sometimes"})
        self.assertEqual(code(err), "MalformedXML")
        with self.assertRaises(ClientError) as err:
            self.s3.put_bucket_versioning(Bucket=self.bucket, MFA="arn:aws:iam::123456789012:mfa/u 123456",
                                          VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"})
        self.assertEqual(code(err), "NotImplemented")


class VersioningCLITest(unittest.TestCase):
    def test_cli_versioning(self):
        bucket = harness.unique("cli-ver")
        harness.aws("s3", "mb", f"s3://{bucket}")
        harness.aws("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled")
        status = json.loads(harness.aws("s3api", "get-bucket-versioning", "--bucket", bucket).stdout)
        self.assertEqual(status["Status"], "Enabled")
        harness.aws("s3", "cp", "-", f"s3://{bucket}/a.txt", input="first")
        harness.aws("s3", "cp", "-", f"s3://{bucket}/a.txt", input="second")
        harness.aws("s3", "rm", f"s3://{bucket}/a.txt")
        self.assertEqual(harness.aws("s3", "ls", f"s3://{bucket}/", check=False).stdout, "")
        versions = json.loads(harness.aws("s3api", "list-object-versions", "--bucket", bucket).stdout)
        self.assertEqual(len(versions["Versions"]), 2)
        self.assertEqual(len(versions["DeleteMarkers"]), 1)
        # `aws s3 rb --force` only removes current objects; a versioned
        # bucket keeps its versions and refuses to go.
        proc = harness.aws("s3", "rb", f"s3://{bucket}", check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("BucketNotEmpty", proc.stderr)


if __name__ == "__main__":
    unittest.main()
