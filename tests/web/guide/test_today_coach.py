"""Today as a coach: the baseline day by day, the week strip, the peptide tick, the habit card
and when progress can first be judged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Decision
from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import PeptideIntake
from collagen_coach.web.plans.services import save_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()
GO = Decision(
    decision="go", reasons=[], avoid_zones=[], exclude_techniques=[], max_pressure=5, resume_on=None
)


def plan_from(person, start: dt.date, **changes: object):
    profile = Profile(age=61, start_date=start, days_per_week=5, **changes)
    program = build_plan(profile, GO)
    save_program(person, program)
    return program


def page(browser) -> str:
    return browser.get(reverse("guide:today")).content.decode()


def test_baseline_day_one_asks_for_the_photo_and_the_rating(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY, baseline_week=True)
    shown = page(browser)
    assert "Baseline day 1 of 3: take today's photo and rating" in shown
    assert reverse("photos:upload") in shown
    assert reverse("journal:rating") in shown
    assert "Start the session" not in shown
    assert "Skip the baseline and start today" in shown
    assert "at the earliest (in about 8 weeks)" in shown


def test_a_rating_saved_on_a_baseline_day_is_ticked(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=4), baseline_week=True)
    journal.rate(person, TODAY, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)
    shown = page(browser)
    assert "Baseline day 3 of 3" in shown
    assert "Today's rating is saved." in shown
    assert "Take today's photo" in shown


def test_between_baseline_days_today_names_the_next_one(browser_of) -> None:
    browser, person = browser_of("ann")
    program = plan_from(person, TODAY - dt.timedelta(days=1), baseline_week=True)
    shown = page(browser)
    assert "Your baseline week: nothing to measure today" in shown
    assert f"{TODAY + dt.timedelta(days=1):%A} {(TODAY + dt.timedelta(days=1)).day}" in shown
    assert program.treatment_from == TODAY + dt.timedelta(days=4)


def test_the_first_session_day_offers_the_session_and_the_week_strip(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=5), baseline_week=True)
    response = browser.get(reverse("guide:today"))
    shown = response.content.decode()
    assert "Start the session" in shown
    strip = response.context["strip"]
    assert [d.date.weekday() for d in strip] == list(range(7))
    today_cell = next(d for d in strip if d.is_today)
    assert today_cell.state == "planned"
    assert today_cell.words == "session"
    assert 'aria-current="date"' in shown


def test_week_three_shows_done_and_missed_days_the_streak_and_the_week_before(browser_of) -> None:
    browser, person = browser_of("ann")
    program = plan_from(person, TODAY - dt.timedelta(days=21))
    past = [s for s in program.sessions if s.date < TODAY]
    for session in past[:-1]:
        log = journal.start_session_log(person, session.date, session=session)
        for index, step in enumerate(session.steps):
            journal.record_step(log, index, step.duration_s)
        journal.close_session_log(log, played_to_end=True, pain=False, redness=False)
    response = browser.get(reverse("guide:today"))
    habit = response.context["habit"]
    assert habit.done == len(past) - 1
    assert habit.current_streak == 0
    states = {d.date: d.state for d in response.context["strip"]}
    if past[-1].date in states:
        assert states[past[-1].date] == "missed"
    shown = response.content.decode()
    assert "habit strength (0–100)" in shown
    assert "last week:" in shown
    assert "Your plan has no baseline week" in shown


def test_the_peptide_tick_remembers_the_last_product_and_dose(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=10), wants_peptides=True)
    assert 'name="grams"' in page(browser)  # none yet: a tiny form
    journal.log_peptides(person, TODAY - dt.timedelta(days=1), "5", "Verisol")
    assert "Took today's peptides: Verisol, 5 g" in page(browser)
    response = browser.post(
        reverse("guide:today"), {"product": "Verisol", "grams": "5.00"}, follow=True
    )
    assert "Saved: today&#x27;s peptides, Verisol, 5 g." in response.content.decode()
    assert PeptideIntake.objects.filter(client=person, date=TODAY).count() == 1
    assert "Taken today: 5 g of Verisol." in response.content.decode()


def test_a_bad_peptide_dose_is_refused_with_one_message(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=10), wants_peptides=True)
    response = browser.post(reverse("guide:today"), {"grams": "90"}, follow=True)
    assert response.status_code == 200
    assert not PeptideIntake.objects.filter(client=person).exists()
    assert "30" in response.content.decode()


def test_a_baseline_missed_is_said_plainly_once_the_sessions_begin(browser_of) -> None:
    browser, person = browser_of("ann")
    program = plan_from(person, TODAY - dt.timedelta(days=6), baseline_week=True)
    for day in program.baseline_days:
        journal.rate(person, day, firmness=5, elasticity=5, fine_lines=5, glow=5, sagging=5)
    shown = page(browser)
    assert "Your baseline has photos on 0 and ratings on 3 of the 3 days it needs" in shown
    assert "so your photos cannot be judged against it" in shown
    assert "The first verdict on your ratings is possible from" in shown


def test_a_plan_without_a_baseline_week_is_told_so_once(browser_of) -> None:
    browser, person = browser_of("ann")
    plan_from(person, TODAY - dt.timedelta(days=6))
    shown = page(browser)
    assert "Your baseline has photos on" not in shown
    assert "Your plan has no baseline week" in shown
