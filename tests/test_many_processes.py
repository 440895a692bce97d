"""Several web processes and several photo-analysis workers on one PostgreSQL database at once.

Two ``collagen-coach serve --no-worker`` processes on two ports and two ``collagen-coach worker``
processes share a fresh PostgreSQL database and one data folder (where the photos are kept), as
a practice runs them behind a load balancer. People sign in over plain HTTP (CSRF token and all)
on either web process and upload photos through both; every photo ends analysed exactly once, by
one of the workers, and both workers take part. What one web process saves (a sign-in, a guided
session begun on one and finished on the other) the other sees at once.

Needs PostgreSQL (DATABASE_URL; ``scripts/test`` sets it, and under CI=true it is there).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import itertools
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.web.photos.tasks import PAUSE_VARIABLE
from web.browser.live_server import RunningServer, fresh_database, is_postgres, running_server
from web.processes import CLI, run_python

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.postgres_only]

TESTS = Path(__file__).resolve().parent
FACES = TESTS / "fixtures" / "faces"
PHOTOS = ["obama-720p.jpg", "obama.jpg", "obama2.jpg", "biden2.jpg", "obama-480p.jpg"]
PASSWORD = "a long passphrase 1"
WORKERS = 2
# Each analysis waits this long before it starts (the tasks' test hook), so that both workers
# are busy at the same time and a photo taken twice would show.
ANALYSIS_PAUSE_S = 1.0
DONE_WITHIN_S = 180.0


@pytest.fixture
def database_url() -> Iterator[str]:
    """Give a fresh, empty PostgreSQL database beside the one DATABASE_URL names."""
    base = os.environ.get("DATABASE_URL")
    if not is_postgres(base):
        message = "needs DATABASE_URL naming a PostgreSQL server (scripts/test sets it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: this test must run")
        pytest.skip(message)
    with fresh_database(base, "many") as url:
        assert url is not None
        yield url


@dataclass
class Worker:
    """A ``collagen-coach worker`` process and where its output goes."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def workers(env: dict[str, str], folder: Path, count: int) -> Iterator[list[Worker]]:
    """Start ``count`` photo-analysis workers with ``env``; stop them (SIGTERM) at the end."""
    started: list[Worker] = []
    try:
        for n in range(count):
            log = folder / f"worker-{n}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [str(CLI), "worker"],
                    env={**env, PAUSE_VARIABLE: str(ANALYSIS_PAUSE_S)},
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            started.append(Worker(process, log))
        yield started
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in started:
            try:
                worker.process.wait(30)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


class Visitor:
    """A person's browser without a browser: cookies, CSRF tokens, forms, over plain HTTP.

    The cookie jar is the person's: like a browser's, it sends the same cookies to both web
    processes (they differ only in port).
    """

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(
        self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Give (status, final address, body) of a request, redirects followed."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.geturl(), answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode("utf-8", "replace")

    def csrf_cookie(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken" and c.value)

    def form_token(self, url: str) -> str:
        """Open the page with a form and give its CSRF token."""
        status, _, page = self.open(url)
        assert status == 200, f"{url} answered {status}"
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, f"no CSRF token in the form of {url}"
        return found[1]

    def sign_in(self, server: RunningServer, username: str) -> None:
        login = server.address("/accounts/login/")
        token = self.form_token(login)
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        ).encode()
        status, landed, page = self.open(login, body, {"Referer": login})
        assert status == 200, page
        assert not landed.endswith("/accounts/login/"), f"{username} was not signed in:\n{page}"

    def upload(self, server: RunningServer, photo: Path, taken_on: dt.date) -> None:
        """Upload ``photo`` through the upload form of ``server``."""
        form = server.address("/photos/upload/")
        token = self.form_token(form)
        boundary = "----collagen-coach-boundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="taken_on"\r\n\r\n'
            f"{taken_on.isoformat()}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
            f'filename="{photo.name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo.read_bytes()
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        status, landed, page = self.open(
            form,
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": form},
        )
        assert status == 200, page
        assert landed == server.address("/photos/"), f"the upload was refused:\n{page}"

    def post_json(self, server: RunningServer, path: str, body: dict[str, Any]) -> Any:
        """POST ``body`` as JSON with the CSRF header, as the session player does."""
        status, _, text = self.open(
            server.address(path),
            json.dumps(body).encode(),
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": self.csrf_cookie(),
            },
        )
        assert status in (200, 201), f"{path} answered {status}: {text}"
        return json.loads(text)


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as db:
        return db.execute(sql).fetchall()


PLAN_FOR_TODAY = """
import sys, datetime as dt
sys.path.insert(0, sys.argv[2])  # the tests' folder: the made-up history is a test helper
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.models import Client
from collagen_coach.web.lib.dates import today
from collagen_coach.web.plans.services import save_program
from web.history import daily_program
save_program(Client.objects.get(account__username=sys.argv[1]), daily_program(today(), 7))
"""


