"""The API tokens page: make a token (shown once), see when each was last used, revoke one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.accounts.tokens import MAX_TOKENS
from collagen_coach.web.practice.models import ApiToken

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

Browser = Callable[..., tuple[WebClient, Any]]


def test_signed_out_the_page_leads_to_sign_in(client: WebClient) -> None:
    answer = client.get(reverse("accounts:tokens"))

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_a_new_token_is_shown_once_and_only_its_digest_is_kept(browser_of: Browser) -> None:
    browser, _ = browser_of("ann")

    made = browser.post(reverse("accounts:tokens"), {"name": "spreadsheet"}, follow=True)
    token = made.context["new_token"]
    again = browser.get(reverse("accounts:tokens"))

    assert token.startswith("cc_")
    assert token in made.content.decode()
    assert token not in again.content.decode()
    stored = ApiToken.objects.get()
    assert (stored.name, stored.token_sha256) == ("spreadsheet", ApiToken.digest(token))
    assert "no-store" in made["Cache-Control"]
    api = WebClient(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/me").json()["username"] == "ann"


def test_the_page_lists_ones_own_tokens_with_their_last_use(browser_of: Browser) -> None:
    browser, _ = browser_of("ann")
    browser.post(reverse("accounts:tokens"), {"name": "spreadsheet"})
    other, _ = browser_of("bob")
    other.post(reverse("accounts:tokens"), {"name": "bob's script"})

    page = browser.get(reverse("accounts:tokens")).content.decode()

    assert "spreadsheet" in page
    assert "never" in page
    assert "bob&#x27;s script" not in page


@pytest.mark.parametrize(
    ("name", "error"),
    [
        pytest.param("", "Give the token a name", id="empty"),
        pytest.param("x" * 101, "at most 100 characters", id="too-long"),
    ],
)
def test_a_token_needs_a_name(browser_of: Browser, name: str, error: str) -> None:
    browser, _ = browser_of("ann")

    answer = browser.post(reverse("accounts:tokens"), {"name": name})

    assert answer.status_code == 200
    assert error in answer.content.decode()
    assert ApiToken.objects.count() == 0


def test_tokens_are_limited_in_number(browser_of: Browser) -> None:
    browser, person = browser_of("ann")
    for n in range(MAX_TOKENS):
        ApiToken.objects.create(user=person.account, name=f"t{n}", token_sha256=f"{n:064d}")

    answer = browser.post(reverse("accounts:tokens"), {"name": "one more"})

    assert "Revoke the ones no longer in use" in answer.content.decode()
    assert ApiToken.objects.count() == MAX_TOKENS


def test_a_revoked_token_no_longer_signs_in(browser_of: Browser) -> None:
    browser, _ = browser_of("ann")
    token = browser.post(reverse("accounts:tokens"), {"name": "script"}, follow=True).context[
        "new_token"
    ]
    api = WebClient(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/me").status_code == 200

    answer = browser.post(reverse("accounts:revoke_token", args=[ApiToken.objects.get().pk]))

    assert answer.status_code == 302
    assert ApiToken.objects.count() == 0
    assert api.get("/api/me").status_code == 401


def test_another_persons_token_cannot_be_revoked(browser_of: Browser) -> None:
    ann, _ = browser_of("ann")
    ann.post(reverse("accounts:tokens"), {"name": "script"})
    bob, _ = browser_of("bob")

    answer = bob.post(reverse("accounts:revoke_token", args=[ApiToken.objects.get().pk]))

    assert answer.status_code == 404
    assert ApiToken.objects.count() == 1


def test_revoking_needs_a_post(browser_of: Browser) -> None:
    browser, _ = browser_of("ann")
    browser.post(reverse("accounts:tokens"), {"name": "script"})

    answer = browser.get(reverse("accounts:revoke_token", args=[ApiToken.objects.get().pk]))

    assert answer.status_code == 405
    assert ApiToken.objects.count() == 1
