"""A practice's client sees their practice, their practitioner and the notes shared with them,
and may leave the practice, keeping every record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PORTAL = "/practice/mine/"
LEAVE = "/practice/mine/leave/"
PASSWORD = "a long passphrase 1"


def _note(client: Any, author: Any, text: str, shared: bool) -> Any:
    from collagen_coach.web.practice.models import SessionNote

    return SessionNote.objects.create(
        client=client, author=author, subjective=text, plan="More of it.", shared_with_client=shared
    )


def _health_records(client: Any) -> dict[str, int]:
    """Give how many records of each kind the client has, but the practice's invitations and
    audit events."""
    from collagen_coach.web.clients.records import record_counts

    return {
        name: n
        for name, n in record_counts(client)
        if "invitation" not in name and "audit" not in name
    }


def test_the_portal_shows_the_practice_practitioner_plan_and_only_shared_notes(
    studio: dict[str, Any], browser: Callable[..., Any], give_history: Callable[..., Any]
) -> None:
    cora = studio["cora"]
    give_history(cora)
    _note(cora, studio["pat"], "Cheeks feel looser.", shared=True)
    _note(cora, studio["pat"], "Private thought of the practitioner.", shared=False)

    page = browser(cora.account).get(PORTAL).content.decode()

    assert "Skin Studio" in page
    assert "<strong>pat</strong>" in page
    assert "Cheeks feel looser." in page
    assert "Private thought" not in page
    assert reverse("plans:plan") in page
    assert reverse("practice:leave") in page


def test_the_menu_shows_a_practice_client_their_practitioner(
    studio: dict[str, Any], browser: Callable[..., Any], browser_of: Callable[..., Any]
) -> None:
    client_page = browser(studio["cora"].account).get(reverse("home")).content.decode()
    self_carer, _ = browser_of("sam")

    assert "My practitioner" in client_page
    assert "My practitioner" not in self_carer.get(reverse("home")).content.decode()


def test_leaving_offers_the_export_first(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    page = browser(studio["cora"].account).get(LEAVE).content.decode()

    assert f'action="{reverse("my_data:export")}"' in page


def test_leaving_with_the_password_makes_the_client_a_self_carer_who_keeps_everything(
    studio: dict[str, Any], browser: Callable[..., Any], give_history: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent, Invitation

    cora = studio["cora"]
    give_history(cora)
    Invitation.objects.create(
        practice=studio["practice"],
        client=cora,
        token_sha256="x" * 64,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    counts = _health_records(cora)
    web = browser(cora.account)

    answer = web.post(LEAVE, {"password": PASSWORD})

    assert answer["Location"] == reverse("home")
    cora.refresh_from_db()
    assert (cora.practice, cora.owner, cora.account.get_username()) == (None, None, "cora")
    assert _health_records(cora) == counts
    assert not Invitation.objects.filter(client=cora).exists()
    event = AuditEvent.objects.get(practice=studio["practice"])
    assert (event.actor_name, event.client_name, event.what) == (
        "cora",
        "Cora",
        "left the practice",
    )
    assert web.get(PORTAL).status_code == 404
    assert web.get(reverse("plans:plan")).status_code == 200
    listed = browser(studio["pat"]).get(reverse("practice:clients")).context["rows"]
    assert [row.client.display_name for row in listed] == ["Dan"]


def test_a_wrong_password_changes_nothing(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    answer = browser(studio["cora"].account).post(LEAVE, {"password": "not my password"})

    assert answer.status_code == 400
    assert answer.context["form"].errors["password"] == [
        "That is not your password. Nothing has changed."
    ]
    studio["cora"].refresh_from_db()
    assert studio["cora"].practice == studio["practice"]
    assert not AuditEvent.objects.exists()
