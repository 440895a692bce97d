"""``collagen-coach progress``: verdicts beyond measurement noise, from a CSV or the journal.

Run as a user runs it, in a separate process against a fresh data folder: a researcher's CSV,
bad CSV rows, a stored journal with a split-face plan, and the demo's journal.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from web.processes import embedded_env, run_cli, run_python

ISSUE_KEYS = {"metric", "zone", "side", "n", "mdc", "slope_per_week", "change", "verdict", "reason"}
# A fixed, small day-to-day wobble, so that the verdicts below do not depend on a random draw.
WOBBLE = [0.0, 0.4, -0.3, 0.2, -0.4, 0.3, -0.1, 0.4, -0.2, 0.1, -0.3, 0.2, 0.0, -0.4, 0.3]
START = dt.date(2026, 1, 5)
DAYS = [START + dt.timedelta(days=d) for d in (0, 2, 4)] + [
    START + dt.timedelta(days=7 * week) for week in range(1, 13)
]


def split_face_csv(path: Path) -> Path:
    """Wrinkle index of both cheeks: the left falls steadily by 4 units over 12 weeks (about
    five times its noise), the right only wobbles."""
    lines = ["date,metric,value,zone,side,phase,algorithm"]
    for i, day in enumerate(DAYS):
        phase = "baseline" if i < 3 else "treatment"
        drop = 4.0 * max(i - 2, 0) / 12
        for side, value in (("left", 20 - drop + WOBBLE[i]), ("right", 20 + WOBBLE[-1 - i])):
            lines.append(f"{day},wrinkle_index,{value:.2f},cheeks,{side},{phase},skin@1")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_gives_the_issue_json_per_series_and_for_the_split_face_difference(
    tmp_path: Path, env: dict[str, str]
) -> None:
    csv_file = split_face_csv(tmp_path / "cheeks.csv")
    shown = run_cli(
        "progress", "--from-csv", str(csv_file), "--treated-side", "left", "--json", env=env
    )
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    left, right = seen["series"]
    assert set(left) >= ISSUE_KEYS
    assert (left["side"], left["n"], left["verdict"]) == (
        "left",
        15,
        "improving",
    )  # lower is better
    assert left["change"][2] < 0 < left["mdc"] < -left["change"][1]
    assert (right["side"], right["verdict"]) == ("right", "no_change_detected")
    [split] = seen["split_face"]
    assert set(split) >= ISSUE_KEYS
    assert (split["side"], split["n"], split["verdict"]) == ("treated-untreated", 15, "improving")


def test_csv_plain_text_shows_a_table_and_the_caveats(tmp_path: Path, env: dict[str, str]) -> None:
    csv_file = split_face_csv(tmp_path / "cheeks.csv")
    shown = run_cli("progress", "--from-csv", str(csv_file), "--treated-side", "right", env=env)
    assert shown.returncode == 0, shown.stderr
    text = " ".join(shown.stdout.split())
    # The concerns first, the per-series detail after.
    concern = "Fine lines: better than at your baseline, beyond your usual day-to-day variation."
    table = "Every measurement: change beyond its own noise"
    assert text.index(concern) < text.index(table)
    assert "Glow: not measured yet." in text
    assert "Split-face: right (massaged) minus the other side" in text
    assert "improving" in text
    assert "no change detected" in text
    assert "not that massage caused it" in text


def test_csv_with_two_algorithm_versions_analyses_the_newer_only(
    tmp_path: Path, env: dict[str, str]
) -> None:
    versions = ["skin@1"] * 3 + ["skin@2"] * 2
    lines = ["date,metric,value,algorithm"] + [
        f"{day},radiance,60,{version}" for day, version in zip(DAYS, versions, strict=False)
    ]
    csv_file = tmp_path / "versions.csv"
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = run_cli("progress", "--from-csv", str(csv_file), "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    assert seen["series"][0]["n"] == 2
    assert any("3 measurements by skin@1 left out" in note for note in seen["notes"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "date,metric,value\n2026-02-30,glow,5\n",
            "bad.csv line 2, date: '2026-02-30' is not a date (allowed: YYYY-MM-DD)",
            id="bad-date",
        ),
        pytest.param(
            "date,metric,value\n2026-01-05,glow,5\n2026-01-06,glow,five\n",
            "bad.csv line 3, value: 'five' is not a number (allowed: e.g. 0.71 or -1.5)",
            id="bad-value",
        ),
        pytest.param(
            "date,metric,value,phase\n2026-01-05,glow,5,before\n",
            "bad.csv line 2, phase: 'before' is not a phase "
            "(allowed: baseline, treatment, off or empty)",
            id="bad-phase",
        ),
        pytest.param(
            "date,metric,value,side\n2026-01-05,glow,5,middle\n",
            "bad.csv line 2, side: 'middle' is not a side (allowed: left, right, both or empty)",
            id="bad-side",
        ),
        pytest.param(
            "date,metric,value\n2026-01-05,,5\n",
            "bad.csv line 2, metric: is empty "
            "(allowed: a name of 1–100 characters, e.g. wrinkle_index)",
            id="empty-metric",
        ),
        pytest.param(
            "date,metric,value,mood\n2026-01-05,glow,5,happy\n",
            "bad.csv line 1: unknown column 'mood' "
            "(allowed: date,metric,value[,zone,side,phase,algorithm,unit])",
            id="unknown-column",
        ),
        pytest.param(
            "date,value\n2026-01-05,5\n",
            "bad.csv line 1: the header lacks the column 'metric' "
            "(allowed: date,metric,value[,zone,side,phase,algorithm,unit])",
            id="missing-column",
        ),
        pytest.param(
            "date,metric,value\n2026-01-05,glow\n",
            "bad.csv line 2: has 2 fields but the header has 3 (allowed: date,metric,value)",
            id="short-row",
        ),
        pytest.param(
            "",
            "bad.csv: is empty (allowed: a header line "
            "date,metric,value[,zone,side,phase,algorithm,unit], then one row a line)",
            id="empty",
        ),
    ],
)
def test_a_bad_csv_row_is_one_line_and_exit_2(
    tmp_path: Path, env: dict[str, str], content: str, message: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    shown = run_cli("progress", "--from-csv", str(bad), "--json", env=env)
    assert (shown.returncode, shown.stdout) == (2, "")
    assert shown.stderr == f"collagen-coach: {message}\n"


def test_a_missing_file_or_a_bad_side_is_one_line_and_exit_2(
    tmp_path: Path, env: dict[str, str]
) -> None:
    missing = run_cli("progress", "--from-csv", str(tmp_path / "nope.csv"), env=env)
    assert (missing.returncode, missing.stderr) == (
        2,
        f"collagen-coach: {tmp_path / 'nope.csv'}: file not found\n",
    )
    side = run_cli("progress", "--treated-side", "middle", env=env)
    assert (side.returncode, side.stderr) == (
        2,
        "collagen-coach: --treated-side: 'middle' is not a side (allowed: left, right)\n",
    )


TODAY = dt.date.today()
PLAN_START = TODAY - dt.timedelta(days=84)  # twelve weeks ago

FILL_JOURNAL = """
import datetime as dt, os, sys
from pathlib import Path
from collagen_coach.web.store import open_store
open_store()
from collagen_coach.web.clients.services import terminal_client
from collagen_coach.web.journal import services
from collagen_coach.web.journal.readings import import_readings
client = terminal_client(os.environ.get("COLLAGEN_COACH_USER"))
start = dt.date.fromisoformat(sys.argv[1])
wobble = [0, 1, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0, 0, 1]
days = [start - dt.timedelta(days=d) for d in (6, 4, 2)]
days += [start + dt.timedelta(days=7 * w) for w in range(1, 13)]
lines = ["date,instrument,parameter,zone,side,value,unit"]
for i, day in enumerate(days):
    week = max(i - 2, 0)
    services.rate(client, day, firmness=min(10, 4 + week // 2 + wobble[i] % 2), elasticity=5,
                  fine_lines=6 - wobble[i] % 2, glow=5 + wobble[i], sagging=6)
    gain = 0.06 * week / 12
    for side, value in (("left", 0.70 + gain), ("right", 0.70)):
        for repeat in (-0.01, 0.0, 0.01):
            shown = value + repeat + 0.005 * wobble[i]
            lines.append(f"{day},cutometer,R2,cheeks,{side},{shown:.4f},ratio")
for week in range(12):  # 1, 2, 3, 4, 1, 2 … sessions a week
    for extra in range(week % 4 + 1):
        log = services.start_session_log(client, start + dt.timedelta(days=7 * week + extra))
        services.finish_session_log(log, pain=False, redness=False)
csv = Path(sys.argv[2])
csv.write_text(chr(10).join(lines) + chr(10))
import_readings(client, csv)
"""


@pytest.mark.postgres
def test_the_stored_journal_gives_verdicts_split_face_and_adherence(
    tmp_path: Path, env: dict[str, str]
) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "age": 58,
                "minutes_per_day": 3,
                "days_per_week": 7,
                "start_date": PLAN_START.isoformat(),
                "treated_side": "left",
            }
        )
    )
    made = run_cli("plan", str(profile), env=env)
    assert made.returncode == 0, made.stderr
    filled = run_python(FILL_JOURNAL, env, PLAN_START.isoformat(), str(tmp_path / "r2.csv"))
    assert filled.returncode == 0, filled.stderr

    shown = run_cli("progress", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    by_name = {(s["metric"], s["side"]): s for s in seen["series"]}
    firmness = by_name[("firmness", None)]
    assert (firmness["baseline_n"], firmness["n"], firmness["unit"]) == (3, 15, "points")
    assert firmness["verdict"] == "improving", firmness["reason"]
    assert by_name[("sagging", None)]["verdict"] == "no_change_detected"
    left = by_name[("cutometer:R2", "left")]
    assert (left["n"], left["baseline_n"], left["verdict"]) == (45, 9, "improving")
    assert by_name[("cutometer:R2", "right")]["verdict"] == "no_change_detected"
    [split] = seen["split_face"]  # treated side from the plan's profile
    assert (split["metric"], split["side"], split["verdict"]) == (
        "cutometer:R2",
        "treated-untreated",
        "improving",
    )
    assert seen["adherence_response"] is not None
    assert seen["adherence_response"]["weeks"] >= 6


def test_the_demo_journal_reaches_verdicts_after_its_baseline_week(tmp_path: Path) -> None:
    demo_home = tmp_path / "demo"
    env = embedded_env(tmp_path / "unused")
    made = run_cli("demo", "--home", str(demo_home), "--no-serve", env=env)
    assert made.returncode == 0, made.stderr
    env["COLLAGEN_COACH_HOME"] = str(demo_home)
    shown = run_cli("progress", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    seen = json.loads(shown.stdout)
    verdicts = {(s["metric"], s["zone"], s["side"]): s["verdict"] for s in seen["series"]}
    # The trends put into the made-up ratings (demo_photos/PROVENANCE.md), and level readings.
    assert verdicts[("firmness", None, None)] == "improving"
    assert verdicts[("glow", None, None)] == "improving"
    assert verdicts[("sagging", None, None)] == "no_change_detected"
    assert verdicts[("cutometer:R2", "cheeks", "left")] == "no_change_detected"
    assert verdicts[("cutometer:R2", "cheeks", "right")] == "no_change_detected"
    assert "not_enough_data" not in verdicts.values()
    cutometer = next(s for s in seen["series"] if s["metric"] == "cutometer:R2")
    assert cutometer["n"] == 39  # three baseline days and ten weeks, three repeats each
    # The plan's split-face trial: the left side minus the right, per measure.
    assert seen["split_face"]
    assert {s["side"] for s in seen["split_face"]} == {"treated-untreated"}


STORE_IMPOSSIBLE = """
import datetime as dt
from collagen_coach.web.store import open_store
open_store()
import os
from collagen_coach.web.clients.services import terminal_client
from collagen_coach.web.journal.models import InstrumentReading
client = terminal_client(os.environ.get("COLLAGEN_COACH_USER"))
day = dt.date.today() - dt.timedelta(days=3)
for repeat, (when, value) in enumerate(((day, 1e200), (day, 0.5), (dt.date(1, 1, 1), 0.6))):
    InstrumentReading.objects.create(client=client, date=when, instrument="cutometer",
        parameter="R2", zone="cheeks", side="left", value=value, source="typed in",
        repeat=repeat + 1)
"""


@pytest.mark.postgres
def test_progress_and_report_survive_impossible_stored_readings(
    tmp_path: Path, env: dict[str, str]
) -> None:
    stored = run_python(STORE_IMPOSSIBLE, env)
    assert stored.returncode == 0, stored.stderr

    shown = run_cli("progress", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert any("2 stored measurements left out" in n for n in json.loads(shown.stdout)["notes"])
    out = tmp_path / "report.html"
    made = run_cli("report", "--out", str(out), env=env)
    assert made.returncode == 0, made.stderr
    assert "2 stored measurements left out" in out.read_text(encoding="utf-8")


def test_an_exploratory_measure_is_marked_and_given_no_verdict(
    tmp_path: Path, env: dict[str, str]
) -> None:
    lines = ["date,metric,value,zone,side,phase"]
    for i, day in enumerate(DAYS):
        phase = "baseline" if i < 3 else "treatment"
        value = 2.0 + 1.5 * max(i - 2, 0) / 12 + WOBBLE[i] / 20
        lines.append(f"{day},line_length_cm_per_cm2,{value:.3f},cheeks,left,{phase}")
    csv_file = tmp_path / "lines.csv"
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = run_cli("progress", "--from-csv", str(csv_file), "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    [series] = json.loads(shown.stdout)["series"]
    assert (series["verdict"], series["exploratory"]) == ("exploratory", True)
    assert series["change"][1] > 1.0
