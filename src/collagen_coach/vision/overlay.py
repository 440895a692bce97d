"""Annotated images: the zones measured and the lines detected, drawn over the normalised face."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageDraw

from collagen_coach.vision.skin import skin_maps
from collagen_coach.vision.zones import zone_outlines

if TYPE_CHECKING:
    from collagen_coach.vision.analysis import MeasuredFace, PhotoReport

# One colour per zone (RGB), distinguishable on skin; the two sides share their zone's colour.
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
LINE_COLOUR = (255, 0, 80)


def annotated_image(measured: MeasuredFace, report: PhotoReport) -> Image.Image:
    """Give the normalised face with zone outlines, detected lines in red and a caption."""
    image = measured.face.image.copy()
    measured_area = np.zeros(image.shape[:2], dtype=bool)
    for halves in measured.masks.values():
        for mask in halves.values():
            measured_area |= mask
    lines = skin_maps(image).lines & measured_area  # lines outside the zones are not measured
    image[lines] = (0.4 * image[lines] + 0.6 * np.array(LINE_COLOUR)).astype(np.uint8)
    for zone, sides in zone_outlines(measured.masks).items():
        colour = ZONE_COLOURS.get(zone, (255, 255, 255))
        for polygons in sides.values():
            cv2.polylines(image, polygons, isClosed=True, color=colour, thickness=2)
    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    status = "ok" if report.ok else "problems: " + ", ".join(p.id for p in report.problems)
    draw.rectangle((0, 0, canvas.width, 22), fill=(255, 255, 255))
    draw.text((6, 5), f"{report.algorithm} · {status}", fill=(0, 0, 0))
    return canvas
