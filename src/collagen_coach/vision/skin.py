"""Skin metrics per zone and side: wrinkles, texture, radiance, evenness and redness.

Everything is measured on the normalised face (iris centres ``NORMALISED_IPD_PX`` apart), so
lengths in pixels mean the same on every photo: one pixel is ``CM_PER_PX`` cm on an average
adult face (``MEAN_IPD_CM`` / ``NORMALISED_IPD_PX`` ≈ 0.33 mm); the filters' scales are chosen in
millimetres (``PX_PER_MM``). The image is converted once to
CIELAB (sRGB, D65; ``cielab``, the formulas of ``skimage.color.rgb2lab`` in float32); every
filter runs once over the window of the face that holds the zones (``face_light_maps``, shared
with the quality gate) and is then reduced per zone mask.

Lines and texture are measured on *relative lightness contrast*: the lightness of each pixel
relative to its surroundings, ``100·(ℓ / G_σ(ℓ) − 1)`` in percent, with ℓ = (L* + 16) / 116 =
(Y / Yn)^⅓ and G_σ a wide Gaussian blur (σ = ``SHADING_SIGMA_PX``, worked out at half size,
``pixels.wide_gaussian_blur``). Dividing by the blur removes slow shading across the face, and as ℓ
is a power of luminance, a brighter or dimmer light (luminance × k) cancels out: wrinkle and texture
numbers do not follow the exposure. Radiance, evenness and redness are absolute CIELAB values and
do follow the light; the quality gate holds the light steady and reports say so.

Ridges are found with the Hessian line measure of Sato et al. (1998, "Three-dimensional
multi-scale line filter for segmentation and visualization of curvilinear structures in medical
images", Medical Image Analysis 2(2):143–168; ``skimage.filters.sato`` in 2-D): σ² × the larger
Hessian eigenvalue where positive (a dark valley), the maximum over several σ.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.core.measures import (
    LINE_CONTRAST_PERCENT,
    LINE_CONTRAST_SOFTNESS,
    MEASURES,
    Measure,
)
from collagen_coach.vision.face import (
    MEAN_IPD_CM,
    MIN_NATIVE_IPD_PX,
    NORMALISED_IPD_PX,
    SIDES,
    NormalisedFace,
    Side,
)
from collagen_coach.vision.pixels import (
    cielab,
    fill_outside_photo,
    gaussian_blur,
    wide_gaussian_blur,
)

FloatArray = NDArray[np.float32]
BoolArray = NDArray[np.bool_]
Masks = dict[str, dict[Side, BoolArray]]  # zone id → side → mask
Blurred = Callable[[float], FloatArray]  # σ in px → the Gaussian blur of one image
ZoneMetrics = dict[str, float | None]
SkinMetrics = dict[str, dict[str, ZoneMetrics]]  # zone → "left"/"right"/"both" → metric → value

CM_PER_PX = MEAN_IPD_CM / NORMALISED_IPD_PX  # ≈ 0.0328 cm: one normalised pixel
CM2_PER_PX = CM_PER_PX**2
PX_PER_MM = 1.0 / (10.0 * CM_PER_PX)  # ≈ 3.05

# Lines and texture are measured at one common resolution: that of the coarsest photo the quality
# gate accepts, whose pixels are NORMALISED_IPD_PX / MIN_NATIVE_IPD_PX = 1.5 normalised px wide.
# Without it a photo taken from further away, enlarged more to the normalised scale, shows less
# fine detail and reads fewer lines (on biden2.jpg 20 % smaller: line length −18 %, texture
# −7.5 % per zone, median). A photo's own blur is taken as PHOTO_BLUR_PER_PIXEL of its pixel's
# width (a pixel's box alone is 0.29; lens, demosaicing and JPEG add to it); 0.6 moved every
# line and texture measure least under the scale changes of vision.repeatability (0.5 and 0.8
# tried).
COMMON_PIXEL_PX = NORMALISED_IPD_PX / MIN_NATIVE_IPD_PX
PHOTO_BLUR_PER_PIXEL = 0.6
# Shading is flattened with a Gaussian of σ = 4 mm (≈ 12 px), 2.7 × the coarsest ridge σ below:
# dividing by it takes ≈7 % of the ridge response of the widest fold (σ = 1.5 mm) and under 1 %
# of a fine line's, yet it is small enough to follow the curvature of a cheek or a brow ridge.
SHADING_SIGMA_PX = 4.0 * PX_PER_MM
# Ridge scales: fine lines are ≈0.25–0.5 mm, folds ≈1–1.5 mm (a line of profile width w is
# picked up best at σ = √2·w; neighbouring σ here differ by at most 2×, which loses at most 8 %
# of a line's peak response between scales).
RIDGE_SIGMAS_PX = tuple(sigma_mm * PX_PER_MM for sigma_mm in (0.25, 0.5, 1.0, 1.5))
# The σ²-normalised response at the centre of a Gaussian-profile dark line of contrast A, at the
# best σ, is A · 2/(3√3) whatever the line's width; ridge strength divides by this, so it reads
# the contrast (in %) of the line through each pixel.
_PEAK_RESPONSE_PER_CONTRAST = 2.0 / (3.0 * math.sqrt(3.0))
# A line is a ridge at least LINE_CONTRAST_PERCENT darker than the skin beside it (core.measures,
# as the line_density measure is defined there) …
# … and at least 2 mm long (≈ 6 px): shorter dark marks are pores and specks, not lines.
MIN_LINE_LENGTH_PX = 2.0 / 10.0 / CM_PER_PX
# Both limits are soft (see ``detect_lines``), or a line just at a limit would count whole in one
# photo and not at all in the next: a ridge counts from LINE_CONTRAST_SOFTNESS points of contrast
# below the limit (none) to as far above it (whole), half at the limit (core.measures); a line
# from 1 mm (none) to 3 mm (whole), half at 2 mm. On biden2.jpg saved again, shifted and turned,
# the hard limits moved line density by a median 2–6 % and line length by 4–16 % per zone.
LINE_LENGTH_SOFTNESS = 0.5  # a share of the minimum length either side of it
# Centre lines are traced only within this reach of a zone (along each axis): the length at which
# a line counts whole, so a line that reaches that far from a zone counts whole as before, and
# the centre lines of the face's other parts (eyes, brows, hair, background: about half of the
# window) are not traced at all. Only a line with less than this much of itself within the
# reach, yet longer beyond it, can now read as shorter than it is, and be weighed less.
LINE_REACH_PX = math.ceil(MIN_LINE_LENGTH_PX * (1.0 + LINE_LENGTH_SOFTNESS))
# Each centre-line point is spread across the line as a Gaussian of σ = 1 px (see ``_ridges``): a
# property of the pixel grid, not of the face, so it stays one pixel at any normalised scale.
# The spread trades a little accuracy for steadiness: the centre's distance is a Newton step,
# which overshoots away from a line's middle, so a straight line reads 0.80 (1.2 px profile)
# to 0.97 (6 px) of its length, the same at every angle and offset within ±5 %; a spread of
# 0.7 px reads 0.88–0.99 but moved line length between photos more (saved again: 4.2 % against
# 3.5 % median per zone on biden2.jpg, at the 256-px scale of version 2.0).
_CENTRE_SPREAD_PX = 1.0
# Texture: difference of Gaussians between σ = 0.25 and 1 mm (pores, fine grain), above pixel
# noise and below the shading flattening.
TEXTURE_SIGMAS_PX = (0.25 * PX_PER_MM, 1.0 * PX_PER_MM)
# Evenness: L* and ITA° between σ = 0.25 mm and σ = SHADING_SIGMA_PX (4 mm): the finer blur
# takes out pixel and JPEG noise, which a photo's resolution changes; taking away the wider one
# leaves out slow shading across the zone, so that where a zone's edge falls on a shadow does not
# decide its spread. Blotches and spots stay: a spot 8 mm across keeps 60 % of its contrast at
# its centre, smaller ones more. In the repeatability study on biden2.jpg (a photo turned 3°,
# shifted, rescaled 0.75–1.25×, saved again) the raw values' spread moved by up to 12.7 % at
# p90 over zones and sides, mostly where a zone takes in more or less of a shadow (the
# nasolabial band, the glabella); between these scales, by 7.9 % (L*) and 9.1 % (ITA°) at most
# (tests/vision/test_repeatability.py).
EVENNESS_SIGMAS_PX = (0.25 * PX_PER_MM, SHADING_SIGMA_PX)
# A zone needs 0.24 cm² (a 5 × 5 mm square, 223 px) to be measured: smaller, a single blemish or
# a stray eyebrow hair decides the numbers. Fewer pixels give None.
MIN_ZONE_PIXELS = math.ceil(0.24 / CM2_PER_PX)
# Filters see this far beyond the zones: 3 σ of the widest Gaussian.
_MARGIN_PX = math.ceil(3 * SHADING_SIGMA_PX)


# What each metric measures, its unit, which way is better and whether it follows the light:
# defined once, with every other measure the product reports, in ``core.measures``.
MetricInfo = Measure
METRICS: dict[str, MetricInfo] = {
    name: MEASURES[name]
    for name in (
        "wrinkle_index",
        "line_density",
        "line_length_cm_per_cm2",
        "texture_roughness",
        "radiance",
        "evenness_l_iqr",
        "evenness_ita_iqr",
        "redness",
    )
}


@dataclass(frozen=True)
class SkinMaps:
    """Per-pixel maps of a face image (or a window of it) that zone metrics are reduced from.

    ``lab`` is CIELAB; ``ridge`` the ridge strength in % contrast; ``lines`` the detected lines;
    ``line_length_px`` each line pixel's share of centre-line length; ``texture`` the
    band-passed contrast; ``even_lightness`` and ``even_ita`` L* and ITA° band-passed for
    evenness (``EVENNESS_SIGMAS_PX``).
    """

    lab: FloatArray
    ridge: FloatArray
    lines: BoolArray
    line_weight: FloatArray
    line_length_px: FloatArray
    texture: FloatArray
    even_lightness: FloatArray
    even_ita: FloatArray


@dataclass(frozen=True)
class FaceLightMaps:
    """CIELAB and relative lightness contrast over the window of a face that holds every zone.

    ``window`` is (rows, columns) of ``face.image``: every zone pixel with ``SHADING_SIGMA_PX``
    × 3 to spare, so that the filters read the face, not the window's edge. ``lab`` and
    ``contrast`` (see :func:`relative_contrast`) cover the window. The quality gate and the skin
    metrics both read them; made once per face by :func:`face_light_maps`.
    """

    window: tuple[slice, slice]
    lab: FloatArray
    contrast: FloatArray
    zones: BoolArray  # the pixels of any zone, in the window


def face_light_maps(face: NormalisedFace, masks: Masks) -> FaceLightMaps | None:
    """Give the lightness maps of ``face`` around its zone ``masks``; None if no zone has a pixel.

    Pixels outside the photo are filled from inside it first (see :func:`fill_outside_photo`).
    """
    height, width = face.image.shape[:2]
    union = np.zeros((height, width), dtype=bool)
    for sides in masks.values():
        for mask in sides.values():
            if mask.shape != (height, width):
                raise ValueError(f"zone mask of shape {mask.shape}, image is {(height, width)}")
            union |= mask
    if not union.any():
        return None
    rows, cols = np.flatnonzero(union.any(axis=1)), np.flatnonzero(union.any(axis=0))
    top, bottom = max(0, int(rows[0]) - _MARGIN_PX), min(height, int(rows[-1]) + 1 + _MARGIN_PX)
    left, right = max(0, int(cols[0]) - _MARGIN_PX), min(width, int(cols[-1]) + 1 + _MARGIN_PX)
    window = (slice(top, bottom), slice(left, right))
    lab = cielab(fill_outside_photo(face.image[window], face.valid[window]))
    return FaceLightMaps(
        window=window, lab=lab, contrast=relative_contrast(lab[:, :, 0]), zones=union[window]
    )


def measure_skin(
    face: NormalisedFace, masks: Masks, *, light: FaceLightMaps | None = None
) -> SkinMetrics:
    """Give every skin metric per zone, for the subject's left and right halves and both.

    ``masks`` holds, per zone id, a boolean mask the size of ``face.image`` for each side; "both"
    is their union. A mask with fewer than ``MIN_ZONE_PIXELS`` pixels gives None for every metric.
    The filters run once over the window that holds every zone (plus their reach); ``light`` is
    ``face_light_maps(face, masks)`` where the caller has it already.
    """
    if light is None:
        light = face_light_maps(face, masks)
    if light is None:
        return {zone: _empty_sides() for zone in masks}
    maps = _skin_maps(
        light.lab,
        light.contrast,
        photo_pixel_px=_photo_pixel_px(face),
        centres_near=_near(light.zones, LINE_REACH_PX),
    )
    results: SkinMetrics = {}
    for zone, sides in masks.items():
        windowed = {side: sides[side][light.window] for side in SIDES if side in sides}
        boxes = {side: _bounding_box(mask) for side, mask in windowed.items()}
        inside = {side: _pixel_indices(mask, boxes[side]) for side, mask in windowed.items()}
        if len(inside) == 2 and not _overlap(windowed["left"], windowed["right"], *boxes.values()):
            # The halves do not overlap: both sides' values together are the whole zone's, read
            # once, left then right, and each side is its part of them.
            both = _ZonePixels.at(maps, np.concatenate(list(inside.values())))
            split = inside["left"].size
            pixels = {"left": both.part(slice(0, split)), "right": both.part(slice(split, None))}
        else:
            pixels = {side: _ZonePixels.at(maps, found) for side, found in inside.items()}
            union = np.zeros(light.contrast.shape, dtype=bool)
            for mask in windowed.values():
                union |= mask
            both = _ZonePixels.of(maps, union)
        per_side: dict[str, ZoneMetrics] = {side: p.metrics() for side, p in pixels.items()}
        per_side["both"] = both.metrics()
        results[zone] = per_side
    return results


Box = tuple[slice, slice]


def _bounding_box(mask: BoolArray) -> Box:
    """Give the (rows, columns) of ``mask`` that hold all its pixels (empty slices if none)."""
    left, top, width, height = cv2.boundingRect(mask.view(np.uint8))
    return slice(top, top + height), slice(left, left + width)


def _pixel_indices(mask: BoolArray, box: Box) -> NDArray[np.intp]:
    """Give the flat indices of ``mask``'s pixels, row by row, looking only within ``box``."""
    rows, cols = box
    found_rows, found_cols = np.nonzero(mask[rows, cols])
    found_rows += rows.start
    found_rows *= mask.shape[1]
    found_cols += cols.start
    return np.asarray(found_rows + found_cols, dtype=np.intp)


