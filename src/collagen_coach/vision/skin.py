"""Skin metrics per zone and side: wrinkles, texture, radiance, evenness and redness.

Everything is measured on the normalised face (iris centres ``NORMALISED_IPD_PX`` apart), so
lengths in pixels mean the same on every photo: one pixel is ``CM_PER_PX`` cm on an average
adult face (``MEAN_IPD_CM`` / ``NORMALISED_IPD_PX`` ≈ 0.25 mm). The image is converted once to
CIELAB (sRGB, D65; ``cielab``, the formulas of ``skimage.color.rgb2lab`` in float32); every
filter runs once over the face and is then reduced per zone mask.

Lines and texture are measured on *relative lightness contrast*: the lightness of each pixel
relative to its surroundings, ``100·(ℓ / G_σ(ℓ) − 1)`` in percent, with ℓ = (L* + 16) / 116 =
(Y / Yn)^⅓ and G_σ a wide Gaussian blur (σ = ``SHADING_SIGMA_PX``). Dividing by the blur removes
slow shading across the face, and because ℓ is a power of luminance, a brighter or dimmer light
(luminance × k) cancels out: wrinkle and texture numbers do not follow the exposure. Radiance,
evenness and redness are absolute CIELAB values and do follow the light; the quality gate holds
the light steady and reports say so.

Ridges are found with the Hessian line measure of Sato et al. (1998, "Three-dimensional
multi-scale line filter for segmentation and visualization of curvilinear structures in medical
images", Medical Image Analysis 2(2):143–168; ``skimage.filters.sato`` in 2-D): σ² × the larger
Hessian eigenvalue where positive (a dark valley), the maximum over several σ.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage import morphology

from collagen_coach.vision.face import MEAN_IPD_CM, NORMALISED_IPD_PX, SIDES, NormalisedFace, Side

FloatArray = NDArray[np.float32]
BoolArray = NDArray[np.bool_]
# Zhang–Suen-style thinning to one-pixel centre lines (scikit-image ships it untyped).
_skeletonize: Callable[[BoolArray], BoolArray] = morphology.skeletonize
ZoneMetrics = dict[str, float | None]
SkinMetrics = dict[str, dict[str, ZoneMetrics]]  # zone → "left"/"right"/"both" → metric → value

CM_PER_PX = MEAN_IPD_CM / NORMALISED_IPD_PX  # ≈ 0.0246 cm: one normalised pixel
CM2_PER_PX = CM_PER_PX**2

# Shading is flattened with a Gaussian of σ = 16 px (≈ 4 mm), 2.7 × the coarsest ridge σ below:
# dividing by it takes ≈7 % of the ridge response of the widest fold (σ = 6 px) and under 1 % of
# a fine line's, yet it is small enough to follow the curvature of a cheek or a brow ridge.
SHADING_SIGMA_PX = 16.0
# Ridge scales, in normalised pixels: fine lines are ≈1–2 px, folds ≈3–6 px at IPD 256
# (a line of profile width w is picked up best at σ = √2·w; neighbouring σ here differ by at most
# 2×, which loses at most 8 % of a line's peak response between scales).
RIDGE_SIGMAS_PX = (1.0, 2.0, 4.0, 6.0)
# The σ²-normalised response at the centre of a Gaussian-profile dark line of contrast A, at the
# best σ, is A · 2/(3√3) whatever the line's width; ridge strength divides by this, so it reads
# the contrast (in %) of the line through each pixel.
_PEAK_RESPONSE_PER_CONTRAST = 2.0 / (3.0 * math.sqrt(3.0))
# A line is a ridge at least 5 % darker than the skin beside it (≈ ΔL* 4 on skin of L* 70, about
# twice the just-noticeable colour difference ΔE*ab ≈ 2.3; Mahy et al. 1994) …
LINE_CONTRAST_PERCENT = 5.0
# … and at least 2 mm long (≈ 8 px): shorter dark marks are pores and specks, not lines.
MIN_LINE_LENGTH_PX = 2.0 / 10.0 / CM_PER_PX
# Texture: difference of Gaussians between σ = 1 and 4 px (≈ 0.25–1 mm: pores, fine grain),
# above pixel noise and below the shading flattening.
TEXTURE_SIGMAS_PX = (1.0, 4.0)
# A zone needs 400 px (≈ 0.24 cm², a 5 × 5 mm square) to be measured: smaller, a single blemish or
# a stray eyebrow hair decides the numbers. Fewer pixels give None.
MIN_ZONE_PIXELS = 400
# Filters see this far beyond the zones: 3 σ of the widest Gaussian.
_MARGIN_PX = math.ceil(3 * SHADING_SIGMA_PX)

# sRGB (IEC 61966-2-1) decoding, its RGB→XYZ matrix and D65 white (the values scikit-image's
# rgb2lab uses), and the CIE 1976 L*a*b* constants.
_CODES = np.arange(256, dtype=np.float64) / 255.0
_SRGB_TO_LINEAR = np.where(
    _CODES <= 0.04045, _CODES / 12.92, ((_CODES + 0.055) / 1.055) ** 2.4
).astype(np.float32)
_XYZ_FROM_RGB = np.array(
    [[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]]
)
_D65_WHITE = np.array([0.95047, 1.0, 1.08883])
_XYZN_FROM_RGB_T = (_XYZ_FROM_RGB / _D65_WHITE[:, None]).T.astype(np.float32)
_LUMINANCE_WEIGHTS = _XYZ_FROM_RGB[1].astype(np.float32)
_LAB_EPSILON = 216.0 / 24389.0
_LAB_KAPPA = 24389.0 / 27.0


@dataclass(frozen=True)
class MetricInfo:
    """What a skin metric measures, its unit, and which way is better.

    ``follows_light`` marks the metrics that change with the light as well as with the skin:
    compare them only between photos that pass the quality gate in the same place and light.
    """

    measures: str
    unit: str
    better: Literal["lower", "higher", "neither"]
    follows_light: bool


METRICS: dict[str, MetricInfo] = {
    "wrinkle_index": MetricInfo(
        measures=(
            "mean ridge strength over the zone: the contrast of dark lines (fine lines and "
            "folds, σ 1–6 px) averaged over every pixel, zero where there is no line"
        ),
        unit="% lightness contrast",
        better="lower",
        follows_light=False,
    ),
    "line_density": MetricInfo(
        measures=(
            f"share of the zone covered by lines at least {LINE_CONTRAST_PERCENT:g} % darker "
            "than the skin beside them and at least 2 mm long"
        ),
        unit="fraction of zone area (0–1)",
        better="lower",
        follows_light=False,
    ),
    "line_length_cm_per_cm2": MetricInfo(
        measures="total length of those lines (their centre lines) per area of the zone",
        unit="cm per cm² (cm from a mean inter-pupillary distance of 6.3 cm)",
        better="lower",
        follows_light=False,
    ),
    "texture_roughness": MetricInfo(
        measures=(
            "standard deviation of fine detail (difference of Gaussians, σ 1–4 px ≈ 0.25–1 mm): "
            "pores, grain and fine lines"
        ),
        unit="% lightness contrast",
        better="lower",
        follows_light=False,
    ),
    "radiance": MetricInfo(
        measures=(
            "mean CIELAB lightness L* of the zone: brighter, more luminous skin reads higher; "
            "so does a brighter light or exposure, which the gate bounds but cannot cancel"
        ),
        unit="L* (0–100)",
        better="higher",
        follows_light=True,
    ),
    "evenness_l_iqr": MetricInfo(
        measures=(
            "spread of lightness (interquartile range of L*): blotches, spots, and also shadows "
            "the light casts across the zone"
        ),
        unit="L* (0–100)",
        better="lower",
        follows_light=True,
    ),
    "evenness_ita_iqr": MetricInfo(
        measures=(
            "spread of skin tone (interquartile range of the individual typology angle "
            "ITA° = atan2(L* − 50, b*)·180/π; Chardon et al. 1991)"
        ),
        unit="degrees",
        better="lower",
        follows_light=True,
    ),
    "redness": MetricInfo(
        measures=(
            "mean CIELAB a* (green–red axis) of the zone: redness from blood flow, flushing or "
            "irritation; massage itself reddens skin for a while, so neither direction is better "
            "in itself; warm or cool light shifts it"
        ),
        unit="a*",
        better="neither",
        follows_light=True,
    ),
}


@dataclass(frozen=True)
class SkinMaps:
    """Per-pixel maps of a face image (or a window of it) that zone metrics are reduced from.

    ``lab`` is CIELAB; ``ridge`` the ridge strength in % contrast; ``lines`` the detected lines;
    ``line_length_px`` each line pixel's share of centre-line length; ``texture`` the
    band-passed contrast.
    """

    lab: FloatArray
    ridge: FloatArray
    lines: BoolArray
    line_length_px: FloatArray
    texture: FloatArray


def measure_skin(face: NormalisedFace, masks: dict[str, dict[Side, BoolArray]]) -> SkinMetrics:
    """Give every skin metric per zone, for the subject's left and right halves and both.

    ``masks`` holds, per zone id, a boolean mask the size of ``face.image`` for each side; "both"
    is their union. A mask with fewer than ``MIN_ZONE_PIXELS`` pixels gives None for every metric.
    The filters run once over the window that holds every zone (plus their reach).
    """
    height, width = face.image.shape[:2]
    union = np.zeros((height, width), dtype=bool)
    for sides in masks.values():
        for mask in sides.values():
            if mask.shape != (height, width):
                raise ValueError(f"zone mask of shape {mask.shape}, image is {(height, width)}")
            union |= mask
    results: SkinMetrics = {}
    if not union.any():
        return {zone: _empty_sides() for zone in masks}
    rows, cols = np.nonzero(union)
    top = max(0, int(rows.min()) - _MARGIN_PX)
    bottom = min(height, int(rows.max()) + 1 + _MARGIN_PX)
    left = max(0, int(cols.min()) - _MARGIN_PX)
    right = min(width, int(cols.max()) + 1 + _MARGIN_PX)
    window = (slice(top, bottom), slice(left, right))
    maps = skin_maps(fill_outside_photo(face.image[window], face.valid[window]))
    for zone, sides in masks.items():
        per_side: dict[str, ZoneMetrics] = {}
        both = np.zeros((bottom - top, right - left), dtype=bool)
        for side in SIDES:
            if side in sides:
                mask = sides[side][window]
                both |= mask
                per_side[side] = zone_metrics(maps, mask)
        per_side["both"] = zone_metrics(maps, both)
        results[zone] = per_side
    return results


def _empty_sides() -> dict[str, ZoneMetrics]:
    return {side: dict.fromkeys(METRICS) for side in (*SIDES, "both")}


def fill_outside_photo(rgb: NDArray[np.uint8], valid: BoolArray) -> NDArray[np.uint8]:
    """Give ``rgb`` with every pixel outside the photo mirrored in from inside it.

    Where a face runs off the edge of the photo, the normalised image is filled black; a filter
    reaching across that edge would read it as a deep dark line. Each outside pixel takes the
    value of its mirror image across the nearest photo edge (as ``cv2.BORDER_REFLECT`` does at
    an image's border), which keeps the skin's texture and adds no edge; where the mirror image
    is itself outside, the nearest inside pixel is used.
    """
    if valid.all() or not valid.any():
        return rgb
    _, nearest = ndimage.distance_transform_edt(~valid, return_indices=True)
    rows, cols = np.indices(valid.shape)
    mirror_rows = np.clip(2 * nearest[0] - rows, 0, valid.shape[0] - 1)
    mirror_cols = np.clip(2 * nearest[1] - cols, 0, valid.shape[1] - 1)
    inside = valid[mirror_rows, mirror_cols]
    source_rows = np.where(valid, rows, np.where(inside, mirror_rows, nearest[0]))
    source_cols = np.where(valid, cols, np.where(inside, mirror_cols, nearest[1]))
    return np.ascontiguousarray(rgb[source_rows, source_cols])


def skin_maps(rgb: NDArray[np.uint8]) -> SkinMaps:
    """Give the per-pixel maps of an sRGB image at the normalised scale."""
    lab = cielab(rgb)
    contrast = relative_contrast(lab[:, :, 0])
    ridge = ridge_strength(contrast)
    lines, length = detect_lines(ridge)
    return SkinMaps(
        lab=lab,
        ridge=ridge,
        lines=lines,
        line_length_px=length,
        texture=band_pass(contrast),
    )


def cielab(rgb: NDArray[np.uint8]) -> FloatArray:
    """Give CIELAB (L*, a*, b*; D65, 2°) of an 8-bit sRGB image, as ``skimage.color.rgb2lab``.

    The same formulas in float32, with the sRGB decoding from a 256-entry table: about three
    times faster than rgb2lab's float64, and within 0.001 of it.
    """
    xyz = _SRGB_TO_LINEAR[rgb] @ _XYZN_FROM_RGB_T
    f = np.where(xyz > _LAB_EPSILON, np.cbrt(xyz), (_LAB_KAPPA * xyz + 16.0) / 116.0)
    lab = np.empty_like(xyz)
    lab[..., 0] = 116.0 * f[..., 1] - 16.0
    lab[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return np.asarray(lab, dtype=np.float32)


def lightness(rgb: NDArray[np.uint8]) -> FloatArray:
    """Give CIELAB L* of an 8-bit sRGB image (D65), as ``skimage.color.rgb2lab`` computes it.

    Only the luminance is needed, so this linearises through a 256-entry table and skips a*, b*.
    """
    linear = _SRGB_TO_LINEAR[rgb]
    y = linear @ _LUMINANCE_WEIGHTS
    return np.asarray(
        np.where(y > _LAB_EPSILON, 116.0 * np.cbrt(y) - 16.0, _LAB_KAPPA * y), dtype=np.float32
    )


def relative_contrast(
    lightness: NDArray[np.floating[Any]], sigma_px: float = SHADING_SIGMA_PX
) -> FloatArray:
    """Give each pixel's lightness relative to its surroundings, in percent (0 = as around it).

    ``lightness`` is CIELAB L*. ℓ = (L* + 16)/116 is (Y/Yn)^⅓ (above the near-black toe), so a
    light k times brighter scales ℓ by k^⅓ everywhere and the ratio to its own blur is unchanged.
    """
    ell = (np.asarray(lightness, dtype=np.float32) + 16.0) / 116.0
    ell = np.maximum(ell, 1.0 / 116.0)  # L* = −15 at worst, never divide by zero
    background = _gaussian(ell, sigma_px)
    return np.asarray(100.0 * (ell / background - 1.0), dtype=np.float32)


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
    strongest = np.zeros_like(image)
    second = np.array([1.0, -2.0, 1.0], dtype=np.float32)
    first = np.array([-0.5, 0.0, 0.5], dtype=np.float32)
    centre = np.array([0.0, 1.0, 0.0], dtype=np.float32)
    for sigma in sigmas_px:
        smooth = _gaussian(image, sigma)
        dxx = cv2.sepFilter2D(smooth, -1, second, centre, borderType=cv2.BORDER_REFLECT)
        dyy = cv2.sepFilter2D(smooth, -1, centre, second, borderType=cv2.BORDER_REFLECT)
        dxy = cv2.sepFilter2D(smooth, -1, first, first, borderType=cv2.BORDER_REFLECT)
        half_trace = 0.5 * (dxx + dyy)
        radius = np.sqrt(0.25 * (dxx - dyy) ** 2 + dxy**2)
        valley = np.maximum(half_trace + radius, 0.0) * np.float32(sigma**2)
        np.maximum(strongest, valley, out=strongest)
    return np.asarray(strongest / np.float32(_PEAK_RESPONSE_PER_CONTRAST), dtype=np.float32)


def detect_lines(
    ridge: FloatArray,
    *,
    contrast_percent: float = LINE_CONTRAST_PERCENT,
    min_length_px: float = MIN_LINE_LENGTH_PX,
) -> tuple[BoolArray, FloatArray]:
    """Give the line pixels and, per pixel, its share of the lines' centre-line length.

    A line is a connected region of ridge strength ≥ ``contrast_percent`` whose skeleton is at
    least ``min_length_px`` long. Lengths count 1 px per horizontal or vertical step and √2 per
    diagonal step of the skeleton; each step is shared between its two end pixels.
    """
    above = ridge >= contrast_percent
    count, labels = cv2.connectedComponents(above.astype(np.uint8), connectivity=8)
    skeleton = _skeletonize(above)
    length = skeleton_length_map(skeleton)
    per_line = np.bincount(labels.ravel(), weights=length.ravel(), minlength=count)
    keep = per_line >= min_length_px
    keep[0] = False  # the background
    lines = keep[labels]
    return lines, np.where(lines, length, np.float32(0.0)).astype(np.float32)


def skeleton_length_map(skeleton: BoolArray) -> FloatArray:
    """Give each skeleton pixel half the length of the steps that join it to its neighbours.

    A diagonal step counts only where no horizontal-plus-vertical path joins the same two pixels,
    so a staircase is not counted twice; summing the map over a region gives the length inside it.
    """
    s = skeleton.astype(np.float32)
    length = np.zeros_like(s)
    horizontal = s[:, :-1] * s[:, 1:]
    vertical = s[:-1, :] * s[1:, :]
    length[:, :-1] += 0.5 * horizontal
    length[:, 1:] += 0.5 * horizontal
    length[:-1, :] += 0.5 * vertical
    length[1:, :] += 0.5 * vertical
    half_diagonal = np.float32(0.5 * math.sqrt(2.0))
    down = s[:-1, :-1] * s[1:, 1:] * (1 - s[:-1, 1:]) * (1 - s[1:, :-1])
    up = s[1:, :-1] * s[:-1, 1:] * (1 - s[:-1, :-1]) * (1 - s[1:, 1:])
    length[:-1, :-1] += half_diagonal * down
    length[1:, 1:] += half_diagonal * down
    length[1:, :-1] += half_diagonal * up
    length[:-1, 1:] += half_diagonal * up
    return length


def band_pass(
    contrast: FloatArray, sigmas_px: tuple[float, float] = TEXTURE_SIGMAS_PX
) -> FloatArray:
    """Give the difference of two Gaussian blurs of the contrast map (fine detail only)."""
    fine, coarse = sigmas_px
    return np.asarray(_gaussian(contrast, fine) - _gaussian(contrast, coarse), dtype=np.float32)


def ita_degrees(
    lightness: NDArray[np.floating[Any]], b_star: NDArray[np.floating[Any]]
) -> FloatArray:
    """Give the individual typology angle ITA° = atan2(L* − 50, b*)·180/π (Chardon et al. 1991)."""
    angle = np.degrees(np.arctan2(np.asarray(lightness) - 50.0, np.asarray(b_star)))
    return np.asarray(angle, dtype=np.float32)


def zone_metrics(maps: SkinMaps, mask: BoolArray) -> ZoneMetrics:
    """Reduce the maps over one zone mask; None for every metric below ``MIN_ZONE_PIXELS``."""
    inside = np.flatnonzero(mask)  # read each map once, at the zone's pixels only
    area_px = int(inside.size)
    if area_px < MIN_ZONE_PIXELS:
        return dict.fromkeys(METRICS)
    lab = maps.lab.reshape(-1, 3)[inside]
    lightness, a_star, b_star = lab[:, 0], lab[:, 1], lab[:, 2]
    l_q1, l_q3 = np.percentile(lightness, [25, 75])
    ita_q1, ita_q3 = np.percentile(ita_degrees(lightness, b_star), [25, 75])
    length_cm = float(maps.line_length_px.ravel()[inside].sum()) * CM_PER_PX
    return {
        "wrinkle_index": float(maps.ridge.ravel()[inside].mean()),
        "line_density": float(np.count_nonzero(maps.lines.ravel()[inside])) / area_px,
        "line_length_cm_per_cm2": length_cm / (area_px * CM2_PER_PX),
        "texture_roughness": float(maps.texture.ravel()[inside].std()),
        "radiance": float(lightness.mean()),
        "evenness_l_iqr": float(l_q3 - l_q1),
        "evenness_ita_iqr": float(ita_q3 - ita_q1),
        "redness": float(a_star.mean()),
    }


def _gaussian(image: NDArray[np.floating[Any]], sigma_px: float) -> FloatArray:
    source = np.asarray(image, dtype=np.float32)
    radius = max(1, math.ceil(4.0 * sigma_px))
    blurred = cv2.GaussianBlur(
        source, (2 * radius + 1, 2 * radius + 1), sigma_px, borderType=cv2.BORDER_REFLECT
    )
    return np.asarray(blurred, dtype=np.float32)
