"""Head pose (yaw, pitch, roll in degrees) from the face landmarks.

Method: a weighted similarity (Procrustes) fit of MediaPipe's canonical face model to the
detected 3-D landmarks (Umeyama 1991, "Least-squares estimation of transformation parameters
between two point patterns", IEEE TPAMI 13(4)). FaceMesh gives x, y in pixels and a relative
depth z on the scale of x under weak perspective, so no camera model is needed: the rotation of
the best fit is the head's rotation. The weights are MediaPipe's own for this fit — the
``procrustes_landmark_basis`` of its geometry pipeline (listed below): points on the eyes, nose,
brow ridge and cheekbones that expression moves least.

The rotation is split as R = Rz(roll) · Ry(yaw) · Rx(pitch) in the camera frame (x toward the
subject's left in a photo that is not mirrored, y up, z toward the camera). In that order the
roll is the in-image angle of the model's eye line, so it agrees with the angle of the line
between the detected iris centres (``normalise.iris_roll_deg``): within 1.9° on the test photos,
the difference coming from expression and the fit's weighting. Re-detecting a photo turned by
±5-10° reproduces roll to 1°, yaw to 2° and pitch to 3° (tests/vision/test_pose.py).
"""

from __future__ import annotations

import functools
import math
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import FaceLandmarks, Pose

# Landmark id → weight, from mediapipe/modules/face_geometry/data/
# geometry_pipeline_metadata_landmarks.pbtxt (google-ai-edge/mediapipe at commit
# fde35cd091b716320ebae0f909d2c8b01648eb2e, Apache-2.0), rounded to 6 decimals.
PROCRUSTES_WEIGHTS: dict[int, float] = {
    4: 0.070910, 6: 0.032100, 10: 0.008447, 33: 0.058724, 54: 0.007667, 67: 0.009078,
    117: 0.009792, 119: 0.014565, 121: 0.018591, 127: 0.005198, 129: 0.120625, 132: 0.005560,
    133: 0.053286, 136: 0.066890, 143: 0.014817, 147: 0.014263, 198: 0.025462, 205: 0.047252,
    263: 0.058724, 284: 0.007667, 297: 0.009078, 346: 0.009792, 348: 0.014565, 350: 0.018591,
    356: 0.005198, 358: 0.120625, 361: 0.005560, 362: 0.053286, 365: 0.066890, 372: 0.014817,
    376: 0.014263, 420: 0.025462, 425: 0.047252,
}  # fmt: skip


@functools.cache
def canonical_face_model() -> NDArray[np.float64]:
    """Give MediaPipe's canonical face model: 478 points (x, y, z) in centimetres.

    x toward the subject's left, y up, z toward the viewer; row i is FaceMesh landmark i
    (468-477 the iris points). Source and licence: the header of
    ``data/canonical_face_model.csv``.
    """
    source = resources.files("collagen_coach.vision") / "data" / "canonical_face_model.csv"
    rows = [
        line.split(",")
        for line in source.read_text(encoding="utf-8").splitlines()
        if line and line[0].isdigit()
    ]
    model = np.array([[float(value) for value in row[1:4]] for row in rows], dtype=np.float64)
    if model.shape != (478, 3) or [int(row[0]) for row in rows] != list(range(478)):
        raise RuntimeError("data/canonical_face_model.csv must hold rows 0-477 in order")
    model.setflags(write=False)
    return model


def head_pose(landmarks: FaceLandmarks) -> Pose:
    """Give the head's yaw, pitch and roll in degrees (signs as documented in ``Pose``)."""
    rotation = fit_rotation(landmarks)
    yaw = math.asin(float(np.clip(-rotation[2, 0], -1.0, 1.0)))
    pitch = -math.atan2(rotation[2, 1], rotation[2, 2])
    # Rz(γ) turns the eye line counter-clockwise (y up): the subject's left eye rises, which is a
    # tilt toward the right shoulder; roll > 0 is toward the left shoulder, hence the minus.
    roll = -math.atan2(rotation[1, 0], rotation[0, 0])
    return Pose(yaw=math.degrees(yaw), pitch=math.degrees(pitch), roll=math.degrees(roll))


def fit_rotation(landmarks: FaceLandmarks) -> NDArray[np.float64]:
    """Give the 3 × 3 rotation that turns the canonical model into the detected face.

    Camera frame: x as image x, y up (−image y), z toward the camera (−FaceMesh z).
    """
    ids = np.fromiter(PROCRUSTES_WEIGHTS, dtype=np.intp)
    weights = np.fromiter(PROCRUSTES_WEIGHTS.values(), dtype=np.float64)
    model = canonical_face_model()[ids]
    observed = landmarks.points[ids] * np.array([1.0, -1.0, -1.0])
    return _weighted_umeyama_rotation(model, observed, weights)


def _weighted_umeyama_rotation(
    source: NDArray[np.float64], target: NDArray[np.float64], weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The rotation R of the weighted least-squares similarity target ≈ s R source + t."""
    w = weights / weights.sum()
    source_c = source - w @ source
    target_c = target - w @ target
    covariance = (target_c * w[:, None]).T @ source_c
    u, _, vt = np.linalg.svd(covariance)
    # A reflection is never a head pose: force det(R) = +1.
    d = np.diag([1.0, 1.0, float(np.sign(np.linalg.det(u @ vt)) or 1.0)])
    rotation: NDArray[np.float64] = u @ d @ vt
    return rotation
