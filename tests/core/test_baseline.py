"""The baseline week: three measurement days before the first session, skipping it, and a pause
week that takes it again without losing what came before."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.baseline import (
    can_skip,
    first_verdict_on,
    pause_for_baseline,
    pause_words,
    skip_baseline,
    verdict_sentence,
    wait_words,
)
from collagen_coach.core.errors import UserError
from collagen_coach.core.measures import MIN_BASELINE
from collagen_coach.core.planning import Profile, baseline_dates, build_plan
from collagen_coach.core.screening import Decision

START = dt.date(2026, 11, 30)  # a Monday
GO = Decision(
    decision="go", reasons=[], avoid_zones=[], exclude_techniques=[], max_pressure=5, resume_on=None
)


def profile(**changes: object) -> Profile:
    fields: dict[str, object] = {"age": 60, "start_date": START, "days_per_week": 7}
    fields.update(changes)
    return Profile.model_validate(fields)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_a_baseline_week_measures_every_other_day_then_the_sessions_begin() -> None:
    program = build_plan(profile(baseline_week=True), GO)
    assert program.baseline_days == [day(0), day(2), day(4)] == baseline_dates(START)
    assert len(program.baseline_days) == MIN_BASELINE
    assert program.first_session_on == program.treatment_from == day(5)
    assert program.phases[0].start == day(5)
    assert [program.baseline_day_number(day(n)) for n in range(6)] == [1, None, 2, None, 3, None]
    assert all(program.in_baseline_week(day(n)) for n in range(5))
    assert not program.in_baseline_week(day(5))


def test_the_baseline_week_gives_the_measurements_their_phase() -> None:
    program = build_plan(profile(baseline_week=True), GO)
    assert [program.phase_of(day(n)) for n in (-3, 0, 4, 5, 40)] == [
        "baseline",
        "baseline",
        "baseline",
        "treatment",
        "treatment",
    ]


def test_without_a_baseline_week_the_sessions_begin_on_the_first_day() -> None:
    program = build_plan(profile(), GO)
    assert program.baseline_days == []
    assert program.first_session_on == START
    assert program.phase_of(day(-1)) == "baseline"
    assert program.phase_of(START) == "treatment"


def test_skipping_the_baseline_starts_the_sessions_today() -> None:
    today = day(2)
    skipped = build_plan(skip_baseline(profile(baseline_week=True), today), GO)
    assert skipped.baseline_days == []
    assert skipped.first_session_on == today


def test_a_plan_without_a_baseline_week_has_none_to_skip() -> None:
    with pytest.raises(UserError, match="no baseline week to skip"):
        skip_baseline(profile(), day(2))


def test_a_pause_week_stops_the_sessions_for_the_new_baseline_and_keeps_the_rest() -> None:
    before = build_plan(profile(baseline_week=True), GO)
    today = day(20)
    paused = build_plan(pause_for_baseline(before, today), GO)
    assert paused.baseline_days == [day(20), day(22), day(24)]
    assert paused.earlier_history_before == today
    # The sessions before the pause stay as they were planned; none in the pause.
    assert [s.date for s in paused.sessions if s.date < today] == [
        s.date for s in before.sessions if s.date < today
    ]
    assert not [s for s in paused.sessions if today <= s.date <= day(24)]
    assert paused.treatment_from == day(25)
    assert paused.first_session_on == day(5)
    # Measured during the pause: the new baseline; after it: treatment.
    assert paused.phase_of(day(21)) == "baseline"
    assert paused.phase_of(day(25)) == "treatment"
    assert paused.in_baseline_week(day(23))
    assert not paused.in_baseline_week(day(19))
    assert "not used to judge progress" in pause_words(paused)
    assert pause_words(before) == ""


@pytest.mark.parametrize("today", [day(-1), day(0), day(3)], ids=["before", "day-1", "day-4"])
def test_a_pause_week_waits_until_the_sessions_have_begun(today: dt.date) -> None:
    program = build_plan(profile(baseline_week=True), GO)
    with pytest.raises(UserError, match="have not begun"):
        pause_for_baseline(program, today)


def test_a_pause_week_needs_sessions_after_it() -> None:
    program = build_plan(profile(weeks=4), GO)
    with pytest.raises(UserError, match="no session is planned after"):
        pause_for_baseline(program, program.sessions[-1].date)


def test_skipping_is_allowed_only_before_the_first_measurement_and_the_first_session() -> None:
    program = build_plan(profile(baseline_week=True), GO)
    assert can_skip(program, day(0), measured=False)
    assert not can_skip(program, day(0), measured=True)
    assert not can_skip(program, day(2), measured=True)
    assert not can_skip(program, day(5), measured=False)  # the sessions have begun
    with pytest.raises(UserError, match="only before its first photo or rating is saved"):
        skip_baseline(program.profile, day(2), program, measured=True)
    assert not skip_baseline(program.profile, day(1), program, measured=False).baseline_week


def test_the_first_verdict_day_and_the_wait_are_said_one_way() -> None:
    program = build_plan(profile(baseline_week=True), GO)
    assert first_verdict_on(day(0)) == day(56) == dt.date(2027, 1, 25)
    assert wait_words(day(0), day(0)) == "in about 8 weeks"
    assert wait_words(day(0), day(4)) == "in about 7 weeks"  # 52 days: 7.4 weeks
    assert wait_words(day(0), day(45)) == "in 11 days"
    assert wait_words(day(0), day(55)) == "in 1 day"
    assert wait_words(day(0), day(56)) == ""
    sentence = verdict_sentence(program, day(4))
    assert "possible from Monday 25 January 2027 at the earliest (in about 7 weeks)" in sentence
    assert "8 or more weeks ago" in verdict_sentence(program, day(56))
    assert "photos and" not in verdict_sentence(program, day(4), ["photos"])
