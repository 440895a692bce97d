"""A person with reminders on, and a plan with sessions every other day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from web.builders import program

# A Monday; the plan's sessions fall on Monday, Wednesday and Friday.
START = dt.date(2026, 11, 30)


def on(n: int) -> dt.date:
    """Give the plan's day ``n`` (0 is its first)."""
    return START + dt.timedelta(days=n)


@pytest.fixture
def reminded(make_person: Callable[..., Any]) -> Callable[..., Any]:
    """Give a maker of people with a plan (sessions on days 0, 2, 4) and reminders by email at
    08:00 in Berlin: ``reminded("ann", **settings)`` → their ``ReminderSettings``."""
    from collagen_coach.web.plans.services import save_program
    from collagen_coach.web.reminders.models import ReminderSettings

    def make(username: str = "ann", client: Any = None, **chosen: Any) -> Any:
        if client is None:
            _, client = make_person(username)
        save_program(client, program(start=START, sessions=3))
        fields = {
            "at": dt.time(8, 0),
            "time_zone": "Europe/Berlin",
            "by_email": True,
            "email": f"{username}@example.org",
            **chosen,
        }
        return ReminderSettings.objects.create(client=client, **fields)

    return make


def moment(
    day: dt.date, hour: int = 8, minute: int = 1, zone: str = "Europe/Berlin"
) -> dt.datetime:
    """Give ``day`` at ``hour``:``minute`` in ``zone`` (aware)."""
    import zoneinfo

    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
