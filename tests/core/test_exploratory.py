"""A measure not yet repeatable enough to judge is shown with its change but never judged, and
stays out of the concerns' verdicts; a concern it alone measures says so."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collagen_coach.core.measures import (
    MEASURES,
    PHOTO_MEASURES,
    UNREPEATABLE,
    is_exploratory,
)
from collagen_coach.core.progress import Observation, analyse_progress
from collagen_coach.core.progress.concerns import ConcernResult, analyse_concerns
from collagen_coach.core.words import EXPLORATORY_WORDS

START = dt.date(2026, 1, 5)
DAYS = (0, 2, 4, *(7 * week for week in range(1, 13)))  # a baseline week, then 12 weekly


def series(metric: str, total: float, *, zone: str = "cheeks") -> list[Observation]:
    """A flat baseline week, then a steady rise of ``total`` over 12 weekly measurements, each
    day 0.01 above or below the line."""
    observations = []
    for index, offset in enumerate(DAYS):
        baseline = offset < 7
        risen = 0.0 if baseline else total * (offset - 4) / (DAYS[-1] - 4)
        wobble = 0.01 * (-1) ** index
        observations.append(
            Observation(
                START + dt.timedelta(days=offset),
                metric,
                1.0 + risen + wobble,
                zone=zone,
                side="left",
                phase="baseline" if baseline else "treatment",
            )
        )
    return observations


def concern(results: tuple[ConcernResult, ...], name: str) -> ConcernResult:
    return next(c for c in results if c.concern.name == name)


def test_the_withdrawn_measures_are_exactly_those_the_study_lists_with_a_reason() -> None:
    exploratory = {m for m in PHOTO_MEASURES if MEASURES[m].exploratory}
    assert exploratory == set(UNREPEATABLE) == {"line_length_cm_per_cm2"}
    assert all("%" in MEASURES[m].why_exploratory for m in exploratory)


@pytest.mark.parametrize(
    ("metric", "exploratory"),
    [
        pytest.param("line_length_cm_per_cm2", True, id="line-length"),
        pytest.param("nasolabial_depth", False, id="smile-line-depth-judged"),
        pytest.param("wrinkle_index", False, id="wrinkles-judged"),
        pytest.param("corneometer:hydration", False, id="unknown-instrument-judged"),
    ],
)
def test_which_measures_are_exploratory(metric: str, exploratory: bool) -> None:
    assert is_exploratory(metric) is exploratory


def test_an_exploratory_measure_keeps_its_change_but_gets_no_verdict() -> None:
    result = analyse_progress(series("line_length_cm_per_cm2", 0.5)).series[0]
    assert (result.verdict, result.reason, result.exploratory) == (
        "exploratory",
        EXPLORATORY_WORDS,
        True,
    )
    assert result.change is not None
    assert result.change[1] > 0.3
    assert result.as_json()["exploratory"] is True


def test_the_same_rise_in_a_repeatable_measure_is_judged() -> None:
    result = analyse_progress(series("wrinkle_index", 0.5)).series[0]
    assert (result.verdict, result.exploratory) == ("worsening", False)


def test_an_exploratory_measure_is_left_out_of_its_concerns_verdict() -> None:
    observations = series("line_length_cm_per_cm2", 0.5) + series("wrinkle_index", 0.0)
    fine_lines = concern(analyse_progress(observations).concerns, "fine_lines")
    assert fine_lines.verdict == "no_change_detected"
    assert [s.metric for s in fine_lines.used] == ["wrinkle_index"]
    assert [s.metric for s in fine_lines.exploratory] == ["line_length_cm_per_cm2"]
    assert f"Line length is shown but not in the verdict: {EXPLORATORY_WORDS}." in (
        fine_lines.details()
    )


def test_a_concern_measured_only_by_exploratory_measures_says_so_instead_of_a_verdict() -> None:
    fine_lines = concern(
        analyse_progress(series("line_length_cm_per_cm2", 0.5)).concerns, "fine_lines"
    )
    assert (fine_lines.basis, fine_lines.verdict) == ("exploratory", "exploratory")
    assert EXPLORATORY_WORDS in fine_lines.headline()
    assert "better" not in fine_lines.headline()
    assert "worse" not in fine_lines.headline()
    assert fine_lines.based_on() == (
        f"Only your photos measure it so far (1 measure), and this measure is {EXPLORATORY_WORDS}."
    )
    assert fine_lines.as_json()["exploratory_series"] == 1


def test_with_her_rating_the_verdict_is_the_ratings_and_says_no_photo_can_judge_yet() -> None:
    observations = series("line_length_cm_per_cm2", 0.5) + series("fine_lines", 0.0, zone="")
    fine_lines = concern(analyse_progress(observations).concerns, "fine_lines")
    assert fine_lines.basis == "rating"
    assert "no photo or instrument can judge fine lines yet" in fine_lines.based_on()


def test_a_series_marked_exploratory_is_left_out_whatever_its_measure() -> None:
    """The concerns read the series' own mark, so the rule holds for any measure withdrawn."""
    judged = analyse_progress(series("radiance", 0.5)).series
    assert concern(analyse_concerns(judged), "glow").verdict == "improving"
    withdrawn = tuple(dataclasses.replace(s, exploratory=True) for s in judged)
    assert concern(analyse_concerns(withdrawn), "glow").verdict == "exploratory"


def test_the_notes_say_which_measures_are_exploratory() -> None:
    notes = analyse_progress(series("line_length_cm_per_cm2", 0.5)).notes
    assert any(note.startswith(f"Line length: {EXPLORATORY_WORDS}.") for note in notes)
