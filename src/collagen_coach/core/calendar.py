"""Planned sessions as an iCalendar (RFC 5545) file, for any calendar app, with a reminder each.

Each session becomes one VEVENT whose UID is derived from who the plan is for and the session's
date, never from a random number or from the session's content: exporting again after the plan
changes updates the events already imported instead of adding duplicates.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from icalendar import Alarm, Calendar, Event

from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Session, Step
from collagen_coach.core.techniques import load_library
from collagen_coach.core.words import short_duration, whole_minutes

PRODID = "-//collagen-coach//planned sessions//EN"
MAX_REMINDER_MINUTES = 24 * 60
# A fixed namespace keeps UIDs identical across exports and installations (RFC 4122 name-based).
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "collagen-coach.invalid")


@dataclass(frozen=True, slots=True)
class CalendarSession:
    """A session to put in a calendar: its day, phase, length and steps in plain words."""

    date: dt.date
    phase: str
    duration_s: int
    steps: tuple[str, ...] = field(default=())


def planned_sessions_ics(
    sessions: Iterable[CalendarSession | Session],
    *,
    start_time: dt.time,
    reminder_minutes: int,
    tz: str,
    owner: str = "",
    exported_at: dt.datetime | None = None,
) -> bytes:
    """Give an iCalendar file with one event per session, starting at ``start_time`` in ``tz``.

    ``tz`` is an IANA time zone name (e.g. ``Europe/Berlin``); each event carries a display
    reminder ``reminder_minutes`` (0–1440) before it starts. ``owner`` (e.g. a client id) keeps
    the UIDs of different people's plans apart. ``exported_at`` is the DTSTAMP (default: now).

    Raises UserError on a bad time zone, reminder, start time or session length.
    """
    zone = _time_zone(tz)
    if not 0 <= reminder_minutes <= MAX_REMINDER_MINUTES:
        raise UserError(
            "reminder_minutes",
            f"{reminder_minutes!r} is out of range",
            f"0 to {MAX_REMINDER_MINUTES} minutes",
        )
    if start_time.tzinfo is not None:
        raise UserError(
            "start_time", "must be a clock time without a time zone", "a time such as 08:30"
        )
    stamp = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)

    calendar = Calendar.new(prodid=PRODID, name="Face massage sessions")
    del calendar["UID"]  # a new random UID per export would defeat stable re-imports
    seen_on_day: Counter[dt.date] = Counter()
    days: list[dt.date] = []
    for session in sessions:
        item = _as_calendar_session(session)
        if item.duration_s <= 0:
            raise UserError(
                "sessions",
                f"the session on {item.date.isoformat()} lasts {item.duration_s} s",
                "a positive duration",
            )
        seen_on_day[item.date] += 1
        days.append(item.date)
        calendar.add_component(
            _event(item, seen_on_day[item.date], zone, start_time, reminder_minutes, owner, stamp)
        )
    if days:
        # VTIMEZONE only for the span used, so the file stays small.
        calendar.add_missing_timezones(
            first_date=min(days) - dt.timedelta(days=1), last_date=max(days) + dt.timedelta(days=1)
        )
    ics: bytes = calendar.to_ical()
    return ics


def session_summary(phase: str, duration_s: int) -> str:
    """Give the event title, e.g. ``Face massage — foundation (10 min)``."""
    return f"Face massage — {phase} ({whole_minutes(duration_s)} min)"


def _time_zone(tz: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise UserError(
            "tz", f"unknown time zone {tz!r}", "an IANA time zone name such as Europe/Berlin"
        ) from exc


def _as_calendar_session(session: CalendarSession | Session) -> CalendarSession:
    if isinstance(session, CalendarSession):
        return session
    return CalendarSession(
        date=session.date,
        phase=session.phase,
        duration_s=session.duration_s,
        steps=tuple(_describe_step(step) for step in session.steps),
    )


def _describe_step(step: Step) -> str:
    """Give one step in plain words, e.g. ``Tapping — forehead, 45 s (pressure 1 of 5)``."""
    library = load_library()
    technique = library.techniques.get(step.technique)
    zone = library.zones.get(step.zone)
    name = technique.name if technique else step.technique.replace("_", " ")
    where = zone.name.lower() if zone else step.zone.replace("_", " ")
    side = "" if step.side == "both" else f", {step.side} side only"
    return (
        f"{name} — {where}{side}, {short_duration(step.duration_s)} (pressure {step.pressure} of 5)"
    )


def _event(
    item: CalendarSession,
    nth_on_day: int,
    zone: zoneinfo.ZoneInfo,
    start_time: dt.time,
    reminder_minutes: int,
    owner: str,
    stamp: dt.datetime,
) -> Event:
    # Round-trip through UTC so a start inside a daylight-saving gap becomes a real wall time.
    naive_start = dt.datetime.combine(item.date, start_time)
    start = naive_start.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone)
    end = (start.astimezone(dt.UTC) + dt.timedelta(seconds=item.duration_s)).astimezone(zone)
    summary = session_summary(item.phase, item.duration_s)
    lines = [f"{n}. {text}" for n, text in enumerate(item.steps, start=1)]
    description = "\n".join([*lines, "", "Stop if anything hurts."] if lines else [summary])
    event = Event.new(
        uid=f"{_uid_key(owner, item.date, nth_on_day)}@collagen-coach",
        summary=summary,
        description=description,
        start=start,
        end=end,
        stamp=stamp,
    )
    reminder = (
        "Face massage now"
        if reminder_minutes == 0
        else f"Face massage in {reminder_minutes} minutes"
    )
    event.add_component(
        Alarm.new_display(description=reminder, trigger=dt.timedelta(minutes=-reminder_minutes))
    )
    return event


def _uid_key(owner: str, day: dt.date, nth_on_day: int) -> uuid.UUID:
    return uuid.uuid5(_UID_NAMESPACE, f"{owner}|{day.isoformat()}|{nth_on_day}")
