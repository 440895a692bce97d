"""The ICS export of planned sessions, read back with icalendar as a calendar app would."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from collagen_coach.core.calendar import CalendarSession, planned_sessions_ics, session_summary
from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Session, Step

BERLIN = ZoneInfo("Europe/Berlin")
EXPORTED_AT = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
MONDAY = CalendarSession(
    date=dt.date(2026, 1, 5),
    phase="foundation",
    duration_s=600,
    steps=("Warm-up strokes, 1 min", "Tapping on the forehead, 45 s"),
)
WEDNESDAY = CalendarSession(
    date=dt.date(2026, 1, 7), phase="foundation", duration_s=480, steps=("Circles, 8 min",)
)


def export(sessions: list[Any], **options: Any) -> bytes:
    settings: dict[str, Any] = {
        "start_time": dt.time(8, 30),
        "reminder_minutes": 15,
        "tz": "Europe/Berlin",
        "exported_at": EXPORTED_AT,
    }
    return planned_sessions_ics(sessions, **(settings | options))


def events(ics: bytes) -> list[Event]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def uids(ics: bytes) -> list[str]:
    return [str(event["UID"]) for event in events(ics)]


def test_each_session_becomes_one_event_titled_with_phase_and_minutes() -> None:
    assert [str(e["SUMMARY"]) for e in events(export([MONDAY, WEDNESDAY]))] == [
        "Face massage — foundation (10 min)",
        "Face massage — foundation (8 min)",
    ]


def test_event_description_lists_the_steps_in_order() -> None:
    (event,) = events(export([MONDAY]))
    assert str(event["DESCRIPTION"]).splitlines()[:2] == [
        "1. Warm-up strokes, 1 min",
        "2. Tapping on the forehead, 45 s",
    ]


def test_event_starts_at_the_chosen_local_time_and_lasts_the_session() -> None:
    (event,) = events(export([MONDAY]))
    assert event.start == dt.datetime(2026, 1, 5, 8, 30, tzinfo=BERLIN)
    assert event.end == dt.datetime(2026, 1, 5, 8, 40, tzinfo=BERLIN)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_calendar_carries_the_time_zone_definition_it_uses() -> None:
    calendar = Calendar.from_ical(export([MONDAY]))
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    assert calendar.get_missing_tzids() == set()


def test_start_inside_a_daylight_saving_gap_moves_to_a_real_time() -> None:
    # Clocks in Berlin jump from 02:00 to 03:00 on 29 March 2026.
    session = CalendarSession(date=dt.date(2026, 3, 29), phase="build", duration_s=600)
    (event,) = events(export([session], start_time=dt.time(2, 30)))
    assert event.start == dt.datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)
    assert event.end - event.start == dt.timedelta(minutes=10)


@pytest.mark.parametrize(
    ("minutes", "trigger", "text"),
    [
        pytest.param(15, dt.timedelta(minutes=-15), "Face massage in 15 minutes", id="15-before"),
        pytest.param(0, dt.timedelta(0), "Face massage now", id="at-start"),
        pytest.param(1440, dt.timedelta(days=-1), "Face massage in 1440 minutes", id="day-before"),
    ],
)
def test_each_event_has_a_display_reminder_before_it(
    minutes: int, trigger: dt.timedelta, text: str
) -> None:
    (event,) = events(export([MONDAY], reminder_minutes=minutes))
    (alarm,) = event.walk("VALARM")
    assert (str(alarm["ACTION"]), alarm["TRIGGER"].dt, str(alarm["DESCRIPTION"])) == (
        "DISPLAY",
        trigger,
        text,
    )


def test_calendar_names_its_producer_and_version() -> None:
    calendar = Calendar.from_ical(export([MONDAY]))
    assert str(calendar["PRODID"]) == "-//collagen-coach//planned sessions//EN"
    assert str(calendar["VERSION"]) == "2.0"


def test_empty_plan_gives_a_valid_calendar_without_events() -> None:
    calendar = Calendar.from_ical(export([]))
    assert (str(calendar["PRODID"]), str(calendar["VERSION"])) == (
        "-//collagen-coach//planned sessions//EN",
        "2.0",
    )
    assert calendar.walk("VEVENT") == []


def test_exporting_twice_gives_the_same_file() -> None:
    assert export([MONDAY, WEDNESDAY]) == export([MONDAY, WEDNESDAY])


def test_re_export_of_a_changed_session_keeps_its_uid_so_calendars_update_it() -> None:
    changed = CalendarSession(
        date=MONDAY.date, phase="build", duration_s=900, steps=("Kneading on the cheeks, 15 min",)
    )
    assert uids(export([changed])) == uids(export([MONDAY]))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(export([MONDAY]), export([WEDNESDAY]), id="different-days"),
        pytest.param(
            export([MONDAY], owner="client-1"),
            export([MONDAY], owner="client-2"),
            id="different-people",
        ),
    ],
)
def test_uids_differ_between_days_and_between_people(first: bytes, second: bytes) -> None:
    assert uids(first) != uids(second)


def test_two_sessions_on_one_day_get_two_uids() -> None:
    assert len(set(uids(export([MONDAY, MONDAY])))) == 2


@pytest.mark.parametrize(
    ("duration_s", "minutes"),
    [
        pytest.param(600, 10, id="whole-minutes"),
        pytest.param(570, 10, id="half-minute-rounds-up"),
        pytest.param(569, 9, id="under-half-rounds-down"),
        pytest.param(20, 1, id="never-zero-minutes"),
    ],
)
def test_summary_rounds_the_duration_to_whole_minutes(duration_s: int, minutes: int) -> None:
    assert session_summary("build", duration_s) == f"Face massage — build ({minutes} min)"


def _step(technique: str, zone: str, duration_s: int, side: str = "both") -> Step:
    return Step(
        technique=technique,
        zone=zone,
        side=side,  # type: ignore[arg-type]
        duration_s=duration_s,
        pressure=1,
        tempo_value=6,
        tempo_unit="taps_per_s",
        tempo_cue="about six light taps a second",
        why="test",
    )


def test_planned_sessions_from_the_planner_are_accepted_and_described_in_plain_words() -> None:
    session = Session(
        date=dt.date(2026, 1, 5),
        phase="foundation",
        steps=[
            _step("warm_up_effleurage", "cheeks", 60),
            _step("tapping", "under_eye", 45, side="left"),
            _step("lymphatic_sweep", "neck", 90),
        ],
    )
    (event,) = events(export([session]))
    assert str(event["SUMMARY"]) == "Face massage — foundation (3 min)"
    assert str(event["DESCRIPTION"]).splitlines()[:3] == [
        "1. Warm-up strokes — cheeks, 1 min (pressure 1 of 5)",
        "2. Tapping — under the eyes, left side only, 45 s (pressure 1 of 5)",
        "3. Lymphatic sweep — neck, 1 min 30 s (pressure 1 of 5)",
    ]
    assert event.end - event.start == dt.timedelta(seconds=195)


@pytest.mark.parametrize(
    ("options", "sessions", "field"),
    [
        pytest.param(
            {"reminder_minutes": -1}, [MONDAY], "reminder_minutes", id="reminder-negative"
        ),
        pytest.param(
            {"reminder_minutes": 1441}, [MONDAY], "reminder_minutes", id="reminder-over-a-day"
        ),
        pytest.param({"tz": "Mars/Olympus"}, [MONDAY], "tz", id="unknown-time-zone"),
        pytest.param({"tz": ""}, [MONDAY], "tz", id="empty-time-zone"),
        pytest.param({"tz": "../../etc/passwd"}, [MONDAY], "tz", id="path-as-time-zone"),
        pytest.param(
            {"start_time": dt.time(8, 30, tzinfo=dt.UTC)},
            [MONDAY],
            "start_time",
            id="start-time-with-zone",
        ),
        pytest.param(
            {},
            [CalendarSession(date=MONDAY.date, phase="foundation", duration_s=0)],
            "sessions",
            id="session-of-no-length",
        ),
    ],
)
def test_bad_options_are_refused_naming_the_field(
    options: dict[str, Any], sessions: list[CalendarSession], field: str
) -> None:
    with pytest.raises(UserError) as caught:
        export(sessions, **options)
    assert caught.value.field == field
    assert caught.value.allowed