def _overlap(first: BoolArray, second: BoolArray, first_box: Box, second_box: Box) -> bool:
    """Say whether two masks share a pixel, looking only where their bounding boxes meet."""
    rows = slice(
        max(first_box[0].start, second_box[0].start), min(first_box[0].stop, second_box[0].stop)
    )
    cols = slice(
        max(first_box[1].start, second_box[1].start), min(first_box[1].stop, second_box[1].stop)
    )
    if rows.start >= rows.stop or cols.start >= cols.stop:
        return False
    return bool(np.logical_and(first[rows, cols], second[rows, cols]).any())


def _empty_sides() -> dict[str, ZoneMetrics]:
    return {side: dict.fromkeys(METRICS) for side in (*SIDES, "both")}


def skin_maps(rgb: NDArray[np.uint8]) -> SkinMaps:
    """Give the per-pixel maps of an sRGB image at the normalised scale."""
    lab = cielab(rgb)
    return _skin_maps(lab, relative_contrast(lab[:, :, 0]))


def _photo_pixel_px(face: NormalisedFace) -> float:
    """Give the width of one of the photo's pixels in the normalised face, in its pixels.

    A photo shrunk to the normalised scale is averaged down to it (``normalise_face``), so its
    detail is never finer than one normalised pixel.
    """
    scale = math.sqrt(abs(float(np.linalg.det(face.transform[:, :2]))))
    return max(1.0, scale)


