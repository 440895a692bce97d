"""The progress report: every section, every verdict with its caveat and the evidence levels, in
one HTML page that needs nothing else, and a PDF printed from it."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from collagen_coach.core.adherence import measure_adherence
from collagen_coach.core.progress import Observation, Phase, analyse_progress
from collagen_coach.core.words import VERDICT_WORDS
from collagen_coach.reports.build import (
    NO_CHANGE_MEANS,
    REPORT_EVIDENCE_IDS,
    PhotoPair,
    Report,
    build_report,
    jpeg,
)
from collagen_coach.reports.chart_look import BAND_WORDS
from collagen_coach.reports.render import pdf_bytes, render_html
from collagen_coach.reports.series import VERDICT_CAVEATS

START = dt.date(2026, 9, 7)
MADE_ON = dt.date(2026, 12, 1)


def observations() -> list[Observation]:
    """Twelve weeks of measurements after a baseline of three days, seeded: the massaged (left)
    cheek brightens, the other does not, Cutometer R2 falls, firmness stays, redness (no better
    direction) rises, glow is rated three times only."""
    rng = np.random.default_rng(7)
    reddening = np.random.default_rng(8)
    made: list[Observation] = []
    for d in [0, 2, 4, *range(7, 84, 3)]:
        day = START + dt.timedelta(days=d)
        phase: Phase = "baseline" if d < 7 else "treatment"
        weeks = max(0, d - 7) / 7
        firmness = float(np.clip(round(6 + rng.normal(0, 0.8)), 0, 10))
        made.append(Observation(day, "firmness", firmness, phase=phase))
        for side, per_week in (("left", 0.5), ("right", 0.0)):
            for _ in range(2):  # two photos a session
                value = 60 + per_week * weeks + rng.normal(0, 0.6)
                made.append(
                    Observation(day, "radiance", value, "cheeks", side, phase, unit="L* (0–100)")
                )
        r2 = 0.72 - 0.006 * weeks + rng.normal(0, 0.006)
        made.append(Observation(day, "cutometer:R2", r2, "cheeks", "both", phase, unit="ratio"))
        redness = 12 + 0.5 * weeks + reddening.normal(0, 0.3)
        made.append(Observation(day, "redness", redness, "cheeks", "both", phase, unit="a*"))
    made += [Observation(START + dt.timedelta(days=7 * w), "glow", 6.0) for w in (0, 4, 8)]
    return made


WEEKLY_SESSIONS = {START + dt.timedelta(days=7 * w): 3 + w % 3 for w in range(12)}


def photos(comparable: bool) -> PhotoPair:
    face = np.full((64, 48, 3), 180, dtype=np.uint8)
    return PhotoPair(
        before_name="/photos/before.jpg",
        after_name="/photos/after.jpg",
        comparable=comparable,
        reasons=() if comparable else ("head yaw differs by 9.0° (allowed 5°)",),
        before_jpeg=jpeg(face) if comparable else None,
        after_jpeg=jpeg(face) if comparable else None,
        alignment_error_ipd=0.012 if comparable else None,
    )


def make_report(*, who: str = "Ada", comparable: bool = True) -> Report:
    measured = observations()
    progress = analyse_progress(
        measured,
        higher_is_better={"radiance": True},
        treated_side="left",
        weekly_sessions=WEEKLY_SESSIONS,
    )
    planned = [START + dt.timedelta(days=d) for d in range(84) if d % 7 < 5]
    done = [day for i, day in enumerate(planned) if i % 6]
    return build_report(
        progress,
        measured,
        who=who,
        made_on=MADE_ON,
        source="your journal",
        treated_side="left",
        adherence=measure_adherence(planned, done, today=START + dt.timedelta(days=84)),
        photos=photos(comparable),
    )


def flat(text: str) -> str:
    """Give ``text`` with runs of white space (the template's line breaks) as one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def page() -> str:
    return flat(render_html(make_report()))


@pytest.mark.parametrize(
    "section",
    ["summary", "adherence", "measures", "photos", "split-face", "verdicts", "evidence", "methods"],
)
def test_html_has_the_section(page: str, section: str) -> None:
    assert f'id="{section}"' in page


def test_cover_says_who_when_and_how_many_sessions(page: str) -> None:
    assert "Ada" in page
    assert "7 September 2026 to 28 November 2026 (11 weeks)" in page
    assert "50 of 60 planned sessions (83 %)" in page


def test_cover_counts_every_verdict_and_says_what_no_change_means(page: str) -> None:
    assert (
        "Of 6 measures: 1 improving, 1 worsening, 1 changed, not judged, 2 no change detected, "
        "1 not enough data yet."
    ) in page
    assert html.escape(NO_CHANGE_MEANS) in page


@pytest.mark.parametrize("verdict", list(VERDICT_CAVEATS))
def test_every_verdict_is_shown_with_its_caveat(page: str, verdict: str) -> None:
    entry = re.search(rf'<li class="v-{verdict}">.*?</li>', page.split('id="verdicts"')[1])
    assert entry is not None
    assert VERDICT_WORDS[verdict] in entry.group(0)
    assert html.escape(VERDICT_CAVEATS[verdict]) in entry.group(0)


def test_improving_is_said_with_its_numbers_and_no_more(page: str) -> None:
    assert (
        "Radiance, cheeks, left side: improving, a change of +4.8 L* (0–100) "
        f"(likely between +3.9 and +5.7), beyond {BAND_WORDS} of ±1.9 L* (0–100)."
    ) in page
    assert "works" not in page.split('id="adherence"')[0]


def test_not_enough_data_says_why(page: str) -> None:
    assert "3 of the 6 measurement days so far, 3 more needed" in page


def test_self_ratings_carry_the_expectation_bias_caveat(page: str) -> None:
    measures = re.search(r'id="measures".*?</section>', page, flags=re.DOTALL)
    assert measures is not None
    assert "people who expect a change tend to see it" in measures.group(0)


def test_light_dependent_metrics_say_so(page: str) -> None:
    zones = re.search(r'id="zones".*?</section>', page, flags=re.DOTALL)
    assert zones is not None
    assert "Radiance, Redness follow the light as well as the skin" in zones.group(0)


def test_ratings_and_readings_have_a_chart_with_its_unit(page: str) -> None:
    charts = re.findall(r"<svg[^>]*class=\"chart\".*?</svg>", page, flags=re.DOTALL)
    assert len(charts) == 3  # firmness, Cutometer R2, glow; radiance and redness are in the table
    assert any("ratio" in chart and BAND_WORDS in chart for chart in charts)
    for key in ("firmness", "cutometer-R2-cheeks-both", "glow"):
        figure = re.search(rf'<figure class="series[^"]*" id="series-{key}">.*?</figure>', page)
        assert figure is not None
        assert "<svg" in figure.group(0)
        assert "<figcaption>" in figure.group(0)


def test_photo_measures_are_one_table_of_zones_with_a_mark_per_side(page: str) -> None:
    zones = re.search(r'<table class="zones">.*?</table>', page, flags=re.DOTALL)
    assert zones is not None
    rows = re.findall(r"<tr>.*?</tr>", zones.group(0))
    names = [re.search(r'<td class="measure">(.*?)</td>', r) for r in rows[1:]]
    assert [n.group(1) for n in names if n] == ["Radiance", "Redness"]
    assert "L▲ R–" in rows[1]  # the massaged left cheek brightened, the right did not change
    assert ">◆</td>" in rows[2]  # redness, both sides together: changed, but not judged
    assert 'id="series-radiance' not in page  # no section or chart per photo measure


def test_split_face_result_names_the_treated_side(page: str) -> None:
    assert "You massaged your left side only; your right side was the comparison." in page
    assert "Radiance, cheeks: massaged side minus the other" in page


def test_adherence_response_is_called_an_association(page: str) -> None:
    assert "no clear link between sessions per week and change" in page
    assert "This is an association, not proof" in page


@pytest.mark.parametrize("evidence_id", REPORT_EVIDENCE_IDS)
def test_evidence_is_shown_with_its_level(evidence_id: str, page: str) -> None:
    from collagen_coach.core.techniques import load_library

    evidence = load_library().evidence[evidence_id]
    assert html.escape(evidence.claim) in page
    assert html.escape(evidence.label) in page


def test_methods_give_the_mdc_formula_and_the_limits(page: str) -> None:
    assert "MDC95 = 1.96 · √2 · SEM" in page
    assert "Association, not cause." in page
    assert "A split-face trial, with one side as the control, comes closest to a cause." in page


def test_html_needs_nothing_from_outside(page: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "<link" not in page
    assert "<script" not in page
    assert page.count('src="data:image/jpeg;base64,') == 2


def test_photos_that_cannot_be_compared_show_the_reasons_instead() -> None:
    page = flat(render_html(make_report(comparable=False)))
    assert "These two photos cannot be compared fairly" in page
    assert "head yaw differs by 9.0° (allowed 5°)" in page
    assert "data:image/jpeg" not in page


def test_names_are_escaped_in_the_page_and_its_print_footer() -> None:
    page = render_html(make_report(who='Bo "</style><script>x</script>'))
    assert "<script>" not in page
    assert "&lt;/style&gt;&lt;script&gt;" in page
    assert page.count("</style>") == 1


def test_html_renders_without_django_settings(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import test_report as t; "
        "from collagen_coach.reports.render import render_html; "
        "print(len(render_html(t.make_report())))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 10_000


def pdftotext(pdf: Path) -> str:
    """Give the PDF's text, or skip when pdftotext is missing (but never under CI)."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing; CI must have it")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf_bytes(make_report()))
    return path


def test_pdf_is_a_pdf_of_several_pages(pdf: Path) -> None:
    from weasyprint import HTML

    assert pdf.read_bytes().startswith(b"%PDF-")
    assert len(HTML(string=render_html(make_report())).render().pages) >= 2


def test_pdf_text_has_the_headline(pdf: Path) -> None:
    text = pdftotext(pdf)
    assert text.count("\f") >= 2  # one form feed after each page
    words = " ".join(text.split())
    assert "What your measurements show" in words
    assert "Of 6 measures: 1 improving, 1 worsening, 1 changed, not judged, 2 no change" in words


def pdf_pages(pdf: Path) -> int:
    """Give the PDF's page count as pdfinfo reads it, or skip when it is missing (not in CI)."""
    if shutil.which("pdfinfo") is None:
        if os.environ.get("CI"):
            pytest.fail("pdfinfo (poppler-utils) is missing; CI must have it")
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)$", done.stdout, flags=re.MULTILINE)
    assert found is not None
    return int(found.group(1))


def early_report() -> Report:
    """Two weeks in: three baseline ratings and a week of photos, nothing judged yet."""
    measured = [
        Observation(START + dt.timedelta(days=d), "firmness", 6.0, phase="baseline")
        for d in (0, 2, 4)
    ] + [
        Observation(START + dt.timedelta(days=d), "radiance", 60.0 + d / 10, zone, side)
        for d in (0, 7, 14)
        for zone in ("cheeks", "forehead")
        for side in ("left", "right")
    ]
    return build_report(
        analyse_progress(measured),
        measured,
        who="Ada",
        made_on=START + dt.timedelta(days=15),
        source="your journal",
    )


def test_a_report_with_nothing_judged_yet_is_short_and_says_what_is_missing(
    tmp_path: Path,
) -> None:
    report = early_report()
    assert not report.judged
    page = flat(render_html(report))
    assert "What is still missing" in page
    # The first day a verdict is possible: 8 weeks from the first measurement, as the concerns say.
    possible = "a verdict is possible from 2 November 2026 at the earliest, in about 6 weeks."
    assert f"Firmness (your rating)</strong>: {possible}" in page
    assert f"Photo measures (4 in all zones and sides)</strong>: {possible}" in page
    firmness = next(c for c in report.concerns if c.concern.name == "firmness")
    assert "A verdict is possible from 2 November 2026 at the earliest." in firmness.missing_words()
    assert html.escape(firmness.missing_words()) in page
    assert 'id="zones"' not in page
    assert 'id="evidence"' not in page
    path = tmp_path / "early.pdf"
    path.write_bytes(pdf_bytes(report))
    assert pdf_pages(path) <= 2


def test_printing_the_pdf_logs_no_weasyprint_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        pdf_bytes(make_report())
    warned = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warned == []


def test_the_pdf_draws_charts_as_svg_images_not_inline_svg() -> None:
    page = render_html(make_report(), inline_charts=False)
    assert "<svg" not in page
    assert page.count('<img class="chart" alt="Chart: ') == 3
