"""One photo file in, one report out: what ``analyze --json`` prints, every problem id of DESIGN.md
reached from a file on disk, left and right kept apart, and the same numbers every time.

Every problem comes from a real file: hostile files are written here (text named .jpg, an empty
file, a JPEG cut short, a PNG bomb of a few kB), the rest are test photos or transforms of
``biden2.jpg`` (native inter-pupillary distance 191 px, the only test photo above the gate's
128 px). ``biden2.jpg`` itself fails the gate honestly: studio light from his left leaves his right
cheek ≈21 L* darker, and he smiles with his lips apart (tests/vision/test_quality.py).

Mirroring: a mirrored photo must report the left side's numbers as the right's and the other way
round, within the repeatability tolerances tests/vision/test_skin.py (skin metrics) and
test_geometry.py (shape measures) state. Measured here on biden2.jpg, every zone and side within
them but one: the mouth, whose lips are apart (the gate's ``expression_off``), so FaceMesh draws
the open lips differently in the mirrored photo; the mouth's skin mask grows by ≈40 % and its
wrinkle index moves by 20 % (15 % allowed). It is left out here for that reason.

Determinism: the same file gives bit-identical numbers, but for ``evenness_ita_iqr``: its angle
is computed with float32 ``arctan2``, whose last bit varies from run to run within one process
(measured up to 4.3e-6°; in float64 it does not vary).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from skimage import data
from test_geometry import INVARIANCE_TOLERANCE
from test_load import png_bomb
from test_skin import SAME_RESOLUTION

from collagen_coach.core.techniques import ZONE_IDS
from collagen_coach.vision import ALGORITHM
from collagen_coach.vision.analysis import PhotoReport, analyse_photo
from collagen_coach.vision.face import SIDES
from collagen_coach.vision.load import load_photo
from collagen_coach.vision.quality import MAX_POSE_DEG
from collagen_coach.vision.skin import METRICS

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"

DESIGN_KEYS = {"file", "ok", "problems", "pose", "metrics", "algorithm"}
EXTRA_KEYS = {"problem_details", "metrics_by_side", "native_ipd_px", "look", "lit_like_baseline"}
DESIGN_PROBLEMS = {
    "no_face",
    "multiple_faces",
    "low_resolution",
    "blurry",
    "underexposed",
    "overexposed",
    "uneven_light",
    "pose_off",
    "not_an_image",
    "unsupported_format",
    "too_large",
}
SHAPE_MEASURES = {
    "jawline": {"jawline_sag", "jowl_position"},
    "cheeks": {"malar_height"},
    "nasolabial": {"nasolabial_depth"},
}
# test_geometry.py: nasolabial depth moves by up to 0.057 when the photo is turned ±5°.
NASOLABIAL_DEPTH_TOLERANCE = 0.1
# See the module docstring: float32 arctan2's last bit (≈ 7.6e-6 at 77°).
ITA_FLOAT32_JITTER = 1e-5


def save(rgb: NDArray[np.uint8], path: Path, **options: int) -> Path:
    Image.fromarray(rgb).save(path, **options)
    return path


@pytest.fixture(scope="module")
def biden() -> NDArray[np.uint8]:
    return load_photo(FACES / "biden2.jpg").rgb


@pytest.fixture(scope="module")
def report() -> PhotoReport:
    return analyse_photo(FACES / "biden2.jpg")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("photos")


# --- a real face --------------------------------------------------------------------------------


def test_a_real_face_gets_only_the_problems_it_has(report: PhotoReport) -> None:
    assert not report.ok
    assert [p.id for p in report.problems] == ["uneven_light", "expression_off"]
    (light,) = [p for p in report.problems if p.id == "uneven_light"]
    assert "right cheek" in light.hint  # his right cheek is the one in shadow


def test_the_report_has_a_pose_and_the_algorithm_name_and_version(report: PhotoReport) -> None:
    assert report.pose is not None
    for angle in (report.pose.yaw, report.pose.pitch, report.pose.roll):
        assert abs(angle) < MAX_POSE_DEG  # a frontal portrait
    assert report.algorithm == ALGORITHM
    assert re.fullmatch(r"[a-z][a-z0-9-]*@\d+(\.\d+)*", report.algorithm)
    assert report.native_ipd_px == pytest.approx(191, abs=3)


def test_every_zone_has_every_skin_metric(report: PhotoReport) -> None:
    assert set(report.metrics) == set(ZONE_IDS)
    for zone, values in report.metrics.items():
        assert set(values) == set(METRICS), zone
        if zone != "neck":  # a collar may hide the neck
            assert all(value is not None for value in values.values()), zone


def test_left_and_right_come_apart_with_the_shape_measures(report: PhotoReport) -> None:
    assert set(report.metrics_by_side) == set(ZONE_IDS)
    for zone, sides in report.metrics_by_side.items():
        assert set(sides) == set(SIDES), zone
        for side in SIDES:
            assert set(sides[side]) == set(METRICS) | SHAPE_MEASURES.get(zone, set())
    # Lit from his left, his left cheek reads brighter than his right.
    cheeks = report.metrics_by_side["cheeks"]
    left, right = cheeks["left"]["radiance"], cheeks["right"]["radiance"]
    assert left is not None
    assert right is not None
    assert left - right > 15


def all_numbers(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in all_numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in all_numbers(v)]
    return [float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


def test_as_json_is_designs_shape_and_plain_json(report: PhotoReport) -> None:
    body = report.as_json()

    assert set(body) == DESIGN_KEYS | EXTRA_KEYS
    assert set(body["pose"]) == {"yaw", "pitch", "roll"}
    assert body["problems"] == ["uneven_light", "expression_off"]
    assert [d["id"] for d in body["problem_details"]] == body["problems"]
    assert body["file"] == str(FACES / "biden2.jpg")
    text = json.dumps(body, allow_nan=False)  # raises on NaN or infinity
    assert json.loads(text) == body
    assert all(math.isfinite(n) for n in all_numbers(body))


# --- every problem id, from a file --------------------------------------------------------------


def text_named_jpg(folder: Path, _: NDArray[np.uint8]) -> Path:
    path = folder / "diary.jpg"
    path.write_text("Dear diary, today I massaged my face.\n")
    return path


def empty_file(folder: Path, _: NDArray[np.uint8]) -> Path:
    path = folder / "empty.jpg"
    path.write_bytes(b"")
    return path


def truncated_jpeg(folder: Path, _: NDArray[np.uint8]) -> Path:
    whole = (FACES / "biden2.jpg").read_bytes()
    path = folder / "cut-short.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def other_format(format_name: str) -> Callable[[Path, NDArray[np.uint8]], Path]:
    def make(folder: Path, biden: NDArray[np.uint8]) -> Path:
        return save(biden, folder / f"biden.{format_name.lower()}")

    return make


def bomb(folder: Path, _: NDArray[np.uint8]) -> Path:
    path = folder / "bomb.png"
    path.write_bytes(png_bomb(20_000, 20_000))  # 400 megapixels in ~50 kB
    assert path.stat().st_size < 100_000
    return path


def grey(folder: Path, _: NDArray[np.uint8]) -> Path:
    return save(np.full((480, 640, 3), 128, dtype=np.uint8), folder / "grey.png")


def coffee(folder: Path, _: NDArray[np.uint8]) -> Path:
    return save(data.coffee(), folder / "coffee.jpg", quality=90)


def fixture(name: str) -> Callable[[Path, NDArray[np.uint8]], Path]:
    return lambda folder, _: FACES / name


def transformed(
    name: str, change: Callable[[NDArray[np.uint8]], NDArray[np.uint8]]
) -> Callable[[Path, NDArray[np.uint8]], Path]:
    return lambda folder, biden: save(change(biden), folder / f"{name}.png")


def cut_by_the_frame(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Keep the left 66 % of the photo: the frame's right edge runs through the face."""
    return np.ascontiguousarray(rgb[:, : int(rgb.shape[1] * 0.66)])


