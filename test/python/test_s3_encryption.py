"""Server-side encryption through boto3 and the AWS CLI."""

import base64
import hashlib
import json
import os
import sys
import tempfile
import unittest

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402


def code(err):
    return err.exception.response["Error"]["Code"]


class EncryptionTest(unittest.TestCase):
    def setUp(self):
        self.s3 = harness.client()
        self.bucket = harness.unique("enc")
        self.s3.create_bucket(Bucket=self.bucket)

    def test_sse_s3_and_kms(self):
        out = self.s3.put_object(Bucket=self.bucket, Key="a", Body=b"secret", ServerSideEncryption="AES256")
        self.assertEqual(out["ServerSideEncryption"], "AES256")
        got = self.s3.get_object(Bucket=self.bucket, Key="a")
        self.assertEqual(got["ServerSideEncryption"], "AES256")
        self.assertEqual(got["Body"].read(), b"secret")

        out = self.s3.put_object(Bucket=self.bucket, Key="k", Body=b"secret", ServerSideEncryption="aws:kms",
                                 SSEKMSKeyId="alias/raw-zone")
        self.assertEqual(out["ServerSideEncryption"], "aws:kms")
        self.assertTrue(out["SSEKMSKeyId"].endswith(":alias/raw-zone"))
        head = self.s3.head_object(Bucket=self.bucket, Key="k")
        self.assertEqual(head["SSEKMSKeyId"], out["SSEKMSKeyId"])

    def test_bucket_default(self):
        self.s3.put_bucket_encryption(Bucket=self.bucket, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        cfg = self.s3.get_bucket_encryption(Bucket=self.bucket)["ServerSideEncryptionConfiguration"]
        self.assertEqual(cfg["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        out = self.s3.put_object(Bucket=self.bucket, Key="d", Body=b"x")
        self.assertEqual(out["ServerSideEncryption"], "AES256")
        self.s3.delete_bucket_encryption(Bucket=self.bucket)
        with self.assertRaises(ClientError) as err:
            self.s3.get_bucket_encryption(Bucket=self.bucket)
        self.assertEqual(code(err), "ServerSideEncryptionConfigurationNotFoundError")

    def test_sse_c_multipart_with_s3transfer(self):
        key = os.urandom(32)
        extra = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key}
        data = os.urandom(12 * 1024 * 1024 + 17)
        with tempfile.NamedTemporaryFile() as f:
            f.write(data)
            f.flush()
            config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
            self.s3.upload_file(f.name, self.bucket, "big", ExtraArgs=extra, Config=config)
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="big")
        self.assertEqual(code(err), "InvalidRequest")
        with self.assertRaises(ClientError) as err:
            self.s3.get_object(Bucket=self.bucket, Key="big", SSECustomerAlgorithm="AES256", SSECustomerKey=os.urandom(32))
        self.assertEqual(code(err), "AccessDenied")
        got = self.s3.get_object(Bucket=self.bucket, Key="big", Range="bytes=5242870-5242889", **extra)
        self.assertEqual(got["Body"].read(), data[5242870:5242890])
        self.assertEqual(got["SSECustomerKeyMD5"], base64.b64encode(hashlib.md5(key).digest()).decode())
        whole = self.s3.get_object(Bucket=self.bucket, Key="big", **extra)["Body"].read()
        self.assertEqual(hashlib.md5(whole).digest(), hashlib.md5(data).digest())


class EncryptionCLITest(unittest.TestCase):
    def test_cli_sse(self):
        bucket = harness.unique("cli-enc")
        harness.aws("s3", "mb", f"s3://{bucket}")
        harness.aws("s3", "cp", "-", f"s3://{bucket}/s3.txt", "--sse", "AES256", input="at rest")
        head = json.loads(harness.aws("s3api", "head-object", "--bucket", bucket, "--key", "s3.txt").stdout)
        self.assertEqual(head["ServerSideEncryption"], "AES256")
        key = "k" * 32
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src.txt")
            with open(src, "w") as f:
                f.write("customer keyed")
            harness.aws("s3", "cp", src, f"s3://{bucket}/c.txt", "--sse-c", "AES256", "--sse-c-key", key)
            dst = os.path.join(d, "dst.txt")
            harness.aws("s3", "cp", f"s3://{bucket}/c.txt", dst, "--sse-c", "AES256", "--sse-c-key", key)
            with open(dst) as f:
                self.assertEqual(f.read(), "customer keyed")
            proc = harness.aws("s3", "cp", f"s3://{bucket}/c.txt", dst, check=False)
            self.assertNotEqual(proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
