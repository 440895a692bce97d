"""Alignment: a photo moved by a known similarity is put back where it was, on landmarks that
massage does not move."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from mediapipe.python.solutions import face_mesh_connections as mesh
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.vision.align import (
    STABLE_LANDMARKS,
    align_image,
    alignment_error,
    alignment_transform,
)
from collagen_coach.vision.face import FaceLandmarks
from collagen_coach.vision.landmarks import find_faces

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"

# Tolerances, from the ten moves below (measured largest error in brackets): FaceMesh's jitter
# on a re-detected photo is what is left.
SCALE_TOLERANCE = 0.03  # relative (2.2 %)
ANGLE_TOLERANCE_DEG = 1.5  # (1.2°)
POSITION_TOLERANCE_IPD = 0.03  # where the eyes' midpoint lands (0.020 IPD)
ERROR_LIMIT_IPD = 0.03  # the residual the fit reports (0.020 IPD)

# (turn counter-clockwise in degrees, scale, shift x, shift y in pixels)
MOVES = [
    (-8.0, 0.8, 0.0, 0.0),
    (0.0, 0.8, 0.0, 0.0),
    (-8.0, 1.0, 0.0, 0.0),
    (0.0, 0.9, 0.0, 0.0),
    (0.0, 0.7, 0.0, 0.0),
    (0.0, 0.5, 0.0, 0.0),
    (0.0, 1.5, 0.0, 200.0),
    (5.0, 1.25, 30.0, 150.0),
    (-5.0, 0.6, -40.0, 20.0),
    (10.0, 1.0, 0.0, 0.0),
]


def photo(name: str) -> NDArray[np.uint8]:
    return np.asarray(Image.open(FACES / name).convert("RGB"))


def moved(
    image: NDArray[np.uint8], move: tuple[float, float, float, float]
) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    degrees, scale, dx, dy = move
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, scale)
    matrix[:, 2] += (dx, dy)
    flags = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    out = cv2.warpAffine(image, matrix, (width, height), flags=flags, borderMode=cv2.BORDER_REFLECT)
    return np.asarray(out, dtype=np.uint8), matrix


@pytest.fixture(scope="module")
def original() -> tuple[NDArray[np.uint8], FaceLandmarks]:
    image = photo("obama.jpg")
    return image, find_faces(image)[0]


@pytest.mark.parametrize(
    "move", MOVES, ids=lambda m: "turn{:+g}-scale{:g}-shift{:g},{:g}".format(*m)
)
def test_recovers_a_known_similarity(
    original: tuple[NDArray[np.uint8], FaceLandmarks], move: tuple[float, float, float, float]
) -> None:
    image, face = original
    moved_image, truth = moved(image, move)
    moved_face = find_faces(moved_image)[0]
    transform = alignment_transform(moved_face, face)  # the original onto the moved photo

    scale = math.sqrt(np.linalg.det(transform[:, :2]))
    assert scale == pytest.approx(move[1], rel=SCALE_TOLERANCE)
    angle = math.degrees(math.atan2(transform[1, 0], transform[0, 0]))
    true_angle = math.degrees(math.atan2(truth[1, 0], truth[0, 0]))
    assert angle == pytest.approx(true_angle, abs=ANGLE_TOLERANCE_DEG)
    eyes = face.points[[468, 473], :2].mean(axis=0)
    landed = transform[:, :2] @ eyes + transform[:, 2]
    expected = truth[:, :2] @ eyes + truth[:, 2]
    assert np.linalg.norm(landed - expected) / moved_face.ipd_px < POSITION_TOLERANCE_IPD
    assert alignment_error(moved_face, face, transform) < ERROR_LIMIT_IPD


def test_the_same_landmarks_align_with_no_change_and_no_error(
    original: tuple[NDArray[np.uint8], FaceLandmarks],
) -> None:
    _, face = original
    transform = alignment_transform(face, face)
    assert np.allclose(transform, [[1, 0, 0], [0, 1, 0]], atol=1e-6)
    assert alignment_error(face, face) == pytest.approx(0.0, abs=1e-6)


def test_aligning_the_moved_photo_puts_the_face_back(
    original: tuple[NDArray[np.uint8], FaceLandmarks],
) -> None:
    # Pixels of the face, not only landmarks: after aligning, the moved photo matches the
    # original inside the face's box about as well as the two resamplings allow.
    image, face = original
    moved_image, _ = moved(image, (6.0, 0.85, 25.0, -15.0))
    moved_face = find_faces(moved_image)[0]
    back = align_image(moved_image, alignment_transform(face, moved_face), face.image_size)
    assert back.shape == image.shape
    x0, y0 = np.floor(face.points[:468, :2].min(axis=0)).astype(int)
    x1, y1 = np.ceil(face.points[:468, :2].max(axis=0)).astype(int)
    box = (slice(y0, y1), slice(x0, x1))
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[box].astype(float)
    aligned = cv2.cvtColor(back, cv2.COLOR_RGB2GRAY)[box].astype(float)
    unaligned = cv2.cvtColor(moved_image, cv2.COLOR_RGB2GRAY)[box].astype(float)
    assert np.abs(aligned - grey).mean() < 0.3 * np.abs(unaligned - grey).mean()
    assert np.corrcoef(aligned.ravel(), grey.ravel())[0, 1] > 0.9


def test_stable_landmarks_are_none_of_the_measured_ones() -> None:
    # Jaw (face oval), lips and cheeks are what comparisons measure: aligning on them would hide
    # the change. Eye corners and the nose are bone and cartilage.
    oval = {i for edge in mesh.FACEMESH_FACE_OVAL for i in edge}
    lips = {i for edge in mesh.FACEMESH_LIPS for i in edge}
    cheeks = {50, 101, 116, 117, 118, 123, 205, 280, 330, 345, 346, 347, 352, 425}
    assert not set(STABLE_LANDMARKS) & (oval | lips | cheeks)
    assert {33, 133, 362, 263, 168, 6, 1} <= set(STABLE_LANDMARKS)


def test_degenerate_landmarks_cannot_be_aligned(
    original: tuple[NDArray[np.uint8], FaceLandmarks],
) -> None:
    _, face = original
    collapsed = FaceLandmarks(points=np.zeros((478, 3)), image_size=face.image_size)
    with pytest.raises(ValueError, match="no similarity"):
        alignment_transform(face, collapsed)
