"""How many weeks the measurements cover: the dashboard, the report and the API give one number,
whole weeks from the first measurement day to the last (``core.measures.weeks_measured``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as WebClient

from collagen_coach.reports.render import report_context
from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from collagen_coach.web.progress.services import journal_report, make_dashboard

from .conftest import DAY, World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_dashboard_the_report_and_the_api_give_the_same_weeks(
    api_as: Callable[..., WebClient], world: World
) -> None:
    # Twenty days from the first rating to the last: 2 whole weeks (2.9 read as 3 before).
    for offset in (0, 2, 4, 10, 15, 20):
        when = DAY + dt.timedelta(days=offset)
        rate(world.cora, when, firmness=5, elasticity=5, fine_lines=4, glow=4, sagging=3)

    board = make_dashboard(world.cora, today())
    report = journal_report(world.cora, today())
    series = api_as(world.pat).get(f"/api/clients/{world.cora.pk}/progress").json()["series"]

    assert board.weeks_covered == report.weeks_covered == 2
    assert "(2 weeks)" in report_context(report)["period"]
    assert len(series) == 5
    for one in series:
        assert one["verdict"] == "not_enough_data"
        assert "2 of the 8 weeks of measurements so far, 6 more needed" in one["reason"]
