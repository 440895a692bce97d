"""What today holds, said the same on Today and on the home page: a baseline day's photo and
rating (an upload counts as taken while it is checked), skipping offered only before the first
measurement, and "done" instead of offers once the day's rating and photo are saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.plans.services import current_program, save_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()
BASELINE_DAY_ONE = "Baseline day 1 of 3: take today's photo and rating"
SKIP = "Skip the baseline and start today"


def plan_from(person, start: dt.date, *, baseline_week: bool = True):
    intake = Intake(age=61, as_of=TODAY)
    decision = screen(intake, today=TODAY)
    save_intake(person, intake, decision)
    profile = Profile(
        age=61, start_date=start, days_per_week=5, intake=intake, baseline_week=baseline_week
    )
    program = build_plan(profile, decision)
    save_program(person, program)
    return program


def shown(browser, name: str) -> str:
    return browser.get(reverse(name)).content.decode()


def rate_today(person) -> None:
    journal.rate(person, TODAY, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)


def upload_today(person, status: str = PhotoStatus.QUEUED, ok: bool | None = None) -> Photo:
    measurement = None
    if ok is not None:
        measurement = PhotoMeasurement.objects.create(
            client=person, date=TODAY, file_name="face.jpg", ok=ok, algorithm="test@1"
        )
    return Photo.objects.create(
        client=person,
        taken_on=TODAY,
        original_name="face.jpg",
        image="face.jpg",
        status=status,
        measurement=measurement,
    )


def test_home_and_today_say_the_same_on_a_baseline_day(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY)
    home, today = shown(browser, "home"), shown(browser, "guide:today")
    for page in (home, today):
        assert BASELINE_DAY_ONE in page
        assert 'class="week-strip"' in page
        assert reverse("photos:upload") in page
    assert "A rest day" not in home
    assert "No session is planned today" not in home
    assert "{#" not in home  # the partials' notes stay in the templates
    assert "{#" not in today


def test_home_says_the_baseline_weeks_day_between(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=1))
    home = shown(browser, "home")
    assert "Your baseline week: nothing to measure today" in home
    assert "A rest day" not in home


def test_home_shows_the_week_strip_and_the_session_once_sessions_begin(browser_of) -> None:
    browser, person = browser_of("ann")
    program = plan_from(person, TODAY - dt.timedelta(days=21), baseline_week=False)
    home = shown(browser, "home")
    assert 'class="week-strip"' in home
    assert 'aria-current="date"' in home
    if program.session_on(TODAY):
        assert "Start today's session" in home
    else:
        assert "A rest day" in home


def test_an_uploaded_photo_counts_as_taken_while_it_is_checked(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY)
    upload_today(person)
    for name in ("home", "guide:today"):
        page = shown(browser, name)
        assert "Today's photo is saved; it is being checked." in page
        assert "Take today's photo</a>" not in page


def test_a_photo_that_failed_the_quality_check_offers_a_retake(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY)
    upload_today(person, PhotoStatus.DONE, ok=False)
    page = shown(browser, "guide:today")
    assert "Today's photo did not pass the quality check." in page
    assert "Take today's photo again" in page
    assert "Baseline day 1 is done" not in page


def test_a_photo_that_passed_and_a_rating_finish_the_baseline_day(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY)
    upload_today(person, PhotoStatus.DONE, ok=True)
    rate_today(person)
    for name in ("home", "guide:today"):
        page = shown(browser, name)
        assert "Baseline day 1 is done. Thank you." in page
        assert "Today's photo is saved." in page


def test_skipping_is_offered_only_before_the_first_baseline_measurement(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY)
    assert SKIP in shown(browser, "guide:today")
    assert SKIP in shown(browser, "plans:plan")
    rate_today(person)
    for name in ("home", "guide:today", "plans:plan"):
        assert SKIP not in shown(browser, name)


def test_skipping_after_a_baseline_measurement_is_refused_and_changes_nothing(browser_of) -> None:
    browser, person = browser_of("ann")
    program = plan_from(person, TODAY - dt.timedelta(days=1))
    journal.rate(
        person,
        TODAY - dt.timedelta(days=1),
        firmness=5,
        elasticity=5,
        fine_lines=5,
        glow=5,
        sagging=5,
    )
    response = browser.post(reverse("plans:skip_baseline"), follow=True)
    page = response.content.decode()
    assert "the baseline can be skipped only before its first photo or rating is saved" in page
    assert current_program(person) == program


def test_after_the_baseline_week_skipping_is_not_offered(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=5))
    for name in ("home", "guide:today", "plans:plan"):
        assert SKIP not in shown(browser, name)


def test_home_and_the_journal_say_done_once_the_rating_and_photo_are_saved(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=21), baseline_week=False)
    home = shown(browser, "home")
    assert "Log how your skin feels" in home
    assert "Take a progress photo" in home
    assert "Rate my skin today" in shown(browser, "journal:index")
    rate_today(person)
    upload_today(person, PhotoStatus.DONE, ok=True)
    home = shown(browser, "home")
    assert "Log how your skin feels" not in home
    assert "Take a progress photo" not in home
    assert "Today's rating is saved." in home
    assert "Today's photo is saved." in home
    journal_page = shown(browser, "journal:index")
    assert "Rate my skin today" not in journal_page
    assert "Today's rating is saved" in journal_page


def test_messages_write_the_day_without_a_leading_zero(browser_of) -> None:
    browser, _person = browser_of("ann")
    day = TODAY.replace(day=3) if TODAY.day >= 3 else TODAY.replace(day=1)
    response = browser.post(
        reverse("journal:rating"),
        {
            "date": day.isoformat(),
            "firmness": 5,
            "elasticity": 5,
            "fine_lines": 5,
            "glow": 5,
            "sagging": 5,
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Saved your rating for {day.day} {day:%B}." in page
    assert f"{day:%d %B}." not in page


def test_today_the_plan_and_progress_name_the_same_first_verdict_day(browser_of) -> None:
    browser, person = browser_of("ann")
    day_one = TODAY - dt.timedelta(days=4)
    program = plan_from(person, day_one)
    for day in program.baseline_days:
        journal.rate(person, day, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)
    possible = day_one + dt.timedelta(weeks=8)
    when = f"{possible:%A} {possible.day} {possible:%B %Y} at the earliest (in about 7 weeks)"
    for name in ("guide:today", "plans:plan", "progress:dashboard"):
        assert when in shown(browser, name), name
    progress = shown(browser, "progress:dashboard")
    assert "cover 0 weeks" not in progress
    assert "About 8 more weeks" not in progress
    assert "about 7 more weeks of measurements needed" in progress
    assert "progress is judged from here on" not in shown(browser, "plans:plan")
