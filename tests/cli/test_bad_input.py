"""Bad input to any command: one line on stderr naming the field, exit code 2, nothing written.

Each row is input the API refuses or input that used to crash a command (a date in year 9999,
JSON nested 100,000 deep, a NUL character). The rows run in one fresh process with its own data
folder; afterwards the journal, the intakes and the plans are still empty.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from web.processes import embedded_env, run_python

TODAY = dt.date.today()
DEEP_LIST = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a": ' * 100_000 + "1" + "}" * 100_000
BOTOX = {"kind": "botulinum_toxin", "zones": ["forehead"]}
READINGS_HEADER = "date,instrument,parameter,zone,side,value,unit\n"
RATING = ["--firmness", "6", "--elasticity", "5", "--fine-lines", "4", "--glow", "7"]
RATING += ["--sagging", "3"]


def _file(name: str, text: str) -> dict[str, str]:
    return {"name": name, "text": text}


def _measurements(month: str) -> str:
    """Give a progress CSV of 28 daily firmness ratings in ``month`` (YYYY-MM)."""
    return "date,metric,value\n" + "".join(
        f"{month}-{d:02d},firmness,{d % 10}\n" for d in range(1, 29)
    )


def _profile(**fields: Any) -> str:
    return json.dumps({"age": 58, "start_date": TODAY.isoformat(), **fields})


# (id, argv with {file} standing for the written file, the file, what the line must say)
CASES: list[tuple[str, list[str], dict[str, str] | None, str]] = [
    (
        "screen-as-of-9999",
        ["screen", "{file}"],
        _file("i.json", '{"age": 58, "as_of": "9999-12-31"}'),
        "as_of: 9999-12-31 is in the future",
    ),
    (
        "screen-as-of-0001",
        ["screen", "{file}"],
        _file("i.json", '{"age": 58, "as_of": "0001-01-01"}'),
        "as_of: 0001-01-01 is out of range",
    ),
    (
        "screen-procedure-0001",
        ["screen", "{file}"],
        _file(
            "i.json",
            json.dumps({"age": 58, "procedures": [{**BOTOX, "date": "0001-01-01"}]}),
        ),
        "procedures[0].date: 0001-01-01 is out of range",
    ),
    (
        "screen-procedure-9999",
        ["screen", "{file}"],
        _file(
            "i.json",
            json.dumps(
                {"age": 58, "as_of": "9999-12-31", "procedures": [{**BOTOX, "date": "9999-12-30"}]}
            ),
        ),
        "as_of: 9999-12-31 is in the future",
    ),
    (
        "screen-deep-list",
        ["screen", "{file}"],
        _file("i.json", DEEP_LIST),
        "is nested 100000 levels deep",
    ),
    (
        "screen-deep-object",
        ["screen", "{file}"],
        _file("i.json", DEEP_OBJECT),
        "is nested 100000 levels deep",
    ),
    (
        "screen-5000-digit-age",
        ["screen", "{file}"],
        _file("i.json", '{"age": ' + "9" * 5000 + "}"),
        "not valid JSON",
    ),
    (
        "screen-nul-in-an-id",
        ["screen", "{file}"],
        _file("i.json", '{"age": 58, "conditions": ["\\u0000"]}'),
        "conditions[0]: contains a NUL character",
    ),
    (
        "screen-infinite-age",
        ["screen", "{file}"],
        _file("i.json", '{"age": 1e400}'),
        "age: must be a whole number",
    ),
    (
        "plan-start-0001",
        ["plan", "{file}"],
        _file("p.json", _profile(start_date="0001-01-01")),
        "start_date: 0001-01-01 is too far off",
    ),
    (
        "plan-start-2999",
        ["plan", "{file}"],
        _file("p.json", _profile(start_date="2999-01-01")),
        "start_date: 2999-01-01 is too far off",
    ),
    (
        "plan-start-9999",
        ["plan", "{file}"],
        _file("p.json", _profile(start_date="9999-12-31")),
        "start_date: 9999-12-31 is too far off",
    ),
    (
        "plan-dry-run-start-9999",
        ["plan", "--dry-run", "{file}"],
        _file("p.json", _profile(start_date="9999-12-31")),
        "start_date: 9999-12-31 is too far off",
    ),
    (
        "plan-intake-as-of-9999",
        ["plan", "{file}"],
        _file("p.json", _profile(intake={"age": 58, "as_of": "9999-12-31"})),
        "intake.as_of: 9999-12-31 is in the future",
    ),
    ("plan-deep", ["plan", "{file}"], _file("p.json", DEEP_LIST), "is nested 100000 levels deep"),
    ("plan-weeks-1e308", ["plan", "{file}"], _file("p.json", _profile(weeks=1e308)), "weeks:"),
    (
        "plan-start-timestamp",
        ["plan", "{file}"],
        _file("p.json", _profile(start_date=10**20)),
        "start_date:",
    ),
    (
        "peptides-date-9999",
        ["log", "peptides", "--grams", "5", "--date", "9999-12-31"],
        None,
        "date: 9999-12-31 is in the future",
    ),
    (
        "peptides-date-0001",
        ["log", "peptides", "--grams", "5", "--date", "0001-01-01"],
        None,
        "date: 0001-01-01 is out of range",
    ),
    (
        "peptides-grams-nan",
        ["log", "peptides", "--grams", "nan"],
        None,
        "grams: 'nan' is not a number",
    ),
    (
        "peptides-grams-1e400",
        ["log", "peptides", "--grams", "1e400"],
        None,
        "grams: 1e400 is out of range",
    ),
    (
        "peptides-product-nul",
        ["log", "peptides", "--grams", "5", "--product", "Veri\x00sol"],
        None,
        "product: contains a NUL character",
    ),
    (
        "rating-30-digit-score",
        ["log", "rating", *RATING[:-2], "--sagging", "9" * 30],
        None,
        "sagging: " + "9" * 30 + " is out of range",
    ),
    (
        "rating-note-nul",
        ["log", "rating", *RATING, "--note", "soft\x00er"],
        None,
        "note: contains a NUL character",
    ),
    (
        "rating-date-9999",
        ["log", "rating", *RATING, "--date", "9999-12-31"],
        None,
        "date: 9999-12-31 is in the future",
    ),
    (
        "readings-date-9999",
        ["import", "readings", "{file}"],
        _file("r.csv", READINGS_HEADER + "9999-12-31,cutometer,R2,cheeks,left,0.7,\n"),
        "r.csv line 2, date: 9999-12-31 is in the future",
    ),
    (
        "readings-date-0001",
        ["import", "readings", "{file}"],
        _file("r.csv", READINGS_HEADER + "0001-01-01,cutometer,R2,cheeks,left,0.7,\n"),
        "r.csv line 2, date: 0001-01-01 is out of range",
    ),
    (
        "readings-value-1e400",
        ["import", "readings", "{file}"],
        _file("r.csv", READINGS_HEADER + f"{TODAY},cutometer,R2,cheeks,left,1e400,\n"),
        "value: '1e400' is not a number",
    ),
    (
        "readings-nul-in-a-unit",
        ["import", "readings", "{file}"],
        _file("r.csv", READINGS_HEADER + f"{TODAY},cutometer,R2,cheeks,left,0.7,ra\x00tio\n"),
        "r.csv line 2: contains a NUL character",
    ),
    (
        "readings-long-field",
        ["import", "readings", "{file}"],
        _file("r.csv", READINGS_HEADER + "x" * 200_000 + "\n"),
        "is not valid CSV",
    ),
    (
        "progress-csv-date-0001",
        ["progress", "--from-csv", "{file}"],
        _file("m.csv", _measurements("0001-01")),
        "m.csv line 2, date: 0001-01-01 is out of range",
    ),
    (
        "progress-csv-date-9999",
        ["progress", "--from-csv", "{file}"],
        _file("m.csv", _measurements("9999-12")),
        "m.csv line 2, date: 9999-12-01 is in the future",
    ),
    (
        "report-csv-date-0001",
        ["report", "--out", "{dir}/report.html", "--from-csv", "{file}"],
        _file("m.csv", _measurements("0001-01")),
        "m.csv line 2, date: 0001-01-01 is out of range",
    ),
    (
        "adherence-date-9999",
        ["adherence", "--date", "9999-12-31"],
        None,
        "--date: 9999-12-31 is in the future",
    ),
    (
        "adherence-date-0001",
        ["adherence", "--date", "0001-01-01"],
        None,
        "--date: 0001-01-01 is out of range",
    ),
    (
        "session-date-0001",
        ["session", "--date", "0001-01-01"],
        None,
        "--date: 0001-01-01 is out of range",
    ),
    (
        "session-date-9999",
        ["session", "--date", "9999-12-31"],
        None,
        "--date: 9999-12-31 is in the future",
    ),
    (
        "journal-30-digit-days",
        ["journal", "--days", "9" * 30],
        None,
        "days: " + "9" * 30 + " is out of range",
    ),
    (
        "calendar-30-digit-reminder",
        ["calendar", "--out", "{dir}/plan.ics", "--reminder", "9" * 30],
        None,
        "--reminder:",
    ),
]

DRIVER = """
import contextlib, io, json, sys
from collagen_coach import cli
results = {}
for case in json.load(open(sys.argv[1], encoding="utf-8")):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            cli.main(case["argv"])
            code = 0
        except SystemExit as exited:
            code = exited.code
    results[case["id"]] = {"code": code, "stderr": err.getvalue()}
