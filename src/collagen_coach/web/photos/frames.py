"""One frame of the live camera, as the "Take my photo" page sends it, read and checked.

The page sends a small JPEG of the camera's current picture with the camera's full size and the
face box the previous advice gave; anything else is refused with one ``UserError`` naming the
field, what is wrong and what is allowed. Nothing here is stored.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from collagen_coach.core.errors import UserError

# The width of the small picture the page sends several times a second: enough for the face's
# landmarks when it fills the outline, small enough to send and decode in a few milliseconds.
FRAME_WIDTH_PX = 640
# A 640 × 480 JPEG at the page's quality is 30–60 kB; 300 kB leaves room for a detailed picture
# and still keeps several frames a second cheap to send and decode.
MAX_FRAME_BYTES = 300_000
MAX_FRAME_SIDE_PX = 1024
# A camera's picture, as getUserMedia reports it: from a QVGA webcam to an 8K sensor.
CAMERA_SIDE_PX = (160, 8192)
# A face box may reach a little past the frame when the face is cut off.
BOX_RANGE = (-1.0, 2.0)

FRAME_ALLOWED = f"a JPEG of at most {MAX_FRAME_BYTES // 1000} kB and {MAX_FRAME_SIDE_PX} px a side"
CAMERA_ALLOWED = f"a whole number of pixels from {CAMERA_SIDE_PX[0]} to {CAMERA_SIDE_PX[1]}"
BOX_ALLOWED = (
    "nothing, or four numbers x,y,w,h: fractions of the frame, w and h above 0, "
    f"each from {BOX_RANGE[0]:g} to {BOX_RANGE[1]:g}"
)

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class FrameRequest:
    """A checked frame: its JPEG bytes, the camera's full (width, height), the previous box."""

    jpeg: bytes
    camera_size: tuple[int, int]
    previous_box: Box | None


def read_frame_request(
    fields: Mapping[str, str], files: Mapping[str, UploadedFile[bytes]]
) -> FrameRequest:
    """Give the frame a page sent (form fields ``camera_width``, ``camera_height``,
    ``previous_box`` and the file ``frame``); raise UserError on anything else."""
    camera_size = (_camera_side(fields, "camera_width"), _camera_side(fields, "camera_height"))
    return FrameRequest(
        jpeg=_frame_jpeg(files.get("frame")),
        camera_size=camera_size,
        previous_box=_box(fields.get("previous_box", "")),
    )


def _frame_jpeg(upload: UploadedFile[bytes] | None) -> bytes:
    if upload is None:
        raise UserError("frame", "is missing", FRAME_ALLOWED)
    if upload.size is not None and upload.size > MAX_FRAME_BYTES:
        raise UserError("frame", f"is {upload.size // 1000} kB", FRAME_ALLOWED)
    data: bytes = upload.read(MAX_FRAME_BYTES + 1)
    if len(data) > MAX_FRAME_BYTES:
        raise UserError("frame", "is too large", FRAME_ALLOWED)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        raise UserError("frame", "is not a picture", FRAME_ALLOWED) from None
    if kind != "JPEG":
        raise UserError("frame", f"is a {kind} picture, not a JPEG", FRAME_ALLOWED)
    if max(width, height) > MAX_FRAME_SIDE_PX:
        raise UserError("frame", f"is {width} × {height} px", FRAME_ALLOWED)
    return data


def _camera_side(fields: Mapping[str, str], name: str) -> int:
    text = fields.get(name, "").strip()
    if not text:
        raise UserError(name, "is missing", CAMERA_ALLOWED)
    if not text.isdigit():
        raise UserError(name, f"{text[:20]!r} is not a whole number", CAMERA_ALLOWED)
    value = int(text)
    if not CAMERA_SIDE_PX[0] <= value <= CAMERA_SIDE_PX[1]:
        raise UserError(name, f"{value} px is out of range", CAMERA_ALLOWED)
    return value


def _box(text: str) -> Box | None:
    if not text.strip():
        return None
    try:
        x, y, w, h = (float(part) for part in text.split(","))
    except ValueError:
        raise UserError("previous_box", f"{text[:40]!r} is not four numbers", BOX_ALLOWED) from None
    if not all(BOX_RANGE[0] <= v <= BOX_RANGE[1] for v in (x, y, w, h)) or w <= 0 or h <= 0:
        raise UserError("previous_box", f"{text[:40]!r} is out of range", BOX_ALLOWED)
    return (x, y, w, h)
