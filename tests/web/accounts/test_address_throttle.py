"""Guessing from one address is slowed down: many user names sprayed, or many wrong API tokens,
from one address are refused (429) for 15 minutes, while other addresses go on as before; the
computer itself (loopback) has a bound ten times higher, so a self-carer is never locked out by
her own typing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.web.practice.models import ApiToken
from collagen_coach.web.throttle import FAILURES_PER_ADDRESS, FAILURES_PER_LOOPBACK, REFUSAL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LOGIN = reverse("accounts:login")
PASSWORD = "a long passphrase 1"  # the one make_person gives
STRANGER = "192.0.2.10"  # an address on the internet (TEST-NET-1)
SPRAYED = FAILURES_PER_ADDRESS + 10


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def spray_names(browser: Browser, count: int) -> list[int]:
    """Try ``count`` different user names, each with a wrong password; give the statuses."""
    return [
        browser.post(LOGIN, {"username": f"guess{n}", "password": "hunter22"}).status_code
        for n in range(count)
    ]


def spray_tokens(caller: Browser, count: int) -> list[int]:
    """Try ``count`` different wrong API tokens; give the statuses."""
    return [
        caller.get("/api/clients", headers={"Authorization": f"Bearer cc_wrong{n}"}).status_code
        for n in range(count)
    ]


def test_user_names_sprayed_from_one_address_are_refused_after_the_bound(
    make_person: Callable[..., Any],
) -> None:
    make_person("ann")
    sprayer = Browser(REMOTE_ADDR=STRANGER)
    statuses = spray_names(sprayer, SPRAYED)
    assert statuses == [200] * FAILURES_PER_ADDRESS + [429] * (SPRAYED - FAILURES_PER_ADDRESS)
    refused = sprayer.post(LOGIN, {"username": "ann", "password": PASSWORD})
    assert refused.status_code == 429
    assert REFUSAL in refused.text
    assert refused["Retry-After"] == "900"
    # Another address signs in as before.
    assert (
        Browser(REMOTE_ADDR="198.51.100.4")
        .post(LOGIN, {"username": "ann", "password": PASSWORD})
        .status_code
        == 302
    )


def test_wrong_api_tokens_from_one_address_are_refused_after_the_bound(
    make_person: Callable[..., Any],
) -> None:
    user, _ = make_person("ann")
    token, digest = ApiToken.new_token()
    ApiToken.objects.create(user=user, name="spreadsheet", token_sha256=digest)
    sprayer = Browser(REMOTE_ADDR=STRANGER)
    statuses = spray_tokens(sprayer, SPRAYED)
    assert statuses == [401] * FAILURES_PER_ADDRESS + [429] * (SPRAYED - FAILURES_PER_ADDRESS)
    refused = sprayer.get("/api/clients", headers={"Authorization": f"Bearer {token}"})
    assert (refused.status_code, refused.json()) == (429, {"detail": REFUSAL})
    other = Browser(REMOTE_ADDR="198.51.100.4")
    assert (
        other.get("/api/clients", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    )


def test_on_this_computer_the_bound_is_ten_times_higher(make_person: Callable[..., Any]) -> None:
    make_person("ann")
    at_home = Browser(REMOTE_ADDR="127.0.0.1")
    assert 429 not in spray_names(at_home, SPRAYED)
    assert 429 not in spray_tokens(at_home, SPRAYED)
    assert at_home.post(LOGIN, {"username": "ann", "password": PASSWORD}).status_code == 302
    assert FAILURES_PER_LOOPBACK >= 10 * FAILURES_PER_ADDRESS
