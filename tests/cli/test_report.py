"""``collagen-coach report``: the progress report as HTML or PDF, from the journal or a CSV file,
run as a user runs it, in a real process, against the demo's data folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import collagen_coach
from web.processes import embedded_env, run_cli

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a demo self-carer with ten weeks of history (made once)."""
    home = tmp_path_factory.mktemp("demo") / "home"
    env = embedded_env(home)
    made = run_cli("demo", "--home", str(home), "--no-serve", env=env)
    assert made.returncode == 0, made.stderr
    return env


def write_series_csv(path: Path) -> Path:
    """Nine weeks of a split-face trial: three baseline days, then the left cheek rises."""
    lines = ["date,metric,value,zone,side,phase"]
    start = dt.date(2026, 1, 5)
    for index, offset in enumerate([0, 2, 4, *range(7, 63, 4)]):
        day = start + dt.timedelta(days=offset)
        phase = "baseline" if offset < 7 else "treatment"
        wobble = (-0.3, 0.2, 0.0, 0.3, -0.2)[index % 5]
        rise = 0.4 * max(0, offset - 7) / 7
        lines.append(f"{day},radiance,{60 + rise + wobble:.2f},cheeks,left,{phase}")
        lines.append(f"{day},radiance,{60 - wobble:.2f},cheeks,right,{phase}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pdf_text(pdf: Path) -> str:
    """Give the PDF's text, or skip when pdftotext is missing (but never under CI)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing; CI must have it")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def test_html_report_from_the_demo_journal(tmp_path: Path, demo_env: dict[str, str]) -> None:
    out = tmp_path / "report.html"
    done = run_cli("report", "--out", str(out), "--json", env=demo_env)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert (answer["file"], answer["format"]) == (str(out), "html")
    assert answer["series"] == sum(answer["verdicts"].values()) > 0
    page = out.read_text(encoding="utf-8")
    assert "What your measurements show" in page
    assert "planned sessions" in page
    assert "Cutometer R2, cheeks, left side" in page


def test_pdf_report_from_the_demo_journal(tmp_path: Path, demo_env: dict[str, str]) -> None:
    out = tmp_path / "report.pdf"
    # The demo's ten weeks hold 191 measures: the ratings and readings are charted, the 184 photo
    # measures are one table, so a person at ten weeks gets a handful of pages, photos included.
    photos = Path(collagen_coach.__file__).parent / "web" / "demo_photos"
    pair = ("--before", str(photos / "baseline-1.jpg"), "--after", str(photos / "week-9.jpg"))
    done = run_cli("report", "--out", str(out), *pair, env=demo_env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote your progress report to {out}.")
    # The terminal says what the report's first page says: one verdict per concern first.
    said = " ".join(done.stdout.split())
    assert "Firmness: better than at your baseline, by your own rating alone" in said
    assert said.index("Evenness:") < said.index("Each measurement on its own: Of 191 measures")
    assert "167 no change detected, 22 exploratory" in said  # the same count as the report's
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf_text(out)
    assert "What your measurements show" in text
    assert "Is it working? One answer for each thing you may care about" in text
    assert "Firmness Better Better than at your baseline, by your own rating alone." in text
    assert "Before: baseline-1.jpg" in text
    assert "How we judge Each concern gets one verdict." in text
    assert (
        "Of 191 measures: 2 improving, 167 no change detected, 22 exploratory (not yet repeatable "
        "enough to judge)." in " ".join(text.split())
    )
    assert "Glow (your rating): improving" in " ".join(text.split())
    assert "Photo measures, zone by zone" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines() if "Pages:" in line))
    assert 2 <= pages <= 7  # 7 since the exploratory measures are listed and explained
    assert "WARNING" not in done.stderr
    assert "Ignored" not in done.stderr


def test_report_from_a_csv_shows_the_split_face_trial(tmp_path: Path) -> None:
    csv_file = write_series_csv(tmp_path / "radiance.csv")
    out = tmp_path / "report.html"
    env = embedded_env(tmp_path / "home")
    done = run_cli(
        "report", "--out", str(out), "--from-csv", str(csv_file), "--treated-side", "left",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = " ".join(out.read_text(encoding="utf-8").split())
    assert "the file radiance.csv" in page
    assert "You massaged your left side only" in page
    assert "Radiance, cheeks: massaged side minus the other" in page
    assert not (tmp_path / "home").exists()  # a CSV report needs no journal


def test_photos_that_cannot_be_compared_are_refused_in_the_report(
    tmp_path: Path, demo_env: dict[str, str]
) -> None:
    out = tmp_path / "report.html"
    done = run_cli(
        "report", "--out", str(out), "--json",
        "--before", str(FACES / "obama.jpg"), "--after", str(FACES / "two_people.jpg"),
        env=demo_env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["photos"] == "refused"
    page = out.read_text(encoding="utf-8")
    assert "These two photos cannot be compared fairly" in page
    assert "data:image/jpeg" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--out", "{dir}/report.txt"],
            "--out: 'report.txt' does not end in .pdf or .html "
            "(allowed: a file name ending in .pdf or .html)",
            id="unknown-suffix",
        ),
        pytest.param(
            ["--out", "{dir}/missing/report.pdf"],
            "--out: folder '{dir}/missing' does not exist (allowed: an existing folder)",
            id="missing-folder",
        ),
        pytest.param(
            ["--out", "{dir}/report.pdf", "--before", "{faces}/obama.jpg"],
            "--after: is missing (allowed: --before PHOTO and --after PHOTO together)",
            id="before-without-after",
        ),
        pytest.param(
            ["--out", "{dir}/report.html", "--from-csv", "{dir}/none.csv"],
            "--from-csv: file '{dir}/none.csv' not found (allowed: the path of a file)",
            id="missing-csv",
        ),
        pytest.param(
            ["--out", "{dir}/report.html", "--treated-side", "both"],
            "--treated-side: 'both' is not a side (allowed: left, right)",
            id="bad-side",
        ),
    ],
)
def test_bad_options_are_one_line_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    env = embedded_env(tmp_path / "home")
    filled = [a.format(dir=tmp_path, faces=FACES) for a in args]
    done = run_cli("report", *filled, env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"collagen-coach: {message.format(dir=tmp_path)}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_bad_csv_row_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("date,metric,value\n2026-01-05,glow,bright\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    done = run_cli(
        "report", "--out", str(out), "--from-csv", str(csv_file),
        env=embedded_env(tmp_path / "home"),
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("collagen-coach: bad.csv line 2, value: 'bright' is not a number")
    assert not out.exists()
