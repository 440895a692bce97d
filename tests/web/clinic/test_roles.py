"""Who may open a client's record: members of the client's practice, and nobody else.

Signed out, every address leads to the sign-in page; a self-carer, the client themself and a
practitioner of another practice get 404 (the record's existence is not revealed); the client's
practitioner and the practice's owner get the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.web.practice.models import AuditEvent, SessionNote
from web.clinic.conftest import Practice
from web.clinic.records import TODAY, planned, screened

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FACE = "obama-480p.jpg"


def _addresses(studio: Practice) -> dict[str, str]:
    from pathlib import Path

    from collagen_coach.web.photos.services import store_photo

    cora = studio.client
    record = screened(cora, recorded_by=studio.practitioner)
    stored = planned(cora)
    day = stored.sessions.order_by("date").first().date
    note = SessionNote.objects.create(client=cora, author=studio.practitioner, plan="More tapping")
    faces = Path(__file__).resolve().parents[2] / "fixtures" / "faces"
    photo = store_photo(cora, (faces / FACE).read_bytes(), "me.jpg", TODAY)
    pk = cora.pk
    return {
        "timeline": reverse("clinic:timeline", args=[pk]),
        "photo_image": reverse("clinic:photo_image", args=[pk, photo.pk]),
        "intake": reverse("clinic:intake", args=[pk]),
        "decision": reverse("clinic:decision", args=[pk, record.pk]),
        "plan": reverse("clinic:plan", args=[pk]),
        "plan_edit": reverse("clinic:plan_edit", args=[pk]) + f"?date={day:%Y-%m-%d}",
        "note_new": reverse("clinic:note_new", args=[pk]),
        "note_edit": reverse("clinic:note_edit", args=[pk, note.pk]),
    }


ROLES_WITHOUT_ACCESS = ["self-carer", "the client", "practitioner elsewhere", "owner elsewhere"]


def _outsider(role: str, studio: Practice, make_person: Callable[..., Any], **makers: Any) -> Any:
    if role == "self-carer":
        user, _ = make_person("sam")
        return user
    if role == "the client":
        return studio.client.account
    other, other_owner = makers["make_practice"]("Other Spa", owner="otto")
    if role == "owner elsewhere":
        return other_owner
    return makers["make_practitioner"](other, "peg")


def test_signed_out_every_address_leads_to_sign_in(studio: Practice) -> None:
    for name, url in _addresses(studio).items():
        answer = Browser().get(url)
        assert answer.status_code == 302, name
        assert answer["Location"].startswith(reverse("accounts:login") + "?next="), name


@pytest.mark.parametrize("role", ROLES_WITHOUT_ACCESS)
def test_anyone_outside_the_practice_gets_404_everywhere(
    role: str,
    studio: Practice,
    make_person: Callable[..., Any],
    make_practice: Callable[..., Any],
    make_practitioner: Callable[..., Any],
) -> None:
    addresses = _addresses(studio)
    user = _outsider(
        role, studio, make_person, make_practice=make_practice, make_practitioner=make_practitioner
    )
    web = studio.browser(user)

    answers = {name: web.get(url).status_code for name, url in addresses.items()}
    answers["intake (post)"] = web.post(addresses["intake"], {"age": "60"}).status_code
    answers["note_new (post)"] = web.post(addresses["note_new"], {"plan": "x"}).status_code

    assert set(answers.values()) == {404}, answers
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("member", ["practitioner", "owner"])
def test_the_practitioner_and_the_owner_open_every_address_and_are_logged(
    member: str, studio: Practice
) -> None:
    addresses = _addresses(studio)
    web = studio.browser(getattr(studio, member))

    answers = {name: web.get(url).status_code for name, url in addresses.items()}

    assert set(answers.values()) == {200}, answers
    logged = AuditEvent.objects.filter(client=studio.client, action="view")
    assert logged.count() == len(addresses)
    assert set(logged.values_list("actor_name", flat=True)) == {getattr(studio, member).username}


def test_another_clients_records_answer_404_under_this_clients_address(
    studio: Practice, make_practice_client: Callable[..., Any]
) -> None:
    addresses = _addresses(studio)
    dora = make_practice_client(studio.practice, "Dora", practitioner=studio.practitioner)
    web = studio.browser(studio.practitioner)
    cora_note = SessionNote.objects.get(client=studio.client)

    note_elsewhere = reverse("clinic:note_edit", args=[dora.pk, cora_note.pk])
    decision_elsewhere = addresses["decision"].replace(f"/{studio.client.pk}/", f"/{dora.pk}/")
    photo_elsewhere = addresses["photo_image"].replace(f"/{studio.client.pk}/", f"/{dora.pk}/")

    assert web.get(note_elsewhere).status_code == 404
    assert web.get(decision_elsewhere).status_code == 404
    assert web.get(photo_elsewhere).status_code == 404
