"""The baseline week on my plan: offered by default, skipped with its cost said, taken again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from collagen_coach.core.planning import baseline_dates
from collagen_coach.web.plans.services import current_program

from .test_plan_pages import profile_form, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def test_a_new_plan_offers_the_baseline_week_ticked(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    response = browser.get(reverse("plans:profile"))
    assert response.context["form"].initial["baseline_week"] is True
    assert "Start with a baseline week (recommended)" in response.content.decode()


def test_a_plan_with_a_baseline_week_starts_its_sessions_after_it(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    response = browser.post(reverse("plans:profile"), profile_form(baseline_week="on"), follow=True)
    program = current_program(person)
    assert program is not None
    assert program.baseline_days == baseline_dates(TODAY)
    assert program.treatment_from == TODAY + dt.timedelta(days=5)
    page = response.content.decode()
    assert "It begins with your baseline: photos and a rating on" in page
    assert "Baseline day 1 of 3" in page
    assert "Skip the baseline and start today" in page


def test_skipping_the_baseline_starts_today_and_says_what_it_costs(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form(baseline_week="on"))
    response = browser.post(reverse("plans:skip_baseline"), follow=True)
    program = current_program(person)
    assert program is not None
    assert program.baseline_days == []
    assert program.first_session_on == TODAY
    page = response.content.decode()
    assert "Your plan now starts today, without a baseline week." in page
    assert "no measure gets a verdict" in page


def test_a_pause_week_takes_the_baseline_again_once_the_sessions_have_begun(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    started = (TODAY - dt.timedelta(days=14)).isoformat()
    browser.post(reverse("plans:profile"), profile_form(start_date=started))
    assert (
        "Take my baseline again (a pause week)"
        in browser.get(reverse("plans:plan")).content.decode()
    )
    response = browser.post(reverse("plans:pause_for_baseline"), follow=True)
    program = current_program(person)
    assert program is not None
    assert program.baseline_days == baseline_dates(TODAY)
    assert program.earlier_history_before == TODAY
    assert program.first_session_on == TODAY - dt.timedelta(days=14)  # history kept
    page = response.content.decode()
    assert "Your pause week starts today" in page
    assert "measurements from before then stay in your journal" in page


def test_a_pause_week_is_refused_before_the_sessions_have_begun(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form(baseline_week="on"))
    before = current_program(person)
    response = browser.post(reverse("plans:pause_for_baseline"), follow=True)
    assert "your sessions have not begun yet" in response.content.decode()
    assert current_program(person) == before
