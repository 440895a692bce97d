"""Alignment of one photo of a face onto another of the same face, weeks apart.

A similarity transform (rotation, uniform scale, shift) is fitted, with RANSAC, to landmarks that
facial massage does not move: the eye corners and the bony nose (bridge, dorsum, tip). Never the
jaw, cheeks or mouth — those are what the comparison measures, and aligning on them would hide
the change. The residual of the fit, in units of the inter-pupillary distance, tells whether the
two faces line up at all (same person, same expression, similar pose).
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import FaceLandmarks

# Eye corners (outer 33/263, inner 133/362) sit on the orbital bones; 168 (between the eyes),
# 6, 197, 195, 5 (bridge and dorsum) and 4, 1 (tip) on the nasal bones and septum cartilage.
STABLE_LANDMARKS: tuple[int, ...] = (33, 133, 362, 263, 168, 6, 197, 195, 5, 4, 1)

# RANSAC inlier threshold, in inter-pupillary distances of the reference face. Re-detecting one
# photo after rotating, rescaling (0.5-1.5×) or shifting it moves these points by up to 0.05 IPD
# (the nose tip and dorsum most, the eye corners least), so only a point farther off than
# 0.08 IPD after the fit is treated as an outlier; a tighter threshold throws away good points
# and lets the scale drift by up to 5 % on such retakes instead of 2 %.
RANSAC_THRESHOLD_IPD = 0.08


def alignment_transform(reference: FaceLandmarks, moving: FaceLandmarks) -> NDArray[np.float64]:
    """Give the 2 × 3 similarity that maps the ``moving`` face's pixels onto ``reference``'s.

    Raises ``ValueError`` when no similarity can be fitted (degenerate landmarks).
    """
    source = moving.points[list(STABLE_LANDMARKS), :2].astype(np.float64)
    target = reference.points[list(STABLE_LANDMARKS), :2].astype(np.float64)
    transform, _ = cv2.estimateAffinePartial2D(
        source,
        target,
        method=cv2.RANSAC,
        ransacReprojThreshold=RANSAC_THRESHOLD_IPD * reference.ipd_px,
        maxIters=2000,
        confidence=0.999,
        refineIters=10,
    )
    if transform is None:
        raise ValueError("the two faces' stable landmarks admit no similarity transform")
    return np.asarray(transform, dtype=np.float64)


def alignment_error(
    reference: FaceLandmarks,
    moving: FaceLandmarks,
    transform: NDArray[np.float64] | None = None,
) -> float:
    """Give the root-mean-square distance between the stable landmarks after alignment, in
    inter-pupillary distances of the reference face (0.01 ≈ 0.6 mm on an adult face).

    Every stable landmark counts, RANSAC outliers included: a point that does not line up is
    exactly what makes a pair not comparable.
    """
    if transform is None:
        transform = alignment_transform(reference, moving)
    source = moving.points[list(STABLE_LANDMARKS), :2]
    target = reference.points[list(STABLE_LANDMARKS), :2]
    mapped = source @ transform[:, :2].T + transform[:, 2]
    rms = float(np.sqrt(np.mean(np.sum((mapped - target) ** 2, axis=1))))
    return rms / reference.ipd_px


def align_image(
    rgb: NDArray[np.uint8], transform: NDArray[np.float64], size: tuple[int, int]
) -> NDArray[np.uint8]:
    """Give ``rgb`` resampled through ``transform`` onto a canvas of ``size`` (width, height).

    Parts of the canvas that the moving photo does not cover are black.
    """
    width, height = size
    warped = cv2.warpAffine(
        np.ascontiguousarray(rgb),
        np.asarray(transform, dtype=np.float64),
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    return np.asarray(warped, dtype=np.uint8)
