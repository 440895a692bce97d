"""A real S3-compatible server for the tests: moto's server mode in a process of its own.

``moto_server`` listens on a free port of 127.0.0.1 (nothing leaves the computer); the tests make
a bucket of their own on it and point ``PHOTO_STORAGE_URL`` at it, as a practice points the app at
MinIO or a cloud's S3. Credentials are made up: moto takes any.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web.browser.live_server import free_port

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
START_TIMEOUT_S = 30.0
# boto3 reads these from the environment, in this process and in the app's processes alike.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "collagen-coach-tests",
    "AWS_SECRET_ACCESS_KEY": "collagen-coach-tests-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@dataclass(frozen=True)
class S3Server:
    """A running ``moto_server`` and its address."""

    endpoint: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        """Give a boto3 S3 client of this server (to make buckets and look into them)."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )

    def new_bucket(self) -> S3Bucket:
        """Make a new, empty bucket with a name of its own; give it."""
        name = f"photos-{secrets.token_hex(6)}"
        self.client().create_bucket(Bucket=name)
        return S3Bucket(self, name)


@dataclass(frozen=True)
class S3Bucket:
    """A bucket on the test server: its ``PHOTO_STORAGE_URL`` and what it holds."""

    server: S3Server
    name: str

    @property
    def url(self) -> str:
        return f"s3://{self.name}?endpoint={self.server.endpoint}"

    def keys(self) -> set[str]:
        """Give the name of every object in the bucket."""
        pages = self.server.client().get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return {item["Key"] for page in pages for item in page.get("Contents", [])}

    def read(self, key: str) -> bytes:
        data: bytes = self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()
        return data

    def grants(self, key: str) -> list[dict[str, Any]]:
        """Give the object's ACL grants (a public one names the AllUsers group)."""
        acl = self.server.client().get_object_acl(Bucket=self.name, Key=key)
        grants: list[dict[str, Any]] = acl["Grants"]
        return grants


@contextmanager
def running_s3_server(log: Path) -> Iterator[S3Server]:
    """Start ``moto_server`` on a free port of 127.0.0.1, wait until it answers, stop it after."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = S3Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_until_answering(server, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(server: S3Server, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise AssertionError(
                f"moto_server stopped with exit code {server.process.returncode}:\n"
                + log.read_text(errors="replace")
            )
        try:
            with urllib.request.urlopen(server.endpoint + "/", timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(
                f"moto_server did not answer within {START_TIMEOUT_S:.0f} s:\n"
                + log.read_text(errors="replace")
            )
        time.sleep(0.1)
