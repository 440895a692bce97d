"""Normalised faces and zone masks: every zone where it belongs, left and right apart, never
outside the photo."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image
from skimage import data

from collagen_coach.core.techniques import ZONE_IDS as CORE_ZONE_IDS
from collagen_coach.vision.face import NORMALISED_IPD_PX, SIDES, FaceLandmarks, NormalisedFace
from collagen_coach.vision.landmarks import find_faces
from collagen_coach.vision.normalise import NECK_MARGIN, normalise_face
from collagen_coach.vision.zones import (
    MOUTH_CORNER_IPD,
    ZONE_IDS,
    Masks,
    mirrored_landmark,
    zone_masks,
    zone_outlines,
)

FACES = Path(__file__).resolve().parents[1] / "fixtures" / "faces"
# Zones at least about 1.5 cm across; the others (temples, crow's feet, under-eye, nasolabial,
# mouth) are narrow bands a few millimetres wide, which landmark jitter moves proportionally more.
BROAD_ZONES = ("forehead", "glabella", "cheeks", "jawline", "chin", "neck")


def photo(name: str) -> NDArray[np.uint8]:
    if name == "astronaut":
        return np.asarray(data.astronaut())
    return np.asarray(Image.open(FACES / name).convert("RGB"))


def normalised(image: NDArray[np.uint8]) -> NormalisedFace:
    faces = find_faces(image)
    assert faces, "no face found"
    return normalise_face(image, faces[0])


@pytest.fixture(scope="module")
def faces() -> dict[str, NormalisedFace]:
    names = ["astronaut", "obama.jpg", "biden2.jpg", "obama_partial_face.jpg"]
    found = {name: normalised(photo(name)) for name in names}
    found["astronaut-mirrored"] = normalised(np.ascontiguousarray(photo("astronaut")[:, ::-1]))
    return found


@pytest.fixture(scope="module")
def masks(faces: dict[str, NormalisedFace]) -> dict[str, Masks]:
    return {name: zone_masks(face) for name, face in faces.items()}


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "biden2.jpg"])
def test_normalised_face_is_level_with_the_iris_centres_256_px_apart(
    faces: dict[str, NormalisedFace], name: str
) -> None:
    points = faces[name].landmarks.points
    assert faces[name].landmarks.ipd_px == pytest.approx(NORMALISED_IPD_PX, abs=1e-6)
    assert points[468, 1] == pytest.approx(points[473, 1], abs=1e-6)
    assert points[468, 0] < points[473, 0]


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "biden2.jpg"])
def test_normalised_crop_holds_the_face_and_room_for_the_neck(
    faces: dict[str, NormalisedFace], name: str
) -> None:
    face = faces[name]
    height, width = face.image.shape[:2]
    mesh = face.landmarks.points[:468, :2]
    assert (mesh >= 0).all()
    assert (mesh[:, 0] < width).all()
    assert (mesh[:, 1] < height).all()
    face_height = mesh[:, 1].max() - mesh[:, 1].min()
    assert height - mesh[:, 1].max() >= NECK_MARGIN * face_height - 1
    assert face.landmarks.image_size == (width, height)
    assert face.valid.shape == (height, width)


def test_normalised_landmarks_follow_the_transform(faces: dict[str, NormalisedFace]) -> None:
    original = find_faces(photo("obama.jpg"))[0]
    face = faces["obama.jpg"]
    mapped = original.points[:, :2] @ face.transform[:, :2].T + face.transform[:, 2]
    assert np.allclose(mapped, face.landmarks.points[:, :2])
    assert face.native_ipd_px == pytest.approx(original.ipd_px)


def test_shrinking_a_large_photo_gives_the_same_normalised_face() -> None:
    # The same photo at twice the size, with the same landmarks scaled (no re-detection): the
    # normalised faces differ by resampling only (measured 0.5 grey levels on average).
    small = photo("biden2.jpg")
    landmarks = find_faces(small)[0]
    large = cv2.resize(small, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    # cv2.resize keeps pixel centres aligned: x_large = 2 x_small + 0.5.
    scaled = FaceLandmarks(
        points=landmarks.points * 2 + np.array([0.5, 0.5, 0.0]),
        image_size=(large.shape[1], large.shape[0]),
    )
    a, b = normalise_face(small, landmarks), normalise_face(large, scaled)
    assert a.image.shape == b.image.shape
    assert np.abs(a.image.astype(int) - b.image.astype(int)).mean() < 2.0


def test_a_face_cut_by_the_frame_is_marked_where_the_photo_ends(
    faces: dict[str, NormalisedFace],
) -> None:
    face = faces["obama_partial_face.jpg"]
    photo_height, photo_width = photo("obama_partial_face.jpg").shape[:2]
    height, width = face.valid.shape
    inverse = cv2.invertAffineTransform(face.transform)
    ys, xs = np.mgrid[0:height, 0:width]
    source_x = inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]
    source_y = inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]
    inside = (source_x >= 0) & (source_x <= photo_width - 1)
    inside &= (source_y >= 0) & (source_y <= photo_height - 1)
    assert 0.3 < face.valid.mean() < 0.95
    assert not (face.valid & ~inside).any()
    outside = ~inside & (source_x < -2)  # clear of interpolation at the photo's edge
    assert outside.any()
    assert (face.image[outside] == 0).all()


# --- zones ---------------------------------------------------------------------------------


def test_zone_ids_are_the_products_zone_ids() -> None:
    assert set(ZONE_IDS) == set(CORE_ZONE_IDS)


def test_every_zone_has_both_sides_on_a_frontal_portrait(masks: dict[str, Masks]) -> None:
    zones = masks["astronaut"]
    assert set(zones) == set(ZONE_IDS)
    for zone in ZONE_IDS:
        assert set(zones[zone]) == set(SIDES)
        if zone != "neck":  # the neck may be hidden by a collar
            for side in SIDES:
                assert zones[zone][side].any(), f"{zone} {side} is empty"


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "biden2.jpg"])
def test_left_and_right_never_share_a_pixel(masks: dict[str, Masks], name: str) -> None:
    for zone, sides in masks[name].items():
        assert not (sides["left"] & sides["right"]).any(), zone


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "biden2.jpg"])
def test_different_zones_do_not_overlap(masks: dict[str, Masks], name: str) -> None:
    # Neighbouring zones share polygon edges and each is eroded off them: measured overlap 0.
    # Allowed: 1 % of the smaller mask, for a landmark crossing over in an unusual face.
    for a, b in itertools.combinations(ZONE_IDS, 2):
        for side_a, side_b in itertools.product(SIDES, SIDES):
            first, second = masks[name][a][side_a], masks[name][b][side_b]
            smaller = min(first.sum(), second.sum())
            if smaller:
                assert (first & second).sum() <= 0.01 * smaller, f"{a} {side_a} / {b} {side_b}"


def test_the_subjects_left_is_on_the_right_of_the_photo(masks: dict[str, Masks]) -> None:
    for zone in ("cheeks", "forehead", "jawline", "crows_feet"):
        left_x = np.nonzero(masks["astronaut"][zone]["left"])[1].mean()
        right_x = np.nonzero(masks["astronaut"][zone]["right"])[1].mean()
        assert left_x > right_x, zone


@pytest.mark.parametrize("name", ["astronaut", "obama.jpg", "biden2.jpg", "obama_partial_face.jpg"])
def test_masks_never_cover_pixels_from_outside_the_photo(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks], name: str
) -> None:
    for zone, sides in masks[name].items():
        for side, mask in sides.items():
            assert not (mask & ~faces[name].valid).any(), f"{zone} {side}"


def test_a_zone_the_photo_does_not_show_is_empty(masks: dict[str, Masks]) -> None:
    # obama_partial_face.jpg ends at the subject's right temple: that temple is not in it.
    zones = masks["obama_partial_face.jpg"]
    assert not zones["temples"]["right"].any()
    assert zones["temples"]["left"].any()


def test_masks_keep_off_the_eyes_and_lips(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks]
) -> None:
    face = faces["astronaut"]
    points = face.landmarks.points[:, :2]
    for landmark in (159, 145, 386, 374, 13, 14, 0, 17):  # eyelids and lips
        x, y = np.round(points[landmark]).astype(int)
        covered = [z for z in ZONE_IDS for s in SIDES if masks["astronaut"][z][s][y, x]]
        assert covered == [], landmark


def test_the_mouth_zone_keeps_off_the_mouth_corners(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks]
) -> None:
    for name in ("astronaut", "biden2.jpg"):
        face = faces[name]
        mouth = masks[name]["mouth"]["left"] | masks[name]["mouth"]["right"]
        assert mouth.sum() > 500, name  # the zone is there, only not at the corners
        ys, xs = np.nonzero(mouth)
        reach = MOUTH_CORNER_IPD * face.landmarks.ipd_px
        for corner in (61, 291):
            x, y = face.landmarks.points[corner, :2]
            nearest = float(np.sqrt(((xs - x) ** 2 + (ys - y) ** 2).min()))
            assert nearest > reach, (name, corner, nearest)


def test_a_larger_erosion_gives_a_smaller_mask_inside_the_first(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks]
) -> None:
    eroded = zone_masks(faces["obama.jpg"], erode_px=8)
    # Not the neck: its skin colour is taken from the (eroded) cheeks and chin, so it may gain a
    # pixel where the reference colour moves.
    for zone in [z for z in ZONE_IDS if z != "neck"]:
        for side in SIDES:
            assert not (eroded[zone][side] & ~masks["obama.jpg"][zone][side]).any()
            if masks["obama.jpg"][zone][side].sum() > 2000:
                assert eroded[zone][side].sum() < masks["obama.jpg"][zone][side].sum()


def _iou(a: NDArray[np.bool_], b: NDArray[np.bool_]) -> float:
    union = (a | b).sum()
    return float((a & b).sum() / union) if union else 1.0


def test_zones_are_exactly_mirror_symmetric(faces: dict[str, NormalisedFace]) -> None:
    # The same normalised face flipped, with its landmarks flipped and renamed to their mirror
    # partners: the zones must swap sides pixel for pixel, up to rasterisation at the edges.
    face = faces["astronaut"]
    width = face.image.shape[1]
    points = face.landmarks.points.copy()
    points[:, 0] = width - 1 - points[:, 0]
    order = np.arange(478)
    order[:468] = mirrored_landmark()
    order[468:473], order[473:478] = np.arange(473, 478), np.arange(468, 473)
    flipped = NormalisedFace(
        image=np.ascontiguousarray(face.image[:, ::-1]),
        landmarks=FaceLandmarks(points=points[order], image_size=face.landmarks.image_size),
        native_ipd_px=face.native_ipd_px,
        transform=face.transform,
        valid=np.ascontiguousarray(face.valid[:, ::-1]),
    )
    original, mirrored = zone_masks(face), zone_masks(flipped)
    for zone in ZONE_IDS:
        for side, other in (("left", "right"), ("right", "left")):
            if original[zone][side].any():
                iou = _iou(original[zone][side], mirrored[zone][other][:, ::-1])
                assert iou >= 0.95, f"{zone} {side}: {iou:.3f}"


def test_mirroring_the_photo_swaps_left_and_right(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks]
) -> None:
    # The whole way: the mirrored photo is searched again, so FaceMesh's own jitter counts.
    # Measured IoU on the astronaut: 0.81-0.94 for the broad zones, 0.34-0.88 for the narrow
    # ones (temples 0.34: a band 2-3 mm wide at the hairline). Required: 0.75 and 0.3.
    face, mirror = faces["astronaut"], faces["astronaut-mirrored"]
    original, mirrored = masks["astronaut"], masks["astronaut-mirrored"]
    # Put the flipped mirrored canvas onto the original one: both are level with the iris
    # centres 256 px apart, so only a shift remains (the iris midpoints).
    width = mirror.image.shape[1]
    centre = mirror.landmarks.points[[468, 473], :2].mean(axis=0)
    target = face.landmarks.points[[468, 473], :2].mean(axis=0)
    shift = target - np.array([width - 1 - centre[0], centre[1]])
    flip = np.array([[-1.0, 0.0, width - 1 + shift[0]], [0.0, 1.0, shift[1]]])
    size = (face.image.shape[1], face.image.shape[0])
    for zone in ZONE_IDS:
        for side, other in (("left", "right"), ("right", "left")):
            moved = cv2.warpAffine(
                mirrored[zone][other].astype(np.uint8), flip, size, flags=cv2.INTER_NEAREST
            ).astype(bool)
            iou = _iou(original[zone][side], moved)
            assert iou >= (0.75 if zone in BROAD_ZONES else 0.3), f"{zone} {side}: {iou:.3f}"


def test_outlines_trace_the_masks(masks: dict[str, Masks]) -> None:
    zones = masks["obama.jpg"]
    outlines = zone_outlines(zones)
    for zone in ZONE_IDS:
        for side in SIDES:
            pieces = outlines[zone][side]
            assert bool(pieces) == bool(zones[zone][side].any()), f"{zone} {side}"
            for piece in pieces:
                x, y = piece[:, 0], piece[:, 1]
                assert zones[zone][side][y, x].all()


def test_the_neck_holds_skin_not_the_collar(
    faces: dict[str, NormalisedFace], masks: dict[str, Masks]
) -> None:
    # In obama.jpg the neck shows between the chin and a white shirt collar: the neck mask is
    # there but takes none of the collar's white (CIELAB chroma < 6).
    from skimage.color import rgb2lab

    face, zones = faces["obama.jpg"], masks["obama.jpg"]
    neck = zones["neck"]["left"] | zones["neck"]["right"]
    assert neck.sum() > 500
    lab = rgb2lab(face.image[neck].reshape(-1, 1, 3))[:, 0]
    assert (np.hypot(lab[:, 1], lab[:, 2]) < 6).mean() < 0.01
