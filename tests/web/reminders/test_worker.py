"""The worker sends the reminders due, at each of its sweeps, on the app's moved clock: weeks of
use lived by moving the day, each reminder sent once however often the worker starts again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import timezone

from collagen_coach.web.photos.worker import run_worker
from web.browser.live_server import Clock
from web.mail_server import Inbox
from web.reminders.conftest import on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
# (the worker closes its database connection after a batch, as in production)


def her_time_now() -> dt.time:
    """Give a time of day that has come a minute ago on this computer's clock (the moved clock
    moves the day only), so that a reminder at that time is due now."""
    local = timezone.localtime(timezone.now())
    earlier = local - dt.timedelta(minutes=1)
    if earlier.date() != local.date():
        return dt.time(0, 0)
    return earlier.time().replace(second=0, microsecond=0)


def test_the_worker_reminds_on_planned_days_only_as_the_days_go_by(
    reminded: Callable[..., Any], smtp_server: Inbox, tmp_path: Path
) -> None:
    clock = Clock(tmp_path / "clock.txt")
    reminded("ann", at=her_time_now(), time_zone=django_settings.TIME_ZONE)
    subjects = []
    with override_settings(CLOCK_FILE=str(clock.path)):
        for n in range(5):  # sessions on days 0, 2 and 4, none done
            clock.set(on(n))
            run_worker(stop_when_idle=True)
            run_worker(stop_when_idle=True)  # started again the same day: nothing more
            subjects.append([m["Subject"] for m in smtp_server.messages])
            smtp_server.messages.clear()
    assert subjects == [
        ["Time for your session"],
        [],
        ["A fresh start today"],
        [],
        ["Time for your session"],
    ]
