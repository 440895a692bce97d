"""``collagen-coach demo``: a demo self-carer with three weeks of history, in a folder of its own.

Always its own SQLite file in that folder, whatever DATABASE_URL says, so these tests run on
SQLite only.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import zoneinfo
from pathlib import Path

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
        timeout=120,
        check=False,
    )


def flat(text: str) -> str:
    """Give ``text`` with Rich's line wrapping undone."""
    return " ".join(text.split())


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as db:
        found: int = db.execute(sql).fetchone()[0]
    return found


def test_the_demo_is_made_in_the_folder_given_and_shows_plan_adherence_and_journal(
    tmp_path: Path,
) -> None:
    # Made-up history must never go into a real database, even one DATABASE_URL names.
    nowhere = "postgres://nobody@127.0.0.1:1/not_a_database"  # nothing listens on port 1
    shown = run_demo(tmp_path, "--home", "demo", "--no-play", DATABASE_URL=nowhere)

    assert (shown.returncode, shown.stderr) == (0, "")
    home = tmp_path / "demo"
    text = flat(shown.stdout)
    sessions_done = re.search(r"three weeks into her plan: (\d+) sessions done", text)
    assert sessions_done is not None, text
    for part in ["Your plan (modify)", "Phases", "Adherence up to", "Your journal"]:
        assert part in text
    assert f"export COLLAGEN_COACH_HOME={home} " in text  # absolute: works from any folder

    database = home / "collagen-coach.sqlite3"
    done = "SELECT count(*) FROM journal_sessionlog WHERE status = 'completed'"
    assert count(database, done) == int(sessions_done[1])
    assert count(database, "SELECT count(*) FROM journal_peptideintake") > 0
    # Three baseline days before the first session, then weekly for three weeks.
    assert count(database, "SELECT count(*) FROM journal_selfrating") == 3 + 3
    cutometer = "SELECT count(*) FROM journal_instrumentreading WHERE instrument = 'cutometer'"
    assert count(database, cutometer) == (3 + 3) * 2 * 3  # both cheeks, three repeats each day
    assert not (tmp_path / OUR_HOME).exists()


def test_the_demo_is_dated_by_the_computers_calendar_not_utcs(tmp_path: Path) -> None:
    # A zone whose calendar day is not UTC's now: UTC+14 from 10:00 UTC, UTC−12 before 12:00.
    zone = "Etc/GMT-14" if dt.datetime.now(dt.UTC).hour >= 11 else "Etc/GMT+12"
    today_there = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()

    shown = run_demo(tmp_path, "--home", str(tmp_path / "demo"), "--no-play", TZ=zone)

    assert shown.returncode == 0, shown.stderr
    assert f"Today's session, {today_there:%a %d %b} (build)" in shown.stdout
    assert f"Adherence up to {today_there:%a %d %b %Y}" in shown.stdout


def test_a_folder_with_something_in_it_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "photos"
    home.mkdir()
    (home / "me.jpg").write_bytes(b"not really a photo")

    shown = run_demo(tmp_path, "--home", str(home), "--no-play")

    assert (shown.returncode, shown.stdout) == (2, "")
    assert shown.stderr == (
        f"collagen-coach: --home: '{home}' is not an empty folder "
        "(allowed: a new or empty folder)\n"
    )
    assert [p.name for p in home.iterdir()] == ["me.jpg"]


def test_without_a_terminal_the_guided_session_is_skipped(tmp_path: Path) -> None:
    shown = run_demo(tmp_path, "--home", str(tmp_path / "demo"))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.rstrip().endswith(
        "(Not a terminal: the guided session is skipped. Run it in a terminal.)"
    )
