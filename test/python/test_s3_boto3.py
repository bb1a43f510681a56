"""S3 through boto3, the way data-lake code uses it."""

import hashlib
import io
import json
import os
import sys
import unittest
import urllib.error
import urllib.request

from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


def code(err):
    return err.exception.response["Error"]["Code"]


class BucketTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()

    def test_zoned_lake_buckets(self):
        prefix = harness.unique("lake")
        for zone in ("raw", "processed", "curated"):
            self.s3.create_bucket(Bucket=f"{prefix}-{zone}")
        names = {b["Name"] for b in self.s3.list_buckets()["Buckets"]}
        self.assertTrue({f"{prefix}-raw", f"{prefix}-processed", f"{prefix}-curated"} <= names)
        self.s3.head_bucket(Bucket=f"{prefix}-raw")
        self.s3.delete_bucket(Bucket=f"{prefix}-curated")
        with self.assertRaises(ClientError) as err:
            self.s3.head_bucket(Bucket=f"{prefix}-curated")
        self.assertEqual(err.exception.response["Error"]["Code"], "404")

    def test_bucket_in_another_region(self):
        eu = harness.client(region="eu-west-1")
        name = harness.unique("eu")
        eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], "eu-west-1")
        eu.put_object(Bucket=name, Key="k", Body=b"bonjour")
        self.assertEqual(eu.get_object(Bucket=name, Key="k")["Body"].read(), b"bonjour")

    def test_create_bucket_without_constraint_outside_us_east_1(self):
        # A classic mistake that AWS refuses, and so must Lakebox.
        eu = harness.client(region="eu-central-1")
        with self.assertRaises(ClientError) as err:
            eu.create_bucket(Bucket=harness.unique("noloc"))
        self.assertEqual(code(err), "IllegalLocationConstraintException")

    def test_bucket_not_empty(self):
        name = harness.unique("full")
        self.s3.create_bucket(Bucket=name)
        self.s3.put_object(Bucket=name, Key="x", Body=b"x")
        with self.assertRaises(ClientError) as err:
            self.s3.delete_bucket(Bucket=name)
        self.assertEqual(code(err), "BucketNotEmpty")

    def test_unsupported_configuration_is_refused_not_ignored(self):
        name = harness.unique("cfg")
        self.s3.create_bucket(Bucket=name)
        with self.assertRaises(ClientError) as err:
            self.s3.put_bucket_website(Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
        self.assertEqual(code(err), "NotImplemented")
        with self.assertRaises(ClientError) as err:
            self.s3.get_bucket_website(Bucket=name)
        self.assertEqual(code(err), "NoSuchWebsiteConfiguration")
        with self.assertRaises(ClientError) as err:
            self.s3.get_bucket_cors(Bucket=name)
        self.assertEqual(code(err), "NoSuchCORSConfiguration")
        with self.assertRaises(ClientError) as err:
            self.s3.get_bucket_policy(Bucket=name)
        self.assertEqual(code(err), "NoSuchBucketPolicy")
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=name))


class ObjectTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = harness.client()
        cls.bucket = harness.unique("objects")
        cls.s3.create_bucket(Bucket=cls.bucket)

    def test_json_ingest_roundtrip(self):
        record = {"event": "click", "user": 42, "ts": "2026-11-22T10:00:00Z"}
        key = "raw/events/2026/11/22/10/00.json"
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=json.dumps(record), ContentType="application/json")
        got = self.s3.get_object(Bucket=self.bucket, Key=key)
        self.assertEqual(json.loads(got["Body"].read()), record)
        self.assertEqual(got["ContentType"], "application/json")

    def test_metadata_and_headers(self):
        self.s3.put_object(Bucket=self.bucket, Key="meta", Body=b"m", Metadata={"Source": "unit", "zone": "raw"},
                           CacheControl="no-cache", ContentDisposition="inline", ContentLanguage="en")
        head = self.s3.head_object(Bucket=self.bucket, Key="meta")
        self.assertEqual(head["Metadata"], {"source": "unit", "zone": "raw"})
        self.assertEqual(head["CacheControl"], "no-cache")
        self.assertEqual(head["ContentLanguage"], "en")
        self.assertEqual(head["ContentLength"], 1)

    def test_upload_file_multipart(self):
        data = os.urandom(20 * 1024 * 1024 + 17)
        self.s3.upload_fileobj(io.BytesIO(data), self.bucket, "big.bin")
        head = self.s3.head_object(Bucket=self.bucket, Key="big.bin")
        self.assertEqual(head["ContentLength"], len(data))
        self.assertTrue(head["ETag"].strip('"').endswith("-3"))
        out = io.BytesIO()
        self.s3.download_fileobj(self.bucket, "big.bin", out)
        self.assertEqual(hashlib.sha256(out.getvalue()).digest(), hashlib.sha256(data).digest())

    def test_range_and_conditional_get(self):
        self.s3.put_object(Bucket=self.bucket, Key="range", Body=b"0123456789")
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="range", Range="bytes=2-4")["Body"].read(), b"234")
        etag = self.s3.head_object(Bucket=self.bucket, Key="range")["ETag"]
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="range", IfNoneMatch=etag)
        self.assertEqual(code(err), "304")
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="range", Range="bytes=100-")
        self.assertEqual(code(err), "InvalidRange")

    def test_missing_key(self):
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="nope")
        self.assertEqual(code(err), "NoSuchKey")
        self.assertEqual(err.exception.response["Error"]["Key"], "nope")

    def test_checksums(self):
        # CRC32C and CRC64NVME need botocore[crt], which is not installed here.
        for alg in ("CRC32", "SHA1", "SHA256"):
            put = self.s3.put_object(Bucket=self.bucket, Key=f"sum-{alg}", Body=b"checksummed", ChecksumAlgorithm=alg)
            got = self.s3.get_object(Bucket=self.bucket, Key=f"sum-{alg}", ChecksumMode="ENABLED")
            self.assertEqual(got["Body"].read(), b"checksummed")
            self.assertEqual(got[f"Checksum{alg}"], put[f"Checksum{alg}"])

    def test_copy_and_tags(self):
        self.s3.put_object(Bucket=self.bucket, Key="src", Body=b"copy me", Tagging="zone=raw")
        self.s3.copy_object(Bucket=self.bucket, Key="dst", CopySource={"Bucket": self.bucket, "Key": "src"})
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="dst")["Body"].read(), b"copy me")
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key="dst")["TagSet"]
        self.assertEqual(tags, [{"Key": "zone", "Value": "raw"}])

    def test_list_pagination_and_delimiter(self):
        bucket = harness.unique("listing")
        self.s3.create_bucket(Bucket=bucket)
        for i in range(25):
            self.s3.put_object(Bucket=bucket, Key=f"year=2026/month={i % 3:02d}/part-{i:03d}.parquet", Body=b"p")
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 10})
        keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
        self.assertEqual(len(keys), 25)
        self.assertEqual(keys, sorted(keys))
        top = self.s3.list_objects_v2(Bucket=bucket, Prefix="year=2026/", Delimiter="/")
        self.assertEqual([p["Prefix"] for p in top["CommonPrefixes"]],
                         ["year=2026/month=00/", "year=2026/month=01/", "year=2026/month=02/"])
        v1 = self.s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 7})
        self.assertEqual([o["Key"] for page in v1 for o in page.get("Contents", [])], keys)

    def test_keys_needing_encoding(self):
        for key in ("with space.txt", "plus+sign", "ünïcødé", "a%2Fb", "q?x=1&y=2"):
            self.s3.put_object(Bucket=self.bucket, Key="enc/" + key, Body=key.encode())
            self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="enc/" + key)["Body"].read(), key.encode())
        listed = {o["Key"] for o in self.s3.list_objects_v2(Bucket=self.bucket, Prefix="enc/")["Contents"]}
        self.assertIn("enc/with space.txt", listed)
        self.assertIn("enc/plus+sign", listed)

    def test_delete_objects(self):
        keys = [f"del/{i}" for i in range(10)]
        for k in keys:
            self.s3.put_object(Bucket=self.bucket, Key=k, Body=b"d")
        out = self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in keys]})
        self.assertEqual(len(out["Deleted"]), 10)
        self.assertEqual(self.s3.list_objects_v2(Bucket=self.bucket, Prefix="del/")["KeyCount"], 0)

    def test_presigned_url(self):
        self.s3.put_object(Bucket=self.bucket, Key="shared.txt", Body=b"for your eyes")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": "shared.txt"}, ExpiresIn=60)
        with urllib.request.urlopen(url) as r:
            self.assertEqual(r.read(), b"for your eyes")
        with self.assertRaises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url.replace("shared.txt", "other.txt"))
        self.assertEqual(err.exception.code, 403)

    def test_public_read_policy(self):
        bucket = harness.unique("public")
        self.s3.create_bucket(Bucket=bucket)
        self.s3.put_object(Bucket=bucket, Key="site/index.html", Body=b"<h1>lake</h1>")
        url = f"{harness.endpoint()}/{bucket}/site/index.html"
        with self.assertRaises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(url)
        self.assertEqual(err.exception.code, 403)
        self.s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"arn:aws:s3:::{bucket}/site/*"}],
        }))
        with urllib.request.urlopen(url) as r:
            self.assertEqual(r.read(), b"<h1>lake</h1>")
        self.assertTrue(self.s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"])

    def test_wrong_secret_is_refused(self):
        bad = harness.client(secret="not-test")
        with self.assertRaises(ClientError) as err:
            bad.list_buckets()
        self.assertEqual(code(err), "SignatureDoesNotMatch")


if __name__ == "__main__":
    unittest.main()
