"""Signing in and out: the real login view, throttling, sign-out by POST, CSRF checks."""

from __future__ import annotations

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PASSWORD = "a long passphrase 1"  # the one make_person gives


def sign_in(browser: Browser, username: str, password: str):
    return browser.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_right_password_signs_in_and_goes_to_today(make_person) -> None:
    make_person("ann")
    browser = Browser()
    response = sign_in(browser, "ann", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert browser.get(reverse("home")).status_code == 200


def test_a_wrong_password_says_so_and_does_not_sign_in(make_person) -> None:
    make_person("ann")
    browser = Browser()
    response = sign_in(browser, "ann", "not my password")
    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert browser.get(reverse("home")).status_code == 302


def test_five_wrong_passwords_lock_signing_in_for_15_minutes(make_person) -> None:
    make_person("ann")
    browser = Browser()
    for _ in range(5):
        sign_in(browser, "ann", "not my password")
    # Even the right password is refused while locked.
    response = sign_in(browser, "ann", PASSWORD)
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "locked for 15 minutes" in response.content.decode()
    assert browser.get(reverse("home")).status_code == 302


def test_four_wrong_passwords_do_not_lock(make_person) -> None:
    make_person("ann")
    browser = Browser()
    for _ in range(4):
        sign_in(browser, "ann", "not my password")
    assert sign_in(browser, "ann", PASSWORD).status_code == 302


def test_sign_out_needs_a_post(browser_of) -> None:
    browser, _ = browser_of("ann")
    assert browser.get(reverse("accounts:logout")).status_code == 405
    assert browser.get(reverse("home")).status_code == 200
    response = browser.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert browser.get(reverse("home")).status_code == 302


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def test_sign_in_without_the_csrf_token_is_refused(make_person) -> None:
    make_person("ann")
    browser = Browser(enforce_csrf_checks=True)
    response = sign_in(browser, "ann", PASSWORD)
    assert response.status_code == 403
    token = _csrf_token(browser.get(reverse("accounts:login")).content.decode())
    response = browser.post(
        reverse("accounts:login"),
        {"username": "ann", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_sign_up_and_sign_out_without_the_csrf_token_are_refused(browser_of) -> None:
    stranger = Browser(enforce_csrf_checks=True)
    form = {"username": "maria", "password1": "x" * 12, "password2": "x" * 12}
    assert stranger.post(reverse("accounts:signup"), form).status_code == 403
    browser, _ = browser_of("ann")
    browser.handler.enforce_csrf_checks = True
    assert browser.post(reverse("accounts:logout")).status_code == 403
    assert browser.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("name", ["accounts:login", "accounts:signup", "accounts:password_reset"])
def test_sign_in_pages_are_open_to_people_signed_out(name: str) -> None:
    assert Browser().get(reverse(name)).status_code == 200


def test_changing_the_password_needs_sign_in_and_works(browser_of) -> None:
    url = reverse("accounts:password_change")
    response = Browser().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    browser, person = browser_of("ann")
    response = browser.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "a new quiet passphrase",
            "new_password2": "a new quiet passphrase",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    person.account.refresh_from_db()
    assert person.account.check_password("a new quiet passphrase")
