"""My plan pages: the profile form, the program phase by phase, re-planning, what comes first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.web.clients.models import Client, ClientProfile
from collagen_coach.web.clients.services import save_intake
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import current_program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def screened(client: Client, **answers: Any) -> None:
    """Save a safety intake for ``client`` as of today, screened by the real rules."""
    intake = Intake(age=answers.pop("age", 58), as_of=TODAY, **answers)
    save_intake(client, intake, screen(intake, today=TODAY))


def profile_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "age": "58",
        "concerns": ["sagging", "fine_lines"],
        "experience": "new",
        "minutes_per_day": "8",
        "days_per_week": "5",
        "sensitivity": "normal",
        "wants_peptides": "no",
        "start_date": TODAY.isoformat(),
        "weeks": "12",
        "treated_side": "both",
    }
    data.update(changes)
    return data


def test_without_a_safety_check_the_plan_sends_to_the_questions(browser_of) -> None:
    browser, _ = browser_of("ann")
    for name in ("plans:plan", "plans:profile"):
        assert browser.get(reverse(name))["Location"] == reverse("clients:intake")
    assert browser.post(reverse("plans:replan"))["Location"] == reverse("clients:intake")


def test_after_the_safety_check_the_plan_asks_for_the_profile(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person, age=63)
    assert browser.get(reverse("plans:plan"))["Location"] == reverse("plans:profile")
    response = browser.get(reverse("plans:profile"))
    assert response.context["form"].initial["age"] == 63
    page = response.content.decode()
    assert "split-face trial means massaging one side only" in page
    assert "evidence: MA" in page  # beside the peptides question


def test_the_profile_makes_and_saves_a_plan_shown_phase_by_phase(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    response = browser.post(reverse("plans:profile"), profile_form())
    assert response["Location"] == reverse("plans:plan")
    program = current_program(person)
    assert program is not None
    assert program.profile.minutes_per_day == 8
    assert program.profile.intake is not None
    page = browser.get(reverse("plans:plan")).content.decode()
    for phase in program.phases:
        assert phase.goal in page
    assert "Foundation" in page
    first = program.sessions[0]
    assert f"{first.date:%A} {first.date.day} {first.date:%B}" in page
    step = first.steps[0]
    assert step.tempo_cue in page
    assert f"(level {step.pressure} of 5)" in page
    assert "evidence:" in page
    assert "Start today's session" in page  # the plan starts today


def test_peptides_appear_as_a_daily_item_with_dose_and_evidence(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form(wants_peptides="yes"))
    page = browser.get(reverse("plans:plan")).content.decode()
    assert "Collagen peptides" in page
    assert "2.5–10 g a day" in page
    assert "Evidence: MA" in page
    assert "Myung" in page  # the critical review is named, not hidden


def test_a_split_face_plan_touches_only_the_treated_side(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form(treated_side="left"))
    program = current_program(person)
    assert program is not None
    assert {s.side for session in program.sessions for s in session.steps} == {"left"}
    assert "on your left side" in browser.get(reverse("plans:plan")).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"minutes_per_day": "2"}, "minutes_per_day", "from 3 to 60"),
        ({"days_per_week": "8"}, "days_per_week", "from 1 to 7"),
        ({"weeks": "two"}, "weeks", "from 4 to 52"),
        ({"start_date": "next week"}, "start_date", "day on the calendar"),
        ({"start_date": (TODAY + dt.timedelta(days=200)).isoformat()}, "start_date", "within 90"),
        ({"experience": "expert"}, "experience", "Select a valid choice"),
        ({"concerns": ["wrinkles"]}, "concerns", "Tick only the concerns listed"),
    ],
    ids=[
        "too-few-minutes",
        "too-many-days",
        "weeks-in-words",
        "bad-date",
        "far-start",
        "unknown-experience",
        "unknown-concern",
    ],
)
def test_a_bad_profile_answer_gets_one_message_and_no_plan(
    browser_of, changes: dict[str, Any], field: str, message: str
) -> None:
    browser, person = browser_of("ann")
    screened(person)
    response = browser.post(reverse("plans:profile"), profile_form(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert len(errors[field]) == 1
    assert message in errors[field][0]
    assert not StoredProgram.objects.filter(client=person).exists()
    assert not ClientProfile.objects.filter(client=person).exists()


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"conditions": ["recent_stroke"]}, "Please see a clinician first"),
        ({"conditions": ["fever"]}, "Wait before you start"),
    ],
    ids=["refer", "defer"],
)
def test_defer_or_refer_shows_why_no_plan_is_made(
    browser_of, answers: dict[str, Any], words: str
) -> None:
    browser, person = browser_of("ann")
    screened(person, **answers)
    page = browser.get(reverse("plans:plan")).content.decode()
    assert "No plan is made for now" in page
    assert words in page
    if "fever" in answers["conditions"]:
        resume = TODAY + dt.timedelta(days=3)
        assert f"{resume:%A} {resume.day} {resume:%B %Y}" in page
    assert browser.post(reverse("plans:profile"), profile_form())["Location"] == reverse(
        "plans:plan"
    )
    assert not StoredProgram.objects.filter(client=person).exists()


def test_a_newer_safety_check_offers_to_replan_and_replanning_follows_it(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form())
    before = StoredProgram.objects.get(client=person, is_current=True)
    assert "Re-plan with my new answers" not in browser.get(reverse("plans:plan")).content.decode()

    screened(
        person,
        procedures=[Procedure(kind="botulinum_toxin", zones=["forehead"], date=TODAY)],
    )
    page = browser.get(reverse("plans:plan")).content.decode()
    assert "Re-plan with my new answers" in page
    assert browser.get(reverse("plans:replan")).status_code == 405

    response = browser.post(reverse("plans:replan"))
    assert response["Location"] == reverse("plans:plan")
    after = StoredProgram.objects.get(client=person, is_current=True)
    assert after.pk != before.pk
    program = after.get_program()
    assert program.decision.avoid_zones == ["forehead"]
    assert program.profile.minutes_per_day == 8  # the saved profile is kept
    first_fortnight = [s for s in program.sessions if s.date < TODAY + dt.timedelta(days=14)]
    assert all(step.zone != "forehead" for s in first_fortnight for step in s.steps)
    assert "Re-plan with my new answers" not in browser.get(reverse("plans:plan")).content.decode()


def test_changing_the_profile_replans(browser_of) -> None:
    browser, person = browser_of("ann")
    screened(person)
    browser.post(reverse("plans:profile"), profile_form())
    browser.post(reverse("plans:profile"), profile_form(minutes_per_day="15"))
    assert StoredProgram.objects.filter(client=person).count() == 2
    program = current_program(person)
    assert program is not None
    assert program.profile.minutes_per_day == 15
    form = browser.get(reverse("plans:profile")).context["form"]
    assert form.initial["minutes_per_day"] == 15


def test_one_persons_plan_is_not_shown_to_another(browser_of) -> None:
    other, bob = browser_of("bob")
    screened(bob)
    other.post(reverse("plans:profile"), profile_form(minutes_per_day="13"))
    browser, _ = browser_of("ann")
    assert browser.get(reverse("plans:plan"))["Location"] == reverse("clients:intake")


@pytest.mark.parametrize(
    ("name", "method"),
    [("plans:plan", "get"), ("plans:profile", "get"), ("plans:replan", "post")],
)
def test_signed_out_visitors_are_sent_to_sign_in(name: str, method: str) -> None:
    url = reverse(name)
    response = getattr(Browser(), method)(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"
