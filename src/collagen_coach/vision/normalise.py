"""One face resampled upright and to a fixed scale, so that every measurement is independent of
camera resolution, distance and head tilt.

A similarity transform (rotation, uniform scale, shift) levels the line between the iris centres
and makes their distance ``ipd_px`` pixels. The crop holds the whole face mesh with room around
it: above the mesh's upper edge (which lies below the hairline) for the forehead, and below the
chin for the neck. Parts of the crop that fall outside the photo are filled black and marked in
``NormalisedFace.valid``, so that no zone mask ever covers them.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import NORMALISED_IPD_PX, FaceLandmarks, NormalisedFace

# Room around the face mesh, as fractions of the mesh's height (forehead top, point 10, to the
# chin, point 152 — about 2.1 inter-pupillary distances on an adult face):
SIDE_MARGIN = 0.12  # beside the cheeks: the face oval plus a little background
TOP_MARGIN = 0.15  # above the mesh: the upper forehead up to the hairline
NECK_MARGIN = 0.6  # below the chin: the neck, down to about the collarbones' height

RIGHT_IRIS_CENTRE = 468  # the subject's right eye: on the left of a photo that is not mirrored
LEFT_IRIS_CENTRE = 473
MESH_POINTS = 468  # the mesh proper, without the iris points


def normalise_face(
    rgb: NDArray[np.uint8], landmarks: FaceLandmarks, *, ipd_px: float = NORMALISED_IPD_PX
) -> NormalisedFace:
    """Give the face resampled upright with its iris centres ``ipd_px`` pixels apart.

    The landmarks come along into the new image's pixels (their depth scaled alike); the crop's
    size follows the face's proportions, about 2.7 IPD wide and 4.3 IPD high.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"expected an 8-bit RGB image, got {rgb.dtype} of shape {rgb.shape}")
    native_ipd = landmarks.ipd_px
    transform, (width, height) = _canvas(landmarks, ipd_px)
    image = _warp(rgb, transform, (width, height))
    points = landmarks.points.copy()
    points[:, :2] = _apply(transform, landmarks.points[:, :2])
    points[:, 2] *= ipd_px / native_ipd
    return NormalisedFace(
        image=image,
        landmarks=FaceLandmarks(points=points, image_size=(width, height)),
        native_ipd_px=native_ipd,
        transform=transform,
        valid=_inside_photo(transform, (width, height), rgb.shape[1], rgb.shape[0]),
    )


def source_region(
    landmarks: FaceLandmarks, *, ipd_px: float = NORMALISED_IPD_PX
) -> tuple[float, float, float, float]:
    """Give the part of the photo :func:`normalise_face` resamples, in the landmarks' pixels.

    (left, top, right, bottom), before clipping to the photo: the upright canvas seen through
    the inverse of its transform, so a photo decoded only there gives the same normalised face.
    """
    transform, (width, height) = _canvas(landmarks, ipd_px)
    corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], dtype=np.float64)
    source = _apply(_inverse(transform), corners)
    return (
        float(source[:, 0].min()),
        float(source[:, 1].min()),
        float(source[:, 0].max()),
        float(source[:, 1].max()),
    )


def _canvas(landmarks: FaceLandmarks, ipd_px: float) -> tuple[NDArray[np.float64], tuple[int, int]]:
    """Give the photo-to-canvas transform and the canvas's (width, height)."""
    native_ipd = landmarks.ipd_px
    if not native_ipd > 0:
        raise ValueError("the iris centres coincide: these landmarks are not a face")
    rotation_scale = _level_and_scale(landmarks.points, ipd_px / native_ipd)
    mesh = _apply(rotation_scale, landmarks.points[:MESH_POINTS, :2])
    top, bottom = mesh[:, 1].min(), mesh[:, 1].max()
    face_height = bottom - top
    left = mesh[:, 0].min() - SIDE_MARGIN * face_height
    right = mesh[:, 0].max() + SIDE_MARGIN * face_height
    top -= TOP_MARGIN * face_height
    bottom += NECK_MARGIN * face_height
    origin_x, origin_y = math.floor(left), math.floor(top)
    width, height = math.ceil(right) - origin_x, math.ceil(bottom) - origin_y
    transform = rotation_scale.copy()
    transform[:, 2] -= (origin_x, origin_y)
    return transform, (width, height)


def iris_roll_deg(landmarks: FaceLandmarks) -> float:
    """Give the angle of the line from the right to the left iris centre, in degrees.

    Positive when the subject's left eye is lower in the photo (image y grows downward), that is
    with the head tilted toward the subject's left shoulder.
    """
    right, left = landmarks.points[RIGHT_IRIS_CENTRE, :2], landmarks.points[LEFT_IRIS_CENTRE, :2]
    return math.degrees(math.atan2(left[1] - right[1], left[0] - right[0]))


