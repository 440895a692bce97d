"""A new person's first weeks, lived in Chromium on a clock the test moves (no sleeps).

Sign up (keeping the recovery codes) → safety check → a plan that begins with a baseline week →
the baseline days Today names one by one (a photo and a rating each, from Today's links, before
any session) → nine weeks of sessions (the first played in the player, the others through the
endpoints the player uses), a rating and a photo each week → a verdict on the progress page.
The photos are the demo's (one person, taken as the capture guidance asks), so each must pass the
quality gate. Along the way Today's week strip, streak and next-verdict sentence are checked
against the clock, and Today, the journal and the progress page must agree on the day and on
the count of sessions. Every step is saved as a screenshot at desktop and phone size:
out/screenshots/first-weeks-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from collagen_coach.core.measures import MEASURES, MIN_BASELINE, MIN_WEEKS
from collagen_coach.core.words import DECISION_WORDS, VERDICT_WORDS
from web.browser import person
from web.browser.conftest import PASSWORD
from web.browser.live_server import Clock, RunningServer, clocked_server, fresh_database

# Also run against PostgreSQL (scripts/test's second run): the served app gets a fresh database.
pytestmark = pytest.mark.postgres

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# The demo's photos: one person, a baseline and nine weekly photos that pass the quality gate.
DEMO_PHOTOS = Path(__file__).resolve().parents[3] / "src" / "collagen_coach" / "web" / "demo_photos"
BASELINE_PHOTOS = [DEMO_PHOTOS / f"baseline-{n}.jpg" for n in range(1, MIN_BASELINE + 1)]
SESSION_WEEKS = 9
WEEKLY_PHOTOS = [DEMO_PHOTOS / f"week-{n}.jpg" for n in range(1, SESSION_WEEKS + 1)]
PASSED = "Passed the quality check"
RETAKE = "Retake advised"
# The baseline days: the first day of the plan, then every other day; sessions the day after.
BASELINE_OFFSETS = [0, 2, 4]
FIRST_SESSION_OFFSET = 5
PLAYER_SPEED = 600
CHECKED_WEEKS = (1, 4, SESSION_WEEKS)
# Weeks whose rating is tapped on the 0–10 buttons; the others are sent to the same endpoint.
TAPPED_WEEKS = (1, 4)

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


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _expected_strip(
    today: dt.date, day_one: dt.date, done: set[dt.date]
) -> list[tuple[str, str, bool]]:
    """Give the week strip as it must be on ``today``: every planned session so far was done,
    every baseline day measured; days still to come are a session or rest."""
    baseline = {day_one + dt.timedelta(days=n) for n in BASELINE_OFFSETS}
    strip = []
    for n in range(7):
        day = _monday(today) + dt.timedelta(days=n)
        if day < day_one:
            words = "before your plan"
        elif day in baseline:
            words = "measured"
        elif day in done:
            words = "done"
        elif day > today:
            words = "session or rest"
        else:
            words = "rest"
        strip.append((str(day.day), words, day == today))
    return strip


def _expected_verdict_words(today: dt.date, day_one: dt.date) -> str:
    """Give Today's next-verdict sentence on ``today``: eight weeks from the first baseline day."""
    possible = day_one + dt.timedelta(weeks=MIN_WEEKS)
    if possible <= today:
        return f"Your baseline began {MIN_WEEKS} or more weeks ago"
    days = (possible - today).days
    wait = f"{days} days" if days < 14 else f"about {(days + 3) // 7} weeks"  # nearest week
    return (
        f"The first verdict on your photos and ratings is possible from "
        f"{person.day_words(possible)} at the earliest (in {wait})"
    )


