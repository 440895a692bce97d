"""The safety check on the client's behalf: the same questions, the client's consent confirmed
by the practitioner, and the record of who entered it, when, and the text agreed to."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.web.clients.forms import CONDITION_GROUPS
from collagen_coach.web.clients.models import IntakeRecord
from collagen_coach.web.practice.models import AuditEvent
from web.clinic.conftest import Practice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def answers(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "age": "61",
        "skin_now": ["fragile_skin"],
        "medications": [],
        "consent": "on",
        "procedures-TOTAL_FORMS": "1",
        "procedures-INITIAL_FORMS": "0",
        "procedures-MIN_NUM_FORMS": "0",
        "procedures-MAX_NUM_FORMS": "12",
        "procedures-0-kind": "",
        "procedures-0-date": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_page_asks_every_question_and_shows_the_consent_naming_the_practice(
    studio: Practice,
) -> None:
    web = studio.browser(studio.practitioner)

    page = web.get(reverse("clinic:intake", args=[studio.client.pk])).content.decode()

    for name, *_ in CONDITION_GROUPS:
        assert f'name="{name}"' in page
    assert "the practitioners of Skin Studio can see" in page
    assert "The client has read this text, or I have read it to them, and they agree" in page


def test_answers_with_the_clients_consent_are_saved_with_who_when_and_the_text(
    studio: Practice,
) -> None:
    web = studio.browser(studio.practitioner)

    answer = web.post(reverse("clinic:intake", args=[studio.client.pk]), answers())

    record = IntakeRecord.objects.get(client=studio.client)
    assert answer["Location"] == reverse("clinic:decision", args=[studio.client.pk, record.pk])
    assert record.recorded_by == studio.practitioner
    assert record.consented_at is not None
    assert "the practitioners of Skin Studio can see" in record.consent_text
    assert record.decision_kind == "modify"
    assert AuditEvent.objects.filter(
        client=studio.client, action="change", what=f"safety check #{record.pk}"
    ).exists()
    page = web.get(answer["Location"]).content.decode()
    assert "You can start, with some changes" in page  # the self-carer's decision words
    assert "Light pinching" in page  # left out, as the decision page lists it
    assert "confirmed by pat" in page


def test_without_the_consent_tick_nothing_is_saved_and_the_box_is_named(
    studio: Practice,
) -> None:
    web = studio.browser(studio.practitioner)

    answer = web.post(reverse("clinic:intake", args=[studio.client.pk]), answers(consent=None))

    assert answer.status_code == 200
    assert "Tick the box to confirm the client agreed" in answer.content.decode()
    assert not IntakeRecord.objects.exists()


def test_the_client_sees_the_decision_on_their_own_safety_check_page(studio: Practice) -> None:
    studio.browser(studio.practitioner).post(
        reverse("clinic:intake", args=[studio.client.pk]), answers()
    )
    cora = studio.browser(studio.client.account)

    page = cora.get(reverse("clients:latest"), follow=True).content.decode()

    assert "You can start, with some changes" in page