def _level_and_scale(points: NDArray[np.float64], scale: float) -> NDArray[np.float64]:
    """The similarity that turns the iris line level and scales it, centred on its midpoint."""
    right, left = points[RIGHT_IRIS_CENTRE, :2], points[LEFT_IRIS_CENTRE, :2]
    angle = math.atan2(left[1] - right[1], left[0] - right[0])
    cos, sin = math.cos(-angle) * scale, math.sin(-angle) * scale
    centre = (right + left) / 2
    linear = np.array([[cos, -sin], [sin, cos]])
    return np.hstack([linear, (-linear @ centre)[:, None]])


def _apply(transform: NDArray[np.float64], xy: NDArray[np.float64]) -> NDArray[np.float64]:
    result: NDArray[np.float64] = xy @ transform[:, :2].T + transform[:, 2]
    return result


def _inverse(transform: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.asarray(cv2.invertAffineTransform(transform), dtype=np.float64)


def _warp(
    rgb: NDArray[np.uint8], transform: NDArray[np.float64], size: tuple[int, int]
) -> NDArray[np.uint8]:
    """Resample ``rgb`` onto a ``size`` canvas; shrinking averages pixels instead of skipping
    them (INTER_AREA on the photo's region of interest first), so the result does not alias."""
    width, height = size
    corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], dtype=np.float64)
    source = _apply(_inverse(transform), corners)
    x0 = max(0, math.floor(source[:, 0].min()) - 2)
    y0 = max(0, math.floor(source[:, 1].min()) - 2)
    x1 = min(rgb.shape[1], math.ceil(source[:, 0].max()) + 3)
    y1 = min(rgb.shape[0], math.ceil(source[:, 1].max()) + 3)
    if x1 <= x0 or y1 <= y0:  # the canvas lies wholly outside the photo
        return np.zeros((height, width, 3), dtype=np.uint8)
    region = rgb[y0:y1, x0:x1]
    # Photo pixels → region pixels.
    to_region = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0]])
    scale = math.sqrt(abs(np.linalg.det(transform[:, :2])))
    if scale < 0.9:
        new_w = max(1, round(region.shape[1] * scale))
        new_h = max(1, round(region.shape[0] * scale))
        kx, ky = new_w / region.shape[1], new_h / region.shape[0]
        region = np.asarray(
            cv2.resize(region, (new_w, new_h), interpolation=cv2.INTER_AREA), dtype=np.uint8
        )
        # cv2.resize aligns pixel centres: x_new = k (x_old + 0.5) − 0.5.
        shrink = np.array([[kx, 0.0, 0.5 * kx - 0.5], [0.0, ky, 0.5 * ky - 0.5]])
        to_region = _compose(shrink, to_region)
    # Region pixels → canvas pixels.
    region_to_canvas = _compose(transform, _inverse(to_region))
    warped = cv2.warpAffine(
        np.ascontiguousarray(region),
        region_to_canvas,
        (width, height),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    return np.asarray(warped, dtype=np.uint8)


def _compose(second: NDArray[np.float64], first: NDArray[np.float64]) -> NDArray[np.float64]:
    """The affine map that applies ``first`` and then ``second``."""
    result: NDArray[np.float64] = second[:, :2] @ first
    result[:, 2] += second[:, 2]
    return result


def _inside_photo(
    transform: NDArray[np.float64], size: tuple[int, int], photo_w: int, photo_h: int
) -> NDArray[np.bool_]:
    """Mark the canvas pixels whose source lies inside the photo (with no black fill mixed in)."""
    width, height = size
    inverse = _inverse(transform)
    # Cubic interpolation reads two pixels either side, of the photo or of its shrunk copy (whose
    # pixels are 1/scale photo pixels wide): stay that far from the photo's edge.
    scale = math.sqrt(abs(np.linalg.det(transform[:, :2])))
    margin = 2.0 * max(1.0, 1.0 / scale)

    def inside_at(xs: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.bool_]:
        sx = inverse[0, 0] * xs + inverse[0, 1] * ys + inverse[0, 2]
        sy = inverse[1, 0] * xs + inverse[1, 1] * ys + inverse[1, 2]
        inside: NDArray[np.bool_] = (
            (sx >= margin)
            & (sx <= photo_w - 1 - margin)
            & (sy >= margin)
            & (sy <= photo_h - 1 - margin)
        )
        return inside

    # The pixels inside form a convex region (a rectangle seen through an affine map), so when
    # the canvas's four corner pixels are inside, every pixel is: the usual case of a face well
    # within the frame needs no per-pixel test.
    corner_xs = np.array([0.0, width - 1.0, 0.0, width - 1.0])
    corner_ys = np.array([0.0, 0.0, height - 1.0, height - 1.0])
    if inside_at(corner_xs, corner_ys).all():
        return np.ones((height, width), dtype=bool)
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float64), np.arange(height, dtype=np.float64))
    return inside_at(xs, ys)
