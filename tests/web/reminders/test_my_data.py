"""A person's reminders are part of everything she owns: exported, deleted and imported back
with the rest of her records."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from collagen_coach.web.my_data.importer import import_person
from collagen_coach.web.my_data.services import delete_everything, write_export
from collagen_coach.web.reminders.models import PushSubscription, ReminderSettings, SentReminder
from collagen_coach.web.reminders.sending import send_due_reminders
from web.mail_server import Inbox
from web.reminders.conftest import moment, on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_her_reminders_leave_with_her_records_and_come_back_with_them(
    reminded: Callable[..., Any],
    smtp_server: Inbox,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    chosen = reminded("ann", weekly=True)
    PushSubscription.objects.create(
        client=chosen.client, endpoint="https://push.example.net/a", p256dh="B", auth="x"
    )
    send_due_reminders(moment(on(0)))
    zipped = tmp_path / "ann.zip"
    with zipped.open("wb") as out:
        write_export(chosen.client, chosen.client.account, out)

    with django_capture_on_commit_callbacks(execute=True):
        delete_everything(chosen.client.account)
    assert not ReminderSettings.objects.exists()
    assert not PushSubscription.objects.exists()
    assert not SentReminder.objects.exists()

    again = import_person(zipped).client
    back = ReminderSettings.objects.get(client=again)
    assert (back.at, back.time_zone, back.email, back.weekly) == (
        chosen.at,
        chosen.time_zone,
        chosen.email,
        True,
    )
    assert PushSubscription.objects.get().client == again
    assert SentReminder.objects.get().client == again  # so the day's reminder is not sent again
