"""Two workers sweeping at the same moment on one PostgreSQL database send each reminder once:
the row written before sending is the claim, and only one worker can write it."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from collagen_coach.web.reminders.models import SentReminder
from collagen_coach.web.reminders.sending import send_due_reminders
from web.mail_server import Inbox
from web.reminders.conftest import moment, on

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PEOPLE = 12


def test_two_workers_at_once_send_each_reminder_once(
    reminded: Callable[..., Any], smtp_server: Inbox
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two workers at once need PostgreSQL (DATABASE_URL)")
    for n in range(PEOPLE):
        reminded(f"person{n}")
    start = threading.Barrier(2)
    claimed: list[int] = []
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            claimed.append(send_due_reminders(moment(on(0))))
        except BaseException as exc:  # reported below, in the test's own thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sum(claimed) == PEOPLE
    sent_to = Counter(m["X-Envelope-To"] for m in smtp_server.messages)
    assert sent_to == Counter(f"person{n}@example.org" for n in range(PEOPLE))
    assert SentReminder.objects.filter(status="sent").count() == PEOPLE
