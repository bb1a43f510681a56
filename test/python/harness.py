"""Shared setup for the boto3 and AWS CLI suites.

The suites talk to a real `lakebox serve`. test/run.sh starts one and sets
LAKEBOX_ENDPOINT; run alone, a module starts its own server from bin/lakebox
(build it with `make build`) on a free port with a temporary data directory.
"""

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid

import boto3
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_server = None


def endpoint():
    """The URL of the server under test, starting one if needed."""
    global _server
    url = os.environ.get("LAKEBOX_ENDPOINT")
    if url:
        return url
    if _server is None:
        _server, stop = own_server()
        atexit.register(stop)
    return _server


def own_server(*flags):
    """Start a server of the test's own with extra `serve` flags; returns its
    URL and the function that stops it."""
    binary = os.path.join(ROOT, "bin", "lakebox")
    if not os.path.exists(binary):
        raise RuntimeError("bin/lakebox is missing: run `make build` first")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tempfile.mkdtemp(prefix="lakebox-test-")
    with open(os.path.join(data, "server.log"), "w") as log:  # the server writes to its own copy
        proc = subprocess.Popen(
            [binary, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", os.path.join(data, "d"), *flags],
            stdout=log, stderr=log,
        )

    def stop():
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)

    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url)
    except OSError:
        stop()
        raise
    return url, stop


def wait_healthy(url, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url + "/_lakebox/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def client(service="s3", region="us-east-1", key="test", secret="test", url=None, **config):
    return boto3.client(
        service,
        endpoint_url=url or endpoint(),
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1}, **config),
    )


def unique(prefix):
    """A bucket name no other test uses, so tests share one server safely."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def cli_env(region="us-east-1"):
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_PAGER="",
    )
    env.pop("AWS_PROFILE", None)
    return env


def aws(*args, region="us-east-1", check=True, input=None):
    """Run the AWS CLI against the server; returns the completed process."""
    cmd = ["aws", "--endpoint-url", endpoint(), *args]
    proc = subprocess.run(cmd, env=cli_env(region), capture_output=True, text=True, input=input, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc
