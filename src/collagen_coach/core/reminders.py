"""Reminders: which one is due for a person at a moment, and its words.

A person chooses the time of day and her time zone; at that time, on her own calendar day:

- on a baseline day (``Program.baseline_days``) and on a measuring day of an off week
  (``trials.is_measuring_day``): take the day's photo and rating;
- on a planned day whose session is not done yet: the session. When the planned day before it
  was missed and the one before that was not (the first miss of a run), and she wants it, the
  reminder is a gentle nudge instead: one per run of missed days, never a second in a row;
- on a rest day: nothing;
- on the weekday she chooses, if she wants it: a summary of the last 7 days.

At most one reminder of the day (``DAY_SLOT``) and one weekly summary (``WEEK_SLOT``) a day. A
reminder is due from her time until ``LATE_LIMIT`` after it; one that could not go out by then
(the worker was stopped) is not sent at all, rather than hours late.

Times are her wall-clock times: 08:00 stays 08:00 across a change to or from summer time
(``zoneinfo``). Lally et al. 2010 (Eur J Soc Psychol 40:998) found that missing one day did not
derail the forming of a habit: the nudge says so, and says nothing more.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from collagen_coach.core.adherence import streaks
from collagen_coach.core.trials import is_measuring_day
from collagen_coach.core.words import day_in_words, whole_minutes

Slot = Literal["day", "week"]
Kind = Literal["session", "nudge", "measure", "weekly"]
Page = Literal["session", "photo", "progress"]

DAY_SLOT: Slot = "day"
WEEK_SLOT: Slot = "week"
LATE_LIMIT = dt.timedelta(hours=4)
# How far back a missed planned day is looked for (the nudge follows the last planned day).
LOOK_BACK_DAYS = 14
SUMMARY_DAYS = 7
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

KIND_WORDS: dict[Kind, str] = {
    "session": "the day's session",
    "nudge": "a gentle nudge after a missed session",
    "measure": "a baseline or measuring day's photo and rating",
    "weekly": "the weekly summary",
}


@dataclass(frozen=True, slots=True)
class Choices:
    """What a person chose: the time of day, her time zone, the nudge and the weekly summary
    (on ``summary_weekday``, 0 = Monday … 6 = Sunday)."""

    at: dt.time
    time_zone: str
    nudge: bool = True
    weekly: bool = False
    summary_weekday: int = 6


@dataclass(frozen=True, slots=True)
class Journey:
    """A person's days around now: the planned sessions (day → planned seconds), the baseline
    days, the off blocks of an on/off plan, and the days whose session was done.
    ``measures_herself`` is False for a practice's client with no account of her own: her
    practice takes her photos, so her measuring days remind her of nothing."""

    planned: Mapping[dt.date, int] = field(default_factory=dict)
    baseline: tuple[dt.date, ...] = ()
    off_spans: tuple[tuple[dt.date, dt.date], ...] = ()
    done: frozenset[dt.date] = frozenset()
    measures_herself: bool = True

    def is_off(self, day: dt.date) -> bool:
        """Give whether ``day`` lies in an off block (no sessions, measurements go on)."""
        return any(first <= day <= last for first, last in self.off_spans)


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: its slot and kind, the day it is for (her calendar day), its words and the
    page it opens."""

    slot: Slot
    kind: Kind
    day: dt.date
    title: str
    body: str
    page: Page


def local_moment(now: dt.datetime, time_zone: str) -> dt.datetime:
    """Give ``now`` (aware) on the wall clock of ``time_zone``."""
    return now.astimezone(zoneinfo.ZoneInfo(time_zone))


def due_at(day: dt.date, choices: Choices) -> dt.datetime:
    """Give the moment (aware) of her chosen time on ``day`` in her time zone. A time skipped
    when the clocks go forward falls in the hour after (02:30 becomes 03:30)."""
    zone = zoneinfo.ZoneInfo(choices.time_zone)
    return dt.datetime.combine(day, choices.at, tzinfo=zone)


def is_due(day: dt.date, choices: Choices, now: dt.datetime) -> bool:
    """Give whether ``now`` lies from her time on ``day`` to ``LATE_LIMIT`` after it."""
    at = due_at(day, choices)
    return at <= now <= at + LATE_LIMIT


