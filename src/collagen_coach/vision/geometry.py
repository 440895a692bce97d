"""Scale-free shape measures of the lower and mid face, from the landmarks, per side.

All lengths are fractions of the inter-pupillary distance (IPD, the distance between the iris
centres 468 and 473; about 6.3 cm on an adult, so 0.01 IPD ≈ 0.6 mm), measured on the landmarks
turned upright (the iris line level), so head tilt does not change them and camera distance
and resolution cancel out. Turning the head (yaw, pitch) does change them: compare only photos
that the quality gate passed, with a similar pose.

These are proxies read off a 2-D photo, not measurements of tissue. FaceMesh fits a learned face
shape to the image and smooths what it sees: when the lower face of a real photo is warped down
by 4 % of the face height, the jaw landmarks follow by about half that, nearly uniformly. What
that means for each measure (tests/vision/test_geometry.py):

==================  =====================================  =====================================
measure             same photo turned ±5° or resized        response to a 4 % sag of the lower
                    0.5-2× (largest change seen)            face (0 % → 4 %)
==================  =====================================  =====================================
jawline_sag         0.009 IPD                               +0.004 to +0.008 IPD
jowl_position       0.037 IPD                               +0.02 to +0.04 IPD
malar_height        0.030                                   none (the cheekbones were not moved)
==================  =====================================  =====================================

So a single pair of photos resolves only a large change; trends over many photos do better.

``face_geometry`` gives, per zone and side (the subject's own left and right):

- ``jawline.jawline_sag`` — how far the jaw contour (face-oval points from the jaw angle, 58, to
  the chin, 152) bows out below the straight line between those two ends: the area between
  contour and line divided by the line's length, i.e. the mean depth of the bow, in IPD. A
  jowl hanging below the jaw border deepens the bow. Lower is firmer.
- ``jawline.jowl_position`` — how far below the mouth corner (61 / 291) the jaw contour's bulge
  hangs: the height of the contour points between jaw angle and chin, each weighted by how far
  it bows out below the jaw-angle-to-chin line, minus the mouth corner's height, in IPD,
  positive downward. Lower is higher-set (better).
- ``cheeks.malar_height`` — where the cheekbone points (116, 117, 118, 50, 101, 123 and mirror)
  sit between the mouth corner (0) and the eye (1, the mean of the eye corners' heights):
  (y_mouth − y_cheek) / (y_mouth − y_eye). Higher is more lifted.

``nasolabial_depth`` reads the image: the L* contrast of the fold across the line from the nose
wing to the mouth corner against the skin a fixed distance either side of it (a Weber contrast,
0 for no fold; higher is deeper).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage
from skimage import color

from collagen_coach.vision.face import SIDES, FaceLandmarks, NormalisedFace, Side

RIGHT_IRIS, LEFT_IRIS = 468, 473
# Jaw contour, jaw angle to chin, on FACEMESH_FACE_OVAL.
JAW_CONTOUR: dict[Side, tuple[int, ...]] = {
    "right": (58, 172, 136, 150, 149, 176, 148, 152),
    "left": (288, 397, 365, 379, 378, 400, 377, 152),
}
MOUTH_CORNER: dict[Side, int] = {"right": 61, "left": 291}
EYE_CORNERS: dict[Side, tuple[int, int]] = {"right": (33, 133), "left": (263, 362)}
CHEEKBONE: dict[Side, tuple[int, ...]] = {
    "right": (116, 117, 118, 50, 101, 123),
    "left": (345, 346, 347, 280, 330, 352),
}
NOSE_WING: dict[Side, int] = {"right": 129, "left": 358}
NOSE_TIP = 1

# Nasolabial profiles: perpendicular to the nose-wing → mouth-corner line, at evenly spaced
# points from 20 % to 70 % of the way (nearer the ends they run into the nostril or the lips).
# The fold lies on or lateral to that straight line, more so toward the mouth (up to 0.15 IPD
# ≈ 1 cm), so the fold is looked for between −0.04 and +0.16 IPD.
NASOLABIAL_SPAN = (0.2, 0.7)
NASOLABIAL_PROFILES = 11
NASOLABIAL_VALLEY_IPD = (-0.04, 0.16)
# Each point of the valley range is compared with the skin 0.08 IPD (≈ 5 mm) either side of it:
# about half the width of the fold's dark groove on biden2.jpg (0.15 IPD across), so the
# shoulders are skin beside the fold, yet a fixed distance, so the contrast does not depend on
# how far a profile reaches nor on where its brightest point happens to fall. On biden2.jpg,
# comparing with the profile's brightest points either side instead moved a side's value by up
# to 41 % when the photo was taken 25 % smaller; at a fixed distance, by under 3 %.
NASOLABIAL_SHOULDER_IPD = 0.08
# Profiles are read every 0.004 IPD (about a pixel of the normalised face), between pixels by
# bilinear interpolation.
NASOLABIAL_STEP_IPD = 0.004
# L* is smoothed first so that pores and noise are not taken for the fold (σ ≈ 0.6 mm).
NASOLABIAL_SMOOTHING_IPD = 0.01


def face_geometry(landmarks: FaceLandmarks) -> dict[str, dict[Side, dict[str, float]]]:
    """Give the geometric measures per zone and side (see the module's documentation)."""
    points = upright_points(landmarks)
    ipd = float(np.linalg.norm(points[LEFT_IRIS] - points[RIGHT_IRIS]))
    if not ipd > 0:
        raise ValueError("the iris centres coincide: these landmarks are not a face")
    result: dict[str, dict[Side, dict[str, float]]] = {"jawline": {}, "cheeks": {}}
    for side in SIDES:
        sag, bulge_y = _jaw_bow(points[list(JAW_CONTOUR[side])], points)
        mouth_y = points[MOUTH_CORNER[side], 1]
        result["jawline"][side] = {
            "jawline_sag": sag / ipd,
            "jowl_position": (bulge_y - mouth_y) / ipd,
        }
        eye_y = float(np.mean(points[list(EYE_CORNERS[side]), 1]))
        cheek_y = float(np.mean(points[list(CHEEKBONE[side]), 1]))
        result["cheeks"][side] = {"malar_height": (mouth_y - cheek_y) / (mouth_y - eye_y)}
    return result


def upright_points(landmarks: FaceLandmarks) -> NDArray[np.float64]:
    """Give the landmarks' x, y turned about the iris midpoint so that the iris line is level."""
    xy = landmarks.points[:, :2]
    right, left = xy[RIGHT_IRIS], xy[LEFT_IRIS]
    angle = math.atan2(left[1] - right[1], left[0] - right[0])
    cos, sin = math.cos(-angle), math.sin(-angle)
    centre = (right + left) / 2
    rotation = np.array([[cos, -sin], [sin, cos]])
    upright: NDArray[np.float64] = (xy - centre) @ rotation.T + centre
    return upright


def _jaw_bow(contour: NDArray[np.float64], points: NDArray[np.float64]) -> tuple[float, float]:
    """Give the mean outward depth of the contour below its chord (pixels), and the height
    (image y) of its bulge: the contour's y weighted by each point's outward depth."""
    start, end = contour[0], contour[-1]
    chord = end - start
    length = float(np.linalg.norm(chord))
    normal = np.array([chord[1], -chord[0]]) / length
    # Outward: away from the face's centre (the midpoint of the nose bridge and chin).
    centre = (points[168] + points[152]) / 2
    if float(np.dot(centre - start, normal)) > 0:
        normal = -normal
    depth = (contour - start) @ normal
    # Area between the contour and its chord (trapezoids along the chord), over the chord's
    # length: the mean depth.
    along = (contour - start) @ (chord / length)
    area = float(np.sum((depth[1:] + depth[:-1]) / 2 * np.diff(along)))
    weights = np.clip(depth[1:-1], 0.0, None)
    inner = contour[1:-1, 1]
    bulge_y = (
        float(np.average(inner, weights=weights)) if weights.sum() > 0 else float(inner.mean())
    )
    return area / length, bulge_y


def nasolabial_depth(face: NormalisedFace) -> dict[Side, float]:
    """Give the nasolabial fold's shading contrast per side: 0 for none, higher for deeper.

    Profiles of smoothed CIELAB L* are read across the line from the nose wing (129 / 358) to
    the mouth corner (61 / 291). At each point of a profile where the fold may lie, its contrast
    is how far L* there lies below the mean of L* ``NASOLABIAL_SHOULDER_IPD`` either side of it
    (upper-lip skin medially, cheek laterally), as a fraction of that mean (a Weber contrast);
    the profile's depth is the largest such contrast, 0 where no point is darker than its two
    sides. An even shading gradient across the fold cancels in the mean of the two sides. The
    side's value is the mean over profiles. Shading depends on the light as much as on the fold:
    compare only photos taken in the same light. A side is left out when the photo does not
    show it.
    """
    points = face.landmarks.points[:, :2]
    ipd = face.landmarks.ipd_px
    low, high = NASOLABIAL_VALLEY_IPD
    shoulder_steps = round(NASOLABIAL_SHOULDER_IPD / NASOLABIAL_STEP_IPD)
    valley_steps = round((high - low) / NASOLABIAL_STEP_IPD)
    offsets = (
        low + NASOLABIAL_STEP_IPD * np.arange(-shoulder_steps, valley_steps + shoulder_steps + 1)
    ) * ipd
    height, width = face.valid.shape
    profiles: dict[Side, list[NDArray[np.float64]]] = {}
    for side in SIDES:
        start, end = points[NOSE_WING[side]], points[MOUTH_CORNER[side]]
        direction = end - start
        length = float(np.linalg.norm(direction))
        if not length > 0:
            continue
        across = np.array([-direction[1], direction[0]]) / length
        # Lateral is away from the nose tip.
        if float(np.dot(across, start - points[NOSE_TIP])) < 0:
            across = -across
        for t in np.linspace(*NASOLABIAL_SPAN, NASOLABIAL_PROFILES):
            samples = start + t * direction + offsets[:, None] * across[None, :]
            rows, cols = np.round(samples[:, 1]).astype(int), np.round(samples[:, 0]).astype(int)
            inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
            if inside.all() and face.valid[rows, cols].all():
                profiles.setdefault(side, []).append(samples)
    if not profiles:
        return {}
    # L* only where the profiles run, with room for the smoothing kernel.
    sigma = NASOLABIAL_SMOOTHING_IPD * ipd
    every = np.vstack([s for side_profiles in profiles.values() for s in side_profiles])
    margin = math.ceil(4 * sigma) + 2
    x0 = max(0, math.floor(every[:, 0].min()) - margin)
    y0 = max(0, math.floor(every[:, 1].min()) - margin)
    x1 = min(width, math.ceil(every[:, 0].max()) + margin + 1)
    y1 = min(height, math.ceil(every[:, 1].max()) + margin + 1)
    lightness = color.rgb2lab(face.image[y0:y1, x0:x1])[:, :, 0]
    lightness = ndimage.gaussian_filter(lightness, sigma=sigma)
    result: dict[Side, float] = {}
    for side, side_profiles in profiles.items():
        depths = []
        for samples in side_profiles:
            profile = ndimage.map_coordinates(
                lightness, [samples[:, 1] - y0, samples[:, 0] - x0], order=1
            )
            valley = profile[shoulder_steps:-shoulder_steps]
            beside = (profile[: -2 * shoulder_steps] + profile[2 * shoulder_steps :]) / 2
            contrast = np.where(beside > 0, 1.0 - valley / np.maximum(beside, 1e-9), 0.0)
            depths.append(max(float(contrast.max()), 0.0))
        result[side] = float(np.mean(depths))
    return result
