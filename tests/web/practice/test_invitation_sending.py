"""Sending a client's invitation: by email through a real SMTP server (aiosmtpd on this
computer), or copied with one button; either way the link starts with the site's real address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from web.browser.live_server import free_port
from web.mail_server import Inbox

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _invite_url(studio: dict[str, Any]) -> str:
    return reverse("practice:invite", kwargs={"client_id": studio["dan"].pk})


def test_the_invitation_arrives_by_email_with_the_link_on_the_sites_address(
    studio: dict[str, Any], browser: Callable[..., Any], smtp_server: Inbox, settings: Any
) -> None:
    from collagen_coach.web.practice.models import AuditEvent

    settings.SITE_URL = "https://studio.example.org"

    answer = browser(studio["pat"]).post(
        _invite_url(studio), {"how": "email", "email": "dan@example.org"}
    )

    assert answer.status_code == 200
    link = answer.context["link"]
    assert link.startswith("https://studio.example.org/practice/join/")
    (message,) = smtp_server.messages
    assert message["X-Envelope-To"] == "dan@example.org"
    assert message["From"] == "Skin Studio <studio@example.org>"
    assert message["Subject"] == "Skin Studio invites you to see your plan and records"
    assert link in message.get_content()
    assert "The invitation is on its way to" in answer.content.decode()
    assert AuditEvent.objects.filter(
        client=studio["dan"], what="invitation link sent by email to dan@example.org"
    ).exists()


def test_without_a_site_address_the_link_has_the_host_the_page_was_opened_at(
    studio: dict[str, Any], browser: Callable[..., Any], smtp_server: Inbox, settings: Any
) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["studio.lan"]

    answer = browser(studio["pat"]).post(
        _invite_url(studio), {"how": "email", "email": "dan@example.org"}, HTTP_HOST="studio.lan"
    )

    link = answer.context["link"]
    assert link.startswith("http://studio.lan/practice/join/")
    assert link in smtp_server.messages[0].get_content()


def test_a_bad_address_sends_nothing_and_makes_no_link(
    studio: dict[str, Any], browser: Callable[..., Any], smtp_server: Inbox
) -> None:
    from collagen_coach.web.practice.models import Invitation

    answer = browser(studio["pat"]).post(
        _invite_url(studio), {"how": "email", "email": "dan-at-example"}
    )

    assert answer.status_code == 400
    assert answer.context["form"].errors["email"] == [
        "Give an email address such as cora@example.org."
    ]
    assert smtp_server.messages == []
    assert not Invitation.objects.exists()


def test_a_mail_server_that_cannot_be_reached_is_said_and_the_link_can_still_be_copied(
    studio: dict[str, Any], browser: Callable[..., Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens

    answer = browser(studio["pat"]).post(
        _invite_url(studio), {"how": "email", "email": "dan@example.org"}
    )

    page = answer.content.decode()
    assert answer.status_code == 502
    assert "The email to dan@example.org could not be sent (ConnectionRefusedError" in page
    assert "copy the link instead" in page
    assert f'data-copy-text="{answer.context["link"]}"' in page


def test_the_copy_button_holds_the_real_link(
    studio: dict[str, Any], browser: Callable[..., Any], settings: Any
) -> None:
    settings.SITE_URL = "https://studio.example.org"

    answer = browser(studio["pat"]).post(_invite_url(studio), {"how": "copy"})

    link = answer.context["link"]
    page = answer.content.decode()
    assert link.startswith("https://studio.example.org/practice/join/")
    assert f'data-copy-text="{link}"' in page
    assert f'<code class="secret invite-link" id="invite-link">{link}</code>' in page
    assert "127.0.0.1" not in page.split("<main", 1)[-1]


def test_the_email_field_offers_the_address_kept_for_the_client(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    studio["dan"].email = "dan@example.org"
    studio["dan"].save(update_fields=["email"])

    page = browser(studio["pat"]).get(_invite_url(studio)).content.decode()

    assert 'value="dan@example.org"' in page


@pytest.mark.parametrize("who", ["greg", "cora"], ids=["another-practice", "a-client"])
def test_only_the_clients_practice_may_send_the_invitation(
    studio: dict[str, Any], browser: Callable[..., Any], smtp_server: Inbox, who: str
) -> None:
    from collagen_coach.web.practice.models import Invitation

    user = studio["greg"] if who == "greg" else studio["cora"].account

    answer = browser(user).post(_invite_url(studio), {"how": "email", "email": "x@example.org"})

    assert answer.status_code == 404
    assert smtp_server.messages == []
    assert not Invitation.objects.exists()
