"""Trials a person can run: the split-face side drawn at random and recorded, the on/off
(A-B-A-B) schedule, and the weeks each needs before it can show a change."""

from __future__ import annotations

import datetime as dt
import random
from unittest import mock

import pytest

from collagen_coach.core import trials
from collagen_coach.core.errors import UserError
from collagen_coach.core.noise import WHOLE_NUMBER_SEM_FLOOR
from collagen_coach.core.planning import Profile, build_plan, parse_profile
from collagen_coach.core.progress import (
    MIN_ABAB_BLOCKS,
    Observation,
    analyse_abab,
    analyse_progress,
)
from collagen_coach.core.progress.power import (
    RATING_CHANGE_WORDS,
    on_off_power_words,
    on_off_weeks,
    power_weeks,
    shorter_plan_words,
    trial_power,
)
from collagen_coach.core.screening import Intake, screen

START = dt.date(2026, 12, 7)  # a Monday
NOW = dt.datetime(2026, 12, 5, 9, 30, tzinfo=dt.UTC)


def _plan(**changes: object):
    profile = Profile(age=45, start_date=START, **changes)  # type: ignore[arg-type]
    intake = Intake(age=45, as_of=START)
    return build_plan(profile, screen(intake, today=START))


# --- the side -----------------------------------------------------------------------------------


@pytest.mark.parametrize("drawn", ["left", "right"])
def test_the_side_is_drawn_with_secrets_and_recorded_as_drawn(drawn: str) -> None:
    with mock.patch.object(trials.secrets, "choice", return_value=drawn) as choice:
        side, record = trials.settle_side("draw", None, NOW)
    choice.assert_called_once_with(("left", "right"))
    assert side == drawn
    assert record == trials.SideDraw(side=drawn, how="drawn", on=NOW)  # type: ignore[arg-type]
    assert record.words() == f"The {drawn} side was drawn at random on 5 December 2026."


def test_drawing_again_keeps_the_side_drawn_before() -> None:
    before = trials.SideDraw(side="left", how="drawn", on=NOW)
    with mock.patch.object(trials.secrets, "choice", return_value="right") as choice:
        side, record = trials.settle_side("draw", before, NOW + dt.timedelta(days=30))
    choice.assert_not_called()
    assert (side, record) == ("left", before)


def test_a_side_she_chooses_is_recorded_as_chosen_and_never_drawn() -> None:
    with mock.patch.object(trials.secrets, "choice") as choice:
        side, record = trials.settle_side("right", None, NOW)
    choice.assert_not_called()
    assert side == "right"
    assert record is not None
    assert record.how == "chosen"
    assert record.words() == "You chose the right side on 5 December 2026, rather than drawing it."
    # Choosing the other side after a draw is her insisting: recorded as chosen.
    drawn = trials.SideDraw(side="left", how="drawn", on=NOW)
    assert trials.settle_side("right", drawn, NOW)[1].how == "chosen"  # type: ignore[union-attr]
    assert trials.settle_side("both", drawn, NOW) == ("both", None)


def test_the_draw_is_about_even_over_many_draws() -> None:
    sides = [trials.draw_side(NOW).side for _ in range(400)]
    assert 140 < sides.count("left") < 260  # 400 fair draws: outside this 1 time in 10^9


def test_the_command_line_profile_draws_the_side_and_keeps_the_record_with_the_plan() -> None:
    raw = {"age": 45, "start_date": START.isoformat(), "treated_side": "draw"}
    with mock.patch.object(trials.secrets, "choice", return_value="left"):
        profile = parse_profile(raw)
    assert profile.treated_side == "left"
    assert profile.side_draw is not None
    assert profile.side_draw.how == "drawn"
    program = build_plan(profile, screen(Intake(age=45, as_of=START), today=START))
    assert program.model_dump(mode="json")["profile"]["side_draw"]["how"] == "drawn"
    assert {s.side for session in program.sessions for s in session.steps} <= {"left", "both"}


def test_a_record_of_the_other_side_is_refused_in_plain_words() -> None:
    raw = {
        "age": 45,
        "start_date": START.isoformat(),
        "treated_side": "right",
        "side_draw": {"side": "left", "how": "drawn", "on": NOW.isoformat()},
    }
    with pytest.raises(UserError, match=r"the side drawn or chosen \(left\) is not the treated"):
        parse_profile(raw)


