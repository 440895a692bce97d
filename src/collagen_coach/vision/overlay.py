"""Annotated images: the zones measured and the lines detected, drawn gently over the face.

Soft, semi-transparent outlines (one colour per zone) and a light tint on the lines found, so
the face stays the subject; no text is drawn into the image: what the colours mean is said
beside it (the photo page's legend, from ``ZONE_COLOURS`` and ``LINE_COLOUR``), and the quality
verdict and its reasons in the page's own words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image

from collagen_coach.vision.skin import skin_maps
from collagen_coach.vision.zones import zone_outlines

if TYPE_CHECKING:
    from collagen_coach.vision.analysis import MeasuredFace

# One colour per zone (RGB, the Okabe–Ito palette and kin), distinguishable on skin; the two
# sides share their zone's colour.
ZONE_COLOURS: dict[str, tuple[int, int, int]] = {
    "forehead": (0, 114, 178),
    "glabella": (86, 180, 233),
    "temples": (0, 158, 115),
    "crows_feet": (240, 228, 66),
    "under_eye": (204, 121, 167),
    "cheeks": (230, 159, 0),
    "nasolabial": (213, 94, 0),
    "mouth": (153, 153, 255),
    "jawline": (0, 90, 60),
    "chin": (120, 60, 160),
    "neck": (140, 140, 140),
}
OTHER_ZONE_COLOUR = (255, 255, 255)
# The lines found: a soft white tint, like chalk, not a warning red.
LINE_COLOUR: tuple[int, int, int] = (255, 255, 255)
# How much of a mark's colour covers the face beneath it (0 none, 1 all): gentle, see-through.
OUTLINE_OPACITY = 0.55
LINE_OPACITY = 0.4
OUTLINE_PX = 2


def annotated_image(measured: MeasuredFace) -> Image.Image:
    """Give the normalised face with soft zone outlines and the lines found tinted, no text."""
    face = measured.face.image
    measured_area = np.zeros(face.shape[:2], dtype=bool)
    for halves in measured.masks.values():
        for mask in halves.values():
            measured_area |= mask
    lines = skin_maps(face).lines & measured_area  # lines outside the zones are not measured
    image = face.astype(np.float32)
    image[lines] = (1 - LINE_OPACITY) * image[lines] + LINE_OPACITY * np.array(LINE_COLOUR)
    marks = np.zeros_like(face)
    drawn = np.zeros(face.shape[:2], dtype=np.uint8)
    for zone, sides in zone_outlines(measured.masks).items():
        colour = ZONE_COLOURS.get(zone, OTHER_ZONE_COLOUR)
        for polygons in sides.values():
            cv2.polylines(marks, polygons, True, colour, OUTLINE_PX, cv2.LINE_AA)
            cv2.polylines(drawn, polygons, True, (255,), OUTLINE_PX, cv2.LINE_AA)
    cover = (drawn.astype(np.float32) / 255.0 * OUTLINE_OPACITY)[..., None]
    image = (1 - cover) * image + cover * marks.astype(np.float32)
    return Image.fromarray(np.clip(np.rint(image), 0, 255).astype(np.uint8))
