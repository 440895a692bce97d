"""The safety check pages: questions in plain words with consent, the decision, bad input."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.core.screening import CONDITIONS, MEDICATIONS, PROCEDURE_KINDS
from collagen_coach.web.clients.forms import (
    CONDITION_WORDS,
    CONSENT_TEXT,
    MEDICATION_WORDS,
    PROCEDURE_WORDS,
)
from collagen_coach.web.clients.models import IntakeRecord

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()


def intake_form(
    age: Any = 58,
    conditions: tuple[str, ...] = (),
    medications: tuple[str, ...] = (),
    procedures: tuple[dict[str, Any], ...] = (),
    consent: bool = True,
    rows: int = 3,
) -> dict[str, Any]:
    """Give the intake form's POST data, as the browser sends it."""
    groups = {
        "skin_now": {
            "rosacea_flare",
            "active_acne",
            "skin_infection",
            "cold_sore",
            "open_wound",
            "sunburn",
            "eczema_flare",
            "fragile_skin",
            "broken_capillaries",
        },
        "circulation": {"bleeding_disorder", "recent_stroke", "carotid_disease"},
        "treatment_history": {
            "skin_cancer_history",
            "cancer_treatment",
            "head_neck_radiation",
            "recent_facial_surgery",
        },
    }
    data: dict[str, Any] = {
        "age": str(age),
        "medications": list(medications),
        "procedures-TOTAL_FORMS": str(max(rows, len(procedures))),
        "procedures-INITIAL_FORMS": "0",
        "procedures-MIN_NUM_FORMS": "0",
        "procedures-MAX_NUM_FORMS": "12",
    }
    for condition in conditions:
        group = next((g for g, ids in groups.items() if condition in ids), "health")
        data.setdefault(group, []).append(condition)
    for i, procedure in enumerate(procedures):
        data[f"procedures-{i}-kind"] = procedure["kind"]
        data[f"procedures-{i}-zones"] = procedure.get("zones", [])
        data[f"procedures-{i}-date"] = str(procedure.get("date", ""))
    if consent:
        data["consent"] = "on"
    return data


def test_every_screening_answer_has_a_question_in_plain_words() -> None:
    assert set(CONDITION_WORDS) == set(CONDITIONS)
    assert set(MEDICATION_WORDS) == set(MEDICATIONS)
    assert set(PROCEDURE_WORDS) == set(PROCEDURE_KINDS)


def test_the_questions_page_shows_the_questions_and_the_consent_text(browser_of) -> None:
    browser, _ = browser_of("ann")
    page = browser.get(reverse("clients:intake")).content.decode()
    for words in [*CONDITION_WORDS.values(), *MEDICATION_WORDS.values()]:
        assert words.replace("'", "&#x27;") in page
    assert CONSENT_TEXT in page
    assert 'name="consent"' in page


def test_answers_with_consent_are_saved_with_the_consent_and_lead_to_the_decision(
    browser_of,
) -> None:
    browser, person = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form())
    record = IntakeRecord.objects.get(client=person)
    assert response["Location"] == reverse("clients:decision", args=[record.pk])
    assert record.decision_kind == "go"
    assert record.answers["age"] == 58
    assert record.consent_text == CONSENT_TEXT
    assert record.consented_at is not None
    assert record.as_of == TODAY
    page = browser.get(response["Location"]).content.decode()
    assert "You can start" in page
    assert "Make my plan" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"age": ""}, "age", "Give your age in whole years"),
        ({"age": "17"}, "age", "for adults only"),
        ({"age": "fifty"}, "age", "whole number of years"),
        ({"age": "140"}, "age", "not a plausible age"),
        ({"consent": False}, "consent", "Tick the box"),
        ({"medications": ("vitamin_pills",)}, "medications", "Tick only the medicines listed"),
    ],
    ids=["no-age", "under-18", "age-in-words", "age-too-high", "no-consent", "unknown-medicine"],
)
def test_a_bad_answer_gets_one_message_on_its_field_and_nothing_is_saved(
    browser_of, changes: dict[str, Any], field: str, message: str
) -> None:
    browser, person = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form(**changes))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert len(form.errors[field]) == 1
    assert message in form.errors[field][0]
    assert "Nothing has been saved yet" in response.content.decode()
    assert not IntakeRecord.objects.filter(client=person).exists()


@pytest.mark.parametrize(
    ("procedure", "field", "message"),
    [
        ({"kind": "laser", "date": TODAY + dt.timedelta(days=3)}, "date", "after today"),
        ({"kind": "laser"}, "date", "Give the date"),
        ({"kind": "", "date": TODAY}, "kind", "Choose which treatment"),
        ({"kind": "laser", "date": "20/11/2026"}, "date", "day on the calendar"),
        ({"kind": "tattoo", "date": TODAY}, "kind", "Choose a treatment from the list"),
    ],
    ids=["future-date", "no-date", "no-kind", "date-not-iso", "unknown-kind"],
)
def test_a_bad_treatment_gets_one_message_and_nothing_is_saved(
    browser_of, procedure: dict[str, Any], field: str, message: str
) -> None:
    browser, person = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form(procedures=(procedure,)))
    assert response.status_code == 200
    row = response.context["procedures"].forms[0]
    assert list(row.errors) == [field]
    assert message in row.errors[field][0]
    assert not IntakeRecord.objects.filter(client=person).exists()


