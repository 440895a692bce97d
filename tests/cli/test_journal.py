"""The journal commands, run as a user runs them: a real process and a fresh data directory."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from web.processes import run_cli

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
READINGS = (
    "date,instrument,parameter,zone,side,value,unit\n"
    f"{YESTERDAY},cutometer,R2,cheeks,left,0.71,\n"
    f"{YESTERDAY},cutometer,R2,cheeks,right,0.69,\n"
)
RATING = ["--firmness", "6", "--elasticity", "5", "--fine-lines", "4", "--glow", "7"]


def _json(*args: str, env: dict[str, str]) -> object:
    done = run_cli(*args, "--json", env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_readings_peptides_and_a_rating_logged_from_the_command_line_show_in_the_journal(
    tmp_path: Path, env: dict[str, str]
) -> None:
    csv_file = tmp_path / "cutometer.csv"
    csv_file.write_text(READINGS)
    assert _json("import", "readings", str(csv_file), env=env) == {
        "file": str(csv_file),
        "added": 2,
        "duplicates": 0,
    }
    assert _json("log", "peptides", "--grams", "5", "--product", "Verisol", env=env) == {
        "date": dt.date.today().isoformat(),
        "grams": 5.0,
        "product": "Verisol",
    }
    rating = _json("log", "rating", *RATING, "--sagging", "3", "--date", f"{YESTERDAY}", env=env)
    assert rating == {
        "date": YESTERDAY.isoformat(),
        "firmness": 6,
        "elasticity": 5,
        "fine_lines": 4,
        "glow": 7,
        "sagging": 3,
        "note": "",
    }
    journal = _json("journal", "--days", "7", env=env)
    assert isinstance(journal, dict)
    assert [(e["date"], e["kind"]) for e in journal["entries"]] == [
        (dt.date.today().isoformat(), "peptides"),
        (YESTERDAY.isoformat(), "rating"),
        (YESTERDAY.isoformat(), "readings"),
    ]


def test_importing_the_same_readings_twice_says_they_were_already_there(
    tmp_path: Path, env: dict[str, str]
) -> None:
    csv_file = tmp_path / "cutometer.csv"
    csv_file.write_text(READINGS)
    first = run_cli("import", "readings", str(csv_file), env=env)
    again = run_cli("import", "readings", str(csv_file), env=env)
    assert first.stdout == "Added 2 readings from cutometer.csv.\n"
    assert again.stdout == (
        "Added 0 readings from cutometer.csv; 2 were already in your journal "
        "and were left as they were.\n"
    )


def test_the_journal_reads_as_a_table_of_days(env: dict[str, str]) -> None:
    run_cli("log", "peptides", "--grams", "2.5", env=env)
    shown = run_cli("journal", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "Your journal" in shown.stdout
    assert f"{dt.date.today():%a %d %b}" in shown.stdout
    assert "Collagen peptides: 2.5 g" in shown.stdout


def test_an_empty_journal_says_so(env: dict[str, str]) -> None:
    shown = run_cli("journal", "--days", "3", env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Nothing in your journal from ")


def _database_dump(env: dict[str, str]) -> list[str]:
    with sqlite3.connect(Path(env["COLLAGEN_COACH_HOME"]) / "collagen-coach.sqlite3") as db:
        return list(db.iterdump())


BAD_INPUT = [
    pytest.param(
        ["log", "rating", *RATING, "--sagging", "11"],
        "sagging: 11 is out of range (allowed: 0–10)",
        id="rating-out-of-range",
    ),
    pytest.param(
        ["log", "peptides", "--grams", "31"],
        "grams: 31 is out of range (allowed: more than 0 and at most 30, e.g. 2.5 or 10)",
        id="too-many-grams",
    ),
    pytest.param(
        ["log", "peptides", "--grams", "five"],
        "grams: 'five' is not a number (allowed: more than 0 and at most 30, e.g. 2.5 or 10)",
        id="grams-not-a-number",
    ),
    pytest.param(
        ["log", "peptides", "--grams", "5", "--date", "2099-01-01"],
        "date: 2099-01-01 is in the future (allowed: today or earlier)",
        id="date-in-the-future",
    ),
    pytest.param(
        ["log", "peptides", "--grams", "5", "--date", "yesterday"],
        "date: 'yesterday' is not a date (allowed: YYYY-MM-DD)",
        id="date-not-iso",
    ),
    pytest.param(
        ["import", "readings", "{tmp}/bad.csv"],
        "bad.csv line 4, zone: 'nose' is not a zone (allowed: forehead, glabella, temples, "
        "crows_feet, under_eye, cheeks, nasolabial, mouth, jawline, chin, neck)",
        id="csv-with-a-bad-row",
    ),
    pytest.param(
        ["import", "readings", "{tmp}/missing.csv"],
        "{tmp}/missing.csv: file not found",
        id="csv-missing",
    ),
    pytest.param(
        ["journal", "--days", "0"], "days: 0 is out of range (allowed: 1–36500)", id="days"
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_on_stderr_exit_2_and_changes_nothing(
    tmp_path: Path, env: dict[str, str], args: list[str], message: str
) -> None:
    (tmp_path / "bad.csv").write_text(
        READINGS.replace("right", "left") + f"{YESTERDAY},cutometer,R2,nose,left,0.7,\n"
    )
    assert run_cli("log", "peptides", "--grams", "5", env=env).returncode == 0
    before = _database_dump(env)

    done = run_cli(*(arg.format(tmp=tmp_path) for arg in args), env=env)

    assert done.returncode == 2
    assert done.stderr == f"collagen-coach: {message.format(tmp=tmp_path)}\n"
    assert done.stdout == ""
    assert _database_dump(env) == before
