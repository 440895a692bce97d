"""``collagen-coach serve`` and ``collagen-coach worker``: the web app served for real, with a
photo-analysis worker beside it that is kept running and stopped with the server."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.web.photos.tasks import PAUSE_VARIABLE
from collagen_coach.web.server import THREADS_CEILING, THREADS_FLOOR, threads_for_this_machine
from web.browser.live_server import free_port, fresh_database, is_postgres, running_server
from web.processes import CLI, embedded_env, run_cli, run_python

FACE = Path(__file__).resolve().parents[1] / "fixtures" / "faces" / "obama-720p.jpg"
WORKER_LINE = re.compile(r"Photo analysis: worker (started|started again) \(process (\d+)\)")


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.status, answer.read()


def alive(pid: int) -> bool:
    """Give whether a process runs (a zombie waiting for its parent counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition: object, timeout_s: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def worker_pids(output: str) -> list[int]:
    return [int(match[2]) for match in WORKER_LINE.finditer(output)]


def stop_by_sigterm(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)  # as a service manager stops a service


def stop_by_ctrl_c(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: to its whole process group


@pytest.mark.slow
@pytest.mark.parametrize("stop", [stop_by_sigterm, stop_by_ctrl_c], ids=["SIGTERM", "Ctrl-C"])
def test_serve_answers_and_stops_cleanly_with_its_worker_finishing_the_photo_in_hand(
    tmp_path: Path, stop: Callable[[subprocess.Popen[bytes]], None]
) -> None:
    # Each analysis waits 10 s before it starts (a test hook), so that the stop comes mid-photo:
    # each look at the photo's status is a new Python process (Django, the store), which takes
    # seconds on a busy machine, and the first look must still find the photo in hand.
    with running_server(tmp_path / "home", env={PAUSE_VARIABLE: "10"}) as server:
        status, css = fetch(server.address("/static/css/app.css"))
        assert status == 200
        assert b"--accent" in css
        status, page = fetch(server.address("/accounts/login/"))
        assert status == 200
        assert b"<form" in page
        assert wait_for(lambda: worker_pids(server.output()))
        (worker,) = worker_pids(server.output())
        stored = run_python(STORE_A_PHOTO, server.env, str(FACE))
        assert stored.returncode == 0, stored.stderr
        photo = stored.stdout.strip()
        assert wait_for(lambda: photo_status(server.env, photo) == "analysing", 60)

        stop(server.process)
        code = server.process.wait(60)

    output = server.output()
    assert code == 0, output
    assert f"collagen-coach is running at {server.url}" in output
    assert output.rstrip().endswith("Stopped.")
    assert wait_for(lambda: not alive(worker), timeout_s=5), "the worker outlived the server"
    assert photo_status(server.env, photo) == "done"  # finished, not cut short


@pytest.mark.slow
def test_a_worker_that_dies_is_started_again(tmp_path: Path) -> None:
    with running_server(tmp_path / "home") as server:
        assert wait_for(lambda: worker_pids(server.output()))
        (first,) = worker_pids(server.output())

        os.kill(first, signal.SIGKILL)

        assert wait_for(lambda: len(worker_pids(server.output())) == 2), server.output()
        second = worker_pids(server.output())[1]
        assert second != first
        assert alive(second)
        assert "Photo analysis: the worker stopped (exit code -9)" in server.output()


@pytest.mark.slow
def test_without_a_worker_none_is_started(tmp_path: Path) -> None:
    with running_server(tmp_path / "home", "--no-worker") as server:
        status, _ = fetch(server.address("/accounts/signup/"))
        assert status == 200
    assert worker_pids(server.output()) == []
    assert "no worker (--no-worker)" in server.output()


def test_a_port_in_use_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        shown = run_cli("serve", "--port", str(port), env=embedded_env(tmp_path / "home"))

    assert (shown.returncode, shown.stdout) == (2, "")
    assert shown.stderr == (
        f"collagen-coach: --port: port {port} is already in use on 127.0.0.1 (is collagen-coach "
        f"already running?) (allowed: a free port, e.g. --port {port + 1})\n"
    )
    assert not (tmp_path / "home" / "collagen-coach.sqlite3").exists()


@pytest.mark.slow
@pytest.mark.postgres
def test_serve_keeps_its_data_in_the_database_database_url_names(tmp_path: Path) -> None:
    base = os.environ.get("DATABASE_URL")
    with (
        fresh_database(base, "serve") as database_url,
        running_server(tmp_path / "home", "--no-worker", database_url=database_url) as server,
    ):
        status, _ = fetch(server.address("/accounts/login/"))
        server.sign_up("ann")
        assert status == 200
        if database_url is not None:
            import psycopg

            with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as db:
                row = db.execute("SELECT username FROM auth_user").fetchall()
            assert row == [("ann",)]
            assert not (tmp_path / "home" / "collagen-coach.sqlite3").exists()
        else:
            with sqlite3.connect(tmp_path / "home" / "collagen-coach.sqlite3") as db:
                assert db.execute("SELECT username FROM auth_user").fetchall() == [("ann",)]
    assert is_postgres(database_url) == is_postgres(base)


STORE_A_PHOTO = """
import sys, datetime
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import local_client
from collagen_coach.web.photos.services import store_photo
data = open(sys.argv[1], "rb").read()
photo = store_photo(local_client(), data, "me.jpg", datetime.date(2025, 3, 3))
print(photo.pk)
"""

PHOTO_STATUS = """
import sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.photos.models import Photo
print(Photo.objects.get(pk=int(sys.argv[1])).status)
"""


def photo_status(env: dict[str, str], photo: str) -> str:
    """Give the analysis status of a stored photo ("queued", "analysing", "done", "failed")."""
    shown = run_python(PHOTO_STATUS, env, photo)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip()


@pytest.mark.slow
def test_worker_once_analyses_the_photos_waiting_then_stops(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "home")
    stored = run_python(STORE_A_PHOTO, env, str(FACE))
    assert stored.returncode == 0, stored.stderr
    photo = stored.stdout.strip()
    assert photo_status(env, photo) == "queued"

    worked = run_cli("worker", "--once", env=env)

    assert worked.returncode == 0, worked.stderr
    assert photo_status(env, photo) == "done"


@pytest.mark.slow
def test_a_worker_whose_server_is_killed_stops_by_itself(tmp_path: Path) -> None:
    env = embedded_env(tmp_path / "home")
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(CLI), "serve", "--port", str(port)],
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        assert wait_for(lambda: worker_pids((tmp_path / "server.log").read_text()), 60)
        (worker,) = worker_pids((tmp_path / "server.log").read_text())

        server.kill()  # no chance to stop its worker
        server.wait()

        assert wait_for(lambda: not alive(worker), timeout_s=20), "the worker was left running"
    finally:
        log.close()
        if server.poll() is None:
            server.kill()


def health(server: Any) -> tuple[int, dict[str, Any]]:
    """Give /health/'s status and JSON body (503 included)."""
    try:
        status, body = fetch(server.address("/health/"))
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body)


