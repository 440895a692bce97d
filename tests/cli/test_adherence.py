"""``collagen-coach adherence``: planned vs done per week, streaks and habit strength.

A plan is saved with the CLI, sessions are logged through the journal services in a separate
process, and the figures are read back as a user reads them. On SQLite by default, on a fresh
PostgreSQL database of its own when DATABASE_URL names one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from web.processes import run_cli, run_python

pytestmark = [pytest.mark.postgres]

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=7)
PAST_DAYS = [START + dt.timedelta(days=n) for n in range(7)]  # every day planned, up to today
DONE = PAST_DAYS[-3:]  # the last three days before today
STOPPED_EARLY = PAST_DAYS[2]  # a partial session is not a session done

LOG_SESSIONS = """
import datetime as dt, os, sys
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import terminal_client
from collagen_coach.web.journal import services
client = terminal_client(os.environ.get("COLLAGEN_COACH_USER"))
for day in sys.argv[1].split(","):
    log = services.start_session_log(client, dt.date.fromisoformat(day))
    services.finish_session_log(log, pain=False, redness=False)
log = services.start_session_log(client, dt.date.fromisoformat(sys.argv[2]))
services.record_step(log, 0, 30)
services.abandon_session_log(log)
"""


@pytest.fixture
def history(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    """A daily plan started a week ago; the last three days done, one stopped early."""
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {"age": 55, "minutes_per_day": 3, "days_per_week": 7, "start_date": START.isoformat()}
        )
    )
    made = run_cli("plan", str(profile), env=env)
    assert made.returncode == 0, made.stderr
    logged = run_python(
        LOG_SESSIONS, env, ",".join(d.isoformat() for d in DONE), STOPPED_EARLY.isoformat()
    )
    assert logged.returncode == 0, logged.stderr
    return env


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def expected_weeks() -> list[dict[str, object]]:
    """Give one row per week (Monday to Sunday) from the plan's first week to today's."""
    planned = Counter(monday(day) for day in PAST_DAYS)
    done = Counter(monday(day) for day in DONE)
    weeks = []
    week = monday(START)
    while week <= TODAY:
        weeks.append(
            {
                "week_start": week.isoformat(),
                "planned": planned[week],
                "done": done[week],
                "extra": 0,
                "percent": pytest.approx(100 * done[week] / planned[week])
                if planned[week]
                else None,
            }
        )
        week += dt.timedelta(days=7)
    return weeks


def test_json_counts_sessions_done_against_the_plan_up_to_today(history: dict[str, str]) -> None:
    shown = run_cli("adherence", "--json", env=history)
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    assert seen["today"] == TODAY.isoformat()
    assert (seen["planned"], seen["done"], seen["extra"]) == (7, 3, 0)
    assert seen["percent"] == pytest.approx(100 * 3 / 7)
    assert (seen["current_streak"], seen["longest_streak"]) == (3, 3)
    # Four planned days missed leave h at 0, then three done: 0.1, 0.19, 0.271 (README formula).
    assert seen["habit_strength"] == pytest.approx(27.1)
    assert seen["today_pending"] is True
    assert seen["weeks"] == expected_weeks()


def test_the_summary_reads_as_a_sentence(history: dict[str, str]) -> None:
    shown = run_cli("adherence", env=history)
    assert shown.returncode == 0, shown.stderr
    assert (
        "Overall 43 % (3 of 7 planned sessions) · current streak 3 · longest 3 · "
        "habit strength 27/100"
    ) in shown.stdout
    assert "Today's session is still to do: collagen-coach session" in shown.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--date", "2026-02-30"],
            "--date: '2026-02-30' is not a date (allowed: YYYY-MM-DD)",
            id="not-a-date",
        ),
        pytest.param(
            [],
            "plan: there is no current plan (allowed: make one: collagen-coach plan FILE)",
            id="no-plan",
        ),
    ],
)
def test_bad_input_or_no_plan_is_one_line_and_exit_2(
    env: dict[str, str], args: list[str], message: str
) -> None:
    shown = run_cli("adherence", *args, env=env)
    assert (shown.returncode, shown.stdout) == (2, "")
    assert shown.stderr == f"collagen-coach: {message}\n"
