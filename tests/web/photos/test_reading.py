"""A photo's problems in words: titles, and each measured value read as beyond its limit."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from collagen_coach.core.words import EXPLORATORY_WORDS
from collagen_coach.vision import look, quality
from collagen_coach.vision.words import SHAPE_ROWS
from collagen_coach.web.photos.reading import (
    LIGHT_HINT,
    ZONE_MEASURES,
    baseline_reading,
    measure_tables,
    measured_in_words,
    problems_in_words,
    shape_rows,
)

# (problem, value just past the limit, the limit, whether the limit is a minimum)
PAST_THE_LIMIT = [
    ("low_resolution", quality.MIN_NATIVE_IPD_PX - 0.4, quality.MIN_NATIVE_IPD_PX, True),
    ("blurry", quality.MIN_FOCUS_LAPLACIAN_VAR - 0.004, quality.MIN_FOCUS_LAPLACIAN_VAR, True),
    ("underexposed", quality.MIN_MEAN_L - 0.04, quality.MIN_MEAN_L, True),
    ("overexposed", quality.MAX_MEAN_L + 0.04, quality.MAX_MEAN_L, False),
    ("overexposed", quality.MAX_CLIPPED_SHARE + 0.0004, quality.MAX_CLIPPED_SHARE, False),
    ("uneven_light", quality.MAX_LEFT_RIGHT_L_DIFF + 0.04, quality.MAX_LEFT_RIGHT_L_DIFF, False),
    ("pose_off", quality.MAX_POSE_DEG + 0.04, quality.MAX_POSE_DEG, False),
    ("expression_off", quality.MAX_MOUTH_OPEN_RATIO + 0.004, quality.MAX_MOUTH_OPEN_RATIO, False),
    ("expression_off", quality.MIN_EYE_OPEN_RATIO - 0.004, quality.MIN_EYE_OPEN_RATIO, True),
    ("too_large", 48_040_000.0, 48_000_000.0, False),
    ("baseline_yaw", look.MAX_POSE_DIFFERENCE_DEG + 0.04, look.MAX_POSE_DIFFERENCE_DEG, False),
    ("baseline_distance", look.MAX_DISTANCE_RATIO + 0.004, look.MAX_DISTANCE_RATIO, False),
]


@pytest.mark.parametrize(
    ("problem_id", "value", "limit", "is_minimum"),
    PAST_THE_LIMIT,
    ids=[f"{p}-{v:g}" for p, v, *_ in PAST_THE_LIMIT],
)
def test_a_refused_value_reads_beyond_its_limit(
    problem_id: str, value: float, limit: float, is_minimum: bool
) -> None:
    words = measured_in_words(problem_id, value, limit)

    # The two numbers outside the scale's explanation "(0 black, 100 white)".
    numbers = re.findall(r"\d+(?:\.\d+)?", re.sub(r"\(.*?\)", "", words))
    shown, bound = (float(n) for n in numbers[-2:])
    assert shown < bound if is_minimum else shown > bound, words


@pytest.mark.parametrize(
    ("problem", "title", "measured"),
    [
        (
            {
                "id": "face_cut_off",
                "hint": "Step back.",
                "value": 0.107,
                "threshold": quality.MAX_FACE_OUTSIDE_SHARE,
            },
            "Face cut off by the frame",
            "10.7 % of your face is outside the photo; at most 0.5 % may be",
        ),
        (
            {"id": "multiple_faces", "hint": "Alone.", "value": 3.0, "threshold": 1.0},
            "More than one face",
            "3 faces found; only one may be in the photo",
        ),
    ],
    ids=["face cut off", "several faces"],
)
def test_a_problem_is_said_with_its_title_and_measurement(
    problem: dict[str, object], title: str, measured: str
) -> None:
    (words,) = problems_in_words([problem])

    assert (words.title, words.measured) == (title, measured)


TURNED = {"id": "pose_unlike_baseline", "hint": "Hold your head as in your baseline photos."}
# (passed, problems, has a look, lit like the baseline, a baseline photo) → comparable, to do
AGAINST_THE_BASELINE = [
    pytest.param(True, [], True, True, False, True, [], id="taken-and-lit-alike"),
    pytest.param(True, [], True, False, False, False, [LIGHT_HINT], id="lit-unlike"),
    pytest.param(False, [TURNED], True, True, False, False, [TURNED["hint"]], id="turned"),
    pytest.param(
        False, [TURNED], True, False, False, False, [TURNED["hint"], LIGHT_HINT], id="both"
    ),
    pytest.param(True, [], True, None, True, None, [], id="a-baseline-photo"),
    pytest.param(True, [], True, None, False, None, [], id="before-any-baseline"),
    pytest.param(True, [], False, None, False, None, None, id="analysed-before-looks"),
]


@pytest.mark.parametrize(
    ("ok", "problems", "look", "lit", "baseline_photo", "comparable", "todo"),
    AGAINST_THE_BASELINE,
)
def test_whether_a_photo_is_comparable_with_the_baseline_is_said_with_what_to_change(
    ok: bool,
    problems: list[dict[str, str]],
    look: bool,
    lit: bool | None,
    baseline_photo: bool,
    comparable: bool | None,
    todo: list[str] | None,
) -> None:
    reading = baseline_reading(
        day=dt.date(2026, 3, 2),
        ok=ok,
        problems=problems,
        look={"yaw": 0.0} if look else None,
        lit_like_baseline=lit,
        baseline_photo=baseline_photo,
    )
    if todo is None:
        assert reading is None
        return
    assert reading is not None
    assert (reading.comparable, reading.todo) == (comparable, todo)
    assert reading.headline.endswith(".")
    left_out = "radiance, evenness of lightness, evenness of tone, redness and smile line depth"
    assert (left_out in reading.light_note) is (ok and lit is False)
    assert ("2 March 2026" in reading.light_note) is (ok and lit is False)


def test_only_the_measures_not_yet_repeatable_enough_say_so_in_the_tables() -> None:
    tables = measure_tables({"cheeks": dict.fromkeys(ZONE_MEASURES, 1.0)})
    by_side = {
        zone: {side: {metric: 0.1} for side in ("left", "right")} for zone, metric in SHAPE_ROWS
    }
    shapes = shape_rows(by_side)
    assert [(t.title, t.exploratory) for t in tables if t.exploratory] == [
        ("Line length", EXPLORATORY_WORDS)
    ]
    assert [(row[0], row[-1]) for row in shapes if row[-1]] == []
