"""Kinesis over CBOR, encoded and decoded by Jackson's CBOR module: the
library the AWS SDK for Java, and so the KCL, speaks CBOR with. The Java
program in test/java does the calls; this runs it against the server.

It needs a Java runtime (11 or newer) and the jackson-core and
jackson-dataformat-cbor jars (Debian: libjackson2-dataformat-cbor, which
.ci/run installs). Without them the test is skipped, saying why."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

JARS = os.environ.get("LAKEBOX_JACKSON_JARS", "/usr/share/java/jackson-core.jar:/usr/share/java/jackson-dataformat-cbor.jar")
PROGRAM = os.path.join(harness.ROOT, "test", "java", "KinesisCbor.java")


def missing():
    if shutil.which("java") is None:
        return "no java on PATH"
    for jar in JARS.split(":"):
        if not os.path.exists(jar):
            return f"{jar} is missing (apt-get install libjackson2-dataformat-cbor)"
    return None


@unittest.skipIf(missing(), missing() or "")
class KinesisJavaCborTest(unittest.TestCase):
    def test_jackson_cbor_round_trip(self):
        run = subprocess.run(["java", "-cp", JARS, PROGRAM, harness.endpoint()],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("OK: Kinesis over CBOR", run.stdout)


if __name__ == "__main__":
    unittest.main()
