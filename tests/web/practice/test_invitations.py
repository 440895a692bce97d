"""Inviting a client to their own account: a link shown once, valid 14 days, used once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _invite(studio: dict[str, Any], browser: Callable[..., Any]) -> str:
    """Give the path of a fresh invitation link for Dan, made by pat."""
    answer = browser(studio["pat"]).post(
        reverse("practice:invite", kwargs={"client_id": studio["dan"].pk})
    )
    assert answer.status_code == 200
    link = str(answer.context["link"])
    return link[link.index("/practice/join/") :]


def test_the_link_is_shown_once_and_only_its_digest_is_kept(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Invitation

    web = browser(studio["pat"])
    url = reverse("practice:invite", kwargs={"client_id": studio["dan"].pk})

    answer = web.post(url)

    token = str(answer.context["link"]).rstrip("/").rsplit("/", 1)[1]
    assert "no-store" in answer["Cache-Control"]
    invitation = Invitation.objects.get()
    assert invitation.token_sha256 == Invitation.digest(token) != token
    days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
    assert 13.9 < days <= 14
    assert token not in web.get(url).content.decode()


def test_a_new_person_signs_up_from_the_link_and_sees_their_practice(
    studio: dict[str, Any], browser: Callable[..., Any], client: Any
) -> None:
    from collagen_coach.web.clients.models import Client

    path = _invite(studio, browser)
    landing = client.get(path).content.decode()
    assert "Skin Studio" in landing
    assert "Make my account" in landing

    signed_up = client.post(
        f"{reverse('accounts:signup')}?next={path}",
        {
            "username": "dan",
            "password1": "a long passphrase 1",
            "password2": "a long passphrase 1",
            "next": path,
        },
    )
    assert f'id="onward" href="{path}"' in signed_up.content.decode()  # after recovery codes
    joined = client.post(path)

    assert joined["Location"] == reverse("practice:my_practitioner")
    dan = Client.objects.get(pk=studio["dan"].pk)
    assert dan.account is not None
    assert dan.account.get_username() == "dan"
    assert Client.objects.filter(account=dan.account).count() == 1  # the empty one went
    assert "Skin Studio" in client.get(reverse("practice:my_practitioner")).content.decode()


def test_a_used_link_does_not_work_again(
    studio: dict[str, Any],
    browser: Callable[..., Any],
    browser_of: Callable[..., Any],
) -> None:
    path = _invite(studio, browser)
    first, _ = browser_of("dan")
    assert first.post(path).status_code == 302
    second, mine = browser_of("someone")

    answer = second.post(path)

    assert answer.status_code == 404
    assert "This invitation link does not work" in answer.content.decode()
    mine.refresh_from_db()
    assert mine.practice is None


@pytest.mark.parametrize("how", ["expired", "unknown", "replaced"])
def test_a_link_that_does_not_work_gives_one_clear_page_and_changes_nothing(
    how: str, studio: dict[str, Any], browser: Callable[..., Any], browser_of: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Invitation

    path = _invite(studio, browser)
    if how == "expired":
        Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif how == "unknown":
        path = reverse("practice:accept", args=["not-a-real-token"])
    else:
        _invite(studio, browser)  # a newer link for the same client
    web, mine = browser_of("dan")

    shown, taken = web.get(path), web.post(path)

    for answer in (shown, taken):
        assert answer.status_code == 404
        assert "This invitation link does not work" in answer.content.decode()
    studio["dan"].refresh_from_db()
    assert studio["dan"].account is None
    mine.refresh_from_db()
    assert mine.account is not None
    assert mine.practice is None


@pytest.mark.parametrize("who", ["cora", "greg"], ids=["another-client", "a-practitioner"])
def test_a_client_or_practitioner_account_cannot_take_up_an_invitation(
    who: str, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    path = _invite(studio, browser)
    user = studio["cora"].account if who == "cora" else studio["greg"]

    answer = browser(user).post(path)

    assert answer.status_code == 409
    studio["dan"].refresh_from_db()
    assert studio["dan"].account is None


def test_a_client_with_an_account_is_not_invited_again(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    from collagen_coach.web.practice.models import Invitation

    answer = browser(studio["pat"]).post(
        reverse("practice:invite", kwargs={"client_id": studio["cora"].pk})
    )

    assert "has their own account already" in answer.content.decode()
    assert not Invitation.objects.exists()


def test_two_links_of_one_client_never_give_the_records_to_two_accounts(
    studio: dict[str, Any], make_person: Callable[..., Any]
) -> None:
    from collagen_coach.core.errors import UserError
    from collagen_coach.web.practice.models import Invitation
    from collagen_coach.web.practice.services import accept_invitation

    # Two links alive at once, as two invitations made at the same moment could leave.
    tokens = []
    for _ in range(2):
        token, digest = Invitation.new_token()
        Invitation.objects.create(
            practice=studio["dan"].practice,
            client=studio["dan"],
            token_sha256=digest,
            created_by=studio["pat"],
            expires_at=timezone.now() + dt.timedelta(days=1),
        )
        tokens.append(token)
    first, _ = make_person("dan")
    second, _ = make_person("impostor")
    assert accept_invitation(tokens[0], first).account == first

    with pytest.raises(UserError, match=r"does not work|used already"):
        accept_invitation(tokens[1], second)

    studio["dan"].refresh_from_db()
    assert studio["dan"].account == first
