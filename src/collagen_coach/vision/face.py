"""The values photo analysis passes around: landmarks, pose, a normalised face, problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

# Every texture metric is computed with the face resampled so that the distance between the
# iris centres is this many pixels: metrics then do not depend on camera resolution or distance.
# One normalised pixel is ≈0.33 mm of an average face; lines and texture are read at the detail
# of a photo with MIN_NATIVE_IPD_PX between the eyes (``skin``), whose pixels are 1.5 normalised
# pixels wide, so every detail they read spans at least a pixel and a half here. (Until version
# 2.1 of the analysis the scale was 256 px: twice the pixels for the same detail, and a third
# more of the analysis's time; every judged measure is as repeatable at 192, docs/precision.md.)
NORMALISED_IPD_PX = 192.0
# Skin metrics look at detail down to ≈0.25 mm (fine lines, pores: a Gaussian of σ ≈ 1 pixel of a
# photo with 256 px between the eyes). A photo with fewer than 128 px between the iris centres
# has pixels of ≈0.5 mm: that detail is then interpolated rather than measured, so the quality
# gate holds photos to 128 px and the skin metrics bring every photo to that resolution. A phone
# photo of a face at arm's length has 300–600 px between the pupils.
MIN_NATIVE_IPD_PX = 128.0
# Mean adult inter-pupillary distance, to express lengths and areas in centimetres.
MEAN_IPD_CM = 6.3


@dataclass(frozen=True)
class FaceLandmarks:
    """MediaPipe FaceMesh's 478 points for one face.

    ``points[:, 0:2]`` are x, y in pixels of the image the face was found in; ``points[:, 2]``
    is MediaPipe's relative depth scaled to the same pixel units (z * image width).
    """

    points: NDArray[np.float64]  # shape (478, 3)
    image_size: tuple[int, int]  # (width, height) of that image

    @property
    def ipd_px(self) -> float:
        """Give the distance between the iris centres (points 468 and 473) in pixels."""
        return float(np.linalg.norm(self.points[468, :2] - self.points[473, :2]))


@dataclass(frozen=True)
class Pose:
    """Head pose in degrees; 0, 0, 0 is looking straight into the camera, head upright.

    yaw > 0: the face turned toward the subject's left; pitch > 0: chin up; roll > 0: head
    tilted toward the subject's left shoulder.
    """

    yaw: float
    pitch: float
    roll: float


@dataclass(frozen=True)
class NormalisedFace:
    """A face resampled upright (roll removed) with the iris centres ``NORMALISED_IPD_PX`` apart.

    ``transform`` is the 2×3 affine matrix from the source photo's pixels to this image's.
    ``valid`` marks the pixels that come from inside the photo; the rest (where the crop runs
    past the photo's edge) is black fill that no measurement may use.
    """

    image: NDArray[np.uint8]  # RGB, shape (h, w, 3)
    landmarks: FaceLandmarks  # in this image's pixels
    native_ipd_px: float  # the inter-pupillary distance in the source photo
    transform: NDArray[np.float64]  # shape (2, 3)
    valid: NDArray[np.bool_]  # shape (h, w)


@dataclass(frozen=True)
class Problem:
    """Why a photo cannot be measured, or measured as well as it should be.

    ``value`` and ``threshold`` are the measurement and the limit it broke (None where there is
    no number, e.g. ``no_face``); ``hint`` is one line a person can act on.
    """

    id: str
    hint: str
    value: float | None = None
    threshold: float | None = None
    detail: dict[str, float] = field(default_factory=dict)


class PhotoProblem(Exception):
    """A photo that cannot be analysed at all (not an image, too large, no face …)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(f"{problem.id}: {problem.hint}")
