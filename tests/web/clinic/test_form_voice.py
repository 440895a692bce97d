"""The client's forms in the practitioner's words: the safety check and the plan's questions say
"the client", where the self-carer's own forms say "I" and "my"."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from collagen_coach.web.clients.forms import CONDITION_GROUPS, IntakeForm
from collagen_coach.web.lib.voice import Said
from collagen_coach.web.plans.forms import (
    EXPERIENCE_CHOICES,
    PEPTIDE_CHOICES,
    SENSITIVITY_CHOICES,
    SIDE_CHOICES,
    ProfileForm,
)
from web.clinic.conftest import Practice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

INTAKE_PAIRS = [words for _, _, words in IntakeForm.VOICED] + [
    words
    for _, legend, help_text, choices in CONDITION_GROUPS
    for words in (legend, help_text, *(w for _, w in choices))
    if isinstance(words, Said) and words.own != words.client
]
# The clinic's plan page asks no baseline-week question (the practice books the baseline).
PLAN_PAIRS = [
    words
    for name, part, words in ProfileForm.VOICED
    if part != "required" and name != "baseline_week"
] + [
    words
    for choices in (EXPERIENCE_CHOICES, SENSITIVITY_CHOICES, PEPTIDE_CHOICES, SIDE_CHOICES)
    for _, words in choices
    if isinstance(words, Said)
]
REQUIRED_MESSAGES = [w for _, part, w in IntakeForm.VOICED if part == "required"]
VISIBLE_INTAKE_PAIRS = [p for p in INTAKE_PAIRS if p not in REQUIRED_MESSAGES]


def _page(web: object, url: str) -> str:
    return html.unescape(web.get(url).content.decode())  # type: ignore[attr-defined]


@pytest.mark.parametrize("pair", VISIBLE_INTAKE_PAIRS, ids=lambda p: p.own[:40])
def test_the_safety_check_for_a_client_speaks_of_the_client(studio: Practice, pair: Said) -> None:
    web = studio.browser(studio.practitioner)

    page = _page(web, reverse("clinic:intake", args=[studio.client.pk]))

    assert pair.client in page
    assert pair.own not in page


@pytest.mark.parametrize("pair", PLAN_PAIRS, ids=lambda p: p.own[:40])
def test_the_plan_questions_for_a_client_speak_of_the_client(studio: Practice, pair: Said) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    intake = Intake(age=60)
    save_intake(studio.client, intake, screen(intake))
    web = studio.browser(studio.practitioner)

    page = _page(web, reverse("clinic:plan", args=[studio.client.pk]))

    assert pair.client in page
    assert pair.own not in page


def test_the_self_carers_own_forms_keep_her_own_words() -> None:
    intake = html.unescape(str(IntakeForm()))
    plan = html.unescape(str(ProfileForm()))

    assert "I am pregnant" in intake
    assert "I am new to facial massage" in plan
    assert "The client" not in intake + plan
