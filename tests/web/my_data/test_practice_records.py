"""My data for people in a practice: a client takes what is theirs (and the notes shared with
them), never the practice's own records; deleting an account leaves the practice in good hands."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.clients.models import Client
from collagen_coach.web.practice.models import AuditEvent, Invitation, Membership, Role, SessionNote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PASSWORD = "a long passphrase 1"  # the one make_person gives


def signed_in(user: Any) -> WebClient:
    web = WebClient()
    web.force_login(user)
    return web


def delete_all(web: WebClient, username: str) -> Any:
    return web.post(reverse("my_data:delete"), {"confirm": username, "password": PASSWORD})


@pytest.fixture
def studio(
    make_practice: Callable[..., Any],
    make_practitioner: Callable[..., Any],
    make_practice_client: Callable[..., Client],
) -> dict[str, Any]:
    practice, owner = make_practice("Skin Studio", owner="olive")
    pat = make_practitioner(practice, "pat")
    cora = make_practice_client(practice, "Cora", practitioner=pat, account="cora")
    SessionNote.objects.create(
        client=cora, author=pat, assessment="SHARED-ASSESSMENT", shared_with_client=True
    )
    SessionNote.objects.create(client=cora, author=pat, assessment="PRIVATE-ASSESSMENT")
    AuditEvent.record(
        practice.pk,
        "view",
        "timeline",
        actor=pat,
        actor_name="pat",
        client=cora,
        client_name="Cora",
    )
    _, digest = Invitation.new_token()
    Invitation.objects.create(
        practice=practice,
        client=cora,
        token_sha256=digest,
        created_by=pat,
        expires_at="2030-01-01T00:00Z",
    )
    return {"practice": practice, "owner": owner, "pat": pat, "cora": cora}


def test_a_client_exports_the_notes_shared_with_them_and_nothing_of_the_practice(
    studio: dict[str, Any],
) -> None:
    answer = signed_in(studio["cora"].account).post(reverse("my_data:export"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    names = archive.namelist()
    records = archive.read("records.json").decode()
    assert "SHARED-ASSESSMENT" in records
    assert "PRIVATE-ASSESSMENT" not in records
    assert not [n for n in names if "auditevent" in n or "invitation" in n], names
    assert json.loads(records)


def test_a_client_deleting_everything_leaves_the_practice_its_audit_log(
    studio: dict[str, Any],
) -> None:
    cora = studio["cora"]

    answer = delete_all(signed_in(cora.account), "cora")

    assert answer.status_code == 302
    assert not Client.objects.filter(pk=cora.pk).exists()
    log = AuditEvent.objects.filter(practice=studio["practice"]).order_by("at", "pk")
    assert [(e.client_name, e.what) for e in log] == [
        ("Cora", "timeline"),
        ("Cora", "deleted all their records and their account"),
    ]


def test_a_practitioner_may_go_and_their_clients_stay_with_the_practice(
    studio: dict[str, Any],
) -> None:
    answer = delete_all(signed_in(studio["pat"]), "pat")

    assert answer.status_code == 302
    cora = Client.objects.get(pk=studio["cora"].pk)
    assert cora.practice == studio["practice"]
    assert cora.owner is None


def test_an_owner_with_a_colleague_hands_the_practice_over(studio: dict[str, Any]) -> None:
    answer = delete_all(signed_in(studio["owner"]), "olive")

    assert answer.status_code == 302
    assert Membership.objects.get(user=studio["pat"]).role == Role.OWNER


def test_the_only_person_of_a_practice_with_clients_cannot_delete_their_account(
    make_practice: Callable[..., Any], make_practice_client: Callable[..., Client]
) -> None:
    practice, owner = make_practice("Solo Studio", owner="sol")
    make_practice_client(practice, "Dana")

    answer = delete_all(signed_in(owner), "sol")

    assert answer.status_code == 400
    assert "Solo Studio still keeps the records of 1 client" in answer.content.decode()
    assert Membership.objects.filter(user=owner, role=Role.OWNER).exists()