def test_two_web_processes_and_two_workers_share_one_postgresql_database(
    tmp_path: Path, database_url: str
) -> None:
    # One data folder (photos, secret key) for every process; each web process is started on a
    # name of its own for it, so that each keeps its own log beside it.
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "web-a").symlink_to(data)
    (tmp_path / "web-b").symlink_to(data)
    with ExitStack() as stack:
        # One after the other: the first brings the new database up to date.
        web_a = stack.enter_context(
            running_server(tmp_path / "web-a", "--no-worker", database_url=database_url)
        )
        web_b = stack.enter_context(
            running_server(tmp_path / "web-b", "--no-worker", database_url=database_url)
        )
        assert web_a.url != web_b.url
        running = stack.enter_context(workers(web_a.env, tmp_path, WORKERS))
        web_a.sign_up("ann", PASSWORD)
        web_b.sign_up("bob", PASSWORD)
        ann, bob = Visitor(), Visitor()
        ann.sign_in(web_a, "ann")
        bob.sign_in(web_b, "bob")

        # Ann's sign-in on A holds on B: the session is in the shared database.
        status, landed, page = ann.open(web_b.address("/photos/upload/"))
        assert (status, landed) == (200, web_b.address("/photos/upload/")), page

        # Photos through both web processes, from both people, ann's through both.
        day = dt.date.today() - dt.timedelta(days=1)
        uploads = [
            (ann, web_a, PHOTOS[0]),
            (bob, web_b, PHOTOS[1]),
            (ann, web_b, PHOTOS[2]),
            (bob, web_a, PHOTOS[3]),
            (ann, web_a, PHOTOS[4]),
            (bob, web_b, PHOTOS[0]),
            (ann, web_b, PHOTOS[1]),
            (bob, web_a, PHOTOS[2]),
        ]
        for visitor, server, name in uploads:
            visitor.upload(server, FACES / name, day)

        deadline = time.monotonic() + DONE_WITHIN_S
        while time.monotonic() < deadline:
            pending = query(
                database_url, "SELECT count(*) FROM photos_photo WHERE status <> 'done'"
            )[0][0]
            if not pending:
                break
            assert all(w.process.poll() is None for w in running), [w.output() for w in running]
            time.sleep(0.5)

        photos = query(
            database_url,
            "SELECT p.id, p.status, p.attempts, p.measurement_id, u.username "
            "FROM photos_photo p JOIN clients_client c ON c.id = p.client_id "
            "JOIN auth_user u ON u.id = c.account_id ORDER BY p.id",
        )
        tasks = query(
            database_url,
            "SELECT args_kwargs, status, worker_ids, started_at, finished_at "
            "FROM django_tasks_database_dbtaskresult",
        )

        # A guided session begun on A, its steps saved on B, finished on A, is in B's journal.
        assert run_python(PLAN_FOR_TODAY, web_a.env, "ann", str(TESTS)).returncode == 0
        begun = ann.post_json(web_a, "/session/api/start/", {})
        log = begun["log"]["id"]
        for index, step in enumerate(begun["steps"]):
            server = web_b if index % 2 == 0 else web_a
            ann.post_json(
                server,
                f"/session/api/logs/{log}/step/",
                {"step": index, "done_s": step["duration_s"], "skipped": False},
            )
        finished = ann.post_json(
            web_a,
            f"/session/api/logs/{log}/finish/",
            {"pain": False, "redness": False, "note": "done across two web processes"},
        )
        status, _, journal = ann.open(web_b.address("/journal/"))
        bobs_status, _, bobs_journal = bob.open(web_a.address("/journal/"))

        worker_output = [w.output() for w in running]
    # Everything is stopped: both web processes by SIGTERM, with exit code 0.
    assert (web_a.stopped_with, web_b.stopped_with) == (0, 0), web_a.output() + web_b.output()
    assert all(w.process.returncode == 0 for w in running), worker_output

    # Every photo uploaded is there, analysed, exactly once each.
    assert len(photos) == len(uploads)
    assert [row[1] for row in photos] == ["done"] * len(uploads), photos
    assert [row[2] for row in photos] == [1] * len(uploads), f"analysed more than once: {photos}"
    assert all(row[3] is not None for row in photos)
    assert sorted(row[4] for row in photos) == ["ann"] * 4 + ["bob"] * 4
    # One task per photo, run once by one worker; both workers did some, at the same time.
    task_photos = sorted(row[0]["args"][0] for row in tasks)
    assert task_photos == [row[0] for row in photos], tasks
    assert {row[1] for row in tasks} == {"SUCCESSFUL"}, tasks
    assert all(len(row[2]) == 1 for row in tasks), f"a task ran twice: {tasks}"
    by_worker = {row[2][0] for row in tasks}
    assert len(by_worker) == WORKERS, f"not every worker took part: {by_worker}"
    spans = sorted((row[3], row[4], row[2][0]) for row in tasks)
    assert any(
        later_start < end and other != worker
        for (_, end, worker), (later_start, _, other) in itertools.pairwise(spans)
    ), f"the workers never analysed at the same time: {spans}"

    # The session made across both web processes.
    assert finished["status"] == "completed"
    assert status == 200
    assert "Session done" in journal
    assert "done across two web processes" in journal
    assert bobs_status == 200
    assert "done across two web processes" not in bobs_journal