@pytest.mark.slow
def test_health_is_well_once_the_worker_beats_and_explicit_threads_are_used(
    tmp_path: Path,
) -> None:
    with running_server(tmp_path / "home", "--threads", "3") as server:
        assert wait_for(lambda: health(server)[0] == 200, 60), health(server)
        _, body = health(server)

    assert body["checks"]["workers"]["alive"] == 1
    assert "Serving up to 3 requests at a time" in server.output()


@pytest.mark.slow
def test_health_without_a_worker_says_none_has_reported(tmp_path: Path) -> None:
    with running_server(tmp_path / "home", "--no-worker") as server:
        status, body = health(server)

    assert status == 503
    assert body["checks"]["workers"]["status"] == "fail"
    assert "no photo-analysis worker has ever reported" in body["checks"]["workers"]["reason"]
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.parametrize(
    ("cpus", "threads"),
    [(1, THREADS_FLOOR), (2, 4), (3, 6), (8, 16), (16, THREADS_CEILING), (128, THREADS_CEILING)],
)
def test_threads_are_twice_the_cpus_within_bounds(cpus: int, threads: int) -> None:
    assert threads_for_this_machine(cpus) == threads


def test_serve_help_says_the_default_threads_on_this_computer(tmp_path: Path) -> None:
    shown = run_cli("serve", "--help", env=embedded_env(tmp_path / "home"))

    text = " ".join(re.sub(r"[│╭╮╰╯─]", " ", shown.stdout).split())
    assert shown.returncode == 0, shown.stderr
    assert "by default twice this computer's CPUs, from 4 to 32" in text
    assert f"[default: {threads_for_this_machine()}]" in text
