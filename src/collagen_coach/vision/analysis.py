"""One photo in, one report out: quality gate, pose, and every metric per zone and side."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision import ALGORITHM
from collagen_coach.vision.face import (
    NORMALISED_IPD_PX,
    SIDES,
    FaceLandmarks,
    NormalisedFace,
    PhotoProblem,
    Pose,
    Problem,
    Side,
)
from collagen_coach.vision.geometry import face_geometry, nasolabial_depth
from collagen_coach.vision.landmarks import find_face_boxes, find_faces
from collagen_coach.vision.load import Photo, load_photo
from collagen_coach.vision.look import (
    FACE_OVAL,
    FaceLook,
    baseline_differences,
    face_lightness,
    face_look,
    lit_alike,
    relaxed_limits,
)
from collagen_coach.vision.normalise import normalise_face, source_region
from collagen_coach.vision.pose import head_pose
from collagen_coach.vision.quality import (
    STANDARD_EXPRESSION,
    check_quality,
    expression_measures,
    low_resolution_problem,
    multiple_faces_problem,
    no_face_problem,
)
from collagen_coach.vision.skin import face_light_maps, measure_skin
from collagen_coach.vision.zones import zone_masks

# The long side the landmark model works at (find_faces downsizes to it): enough for finding
# the face and deciding how much of the photo to decode.
DETECTION_LONG_SIDE_PX = 1024
# Room kept around the part of the photo the normalised face is resampled from, when only that
# part is decoded: far more than the few pixels cubic resampling and the photo-edge test read
# past it, so the normalised face is the one the whole photo gives.
REGION_MARGIN_PX = 64
# A photo is decoded with at least this many pixels between the eyes, the normalised scale it is
# then resampled to, so it is never enlarged for want of pixels the file has. Lines and texture
# are measured at the common resolution of a photo with MIN_NATIVE_IPD_PX (128) between the
# eyes (see ``skin``), so no detail finer than that is ever read. A close-up 12-MP selfie
# (≈480 px) is then decoded at half size, a quarter of the pixels.
MIN_DECODED_IPD_PX = NORMALISED_IPD_PX

Metrics = dict[str, dict[str, float | None]]  # zone → metric → value
SideMetrics = dict[str, dict[str, dict[str, float | None]]]  # zone → side → metric → value


@dataclass
class PhotoReport:
    """What analysing one photo found; ``ok`` only when no problem was found.

    ``metrics`` holds each zone as a whole; ``metrics_by_side`` the subject's left and right
    halves apart (for split-face self-trials). Geometric measures exist per side only.
    ``look`` is how the face was taken (None without a face); ``lit_like_baseline`` whether the
    light was close to the baseline's (None when analysed without a baseline or a look).
    """

    file: str
    ok: bool
    problems: list[Problem]
    pose: Pose | None = None
    metrics: Metrics = field(default_factory=dict)
    metrics_by_side: SideMetrics = field(default_factory=dict)
    native_ipd_px: float | None = None
    algorithm: str = ALGORITHM
    look: FaceLook | None = None
    lit_like_baseline: bool | None = None

    def as_json(self) -> dict[str, Any]:
        """Give the report as the ``analyze --json`` object DESIGN.md specifies, plus detail."""
        return {
            "file": self.file,
            "ok": self.ok,
            "problems": [p.id for p in self.problems],
            "problem_details": [
                {"id": p.id, "value": p.value, "threshold": p.threshold, "hint": p.hint}
                | ({"detail": p.detail} if p.detail else {})
                for p in self.problems
            ],
            "pose": None
            if self.pose is None
            else {"yaw": self.pose.yaw, "pitch": self.pose.pitch, "roll": self.pose.roll},
            "metrics": self.metrics,
            "metrics_by_side": self.metrics_by_side,
            "native_ipd_px": self.native_ipd_px,
            "algorithm": self.algorithm,
            "look": None if self.look is None else self.look.as_json(),
            "lit_like_baseline": self.lit_like_baseline,
        }


@dataclass(frozen=True)
class MeasuredFace:
    """The intermediate results, for overlays and comparisons."""

    photo: Photo  # the whole photo or only the face's region of it (see ``Photo.origin``)
    landmarks: FaceLandmarks  # in ``photo.rgb``'s pixels
    face: NormalisedFace
    masks: dict[str, dict[Side, NDArray[np.bool_]]]


def analyse_photo(
    source: Path | bytes, *, name: str | None = None, baseline: FaceLook | None = None
) -> PhotoReport:
    """Give the report for one photo file (or its bytes); see ``analyse_photo_in_detail``."""
    report, _ = analyse_photo_in_detail(source, name=name, baseline=baseline)
    return report


def _decode_and_find_faces(source: Path | bytes) -> tuple[Photo, list[FaceLandmarks]]:
    """Give the photo decoded just large enough for measuring, and the faces in it.

    The faces are found on a small decode (JPEGs: 1/2 to 1/8 size, which is what the landmark
    model works at anyway); the photo is then decoded at the smallest size that still keeps
    ``MIN_DECODED_IPD_PX`` between the eyes, so a 12-megapixel selfie is rarely decoded whole,
    and only the region the normalised face is resampled from is kept (turned upright and
    converted to sRGB there alone); the landmarks are given in that region's pixels.
    """
    # One read: both decodes see the same bytes, which the first one found complete.
    data = source.read_bytes() if isinstance(source, Path) else source
    preview = load_photo(data, want_long_side_px=DETECTION_LONG_SIDE_PX)
    faces = find_faces(preview.rgb)
    if not faces or preview.decoded_scale >= 1.0:
        return preview, faces
    native_ipd_px = faces[0].ipd_px / preview.decoded_scale
    long_side_px = max(preview.original_size)
    wanted = math.ceil(long_side_px * min(1.0, MIN_DECODED_IPD_PX / native_ipd_px))
    if wanted <= max(preview.rgb.shape[:2]):
        return preview, faces
    full_size = FaceLandmarks(
        points=faces[0].points / preview.decoded_scale, image_size=preview.original_size
    )
    left, top, right, bottom = source_region(full_size)
    region = (
        left - REGION_MARGIN_PX,
        top - REGION_MARGIN_PX,
        right + REGION_MARGIN_PX,
        bottom + REGION_MARGIN_PX,
    )
    photo = load_photo(data, want_long_side_px=wanted, region=region)
    factor = photo.decoded_scale / preview.decoded_scale
    shift = np.array([photo.origin[0], photo.origin[1], 0.0])
    height, width = photo.rgb.shape[:2]
    return photo, [
        FaceLandmarks(points=face.points * factor - shift, image_size=(width, height))
        for face in faces
    ]


def _faces_without_landmarks(photo: Photo) -> list[Problem]:
    """Say why no face could be measured: none at all, several, or one too small."""
    boxes = find_face_boxes(photo.rgb)
    if not boxes:
        return [no_face_problem()]
    problems = [multiple_faces_problem(len(boxes))] if len(boxes) > 1 else []
    # The largest face's eyes, at the camera's resolution (not the decoded size).
    return [*problems, low_resolution_problem(boxes[0].ipd_px / photo.decoded_scale)]


def analyse_photo_in_detail(
    source: Path | bytes, *, name: str | None = None, baseline: FaceLook | None = None
) -> tuple[PhotoReport, MeasuredFace | None]:
    """Give the report and, when a face was found, the intermediate results.

    With the person's ``baseline`` (``look.baseline_of`` her baseline photos' looks), the
    expression is judged against her relaxed face instead of the standard limits, and every way
    the photo was taken unlike the baseline (``look.baseline_differences``) is a problem; how
    alike the light is only sets ``lit_like_baseline``.
    """
    label = name or (str(source) if isinstance(source, Path) else "photo")
    try:
        photo, faces = _decode_and_find_faces(source)
    except PhotoProblem as exc:
        return PhotoReport(file=label, ok=False, problems=[exc.problem]), None
    if not faces:
        return PhotoReport(file=label, ok=False, problems=_faces_without_landmarks(photo)), None
    landmarks = faces[0]
    pose = head_pose(landmarks)
    face = normalise_face(photo.rgb, landmarks)
    # The resolution the camera gave, not the size the photo was decoded at.
    face = replace(face, native_ipd_px=face.native_ipd_px / photo.decoded_scale)
    masks = zone_masks(face)
    light = face_light_maps(face, masks)  # read by both the quality gate and the skin metrics
    problems = check_quality(
        face,
        pose,
        masks,
        faces_found=len(faces),
        light=light,
        expression_limits=STANDARD_EXPRESSION if baseline is None else relaxed_limits(baseline),
    )
    by_side = measure_skin(face, masks, light=light)
    for zone, sides in face_geometry(face.landmarks).items():
        for side, values in sides.items():
            by_side.setdefault(zone, {}).setdefault(side, {}).update(values)
    for side, depth in nasolabial_depth(face).items():
        by_side.setdefault("nasolabial", {}).setdefault(side, {})["nasolabial_depth"] = depth
    metrics: Metrics = {zone: dict(sides.get("both", {})) for zone, sides in by_side.items()}
    per_side: SideMetrics = {
        zone: {side: dict(sides[side]) for side in SIDES if side in sides}
        for zone, sides in by_side.items()
    }
    look = _look_of(photo, landmarks, face, pose, metrics, per_side)
    lit_like_baseline = None
    if baseline is not None and look is not None:
        # The expression was judged against her relaxed face already, by the same limits.
        found = {problem.id for problem in problems}
        problems += [p for p in baseline_differences(look, baseline) if p.id not in found]
        lit_like_baseline = lit_alike(look, baseline)
    report = PhotoReport(
        file=label,
        ok=not problems,
        problems=problems,
        pose=pose,
        metrics=metrics,
        metrics_by_side=per_side,
        native_ipd_px=face.native_ipd_px,
        look=look,
        lit_like_baseline=lit_like_baseline,
    )
    return report, MeasuredFace(photo=photo, landmarks=landmarks, face=face, masks=masks)


def _look_of(
    photo: Photo,
    landmarks: FaceLandmarks,
    face: NormalisedFace,
    pose: Pose,
    metrics: Metrics,
    per_side: SideMetrics,
) -> FaceLook | None:
    """Give how the face was taken; None where the face's skin could not be measured."""
    lightness = face_lightness(metrics)
    cheeks = per_side.get("cheeks", {})
    left = cheeks.get("left", {}).get("radiance")
    right = cheeks.get("right", {}).get("radiance")
    if lightness is None or left is None or right is None:
        return None
    # The landmarks are in the pixels of the decoded region: back to the whole photo's fractions.
    whole = np.array(photo.original_size, dtype=np.float64) * photo.decoded_scale
    outline = (landmarks.points[list(FACE_OVAL), :2] + np.array(photo.origin)) / whole
    return face_look(
        pose,
        face.native_ipd_px,
        face_share=face.native_ipd_px / max(photo.original_size),
        lightness=lightness,
        left_right_l=left - right,
        expression=expression_measures(face.landmarks.points),
        outline=outline.tolist(),
    )
