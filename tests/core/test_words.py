"""The product's words: every decision, phase and pressure level has its words, durations read
as a person writes them."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest

from collagen_coach.core.screening import DecisionKind
from collagen_coach.core.techniques import PHASES
from collagen_coach.core.words import (
    DECISION_WORDS,
    PHASE_NAMES,
    PRESSURE_WORDS,
    clock_duration,
    day_in_words,
    decimals_for,
    number,
    pressure_choice,
    pressure_with_level,
    short_duration,
    signed,
    whole_minutes,
)


def test_every_decision_has_its_words() -> None:
    assert set(DECISION_WORDS) == set(get_args(DecisionKind))


def test_every_phase_has_a_name() -> None:
    assert set(PHASE_NAMES) == set(PHASES)


def test_every_pressure_level_from_one_to_five_has_a_word() -> None:
    assert sorted(PRESSURE_WORDS) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        pytest.param(0, "0 s", id="nothing"),
        pytest.param(45, "45 s", id="under-a-minute"),
        pytest.param(60, "1 min", id="one-minute"),
        pytest.param(90, "1 min 30 s", id="minute-and-a-half"),
        pytest.param(360, "6 min", id="whole-minutes"),
    ],
)
def test_a_duration_is_written_in_minutes_and_seconds(seconds: int, words: str) -> None:
    assert short_duration(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "clock"),
    [
        pytest.param(0, "0:00", id="nothing"),
        pytest.param(45, "0:45", id="under-a-minute"),
        pytest.param(90, "1:30", id="minute-and-a-half"),
        pytest.param(720, "12:00", id="whole-minutes"),
    ],
)
def test_a_duration_on_a_clock_is_minutes_and_two_digit_seconds(seconds: int, clock: str) -> None:
    assert clock_duration(seconds) == clock


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [
        pytest.param(10, 1, id="never-below-one"),
        pytest.param(89, 1, id="just-under-half-rounds-down"),
        pytest.param(90, 2, id="half-rounds-up"),
        pytest.param(600, 10, id="whole"),
    ],
)
def test_whole_minutes_round_halves_up(seconds: int, minutes: int) -> None:
    assert whole_minutes(seconds) == minutes


def test_a_pressure_reads_with_its_level_or_as_a_choice() -> None:
    assert pressure_with_level(2) == "light (level 2 of 5)"
    assert pressure_choice(1) == "1 featherlight"


def test_a_day_in_words_has_no_leading_zero() -> None:
    day = dt.date(2027, 2, 3)
    assert day_in_words(day) == "3 February"
    assert day_in_words(day, weekday=True) == "Wednesday 3 February"
    assert day_in_words(day, year=True) == "3 February 2027"
    assert day_in_words(day, weekday=True, year=True) == "Wednesday 3 February 2027"


@pytest.mark.parametrize(
    ("scale", "decimals"), [(2.5, 1), (0.25, 2), (0.062, 3), (14.0, 0), (None, 2), (0.0, 2)]
)
def test_numbers_are_shown_to_about_a_tenth_of_their_noise(
    scale: float | None, decimals: int
) -> None:
    assert decimals_for(scale) == decimals


def test_numbers_carry_a_real_minus_sign_and_no_sign_at_zero() -> None:
    assert signed(-0.667, 1) == "−0.7"
    assert signed(0.04, 1) == "0.0"
    assert signed(-0.01, 1) == "0.0"
    assert signed(2.345, 2) == "+2.35"
    assert number(-1.0, 0) == "−1"
    assert number(None, 2) == "—"
