"""Every measure the product reports has one definition, and progress judges by it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from collagen_coach.core.measures import (
    MEASURES,
    PHOTO_MEASURES,
    SELF_RATINGS,
    direction_words,
    measure_of,
)
from collagen_coach.core.progress import Observation, analyse_progress
from collagen_coach.core.words import VERDICT_WORDS, VERDICTS
from collagen_coach.reports.series import VERDICT_CAVEATS

START = dt.date(2026, 1, 5)
# Three baseline days in the first week, then one measurement a week for 12 weeks.
DAYS = (0, 2, 4, *(7 * week for week in range(1, 13)))
SHAPE_MEASURES = ("jawline_sag", "jowl_position", "malar_height", "nasolabial_depth")


def rising(metric: str, total: float, *, zone: str = "jawline") -> list[Observation]:
    """A steady rise of ``total`` over 12 weeks after a flat baseline, with a little noise."""
    wiggle = np.array([0.0, 0.02, -0.02] + [0.01, -0.01] * 6) * total
    ramp = np.array([total * max(d - 4, 0) / (DAYS[-1] - 4) for d in DAYS])
    return [
        Observation(
            START + dt.timedelta(days=offset),
            metric,
            0.1 + float(value),
            zone=zone,
            side="left",
            phase="baseline" if offset < 7 else "treatment",
        )
        for offset, value in zip(DAYS, wiggle + ramp, strict=True)
    ]


@pytest.mark.parametrize(
    ("metric", "verdict"),
    [
        pytest.param("jawline_sag", "worsening", id="jawline-sag-rising-is-worse"),
        pytest.param("jowl_position", "worsening", id="jowls-lower-is-worse"),
        pytest.param("malar_height", "improving", id="cheekbone-higher-is-better"),
        pytest.param("nasolabial_depth", "worsening", id="smile-line-deepening-is-worse"),
        pytest.param("sagging", "worsening", id="sagging-rating-rising-is-worse"),
        pytest.param("redness", "not_judged", id="redness-has-no-better-direction"),
        pytest.param("cutometer:R6", "not_judged", id="viscous-share-has-no-direction"),
        pytest.param("corneometer:hydration", "not_judged", id="unknown-instrument-not-judged"),
    ],
)
def test_a_rise_over_12_weeks_is_judged_by_the_measures_direction(
    metric: str, verdict: str
) -> None:
    result = analyse_progress(rising(metric, 0.2)).series[0]
    assert result.verdict == verdict, result.reason


def test_a_caller_cannot_turn_a_known_measure_round() -> None:
    result = analyse_progress(rising("jawline_sag", 0.2), higher_is_better={"jawline_sag": True})
    assert result.series[0].verdict == "worsening"


@pytest.mark.parametrize("name", sorted(MEASURES))
def test_every_measure_says_its_unit_direction_and_range(name: str) -> None:
    measure = MEASURES[name]
    lowest, highest = measure.plausible
    assert [bool(measure.title), bool(measure.unit), lowest < highest] == [True, True, True]


def test_self_ratings_photo_and_shape_measures_are_all_defined() -> None:
    assert set(SELF_RATINGS) == {"firmness", "elasticity", "fine_lines", "glow", "sagging"}
    assert set(SHAPE_MEASURES) <= set(PHOTO_MEASURES)
    assert measure_of("Cutometer:r2") == MEASURES["cutometer:R2"]


def test_every_verdict_has_words_and_a_caveat() -> None:
    assert set(VERDICTS) == set(VERDICT_WORDS) == set(VERDICT_CAVEATS)


@pytest.mark.parametrize(
    ("higher_is_better", "words"),
    [
        pytest.param(True, "higher is better", id="higher"),
        pytest.param(False, "lower is better", id="lower"),
        pytest.param(None, "", id="neither-says-nothing"),
    ],
)
def test_which_way_is_better_in_words(higher_is_better: bool | None, words: str) -> None:
    assert direction_words(higher_is_better) == words


@pytest.mark.parametrize(
    ("metric", "words"),
    [
        pytest.param("radiance", "higher is better", id="higher"),
        pytest.param("wrinkle_index", "lower is better", id="lower"),
        pytest.param("redness", "neither", id="neither-said-in-a-table"),
    ],
)
def test_a_measure_says_which_way_is_better_as_a_table_writes_it(metric: str, words: str) -> None:
    assert MEASURES[metric].better_words == words