# --- the on/off schedule -------------------------------------------------------------------------


def test_an_on_off_plan_has_sessions_only_in_the_weeks_with_massage() -> None:
    program = _plan(weeks=12, schedule="on_off")
    first = program.sessions[0].date
    assert first == START
    assert program.off_spans == [
        (START + dt.timedelta(weeks=w), START + dt.timedelta(weeks=w + 2, days=-1))
        for w in (2, 6, 10)
    ]
    weeks_with_sessions = {(s.date - first).days // 7 for s in program.sessions}
    assert weeks_with_sessions == {0, 1, 4, 5, 8, 9}
    assert not any(program.is_off(s.date) for s in program.sessions)
    steady = _plan(weeks=12)
    assert len(program.sessions) == len(steady.sessions) // 2
    assert trials.ON_OFF_WORDS in program.notes


def test_the_phase_is_off_in_the_off_blocks_and_treatment_between() -> None:
    program = _plan(weeks=8, schedule="on_off", baseline_week=True)
    first = program.treatment_from
    assert first == START + dt.timedelta(days=5)
    assert program.phase_of(START) == "baseline"
    assert program.phase_of(first) == "treatment"
    assert program.phase_of(first + dt.timedelta(weeks=2)) == "off"
    assert program.phase_of(first + dt.timedelta(weeks=4)) == "treatment"
    assert program.phase_of(first + dt.timedelta(weeks=8, days=-1)) == "off"
    assert _plan(weeks=8).phase_of(START + dt.timedelta(weeks=3)) == "treatment"


def test_an_on_off_plan_too_short_for_its_blocks_gets_one_clear_message() -> None:
    raw = {"age": 45, "start_date": START.isoformat(), "weeks": 6, "schedule": "on_off"}
    with pytest.raises(UserError) as caught:
        parse_profile(raw)
    assert caught.value.problem == (
        "an on/off plan needs at least 8 weeks: 2 blocks of 2 weeks with massage and 2 without"
    )


def test_progress_gets_on_off_comparisons_from_a_simulated_journal() -> None:
    """Ratings every measuring day, a point higher in the weeks with massage: the phases the
    plan gives make the A-B-A-B analysis see its blocks and the difference."""
    program = _plan(weeks=8, schedule="on_off", baseline_week=True)
    rng = random.Random(7)
    days = [START + dt.timedelta(days=n) for n in range(5 + 8 * 7)]
    observations = []
    for day in days:
        phase = program.phase_of(day)
        level = 7.0 if phase == "treatment" else 5.0
        observations.append(
            Observation(day, "firmness", float(round(level + rng.gauss(0, 0.4))), phase=phase)
        )
    result = analyse_abab(observations, higher_is_better=True)
    assert result.blocks_treatment == MIN_ABAB_BLOCKS
    assert result.blocks_off == MIN_ABAB_BLOCKS
    assert result.n_off == 28
    assert result.verdict == "improving"
    (whole,) = analyse_progress(observations, today=days[-1]).abab
    assert (whole.metric, whole.verdict, whole.n_treatment) == ("firmness", "improving", 28)


# --- the weeks a trial needs --------------------------------------------------------------------


def _baseline_ratings(values: list[int]) -> list[Observation]:
    return [
        Observation(START + dt.timedelta(days=2 * n), scale, float(v))
        for n, v in enumerate(values)
        for scale in ("firmness", "glow")
    ]


def test_the_on_off_weeks_come_from_her_own_rating_noise() -> None:
    lines = trial_power(_baseline_ratings([5, 5, 6]), 5, split_face=False, on_off=True)
    assert on_off_weeks(0.57735, 1.0, 5) is None  # her MDC (1.6 points) is over the 1 that matters
    assert lines == [
        f"On and off: the change that matters is {RATING_CHANGE_WORDS}.",
        *(
            f"{name}: your day-to-day wobble about ±0.58 points hides a 1-point difference; it "
            "would not stand out within a year."
            for name in ("Firmness", "Glow")
        ),
    ]
    calm = on_off_power_words({"Firmness": 0.3}, 5)
    assert calm[1:] == [
        f"Firmness: about {on_off_weeks(0.3, 1.0, 5)} weeks at 5 measuring days a week (your "
        "day-to-day wobble about ±0.30 points)."
    ]


def test_without_a_baseline_the_on_off_weeks_say_which_noise_they_assume() -> None:
    size, line = trial_power([], 5, split_face=False, on_off=True)
    weeks = on_off_weeks(WHOLE_NUMBER_SEM_FLOOR, 1.0, 5)
    assert weeks == trials.MIN_ON_OFF_WEEKS
    assert "a 1-point difference on your 0–10 rating, the smallest step the scale has" in size
    assert line == (
        "Before your baseline, at the least wobble a whole-number rating can have (about ±0.29 "
        f"points, from rounding alone): at least {weeks} weeks at 5 measuring days a week. Your "
        "baseline ratings will give your own figure, likely longer."
    )


def test_the_split_face_weeks_and_her_own_sizes_from_her_baseline_photos() -> None:
    photos = [
        Observation(START + dt.timedelta(days=2 * n), "wrinkle_index", v, zone="cheeks", side=s)
        for n, v in enumerate([1.0, 1.2, 1.1])
        for s in ("left", "right")
    ]
    rejected = [Observation(START, "texture", 9.0, "cheeks", "left", quality_ok=False)]
    ratings = _baseline_ratings([5, 5, 6])  # whole-face: not a split-face measure
    (line,) = trial_power(photos + rejected + ratings, 5, split_face=True, on_off=False)
    weeks = power_weeks(2**0.5, 1.96 * 2**0.5 / 8, 5)
    assert weeks is not None
    assert weeks > 8
    assert line.startswith("Split-face: the change that matters here is the massaged side")
    assert f"Expect about {weeks} weeks at 5 measuring days a week to see a change" in line
    assert line.endswith("Your baseline gave that size for 1 measure.")
    (before,) = trial_power([], 5, split_face=True, on_off=False)
    assert f"Expect about {weeks} weeks" in before
    assert "Your baseline will give that size for each measure" in before


def test_fewer_measuring_days_need_more_weeks() -> None:
    assert on_off_weeks(0.33, 1.0, 7) == 8
    assert [on_off_weeks(0.33, 1.0, days) for days in (1, 2, 3, 5, 7)] == [44, 24, 16, 12, 8]


def test_an_off_day_says_no_massage_and_what_to_measure() -> None:
    monday = dt.date(2026, 12, 7)
    # Sessions on Mondays, Wednesdays and Fridays of the block with massage before.
    sessions = {monday - dt.timedelta(weeks=2, days=-n) for n in (0, 2, 4)}
    assert trials.is_measuring_day(monday, sessions)
    assert not trials.is_measuring_day(monday + dt.timedelta(days=1), sessions)
    again = monday + dt.timedelta(weeks=2)
    assert trials.off_day_words(True, None, again) == (
        "No massage today: this is a week without massage in your on-and-off plan. Today is one "
        "of your measuring days (the days your sessions fall on in the weeks with massage): take "
        "your photo and rating as usual, so the weeks without massage can be compared with the "
        "weeks with it. Massage starts again on Monday 21 December."
    )
    assert trials.off_day_words(False, monday + dt.timedelta(days=2), again) == (
        "No massage today: this is a week without massage in your on-and-off plan. Nothing to "
        "measure today either. Your next measuring day is Wednesday 9 December. Massage starts "
        "again on Monday 21 December."
    )


def test_a_split_face_plan_shorter_than_its_estimate_says_so() -> None:
    weeks = power_weeks(2**0.5, 1.96 * 2**0.5 / 8, 5)
    assert weeks is not None
    (short,) = trial_power([], 5, split_face=True, on_off=False, plan_weeks=weeks - 4)
    assert (
        f"Your plan runs {weeks - 4} weeks; a change of that size would need about {weeks}: "
        f"lengthen the plan to {weeks} weeks, or read the result as a first look." in short
    )
    (enough,) = trial_power([], 5, split_face=True, on_off=False, plan_weeks=weeks)
    assert "Your plan runs" not in enough
    assert shorter_plan_words(12, None) == (
        " Your plan runs 12 weeks: read its result as a first look, not as an answer."
    )