def due_reminders(choices: Choices, journey: Journey, now: dt.datetime) -> list[Reminder]:
    """Give the reminders due at ``now`` (aware): the day's, and the weekly summary."""
    day = local_moment(now, choices.time_zone).date()
    if not is_due(day, choices, now):
        return []
    found = (day_reminder(choices, journey, day), weekly_summary(choices, journey, day))
    return [r for r in found if r is not None]


def day_reminder(choices: Choices, journey: Journey, day: dt.date) -> Reminder | None:
    """Give the reminder of ``day``: its measuring, its session or a nudge; None on a rest day
    or once the day's session is done."""
    if day in journey.baseline:
        if not journey.measures_herself:
            return None
        number = journey.baseline.index(day) + 1
        return Reminder(
            "day",
            "measure",
            day,
            f"Baseline day {number} of {len(journey.baseline)}: your photo and rating",
            "Take today's photo and rating. They are what your progress will be compared with.",
            "photo",
        )
    if journey.is_off(day):
        if not journey.measures_herself or not is_measuring_day(day, set(journey.planned)):
            return None
        return Reminder(
            "day",
            "measure",
            day,
            "A measuring day: your photo and rating",
            "No massage this week. Take your photo and rating as usual, so the weeks without "
            "massage can be compared with the weeks with it.",
            "photo",
        )
    seconds = journey.planned.get(day)
    if seconds is None or day in journey.done:
        return None
    minutes = whole_minutes(seconds)
    length = f"about {minutes} minute{'' if minutes == 1 else 's'}"
    missed = first_miss_before(journey, day)
    if choices.nudge and missed is not None:
        return Reminder(
            "day",
            "nudge",
            day,
            "A fresh start today",
            f"Your session on {day_in_words(missed, weekday=True)} did not happen. That is all "
            "right: one missed day does not undo a habit. Today's session takes "
            f"{length}.",
            "session",
        )
    return Reminder(
        "day",
        "session",
        day,
        "Time for your session",
        f"Today's session takes {length}.",
        "session",
    )


def first_miss_before(journey: Journey, day: dt.date) -> dt.date | None:
    """Give the planned day before ``day`` if it was missed and the planned day before it was
    not (the first miss of a run); None otherwise."""
    earlier = sorted(
        (d for d in journey.planned if day - dt.timedelta(days=LOOK_BACK_DAYS) <= d < day),
        reverse=True,
    )
    if not earlier or earlier[0] in journey.done:
        return None
    if len(earlier) > 1 and earlier[1] not in journey.done:
        return None
    return earlier[0]


def weekly_summary(choices: Choices, journey: Journey, day: dt.date) -> Reminder | None:
    """Give the summary of the ``SUMMARY_DAYS`` days up to ``day``, on her chosen weekday."""
    if not choices.weekly or day.weekday() != choices.summary_weekday:
        return None
    start = day - dt.timedelta(days=SUMMARY_DAYS - 1)
    # Today's session still to do is neither done nor missed yet (as ``core.adherence`` counts).
    planned = sorted(
        d for d in journey.planned if start <= d < day or (d == day and d in journey.done)
    )
    done = [d for d in planned if d in journey.done]
    ahead = [d for d in journey.planned if day < d <= day + dt.timedelta(days=SUMMARY_DAYS)]
    if planned:
        body = f"In the last {SUMMARY_DAYS} days you did {len(done)} of {len(planned)} planned "
        body += f"session{'' if len(planned) == 1 else 's'}."
        current, _ = streaks(
            d in journey.done
            for d in sorted(journey.planned)
            if d < day or (d == day and d in journey.done)
        )
        if current > 1:
            body += f" You have done {current} planned sessions in a row."
    else:
        body = f"No sessions were planned in the last {SUMMARY_DAYS} days."
    if day in journey.planned and day not in journey.done:
        body += " Today's session is still to do."
    if ahead:
        body += f" In the next {SUMMARY_DAYS} days: {len(ahead)} session"
        body += f"{'' if len(ahead) == 1 else 's'} planned."
    return Reminder("week", "weekly", day, "Your week", body, "progress")
