"""Adherence: weekly and overall percentages, streaks and habit strength, as of a given day."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from collagen_coach.core.adherence import (
    DONE_SHARE,
    Adherence,
    WeekAdherence,
    counts_as_done,
    habit_strength,
    measure_adherence,
    week_start,
)


def jan(day: int) -> dt.date:
    """Give a day of January 2026; the 5th, 12th, 19th and 26th are Mondays."""
    return dt.date(2026, 1, day)


MON_WED_FRI = [jan(5), jan(7), jan(9), jan(12), jan(14), jan(16)]


def test_empty_history_has_no_percent_no_streak_and_no_habit() -> None:
    assert measure_adherence([], [], today=jan(14)) == Adherence(
        today=jan(14),
        weeks=(),
        planned=0,
        done=0,
        extra=0,
        percent=None,
        current_streak=0,
        longest_streak=0,
        habit_strength=0.0,
        today_pending=False,
    )


def test_worked_example_gives_exact_figures() -> None:
    # Planned Mon/Wed/Fri; Wed 7th missed but made up on Sat 10th; an extra session on Tue 13th;
    # today is Wed 14th, its session not yet done; Fri 16th is in the future.
    result = measure_adherence(
        MON_WED_FRI, [jan(5), jan(9), jan(10), jan(12), jan(13)], today=jan(14)
    )
    assert result.weeks == (
        WeekAdherence(week_start=jan(5), planned=3, done=3, extra=0, percent=100.0),
        WeekAdherence(week_start=jan(12), planned=1, done=1, extra=1, percent=100.0),
    )
    assert (result.planned, result.done, result.extra, result.percent) == (4, 4, 1, 100.0)
    # Planned days in order: done, missed, done, done (the Saturday make-up is not a planned day).
    assert (result.current_streak, result.longest_streak) == (2, 2)
    # h: 0.1 → 0.09 → 0.09 + 0.1·0.91 = 0.181 → 0.181 + 0.1·0.819 = 0.2629
    assert result.habit_strength == pytest.approx(26.29)
    assert result.today_pending


@pytest.mark.parametrize(
    ("planned", "done", "today", "current", "longest"),
    [
        pytest.param(MON_WED_FRI, MON_WED_FRI, jan(18), 6, 6, id="perfect-two-weeks"),
        pytest.param(
            MON_WED_FRI,
            [jan(5), jan(7), jan(12), jan(14), jan(16)],
            jan(18),
            3,
            3,
            id="missed-friday-restarts-the-streak",
        ),
        pytest.param(
            MON_WED_FRI,
            [jan(5), jan(7), jan(9), jan(12)],
            jan(18),
            0,
            4,
            id="missed-days-at-the-end-end-the-current-streak",
        ),
        pytest.param(
            [jan(5), jan(9)], [jan(5), jan(9)], jan(9), 2, 2, id="rest-days-between-do-not-break"
        ),
        pytest.param(
            [jan(5), jan(6), jan(7)],
            [jan(5), jan(6)],
            jan(7),
            2,
            2,
            id="today-pending-does-not-break",
        ),
        pytest.param(
            [jan(5), jan(6), jan(7)],
            [jan(5), jan(6)],
            jan(8),
            0,
            2,
            id="yesterday-undone-is-missed",
        ),
        pytest.param(
            [jan(5), jan(7)],
            [jan(5), jan(6), jan(7)],
            jan(7),
            2,
            2,
            id="unplanned-session-does-not-lengthen-the-streak",
        ),
        pytest.param(
            [jan(5), jan(7)],
            [jan(6)],
            jan(8),
            0,
            0,
            id="session-on-the-wrong-day-does-not-count-for-the-streak",
        ),
    ],
)
def test_streaks_count_planned_days_done_in_a_row(
    planned: list[dt.date], done: list[dt.date], today: dt.date, current: int, longest: int
) -> None:
    result = measure_adherence(planned, done, today=today)
    assert (result.current_streak, result.longest_streak) == (current, longest)


@pytest.mark.parametrize(
    ("planned", "done", "today", "weeks"),
    [
        pytest.param(
            MON_WED_FRI,
            MON_WED_FRI,
            jan(18),
            [(jan(5), 3, 3, 0, 100.0), (jan(12), 3, 3, 0, 100.0)],
            id="perfect-weeks",
        ),
        pytest.param(
            MON_WED_FRI,
            [jan(5), jan(12), jan(14), jan(16)],
            jan(18),
            [(jan(5), 3, 1, 0, 100 / 3), (jan(12), 3, 3, 0, 100.0)],
            id="one-of-three",
        ),
        pytest.param(
            [jan(5)],
            [jan(5), jan(6), jan(6), jan(8)],
            jan(11),
            [(jan(5), 1, 1, 3, 100.0)],
            id="extra-sessions-reported-not-over-100",
        ),
        pytest.param(
            [jan(5), jan(19)],
            [jan(5), jan(19)],
            jan(19),
            [(jan(5), 1, 1, 0, 100.0), (jan(12), 0, 0, 0, None), (jan(19), 1, 1, 0, 100.0)],
            id="week-with-nothing-planned-has-no-percent",
        ),
        pytest.param(
            [jan(5), jan(12)],
            [jan(5)],
            jan(18),
            [(jan(5), 1, 1, 0, 100.0), (jan(12), 1, 0, 0, 0.0)],
            id="missed-week-is-zero",
        ),
        pytest.param(
            MON_WED_FRI,
            [jan(5), jan(7)],
            jan(7),
            [(jan(5), 2, 2, 0, 100.0)],
            id="future-planned-not-yet-due",
        ),
        pytest.param(
            [jan(5), jan(7)],
            [jan(5)],
            jan(7),
            [(jan(5), 1, 1, 0, 100.0)],
            id="today-pending-not-yet-due",
        ),
        pytest.param(
            [jan(5)],
            [jan(5), jan(20)],
            jan(11),
            [(jan(5), 1, 1, 0, 100.0)],
            id="session-dated-after-today-ignored",
        ),
        pytest.param(
            [jan(7)],
            [jan(5)],
            jan(11),
            [(jan(5), 1, 1, 0, 100.0)],
            id="make-up-session-counts-in-its-week",
        ),
    ],
)
def test_weeks_count_sessions_done_against_sessions_due(
    planned: list[dt.date],
    done: list[dt.date],
    today: dt.date,
    weeks: list[tuple[dt.date, int, int, int, float | None]],
) -> None:
    result = measure_adherence(planned, done, today=today)
    assert [(w.week_start, w.planned, w.done, w.extra, w.percent) for w in result.weeks] == [
        pytest.approx(week) for week in weeks
    ]


@pytest.mark.parametrize(
    ("planned", "done", "today", "percent"),
    [
        pytest.param(MON_WED_FRI, MON_WED_FRI, jan(18), 100.0, id="all-done"),
        pytest.param(MON_WED_FRI, [], jan(18), 0.0, id="none-done"),
        pytest.param(MON_WED_FRI, [jan(5), jan(7), jan(9)], jan(18), 50.0, id="half-done"),
        pytest.param(MON_WED_FRI, [jan(5)], jan(7), 100.0, id="today-pending-not-counted"),
        pytest.param(MON_WED_FRI, [jan(5), jan(7)], jan(7), 100.0, id="today-done-counted"),
        pytest.param(MON_WED_FRI, [], jan(5), None, id="only-today-pending-has-no-percent"),
        pytest.param(MON_WED_FRI, [], jan(1), None, id="plan-not-started"),
        pytest.param(
            [jan(5), jan(12)],
            [jan(5), jan(6), jan(7)],
            jan(18),
            50.0,
            id="extras-do-not-carry-over",
        ),
    ],
)
def test_overall_percent_counts_only_sessions_due_by_today(
    planned: list[dt.date], done: list[dt.date], today: dt.date, percent: float | None
) -> None:
    assert measure_adherence(planned, done, today=today).percent == pytest.approx(percent)


def test_today_pending_only_while_todays_planned_session_is_undone() -> None:
    assert measure_adherence([jan(7)], [], today=jan(7)).today_pending
    assert not measure_adherence([jan(7)], [jan(7)], today=jan(7)).today_pending
    assert not measure_adherence([jan(8)], [], today=jan(7)).today_pending


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        pytest.param(jan(5), jan(5), id="monday-is-its-own-start"),
        pytest.param(jan(11), jan(5), id="sunday-belongs-to-the-week-before"),
        pytest.param(dt.date(2026, 1, 1), dt.date(2025, 12, 29), id="across-new-year"),
    ],
)
def test_weeks_start_on_monday(day: dt.date, monday: dt.date) -> None:
    assert week_start(day) == monday


@pytest.mark.parametrize(
    ("completions", "strength"),
    [
        pytest.param([], 0.0, id="nothing-yet"),
        pytest.param([True], 10.0, id="one-done"),
        pytest.param([True, True], 19.0, id="two-done"),
        pytest.param([True, False], 9.0, id="done-then-missed"),
        pytest.param([False, False], 0.0, id="missed-from-zero-stays-zero"),
        pytest.param([True, True, False, True], 25.39, id="worked-example"),
    ],
)
def test_habit_strength_exact_values(completions: list[bool], strength: float) -> None:
    assert habit_strength(completions) == pytest.approx(strength)


def test_habit_strength_rises_with_every_session_done_and_never_reaches_100() -> None:
    values = [habit_strength([True] * n) for n in range(200)]
    assert all(a < b for a, b in itertools.pairwise(values))
    assert 99.9 < values[-1] < 100.0


def test_habit_strength_falls_with_every_day_missed_and_never_below_0() -> None:
    values = [habit_strength([True] * 30 + [False] * n) for n in range(200)]
    assert all(a > b for a, b in itertools.pairwise(values))
    assert 0.0 < values[-1] < 0.01


@pytest.mark.parametrize(
    "completions",
    [
        pytest.param([True, False] * 50, id="alternating"),
        pytest.param([False] * 10 + [True] * 90, id="late-starter"),
        pytest.param([True] * 90 + [False] * 10, id="lapsed"),
    ],
)
def test_habit_strength_stays_between_0_and_100(completions: list[bool]) -> None:
    for n in range(len(completions) + 1):
        assert 0.0 <= habit_strength(completions[:n]) <= 100.0


@pytest.mark.parametrize("alpha", [0.0, -0.1, 1.5])
def test_habit_strength_refuses_a_rate_outside_0_to_1(alpha: float) -> None:
    with pytest.raises(ValueError, match="alpha"):
        habit_strength([True], alpha=alpha)


PLANNED_S = 600


@pytest.mark.parametrize(
    ("completed", "done_s", "done"),
    [
        pytest.param(True, DONE_SHARE * PLANNED_S - 1, False, id="played-through-just-under-half"),
        pytest.param(True, DONE_SHARE * PLANNED_S, True, id="played-through-exactly-half"),
        pytest.param(True, DONE_SHARE * PLANNED_S + 1, True, id="played-through-just-over-half"),
        pytest.param(True, PLANNED_S, True, id="played-through-in-full"),
        pytest.param(True, 0, False, id="skipped-through"),
        pytest.param(False, PLANNED_S, False, id="stopped-early-after-all-its-time"),
    ],
)
def test_a_session_counts_as_done_when_played_through_with_half_its_time_massage(
    completed: bool, done_s: float, done: bool
) -> None:
    assert counts_as_done(completed=completed, done_s=done_s, planned_s=PLANNED_S) is done