def test_several_treatments_are_screened_and_their_areas_shown_on_the_face_map(
    browser_of,
) -> None:
    browser, person = browser_of("ann")
    recent = TODAY - dt.timedelta(days=3)
    response = browser.post(
        reverse("clients:intake"),
        intake_form(
            procedures=(
                {"kind": "botulinum_toxin", "zones": ["forehead", "glabella"], "date": recent},
                {"kind": "dermal_filler", "zones": ["nasolabial"], "date": recent},
            )
        ),
    )
    record = IntakeRecord.objects.get(client=person)
    assert [p["kind"] for p in record.answers["procedures"]] == ["botulinum_toxin", "dermal_filler"]
    assert record.decision_kind == "modify"
    page = browser.get(response["Location"]).content.decode()
    assert "You can start, with some changes" in page
    avoided = set(re.findall(r'class="zone zone-avoid" data-zone="(\w+)"', page))
    assert avoided == {"forehead", "glabella", "nasolabial"}
    for name in ("Forehead", "Between the brows", "Smile lines"):
        assert f"<li>{name}</li>" in page
    assert "pale or white, dusky or bluish" in page  # the filler's red flags
    assert f"Until {(recent + dt.timedelta(days=14)):%-d %B %Y}" in page
    assert "evidence: EO (expert opinion or professional guidance)" in page


def test_blood_thinners_cap_the_pressure_and_leave_out_pinching(browser_of) -> None:
    browser, _ = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form(medications=("anticoagulant",)))
    page = browser.get(response["Location"]).content.decode()
    assert "Never press harder than <strong>light</strong>" in page
    assert "<li>Light pinching</li>" in page


def test_a_defer_decision_gives_the_day_to_check_again(browser_of) -> None:
    browser, _ = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form(conditions=("cold_sore",)))
    page = browser.get(response["Location"]).content.decode()
    assert "Wait before you start" in page
    resume = TODAY + dt.timedelta(days=10)
    assert f"{resume:%A} {resume.day} {resume:%B %Y}" in page
    assert "Make my plan" not in page


def test_a_refer_decision_sends_to_a_clinician_and_offers_no_plan(browser_of) -> None:
    browser, _ = browser_of("ann")
    response = browser.post(reverse("clients:intake"), intake_form(conditions=("recent_stroke",)))
    page = browser.get(response["Location"]).content.decode()
    assert "Please see a clinician first" in page
    assert "Make my plan" not in page


def test_the_questions_come_back_filled_with_the_last_answers(browser_of) -> None:
    browser, _ = browser_of("ann")
    browser.post(
        reverse("clients:intake"),
        intake_form(age=61, conditions=("fragile_skin",), medications=("corticosteroid",)),
    )
    response = browser.get(reverse("clients:intake"))
    form = response.context["form"]
    assert form.initial["age"] == 61
    assert form.initial["skin_now"] == ["fragile_skin"]
    assert form.initial["medications"] == ["corticosteroid"]
    assert "consent" not in form.initial


def test_the_latest_result_address_leads_to_the_newest_decision_or_the_questions(
    browser_of,
) -> None:
    browser, person = browser_of("ann")
    assert browser.get(reverse("clients:latest"))["Location"] == reverse("clients:intake")
    browser.post(reverse("clients:intake"), intake_form())
    browser.post(reverse("clients:intake"), intake_form(age=59))
    newest = IntakeRecord.objects.filter(client=person).latest("created_at", "id")
    assert browser.get(reverse("clients:latest"))["Location"] == reverse(
        "clients:decision", args=[newest.pk]
    )


def test_another_persons_decision_answers_404(browser_of) -> None:
    other, _ = browser_of("bob")
    response = other.post(reverse("clients:intake"), intake_form())
    browser, _ = browser_of("ann")
    assert browser.get(response["Location"]).status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [("clients:intake", []), ("clients:latest", []), ("clients:decision", [1])],
)
def test_signed_out_visitors_are_sent_to_sign_in(name: str, args: list[int]) -> None:
    url = reverse(name, args=args)
    response = Browser().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_an_avoidance_that_has_ended_is_not_shown_as_current(browser_of) -> None:
    # As in the demo: injections in the forehead ten days before a start ten weeks ago. The
    # safety page, read today, must not tell her to leave the forehead alone any more.
    from collagen_coach.core.screening import Intake, Procedure, screen
    from collagen_coach.web.clients.services import save_intake

    browser, person = browser_of("ann")
    start = TODAY - dt.timedelta(days=70)
    injected = start - dt.timedelta(days=10)
    intake = Intake(
        age=58,
        procedures=[Procedure(kind="botulinum_toxin", zones=["forehead"], date=injected)],
        as_of=start,
    )
    record = save_intake(person, intake, screen(intake, today=start))

    page = browser.get(reverse("clients:decision", args=[record.pk])).content.decode()

    assert re.findall(r'class="zone zone-avoid" data-zone="(\w+)"', page) == []
    assert "<li>Forehead</li>" not in page
    assert f"Ended on {(injected + dt.timedelta(days=14)):%-d %B %Y}" in page
    assert "These limits ended on" in page