json.dump(results, open(sys.argv[2], "w", encoding="utf-8"))
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-input") / "home"


@pytest.fixture(scope="module")
def answers(home: Path) -> dict[str, dict[str, Any]]:
    """Run every row in one fresh process; give each row's exit code and stderr."""
    work = home.parent
    cases = []
    for case_id, argv, file, _ in CASES:
        path = ""
        if file is not None:
            target = work / case_id / file["name"]
            target.parent.mkdir()
            target.write_text(file["text"], encoding="utf-8")
            path = str(target)
        argv = [arg.replace("{file}", path).replace("{dir}", str(work)) for arg in argv]
        cases.append({"id": case_id, "argv": argv})
    (work / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    done = run_python(DRIVER, embedded_env(home), str(work / "cases.json"), str(work / "out.json"))
    assert done.returncode == 0, done.stderr
    results: dict[str, dict[str, Any]] = json.loads((work / "out.json").read_text())
    return results


@pytest.mark.parametrize(("case_id", "says"), [pytest.param(c[0], c[3], id=c[0]) for c in CASES])
def test_bad_input_is_one_line_naming_the_field_with_exit_code_2(
    answers: dict[str, dict[str, Any]], case_id: str, says: str
) -> None:
    answer = answers[case_id]
    lines = answer["stderr"].splitlines()
    assert (answer["code"], len(lines)) == (2, 1), answer["stderr"]
    assert lines[0].startswith("collagen-coach: ")
    assert says in lines[0]


def test_nothing_is_written_by_bad_input(answers: dict[str, dict[str, Any]], home: Path) -> None:
    store = home / "collagen-coach.sqlite3"
    tables = [
        "journal_peptideintake",
        "journal_selfrating",
        "journal_instrumentreading",
        "clients_intakerecord",
        "plans_storedprogram",
    ]
    if not store.exists():
        return  # no command got as far as opening the store
    with sqlite3.connect(store) as db:
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    assert counts == dict.fromkeys(tables, 0)