def _agree_on_the_day(
    page: Page, clock: Clock, day_one: dt.date, done: set[dt.date], step: str
) -> None:
    """Today's week strip, streak and next-verdict sentence are true on the clock's day, and
    Today, the journal and progress show that day and the same count of sessions."""
    today = clock.today
    today_text = person.open_today(page)
    assert person.todays_date(page) == person.day_words(today), today_text
    strip = person.week_strip(page)
    expected = _expected_strip(today, day_one, done)
    for shown, wanted in zip(strip, expected, strict=True):
        if wanted[1] == "session or rest":
            assert shown[1] in ("session", "rest"), (step, strip, expected)
            assert shown[::2] == wanted[::2], (step, strip, expected)
        else:
            assert shown == wanted, (step, strip, expected)
    this_week = sum(1 for d in done if _monday(today) <= d <= today)
    last_week = sum(1 for d in done if _monday(today) - dt.timedelta(days=7) <= d < _monday(today))
    plural = "" if this_week == 1 else "s"
    assert (
        f"This week so far: {this_week} session{plural} done; last week: {last_week}." in today_text
    ), today_text
    assert person.streak(today_text) == len(done), today_text
    assert _expected_verdict_words(today, day_one) in today_text, today_text
    person.shoot_both(page, f"first-weeks-{step}-today")

    home_text = person.open_home(page)
    assert person.home_line(today) in home_text, home_text
    assert person.week_strip(page) == strip, (step, strip)  # the same strip as Today's
    home_count = person.home_sessions(home_text)
    assert home_count[0] == len(done), home_text
    person.shoot_both(page, f"first-weeks-{step}-home")

    person.open_journal(page, day_one)
    assert person.journal_days(page)[0] == person.day_words(today)
    journal_done = person.journal_sessions_done(page)
    person.shoot_both(page, f"first-weeks-{step}-journal")

    progress_text = person.open_progress(page)
    person.shoot_both(page, f"first-weeks-{step}-progress")
    assert person.overall_sessions(progress_text) == home_count, (progress_text, home_count)
    assert person.streak(progress_text) == len(done), progress_text
    assert person.this_week_done(progress_text) == this_week, progress_text
    assert journal_done == len(done), (step, journal_done, len(done))


def _photos_pass(page: Page, count: int, step: str | None = None) -> None:
    """Every photo so far is analysed and passed the quality gate."""
    results = person.photo_results(page, count)
    assert results == [PASSED] * count, results
    assert RETAKE not in person.main_text(page)
    if step:
        person.shoot_both(page, f"first-weeks-{step}-photos")


