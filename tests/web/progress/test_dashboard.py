"""The progress dashboard: adherence, streaks, habit strength, and every measure's chart with its
noise band and verdict, read with a bounded number of queries whatever the history's length."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.journal.services import rate
from collagen_coach.web.lib.dates import today
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DASHBOARD = reverse("progress:dashboard")
# Session, user, client, the data's stamp, plan, sessions, the safety checks (days they paused
# are not missed), the stored parts' fingerprints and rows; with nothing stored yet, the plan
# again, ratings, readings, photos and the parts' writes (removing the old, adding the new); the
# stored page read, its verdicts read (to tell which changed), then written (updated, else added);
# the menu's practice membership and client.
MAX_QUERIES = 21


def chart_data(page: Any) -> dict[str, Any]:
    found = re.search(
        r'<script id="progress-data" type="application/json">(.*?)</script>', page.text, re.S
    )
    assert found, "the page carries its charts' data"
    return dict(json.loads(found.group(1)))


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    answer = WebClient().get(DASHBOARD)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_a_month_of_history_shows_adherence_streaks_and_habit_strength(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    history = make_history(person, today=today(), days=30, photos=8)
    page = web.get(DASHBOARD)
    assert page.status_code == 200
    board = page.context["board"]
    assert board.adherence.planned == history.sessions_planned
    assert board.adherence.done == history.sessions_done
    assert 0 < board.adherence.habit_strength < 100
    assert board.adherence.longest_streak >= board.adherence.current_streak
    assert board.recent_planned == sum(
        w.planned for w in board.adherence.weeks[-4:] if w.week_start > today() - dt.timedelta(28)
    )
    for words in ("This week", "Last 4 weeks", "Overall", "Streak", "Habit strength"):
        assert words in page.text
    assert "Lally et al. 2010" in page.text


def test_each_series_has_its_noise_band_and_a_verdict_in_words(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=30, photos=8)
    page = web.get(DASHBOARD)
    board = page.context["board"]
    firmness = next(s for s in board.ratings if s.name.startswith("Firmness"))
    # A month is too short to judge: the dashboard says how many more weeks are needed.
    assert firmness.verdict == "not_enough_data"
    # Rounded to the nearest week, from the latest measurement to 8 weeks after the first.
    days_left = (firmness.first[0] + dt.timedelta(weeks=8) - firmness.latest[0]).days
    assert firmness.weeks_more == (days_left + 3) // 7 > 0
    # The card says the weeks its verdict waits for once, as Today counts them.
    weeks = f"about {firmness.weeks_more} more weeks of measurements needed"
    assert weeks in firmness.reason_words
    assert firmness.reason_words.count("more") == 1
    assert firmness.reason_words in page.text
    assert "more weeks of measurements are needed" not in page.text
    data = chart_data(page)["series"]
    drawn = data[firmness.key]
    lo, hi = drawn["band"]
    assert lo < drawn["baseline"] < hi
    assert len(drawn["values"]) == firmness.n
    assert len(board.photos) == 184  # 11 zones × 2 sides × 8–10 measures, one card shows one
    # The page carries the chart it shows first; another comes when it is chosen.
    assert "words" in data[board.photos[0].key]
    assert not any(s.key in data for s in board.photos[1:])
    assert "chart-4.5.1.umd.min.js" in page.text
    assert "js/dashboard.js" in page.text
    assert "The numbers behind this chart" in page.text  # the table beside each chart


def test_the_evidence_and_its_caveats_are_shown(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=30, photos=3)
    page = web.get(DASHBOARD)
    assert "evidence: " in page.text
    assert "Judge progress after at least 8 weeks" in page.text
    assert "not that massage caused it" in page.text  # the causation caveat


def test_nothing_measured_yet_says_what_to_do(browser_of: Callable[..., Any]) -> None:
    web, _ = browser_of("ann")
    page = web.get(DASHBOARD)
    assert page.status_code == 200
    assert "Nothing is measured yet" in page.text
    assert "There is no plan yet" in page.text


def test_another_persons_records_do_not_show(browser_of: Callable[..., Any]) -> None:
    ann_web, _ = browser_of("ann")
    _, bob = browser_of("bob")
    rate(bob, today(), firmness=9, elasticity=9, fine_lines=1, glow=9, sagging=1)
    page = ann_web.get(DASHBOARD)
    assert page.context["board"].series == ()
    assert "Nothing is measured yet" in page.text


def test_a_new_rating_shows_at_once(browser_of: Callable[..., Any]) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=30, photos=3)
    before = web.get(DASHBOARD).context["board"].ratings[0].n
    rate(person, today(), firmness=7, elasticity=6, fine_lines=4, glow=6, sagging=5)
    after = web.get(DASHBOARD).context["board"].ratings[0].n
    assert after == before + 1


@pytest.mark.parametrize(
    ("days", "photos"),
    [
        pytest.param(30, 8, id="one-month"),
        pytest.param(5 * 365 + 1, 250, id="five-years", marks=pytest.mark.slow),
    ],
)
def test_the_dashboard_needs_the_same_few_queries_for_any_history(
    browser_of: Callable[..., Any],
    django_assert_max_num_queries: Callable[..., Any],
    days: int,
    photos: int,
) -> None:
    web, person = browser_of("ann")
    make_history(person, today=today(), days=days, photos=photos)
    with django_assert_max_num_queries(MAX_QUERIES):
        page = web.get(DASHBOARD)
    assert page.status_code == 200
    assert page.context["board"].adherence.planned == days
