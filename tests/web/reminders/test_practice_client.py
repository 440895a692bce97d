"""A practice's client without an account gets the reminders of the routine she was given: a
member of her practice sets her reminder emails, with her agreement, on her record; the emails
send her to no page she cannot sign in to, and their link stops them. A client with an account
sets her own, and her practice sees what she chose."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as Browser
from django.urls import reverse

from collagen_coach.web.plans.services import save_program
from collagen_coach.web.practice.models import AuditEvent
from collagen_coach.web.reminders.models import ReminderSettings
from collagen_coach.web.reminders.sending import send_due_reminders
from web.builders import program
from web.mail_server import Inbox
from web.reminders.conftest import START, moment, on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CHOSEN = {
    "at": "08:00",
    "time_zone": "Europe/Berlin",
    "by_email": "on",
    "email": "cora@example.org",
    "nudge": "on",
    "summary_weekday": "6",
}


@pytest.fixture
def studio(
    make_practice: Callable[..., Any], make_practice_client: Callable[..., Any]
) -> dict[str, Any]:
    """Give Skin Studio's owner Olive, signed in, and her client Cora (no account), planned."""
    practice, owner = make_practice("Skin Studio", owner="olive")
    cora = make_practice_client(practice, "Cora", practitioner=owner)
    save_program(cora, program(start=START, sessions=3))
    web = Browser()
    web.force_login(owner)
    return {"web": web, "cora": cora, "page": reverse("reminders:client", args=[cora.pk])}


def test_her_practice_sets_her_reminder_emails_and_she_gets_them(
    studio: dict[str, Any], smtp_server: Inbox
) -> None:
    web, cora, page = studio["web"], studio["cora"], studio["page"]
    shown = web.get(page).content.decode()
    assert "Cora has no account, so reminders can reach her by email only" in shown
    assert "As a notification" not in shown

    refused = web.post(page, CHOSEN).content.decode()
    assert "Tick this once the client has agreed to get reminder emails at this address." in (
        refused
    )
    assert not ReminderSettings.objects.exists()  # nothing saved

    saved = web.post(page, {**CHOSEN, "agreed": "on"}, follow=True).content.decode()
    assert "Cora&#x27;s reminders are saved." in saved
    chosen = ReminderSettings.objects.get(client=cora)
    assert (chosen.email, chosen.by_email, chosen.by_push) == ("cora@example.org", True, False)
    logged = set(AuditEvent.objects.filter(client=cora).values_list("action", "what"))
    assert logged == {("view", "reminders"), ("change", "reminders")}

    for n in range(3):  # day 0: her session; day 1: rest; day 2: the nudge
        send_due_reminders(moment(on(n)))
    first, nudge = smtp_server.messages
    assert (first["Subject"], nudge["Subject"]) == ("Time for your session", "A fresh start today")
    text = first.get_body(("plain",)).get_content()
    assert text.startswith("Hello Cora,")
    assert "These reminders are for the routine Skin Studio gave you." in text
    assert "To change them, ask Skin Studio." in text
    assert "Open it:" not in text
    assert "Change your reminders:" not in text
    html = first.get_body(("html",)).get_content()
    assert "Open collagen-coach" not in html

    # The link in the email stops them, without signing in.
    stop = re.search(r"Stop all reminders: (\S+)", text)
    assert stop is not None
    Browser().post("/" + stop.group(1).split("://", 1)[1].split("/", 1)[1])
    chosen.refresh_from_db()
    assert chosen.stopped
    stopped = web.get(page).content.decode()
    assert "All Cora's reminders are stopped" in stopped
    web.post(page, {"stop": "0"})
    chosen.refresh_from_db()
    assert not chosen.stopped


def test_a_client_with_an_account_sets_her_own_and_her_practice_sees_them(
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    reminded: Callable[..., Any],
) -> None:
    practice, owner = make_practice("Skin Studio", owner="olive")
    dana = make_practice_client(practice, "Dana", practitioner=owner, account="dana")
    reminded("dana", client=dana, at=dt.time(7, 30))
    web = Browser()
    web.force_login(owner)
    page = reverse("reminders:client", args=[dana.pk])
    shown = web.get(page).content.decode()
    assert "Dana has an account and sets her own reminders" in shown
    assert "Her reminders come at 07:30 (Europe/Berlin)" in shown
    assert "<form" not in shown.split("<h1>", 1)[1]
    web.post(page, {**CHOSEN, "agreed": "on", "at": "21:00"})
    assert ReminderSettings.objects.get(client=dana).at == dt.time(7, 30)  # hers, unchanged