def three_small_faces(face_px: int) -> Callable[[Path, NDArray[np.uint8]], Path]:
    """Three copies of the face, each ``face_px`` wide, side by side on a 1600 × 1200 photo."""

    def make(folder: Path, biden: NDArray[np.uint8]) -> Path:
        small = cv2.resize(biden, (face_px, face_px), interpolation=cv2.INTER_AREA)
        canvas = np.full((1200, 1600, 3), 200, dtype=np.uint8)
        for left in (100, 600, 1100):
            canvas[400 : 400 + face_px, left : left + face_px] = small
        return save(canvas, folder / f"three-faces-{face_px}.png")

    return make


def scaled(factor: float) -> Callable[[NDArray[np.uint8]], NDArray[np.uint8]]:
    return lambda rgb: np.clip(rgb.astype(np.float32) * factor, 0, 255).astype(np.uint8)


def turned(degrees: float) -> Callable[[NDArray[np.uint8]], NDArray[np.uint8]]:
    def apply(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
        h, w = rgb.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        return np.asarray(cv2.warpAffine(rgb, matrix, (w, h), borderMode=cv2.BORDER_REFLECT))

    return apply


# (problem, how the file is made, which side of the threshold the value lies: "above", "below"
# or None where the problem has no number). Blur σ = 2 px is 2.7 normalised px on biden2.jpg.
PROBLEM_FILES = [
    ("not_an_image", text_named_jpg, None),
    ("not_an_image", empty_file, None),
    ("not_an_image", truncated_jpeg, None),
    ("unsupported_format", other_format("GIF"), None),
    ("unsupported_format", other_format("BMP"), None),
    ("too_large", bomb, "above"),
    ("no_face", grey, None),
    ("no_face", coffee, None),
    ("multiple_faces", fixture("two_people.jpg"), "above"),
    ("low_resolution", fixture("obama-240p.jpg"), "below"),
    ("blurry", transformed("blurred", lambda rgb: cv2.GaussianBlur(rgb, (0, 0), 2.0)), "below"),
    ("underexposed", transformed("dark", scaled(0.3)), "below"),
    ("overexposed", transformed("bright", scaled(1.8)), "above"),
    ("face_cut_off", transformed("cut", cut_by_the_frame), "above"),
    ("uneven_light", fixture("biden2.jpg"), "above"),
    ("pose_off", transformed("tilted", turned(15.0)), "above"),
    ("expression_off", fixture("obama.jpg"), "above"),
]
PROBLEM_FILE_IDS = [
    "text-named-jpg",
    "empty-file",
    "truncated-jpeg",
    "gif",
    "bmp",
    "png-bomb",
    "grey-image",
    "coffee-cup",
    "two-people",
    "obama-240p",
    "blurred",
    "x0.3-dark",
    "x1.8-bright",
    "cut-by-the-frame",
    "side-lit",
    "tilted-15deg",
    "smile-with-open-mouth",
]


def test_the_table_reaches_every_problem_of_design_and_expression() -> None:
    assert {problem for problem, _, _ in PROBLEM_FILES} == DESIGN_PROBLEMS | {
        "expression_off",
        "face_cut_off",
    }


@pytest.mark.parametrize(("problem", "make", "side"), PROBLEM_FILES, ids=PROBLEM_FILE_IDS)
def test_each_problem_comes_from_a_file_with_its_value_threshold_and_hint(
    folder: Path,
    biden: NDArray[np.uint8],
    problem: str,
    make: Callable[[Path, NDArray[np.uint8]], Path],
    side: str | None,
) -> None:
    path = make(folder, biden)

    body = analyse_photo(path).as_json()

    assert body["ok"] is False
    assert problem in body["problems"]
    (detail,) = [d for d in body["problem_details"] if d["id"] == problem]
    assert detail["hint"].endswith((".", "?"))
    assert len(detail["hint"]) < 200
    value, threshold = detail["value"], detail["threshold"]
    if side is None:
        assert value is None
    else:
        assert value is not None
        assert threshold is not None
        assert value > threshold if side == "above" else value < threshold
    json.dumps(body, allow_nan=False)
    if body["pose"] is None:  # not analysed at all: nothing measured
        assert body["metrics"] == {}


@pytest.mark.parametrize("face_px", [300, 150], ids=["300px-faces", "150px-faces"])
def test_several_small_faces_are_several_faces_too_small_not_no_face(
    folder: Path, biden: NDArray[np.uint8], face_px: int
) -> None:
    report = analyse_photo(three_small_faces(face_px)(folder, biden))

    assert [p.id for p in report.problems] == ["multiple_faces", "low_resolution"]
    faces, too_small = report.problems
    assert faces.value == 3
    assert too_small.value is not None
    assert too_small.threshold is not None
    assert too_small.value < too_small.threshold


# --- mirroring and determinism ------------------------------------------------------------------


def tolerance(zone: str, metric: str) -> tuple[str, float]:
    if metric in SAME_RESOLUTION:
        return SAME_RESOLUTION[metric]
    if metric == "nasolabial_depth":
        return ("absolute", NASOLABIAL_DEPTH_TOLERANCE)
    return ("absolute", INVARIANCE_TOLERANCE[(zone, metric)])


def test_mirroring_the_photo_swaps_left_and_right(
    folder: Path, biden: NDArray[np.uint8], report: PhotoReport
) -> None:
    mirrored = analyse_photo(save(np.ascontiguousarray(biden[:, ::-1]), folder / "mirrored.png"))

    compared, beyond = 0, []
    for zone, sides in report.metrics_by_side.items():
        if zone == "mouth":  # lips apart: see the module docstring
            continue
        for side, other in (("left", "right"), ("right", "left")):
            for metric, value in sides[side].items():
                swapped = mirrored.metrics_by_side[zone][other][metric]
                if value is None or swapped is None:
                    assert value == swapped, f"{zone}.{side}.{metric}"
                    continue
                kind, allowed = tolerance(zone, metric)
                change = (
                    abs(swapped - value) / abs(value)
                    if kind == "relative"
                    else abs(swapped - value)
                )
                compared += 1
                if change > allowed:
                    beyond.append(f"{zone}.{side}.{metric}: {value:.3f} → {swapped:.3f}")
    assert compared > 150
    assert beyond == []


def flattened(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in flattened(item, f"{path}.{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v for i, item in enumerate(value) for k, v in flattened(item, f"{path}[{i}]").items()
        }
    return {path: value}


def test_the_same_file_gives_the_same_numbers(report: PhotoReport) -> None:
    first = flattened(report.as_json())

    again = flattened(analyse_photo(FACES / "biden2.jpg").as_json())

    assert set(again) == set(first)
    ita = {key for key in first if key.endswith(".evenness_ita_iqr")}
    assert {key: again[key] for key in first if key not in ita} == {
        key: value for key, value in first.items() if key not in ita
    }
    for key in ita:
        assert again[key] == pytest.approx(first[key], abs=ITA_FLOAT32_JITTER), key
