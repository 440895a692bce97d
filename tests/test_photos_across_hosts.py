"""Photos in a shared bucket, seen from three hosts with data folders of their own.

Host A serves the web app, host B analyses photos (``collagen-coach worker``), host C serves the
web app too: three processes, each with its own data folder (``COLLAGEN_COACH_HOME``), sharing one
PostgreSQL database and one bucket of a real S3-compatible server (moto's server mode). A photo
uploaded on A is analysed on B and shown, and exported, on A byte for byte as the bucket keeps it;
nothing of it lands in any host's data folder. Another person cannot fetch it on any host; its
owner deleting everything on C removes its objects from the bucket.

Needs PostgreSQL (DATABASE_URL; ``scripts/test`` sets it, and under CI=true it is there).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from s3_server import CREDENTIALS, S3Bucket, S3Server
from test_many_processes import PASSWORD, Visitor, query
from web.browser.live_server import RunningServer, fresh_database, is_postgres, running_server
from web.processes import CLI, embedded_env

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.postgres_only]

FACE = Path(__file__).resolve().parent / "fixtures" / "faces" / "obama-480p.jpg"
DONE_WITHIN_S = 120.0
SIGN_UP = f"""
import sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.accounts.services import sign_up
for name in sys.argv[1:]:
    sign_up(name, {PASSWORD!r})
"""


@pytest.fixture
def database_url() -> Iterator[str]:
    """Give a fresh, empty PostgreSQL database beside the one DATABASE_URL names."""
    base = os.environ.get("DATABASE_URL")
    if not is_postgres(base):
        message = "needs DATABASE_URL naming a PostgreSQL server (scripts/test sets it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: this test must run")
        pytest.skip(message)
    with fresh_database(base, "hosts") as url:
        assert url is not None
        yield url


@contextmanager
def photo_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``collagen-coach worker`` with ``env``; stop it (SIGTERM) at the end."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(CLI), "worker"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(visitor: Visitor, url: str, data: bytes | None = None) -> tuple[int, bytes]:
    """Give (status, body as bytes) of a request, as the person's browser makes it."""
    request = urllib.request.Request(url, data=data, headers={"Referer": url})
    try:
        with visitor.opener.open(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_form(
    visitor: Visitor, server: RunningServer, page: str, path: str, fields: dict[str, str]
) -> tuple[int, bytes]:
    """Send ``fields`` to ``path`` as the form on ``page`` does (its CSRF token and all)."""
    token = visitor.form_token(server.address(page))
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
    return fetch(visitor, server.address(path), body.encode())


def files_in(home: Path) -> list[Path]:
    """Give the photos a host's data folder holds: none, when they are kept in the bucket."""
    return [p for p in home.rglob("*.jpg") if p.is_file()]


def test_a_photo_uploaded_on_one_host_is_analysed_on_another_and_shown_from_the_bucket(
    tmp_path: Path, database_url: str, s3_server: S3Server
) -> None:
    bucket: S3Bucket = s3_server.new_bucket()
    shared = {**CREDENTIALS, "PHOTO_STORAGE_URL": bucket.url, "SECRET_KEY": "x" * 50}
    homes = {host: tmp_path / f"host-{host}" for host in "abc"}
    with ExitStack() as stack:
        # Host A first: it brings the new database up to date. Then, at the same time, the
        # worker of host B, host C, and the two accounts.
        web_a = stack.enter_context(
            running_server(homes["a"], "--no-worker", database_url=database_url, env=shared)
        )
        worker_env = {**embedded_env(homes["b"]), **shared, "DATABASE_URL": database_url}
        worker_b = stack.enter_context(photo_worker(worker_env, tmp_path / "host-b-worker.log"))
        signing_up = subprocess.Popen(
            [sys.executable, "-c", SIGN_UP, "ann", "bob"], env=web_a.env, stderr=subprocess.PIPE
        )
        web_c = stack.enter_context(
            running_server(homes["c"], "--no-worker", database_url=database_url, env=shared)
        )
        _, errors = signing_up.communicate(timeout=120)
        assert signing_up.returncode == 0, errors.decode()
        ann, bob = Visitor(), Visitor()
        ann.sign_in(web_a, "ann")
        bob.sign_in(web_c, "bob")

        ann.upload(web_a, FACE, dt.date.today() - dt.timedelta(days=1))
        deadline = time.monotonic() + DONE_WITHIN_S
        while query(database_url, "SELECT count(*) FROM photos_photo WHERE status <> 'done'")[0][0]:
            assert worker_b.poll() is None, (tmp_path / "host-b-worker.log").read_text()
            assert time.monotonic() < deadline, "the photo was not analysed in time"
            time.sleep(0.3)
        [(pk, image, overlay)] = query(database_url, "SELECT id, image, overlay FROM photos_photo")
        [(worker_ids,)] = query(
            database_url, "SELECT worker_ids FROM django_tasks_database_dbtaskresult"
        )
        kept = bucket.keys()
        kept_image, kept_overlay = bucket.read(image), bucket.read(overlay)

        seen_image = fetch(ann, web_a.address(f"/photos/{pk}/image/"))
        seen_overlay = fetch(ann, web_a.address(f"/photos/{pk}/overlay/"))
        status, zipped = post_form(ann, web_a, "/my-data/", "/my-data/export/", {})
        assert status == 200, zipped
        exported = zipfile.ZipFile(io.BytesIO(zipped))
        bob_sees = [
            fetch(bob, server.address(f"/photos/{pk}/{kind}/"))[0]
            for server in (web_a, web_c)
            for kind in ("image", "overlay")
        ]

        status, page = post_form(
            ann,
            web_c,
            "/my-data/delete/",
            "/my-data/delete/",
            {"confirm": "delete", "password": PASSWORD},
        )
        assert status == 200, page
        left = bucket.keys()

    # Analysed once, by the worker of host B.
    assert len(worker_ids) == 1
    assert re.search(rf":{worker_b.pid}:", worker_ids[0]), worker_ids
    # The photo and its overlay are in the bucket, in her folder, and on no host's disk.
    assert kept == {image, overlay}
    assert image.startswith("client-")
    assert overlay.endswith("-overlay.jpg")
    assert [files_in(home) for home in homes.values()] == [[], [], []]
    # Shown on A, and exported on A, exactly as the bucket keeps them.
    assert seen_image == (200, kept_image)
    assert seen_overlay == (200, kept_overlay)
    assert exported.read(f"files/{image}") == kept_image
    assert exported.read(f"files/{overlay}") == kept_overlay
    # Bob cannot fetch Ann's photo on any host.
    assert bob_sees == [404, 404, 404, 404]
    # Deleting everything on C removed her objects from the bucket.
    assert left == set()