def common_resolution_sigma_px(photo_pixel_px: float) -> float:
    """Give the Gaussian blur (σ, normalised px) that brings a photo to the common resolution.

    A photo's pixel ``photo_pixel_px`` normalised pixels wide blurs its detail by about
    ``PHOTO_BLUR_PER_PIXEL`` × that width; every photo is blurred up to what the coarsest photo
    the quality gate accepts (pixels ``COMMON_PIXEL_PX`` wide) has: √(common² − own²).
    """
    own = PHOTO_BLUR_PER_PIXEL * min(photo_pixel_px, COMMON_PIXEL_PX)
    return math.sqrt((PHOTO_BLUR_PER_PIXEL * COMMON_PIXEL_PX) ** 2 - own**2)


def _near(mask: BoolArray, reach_px: int) -> BoolArray:
    """Mark the pixels within ``reach_px`` of ``mask`` along each axis (a square around each)."""
    kernel = np.ones((2 * reach_px + 1, 2 * reach_px + 1), dtype=np.uint8)
    return np.asarray(cv2.dilate(mask.view(np.uint8), kernel), dtype=bool)


def _skin_maps(
    lab: FloatArray,
    contrast: FloatArray,
    photo_pixel_px: float = 1.0,
    centres_near: BoolArray | None = None,
) -> SkinMaps:
    # Every filter reads the contrast at the common resolution: each blur of σ is one of
    # √(σ² + common²) of the contrast as the photo gave it. The ridge filter and the texture
    # band-pass blur at two of the same σ (0.25 and 1 mm): each blur is made once.
    common = common_resolution_sigma_px(photo_pixel_px)

    def at_common_resolution(sigma: float) -> FloatArray:
        # At full size below pixels.HALF_SIZE_MIN_SIGMA_PX, at half size from there on.
        return wide_gaussian_blur(contrast, math.hypot(sigma, common))

    blurred: Blurred = functools.cache(at_common_resolution)
    # Centre lines are needed only where a ridge may count as a line.
    found = _ridges(
        contrast,
        blurred,
        RIDGE_SIGMAS_PX,
        centres_from=LINE_CONTRAST_PERCENT - LINE_CONTRAST_SOFTNESS,
        centres_near=centres_near,
    )
    weight, length = detect_lines(found)
    return SkinMaps(
        lab=lab,
        ridge=found.strength,
        lines=weight >= 0.5,
        line_weight=weight,
        line_length_px=length,
        texture=_band_pass(blurred, TEXTURE_SIGMAS_PX),
        **_evenness_maps(lab, contrast),
    )


