"""``collagen-coach session``, played at a real pseudo-terminal as a user plays it.

The user presses a key as each step appears and types the answers to the comfort questions; what
the session saved is read back with ``collagen-coach journal --json``. Every terminal run is under
a watchdog: a session that stops responding fails the test instead of hanging it. On SQLite by
default, on a fresh PostgreSQL database of its own when DATABASE_URL names one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import select
import signal
import subprocess
import time
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.cli.player import NOTE_QUESTION, PAIN_QUESTION, REDNESS_QUESTION
from web.processes import CLI, run_cli

pytestmark = [pytest.mark.postgres]

TODAY = dt.date.today()
GENTLER = "Last time you reported pain or redness: today's session is gentler."
STEP_TITLE = re.compile(rb"Step (\d+) of \d+")
QUESTIONS = [q.encode() for q in (PAIN_QUESTION, REDNESS_QUESTION, NOTE_QUESTION)]
WATCHDOG_S = 60


def make_plan(
    tmp_path: Path, env: dict[str, str], start: dt.date = TODAY, days_per_week: int = 7
) -> list[dt.date]:
    """Save a plan of 3-minute sessions from ``start``; give its session days."""
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "age": 58,
                "concerns": ["sagging"],
                "minutes_per_day": 3,
                "days_per_week": days_per_week,
                "start_date": start.isoformat(),
                "weeks": 4,
            }
        )
    )
    made = run_cli("plan", str(profile), "--json", env=env)
    assert made.returncode == 0, made.stderr
    return [dt.date.fromisoformat(s["date"]) for s in json.loads(made.stdout)["sessions"]]


@dataclass(frozen=True)
class Played:
    returncode: int
    screen: str  # all the terminal showed, with its control sequences
    stdout: str  # what went to stdout when it was kept apart from the terminal (--json)


def play_in_terminal(
    env: dict[str, str], *args: str, key: bytes, answers: list[str], json_out: bool = False
) -> Played:
    """Run ``collagen-coach session --quiet ARGS`` at a pseudo-terminal: press ``key`` once as
    each step appears, then type ``answers`` to the comfort questions as they are asked.

    With ``json_out`` stdout is a pipe of its own, the terminal keeps stdin and stderr. The
    process is killed and the test fails if it has not ended within WATCHDOG_S seconds.
    """
    main, side = os.openpty()
    process = subprocess.Popen(
        [str(CLI), "session", "--quiet", *args],
        stdin=side,
        stdout=subprocess.PIPE if json_out else side,
        stderr=side,
        env=env,
        start_new_session=True,
    )
    os.close(side)
    screen = b""
    steps_seen: set[bytes] = set()
    to_answer = list(zip(QUESTIONS, answers, strict=False))
    asked_up_to = 0
    deadline = time.monotonic() + WATCHDOG_S
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"the session hung; the terminal showed:\n{screen[-3000:]!r}")
            ready, _, _ = select.select([main], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(main, 65536)
            except OSError:  # EIO: the session ended and let go of the terminal
                break
            if not chunk:
                break
            screen += chunk
            for match in STEP_TITLE.finditer(screen):
                if match[1] not in steps_seen:
                    steps_seen.add(match[1])
                    os.write(main, key)
            while to_answer and (at := screen.find(to_answer[0][0], asked_up_to)) >= 0:
                question, answer = to_answer.pop(0)
                asked_up_to = at + len(question)
                os.write(main, answer.encode() + b"\n")
        stdout = process.stdout.read().decode() if process.stdout else ""
        returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stdout:
            process.stdout.close()
        os.close(main)
    return Played(returncode, screen.decode(errors="replace"), stdout)


def session_entries(env: dict[str, str]) -> list[dict[str, Any]]:
    shown = run_cli("journal", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    return [e for e in json.loads(shown.stdout)["entries"] if e["kind"] == "session"]


def zone_where_the_day_is_not_utcs() -> str:
    """Give a time zone whose calendar day differs from UTC's now: UTC+14 from 10:00 UTC,
    UTC−12 before 12:00 UTC (POSIX names have the sign the other way round)."""
    return "Etc/GMT-14" if dt.datetime.now(dt.UTC).hour >= 11 else "Etc/GMT+12"


def test_a_session_skipped_through_is_saved_as_partial_on_the_computers_day(
    tmp_path: Path, env: dict[str, str]
) -> None:
    zone = zone_where_the_day_is_not_utcs()
    env = {**env, "TZ": zone}
    today_there = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
    make_plan(tmp_path, env, start=today_there)

    played = play_in_terminal(env, key=b"s", answers=["n", "n", "felt relaxed"])

    assert played.returncode == 0, played.screen[-2000:]
    assert "Session ended. You did none of the" in played.screen  # never "complete"
    assert "Session complete" not in played.screen
    assert GENTLER not in played.screen
    [entry] = session_entries(env)
    assert entry["date"] == today_there.isoformat()
    details = entry["details"]
    assert details["status"] == "abandoned"  # under half the planned time: not counted as done
    assert details["steps_skipped"] == details["steps_total"] == 4
    assert (details["pain"], details["redness"], details["note"]) == (False, False, "felt relaxed")


def test_pain_reported_makes_the_next_session_gentler(tmp_path: Path, env: dict[str, str]) -> None:
    make_plan(tmp_path, env)
    first = play_in_terminal(env, key=b"s", answers=["y", "n", "tingly chin"])
    assert first.returncode == 0, first.screen[-2000:]

    again = play_in_terminal(env, key=b"q", answers=["n", "n", ""])

    assert again.returncode == 0, again.screen[-2000:]
    assert GENTLER in again.screen


def test_q_ends_the_session_early_and_keeps_the_comfort_answers(
    tmp_path: Path, env: dict[str, str]
) -> None:
    make_plan(tmp_path, env)

    played = play_in_terminal(env, key=b"q", answers=["y", "y", "it stung"])

    assert played.returncode == 0, played.screen[-2000:]
    assert "Session ended early." in played.screen
    [entry] = session_entries(env)
    assert entry["summary"] == "Session stopped early: 0 of 4 steps done"
    details = entry["details"]
    assert details["status"] == "abandoned"
    assert (details["pain"], details["redness"], details["note"]) == (True, True, "it stung")


def test_json_gives_the_outcome_alone_on_stdout(tmp_path: Path, env: dict[str, str]) -> None:
    make_plan(tmp_path, env)

    before = dt.date.today()
    played = play_in_terminal(env, "--json", key=b"s", answers=["n", "y", ""], json_out=True)
    after = dt.date.today()  # a run that crosses midnight plays on either day

    assert played.returncode == 0, played.screen[-2000:]
    outcome = json.loads(played.stdout)
    assert outcome["date"] in {before.isoformat(), after.isoformat()}
    assert outcome["completed"] is False
    assert [step["skipped"] for step in outcome["steps"]] == [True] * 4
    assert (outcome["pain"], outcome["redness"], outcome["note"]) == (False, True, "")
    assert PAIN_QUESTION in played.screen  # the questions went to the terminal, not to stdout


def test_a_day_without_a_session_is_refused_naming_the_next_session_day(
    tmp_path: Path, env: dict[str, str]
) -> None:
    days = make_plan(tmp_path, env, start=TODAY - dt.timedelta(days=14), days_per_week=3)
    rest_day = next(
        day + dt.timedelta(days=1) for day in days if day + dt.timedelta(days=1) not in days
    )
    next_day = min(day for day in days if day > rest_day)

    done = run_cli("session", "--date", rest_day.isoformat(), env=env)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"collagen-coach: --date: no session is planned on {rest_day.isoformat()}; "
        f"the next one is on {next_day:%a %d %b %Y}\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            [],
            "plan: there is no current plan (allowed: make one: collagen-coach plan FILE)",
            id="no-plan",
        ),
        pytest.param(
            ["--date", "2099-01-01"],
            "--date: 2099-01-01 is in the future (allowed: today or earlier)",
            id="future-day",
        ),
    ],
)
def test_no_session_to_play_is_one_line_and_exit_2(
    env: dict[str, str], args: list[str], message: str
) -> None:
    done = run_cli("session", *args, env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"collagen-coach: {message}\n"
