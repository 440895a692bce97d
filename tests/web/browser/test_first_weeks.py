"""A new person's first weeks, lived in Chromium on a clock the test moves (no sleeps).

Sign up → safety check → a plan whose first session is three days away → three baseline days
(photo and rating each day, before any session) → nine weeks of sessions (the first played in the
player, the others through the endpoints the player uses), a rating and a photo each week → a
verdict on the progress page. Along the way Today, the journal and the progress page must agree
on the day and on the count of sessions. Every step is saved as a screenshot at desktop and
phone size: out/screenshots/first-weeks-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from collagen_coach.core.measures import MEASURES, MIN_WEEKS
from collagen_coach.core.words import DECISION_WORDS, VERDICT_WORDS
from web.browser import person
from web.browser.conftest import PASSWORD
from web.browser.live_server import Clock, RunningServer, clocked_server, fresh_database

# Also run against PostgreSQL (scripts/test's second run): the served app gets a fresh database.
pytestmark = pytest.mark.postgres

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# A real photograph of a mature face; the quality gate asks for a retake (light, expression),
# which the photo page must say plainly. The verdict comes from the weekly ratings.
PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "faces" / "biden2.jpg"
BASELINE_DAYS = 3
SESSION_WEEKS = 9
PLAYER_SPEED = 600

# Baseline ratings vary a little from day to day (the noise); then firmness rises week by week
# while the others stay within their noise.
BASELINE_RATINGS = [
    {"Firmness": 4, "Elasticity": 5, "Fine lines": 5, "Glow": 5, "Sagging": 5},
    {"Firmness": 5, "Elasticity": 5, "Fine lines": 6, "Glow": 6, "Sagging": 5},
    {"Firmness": 4, "Elasticity": 6, "Fine lines": 5, "Glow": 5, "Sagging": 6},
]
WEEKLY_FIRMNESS = [5, 5, 6, 6, 7, 7, 8, 8, 8]


def weekly_rating(week: int) -> dict[str, int]:
    steady = 5 + week % 2
    return {
        "Firmness": WEEKLY_FIRMNESS[week - 1],
        "Elasticity": steady,
        "Fine lines": 5,
        "Glow": 11 - steady,
        "Sagging": 5,
    }


@pytest.fixture(scope="module")
def clocked_app(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: Path
) -> Iterator[tuple[RunningServer, Clock]]:
    """Give the app served on a fresh store, with its day on a clock this module moves."""
    home = tmp_path_factory.mktemp("first-weeks") / "home"
    with (
        fresh_database(os.environ.get("DATABASE_URL"), "weeks") as database_url,
        clocked_server(home, dt.date.today(), database_url=database_url) as served,
    ):
        yield served


@pytest.fixture
def journey_page(browser: Browser, clocked_app: tuple[RunningServer, Clock]) -> Iterator[Page]:
    server, _ = clocked_app
    context = browser.new_context(base_url=server.url.rstrip("/"), viewport=person.DESKTOP)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _agree_on_the_day(page: Page, clock: Clock, since: dt.date, step: str) -> None:
    """Today, the journal and progress show the clock's day and the same count of sessions."""
    today_text = person.open_today(page)
    assert person.today_line(clock.today) in today_text, today_text
    today_count = person.todays_sessions(today_text)
    person.shoot_both(page, f"first-weeks-{step}-today")

    person.open_journal(page, since)
    assert person.journal_days(page)[0] == person.day_words(clock.today)
    journal_done = person.journal_sessions_done(page)
    person.shoot_both(page, f"first-weeks-{step}-journal")

    progress_text = person.open_progress(page)
    progress_count = person.overall_sessions(progress_text)
    person.shoot_both(page, f"first-weeks-{step}-progress")
    assert today_count == progress_count, (step, today_count, progress_count)
    assert journal_done == today_count[0], (step, journal_done, today_count)


def test_a_new_person_reaches_a_verdict_after_a_baseline_and_nine_weeks(
    journey_page: Page, clocked_app: tuple[RunningServer, Clock]
) -> None:
    page = journey_page
    server, clock = clocked_app
    day_one = clock.today

    # Sign up, safety check, a plan whose first session comes after three baseline days.
    person.sign_up(page, "ruth", PASSWORD)
    assert "safety check" in person.main_text(page).lower()
    person.shoot_both(page, "first-weeks-01-signed-up")
    decision = person.do_safety_check(page, age=61)
    person.shoot_both(page, "first-weeks-02-safety-check")
    assert DECISION_WORDS["go"].title in decision, decision
    first_session = day_one + dt.timedelta(days=BASELINE_DAYS)
    assert "foundation" in person.make_plan(page, first_session).lower()
    person.shoot_both(page, "first-weeks-03-plan")

    # The baseline: a photo and a rating on each of three days, no session offered yet.
    for index, scores in enumerate(BASELINE_RATINGS):
        today_text = person.open_today(page)
        assert not person.offers_a_session(today_text), today_text
        assert person.today_line(clock.today) in today_text, today_text
        assert f"next one is on {person.day_words(first_session)[:-5]}" in today_text, today_text
        person.shoot_both(page, f"first-weeks-04-baseline-day-{index + 1}-today")
        person.upload_photo(page, PHOTO)
        journal = person.rate_skin(page, scores)
        assert person.day_words(clock.today) in journal
        clock.advance(1)

    # The photos are analysed by the worker; the gate's answer is on the photo list.
    photos = person.photo_results(page, BASELINE_DAYS)
    assert photos == ["Retake advised"] * BASELINE_DAYS, photos
    person.shoot_both(page, "first-weeks-05-baseline-photos")

    # Nine weeks of sessions: each planned day's session, a rating and a photo each week.
    assert clock.today == first_session
    progress_text = person.open_progress(page)
    assert "before the first session" in progress_text
    person.shoot_both(page, "first-weeks-06-progress-after-baseline")
    sessions = 0
    for week in range(1, SESSION_WEEKS + 1):
        for day_of_week in range(7):
            if day_of_week:
                clock.advance(1)
            today_text = person.open_today(page)
            assert person.today_line(clock.today) in today_text, today_text
            if not person.offers_a_session(today_text):
                continue
            if sessions == 0:
                person.shoot_both(page, "first-weeks-07-first-session-today")
                message = person.play_session(page, PLAYER_SPEED)
                person.shoot_both(page, "first-weeks-08-first-session-done")
                assert "Well done" in message, message
            else:
                finished = person.do_session_quickly(page)
                assert finished["status"] == "completed", finished
            sessions += 1
        person.upload_photo(page, PHOTO)
        person.rate_skin(page, weekly_rating(week))
        if week in (1, 4, SESSION_WEEKS):
            _agree_on_the_day(page, clock, day_one, f"09-week-{week}")
        if week < SESSION_WEEKS:
            clock.advance(1)
    assert sessions >= SESSION_WEEKS * 3, sessions

    # After the baseline and nine weeks: a verdict, on the day shown.
    assert (clock.today - day_one).days // 7 >= MIN_WEEKS
    progress_text = person.open_progress(page)
    ratings = person.verdicts(page, "Your self-ratings")
    person.shoot_both(page, "first-weeks-10-progress-verdict")
    not_enough = VERDICT_WORDS["not_enough_data"]
    assert ratings[MEASURES["firmness"].title] == VERDICT_WORDS["improving"], ratings
    assert set(ratings.values()) - {not_enough}, ratings
    assert "Judge progress after at least" not in progress_text
    assert person.overall_sessions(progress_text)[0] == sessions
    assert server.process.poll() is None
