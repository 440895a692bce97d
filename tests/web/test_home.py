"""Today: what to do next, in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Intake, screen
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.journal.services import finish_session_log, start_session_log
from collagen_coach.web.plans.services import save_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def screened(client: Client, **answers: Any) -> None:
    intake = Intake(age=58, as_of=TODAY, **answers)
    save_intake(client, intake, screen(intake, today=TODAY))


def planned(client: Client, start: dt.date, days_per_week: int = 7) -> None:
    intake = Intake(age=58, as_of=TODAY)
    profile = Profile(
        age=58, start_date=start, days_per_week=days_per_week, minutes_per_day=9, intake=intake
    )
    save_program(client, build_plan(profile, screen(intake, today=TODAY)))


def test_first_comes_the_safety_check(browser_of) -> None:
    browser, _ = browser_of("ann")
    page = browser.get(reverse("home")).content.decode()
    assert "Start the safety check" in page
    assert f'href="{reverse("clients:intake")}"' in page


def test_after_the_safety_check_comes_the_plan(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    page = browser.get(reverse("home")).content.decode()
    assert "Make my plan" in page
    assert f'href="{reverse("plans:profile")}"' in page


def test_a_planned_day_offers_todays_session_with_its_phase_and_minutes(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    planned(person, TODAY)
    page = browser.get(reverse("home")).content.decode()
    assert "Start today's session" in page
    assert f'href="{reverse("guide:today")}"' in page
    assert "Foundation phase · about 9 minutes" in page
    assert f'href="{reverse("journal:index")}"' in page
    assert f'href="{reverse("photos:index")}"' in page


def test_a_rest_day_names_the_next_session(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    planned(person, TODAY + dt.timedelta(days=2))
    page = browser.get(reverse("home")).content.decode()
    assert "A rest day" in page
    nxt = TODAY + dt.timedelta(days=2)
    assert f"{nxt:%A} {nxt.day} {nxt:%B}" in page


def test_sessions_done_show_as_a_one_line_tally(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    planned(person, TODAY - dt.timedelta(days=3))
    for days_ago in (3, 2, 1):
        log = start_session_log(person, TODAY - dt.timedelta(days=days_ago))
        finish_session_log(log, pain=False, redness=False)
    page = browser.get(reverse("home")).content.decode()
    assert "So far 3 of 3 planned sessions done (100%). 3 in a row" in page


@pytest.mark.parametrize(
    ("conditions", "words"),
    [(["recent_stroke"], "Please see a clinician first"), (["sunburn"], "Wait before")],
    ids=["refer", "defer"],
)
def test_defer_or_refer_says_so_instead_of_offering_a_session(
    browser_of, conditions: list[str], words: str
) -> None:
    browser, person = browser_of("ann")
    planned(person, TODAY)
    screened(person, conditions=conditions)
    page = browser.get(reverse("home")).content.decode()
    assert words in page
    assert "Start today's session" not in page


def test_a_newer_safety_check_offers_to_replan(browser_of) -> None:
    browser, person = browser_of("ann")
    planned(person, TODAY)
    screened(person, medications=["anticoagulant"])
    assert "Re-plan with my new answers" in browser.get(reverse("home")).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = Browser().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_a_practitioner_without_records_of_their_own_starts_at_the_practices_day(
    make_practice,
) -> None:
    from django.contrib.auth import get_user_model

    from collagen_coach.web.practice.models import Membership, Role

    practice, _ = make_practice("Skin Studio", owner="olive")
    user = get_user_model().objects.create_user("pat", "pat@example.org", "a long passphrase 1")
    Membership.objects.create(practice=practice, user=user, role=Role.PRACTITIONER)
    web = Browser()
    web.force_login(user)

    answer = web.get(reverse("home"))

    assert answer.status_code == 200
    assert "Today at Skin Studio" in answer.content.decode()


def test_a_practitioner_who_keeps_records_of_their_own_finds_them_under_her_own_routine(
    make_practice,
) -> None:
    _, owner = make_practice("Skin Studio", owner="olive")
    web = Browser()
    web.force_login(owner)

    home = web.get(reverse("home"))
    own = web.get(reverse("my_routine"))

    assert home.status_code == 200
    assert reverse("my_routine") in home.content.decode()
    assert own.status_code == 200
    assert "safety check" in own.content.decode().lower()
