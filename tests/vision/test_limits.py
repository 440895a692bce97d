"""A refused value and its limit are written so the refusal reads true."""

from __future__ import annotations

from pathlib import Path

import pytest

from collagen_coach.vision import compare, look, quality
from collagen_coach.vision.analysis import analyse_photo
from collagen_coach.vision.limits import value_and_limit

FACES = Path(__file__).parents[1] / "fixtures" / "faces"

# (measured value, its limit) just past the limit, above a maximum or below a minimum.
JUST_PAST = [
    (6.04, look.MAX_LIGHT_DIFFERENCE_L),
    (6.0004, look.MAX_LIGHT_DIFFERENCE_L),
    (5.03, look.MAX_POSE_DIFFERENCE_DEG),
    (1.2504, look.MAX_DISTANCE_RATIO),
    (0.03004, compare.MAX_ALIGNMENT_ERROR_IPD),
    (8.02, quality.MAX_POSE_DEG),
    (0.1003, quality.MAX_MOUTH_OPEN_RATIO),
    (0.0998, quality.MIN_EYE_OPEN_RATIO),
    (24.98, quality.MIN_MEAN_L),
]


@pytest.mark.parametrize("decimals", [0, 1, 2])
@pytest.mark.parametrize(
    ("value", "limit"), JUST_PAST, ids=[f"{v}-vs-{lim}" for v, lim in JUST_PAST]
)
def test_a_value_past_its_limit_reads_past_it(value: float, limit: float, decimals: int) -> None:
    shown, bound = value_and_limit(value, limit, decimals)

    assert len(shown.partition(".")[2]) == len(bound.partition(".")[2])
    if value > limit:
        assert float(shown) > float(bound)
    else:
        assert float(shown) < float(bound)


def test_a_value_at_its_limit_reads_equal() -> None:
    assert value_and_limit(6.0, 6.0) == ("6.0", "6.0")


def test_the_expression_hint_speaks_of_no_earlier_photo() -> None:
    # The analysis of one photo knows nothing of the person's other photos, so its hint may not
    # point to one (a first photo with a smile would otherwise be told "as in your first photo").
    report = analyse_photo(FACES / "obama.jpg")

    (problem,) = [p for p in report.problems if p.id == "expression_off"]
    assert "photo" not in problem.hint
