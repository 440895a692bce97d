"""A new password, changed or reset, revokes every API token: one taken with the old password
(by someone who knew it) stops working at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.web.practice.models import ApiToken

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

OLD = "a long passphrase 1"  # the one make_person gives
NEW = {"new_password1": "a fresh spring passphrase", "new_password2": "a fresh spring passphrase"}


def token_of(user: Any) -> Browser:
    """Give an API caller with a new token of ``user``'s, checked to work."""
    token, digest = ApiToken.new_token()
    ApiToken.objects.create(user=user, name="spreadsheet", token_sha256=digest)
    caller = Browser(headers={"Authorization": f"Bearer {token}"})
    assert caller.get("/api/clients").status_code == 200
    return caller


def change(user: Any) -> None:
    browser = Browser()
    browser.force_login(user)
    answer = browser.post(reverse("accounts:password_change"), {"old_password": OLD, **NEW})
    assert answer["Location"] == reverse("accounts:password_change_done")
    assert "API tokens made before are revoked" in browser.get(answer["Location"]).text


def reset(user: Any) -> None:
    browser = Browser()
    browser.post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form_url = browser.get(link.group(1), follow=True).redirect_chain[-1][0]
    answer = browser.post(form_url, NEW)
    assert answer["Location"] == reverse("accounts:password_reset_complete")
    assert "API tokens made before are revoked" in browser.get(answer["Location"]).text


@pytest.mark.parametrize("new_password", [change, reset], ids=["changed", "reset"])
def test_a_new_password_revokes_every_api_token(
    make_person: Callable[..., Any], new_password: Callable[[Any], None]
) -> None:
    ann, _ = make_person("ann")
    bob, _ = make_person("bob")
    anns, bobs = token_of(ann), token_of(bob)
    new_password(ann)
    assert anns.get("/api/clients").status_code == 401
    assert not ApiToken.objects.filter(user=ann).exists()
    assert bobs.get("/api/clients").status_code == 200
