"""Before and after: a pair taken alike is aligned and compared zone by zone; a pair taken
differently is refused, with the reasons, by the limits ``vision/compare.py`` states.

No test photo passes the whole quality gate (tests/vision/test_quality.py), and a pair is
comparable only when both photos pass. The standard photo here is made from ``biden2.jpg`` by
the two corrections a person would make on a retake: lips closed (the lower lip lifted by 10 % of
the mouth's width, the skin below it half as far, by a piecewise-affine warp of the mesh) and a
fill light on the shadowed side (the subject's right, brightened up to 2× from the nose outward,
on the face only). It passes the gate (so do lifts of 8-12 % and fills of 1.8-2.2×); every pair
below is it and a transformed copy.

How much a measure moves on a retake is checked on ``biden2.jpg`` itself, shifted as
tests/vision/test_skin.py shifts it and re-encoded at JPEG quality 90: every light-independent
metric and every shape measure stays within the tolerances test_skin.py and test_geometry.py
state. Not the light-following metrics: in the narrow smile-line band, radiance, evenness of L*
and of ITA moved by up to 1.7 L*, 0.41 L* and 1.9° on five shifts of 2-4 px re-encoded so, where
test_skin.py allows 2.0, 0.7 and 1.8 (measured on lossless shifts). The comparison holds the light
steady through its own limit on the face's mean L* instead. (On the warped standard photo, whose
mouth and smile lines the warp resampled, the light-independent metrics of those two zones move
more too: up to 1.2 × test_skin.py's tolerances.)
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from skimage.transform import PiecewiseAffineTransform, warp
from test_geometry import INVARIANCE_TOLERANCE
from test_skin import SAME_RESOLUTION

from collagen_coach.vision.analysis import analyse_photo
from collagen_coach.vision.compare import (
    MAX_ALIGNMENT_ERROR_IPD,
    ComparedImages,
    Comparison,
    blink_gif,
    compare_photos,
    side_by_side,
    slider_html,
)
from collagen_coach.vision.face import SIDES, FaceLandmarks
from collagen_coach.vision.landmarks import find_faces
from collagen_coach.vision.load import load_photo
from collagen_coach.vision.look import (
    MAX_DISTANCE_RATIO,
    MAX_LIGHT_DIFFERENCE_L,
    MAX_POSE_DIFFERENCE_DEG,
)
from collagen_coach.vision.skin import METRICS

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
Pair = tuple[Comparison, ComparedImages | None]

# FaceMesh's lower-lip outline, outer and inner.
LOWER_LIP = [146, 91, 181, 84, 17, 314, 405, 321, 375, 95, 88, 178, 87, 14, 317, 402, 318, 324]
# test_geometry.py: nasolabial depth moves by up to 0.08 when the photo is turned ±5°.
NASOLABIAL_DEPTH_TOLERANCE = 0.1
ITA_FLOAT32_JITTER = 1e-5


def encoded(rgb: NDArray[np.uint8], format_name: str = "PNG", **options: int) -> bytes:
    if format_name == "PNG":
        options.setdefault("compress_level", 1)  # lossless all the same, and quick
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format=format_name, **options)
    return buffer.getvalue()


def lips_closed(rgb: NDArray[np.uint8], face: FaceLandmarks, lift: float) -> NDArray[np.uint8]:
    """Lift the lower lip by ``lift`` mouth widths and the skin below it half as far.

    A piecewise-affine warp over the lower face, from the nose tip down to half an IPD below
    the chin; the edges of that box stay put, so nothing else moves.
    """
    points = face.points[:468, :2]
    margin = 0.5 * face.ipd_px
    x0 = max(0, int(np.floor(points[:, 0].min() - margin)))
    x1 = min(rgb.shape[1], int(np.ceil(points[:, 0].max() + margin)))
    y0 = max(0, int(np.floor(points[1, 1])))  # the nose tip
    y1 = min(rgb.shape[0], int(np.ceil(points[:, 1].max() + margin)))
    lift_px = lift * float(np.linalg.norm(points[61] - points[291]))
    target = points.copy()
    below = points[:, 1] > points[14, 1] + 0.02 * face.ipd_px
    target[below, 1] -= 0.5 * lift_px
    target[LOWER_LIP, 1] = points[LOWER_LIP, 1] - lift_px
    inside = (points[:, 1] > y0 + 2) & (points[:, 1] < y1 - 2)
    xs, ys = np.linspace(x0, x1 - 1, 8), np.linspace(y0, y1 - 1, 8)
    frame = np.array(
        [(x, y) for x in xs for y in (y0, y1 - 1)] + [(x, y) for y in ys for x in (x0, x1 - 1)],
        dtype=np.float64,
    )
    offset = np.array([x0, y0], dtype=np.float64)
    # warp() reads the source at the transform of each output pixel: map output → input.
    transform = PiecewiseAffineTransform.from_estimate(
        np.vstack([target[inside], frame]) - offset, np.vstack([points[inside], frame]) - offset
    )
    out = rgb.copy()
    region = warp(rgb[y0:y1, x0:x1], transform, preserve_range=True, order=1)
    out[y0:y1, x0:x1] = np.rint(region).astype(np.uint8)
    return out


def fill_light(rgb: NDArray[np.uint8], face: FaceLandmarks, gain: float) -> NDArray[np.uint8]:
    """Brighten the subject's right side (the photo's left) as a second lamp would: by a factor
    rising from 1 at the nose to 1 + ``gain`` 1.5 IPD out, on the face only (feathered)."""
    points = face.points[:468, :2]
    hull = cv2.convexHull(points.astype(np.float32)).astype(np.int32)
    on_face = np.zeros(rgb.shape[:2], dtype=np.float32)
    cv2.fillConvexPoly(on_face, hull, 1.0)
    on_face = cv2.GaussianBlur(on_face, (0, 0), 0.25 * face.ipd_px)
    nose_x = points[[1, 168], 0].mean()
    columns = np.arange(rgb.shape[1], dtype=np.float64)
    ramp = np.clip((nose_x - columns) / (1.5 * face.ipd_px), 0.0, 1.0)[None, :]
    factor = 1.0 + gain * ramp * on_face
    return np.clip(rgb * factor[..., None], 0, 255).astype(np.uint8)


def shift(rgb: NDArray[np.uint8], dx: int, dy: int) -> NDArray[np.uint8]:
    """Move the picture by whole pixels, repeating the edge into the gap."""
    h, w = rgb.shape[:2]
    padded = np.pad(rgb, ((max(dy, 0), max(-dy, 0)), (max(dx, 0), max(-dx, 0)), (0, 0)), "edge")
    top, left = max(-dy, 0), max(-dx, 0)
    return np.ascontiguousarray(padded[top : top + h, left : left + w])


def rotate(rgb: NDArray[np.uint8], degrees: float) -> NDArray[np.uint8]:
    """Turn the picture counter-clockwise in its own plane (the head tilts with it)."""
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    turned = cv2.warpAffine(
        rgb, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REFLECT
    )
    return np.asarray(turned, dtype=np.uint8)


@pytest.fixture(scope="module")
def standard() -> NDArray[np.uint8]:
    rgb = load_photo(FACES / "biden2.jpg").rgb
    face = find_faces(rgb)[0]
    return fill_light(lips_closed(rgb, face, lift=0.1), face, gain=1.0)


def compare_with(standard: NDArray[np.uint8], after: bytes) -> Pair:
    return compare_photos(encoded(standard), after, names=("before.png", "after.png"))


@pytest.fixture(scope="module")
def itself(standard: NDArray[np.uint8]) -> Pair:
    return compare_with(standard, encoded(standard))


@pytest.fixture(scope="module")
def retake(standard: NDArray[np.uint8]) -> Pair:
    return compare_with(standard, encoded(shift(standard, 3, 2), "JPEG", quality=90))


def test_the_standard_photo_passes_the_gate(standard: NDArray[np.uint8]) -> None:
    report = analyse_photo(encoded(standard))

    assert report.problems == []
    assert report.ok


def test_a_photo_against_itself_is_comparable_and_nothing_changed(itself: Pair) -> None:
    comparison, images = itself

    assert comparison.comparable
    assert comparison.reasons == []
    assert comparison.alignment_error_ipd == pytest.approx(0.0, abs=1e-6)
    changes = {
        f"{zone}.{side}.{metric}": change
        for zone, sides in comparison.deltas.items()
        for side, metrics in sides.items()
        for metric, change in metrics.items()
    }
    assert len(changes) > 100  # every zone, both sides together and each side apart
    # ITA's float32 arctan2 varies in its last bit between runs (tests/vision/test_analysis.py).
    exact = {key: change for key, change in changes.items() if "ita" not in key}
    assert exact == dict.fromkeys(exact, 0.0)
    for key, change in changes.items():
        assert change == pytest.approx(0.0, abs=ITA_FLOAT32_JITTER), key
    assert images is not None
    assert np.array_equal(images.before, images.after)


def test_every_zone_and_side_gets_a_change(itself: Pair) -> None:
    comparison, _ = itself

    assert set(comparison.deltas) == set(comparison.before.metrics)
    for zone, sides in comparison.deltas.items():
        assert set(sides) == {"both", *SIDES}, zone


def test_a_shifted_reencoded_retake_is_comparable(retake: Pair) -> None:
    comparison, images = retake

    assert comparison.comparable, comparison.reasons
    assert comparison.reasons == []
    assert comparison.alignment_error_ipd is not None
    assert comparison.alignment_error_ipd < MAX_ALIGNMENT_ERROR_IPD
    assert images is not None


@pytest.mark.parametrize(("dx", "dy"), [(3, 2), (-4, 5)], ids=["shift-3-2", "shift-minus4-5"])
def test_a_shifted_reencoded_copy_changes_no_measure_beyond_its_repeatability(
    dx: int, dy: int
) -> None:
    biden = load_photo(FACES / "biden2.jpg").rgb
    retaken = encoded(shift(biden, dx, dy), "JPEG", quality=90)

    comparison, _ = compare_photos(encoded(biden), retaken)

    before, beyond = comparison.before, []
    for zone, sides in comparison.deltas.items():
        for metric, change in sides["both"].items():
            if METRICS[metric].follows_light:
                continue  # see the module docstring
            kind, tolerance = SAME_RESOLUTION[metric]
            value = before.metrics[zone][metric]
            assert value is not None
            size = abs(change) / abs(value) if kind == "relative" else abs(change)
            if size > tolerance:
                beyond.append(f"{zone}.{metric}: {value:.3f} {change:+.3f}")
        for side in SIDES:
            for metric, change in sides[side].items():
                if metric == "nasolabial_depth":
                    tolerance = NASOLABIAL_DEPTH_TOLERANCE
                elif (zone, metric) in INVARIANCE_TOLERANCE:
                    tolerance = INVARIANCE_TOLERANCE[(zone, metric)]
                else:
                    continue
                if abs(change) > tolerance:
                    beyond.append(f"{zone}.{side}.{metric}: {change:+.4f}")
    assert len(comparison.deltas) == len(before.metrics)
    assert beyond == []


def test_a_copy_turned_8_degrees_lines_up_and_is_judged_by_its_roll(
    standard: NDArray[np.uint8],
) -> None:
    comparison, images = compare_with(standard, encoded(rotate(standard, 8.0)))
    before, after = comparison.before.pose, comparison.after.pose
    assert before is not None
    assert after is not None
    changes = {
        axis: abs(getattr(after, axis) - getattr(before, axis)) for axis in ("yaw", "pitch", "roll")
    }

    # Turning the photo tilts the head by as much; the normalised faces are upright, so the
    # turned copy lines up as well as a retake does.
    assert changes["roll"] == pytest.approx(8.0, abs=1.5)
    assert images is not None
    assert comparison.alignment_error_ipd is not None
    assert comparison.alignment_error_ipd < MAX_ALIGNMENT_ERROR_IPD
    # The pose limit applies to roll as to the other axes: refused exactly when one is beyond it.
    beyond = [axis for axis, change in changes.items() if change > MAX_POSE_DIFFERENCE_DEG]
    assert comparison.comparable == (not beyond)
    assert [reason.split(" differs")[0] for reason in comparison.reasons] == [
        f"head {axis}" for axis in beyond
    ]


def test_a_copy_darkened_by_30_percent_is_refused_for_its_light(
    standard: NDArray[np.uint8],
) -> None:
    darker = np.clip(standard * 0.7, 0, 255).astype(np.uint8)

    comparison, _ = compare_with(standard, encoded(darker))

    assert not comparison.comparable
    (reason,) = comparison.reasons
    assert reason.startswith("the light differs")
    measured = re.search(r"L\* by ([\d.]+)", reason)
    assert measured is not None
    assert float(measured.group(1)) > MAX_LIGHT_DIFFERENCE_L


def test_a_face_at_60_percent_of_its_size_in_the_frame_is_refused_for_its_distance(
    standard: NDArray[np.uint8],
) -> None:
    """Further from the camera: the face smaller in a frame of the same size."""
    height, width = standard.shape[:2]
    smaller = cv2.resize(standard, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    further = np.empty_like(standard)
    further[:] = np.median(standard.reshape(-1, 3), axis=0).astype(np.uint8)
    top, left = (height - smaller.shape[0]) // 2, (width - smaller.shape[1]) // 2
    further[top : top + smaller.shape[0], left : left + smaller.shape[1]] = smaller

    comparison, _ = compare_with(standard, encoded(further))

    assert not comparison.comparable
    (reason,) = [r for r in comparison.reasons if r.startswith("the camera distance differs")]
    measured = re.search(r"×([\d.]+)", reason)
    assert measured is not None
    assert float(measured.group(1)) == pytest.approx(1 / 0.6, rel=0.03)
    assert float(measured.group(1)) > MAX_DISTANCE_RATIO


def test_the_same_framing_from_a_camera_of_lower_resolution_is_not_refused_for_distance(
    standard: NDArray[np.uint8],
) -> None:
    """The whole photo at 60 % of its pixels: another camera at the same distance, so the face's
    share of the frame, which is what distance is judged by, is the same."""
    smaller = cv2.resize(standard, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)

    comparison, _ = compare_with(standard, encoded(smaller))

    assert not [r for r in comparison.reasons if r.startswith("the camera distance differs")]


def test_two_sessions_taken_differently_are_refused_with_their_reasons() -> None:
    # obama2.jpg: head turned (yaw ≈ −15°), side light, speaking; obama.jpg: frontal, smiling.
    comparison, _ = compare_photos(FACES / "obama.jpg", FACES / "obama2.jpg")

    assert not comparison.comparable
    assert any(r.startswith("head yaw differs") for r in comparison.reasons)
    assert any(r.startswith("after: pose_off") for r in comparison.reasons)
    assert comparison.deltas  # measured all the same, for the record


def test_a_photo_cut_by_the_frame_has_its_own_problem(standard: NDArray[np.uint8]) -> None:
    cut = standard[:, : int(standard.shape[1] * 0.66)]

    report = analyse_photo(encoded(cut))

    assert not report.ok
    (problem,) = report.problems
    assert problem.id == "face_cut_off"
    assert problem.value is not None
    assert problem.threshold is not None
    assert problem.value > problem.threshold
    assert "right edge" in problem.hint


def test_a_photo_cut_by_the_frame_is_not_compared(standard: NDArray[np.uint8]) -> None:
    cut = standard[:, : int(standard.shape[1] * 0.66)]

    comparison, _ = compare_with(standard, encoded(cut))

    assert not comparison.comparable
    assert any(reason.startswith("after: face_cut_off") for reason in comparison.reasons)


def test_a_photo_without_a_face_gives_no_aligned_pair(standard: NDArray[np.uint8]) -> None:
    grey = np.full((400, 300, 3), 128, dtype=np.uint8)

    comparison, images = compare_with(standard, encoded(grey))

    assert images is None
    assert not comparison.comparable
    assert comparison.reasons == [f"after: no_face ({comparison.after.problems[0].hint})"]
    assert comparison.deltas == {}


# --- what the pair is shown as --------------------------------------------------------------


def test_side_by_side_shows_before_left_and_after_right(retake: Pair) -> None:
    _, images = retake
    assert images is not None
    height, width = images.before.shape[:2]

    buffer = io.BytesIO()
    side_by_side(images).save(buffer, format="PNG")
    picture = Image.open(buffer)

    assert picture.format == "PNG"
    assert picture.size == (2 * width + 8, height + 28)
    pixels = np.asarray(picture.convert("RGB"))
    assert np.array_equal(pixels[28:, :width], images.before)
    assert np.array_equal(pixels[28:, width + 8 :], images.after)


def test_blink_gif_has_two_frames_the_size_of_the_faces(retake: Pair) -> None:
    _, images = retake
    assert images is not None
    height, width = images.before.shape[:2]

    animation = Image.open(io.BytesIO(blink_gif(images)))

    assert animation.format == "GIF"
    assert animation.n_frames == 2
    assert animation.size == (width, height)
    assert animation.info["loop"] == 0  # blinks until closed


def test_slider_page_holds_both_faces_as_data_images(retake: Pair) -> None:
    _, images = retake
    assert images is not None
    height, width = images.before.shape[:2]

    page = slider_html(images)

    assert page.startswith("<!doctype html>")
    sources = re.findall(r'src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(sources) == 2
    for source, expected in zip(sources, (images.before, images.after), strict=True):
        picture = np.asarray(Image.open(io.BytesIO(base64.b64decode(source))).convert("RGB"))
        assert picture.shape == (height, width, 3)
        # JPEG at quality 90: the same picture, up to compression.
        assert np.abs(picture.astype(int) - expected.astype(int)).mean() < 3


def test_slider_page_title_is_text_not_markup(retake: Pair) -> None:
    _, images = retake
    assert images is not None

    page = slider_html(images, title='Ann <script>alert("x")</script>')

    assert "<script>" not in page
    assert "Ann &lt;script&gt;" in page
