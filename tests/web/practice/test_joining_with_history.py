"""A self-carer with her own history joins a practice through its invitation: she is told what
the practice will see and asked; with her consent her own record becomes the practice's client
(no new account, nothing lost, the consent in the audit log); declining changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _invite(studio: dict[str, Any], browser: Callable[..., Any]) -> str:
    answer = browser(studio["pat"]).post(
        reverse("practice:invite", kwargs={"client_id": studio["dan"].pk}), {"how": "copy"}
    )
    link = str(answer.context["link"])
    return link[link.index("/practice/join/") :]


@pytest.fixture
def sam(browser_of: Callable[..., Any], give_history: Callable[..., Any]) -> tuple[Any, Any]:
    """Sam, a self-carer with three weeks of her own history, signed in."""
    web, mine = browser_of("sam")
    give_history(mine)
    return web, mine


def _counts(client: Any) -> dict[str, int]:
    from collagen_coach.web.clients.records import record_counts

    return dict(record_counts(client))


def test_she_is_told_what_the_practice_will_see_and_asked(
    studio: dict[str, Any], browser: Callable[..., Any], sam: tuple[Any, Any]
) -> None:
    web, mine = sam

    page = web.get(_invite(studio, browser)).content.decode()

    for name, count in _counts(mine).items():
        assert f"{count} {name}" in page
    assert "I agree: share my records and join" in page
    assert "No, keep my records to myself" in page
    assert "its practitioners see" in page


def test_with_her_consent_her_own_record_joins_keeping_everything(
    studio: dict[str, Any], browser: Callable[..., Any], sam: tuple[Any, Any]
) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.models import Client
    from collagen_coach.web.clients.services import save_intake
    from collagen_coach.web.practice.models import AuditEvent, Invitation, SessionNote

    web, mine = sam
    dan = studio["dan"]
    dan.email = "dan@example.org"
    dan.save(update_fields=["email"])
    note = SessionNote.objects.create(client=dan, author=studio["pat"], plan="Gentle start.")
    save_intake(dan, Intake(age=60), screen(Intake(age=60)), recorded_by=studio["pat"])
    before = _counts(mine)
    path = _invite(studio, browser)

    answer = web.post(path, {"history": "share"})

    assert answer["Location"] == reverse("practice:my_practitioner")
    mine.refresh_from_db()
    assert (mine.practice, mine.owner, mine.account.username) == (
        studio["practice"],
        studio["pat"],
        "sam",
    )
    assert (mine.display_name, mine.email) == ("Dan", "dan@example.org")
    assert not Client.objects.filter(pk=dan.pk).exists()
    after = _counts(mine)
    assert after["safety check answers"] == before["safety check answers"] + 1
    for name, count in before.items():
        assert after[name] >= count, name
    note.refresh_from_db()
    assert note.client == mine
    assert Invitation.objects.get().accepted_at is not None
    consent = AuditEvent.objects.get(client=mine, what__startswith="consented on joining")
    assert consent.actor == mine.account
    assert consent.what.startswith(
        "consented on joining to share their own records with Skin Studio: "
    )
    assert f"{before['self-ratings']} self-ratings" in consent.what


def test_the_practice_sees_her_history_once_she_joins(
    studio: dict[str, Any], browser: Callable[..., Any], sam: tuple[Any, Any]
) -> None:
    web, mine = sam
    web.post(_invite(studio, browser), {"history": "share"})

    answer = browser(studio["pat"]).get(reverse("clinic:timeline", args=[mine.pk]))

    assert answer.status_code == 200


def test_declining_changes_nothing(
    studio: dict[str, Any], browser: Callable[..., Any], sam: tuple[Any, Any]
) -> None:
    from collagen_coach.web.practice.models import AuditEvent, Invitation

    web, mine = sam
    before = _counts(mine)
    path = _invite(studio, browser)
    events = AuditEvent.objects.count()

    answer = web.post(path, {"history": "decline"})

    assert answer.status_code == 302
    mine.refresh_from_db()
    studio["dan"].refresh_from_db()
    assert (mine.practice, studio["dan"].account) == (None, None)
    assert _counts(mine) == before
    assert Invitation.objects.get().accepted_at is None
    assert AuditEvent.objects.count() == events
    assert browser(studio["pat"]).get(reverse("clinic:timeline", args=[mine.pk])).status_code == 404


def test_joining_without_an_answer_is_refused_with_a_clear_message(
    studio: dict[str, Any], browser: Callable[..., Any], sam: tuple[Any, Any]
) -> None:
    web, mine = sam

    answer = web.post(_invite(studio, browser))

    assert answer.status_code == 400
    assert "Choose one of the two buttons" in answer.content.decode()
    mine.refresh_from_db()
    assert mine.practice is None


def test_an_account_without_history_joins_as_before_without_being_asked(
    studio: dict[str, Any], browser: Callable[..., Any], browser_of: Callable[..., Any]
) -> None:
    web, _ = browser_of("dan")
    path = _invite(studio, browser)

    assert "share my records" not in web.get(path).content.decode()
    web.post(path)

    studio["dan"].refresh_from_db()
    assert studio["dan"].account.username == "dan"
