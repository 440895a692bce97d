"""The dashboard's charts: the data dashboard.js draws (ratings on their whole 0–10 scale, one
point a day with the range of repeated readings, the axes and the key in words), and a chosen
photo series' data fetched on demand from its own small address, the signed-in person's only."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from collagen_coach.reports.chart_look import BAND_WORDS, BASELINE_WORDS
from collagen_coach.web.journal.models import InstrumentReading
from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DASHBOARD = reverse("progress:dashboard")
RATING = {"firmness": 4, "elasticity": 5, "fine_lines": 3, "glow": 6, "sagging": 2}


def series_url(key: str) -> str:
    return reverse("progress:series", kwargs={"key": key})


def page_data(page: Any) -> dict[str, Any]:
    found = re.search(
        r'<script id="progress-data" type="application/json">(.*?)</script>', page.text, re.S
    )
    assert found, "the page carries its charts' data"
    data = dict(json.loads(found.group(1)))
    for one in data["series"].values():
        one["days"] = data["days"][one["days"]]
    return data


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def test_one_rating_is_one_point_on_the_whole_0_to_10_scale(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    rate(person, today(), **RATING)
    page = web.get(DASHBOARD)
    firmness = page_data(page)["series"]["firmness"]
    assert firmness["days"] == [0]
    assert firmness["values"] == [4]
    assert firmness["y"] == [0, 10, 2]
    assert firmness["x"][0] < 0 < firmness["x"][1]  # the day with a margin either side
    assert [label for _, label in firmness["ticks"]] == [f"{today().day} {today():%b}"]
    assert "Not enough data yet: " in page.text
    assert "Missing:" not in page.text


def test_repeated_readings_are_drawn_as_the_days_mean_with_its_range(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    first = today() - dt.timedelta(days=20)
    for day in range(0, 21, 4):
        for value in (0.68, 0.70, 0.75):
            InstrumentReading.objects.create(
                client=person,
                date=first + dt.timedelta(days=day),
                instrument="cutometer",
                parameter="R2",
                zone="cheeks",
                side="left",
                value=value + day / 1000,
                source="cutometer.csv",
            )
    r2 = page_data(web.get(DASHBOARD))["series"]["cutometer-R2-cheeks-left"]
    assert r2["days"] == list(range(0, 21, 4))  # one point a day, not three
    assert r2["values"][0] == pytest.approx(0.71)
    assert r2["ranges"][0] == [0, 0.68, 0.75]
    assert len(r2["ranges"]) == 6
    low, high, _ = r2["y"]
    assert low <= 0.68
    assert high >= 0.77
    # No point cut off at either edge.
    assert r2["x"][0] < 0
    assert r2["x"][1] > 20


def test_the_key_says_the_band_in_words_on_the_page(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=30, photos=3)
    page = web.get(DASHBOARD)
    data = page_data(page)
    assert data["key_words"]["band"] == BAND_WORDS
    assert f"Shaded: {BAND_WORDS}. Dashed line: {BASELINE_WORDS}." in page.text
    described = re.search(
        r'<canvas data-series="firmness" role="img" aria-label="([^"]*)"', page.text
    )
    assert described, "the firmness chart is described for screen readers"
    assert f"Shaded: {BAND_WORDS}. Dashed line: {BASELINE_WORDS}." in described.group(1)
    assert "baseline ± the measurement noise" not in page.text
    assert data["look"]["band"]  # the colours come with the data, as the report draws them


def test_the_page_carries_only_the_charts_it_shows_and_fetches_a_chosen_one(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=30, photos=3)
    page = web.get(DASHBOARD)
    board, data = page.context["board"], page_data(page)
    first, chosen = board.photos[0], board.photos[7]
    assert first.key in data["series"]
    assert chosen.key not in data["series"]
    assert data["series_url"].replace("series-key", chosen.key) == series_url(chosen.key)

    answer = web.get(series_url(chosen.key))

    assert answer.status_code == 200
    fetched = answer.json()
    assert fetched["key"] == chosen.key
    assert fetched["words"]["title"] == chosen.title
    assert fetched["words"]["reason"] == chosen.reason_words
    assert len(fetched["days"]) == len(fetched["values"]) == len({p.date for p in chosen.points})
    # The same shape as the page's own, days counted from the same origin.
    assert set(fetched) == set(data["series"][first.key])
    origin = dt.date.fromisoformat(data["origin"])
    assert fetched["days"][0] == (chosen.points[0].date - origin).days


def test_a_series_one_has_not_measured_answers_404(browser_of: Callable[..., Any]) -> None:
    ann, ann_person = browser_of("ann")
    bob, bob_person = browser_of("bob")
    rate(bob_person, today(), **RATING)
    make_history(bob_person, today=today(), days=10, photos=2)
    rate(ann_person, today(), **RATING)
    photo_key = bob.get(DASHBOARD).context["board"].photos[0].key

    assert bob.get(series_url(photo_key)).status_code == 200
    assert ann.get(series_url(photo_key)).status_code == 404  # bob's photos, not ann's
    assert ann.get(series_url("no-such-measure")).status_code == 404
    mine = ann.get(series_url("firmness")).json()
    assert mine["values"] == [RATING["firmness"]]  # ann's own rating, not bob's
