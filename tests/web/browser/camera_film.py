"""A film for Chromium's fake camera: a real face, badly placed, then right, scene after scene.

Chromium plays a YUV4MPEG2 file (``--use-file-for-fake-video-capture=FILE.y4m``) as the camera,
at the file's frame rate, from its first frame when the camera starts. ``write_film`` writes one
built from the test faces (tests/fixtures/faces/, see PROVENANCE.md there), raw 4:2:0 at
1280 × 720 and 10 frames a second. Each face is placed with its face oval filling the outline the
coach shows without a baseline (``vision.live.standard_outline``), or a part of it:

1. ``too_small``: the standard photo of biden2.jpg, its face half the outline's size;
2. ``turned``: obama2.jpg, a real face turned about 15° (beyond the 8° the quality check allows);
3. ``side_lit``: the standard photo, one half of the face darkened by a gradient (light from
   one side);
4. ``good``: the standard photo, held long enough for the countdown.

The standard photo is biden2.jpg with its lips closed and its shaded side lit as a second lamp
would (``tests/vision/test_compare.py``'s, which passes the quality gate: biden2.jpg itself
smiles with its lips apart and is lit from one side).

The file is large (1.4 MB a frame) and written at test time, never committed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.vision.landmarks import find_faces
from collagen_coach.vision.live import standard_outline
from collagen_coach.vision.look import FACE_OVAL

TESTS = Path(__file__).resolve().parents[2]
FACES = TESTS / "fixtures" / "faces"
SIZE = (1280, 720)  # the camera's picture, width × height
FPS = 10
BACKGROUND = (128, 128, 128)


@dataclass(frozen=True)
class Scene:
    """One still picture held ``seconds`` long."""

    name: str
    seconds: float
    rgb: NDArray[np.uint8]  # SIZE[1] × SIZE[0] × 3


def load(name: str) -> NDArray[np.uint8]:
    return np.asarray(Image.open(FACES / name).convert("RGB"))


@cache
def standard_biden() -> NDArray[np.uint8]:
    """Give biden2.jpg as the vision tests' standard photo: lips closed, evenly lit."""
    if str(TESTS / "vision") not in sys.path:
        sys.path.insert(0, str(TESTS / "vision"))
    from test_compare import fill_light, lips_closed

    biden = load("biden2.jpg")
    face = find_faces(biden)[0]
    return fill_light(lips_closed(biden, face, lift=0.1), face, gain=1.0)


def oval_box(rgb: NDArray[np.uint8]) -> tuple[float, float, float, float]:
    """Give the face oval's box in ``rgb``: left, top, right, bottom in pixels."""
    oval = find_faces(rgb)[0].points[list(FACE_OVAL), :2]
    (left, top), (right, bottom) = oval.min(axis=0), oval.max(axis=0)
    return float(left), float(top), float(right), float(bottom)


def placed(rgb: NDArray[np.uint8], size: float = 1.0) -> NDArray[np.uint8]:
    """Give the camera's picture with the face of ``rgb`` centred on the coach's outline, its
    face oval ``size`` times the outline's height; grey around the photo."""
    outline = np.array(standard_outline(SIZE)) * np.array(SIZE)
    (o_left, o_top), (o_right, o_bottom) = outline.min(axis=0), outline.max(axis=0)
    left, top, right, bottom = oval_box(rgb)
    zoom = size * (o_bottom - o_top) / (bottom - top)
    matrix = np.array([[zoom, 0.0, 0.0], [0.0, zoom, 0.0]])
    matrix[:, 2] = (
        np.array([o_left + o_right, o_top + o_bottom]) / 2
        - zoom * np.array([left + right, top + bottom]) / 2
    )
    return np.asarray(
        cv2.warpAffine(rgb, matrix, SIZE, flags=cv2.INTER_AREA, borderValue=BACKGROUND),
        dtype=np.uint8,
    )


def lit_from_one_side(rgb: NDArray[np.uint8], shade: float = 0.35) -> NDArray[np.uint8]:
    """Give the picture with its left half darkened: by ``shade`` at the picture's quarter, the
    light rising to all of it at the middle (where the coach's outline is centred)."""
    width, _ = SIZE
    ramp = np.clip((np.arange(width) - width / 4) / (width / 4), 0.0, 1.0)
    light = shade + (1.0 - shade) * ramp
    return np.asarray(np.clip(rgb * light[None, :, None], 0, 255), dtype=np.uint8)


def scenes(good_s: float = 8.0) -> list[Scene]:
    """Give the film's scenes in order: too small, turned, lit from one side, good."""
    good = placed(standard_biden())
    return [
        Scene("too_small", 3.0, placed(standard_biden(), size=0.5)),
        Scene("turned", 3.0, placed(load("obama2.jpg"))),
        Scene("side_lit", 3.0, lit_from_one_side(good)),
        Scene("good", good_s, good),
    ]


def yuv420(rgb: NDArray[np.uint8]) -> bytes:
    """Give the picture as planar 4:2:0 YCbCr, BT.601 studio range (as a camera sends it)."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255
    cb = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255
    cr = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255

    def half(plane: NDArray[np.float32]) -> NDArray[np.float32]:
        return (plane[0::2, 0::2] + plane[1::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 1::2]) / 4

    planes = (y, half(cb), half(cr))
    return b"".join(np.clip(np.rint(p), 0, 255).astype(np.uint8).tobytes() for p in planes)


def write_film(path: Path, film: list[Scene]) -> Path:
    """Write ``film`` to ``path`` as a YUV4MPEG2 file Chromium can play as its camera."""
    width, height = SIZE
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for scene in film:
            frame = b"FRAME\n" + yuv420(scene.rgb)
            for _ in range(round(scene.seconds * FPS)):
                out.write(frame)
    return path
