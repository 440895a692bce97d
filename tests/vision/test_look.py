"""How a face was taken, and whether a later photo was taken like the person's baseline photos,
by the limits ``vision/look.py`` states.

The real photos are ``biden2.jpg`` (its lips apart at rest, 0.15 of the mouth's width, and lit
from her left) and the standard photo ``test_compare.py`` makes from it (lips closed, both
cheeks lit alike), which passes the gate.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from test_compare import fill_light, lips_closed

from collagen_coach.vision.analysis import PhotoReport, analyse_photo
from collagen_coach.vision.landmarks import find_faces
from collagen_coach.vision.look import (
    FACE_OVAL,
    MAX_DISTANCE_RATIO,
    MAX_LIGHT_DIFFERENCE_L,
    MAX_POSE_DIFFERENCE_DEG,
    MOUTH_MARGIN_RATIO,
    FaceLook,
    baseline_differences,
    baseline_of,
    lit_alike,
    relaxed_limits,
)
from collagen_coach.vision.quality import MAX_MOUTH_OPEN_RATIO, STANDARD_EXPRESSION

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"

# A relaxed face, upright and facing the camera, evenly lit; its outline a ring round the centre.
RELAXED = FaceLook(
    yaw=1.0,
    pitch=-2.0,
    roll=0.5,
    native_ipd_px=300.0,
    face_share=0.1,
    lightness=62.0,
    left_right_l=2.0,
    mouth_open=0.03,
    eye_open=0.25,
    brow_height=0.28,
    outline=tuple(
        (0.5 + 0.2 * math.sin(2 * math.pi * i / 36), 0.45 - 0.25 * math.cos(2 * math.pi * i / 36))
        for i in range(36)
    ),
)


def encoded(rgb: NDArray[np.uint8]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def zoomed(rgb: NDArray[np.uint8], factor: float) -> NDArray[np.uint8]:
    """The same photo taken closer (``factor`` > 1) or further away: scaled about its centre,
    the same size, the edge repeated where it runs out."""
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 0.0, factor)
    return np.asarray(
        cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE),
        dtype=np.uint8,
    )


@pytest.fixture(scope="module")
def biden() -> NDArray[np.uint8]:
    return np.asarray(Image.open(FACES / "biden2.jpg").convert("RGB"))


@pytest.fixture(scope="module")
def standard(biden: NDArray[np.uint8]) -> NDArray[np.uint8]:
    face = find_faces(biden)[0]
    return fill_light(lips_closed(biden, face, lift=0.1), face, gain=1.0)


@pytest.fixture(scope="module")
def standard_report(standard: NDArray[np.uint8]) -> PhotoReport:
    return analyse_photo(encoded(standard))


@pytest.fixture(scope="module")
def biden_report(biden: NDArray[np.uint8]) -> PhotoReport:
    return analyse_photo(encoded(biden))


# --- The look of a photo ----------------------------------------------------------------------


def test_a_measured_photo_has_a_look_of_its_pose_distance_light_and_outline(
    biden_report: PhotoReport,
) -> None:
    look = biden_report.look
    assert look is not None
    assert biden_report.pose is not None
    assert look.yaw == pytest.approx(biden_report.pose.yaw, abs=0.01)
    assert look.native_ipd_px == pytest.approx(biden_report.native_ipd_px, abs=0.1)
    # Lit from her left: her left cheek is the brighter (quality.py's uneven_light says 21 L*).
    assert look.left_right_l > 15
    assert look.mouth_open > MAX_MOUTH_OPEN_RATIO  # her lips apart at rest
    assert len(look.outline) == len(FACE_OVAL)
    xs, ys = zip(*look.outline, strict=True)
    assert 0 < min(xs) < max(xs) < 1
    assert 0 < min(ys) < max(ys) < 1
    # Forehead top (10) above the chin (152): the ring's first point and its 19th.
    assert look.outline[0][1] < look.outline[FACE_OVAL.index(152)][1]
    assert biden_report.lit_like_baseline is None  # analysed without a baseline


def test_the_report_json_holds_the_look_and_reads_back(biden_report: PhotoReport) -> None:
    body = json.loads(json.dumps(biden_report.as_json(), allow_nan=False))
    assert body["lit_like_baseline"] is None
    assert FaceLook.from_json(body["look"]) == biden_report.look


def test_a_photo_without_a_face_has_no_look_even_against_a_baseline() -> None:
    report = analyse_photo(encoded(np.full((400, 400, 3), 128, dtype=np.uint8)), baseline=RELAXED)
    assert report.look is None
    assert [p.id for p in report.problems] == ["no_face"]
    assert report.as_json()["look"] is None
    assert report.as_json()["lit_like_baseline"] is None


# --- JSON -------------------------------------------------------------------------------------


def test_from_json_reads_back_what_as_json_wrote() -> None:
    assert FaceLook.from_json(json.loads(json.dumps(RELAXED.as_json()))) == RELAXED


def _with(**changes: Any) -> dict[str, Any]:
    data = RELAXED.as_json()
    for key, value in changes.items():
        if value is _MISSING:
            del data[key]
        else:
            data[key] = value
    return data


_MISSING = object()


@pytest.mark.parametrize(
    ("data", "names"),
    [
        pytest.param(_with(yaw=_MISSING), "yaw", id="missing-yaw"),
        pytest.param(_with(outline=_MISSING), "outline", id="missing-outline"),
        pytest.param(_with(lightness="bright"), "lightness", id="text-for-a-number"),
        pytest.param(_with(pitch=True), "pitch", id="boolean-for-a-number"),
        pytest.param(_with(roll=float("nan")), "roll", id="not-a-number"),
        pytest.param(_with(mouth_open=float("inf")), "mouth_open", id="infinite"),
        pytest.param(_with(native_ipd_px=0), "native_ipd_px", id="no-eye-distance"),
        pytest.param(_with(face_share=0), "face_share", id="no-face-size"),
        pytest.param(_with(outline=[[0.5, 0.5]] * 3), "outline", id="too-few-points"),
        pytest.param(_with(outline=[[0.5]] * 36), "outline", id="point-without-y"),
        pytest.param(_with(outline=["ab"] * 36), "outline", id="point-as-text"),
        pytest.param(_with(outline=[[0.5, None]] * 36), "outline", id="point-not-a-number"),
        pytest.param([1, 2], "JSON object", id="not-an-object"),
    ],
)
def test_from_json_refuses_bad_data_naming_what_is_wrong(data: Any, names: str) -> None:
    with pytest.raises(ValueError, match=names):
        FaceLook.from_json(data)


# --- The baseline -----------------------------------------------------------------------------


def test_no_baseline_photos_make_no_baseline() -> None:
    assert baseline_of([]) is None


def _moved_right(
    outline: tuple[tuple[float, float], ...], dx: float
) -> tuple[tuple[float, float], ...]:
    return tuple((x + dx, y) for x, y in outline)


def test_the_baseline_is_the_median_of_each_value_and_outline_point() -> None:
    looks = [
        replace(RELAXED, yaw=yaw, lightness=light, outline=_moved_right(RELAXED.outline, dx))
        for yaw, light, dx in ((0.0, 60.0, 0.0), (10.0, 61.0, 0.02), (2.0, 70.0, 0.01))
    ]
    baseline = baseline_of(looks)
    assert baseline is not None
    assert (baseline.yaw, baseline.lightness) == (2.0, 61.0)
    assert baseline.outline[0][0] == pytest.approx(RELAXED.outline[0][0] + 0.01)
    assert baseline.mouth_open == RELAXED.mouth_open


# --- Differences from the baseline ------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "problem", "hint"),
    [
        ({"yaw": 8.0}, "baseline_yaw", "Turn a little to your right"),
        ({"yaw": -6.0}, "baseline_yaw", "Turn a little to your left"),
        ({"pitch": 4.0}, "baseline_pitch", "Lower your chin"),
        ({"pitch": -8.0}, "baseline_pitch", "Lift your chin"),
        ({"roll": 6.0}, "baseline_roll", "Tilt your head a little to your right"),
        ({"roll": -5.0}, "baseline_roll", "Tilt your head a little to your left"),
        ({"face_share": 0.14}, "baseline_distance", "Step back"),
        ({"face_share": 0.07}, "baseline_distance", "Come a little closer"),
        ({"mouth_open": 0.3}, "expression_off", "Close your lips"),
        ({"eye_open": 0.05}, "expression_off", "Keep your eyes open"),
    ],
    ids=[
        "turned-left",
        "turned-right",
        "chin-up",
        "chin-down",
        "leaning-left",
        "leaning-right",
        "closer",
        "further",
        "smiling",
        "eyes-shut",
    ],
)
def test_a_look_unlike_the_baseline_says_the_one_move_back(
    values: dict[str, float], problem: str, hint: str
) -> None:
    found = baseline_differences(replace(RELAXED, **values), RELAXED)
    assert [p.id for p in found] == [problem]
    assert hint in found[0].hint
    assert found[0].value is not None
    assert found[0].threshold is not None
    # Past the limit: below it for the eyes' opening (a minimum), above it for the rest.
    assert (found[0].value < found[0].threshold) == ("eye_open" in values)
    assert found[0].value != found[0].threshold


@pytest.mark.parametrize(
    ("ipd_px", "words"),
    [
        (
            420.0,
            "Step back a little: your face is 1.40 times its size in your baseline photos "
            "(at most 1.25 times)",
        ),
        (
            210.0,
            "Come a little closer: your face is 0.70 of its size in your baseline photos "
            "(at least 0.80)",
        ),
    ],
    ids=["bigger", "smaller"],
)
def test_the_distance_hint_says_whether_the_face_is_bigger_or_smaller(
    ipd_px: float, words: str
) -> None:
    found = baseline_differences(replace(RELAXED, face_share=ipd_px / 3000), RELAXED)
    assert found[0].hint.startswith(words)
    assert "first photos" not in found[0].hint


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(
            {"yaw": RELAXED.yaw + MAX_POSE_DIFFERENCE_DEG - 0.1}, id="turned-within-limit"
        ),
        pytest.param({"face_share": 0.1 * (MAX_DISTANCE_RATIO - 0.01)}, id="a-little-closer"),
        # Another camera's resolution at the same distance: 3× fewer pixels, the same share.
        pytest.param({"native_ipd_px": 100.0}, id="a-camera-of-lower-resolution"),
        pytest.param({"lightness": 80.0, "left_right_l": -9.0}, id="other-light"),
        pytest.param({"mouth_open": MAX_MOUTH_OPEN_RATIO}, id="lips-a-little-apart"),
    ],
)
def test_a_look_within_the_limits_is_comparable(values: dict[str, float]) -> None:
    assert baseline_differences(replace(RELAXED, **values), RELAXED) == []


def test_lips_apart_at_rest_are_allowed_as_they_are_and_a_smile_is_not() -> None:
    apart = replace(RELAXED, mouth_open=0.15)
    limits = relaxed_limits(apart)
    assert limits.max_mouth_open == pytest.approx(0.15 + MOUTH_MARGIN_RATIO)
    assert baseline_differences(apart, apart) == []
    smiling = replace(apart, mouth_open=0.3)
    assert [p.id for p in baseline_differences(smiling, apart)] == ["expression_off"]


def test_a_baseline_never_makes_the_expression_limits_stricter_than_the_gate() -> None:
    closed = replace(RELAXED, mouth_open=0.0, eye_open=0.4, brow_height=0.2)
    assert relaxed_limits(closed) == STANDARD_EXPRESSION


@pytest.mark.parametrize(
    ("lightness", "left_right_l", "alike"),
    [
        pytest.param(62.0, 2.0, True, id="same"),
        pytest.param(62.0 + MAX_LIGHT_DIFFERENCE_L, 2.0, True, id="brighter-by-the-limit"),
        pytest.param(62.0 + MAX_LIGHT_DIFFERENCE_L + 0.1, 2.0, False, id="brighter-past-it"),
        pytest.param(62.0, 2.0 + 2 * MAX_LIGHT_DIFFERENCE_L + 0.2, False, id="one-cheek-past-it"),
        pytest.param(60.0, 2.0 + 8.0, True, id="darker-and-turned-a-little"),
        pytest.param(58.0, 2.0 + 8.0, False, id="darker-and-turned-more"),
    ],
)
def test_light_is_alike_while_each_cheek_moves_within_the_limit(
    lightness: float, left_right_l: float, alike: bool
) -> None:
    look = replace(RELAXED, lightness=lightness, left_right_l=left_right_l)
    assert lit_alike(look, RELAXED) is alike


# --- Photos analysed against a baseline -------------------------------------------------------


def test_the_standard_photo_against_its_own_look_is_comparable(
    standard: NDArray[np.uint8], standard_report: PhotoReport
) -> None:
    assert standard_report.ok, [p.id for p in standard_report.problems]
    baseline = baseline_of([standard_report.look] if standard_report.look else [])
    report = analyse_photo(encoded(standard), baseline=baseline)
    assert report.ok, [p.id for p in report.problems]
    assert report.lit_like_baseline is True
    assert report.as_json()["lit_like_baseline"] is True


def test_a_photo_taken_40_percent_closer_than_the_baseline_is_not_comparable(
    standard: NDArray[np.uint8], standard_report: PhotoReport
) -> None:
    report = analyse_photo(encoded(zoomed(standard, 1.4)), baseline=standard_report.look)
    ids = [p.id for p in report.problems]
    assert "baseline_distance" in ids
    assert not report.ok
    distance = report.problems[ids.index("baseline_distance")]
    assert distance.value == pytest.approx(1.4, abs=0.05)
    assert distance.hint.startswith("Step back a little")
    assert report.lit_like_baseline is True  # the light is the same: only the distance differs


def test_a_photo_taken_40_percent_further_than_the_baseline_is_not_comparable(
    standard: NDArray[np.uint8], standard_report: PhotoReport
) -> None:
    report = analyse_photo(encoded(zoomed(standard, 1 / 1.4)), baseline=standard_report.look)
    ids = [p.id for p in report.problems]
    assert "baseline_distance" in ids
    assert report.problems[ids.index("baseline_distance")].hint.startswith("Come a little closer")


def test_her_own_lips_apart_pass_against_her_baseline_and_a_wider_mouth_does_not(
    biden: NDArray[np.uint8], biden_report: PhotoReport
) -> None:
    assert "expression_off" in [p.id for p in biden_report.problems]  # the standard limit
    against_herself = analyse_photo(encoded(biden), baseline=biden_report.look)
    assert "expression_off" not in [p.id for p in against_herself.problems]
    face = find_faces(biden)[0]
    opened = lips_closed(biden, face, lift=-0.3)  # the lower lip dropped: a mouth open wide
    wider = analyse_photo(encoded(opened), baseline=biden_report.look)
    assert wider.look is not None
    assert wider.look.mouth_open > 0.25  # her 0.15 at rest, allowed up to 0.20
    assert "expression_off" in [p.id for p in wider.problems]
    assert not wider.ok


def test_light_unlike_the_baseline_only_marks_the_photo(
    standard: NDArray[np.uint8], standard_report: PhotoReport
) -> None:
    darker = np.asarray(np.clip(standard * 0.75, 0, 255), dtype=np.uint8)
    report = analyse_photo(encoded(darker), baseline=standard_report.look)
    assert report.lit_like_baseline is False
    assert [p.id for p in report.problems] == []
