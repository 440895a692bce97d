"""A film for Chromium's fake camera: a real face, badly placed, then right, scene after scene.

Chromium plays a YUV4MPEG2 file (``--use-file-for-fake-video-capture=FILE.y4m``) as the camera,
at the file's frame rate, from its first frame when the camera starts. ``write_film`` writes one
built from the test faces (tests/fixtures/faces/, see PROVENANCE.md there), raw 4:2:0 at
1280 × 720 and 10 frames a second:

1. ``too_small``: biden2.jpg far away (the face under a third of the picture's height);
2. ``turned``: obama2.jpg, a real face turned about 15° (beyond the 8° the quality check allows);
3. ``side_lit``: biden2.jpg well placed, one half of the face darkened by a gradient (light from
   one side);
4. ``good``: biden2.jpg well placed, its own uneven light evened, held long enough for the
   countdown.

The file is large (1.4 MB a frame) and written at test time, never committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

FACES = Path(__file__).resolve().parents[2] / "fixtures" / "faces"
SIZE = (1280, 720)  # the camera's picture, width × height
FPS = 10

# Where the face is in each photo (MediaPipe's landmarks, measured once): left, top, right,
# bottom in the photo's pixels.
FACE_BOXES = {
    "biden2.jpg": (424, 244, 872, 781),
    "obama2.jpg": (197, 274, 481, 622),
}
GOOD_FACE_HEIGHT = 0.6  # of the picture's height: a face filling an outline as a coach asks
FAR_FACE_HEIGHT = 0.3


@dataclass(frozen=True)
class Scene:
    """One still picture held ``seconds`` long."""

    name: str
    seconds: float
    rgb: NDArray[np.uint8]  # SIZE[1] × SIZE[0] × 3


def placed(face: str, face_height: float) -> NDArray[np.uint8]:
    """Give the camera's picture with ``face`` (a test photo's name) scaled so its face is
    ``face_height`` of the picture's height, centred a little above the middle; the rest of the
    picture is the photo's own edge colours drawn outwards (no second face)."""
    width, height = SIZE
    left, top, right, bottom = FACE_BOXES[face]
    scale = face_height * height / (bottom - top)
    with Image.open(FACES / face) as original:
        photo = original.convert("RGB")
        photo = photo.resize((round(photo.width * scale), round(photo.height * scale)))
    pixels = np.asarray(photo)
    # The face's centre goes to (50 %, 47 %) of the picture.
    x0 = round(width * 0.5 - (left + right) / 2 * scale)
    y0 = round(height * 0.47 - (top + bottom) / 2 * scale)
    pad = max(width, height)
    padded = np.pad(pixels, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    ys, xs = pad - y0, pad - x0
    return np.ascontiguousarray(padded[ys : ys + height, xs : xs + width])


def lit(
    rgb: NDArray[np.uint8], face: str, face_height: float, edge_light: float
) -> NDArray[np.uint8]:
    """Give ``rgb`` (a picture from ``placed``) with the light on the face's left half (in the
    picture) scaled by ``edge_light`` at the face's edge, and by less towards the middle of the
    face, where it is unchanged."""
    width, height = SIZE
    left, top, right, bottom = FACE_BOXES[face]
    face_width = (right - left) * face_height * height / (bottom - top)
    edge, middle = width / 2 - face_width / 2, width / 2
    ramp = np.clip((np.arange(width) - edge) / (middle - edge), 0.0, 1.0)
    light = edge_light + (1.0 - edge_light) * ramp
    return np.asarray(np.clip(rgb * light[None, :, None], 0, 255), dtype=np.uint8)


def scenes(good_s: float = 8.0) -> list[Scene]:
    """Give the film's scenes in order: too small, turned, lit from one side, good."""
    # biden2.jpg's own light comes from the subject's left: its cheeks differ by 21 L* (the
    # quality check allows 10); lifting the shaded half 1.8 times at the face's edge evens them.
    good = lit(placed("biden2.jpg", GOOD_FACE_HEIGHT), "biden2.jpg", GOOD_FACE_HEIGHT, 1.8)
    return [
        Scene("too_small", 3.0, placed("biden2.jpg", FAR_FACE_HEIGHT)),
        Scene("turned", 3.0, placed("obama2.jpg", GOOD_FACE_HEIGHT)),
        Scene("side_lit", 3.0, lit(good, "biden2.jpg", GOOD_FACE_HEIGHT, 0.25)),
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
