"""``collagen-coach calendar``: the planned sessions as an .ics file any calendar app imports.

Run as a user runs it, in a real process; on SQLite by default, on a fresh PostgreSQL database of
its own when DATABASE_URL names one.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from pathlib import Path

import icalendar
import pytest

from web.processes import run_cli

pytestmark = [pytest.mark.postgres]

PROFILE = {
    "age": 61,
    "concerns": ["dullness"],
    "minutes_per_day": 5,
    "days_per_week": 3,
    "start_date": dt.date.today().isoformat(),
    "weeks": 4,
}


@pytest.fixture
def planned_days(tmp_path: Path, env: dict[str, str]) -> list[dt.date]:
    """Save a plan of 3 sessions a week for 4 weeks; give its session days."""
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps(PROFILE))
    made = run_cli("plan", str(profile), "--json", env=env)
    assert made.returncode == 0, made.stderr
    return [dt.date.fromisoformat(s["date"]) for s in json.loads(made.stdout)["sessions"]]


def test_without_a_plan_there_is_nothing_to_export(tmp_path: Path, env: dict[str, str]) -> None:
    out = tmp_path / "plan.ics"
    done = run_cli("calendar", "--out", str(out), env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "collagen-coach: plan: there is no current plan "
        "(allowed: make one: collagen-coach plan FILE)\n"
    )
    assert not out.exists()


def test_every_planned_session_becomes_an_event_at_local_time_with_a_reminder(
    tmp_path: Path, env: dict[str, str], planned_days: list[dt.date]
) -> None:
    out = tmp_path / "plan.ics"
    options = ["--out", str(out), "--at", "07:30", "--reminder", "10", "--json"]
    # No --tz: the computer's own time zone, here New York's.
    done = run_cli("calendar", *options, env={**env, "TZ": "America/New_York"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"file": str(out), "events": 12}

    events = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # Aware datetimes compare as instants: 07:30 in New York, not 07:30 UTC.
    assert [event.decoded("DTSTART") for event in events] == [
        dt.datetime.combine(day, dt.time(7, 30), new_york) for day in planned_days
    ]
    for event in events:
        [alarm] = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == dt.timedelta(minutes=-10)


BAD_OPTIONS = [
    pytest.param(
        ["--at", "25:00"],
        "--at: '25:00' is not a clock time (allowed: HH:MM, e.g. 08:30)",
        id="hour-25",
    ),
    pytest.param(
        ["--reminder", "5000"],
        "--reminder: 5000 is out of range (allowed: 0 to 1440 minutes)",
        id="reminder-over-a-day",
    ),
    pytest.param(
        ["--tz", "Mars/Base"],
        "--tz: unknown time zone 'Mars/Base' "
        "(allowed: an IANA time zone name such as Europe/Berlin)",
        id="unknown-time-zone",
    ),
    pytest.param(
        ["--out", "{tmp}/plan.txt"],
        "--out: 'plan.txt' does not end in .ics (allowed: a file name ending in .ics)",
        id="not-ics",
    ),
    pytest.param(
        ["--out", "{tmp}/nowhere/plan.ics"],
        "--out: folder '{tmp}/nowhere' does not exist (allowed: an existing folder)",
        id="missing-folder",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD_OPTIONS)
def test_a_bad_option_is_one_line_exit_2_and_nothing_is_written(
    tmp_path: Path, env: dict[str, str], args: list[str], message: str
) -> None:
    options = ["--out", str(tmp_path / "plan.ics"), *(a.format(tmp=tmp_path) for a in args)]
    done = run_cli("calendar", *options, env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"collagen-coach: {message.format(tmp=tmp_path)}\n"
    assert list(tmp_path.rglob("*plan.*")) == []
    # Options are checked before the store is opened: not even the data folder is made.
    assert not Path(env["COLLAGEN_COACH_HOME"]).exists()
