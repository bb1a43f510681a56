"""S3 through the AWS CLI: the commands a new user types first."""

import filecmp
import os
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402
from harness import aws  # noqa: E402


class CLITest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.bucket = harness.unique("cli")
        aws("s3", "mb", f"s3://{self.bucket}")

    def path(self, *parts):
        return os.path.join(self.tmp.name, *parts)

    def test_cp_large_file_roundtrip(self):
        src = self.path("big.bin")
        with open(src, "wb") as f:
            for _ in range(64):
                f.write(os.urandom(1 << 20))
        aws("s3", "cp", src, f"s3://{self.bucket}/big.bin", "--only-show-errors")
        dst = self.path("back.bin")
        aws("s3", "cp", f"s3://{self.bucket}/big.bin", dst, "--only-show-errors")
        self.assertTrue(filecmp.cmp(src, dst, shallow=False))

    def test_ls(self):
        aws("s3", "cp", "-", f"s3://{self.bucket}/dir/file.txt", input="hello\n")
        out = aws("s3", "ls", f"s3://{self.bucket}/dir/").stdout
        self.assertIn("file.txt", out)
        self.assertIn(self.bucket, aws("s3", "ls").stdout)
        self.assertIn("PRE dir/", aws("s3", "ls", f"s3://{self.bucket}").stdout)

    def test_sync_both_ways(self):
        src = self.path("src")
        os.makedirs(os.path.join(src, "nested", "deeper"))
        files = {"a.csv": "id,v\n1,2\n", "nested/b.json": '{"x":1}', "nested/deeper/c.txt": "c" * 100000}
        for name, body in files.items():
            with open(os.path.join(src, name), "w") as f:
                f.write(body)
        aws("s3", "sync", src, f"s3://{self.bucket}/mirror", "--only-show-errors")
        # A second sync has nothing to do.
        self.assertEqual(aws("s3", "sync", src, f"s3://{self.bucket}/mirror").stdout.strip(), "")
        back = self.path("back")
        aws("s3", "sync", f"s3://{self.bucket}/mirror", back, "--only-show-errors")
        for name, body in files.items():
            with open(os.path.join(back, name)) as f:
                self.assertEqual(f.read(), body)
        os.remove(os.path.join(src, "a.csv"))
        aws("s3", "sync", src, f"s3://{self.bucket}/mirror", "--delete", "--only-show-errors")
        self.assertNotIn("a.csv", aws("s3", "ls", "--recursive", f"s3://{self.bucket}/mirror").stdout)

    def test_presign(self):
        aws("s3", "cp", "-", f"s3://{self.bucket}/shared.txt", input="presigned download\n")
        url = aws("s3", "presign", f"s3://{self.bucket}/shared.txt", "--expires-in", "300").stdout.strip()
        with urllib.request.urlopen(url) as r:
            self.assertEqual(r.read(), b"presigned download\n")

    def test_s3api_errors(self):
        proc = aws("s3api", "get-object", "--bucket", self.bucket, "--key", "missing", self.path("out"), check=False)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("NoSuchKey", proc.stderr)
        proc = aws("s3", "rb", f"s3://{self.bucket}", check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_rb_force(self):
        for i in range(5):
            aws("s3", "cp", "-", f"s3://{self.bucket}/k{i}", input="x")
        aws("s3", "rb", f"s3://{self.bucket}", "--force")
        self.assertNotIn(self.bucket, aws("s3", "ls").stdout)


if __name__ == "__main__":
    unittest.main()
