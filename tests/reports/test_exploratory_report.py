"""The report marks a measure not yet repeatable enough to judge, never calls it better or worse,
and says so for a concern it alone measures."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from collagen_coach.core.progress import Observation, analyse_progress
from collagen_coach.core.words import EXPLORATORY_WORDS
from collagen_coach.reports.build import build_report
from collagen_coach.reports.render import render_html

START = dt.date(2026, 3, 2)
DAYS = (0, 2, 4, *(7 * week for week in range(1, 13)))


def rising(metric: str, zone: str) -> list[Observation]:
    """A baseline week, then a rise of 0.5 over 12 weeks, far beyond its 0.01 wobble."""
    return [
        Observation(
            START + dt.timedelta(days=offset),
            metric,
            1.0 + (0.0 if offset < 7 else 0.5 * offset / DAYS[-1]) + 0.01 * (-1) ** index,
            zone=zone,
            side=side,
            phase="baseline" if offset < 7 else "treatment",
        )
        for index, offset in enumerate(DAYS)
        for side in ("left", "right")
    ]


@pytest.fixture(scope="module")
def page() -> str:
    measured = rising("line_length_cm_per_cm2", "cheeks")
    report = build_report(
        analyse_progress(measured), measured, who="Ada", made_on=START, source="your journal"
    )
    return " ".join(render_html(report).split())


def test_the_zone_table_marks_the_exploratory_measures(page: str) -> None:
    assert f'Line length <em class="exploratory">({EXPLORATORY_WORDS})</em>' in page


def test_an_exploratory_measure_is_never_called_better_or_worse(page: str) -> None:
    before_the_glossary = page.split('<section id="verdicts">')[0]
    cells = re.findall(r'<td class="v-([^"]*)"', before_the_glossary)
    assert "Of 2 measures: 2 exploratory (not yet repeatable enough to judge)." in page
    assert 'class="v-worsening"' not in before_the_glossary
    assert set(cells) == {"exploratory"}


def test_a_concern_measured_only_by_exploratory_measures_has_no_verdict(page: str) -> None:
    fine_lines = re.search(
        r'<div class="concern v-exploratory" id="concern-fine_lines">.*?</div>', page
    )
    assert fine_lines is not None
    assert f"No verdict, its measures are {EXPLORATORY_WORDS}." in fine_lines.group(0)