def relative_contrast(
    lightness: NDArray[np.floating[Any]], sigma_px: float = SHADING_SIGMA_PX
) -> FloatArray:
    """Give each pixel's lightness relative to its surroundings, in percent (0 = as around it).

    ``lightness`` is CIELAB L*. ℓ = (L* + 16)/116 is (Y/Yn)^⅓ (above the near-black toe), so a
    light k times brighter scales ℓ by k^⅓ everywhere and the ratio to its own blur is unchanged.
    """
    ell = np.add(lightness, np.float32(16.0), dtype=np.float32)
    ell /= np.float32(116.0)
    np.maximum(ell, np.float32(1.0 / 116.0), out=ell)  # L* = −15 at worst, never divide by zero
    contrast = ell / wide_gaussian_blur(ell, sigma_px)
    contrast -= 1.0
    contrast *= 100.0
    return contrast


def ridge_strength(
    contrast: FloatArray, sigmas_px: tuple[float, ...] = RIDGE_SIGMAS_PX
) -> FloatArray:
    """Give the dark-line strength of each pixel: the contrast (%) of a line through it, else 0.

    Sato's 2-D measure (``skimage.filters.sato(..., black_ridges=True)``): σ² × the larger
    eigenvalue of the Hessian of the Gaussian-smoothed image where it is positive, maximum over
    ``sigmas_px``; divided by 2/(3√3), the response at the centre of a Gaussian-profile line of
    unit contrast at its best σ. Computed with OpenCV separable filters (float32) for speed.
    """
    image = np.asarray(contrast, dtype=np.float32)
    blurred = functools.partial(gaussian_blur, image)
    return _ridges(image, blurred, sigmas_px, centres=False).strength


