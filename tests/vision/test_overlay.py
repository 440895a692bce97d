"""The annotated image: soft, see-through zone outlines and line tints over the face, no text.

Each mark is a blend of the face and its colour (``OUTLINE_OPACITY``, ``LINE_OPACITY``), so the
face shows through; outside the zones and their outlines every pixel is the face's own, so no
caption, id or label is burned into the image (the page says those in words).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from collagen_coach.vision.analysis import MeasuredFace, analyse_photo_in_detail
from collagen_coach.vision.overlay import (
    LINE_COLOUR,
    LINE_OPACITY,
    OUTLINE_OPACITY,
    OUTLINE_PX,
    ZONE_COLOURS,
    annotated_image,
)
from collagen_coach.vision.skin import skin_maps
from collagen_coach.vision.zones import zone_outlines

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
# JPEG-free arithmetic: a blend is rounded once, so it is off by at most half a level.
ROUNDING = 1.0


@pytest.fixture(scope="module", params=["obama.jpg", "biden2.jpg"])
def measured(request: pytest.FixtureRequest) -> MeasuredFace:
    """A face that passes the quality gate (obama.jpg) and one that does not (biden2.jpg)."""
    _, found = analyse_photo_in_detail(FACES / request.param)
    assert found is not None
    return found


def outline_band(measured: MeasuredFace, thickness: int) -> NDArray[np.bool_]:
    band = np.zeros(measured.face.image.shape[:2], dtype=np.uint8)
    for sides in zone_outlines(measured.masks).values():
        for polygons in sides.values():
            cv2.polylines(band, polygons, True, (255,), thickness)
    return band > 0


def measured_area(measured: MeasuredFace) -> NDArray[np.bool_]:
    area = np.zeros(measured.face.image.shape[:2], dtype=bool)
    for halves in measured.masks.values():
        for mask in halves.values():
            area |= mask
    return area


def test_outside_the_zones_and_their_outlines_the_image_is_the_face_itself(
    measured: MeasuredFace,
) -> None:
    face = measured.face.image
    image = np.asarray(annotated_image(measured))
    marked = measured_area(measured) | outline_band(measured, OUTLINE_PX + 4)

    assert image.shape == face.shape
    assert np.array_equal(image[~marked], face[~marked])  # no caption, id or label anywhere
    assert np.array_equal(image[:22], face[:22])  # not even a band across the top


def test_zone_outlines_are_see_through_blends_of_the_face_and_the_zones_colour(
    measured: MeasuredFace,
) -> None:
    face = measured.face.image.astype(float)
    image = np.asarray(annotated_image(measured)).astype(float)
    lines = skin_maps(measured.face.image).lines
    shares = []
    for zone, sides in zone_outlines(measured.masks).items():
        centre = np.zeros(face.shape[:2], dtype=np.uint8)
        for polygons in sides.values():
            cv2.polylines(centre, polygons, True, (255,), 1)
        on = (centre > 0) & ~lines
        colour = np.array(ZONE_COLOURS[zone], dtype=float)
        gap = colour - face[on]
        channel = np.argmax(np.abs(gap), axis=1)
        rows = np.arange(len(channel))
        wide = np.abs(gap[rows, channel]) > 60  # where the colour stands out from the skin
        moved = (image[on] - face[on])[rows, channel]
        shares.extend((moved[wide] / gap[rows, channel][wide]).tolist())

    assert len(shares) > 500
    assert max(shares) <= OUTLINE_OPACITY + 0.05  # never an opaque mark: the face shows through
    assert np.median(shares) == pytest.approx(OUTLINE_OPACITY, abs=0.1)  # but always visible


def test_lines_are_a_light_tint_within_the_zones_only(measured: MeasuredFace) -> None:
    face = measured.face.image.astype(float)
    image = np.asarray(annotated_image(measured)).astype(float)
    lines = skin_maps(measured.face.image).lines
    inside = lines & measured_area(measured) & ~outline_band(measured, OUTLINE_PX + 4)
    outside = lines & ~measured_area(measured) & ~outline_band(measured, OUTLINE_PX + 4)
    expected = (1 - LINE_OPACITY) * face[inside] + LINE_OPACITY * np.array(LINE_COLOUR)

    assert inside.sum() > 100
    assert np.abs(image[inside] - expected).max() <= ROUNDING
    assert np.array_equal(image[outside], face[outside])
