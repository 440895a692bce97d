"""``collagen-coach demo``: a demo self-carer with a baseline week, ten weeks of history and
analysed photos, in a folder of its own, served as the web app.

Always its own SQLite file in that folder, whatever DATABASE_URL says, so these tests run on
SQLite only.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password

from web.browser.live_server import free_port
from web.processes import CLI, embedded_env

OUR_HOME = "usual-home"  # where the user's own data would go: the demo must not touch it


def run_demo(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``collagen-coach demo ARGS`` from ``tmp_path``, with no terminal on stdin."""
    return subprocess.run(
        [str(CLI), "demo", *args],
        env={**embedded_env(tmp_path / OUR_HOME), **env},
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def flat(text: str) -> str:
    """Give ``text`` with Rich's line wrapping undone."""
    return " ".join(text.split())


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as db:
        found: int = db.execute(sql).fetchone()[0]
    return found


def login_shown(text: str) -> tuple[str, str]:
    """Give the username and password the demo printed."""
    found = re.search(r"username:? (\S+?),? (?:and )?password:? (\S+)", flat(text))
    assert found is not None, text
    return found[1], found[2]


@pytest.mark.slow
def test_the_demo_is_made_in_the_folder_given_with_an_account_history_and_photos(
    tmp_path: Path,
) -> None:
    # Made-up history must never go into a real database, even one DATABASE_URL names.
    nowhere = "postgres://nobody@127.0.0.1:1/not_a_database"  # nothing listens on port 1
    shown = run_demo(tmp_path, "--home", "demo", "--no-serve", DATABASE_URL=nowhere)

    assert (shown.returncode, shown.stderr) == (0, "")
    home = tmp_path / "demo"
    text = flat(shown.stdout)
    summary = re.search(
        r"(\d+) sessions done, (\d+) missed, (\d+) stopped halfway, (\d+) photos analysed", text
    )
    assert summary is not None, text
    assert f"export COLLAGEN_COACH_HOME={home} " in text  # absolute: works from any folder
    assert f"COLLAGEN_COACH_HOME={home} collagen-coach serve" in text

    database = home / "collagen-coach.sqlite3"
    done = "SELECT count(*) FROM journal_sessionlog WHERE status = 'completed'"
    assert count(database, done) == int(summary[1])
    assert count(database, "SELECT count(*) FROM journal_peptideintake") > 0
    # Three baseline days before the first session, then weekly for ten weeks.
    assert count(database, "SELECT count(*) FROM journal_selfrating") == 3 + 10
    cutometer = "SELECT count(*) FROM journal_instrumentreading WHERE instrument = 'cutometer'"
    assert count(database, cutometer) == (3 + 10) * 2 * 3  # both cheeks, three repeats each day
    # Three baseline photos before the first session, then one a week: all analysed, all pass.
    assert int(summary[3]) == 1
    assert int(summary[4]) == 3 + 9
    assert count(database, "SELECT count(*) FROM photos_photo WHERE status = 'done'") == 12
    passed = "SELECT count(*) FROM journal_photomeasurement WHERE ok"
    assert count(database, passed) == 12
    first_session = "SELECT min(planned_date) FROM journal_sessionlog"
    baseline = f"SELECT count(*) FROM photos_photo WHERE taken_on < ({first_session})"
    assert count(database, baseline) == 3
    with sqlite3.connect(database) as db:
        kept = [name for (name,) in db.execute("SELECT image FROM photos_photo")]
    assert len(kept) == 12
    assert all((home / "photos" / name).is_file() for name in kept)  # in the demo's folder
    assert not (tmp_path / OUR_HOME).exists()


@pytest.mark.slow
def test_the_password_shown_signs_in_to_the_local_clients_account(tmp_path: Path) -> None:
    shown = run_demo(tmp_path, "--home", "demo", "--no-serve")

    assert shown.returncode == 0, shown.stderr
    username, password = login_shown(shown.stdout)
    with sqlite3.connect(tmp_path / "demo" / "collagen-coach.sqlite3") as db:
        (stored,) = db.execute(
            "SELECT u.password FROM auth_user u JOIN clients_client c ON c.account_id = u.id "
            "WHERE u.username = ? AND c.is_local",
            (username,),
        ).fetchone()
    assert username == "demo"
    assert check_password(password, stored)


@pytest.mark.slow
def test_the_demo_is_dated_by_the_computers_calendar_not_utcs(tmp_path: Path) -> None:
    # A zone whose calendar day is not UTC's now: UTC+14 from 10:00 UTC, UTC−12 before 12:00.
    zone = "Etc/GMT-14" if dt.datetime.now(dt.UTC).hour >= 11 else "Etc/GMT+12"
    today_there = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()

    shown = run_demo(tmp_path, "--home", str(tmp_path / "demo"), "--no-serve", TZ=zone)

    assert shown.returncode == 0, shown.stderr
    assert f"(her left side massaged), up to {today_there:%a %d %b %Y}" in flat(shown.stdout)
    database = tmp_path / "demo" / "collagen-coach.sqlite3"
    newest = "SELECT max(taken_on) FROM photos_photo"
    with sqlite3.connect(database) as db:
        (taken,) = db.execute(newest).fetchone()
    assert dt.date.fromisoformat(taken) < today_there


def test_a_folder_with_something_in_it_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "photos"
    home.mkdir()
    (home / "me.jpg").write_bytes(b"not really a photo")

    shown = run_demo(tmp_path, "--home", str(home), "--no-serve")

    assert (shown.returncode, shown.stdout) == (2, "")
    assert shown.stderr == (
        f"collagen-coach: --home: '{home}' is not an empty folder "
        "(allowed: a new or empty folder)\n"
    )
    assert [p.name for p in home.iterdir()] == ["me.jpg"]


def test_a_port_in_use_is_said_before_anything_is_made(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        shown = run_demo(tmp_path, "--home", "demo", "--port", str(port))

    assert (shown.returncode, shown.stdout) == (2, "")
    assert f"port {port} is already in use" in shown.stderr
    assert not (tmp_path / "demo").exists()


@pytest.mark.slow
def test_the_demo_serves_the_app_and_its_login_signs_in(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [str(CLI), "demo", "--home", str(tmp_path / "demo"), "--port", str(port)],
            env={**embedded_env(tmp_path / OUR_HOME), "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 240
        while "collagen-coach is running at" not in log.read_text():
            assert demo.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        text = log.read_text()
        assert f"Open http://127.0.0.1:{port}/ in your browser" in text
        username, password = login_shown(text)

        base = f"http://127.0.0.1:{port}"
        cookies = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        with opener.open(f"{base}/accounts/login/", timeout=30) as answer:
            form = answer.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        fields = {"csrfmiddlewaretoken": token[1], "username": username, "password": password}
        request = urllib.request.Request(
            f"{base}/accounts/login/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": f"{base}/accounts/login/"},
        )
        with opener.open(request, timeout=30) as answer:
            assert answer.url == f"{base}/"  # signed in: on to today's overview
        with opener.open(f"{base}/photos/", timeout=30) as answer:
            assert answer.status == 200
            assert answer.url == f"{base}/photos/"
    finally:
        demo.terminate()
        demo.wait(30)
    assert demo.returncode == 0, log.read_text()