@dataclass(frozen=True)
class Ridges:
    """The dark-line strength of each pixel and the centre lines of those lines.

    ``strength`` is :func:`ridge_strength`; ``centre_length_px`` is, at each pixel a line's centre
    passes through, the length of centre line that pixel stands for (0 elsewhere).
    """

    strength: FloatArray
    centre_length_px: FloatArray


def ridges(contrast: FloatArray, sigmas_px: tuple[float, ...] = RIDGE_SIGMAS_PX) -> Ridges:
    """Give the ridge strength of ``contrast`` and its lines' centre lines (see :class:`Ridges`)."""
    image = np.asarray(contrast, dtype=np.float32)
    return _ridges(image, functools.partial(gaussian_blur, image), sigmas_px)


def _ridges(
    image: FloatArray,
    blurred: Blurred,
    sigmas_px: tuple[float, ...],
    *,
    centres: bool = True,
    centres_from: float = 0.0,
    centres_near: BoolArray | None = None,
) -> Ridges:
    """``ridges`` of ``image``, whose Gaussian blurs ``blurred(σ)`` gives; the centre lines only
    where the ridge strength exceeds ``centres_from`` (% contrast) and, if given, within
    ``centres_near``; none if not ``centres``.

    The centre of a line is found as Steger (1998, "An unbiased detector of curvilinear
    structures", IEEE PAMI 20(2):113–125) finds it, at the σ where the line is strongest: across
    the line (along n, the Hessian's eigenvector of the larger eigenvalue λ) the smoothed image
    is darkest at t = −(∇I·n)/λ from the pixel's centre. Instead of marking the one pixel that
    holds that point, which flips between neighbours with a little noise, each pixel takes
    g(t), a Gaussian density of σ ``_CENTRE_SPREAD_PX`` (cut at 3σ): summed across a line, over
    pixels one apart, it adds up to 1 per pixel of the line's length whatever its direction and
    wherever it falls between pixel centres. Summed over a region it gives the length of line
    centre inside it, with no pixel-step counting.
    """
    strongest = np.zeros_like(image)  # a valley's strength is never below 0
    at_sigma = np.zeros(image.shape, dtype=np.uint8)  # where each pixel's valley is strongest
    smoothed: list[FloatArray] = []  # each σ's blur, kept for the centre lines
    # Work arrays, refilled at every σ: the steps below are those of the formula, in its order
    # (so the values are the same), written in place instead of into new image-sized arrays.
    dxx, dyy, dxy, valley = (np.empty_like(image) for _ in range(4))
    second = np.array([1.0, -2.0, 1.0], dtype=np.float32)
    first = np.array([-0.5, 0.0, 0.5], dtype=np.float32)
    same = np.array([1.0], dtype=np.float32)  # no filtering along that axis
    for index, sigma in enumerate(sigmas_px):
        smooth = blurred(sigma)
        smoothed.append(smooth)
        cv2.sepFilter2D(smooth, -1, second, same, dst=dxx, borderType=cv2.BORDER_REFLECT)
        cv2.sepFilter2D(smooth, -1, same, second, dst=dyy, borderType=cv2.BORDER_REFLECT)
        cv2.sepFilter2D(smooth, -1, first, first, dst=dxy, borderType=cv2.BORDER_REFLECT)
        # valley = max(½(dxx + dyy) + √(¼(dxx − dyy)² + dxy²), 0) · σ²
        np.add(dxx, dyy, out=valley)
        valley *= 0.5
        radius = np.subtract(dxx, dyy, out=dxx)
        np.square(radius, out=radius)
        radius *= 0.25
        radius += np.square(dxy, out=dxy)
        valley += np.sqrt(radius, out=radius)
        np.maximum(valley, 0.0, out=valley)
        valley *= np.float32(sigma**2)
        if centres:
            np.copyto(at_sigma, np.uint8(index), where=valley > strongest)
        np.maximum(strongest, valley, out=strongest)
    strongest /= np.float32(_PEAK_RESPONSE_PER_CONTRAST)
    length = np.zeros_like(image)
    if centres:
        candidate = strongest > centres_from
        if centres_near is not None:
            candidate &= centres_near
        candidates = np.flatnonzero(candidate)
        which = at_sigma.ravel()[candidates]
        for index, smooth in enumerate(smoothed):
            pixels = candidates[which == index]
            length.ravel()[pixels] = _centre_share(*_derivatives_at(smooth, pixels))
    return Ridges(strength=strongest, centre_length_px=length)


