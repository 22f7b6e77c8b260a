"""A real S3-speaking server for tests and benchmarks: moto's standalone server (``moto[server]``,
a test-only tool of requirements-dev.txt), run as a process on a free port."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

ACCESS_KEY, SECRET_KEY = "portal-test", "portal-test-secret"


@dataclass
class S3Server:
    endpoint: str

    def environment(self, bucket: str, prefix: str = "") -> dict[str, str]:
        """The settings pointing a process's file store at ``bucket`` on this server."""
        return {"PORTAL_FILESTORE_URL": f"s3://{bucket}/{prefix}".rstrip("/"),
                "PORTAL_FILESTORE_S3_ENDPOINT_URL": self.endpoint,
                "PORTAL_FILESTORE_S3_REGION": "us-east-1",
                "PORTAL_FILESTORE_S3_ADDRESSING": "path",
                "PORTAL_FILESTORE_S3_ACCESS_KEY_ID": ACCESS_KEY,
                "PORTAL_FILESTORE_S3_SECRET_ACCESS_KEY": SECRET_KEY}

    def make_bucket(self, bucket: str) -> None:
        import boto3
        client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
        client.create_bucket(Bucket=bucket)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def s3_server(timeout: float = 30.0):
    """Start moto's server, wait until it answers, stop it at the end."""
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError("moto's S3 server did not start (is moto[server] installed?)")
            try:
                urllib.request.urlopen(endpoint + "/moto-api/", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not answer in time") from None
                time.sleep(0.1)
        yield S3Server(endpoint)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
