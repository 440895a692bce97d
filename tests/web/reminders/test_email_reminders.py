"""Reminders by email through a real SMTP server (aiosmtpd): on her planned days at her time,
each at most once, tried again a bounded number of times, with a link that stops them all."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from collagen_coach.web.reminders.models import ReminderSettings, SentReminder
from collagen_coach.web.reminders.sending import MAX_ATTEMPTS, send_due_reminders
from web.browser.live_server import free_port
from web.mail_server import Inbox
from web.reminders.conftest import moment, on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_planned_day_sends_one_email_in_plain_text_and_html(
    reminded: Callable[..., Any], smtp_server: Inbox, settings: Any
) -> None:
    settings.SITE_URL = "https://coach.example.org"
    reminded("ann")

    assert send_due_reminders(moment(on(0), 7, 59)) == 0
    assert send_due_reminders(moment(on(0), 8, 0)) == 1

    (message,) = smtp_server.messages
    assert message["X-Envelope-To"] == "ann@example.org"
    assert message["Subject"] == "Time for your session"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.replace("\r\n", "\n").startswith(
        "Hello Ann,\n\nToday's session takes about 7 minutes."
    )
    assert "Open it: https://coach.example.org/session/today/" in text
    assert "Today&#x27;s session takes about 7 minutes." in html
    stop = re.search(r"Stop all reminders: (\S+)", text)
    assert stop is not None
    assert stop.group(1).startswith("https://coach.example.org/reminders/stop/")
    assert message["List-Unsubscribe"].strip() == f"<{stop.group(1)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_reminder_goes_at_most_once_across_restarts(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    reminded("ann")
    for minute in (1, 2, 30):  # every sweep of a worker, or of one started again
        send_due_reminders(moment(on(0), 8, minute))
    assert len(smtp_server.messages) == 1
    row = SentReminder.objects.get()
    assert (row.slot, row.kind, row.day, row.status, row.emailed) == (
        "day",
        "session",
        on(0),
        "sent",
        True,
    )


def test_rest_days_send_nothing_and_a_missed_day_is_nudged_once(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    reminded("ann")
    for n in range(6):  # sessions on days 0, 2, 4: none done
        send_due_reminders(moment(on(n), 9))
    assert [(m["Subject"]) for m in smtp_server.messages] == [
        "Time for your session",
        "A fresh start today",
        "Time for your session",
    ]
    assert "Your session on Monday 30 November did not happen." in (
        smtp_server.messages[1].get_body(("plain",)).get_content()
    )


def test_the_stop_all_switch_stops_every_reminder(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    reminded("ann", stopped=True, weekly=True, summary_weekday=0)
    assert send_due_reminders(moment(on(0))) == 0
    assert smtp_server.messages == []
    assert not SentReminder.objects.exists()


def test_a_failed_email_is_tried_again_and_then_given_up(
    reminded: Callable[..., Any], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    reminded("ann")
    for minute in range(1, 10):
        send_due_reminders(moment(on(0), 8, minute), retry_after=dt.timedelta(0))
    row = SentReminder.objects.get()
    assert (row.status, row.attempts, row.emailed) == ("gave_up", MAX_ATTEMPTS, False)
    assert row.error.startswith("email: ConnectionRefusedError")


def test_a_failed_email_goes_once_the_mail_server_is_back(
    reminded: Callable[..., Any], smtp_server: Inbox, settings: Any
) -> None:
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # the mail server is away at first
    reminded("ann")
    send_due_reminders(moment(on(0), 8, 1), retry_after=dt.timedelta(0))
    assert SentReminder.objects.get().status == "failed"
    settings.EMAIL_PORT = port
    send_due_reminders(moment(on(0), 8, 2), retry_after=dt.timedelta(0))
    send_due_reminders(moment(on(0), 8, 3), retry_after=dt.timedelta(0))
    assert len(smtp_server.messages) == 1
    assert (SentReminder.objects.get().status, SentReminder.objects.get().attempts) == ("sent", 2)


def test_a_practice_client_is_reminded_of_the_routine_she_was_given(
    reminded: Callable[..., Any],
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    smtp_server: Inbox,
) -> None:
    practice, owner = make_practice("Skin Studio", owner="olive")
    cora = make_practice_client(practice, "Cora", practitioner=owner, account="cora")
    reminded("cora", client=cora)
    send_due_reminders(moment(on(0)))
    (message,) = smtp_server.messages
    assert message["From"] == "Skin Studio <studio@example.org>"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Cora,")
    assert "These reminders are for the routine Skin Studio gave you." in text


def test_the_link_in_the_email_stops_them_all_without_signing_in(
    reminded: Callable[..., Any], smtp_server: Inbox, client: Any
) -> None:
    chosen = reminded("ann")
    send_due_reminders(moment(on(0)))
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    link = re.search(r"Stop all reminders: http://[^/]+(\S+)", text).group(1)  # type: ignore[union-attr]

    page = client.get(link)  # a mail filter opening the link stops nothing
    assert page.status_code == 200
    assert "Stop all your reminders, by notification and by email?" in page.content.decode()
    chosen.refresh_from_db()
    assert chosen.stopped is False

    done = client.post(link)  # the button, or a mail app's one-click unsubscribe
    assert "All your reminders are stopped" in done.content.decode()
    chosen.refresh_from_db()
    assert chosen.stopped is True
    assert send_due_reminders(moment(on(2))) == 0


def test_a_stop_link_that_is_not_ours_stops_nothing(
    reminded: Callable[..., Any], client: Any
) -> None:
    reminded("ann")
    answer = client.post("/reminders/stop/1:forged/")
    assert answer.status_code == 404
    assert "This link does not stop any reminders" in answer.content.decode()
    assert ReminderSettings.objects.get().stopped is False


def test_a_reminder_a_stopped_worker_was_sending_is_not_sent_again(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    chosen = reminded("ann")
    # Killed while sending: whether it went out is not known, so it is not sent twice.
    SentReminder.objects.create(client=chosen.client, slot="day", kind="session", day=on(0))
    assert send_due_reminders(moment(on(0), 8, 5), retry_after=dt.timedelta(0)) == 0
    assert smtp_server.messages == []


def test_the_test_button_sends_one_reminder_now_and_logs_none(
    reminded: Callable[..., Any], smtp_server: Inbox, client: Any
) -> None:
    chosen = reminded("ann")
    client.force_login(chosen.client.account)
    page = client.post("/reminders/test/", follow=True).content.decode()
    assert "A test reminder is on its way." in page
    (message,) = smtp_server.messages
    assert message["Subject"] == "A test reminder"
    assert not SentReminder.objects.exists()


def test_no_reminder_for_a_session_her_newest_safety_check_rules_out(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    chosen = reminded("ann")
    intake = Intake(age=58, conditions=["fever"], as_of=on(0))  # defer: no massage for 3 days
    save_intake(chosen.client, intake, screen(intake, today=on(0)))
    assert send_due_reminders(moment(on(0))) == 0
    assert send_due_reminders(moment(on(4))) == 1  # after the 3 days
    assert [m["Subject"] for m in smtp_server.messages] == ["Time for your session"]


def test_a_day_with_nothing_to_remind_of_is_decided_once(
    reminded: Callable[..., Any], smtp_server: Inbox, django_assert_max_num_queries: Any
) -> None:
    reminded("ann")
    send_due_reminders(moment(on(1), 8, 1))  # a rest day
    assert SentReminder.objects.get().status == "nothing"
    # Whose time has come, their settings, their rows of the day: no days read again.
    with django_assert_max_num_queries(3):
        assert send_due_reminders(moment(on(1), 8, 30)) == 0
    assert smtp_server.messages == []


def test_on_the_day_the_clocks_go_forward_the_reminder_comes_at_eight_on_her_clock(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    from collagen_coach.web.plans.services import save_program
    from web.builders import program

    spring = dt.date(2026, 3, 29)  # Berlin: 02:00 becomes 03:00, UTC+1 becomes UTC+2
    chosen = reminded("ann")
    save_program(chosen.client, program(start=spring, sessions=1))
    assert send_due_reminders(dt.datetime(2026, 3, 29, 5, 59, tzinfo=dt.UTC)) == 0  # 07:59
    assert send_due_reminders(dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC)) == 1  # 08:00
    assert [m["Subject"] for m in smtp_server.messages] == ["Time for your session"]


def test_one_persons_unreadable_settings_hold_up_no_one_elses_reminder(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    reminded("ann")
    broken = reminded("bea")
    ReminderSettings.objects.filter(pk=broken.pk).update(time_zone="Nowhere/Land")
    assert send_due_reminders(moment(on(0))) == 1
    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["ann@example.org"]