def test_a_new_person_reaches_a_verdict_after_a_baseline_and_nine_weeks(
    journey_page: Page, clocked_app: tuple[RunningServer, Clock]
) -> None:
    page = journey_page
    server, clock = clocked_app
    day_one = clock.today
    baseline_days = [day_one + dt.timedelta(days=n) for n in BASELINE_OFFSETS]
    first_session = day_one + dt.timedelta(days=FIRST_SESSION_OFFSET)

    # Sign up and keep the recovery codes, shown once.
    codes = person.sign_up(page, "ruth", PASSWORD)
    assert len(set(codes)) == len(codes) == 10, codes
    person.shoot_both(page, "first-weeks-01-recovery-codes")
    person.keep_recovery_codes(page)
    assert "safety check" in person.main_text(page).lower()
    person.shoot_both(page, "first-weeks-01-signed-up")

    # Safety check, then a plan that begins today with a baseline week.
    decision = person.do_safety_check(page, age=61)
    person.shoot_both(page, "first-weeks-02-safety-check")
    assert DECISION_WORDS["go"].title in decision, decision
    plan_text = person.make_plan(page, day_one, baseline_week=True)
    assert "foundation" in plan_text.lower()
    for number, day in enumerate(baseline_days, start=1):
        line = f"Baseline day {number} of {MIN_BASELINE}: {person.short_day_words(day)}"
        assert line in plan_text, plan_text
    assert f"before your first session on {person.short_day_words(first_session)}" in plan_text
    person.shoot_both(page, "first-weeks-03-plan")

    # The baseline week: Today names each baseline day; its photo and rating are taken from the
    # links Today offers; no session is offered until the first session's day.
    while clock.today < first_session:
        today_text = person.open_today(page)
        assert person.todays_date(page) == person.day_words(clock.today), today_text
        assert not person.offers_a_session(today_text), today_text
        assert person.short_day_words(first_session) in today_text, today_text
        if clock.today in baseline_days:
            number = baseline_days.index(clock.today) + 1
            heading = f"Baseline day {number} of {MIN_BASELINE}: take today's photo and rating"
            assert heading in today_text, today_text
            person.shoot_both(page, f"first-weeks-04-baseline-day-{number}-today")
            if number == 1:
                assert "Skip the baseline and start today" in today_text, today_text
            person.upload_photo(page, BASELINE_PHOTOS[number - 1], from_today=True)
            # An upload counts as taken at once, while it is checked; skipping is over.
            today_text = person.open_today(page)
            assert "Today's photo is saved" in today_text, today_text
            assert "Skip the baseline" not in today_text, today_text
            # Today counts the photo once the worker has analysed it and it passed the gate.
            _photos_pass(page, number)
            journal = person.rate_skin(page, BASELINE_RATINGS[number - 1], from_today=True)
            assert person.day_words(clock.today) in journal
            today_text = person.open_today(page)
            assert f"Baseline day {number} is done. Thank you." in today_text, today_text
            assert "Today's photo is saved." in today_text, today_text
            assert "Today's rating is saved." in today_text, today_text
            person.shoot_both(page, f"first-weeks-04-baseline-day-{number}-done")
        else:
            assert "Your baseline week: nothing to measure today" in today_text, today_text
            later = next(day for day in baseline_days if day > clock.today)
            assert f"Your next baseline day is {person.short_day_words(later)}." in today_text
            person.shoot_both(page, f"first-weeks-04-between-baseline-days-{clock.today:%d}")
        home_text = person.open_home(page)
        assert person.home_line(clock.today) in home_text, home_text
        # Home says what Today says: the baseline day, or the baseline week's day between.
        if clock.today in baseline_days:
            assert f"Baseline day {number} is done. Thank you." in home_text, home_text
        else:
            assert "Your baseline week: nothing to measure today" in home_text, home_text
        assert "No session is planned today" not in home_text, home_text
        person.shoot_both(page, f"first-weeks-04-home-{(clock.today - day_one).days + 1}")
        clock.advance(1)

    # The photos were analysed by the worker; the gate's answer is on the photo list.
    _photos_pass(page, MIN_BASELINE, "05-baseline")

    # Nine weeks of sessions: each planned day's session, a rating and a photo each week.
    assert clock.today == first_session
    progress_text = person.open_progress(page)
    assert "before the first session" in progress_text
    person.shoot_both(page, "first-weeks-06-progress-after-baseline")
    done: set[dt.date] = set()
    for week in range(1, SESSION_WEEKS + 1):
        for day_of_week in range(7):
            if day_of_week:
                clock.advance(1)
            today_text = person.open_today(page)
            assert person.todays_date(page) == person.day_words(clock.today), today_text
            if not person.offers_a_session(today_text):
                continue
            if not done:
                assert clock.today == first_session
                person.shoot_both(page, "first-weeks-07-first-session-today")
                message = person.play_session(
                    page, PLAYER_SPEED, end_screen="first-weeks-08-first-session-end-screen"
                )
                person.shoot_both(page, "first-weeks-08-first-session-done")
                assert "Well done" in message, message
            else:
                finished = person.do_session_quickly(page)
                assert finished["status"] == "completed", finished
            done.add(clock.today)
        person.upload_photo(page, WEEKLY_PHOTOS[week - 1])
        if week in TAPPED_WEEKS:
            person.rate_skin(page, weekly_rating(week))
        else:
            person.post_rating(page, clock.today, weekly_rating(week))
        if week in CHECKED_WEEKS:
            _photos_pass(page, MIN_BASELINE + week, f"09-week-{week}")
            _agree_on_the_day(page, clock, day_one, done, f"09-week-{week}")
        if week < SESSION_WEEKS:
            clock.advance(1)
    assert len(done) >= SESSION_WEEKS * 3, sorted(done)
    assert min(done) == first_session

    # After the baseline and nine weeks: a verdict, on the day shown.
    assert (clock.today - day_one).days // 7 >= MIN_WEEKS
    progress_text = person.open_progress(page)
    ratings = person.verdicts(page, "Your self-ratings")
    person.shoot_both(page, "first-weeks-10-progress-verdict")
    not_enough = VERDICT_WORDS["not_enough_data"]
    assert ratings[MEASURES["firmness"].title] == VERDICT_WORDS["improving"], ratings
    assert set(ratings.values()) - {not_enough}, ratings
    assert "Judge progress after at least" not in progress_text
    assert person.overall_sessions(progress_text)[0] == len(done)
    assert server.process.poll() is None
