"""Progress phases from the plan's baseline week, and from a pause week that takes it again."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.baseline import pause_for_baseline
from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Decision
from collagen_coach.web.journal import services as journal
from collagen_coach.web.plans.services import save_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

START = dt.date(2026, 9, 7)
GO = Decision(
    decision="go", reasons=[], avoid_zones=[], exclude_techniques=[], max_pressure=5, resume_on=None
)


def rate_on(person, day: dt.date, score: int = 5) -> None:
    journal.rate(
        person, day, firmness=score, elasticity=score, fine_lines=score, glow=score, sagging=score
    )


def phases(person) -> dict[dt.date, str | None]:
    return {o.date: o.phase for o in journal.progress_observations(person)}


def test_the_baseline_days_are_the_baseline_and_the_first_session_on_is_treatment(
    self_carer,
) -> None:
    program = build_plan(Profile(age=60, start_date=START, baseline_week=True), GO)
    save_program(self_carer, program)
    for n in (0, 2, 4, 5, 12):
        rate_on(self_carer, START + dt.timedelta(days=n))
    assert list(phases(self_carer).values()) == [
        "baseline",
        "baseline",
        "baseline",
        "treatment",
        "treatment",
    ]


def test_after_a_pause_week_only_the_new_baseline_counts_and_the_history_stays(
    self_carer,
) -> None:
    before = build_plan(Profile(age=60, start_date=START, baseline_week=True), GO)
    save_program(self_carer, before)
    for n in (0, 2, 4, 10, 20):
        rate_on(self_carer, START + dt.timedelta(days=n))
    pause_on = START + dt.timedelta(days=30)
    paused = build_plan(pause_for_baseline(before, pause_on), GO)
    save_program(self_carer, paused)
    for n in (30, 32, 34, 40):
        rate_on(self_carer, START + dt.timedelta(days=n))
    shown = phases(self_carer)
    assert min(shown) == pause_on  # earlier measurements are not judged ...
    assert [shown[START + dt.timedelta(days=n)] for n in (30, 32, 34, 40)] == [
        "baseline",
        "baseline",
        "baseline",
        "treatment",
    ]
    # ... but they stay in the journal.
    entries = journal.journal_entries(self_carer, START, START + dt.timedelta(days=40))
    assert sum(1 for e in entries if e.kind == "rating") == 9