def _derivatives_at(image: FloatArray, pixels: NDArray[np.intp]) -> tuple[FloatArray, ...]:
    """Give dxx, dyy, dxy, dx, dy of ``image`` at the flat indices ``pixels``: the same 3-point
    differences as the ridge filter's, reflected at the edges, read at those pixels only."""
    width = image.shape[1]
    # The image with a 1-pixel reflected border: pixel (r, c) is at (r + 1)(width + 2) + c + 1,
    # and its neighbour (r + dr, c + dc), dr and dc in −1…1, at ``corner`` + (dr + 1)(width + 2)
    # + dc + 1, read through a view that starts that far on (no index array per neighbour).
    flat = np.asarray(cv2.copyMakeBorder(image, 1, 1, 1, 1, cv2.BORDER_REFLECT), np.float32).ravel()
    stride = width + 2
    corner = pixels + 2 * (pixels // width)

    def at(dr: int, dc: int) -> FloatArray:
        return flat[(dr + 1) * stride + dc + 1 :][corner]

    centre = at(0, 0)
    east, west, south, north = at(0, 1), at(0, -1), at(1, 0), at(-1, 0)
    diagonal = at(1, 1) - at(1, -1)
    diagonal -= at(-1, 1)
    diagonal += at(-1, -1)
    return (
        east - 2.0 * centre + west,
        south - 2.0 * centre + north,
        np.float32(0.25) * diagonal,
        np.float32(0.5) * (east - west),
        np.float32(0.5) * (south - north),
    )


def _centre_share(
    dxx: FloatArray, dyy: FloatArray, dxy: FloatArray, dx: FloatArray, dy: FloatArray
) -> FloatArray:
    """Give, per pixel, its share of line-centre length (see ``_ridges``), from the image's
    derivatives at the σ where its valley is strongest.

    For the Hessian [[a, b], [b, c]], λ = ½(a + c) + √(¼(a − c)² + b²), and (b, λ − a) and
    (λ − c, b) are both its eigenvectors; their sum (or difference, for b < 0) never vanishes
    unless the Hessian is a multiple of the identity (no direction: no line centre), so
    t² = (∇I·v)² / (λ²|v|²) needs no angles.
    """
    half_trace = 0.5 * (dxx + dyy)
    larger = half_trace + np.sqrt(np.square(0.5 * (dxx - dyy)) + np.square(dxy))
    sign = np.where(dxy < 0, np.float32(-1.0), np.float32(1.0))
    vx = dxy + sign * (larger - dyy)
    vy = (larger - dxx) + sign * dxy
    norm2 = np.square(vx) + np.square(vy)
    slope = dx * vx + dy * vy
    with np.errstate(divide="ignore", invalid="ignore"):
        t2 = np.square(slope) / (np.square(larger) * norm2)
    spread2 = np.float32(_CENTRE_SPREAD_PX**2)
    share = np.exp(np.float32(-0.5) * t2 / spread2)
    share *= np.float32(1.0 / (math.sqrt(2.0 * math.pi) * _CENTRE_SPREAD_PX))
    near = (larger > 0) & (norm2 > 0) & (t2 <= 9.0 * spread2)
    return np.asarray(np.where(near, share, 0.0), dtype=np.float32)


def detect_lines(
    found: Ridges,
    *,
    contrast_percent: float = LINE_CONTRAST_PERCENT,
    min_length_px: float = MIN_LINE_LENGTH_PX,
) -> tuple[FloatArray, FloatArray]:
    """Give each pixel's weight as a line pixel (0–1) and its share of the lines' length.

    A line is a connected region of ridges at least ``contrast_percent`` strong whose centre line
    is at least ``min_length_px`` long. Both limits are soft, so that a line just at a limit
    does not flip in and out between two photos: a pixel's weight rises linearly from 0 at
    ``LINE_CONTRAST_SOFTNESS`` below the contrast to 1 as far above it, and a region's from 0 at
    ``LINE_LENGTH_SOFTNESS`` below the length to 1 as far above it (a region's length is the sum
    of its centre-line pixels' lengths, each weighed by its contrast weight). A pixel's weight is
    the product of the two; its length (``Ridges.centre_length_px``) is weighed alike.
    """
    low = contrast_percent - LINE_CONTRAST_SOFTNESS
    high = contrast_percent + LINE_CONTRAST_SOFTNESS
    weight = np.clip((found.strength - low) / (high - low), 0.0, 1.0).astype(np.float32)
    count, labels = cv2.connectedComponents((weight > 0).astype(np.uint8), connectivity=8)
    length = found.centre_length_px * weight
    centre = np.flatnonzero(length)  # the only pixels with a length: a few % of the image
    per_line = np.bincount(labels.ravel()[centre], weights=length.ravel()[centre], minlength=count)
    shortest = min_length_px * (1.0 - LINE_LENGTH_SOFTNESS)
    longest = min_length_px * (1.0 + LINE_LENGTH_SOFTNESS)
    kept = np.clip((per_line - shortest) / (longest - shortest), 0.0, 1.0).astype(np.float32)
    kept[0] = 0.0  # the background
    kept_at = kept[labels]
    weight *= kept_at
    length *= kept_at
    return weight, length


def band_pass(
    contrast: FloatArray, sigmas_px: tuple[float, float] = TEXTURE_SIGMAS_PX
) -> FloatArray:
    """Give the difference of two Gaussian blurs of the contrast map (fine detail only)."""
    return _band_pass(functools.partial(gaussian_blur, contrast), sigmas_px)


def _band_pass(blurred: Blurred, sigmas_px: tuple[float, float]) -> FloatArray:
    fine, coarse = sigmas_px
    return np.asarray(blurred(fine) - blurred(coarse), dtype=np.float32)


def ita_degrees(
    lightness: NDArray[np.floating[Any]], b_star: NDArray[np.floating[Any]]
) -> FloatArray:
    """Give the individual typology angle ITA° = atan2(L* − 50, b*)·180/π (Chardon et al. 1991)."""
    # float64: float32 arctan2 may differ in its last bit between runs (vectorised code paths),
    # and a re-analysis of the same photo must give the same numbers.
    angle = np.subtract(lightness, 50.0, dtype=np.float64)  # one float64 array, worked in place
    np.arctan2(angle, np.asarray(b_star, dtype=np.float64), out=angle)
    np.degrees(angle, out=angle)
    return angle.astype(np.float32)


def _evenness_maps(lab: FloatArray, contrast: FloatArray) -> dict[str, FloatArray]:
    """Give L* and ITA° band-passed between ``EVENNESS_SIGMAS_PX`` (fine, coarse).

    When the coarse σ is ``SHADING_SIGMA_PX``, L*'s wide blur is already in the relative contrast
    c (%), as ℓ = (L* + 16)/116 is linear in L*: L* − G(L*) = (L* + 16)·c/(100 + c).
    """
    fine, coarse = EVENNESS_SIGMAS_PX
    lightness = lab[:, :, 0]
    if coarse == SHADING_SIGMA_PX:
        detail = (lightness + np.float32(16.0)) * contrast / (np.float32(100.0) + contrast)
    else:
        detail = lightness - wide_gaussian_blur(lightness, coarse)
    ita = ita_degrees(lightness, lab[:, :, 2])
    ita_detail = ita - wide_gaussian_blur(ita, coarse)
    return {
        "even_lightness": gaussian_blur(detail, fine),
        "even_ita": gaussian_blur(ita_detail, fine),
    }


def zone_metrics(maps: SkinMaps, mask: BoolArray) -> ZoneMetrics:
    """Reduce the maps over one zone mask; None for every metric below ``MIN_ZONE_PIXELS``."""
    return _ZonePixels.of(maps, mask).metrics()


@dataclass(frozen=True)
class _ZonePixels:
    """The values of the skin maps at the pixels of one zone, one entry per pixel."""

    lightness: FloatArray
    a_star: FloatArray
    even_lightness: FloatArray
    even_ita: FloatArray
    ridge: FloatArray
    line_weight: FloatArray
    line_length_px: FloatArray
    texture: FloatArray

    @classmethod
    def of(cls, maps: SkinMaps, mask: BoolArray) -> _ZonePixels:
        return cls.at(maps, np.flatnonzero(mask))

    @classmethod
    def at(cls, maps: SkinMaps, inside: NDArray[np.intp]) -> _ZonePixels:
        """Read each map once, at the flat indices ``inside`` only."""

        def read(image: FloatArray) -> FloatArray:
            return np.take(image.reshape(-1, *image.shape[2:]), inside, axis=0)

        lab = read(maps.lab)
        return cls(
            lightness=lab[:, 0],
            a_star=lab[:, 1],
            even_lightness=read(maps.even_lightness),
            even_ita=read(maps.even_ita),
            ridge=read(maps.ridge),
            line_weight=read(maps.line_weight),
            line_length_px=read(maps.line_length_px),
            texture=read(maps.texture),
        )

    def part(self, pixels: slice) -> _ZonePixels:
        """The values of some of the zone's pixels (views, no copy)."""
        return _ZonePixels(**{f.name: getattr(self, f.name)[pixels] for f in fields(self)})

    def metrics(self) -> ZoneMetrics:
        """Give the zone's metrics; None for every metric below ``MIN_ZONE_PIXELS``."""
        area_px = self.ridge.size
        if area_px < MIN_ZONE_PIXELS:
            return dict.fromkeys(METRICS)
        length_cm = float(self.line_length_px.sum()) * CM_PER_PX
        return {
            "wrinkle_index": float(self.ridge.mean()),
            "line_density": float(self.line_weight.sum(dtype=np.float64)) / area_px,
            "line_length_cm_per_cm2": length_cm / (area_px * CM2_PER_PX),
            "texture_roughness": float(self.texture.std()),
            "radiance": float(self.lightness.mean()),
            "evenness_l_iqr": _interquartile_range(self.even_lightness),
            "evenness_ita_iqr": _interquartile_range(self.even_ita),
            "redness": float(self.a_star.mean()),
        }


def _interquartile_range(values: NDArray[np.floating[Any]]) -> float:
    """Give the 75th minus the 25th percentile of ``values`` (1-D, not empty).

    The percentiles are ``np.percentile``'s (linear interpolation between the closest ranks),
    found with one partial sort at the four ranks they need: on the values of a zone this takes
    about half the time of ``np.percentile``, which also places the minimum and maximum and
    checks for NaN.
    """
    last = values.size - 1
    positions = (0.25 * last, 0.75 * last)
    ranks = sorted({min(math.floor(p) + step, last) for p in positions for step in (0, 1)})
    ranked = np.partition(values, ranks)

    def percentile(position: float) -> float:
        low = math.floor(position)
        below, above = float(ranked[low]), float(ranked[min(low + 1, last)])
        return below + (above - below) * (position - low)

    return percentile(positions[1]) - percentile(positions[0])
