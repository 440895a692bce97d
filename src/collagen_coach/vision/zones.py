"""Zone masks: where on a normalised face each treatment zone lies, the subject's left and right
halves apart.

Each zone is a polygon over FaceMesh landmark ids, drawn for the subject's right side (the left
of a photo that is not mirrored) and mirrored to the left side through the canonical face
model's symmetry (every mesh point has a partner with x negated). Neighbouring zones share their
polygon edges, so together they tile the face from the mesh's upper edge to the jaw:

============  ==================================================================================
zone          polygon (subject's right side; midline points 10, 151, 168, 164, 18 and 152)
============  ==================================================================================
forehead      from the mesh's upper edge (10, 109, 67, 103, 54, 21 on FACEMESH_FACE_OVAL) down
              to the brow tops (70, 63, 105, 66, 107) and the top of the glabella (108, 151);
              split at the facial midline
glabella      between the brow heads, from the nose root up: 168, 193, 55, 107, 108, 151 and
              their mirror; split at the midline
temples       beside the brow tail, inside the face oval: 21, 71, 70, 156, 139, 34, 127, 162
crows_feet    lateral to the outer eye corner: 226, 113, 124, 156, 139, 34, 227, 116, 111, 31
under_eye     the lower lid margin (33 … 145 … 133) down about 1.5 cm: 243, 233, 128, 121, 120,
              119, 118, 117, 111, 31, 226
cheeks        cheekbone to mid-cheek, between the under-eye zone, the nose side (121, 47, 100,
              142), the nasolabial band, the jowl line (214, 192, 213, 177) and the face oval
              (132, 93, 234)
nasolabial    a band from the nose wing to beside the mouth corner: 129, 203, 206, 216, 212, 57,
              186, 92, 165
mouth         skin around the lips (lips excluded): 164, 167, 165, 92, 186, 57, 43, 106, 182,
              83, 18 and their mirror, less ``MOUTH_CORNER_IPD`` round each mouth corner
              (61, 291); split at the midline
jawline       the lower face beside the mouth and chin, down to the jaw edge (jowls, marionette
              area): 132, 58, 172, 136, 150, 149, 176, 140, 32, 194, 182, 106, 43, 57, 212, 214,
              192, 213, 177
chin          below the lower lip: 18, 83, 182, 194, 32, 140, 176, 148, 152 and their mirror;
              split at the midline
neck          a band below the jaw contour (136 … 152 … 365), ``NECK_DEPTH`` face heights deep,
              as wide as the jaw at 136/365, holding only the skin in it: pixels whose colour
              lies within ``NECK_SKIN_CHROMA`` of the cheeks' and chin's, connected to the jaw
              (a collar, a scarf, a tie or the background is not neck); empty if none shows
============  ==================================================================================

Hair over the forehead or temples is not detected: the mesh's upper edge and the erosion keep
the masks below most hairlines, and a fringe that falls lower stays in the mask.

Every mask then loses the eyes with their lashes, the eyebrows and the lips (each widened by a
margin in inter-pupillary-distance units, below), is eroded by ``erode_px``, and keeps only
pixels that come from inside the photo. Left and right are split along the facial midline
(10, 151, 9, 8, 168, 6, … 152 joined piecewise), so the two halves never share a pixel.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import SIDES, NormalisedFace, Side
from collagen_coach.vision.pixels import cielab
from collagen_coach.vision.pose import canonical_face_model

ZONE_IDS: tuple[str, ...] = (
    "forehead",
    "glabella",
    "temples",
    "crows_feet",
    "under_eye",
    "cheeks",
    "nasolabial",
    "mouth",
    "jawline",
    "chin",
    "neck",
)

# Polygons for the subject's right side (bilateral zones) ...
_RIGHT_SIDE_POLYGONS: dict[str, tuple[int, ...]] = {
    "temples": (21, 71, 70, 156, 139, 34, 127, 162),
    "crows_feet": (226, 113, 124, 156, 139, 34, 227, 116, 111, 31),
    "under_eye": (33, 7, 163, 144, 145, 153, 154, 155, 133, 243, 233, 128, 121, 120, 119, 118, 117,
                  111, 31, 226),
    "cheeks": (227, 116, 111, 117, 118, 119, 120, 121, 47, 100, 142, 129, 203, 206, 216, 212, 214,
               192, 213, 177, 132, 93, 234),
    "nasolabial": (129, 203, 206, 216, 212, 57, 186, 92, 165),
    "jawline": (132, 58, 172, 136, 150, 149, 176, 140, 32, 194, 182, 106, 43, 57, 212, 214, 192,
                213, 177),
}  # fmt: skip
# ... and the right half of the midline zones, from the midline round to the midline; the
# polygon is closed with the mirror of these points in reverse order.
_MIDLINE_HALF_POLYGONS: dict[str, tuple[int, ...]] = {
    "forehead": (151, 108, 107, 66, 105, 63, 70, 71, 21, 54, 103, 67, 109, 10),
    "glabella": (168, 193, 55, 107, 108, 151),
    "mouth": (18, 83, 182, 106, 43, 57, 186, 92, 165, 167, 164),
    "chin": (152, 148, 176, 140, 32, 194, 182, 83, 18),
}
# The jaw contour the neck hangs from, subject's right to left.
_NECK_CONTOUR = (136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365)
NECK_DEPTH = 0.35  # face heights (10 to 152) below the chin: the neck above a shirt collar
# Distance in the CIELAB a*b* plane from the median colour of the cheeks and chin within which a
# pixel counts as skin. A face's own pixels lie a median 3-5 units and at the 99th percentile
# 12-16 units from that median (measured on the test faces); white, grey, black and blue cloth
# and backgrounds lie 15-60 units away. Skin in the shadow under the jaw loses chroma and may
# fall outside: the neck mask errs toward too little rather than measuring a collar.
NECK_SKIN_CHROMA = 12.0
# The neck must touch the jaw: a skin-coloured patch further down (a tie, a hand) is left out.
NECK_SEED_DEPTH = 0.08  # face heights below the jaw contour

# Facial features no zone may touch, and how far beyond their landmark outline they reach, in
# inter-pupillary distances (IPD ≈ 6.3 cm, so 0.01 IPD ≈ 0.6 mm). Lashes stand out of the lid
# outline by about 3 mm in a frontal photo; stray eyebrow hairs reach about 2.5 mm beyond the
# brow's landmark outline; the vermilion border is sharp, 1-2 mm covers its blur.
_EYE = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
_EYEBROW = (70, 63, 105, 66, 107, 55, 65, 52, 53, 46)
_LIPS = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91,
         146)  # fmt: skip
EYE_MARGIN_IPD = 0.05
EYEBROW_MARGIN_IPD = 0.04
LIPS_MARGIN_IPD = 0.025
# The mouth zone keeps this far from the mouth corners (the commissures, 61 and 291): there the
# lips' outline and the zone's own edge run within a few pixels of each other, so the thin strip
# between them comes and goes as the mesh places either a pixel or two differently, carrying the
# dark fold of the corner with it.
MOUTH_CORNER_IPD = 0.08
_MOUTH_CORNERS = (61, 291)
# The facial midline, top to bottom.
_MIDLINE = (10, 151, 9, 8, 168, 6, 197, 195, 5, 4, 1, 19, 94, 2, 164, 0, 11, 12, 13, 14, 15, 16,
            17, 18, 200, 199, 175, 152)  # fmt: skip
_FOREHEAD_TOP, _CHIN = 10, 152

Masks = dict[str, dict[Side, NDArray[np.bool_]]]
Window = tuple[slice, slice]  # rows, columns of an image


@functools.cache
def mirrored_landmark() -> NDArray[np.intp]:
    """Give, for each of the 468 mesh points, its mirror partner across the facial midline.

    Taken from the canonical face model, which is exactly symmetric: point j mirrors i when its
    x is −x of i and y, z are the same (midline points mirror themselves).
    """
    model = canonical_face_model()[:468]
    flipped = model * np.array([-1.0, 1.0, 1.0])
    distances = np.linalg.norm(model[None, :, :] - flipped[:, None, :], axis=2)
    partner: NDArray[np.intp] = np.argmin(distances, axis=1).astype(np.intp)
    if not np.allclose(distances[np.arange(468), partner], 0.0, atol=1e-5):
        raise RuntimeError("the canonical face model is not symmetric: cannot mirror zones")
    partner.setflags(write=False)
    return partner


def zone_masks(face: NormalisedFace, *, erode_px: int = 2) -> Masks:
    """Give a boolean mask per zone id and side (the subject's own left and right).

    Masks are in the pixels of ``face.image``; a side of a zone that the photo does not show is
    an all-False mask. ``erode_px`` pulls every mask in from its outline and from the edge of the
    photo, so filters that read a few pixels around each pixel stay inside the zone (2 px, about
    0.66 mm at the normalised scale).
    """
    if erode_px < 0:
        raise ValueError(f"erode_px must be 0 or more, not {erode_px}")
    points = face.landmarks.points[:, :2]
    height, width = face.image.shape[:2]
    ipd = face.landmarks.ipd_px
    shape = (height, width)

    excluded = np.zeros(shape, dtype=np.uint8)
    mirror = mirrored_landmark()
    for outline, margin in (
        (_EYE, EYE_MARGIN_IPD),
        (tuple(int(mirror[i]) for i in _EYE), EYE_MARGIN_IPD),
        (_EYEBROW, EYEBROW_MARGIN_IPD),
        (tuple(int(mirror[i]) for i in _EYEBROW), EYEBROW_MARGIN_IPD),
        (_LIPS, LIPS_MARGIN_IPD),
    ):
        radius = round(margin * ipd)
        polygon = points[list(outline)]
        window = _window_around([polygon], shape, margin_px=radius + 1)
        excluded[window] |= _dilate(_fill([polygon], window), radius)
    allowed = (excluded == 0) & face.valid
    kernel = _disk(erode_px)
    if erode_px:
        allowed = cv2.erode(allowed.astype(np.uint8), kernel, borderValue=(0,)).astype(bool)

    right_half = _right_of_midline(points, shape)
    halves: dict[Side, NDArray[np.bool_]] = {"right": right_half, "left": ~right_half}
    if erode_px:
        # Each half also pulls back from the midline, so that a filter reading across it does
        # not see the other side.
        halves = {
            side: cv2.erode(half.astype(np.uint8), kernel, borderValue=(1,)).astype(bool)
            for side, half in halves.items()
        }
    masks: Masks = {}
    for zone, polygons in zone_polygons(points).items():
        # Rasterise and erode within the polygons' bounding box: a zone covers a few percent of
        # the image, and nothing outside the box can change.
        window = _window_around(polygons, shape, margin_px=1)
        inside = (_erode(_fill(polygons, window), erode_px) > 0) & allowed[window]
        if zone == "mouth":
            inside &= ~_near_points(points[list(_MOUTH_CORNERS)], MOUTH_CORNER_IPD * ipd, window)
        if zone == "neck":
            skin_reference = np.zeros(shape, dtype=bool)
            for reference_zone in ("cheeks", "chin"):
                for side in SIDES:
                    skin_reference |= masks[reference_zone][side]
            band = _placed(inside, window, shape)
            inside = _neck_skin(face, band, skin_reference, erode_px)[window]  # within the band
        masks[zone] = {
            side: _placed(inside & halves[side][window], window, shape) for side in SIDES
        }
    return {zone: masks[zone] for zone in ZONE_IDS}


def zone_outlines(masks: Masks) -> dict[str, dict[Side, list[NDArray[np.int32]]]]:
    """Give each zone's outline as polygons (n × 2 arrays of x, y in normalised pixels).

    The outlines trace the masks themselves, so an overlay shows exactly the pixels measured;
    a side may have several pieces (e.g. a zone cut by the photo's edge) or none.
    """
    outlines: dict[str, dict[Side, list[NDArray[np.int32]]]] = {}
    for zone, sides in masks.items():
        outlines[zone] = {}
        for side, mask in sides.items():
            contours, _ = cv2.findContours(
                mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
            )
            outlines[zone][side] = [np.asarray(c.reshape(-1, 2), dtype=np.int32) for c in contours]
    return outlines


def zone_polygons(points: NDArray[np.float64]) -> dict[str, list[NDArray[np.float64]]]:
    """Give every zone's polygons (x, y vertices) for landmarks ``points`` (x, y in any image's
    pixels): a bilateral zone's two polygons, the subject's right then her left; a midline
    zone's or the neck's one polygon, both sides together (``zone_masks`` splits it)."""
    mirror = mirrored_landmark()
    polygons: dict[str, list[NDArray[np.float64]]] = {}
    for zone, ids in _RIGHT_SIDE_POLYGONS.items():
        polygons[zone] = [points[list(ids)], points[[int(mirror[i]) for i in ids]]]
    for zone, half in _MIDLINE_HALF_POLYGONS.items():
        other = [int(mirror[i]) for i in reversed(half)]
        ring = list(half) + [i for i in other if i not in (half[0], half[-1])]
        polygons[zone] = [points[ring]]
    polygons["neck"] = [_neck(points)]
    return polygons


def _neck(points: NDArray[np.float64], depth: float = NECK_DEPTH) -> NDArray[np.float64]:
    """The band from the jaw contour down to ``depth`` face heights below the chin."""
    face_height = float(np.linalg.norm(points[_CHIN] - points[_FOREHEAD_TOP]))
    contour = points[list(_NECK_CONTOUR)]
    bottom = points[_CHIN, 1] + depth * face_height
    left_x, right_x = contour[0, 0], contour[-1, 0]
    return np.vstack([contour, [[right_x, bottom], [left_x, bottom]]])


def _neck_skin(
    face: NormalisedFace,
    band: NDArray[np.bool_],
    reference: NDArray[np.bool_],
    erode_px: int,
) -> NDArray[np.bool_]:
    """Keep the part of the neck band that has the face's skin colour and touches the jaw."""
    if not band.any() or not reference.any():
        return np.zeros(band.shape, dtype=bool)
    # The reference's pixels, read within its bounding box (the same pixels, in the same order).
    around = _bounding_window(reference.view(np.uint8), margin_px=0)
    reference_ab = _lab_ab(face.image[around][reference[around]])
    skin_ab = np.median(reference_ab, axis=0)
    # Everything below happens within the band's bounding box, widened by the opening's reach
    # so that the opening sees the same zeros around the band as on the whole image.
    radius = max(erode_px, 2)
    window = _bounding_window(band, margin_px=radius + 1)
    band = band[window]
    band_ab = _lab_ab(face.image[window][band])
    skin = np.zeros(band.shape, dtype=bool)
    skin[band] = np.linalg.norm(band_ab - skin_ab, axis=1) <= NECK_SKIN_CHROMA
    # Speckles of skin colour in cloth or background are not neck.
    opened = cv2.morphologyEx(skin.astype(np.uint8), cv2.MORPH_OPEN, _disk(radius))
    count, labels = cv2.connectedComponents(opened, connectivity=8)
    kept = np.zeros(reference.shape, dtype=bool)
    if count <= 1:
        return kept
    seed = _fill([_neck(face.landmarks.points[:, :2], depth=NECK_SEED_DEPTH)], window) > 0
    touching = np.zeros(count, dtype=bool)
    touching[labels[seed & (opened > 0)]] = True
    touching[0] = False  # the background
    kept[window] = touching[labels]
    return kept


def _lab_ab(rgb_pixels: NDArray[np.uint8]) -> NDArray[np.float32]:
    """CIELAB a*, b* (D65) of an n × 3 array of sRGB pixels."""
    # pixels.cielab: rgb2lab's formulas in float32 (within 0.001 of it), several times faster.
    ab: NDArray[np.float32] = cielab(rgb_pixels.reshape(-1, 1, 3))[:, 0, 1:]
    return ab


def _right_of_midline(points: NDArray[np.float64], shape: tuple[int, int]) -> NDArray[np.bool_]:
    """Mark the pixels on the subject's right of the midline (the left of the image)."""
    height, width = shape
    midline = points[list(_MIDLINE)]
    order = np.argsort(midline[:, 1])
    ys, xs = midline[order, 1], midline[order, 0]
    # Above the forehead top and below the chin the midline continues vertically.
    rows = np.arange(height, dtype=np.float64)
    mid_x = np.interp(rows, ys, xs)
    return np.arange(width, dtype=np.float64)[None, :] < mid_x[:, None]


def _fill(polygons: list[NDArray[np.float64]], window: Window) -> NDArray[np.uint8]:
    """Rasterise ``polygons`` (x, y in image pixels) into the pixels of ``window`` (1 inside).

    Moving the vertices by the window's whole-pixel origin leaves their rasterisation as it is
    on the whole image.
    """
    rows, columns = window
    canvas = np.zeros((rows.stop - rows.start, columns.stop - columns.start), dtype=np.uint8)
    if canvas.size == 0:
        return canvas
    origin = np.array([columns.start, rows.start], dtype=np.float64)
    # Eight bits of sub-pixel precision: polygons do not jitter by whole pixels.
    vertices = [
        np.round((polygon - origin) * 256).astype(np.int32).reshape(-1, 1, 2)
        for polygon in polygons
    ]
    for polygon in vertices:
        cv2.fillPoly(canvas, [polygon], (1,), lineType=cv2.LINE_8, shift=8)
    return canvas


def _near_points(centres: NDArray[np.float64], radius: float, window: Window) -> NDArray[np.bool_]:
    """Mark the pixels of ``window`` within ``radius`` px of any of ``centres`` (x, y)."""
    rows, columns = window
    near = np.zeros((rows.stop - rows.start, columns.stop - columns.start), dtype=np.uint8)
    origin = np.array([columns.start, rows.start], dtype=np.float64)
    for x, y in np.round((centres - origin) * 256).astype(np.int64):
        cv2.circle(near, (int(x), int(y)), round(radius * 256), (1,), -1, cv2.LINE_8, 8)
    return near > 0


def _window_around(
    polygons: list[NDArray[np.float64]], shape: tuple[int, int], margin_px: int
) -> Window:
    """Give the rows and columns that hold every vertex of ``polygons``, ``margin_px`` wider
    (clipped to the image; empty when the polygons lie wholly outside it)."""
    xy = np.vstack(polygons)
    height, width = shape
    top = min(height, max(0, math.floor(xy[:, 1].min()) - margin_px))
    bottom = max(top, min(height, math.ceil(xy[:, 1].max()) + 1 + margin_px))
    left = min(width, max(0, math.floor(xy[:, 0].min()) - margin_px))
    right = max(left, min(width, math.ceil(xy[:, 0].max()) + 1 + margin_px))
    return slice(top, bottom), slice(left, right)


def _dilate(mask: NDArray[np.uint8], radius: int) -> NDArray[np.uint8]:
    """Widen ``mask`` by a disk of ``radius`` px; what it holds must lie ``radius`` px inside its
    edge for the result to be that of the whole image."""
    if radius <= 0 or mask.size == 0:
        return mask
    return np.asarray(cv2.dilate(mask, _disk(radius)), dtype=np.uint8)


def _erode(mask: NDArray[np.uint8], radius: int) -> NDArray[np.uint8]:
    """Pull ``mask`` in by a disk of ``radius`` px, taking everything beyond its edge as
    outside (as beyond the image's edge)."""
    if radius <= 0 or mask.size == 0:
        return mask
    return np.asarray(cv2.erode(mask, _disk(radius), borderValue=(0,)), dtype=np.uint8)


def _bounding_window(mask: NDArray[Any], margin_px: int) -> Window:
    """Give the rows and columns of ``mask``'s nonzero pixels, ``margin_px`` wider (clipped).

    An empty mask gives an empty window.
    """
    x, y, w, h = cv2.boundingRect(mask.astype(np.uint8, copy=False))
    if w == 0 or h == 0:
        return slice(0, 0), slice(0, 0)
    height, width = mask.shape[:2]
    return (
        slice(max(0, y - margin_px), min(height, y + h + margin_px)),
        slice(max(0, x - margin_px), min(width, x + w + margin_px)),
    )


def _placed(part: NDArray[np.bool_], window: Window, shape: tuple[int, int]) -> NDArray[np.bool_]:
    """Give an image-sized mask holding ``part`` at ``window`` and nothing elsewhere."""
    whole = np.zeros(shape, dtype=bool)
    whole[window] = part
    return whole


def _disk(radius: int) -> NDArray[np.uint8]:
    size = 2 * max(radius, 0) + 1
    return np.asarray(cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)), dtype=np.uint8)
