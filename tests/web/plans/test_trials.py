"""Trials on my plan: the side drawn at random and shown with its day, a side chosen recorded as
chosen, the on/off weeks with their Today words and phases, and the weeks a trial needs."""

from __future__ import annotations

import datetime as dt
import secrets
from unittest import mock

import pytest
from django.urls import reverse

from collagen_coach.core import trials
from collagen_coach.core.progress.power import power_weeks
from collagen_coach.core.words import day_in_words
from collagen_coach.web.journal import services as journal
from collagen_coach.web.plans.services import current_program

from .test_plan_pages import profile_form, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def drawing(side: str):
    """Make the draw give ``side``; every other use of ``secrets.choice`` (sign-in tokens) stays
    as it is. The mock's ``draws`` counts the draws of a side."""
    real = secrets.choice
    patcher = mock.patch.object(trials.secrets, "choice")
    fake = patcher.start()
    fake.draws = 0

    def choose(options):
        if tuple(options) == ("left", "right"):
            fake.draws += 1
            return side
        return real(options)

    fake.side_effect = choose
    return patcher, fake


@pytest.fixture
def draw_gives():
    started = []

    def start(side: str):
        patcher, fake = drawing(side)
        started.append(patcher)
        return fake

    yield start
    for patcher in reversed(started):  # the last one patched the first's mock
        patcher.stop()


def _make(browser, **changes):
    return browser.post(reverse("plans:profile"), profile_form(**changes), follow=True)


def test_the_form_offers_the_draw_and_the_weeks_a_trial_needs(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    page = browser.get(reverse("plans:profile")).content.decode()
    assert "draw the side for me (recommended)" in page
    assert trials.DRAW_WHY in page
    assert "Split-face: the change that matters here" in page
    assert "Before your baseline, at the least wobble a whole-number rating can have" in page
    assert "from rounding alone" in page


def test_the_side_drawn_at_random_is_recorded_and_shown(browser_of, draw_gives) -> None:
    browser, person = browser_of("ann")
    screened(person)
    choice = draw_gives("left")
    page = _make(browser, treated_side="draw").content.decode()
    assert choice.draws == 1
    program = current_program(person)
    assert program is not None
    draw = program.profile.side_draw
    assert draw is not None
    assert (draw.side, draw.how) == ("left", "drawn")
    assert program.profile.treated_side == "left"
    assert f"The left side was drawn at random on {day_in_words(TODAY, year=True)}." in page
    assert trials.DRAW_WHY in page
    assert "Expect about" in page  # the weeks it needs, in the plan's summary
    # Changing the plan with the draw again keeps the side drawn.
    choice = draw_gives("right")
    _make(browser, treated_side="draw", minutes_per_day="6")
    assert choice.draws == 0
    again = current_program(person)
    assert again is not None
    assert again.profile.side_draw == draw
    assert browser.get(reverse("plans:profile")).context["form"].initial["treated_side"] == "draw"


def test_a_side_she_chooses_is_recorded_as_chosen(browser_of, draw_gives) -> None:
    browser, person = browser_of("ann")
    screened(person)
    choice = draw_gives("left")
    page = _make(browser, treated_side="right").content.decode()
    assert choice.draws == 0
    program = current_program(person)
    assert program is not None
    assert program.profile.side_draw is not None
    assert program.profile.side_draw.how == "chosen"
    assert f"You chose the right side on {day_in_words(TODAY, year=True)}" in page
    assert trials.DRAW_WHY not in page.split("Your trial")[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"schedule": "on_off", "weeks": "6"},
            "An on/off plan needs at least 8 weeks: 2 blocks of 2 weeks with massage and 2 "
            "without.",
        ),
        ({"schedule": "sometimes"}, "Choose every week, or on and off."),
        (
            {"treated_side": "middle"},
            "Choose both sides, or how to settle the one side to massage.",
        ),
    ],
)
def test_bad_trial_answers_get_one_clear_message(browser_of, changes, message) -> None:
    browser, person = browser_of("ann")
    screened(person)
    response = _make(browser, **changes)
    assert current_program(person) is None
    form = response.context["form"]
    assert [e for errors in form.errors.values() for e in errors] == [message]
    assert message in response.content.decode()


def test_an_on_off_plan_shows_its_weeks_off_and_today_says_so(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    started = TODAY - dt.timedelta(weeks=2)  # today falls in the first weeks without massage
    page = _make(browser, schedule="on_off", start_date=started.isoformat()).content.decode()
    program = current_program(person)
    assert program is not None
    assert program.is_off(TODAY)
    assert program.session_on(TODAY) is None
    assert "in the weeks with massage." in page
    assert "Your weeks without massage:" in page
    assert "Before your baseline, at the least wobble" in page
    today_page = browser.get(reverse("guide:today")).content.decode()
    assert trials.OFF_WEEK_WORDS in today_page
    assert "off week" in today_page
    # Below the strip, Today says the off week too, not a rest day, and what to measure.
    sessions = {s.date for s in program.sessions}
    measuring = trials.is_measuring_day(TODAY, sessions)
    after = [d for d in sessions if d > TODAY]
    assert "No massage today: this is a week without massage" in today_page
    assert f"Massage starts again on {day_in_words(min(after), weekday=True)}." in today_page
    assert "Rest days are part of the plan" not in today_page
    assert ("Take today's photo" in today_page) == measuring
    home = browser.get(reverse("home")).content.decode()
    assert "No massage today: this is a week without massage" in home
    assert "A rest day" not in home
    # The journal marks what is measured now as taken without massage.
    journal.rate(person, TODAY, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)
    journal.rate(person, started, firmness=6, elasticity=5, fine_lines=5, glow=5, sagging=5)
    phases = {(o.date, o.phase) for o in journal.progress_observations(person)}
    assert phases == {(TODAY, "off"), (started, "treatment")}


def test_the_weeks_a_trial_needs_come_from_her_own_baseline(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    started = TODAY - dt.timedelta(days=6)  # the baseline days are past
    _make(browser, schedule="on_off", baseline_week="on", start_date=started.isoformat())
    program = current_program(person)
    assert program is not None
    for day, score in zip(program.baseline_days, (5, 5, 6), strict=True):
        journal.rate(person, day, firmness=score, elasticity=5, fine_lines=5, glow=5, sagging=5)
    page = browser.get(reverse("plans:plan")).content.decode()
    assert "Firmness: your day-to-day wobble about ±0.58 points hides a 1-point difference" in page
    assert "Before your baseline" not in page


def test_a_split_face_plan_shorter_than_its_estimate_says_so_on_the_plan(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    _make(browser, treated_side="left", weeks="12")
    page = browser.get(reverse("plans:plan")).content.decode()
    needed = power_weeks(2**0.5, 1.96 * 2**0.5 / 8, 5)
    assert needed is not None
    assert needed > 12
    assert f"Expect about {needed} weeks at 5 measuring days a week" in page
    assert (
        f"Your plan runs 12 weeks; a change of that size would need about {needed}: lengthen "
        f"the plan to {needed} weeks, or read the result as a first look." in page
    )
