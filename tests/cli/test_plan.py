"""``collagen-coach plan``, run as a user runs it: a real process and a fresh data folder.

On SQLite by default; on a fresh PostgreSQL database of its own when DATABASE_URL names one.
Also the usage errors every command shares: one line on stderr and exit code 2.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.core.words import day_in_words
from web.processes import run_cli

pytestmark = [pytest.mark.postgres]

TODAY = dt.date.today()
PROFILE = {
    "age": 58,
    "concerns": ["sagging", "fine_lines"],
    "minutes_per_day": 10,
    "days_per_week": 5,
    "wants_peptides": True,
    "start_date": TODAY.isoformat(),
    "weeks": 8,
    "intake": {"age": 58, "medications": ["anticoagulant"]},
}


def write_json(tmp_path: Path, content: Any, name: str = "profile.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def flat(text: str) -> str:
    """Give ``text`` with Rich's line wrapping undone."""
    return " ".join(text.split())


def test_a_plan_is_saved_as_the_current_plan_that_adherence_then_finds(
    tmp_path: Path, env: dict[str, str]
) -> None:
    made = run_cli("plan", str(write_json(tmp_path, PROFILE)), env=env)
    assert made.returncode == 0, made.stderr
    assert "Saved as your current plan." in made.stdout

    adherence = run_cli("adherence", "--json", env=env)
    assert adherence.returncode == 0, adherence.stderr
    seen = json.loads(adherence.stdout)
    # The plan starts today: nothing is due yet, today's session is.
    assert (seen["today"], seen["planned"], seen["today_pending"]) == (TODAY.isoformat(), 0, True)


def test_a_dry_run_shows_the_plan_and_saves_nothing(tmp_path: Path, env: dict[str, str]) -> None:
    shown = run_cli("plan", str(write_json(tmp_path, PROFILE)), "--dry-run", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "40 sessions of 10 min, 5 days a week" in shown.stdout
    assert "Saved as your current plan." not in shown.stdout
    assert not Path(env["COLLAGEN_COACH_HOME"]).exists()  # no store, so no plan in it


def test_a_trial_plan_shows_the_side_drawn_its_weeks_off_and_the_weeks_it_needs(
    tmp_path: Path, env: dict[str, str]
) -> None:
    trial = {**PROFILE, "treated_side": "draw", "schedule": "on_off"}
    shown = flat(run_cli("plan", str(write_json(tmp_path, trial)), "--dry-run", env=env).stdout)
    drawn = "left" if "The left side was drawn at random" in shown else "right"
    assert f"The {drawn} side was drawn at random on {day_in_words(TODAY, year=True)}." in shown
    assert "20 sessions of 10 min" in shown  # 4 of the 8 weeks have massage
    first_off = TODAY + dt.timedelta(weeks=2)
    assert f"Without massage: {first_off} to {first_off + dt.timedelta(days=13)}" in shown
    assert "On and off: the change that matters is a 1-point difference" in shown
    assert "Split-face: the change that matters here" in shown


def test_json_gives_a_plan_that_keeps_the_design_rules(tmp_path: Path, env: dict[str, str]) -> None:
    shown = run_cli("plan", str(write_json(tmp_path, PROFILE)), "--json", "--dry-run", env=env)
    assert shown.returncode == 0, shown.stderr
    plan = json.loads(shown.stdout)

    assert plan["refused"] is None
    assert plan["decision"]["decision"] == "modify"  # blood thinners: light pressure, no pinching
    phases = plan["phases"]
    assert [p["name"] for p in phases] == ["foundation", "build", "maintain"]
    assert phases[0]["start"] == TODAY.isoformat()
    for before, after in itertools.pairwise(phases):  # back to back: no gap, no overlap
        day_after = dt.date.fromisoformat(before["end"]) + dt.timedelta(days=1)
        assert after["start"] == day_after.isoformat()
    sessions = plan["sessions"]
    assert len(sessions) == 5 * 8
    phase_of = {p["name"]: (p["start"], p["end"]) for p in phases}
    for session in sessions:
        start, end = phase_of[session["phase"]]
        assert start <= session["date"] <= end
        minutes_s = sum(step["duration_s"] for step in session["steps"])
        assert abs(minutes_s - 10 * 60) <= 0.05 * 10 * 60, session["date"]
        assert all(step["pressure"] <= 2 for step in session["steps"]), session["date"]
        assert all(step["technique"] != "pinching" for step in session["steps"])
    assert [item["name"] for item in plan["daily"]] == ["Collagen peptides"]
    assert plan["notes"]


def test_a_refer_intake_says_why_exits_0_and_saves_no_plan(
    tmp_path: Path, env: dict[str, str]
) -> None:
    profile = {**PROFILE, "intake": {"age": 58, "conditions": ["unexplained_lump"]}}
    shown = run_cli("plan", str(write_json(tmp_path, profile)), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "No plan: please see a clinician first." in flat(shown.stdout)
    assert "lump" in shown.stdout
    assert "Saved as your current plan." not in shown.stdout
    assert not Path(env["COLLAGEN_COACH_HOME"]).exists()  # no store, so no plan in it


BAD_PROFILES = [
    pytest.param(
        {**PROFILE, "schedule": "on_off", "weeks": 6},
        "profile: an on/off plan needs at least 8 weeks: 2 blocks of 2 weeks with massage and 2 "
        "without",
        id="on-off-too-short",
    ),
    pytest.param(
        '{"age": 58, "start_date": ',
        "{file}: not valid JSON (line 1, column 27: Expecting value)",
        id="malformed-json",
    ),
    pytest.param(
        {**PROFILE, "concerns": ["wrinkles"]},
        "concerns[0]: 'wrinkles': input should be 'sagging', 'fine_lines', 'dullness', "
        "'low_elasticity' or 'puffiness'",
        id="unknown-concern",
    ),
    pytest.param(None, "{file}: file not found", id="missing-file"),
]


@pytest.mark.parametrize(("content", "message"), BAD_PROFILES)
def test_a_bad_profile_is_one_line_exit_2_and_writes_nothing(
    tmp_path: Path, env: dict[str, str], content: Any, message: str
) -> None:
    path = tmp_path / "profile.json" if content is None else write_json(tmp_path, content)

    done = run_cli("plan", str(path), env=env)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"collagen-coach: {message.format(file=path)}\n"
    # Not even the data folder is made: the profile is refused before the store is opened.
    assert not Path(env["COLLAGEN_COACH_HOME"]).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["plan"], "Missing argument 'profile_file'.", id="plan-without-a-file"),
        pytest.param(
            ["log", "rating", "--firmness", "x"],
            "Invalid value for '--firmness'",
            id="firmness-not-a-number",
        ),
        pytest.param(["frobnicate"], "No such command 'frobnicate'.", id="unknown-command"),
    ],
)
def test_a_usage_error_is_one_line_on_stderr_and_exit_2(
    env: dict[str, str], args: list[str], message: str
) -> None:
    done = run_cli(*args, env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert len(done.stderr.splitlines()) == 1
    assert done.stderr.startswith(f"collagen-coach: {message}")
    assert done.stderr.endswith("(see --help)\n")
    assert not Path(env["COLLAGEN_COACH_HOME"]).exists()
