"""Resetting a forgotten password with the emailed link, end to end."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_emailed_link_sets_a_new_password_that_signs_in(make_person) -> None:
    user, _ = make_person("ann")
    browser = Browser()
    response = browser.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    response = browser.get(link.group(1), follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = browser.post(
        form_url,
        {
            "new_password1": "a fresh spring passphrase",
            "new_password2": "a fresh spring passphrase",
        },
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    signed_in = browser.post(
        reverse("accounts:login"), {"username": "ann", "password": "a fresh spring passphrase"}
    )
    assert signed_in.status_code == 302
    # The link works once.
    again = browser.get(link.group(1), follow=True)
    assert not again.context["validlink"]


def test_an_unknown_email_sends_nothing_and_reveals_nothing(make_person) -> None:
    make_person("ann")
    response = Browser().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_reset_page_says_where_the_link_appears_on_ones_own_computer(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page = Browser().get(reverse("accounts:password_reset")).content.decode()
    assert "the link appears in the window where collagen-coach is running" in page
    done = Browser().get(reverse("accounts:password_reset_done")).content.decode()
    assert "terminal" in done
