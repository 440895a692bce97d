"""Which reminder is due, and when: her time in her zone, her planned days only, a nudge once
after a missed day, the weekly summary on her day, baseline and measuring days."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from collagen_coach.core.reminders import (
    Choices,
    Journey,
    day_reminder,
    due_at,
    due_reminders,
    is_due,
)

BERLIN = "Europe/Berlin"
MON = dt.date(2026, 11, 30)  # a Monday
EIGHT = Choices(at=dt.time(8, 0), time_zone=BERLIN)


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def at(d: dt.date, hour: int, minute: int = 0, zone: str = BERLIN) -> dt.datetime:
    return dt.datetime.combine(d, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))


# Sessions Monday, Wednesday, Friday of two weeks: 10 minutes each.
PLANNED = {day(n): 600 for n in (0, 2, 4, 7, 9, 11)}


def journey(done: tuple[int, ...] = (), **how: object) -> Journey:
    return Journey(planned=PLANNED, done=frozenset(day(n) for n in done), **how)  # type: ignore[arg-type]


def test_a_planned_day_reminds_at_her_time_and_not_before() -> None:
    assert due_reminders(EIGHT, journey(), at(day(0), 7, 59)) == []
    (reminder,) = due_reminders(EIGHT, journey(), at(day(0), 8, 0))
    assert (reminder.kind, reminder.day, reminder.page) == ("session", day(0), "session")
    assert reminder.title == "Time for your session"
    assert reminder.body == "Today's session takes about 10 minutes."


def test_a_rest_day_has_no_reminder() -> None:
    assert due_reminders(EIGHT, journey(done=(0,)), at(day(1), 8, 30)) == []


def test_a_session_done_before_her_time_is_not_reminded() -> None:
    assert due_reminders(EIGHT, journey(done=(0,)), at(day(0), 9)) == []


def test_a_reminder_more_than_four_hours_late_is_not_sent() -> None:
    assert due_reminders(EIGHT, journey(), at(day(0), 12, 0)) != []
    assert due_reminders(EIGHT, journey(), at(day(0), 12, 1)) == []


def test_the_time_is_her_zones_not_the_servers() -> None:
    tokyo = Choices(at=dt.time(8, 0), time_zone="Asia/Tokyo")
    # 08:00 in Tokyo is 00:00 in Berlin (UTC+9 against UTC+1 in winter).
    assert due_reminders(tokyo, journey(), at(day(0), 0, 0)) != []
    assert due_reminders(tokyo, journey(), at(day(0), 8, 0)) == []


@pytest.mark.parametrize(
    ("change", "utc_hour"),
    [(dt.date(2026, 3, 29), 6), (dt.date(2026, 10, 25), 7)],
    ids=["spring-forward", "fall-back"],
)
def test_on_the_day_the_clocks_change_eight_is_still_eight_on_her_clock(
    change: dt.date, utc_hour: int
) -> None:
    choices = Choices(at=dt.time(8, 0), time_zone=BERLIN)
    planned = Journey(planned={change: 600})
    moment = dt.datetime.combine(change, dt.time(utc_hour, 0), tzinfo=dt.UTC)
    assert due_at(change, choices) == moment
    assert due_reminders(choices, planned, moment - dt.timedelta(minutes=1)) == []
    assert [r.kind for r in due_reminders(choices, planned, moment)] == ["session"]


def test_a_time_the_clocks_skip_comes_an_hour_later() -> None:
    choices = Choices(at=dt.time(2, 30), time_zone=BERLIN)
    spring = dt.date(2026, 3, 29)
    assert not is_due(spring, choices, dt.datetime(2026, 3, 29, 0, 29, tzinfo=dt.UTC))
    assert is_due(spring, choices, dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC))


def test_after_a_missed_day_the_next_planned_day_nudges_gently() -> None:
    (reminder,) = due_reminders(EIGHT, journey(), at(day(2), 8))
    assert reminder.kind == "nudge"
    assert reminder.title == "A fresh start today"
    assert reminder.body.startswith("Your session on Monday 30 November did not happen.")
    assert "one missed day does not undo a habit" in reminder.body


def test_the_nudge_comes_once_a_second_missed_day_gets_the_usual_reminder() -> None:
    assert day_reminder(EIGHT, journey(), day(2)).kind == "nudge"  # type: ignore[union-attr]
    assert day_reminder(EIGHT, journey(), day(4)).kind == "session"  # type: ignore[union-attr]
    # Done again, then missed again: a new run of misses, a new nudge.
    assert day_reminder(EIGHT, journey(done=(4,)), day(9)).kind == "nudge"  # type: ignore[union-attr]


def test_no_nudge_after_a_day_done_or_when_she_does_not_want_one() -> None:
    assert day_reminder(EIGHT, journey(done=(0,)), day(2)).kind == "session"  # type: ignore[union-attr]
    no_nudge = Choices(at=dt.time(8), time_zone=BERLIN, nudge=False)
    assert day_reminder(no_nudge, journey(), day(2)).kind == "session"  # type: ignore[union-attr]


def test_no_nudge_on_a_rest_day_after_a_missed_day() -> None:
    assert day_reminder(EIGHT, journey(), day(1)) is None


def test_a_baseline_day_reminds_of_the_photo_and_rating() -> None:
    baseline = (day(0), day(2), day(4))
    days = Journey(planned={day(7): 600}, baseline=baseline)
    reminder = day_reminder(EIGHT, days, day(2))
    assert reminder is not None
    assert (reminder.kind, reminder.page) == ("measure", "photo")
    assert reminder.title == "Baseline day 2 of 3: your photo and rating"
    assert day_reminder(EIGHT, days, day(3)) is None


def test_an_off_week_reminds_only_on_its_measuring_days() -> None:
    planned = {day(0): 600, day(2): 600}
    off = ((day(14), day(27)),)
    days = Journey(planned=planned, off_spans=off)
    measuring = day_reminder(EIGHT, days, day(14))
    assert measuring is not None
    assert measuring.kind == "measure"
    assert measuring.title == "A measuring day: your photo and rating"
    assert day_reminder(EIGHT, days, day(15)) is None


def test_the_weekly_summary_comes_on_her_day_when_she_wants_it() -> None:
    sunday = day(6)
    weekly = Choices(at=dt.time(8), time_zone=BERLIN, weekly=True, summary_weekday=6)
    (summary,) = due_reminders(weekly, journey(done=(0, 2)), at(sunday, 8))
    assert (summary.slot, summary.kind, summary.page) == ("week", "weekly", "progress")
    assert summary.body == (
        "In the last 7 days you did 2 of 3 planned sessions. "
        "In the next 7 days: 3 sessions planned."
    )
    assert due_reminders(weekly, journey(done=(0, 2)), at(day(5), 8)) == []
    assert due_reminders(EIGHT, journey(done=(0, 2)), at(sunday, 8)) == []


def test_the_summary_counts_a_run_of_sessions_done() -> None:
    weekly = Choices(at=dt.time(8), time_zone=BERLIN, weekly=True, summary_weekday=6)
    (summary,) = due_reminders(weekly, journey(done=(0, 2, 4)), at(day(6), 8))
    assert "you did 3 of 3 planned sessions. You have done 3 planned sessions in a row." in (
        summary.body
    )


def test_on_a_planned_summary_day_both_come_in_their_own_slots() -> None:
    friday = Choices(at=dt.time(8), time_zone=BERLIN, weekly=True, summary_weekday=4)
    found = due_reminders(friday, journey(done=(0, 2)), at(day(4), 8))
    assert [(r.slot, r.kind) for r in found] == [("day", "session"), ("week", "weekly")]
    # Today's session still to do is neither done nor missed in the summary.
    assert found[1].body == (
        "In the last 7 days you did 2 of 2 planned sessions. You have done 2 planned sessions "
        "in a row. Today's session is still to do. In the next 7 days: 3 sessions planned."
    )


def test_a_client_whose_practice_takes_her_photos_gets_no_measuring_reminders() -> None:
    days = Journey(
        planned={day(7): 600},
        baseline=(day(0), day(2)),
        off_spans=((day(14), day(27)),),
        measures_herself=False,
    )
    assert [day_reminder(EIGHT, days, day(n)) for n in (0, 2, 14)] == [None, None, None]
    session = day_reminder(EIGHT, days, day(7))
    assert session is not None
    assert session.kind == "session"
