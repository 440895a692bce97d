"""The dashboard and the report survive any stored value: a reading of 1e200 beside a real one,
infinity, or a day in year 1 is left out with a plain note, never a failed page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from web.builders import stored_reading

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

NOTE = "3 stored measurements left out"


@pytest.fixture
def impossible_readings(browser_of: Callable[..., Any]) -> Any:
    """Ann's journal: a week of ratings, one real reading and three no Cutometer can give,
    stored straight into the database (as an older version or a hand edit may have left them)."""
    cache.clear()
    web, ann = browser_of("ann")
    day = today() - dt.timedelta(days=10)
    for offset in range(7):
        scores = {"firmness": 5, "elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 3}
        rate(ann, day + dt.timedelta(days=offset), **scores)
    for repeat, (when, value) in enumerate(
        ((day, 1e200), (day, 0.5), (dt.date(1, 1, 1), 0.6), (day, float("inf")))
    ):
        stored_reading(ann, when, value, repeat=repeat + 1)
    return web


def test_the_dashboard_shows_the_rest_and_says_what_was_left_out(impossible_readings: Any) -> None:
    page = impossible_readings.get(reverse("progress:dashboard"))
    assert page.status_code == 200
    assert NOTE in page.content.decode()
    assert page.context["board"].period[0] > dt.date(1970, 1, 1)


@pytest.mark.parametrize("format", ["html", "pdf"])
def test_the_report_is_made_whatever_is_stored(impossible_readings: Any, format: str) -> None:
    answer = impossible_readings.get(reverse("progress:report"), {"format": format})
    assert answer.status_code == 200
    if format == "html":
        assert NOTE in answer.content.decode()


def test_photo_measurements_that_are_not_numbers_are_left_out_with_a_note(
    browser_of: Callable[..., Any],
) -> None:
    cache.clear()
    web, ann = browser_of("ann")
    PhotoMeasurement.objects.create(
        client=ann,
        date=today() - dt.timedelta(days=2),
        file_name="me.jpg",
        ok=True,
        metrics_by_side={
            "cheeks": {"left": {"radiance": "bright", "redness": 1e300, "wrinkle_index": 1.2}},
            "jawline": ["not", "a", "mapping"],
        },
        algorithm="skin@1",
    )
    page = web.get(reverse("progress:dashboard"))
    assert page.status_code == 200
    assert "2 stored measurements left out" in page.content.decode()
    assert [chart.name for chart in page.context["board"].photos] == ["Wrinkles"]
