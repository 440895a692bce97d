"""Recovery codes: ten single-use codes shown once at sign-up (and made anew in the account's
settings), kept only as password hashes, that set a new password without an email; a wrong code
changes nothing and counts like a wrong password."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.web.accounts.models import RecoveryCode
from collagen_coach.web.accounts.recovery import HASHER, new_recovery_codes
from collagen_coach.web.accounts.views import WRONG_CODE
from collagen_coach.web.throttle import FAILURES_PER_ADDRESS, REFUSAL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PASSWORD = "a long passphrase 1"  # the one make_person gives
NEW_PASSWORD = "a brand new passphrase 7"
RECOVER = reverse("accounts:recover")
CODE = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def recover(browser: Browser, username: str, code: str, password: str = NEW_PASSWORD) -> Any:
    body = {"username": username, "code": code, "password1": password, "password2": password}
    return browser.post(RECOVER, body)


def signs_in(username: str, password: str) -> bool:
    answer = Browser().post(reverse("accounts:login"), {"username": username, "password": password})
    return answer.status_code == 302


def test_sign_up_shows_ten_codes_once_and_keeps_only_their_hashes(db: None) -> None:
    browser = Browser()
    body = {"username": "ann", "password1": PASSWORD, "password2": PASSWORD}
    page = browser.post(reverse("accounts:signup"), body).content.decode()
    codes = CODE.findall(page)
    assert len(set(codes)) == 10
    assert "shown only this once" in page
    stored = RecoveryCode.objects.filter(user__username="ann")
    assert stored.count() == 10
    for row in stored:
        assert row.code_hash.startswith("argon2$argon2id$")
        assert not any(code.replace("-", "") in row.code_hash for code in codes)
    assert all(
        any(HASHER.verify(code.replace("-", ""), row.code_hash) for row in stored) for code in codes
    )
    # The settings page says how many are left, and shows none of them again.
    settings_page = browser.get(reverse("accounts:recovery_codes")).content.decode()
    assert "10 of 10" in settings_page
    assert not CODE.search(settings_page)


def test_a_code_sets_a_new_password_once(make_person: Callable[..., Any]) -> None:
    user, _ = make_person("ann")
    codes = new_recovery_codes(user)
    done = recover(Browser(), "ann", codes[3])
    assert "Your new password is set" in done.content.decode()
    assert "9 of 10" in done.content.decode()
    assert signs_in("ann", NEW_PASSWORD)
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    again = recover(Browser(), "ann", codes[3], "yet another passphrase 3")
    assert WRONG_CODE in again.content.decode()
    assert signs_in("ann", NEW_PASSWORD)


def test_a_code_is_read_whatever_its_case_spaces_and_dashes(
    make_person: Callable[..., Any],
) -> None:
    user, _ = make_person("ann")
    code = new_recovery_codes(user)[0]
    typed = " " + code.upper().replace("-", " ") + " "
    assert "Your new password is set" in recover(Browser(), "ann", typed).content.decode()


@pytest.mark.parametrize(
    ("username", "whose_code"),
    [
        pytest.param("ann", None, id="made-up-code"),
        pytest.param("nobody", None, id="unknown-name"),
        pytest.param("ann", "bea", id="another-persons-code"),
    ],
)
def test_a_wrong_code_gets_one_message_and_changes_nothing(
    make_person: Callable[..., Any], username: str, whose_code: str | None
) -> None:
    ann, _ = make_person("ann")
    bea, _ = make_person("bea")
    new_recovery_codes(ann)
    code = new_recovery_codes(bea)[0] if whose_code == "bea" else "abcde-fghjk"
    answer = recover(Browser(), username, code)
    assert answer.status_code == 200
    assert answer.content.decode().count("do not match") == 1
    assert signs_in("ann", PASSWORD)
    assert signs_in("bea", PASSWORD)
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_a_new_password_that_breaks_the_rules_keeps_the_code(
    make_person: Callable[..., Any],
) -> None:
    user, _ = make_person("ann")
    code = new_recovery_codes(user)[0]
    answer = recover(Browser(), "ann", code, "short")
    assert "This password is too short" in answer.content.decode()
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()
    assert signs_in("ann", PASSWORD)
    assert "Your new password is set" in recover(Browser(), "ann", code).content.decode()


def test_five_wrong_codes_lock_the_name_for_15_minutes_like_signing_in(
    make_person: Callable[..., Any],
) -> None:
    user, _ = make_person("ann")
    code = new_recovery_codes(user)[0]
    browser = Browser()
    for n in range(5):
        recover(browser, "ann", f"wrong-code{n}")
    locked = recover(browser, "ann", code)
    assert locked.status_code == 429
    assert "locked for 15 minutes" in locked.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # the same lock as signing in: nothing changed
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_codes_sprayed_from_one_address_are_refused_after_the_bound(db: None) -> None:
    sprayer = Browser(REMOTE_ADDR="192.0.2.10")
    statuses = [
        recover(sprayer, f"guess{n}", "abcde-fghjk").status_code
        for n in range(FAILURES_PER_ADDRESS + 2)
    ]
    assert statuses == [200] * FAILURES_PER_ADDRESS + [429, 429]
    assert REFUSAL in recover(sprayer, "ann", "abcde-fghjk").content.decode()


def test_new_codes_need_the_password_and_replace_the_old_ones(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")
    user = get_user_model().objects.get(username="ann")
    old = new_recovery_codes(user)
    page = reverse("accounts:recovery_codes")
    refused = web.post(page, {"password": "not my password"}).content.decode()
    assert "That is not your password" in refused
    assert not CODE.search(refused)
    made = CODE.findall(web.post(page, {"password": PASSWORD}).content.decode())
    assert len(made) == 10
    assert not set(made) & set(old)
    assert WRONG_CODE in recover(Browser(), "ann", old[0]).content.decode()
    assert "Your new password is set" in recover(Browser(), "ann", made[0]).content.decode()
