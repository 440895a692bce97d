"""The live capture coach: one small camera frame in, the one thing to fix before the photo out.

The browser sends a small JPEG of what the camera sees (480-640 px wide, as the camera gives
it: ``canvas.drawImage(video)`` is never mirrored, whatever CSS does to the preview) and the
camera's full resolution, at which the photo will be taken. :func:`advise_frame` runs the
landmark model (``find_faces``, as the analysis does) on the frame and goes through the checks
in a fixed order, the first that fails giving the one instruction:

1. a face, and only one (``no_face``, ``multiple_faces``; where FaceMesh finds none, one run
   of the full-range face detector tells a face too far away for it, ``too_far``);
2. distance: the iris centres at least ``face.MIN_NATIVE_IPD_PX`` apart at the camera's full
   resolution (``too_far``), the face outline small enough to stay in the frame (``too_close``);
3. framing: the outline inside the frame, its centre at the centre of the outline to fill
   (``off_centre``);
4. pose: ``yaw``, ``pitch``, ``roll`` within ``quality.MAX_POSE_DEG``;
5. light, on the frame's own pixels (``too_dark``, ``too_bright``, ``uneven_light``: one cheek
   brighter; ``top_bottom_light``: forehead and chin), with the gate's limits;
6. expression (``mouth_open``, ``eye_open``, ``brow_height``), against her relaxed baseline
   when there is one (``look.relaxed_limits``);
7. with a baseline, the photo-to-photo limits (``baseline_yaw``, ``baseline_pitch``,
   ``baseline_roll``, ``baseline_distance``: ``look.baseline_differences``);
8. stillness against the previous frame's face box (``moving``).

Every limit is the gate's or the comparison's own, imported, so a frame judged ready makes a
photo the gate passes — except focus, which a frame this small cannot show (the focus measure
reads detail of about 0.25 mm, a pixel of a photo with 256 px between the eyes; a frame has
60-120), and which
the photo's own analysis still checks. Light alike to the baseline's is not required: it only
marks which measures may be compared (``PhotoReport.lit_like_baseline``).

Left and right in the instructions are the person's own: "Turn a little to your left" is the
same move whether her preview is mirrored or not, and the frame itself is read unmirrored (her
left appears on the frame's right).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import MIN_NATIVE_IPD_PX, FaceLandmarks
from collagen_coach.vision.geometry import upright_points
from collagen_coach.vision.landmarks import find_face_boxes, find_faces
from collagen_coach.vision.load import load_photo
from collagen_coach.vision.look import (
    FACE_OVAL,
    FaceLook,
    baseline_differences,
    distance_instruction,
    face_look,
    pose_instruction,
    relaxed_limits,
)
from collagen_coach.vision.pixels import lightness
from collagen_coach.vision.pose import canonical_face_model, head_pose
from collagen_coach.vision.quality import (
    BRIGHT_CLIP_L,
    DARK_CLIP_L,
    MAX_CLIPPED_SHARE,
    MAX_LEFT_RIGHT_L_DIFF,
    MAX_MEAN_L,
    MAX_POSE_DEG,
    MAX_TOP_BOTTOM_L_DIFF,
    MIN_MEAN_L,
    STANDARD_EXPRESSION,
    expression_measures,
)
from collagen_coach.vision.zones import zone_polygons

Box = tuple[float, float, float, float]  # x, y, width, height: fractions of the frame
Outline = tuple[tuple[float, float], ...]

# The largest frame taken: FaceMesh looks at a face through a 192 × 192 crop, so a frame above
# 1280 × 1024 only costs decoding time (and is refused as ``too_large`` before it is decoded).
MAX_FRAME_PIXELS = 1280 * 1024

# --- Framing ----------------------------------------------------------------------------------
# The face outline keeps 5 % of the frame clear on every side: the gate allows almost none of it
# outside the photo (quality.MAX_FACE_OUTSIDE_SHARE), and between the frame judged ready and the
# photo taken the head sways by a few percent of the frame.
FRAME_MARGIN = 0.05
# The face's centre may lie this far from the centre of the outline to fill, as a fraction of
# the frame's width (or height). A phone's camera sees 65-70° across, so 0.10 of the width off
# centre is about 7.5° off the lens's axis (atan(0.2 × tan 33.5°)): the camera sees the face from
# the side by nearly as much as the pose limit allows (quality.MAX_POSE_DEG, 8°).
MAX_CENTRE_OFFSET = 0.10
# The outline to fill when there is no baseline: a face upright, facing the camera, its outline
# (forehead top to chin) 0.6 of the frame's height, centred. That leaves the hair and the neck
# in the picture and room to sway; on a camera too small for that (under about 1000 × 600)
# the outline grows until its eyes are 10 % past MIN_NATIVE_IPD_PX apart, up to the margins.
STANDARD_FACE_HEIGHT = 0.6
STANDARD_IPD_SPARE = 1.1

# A face's outline is 0.8-0.95 times as wide as it is tall; one drawn more than 1.3 times wider
# or narrower than the canonical face's was read on a picture of another shape (see
# outline_for_camera).
MAX_OUTLINE_ASPECT_CHANGE = 1.3

# --- Stillness --------------------------------------------------------------------------------
# The face box may move by at most 3 % of the face's width between two frames (its centre, or
# its width). A still face found again moves the box less: the standard photo of
# tests/vision/test_live.py in eight 640-px frames, placed up to 4 px and ±2 % apart, kept the
# box's centre within 1.3 % of the face's width of where the picture put it. 3 % of a face
# (≈4.5 mm) between frames a quarter of a second apart is 18 mm/s, which smears 0.6 mm in a
# 1/30 s exposure: past the blur the focus check refuses (quality.MIN_FOCUS_LAPLACIAN_VAR,
# σ ≈ 0.33 mm).
MAX_MOVE_SHARE = 0.03

READY = "Hold still…"
# The fixed instructions; the directional ones come from look.pose_instruction and
# look.distance_instruction, and the framing ones from _move_instruction.
INSTRUCTIONS: dict[str, str] = {
    "no_face": "Show your whole face to the camera",
    "multiple_faces": "Make sure only your face is in the picture",
    "too_far": "Come a little closer",
    "too_close": "Step back a little",
    "too_dark": "Find more light",
    "too_bright": "Move out of the bright light",
    "uneven_light": "Face the light",
    "top_bottom_light": "Find more even light",
    "mouth_open": "Relax your lips",
    "eye_open": "Open your eyes gently",
    "brow_height": "Relax your eyebrows",
    "moving": "Hold still",
}


@dataclass(frozen=True)
class FrameAdvice:
    """What one camera frame needs before the photo: the first failing check and what to do."""

    ready: bool  # every gate check and every comparability check holds on this frame
    check: str  # id of the first failing check, "" when ready
    instruction: str  # one plain instruction; READY when ready
    face_box: Box | None  # the face's box (x, y, w, h), fractions of the frame
    outline: Outline  # the outline to fill: the baseline's, else a standard one; fractions

    def as_json(self) -> dict[str, Any]:
        """Give the advice as a JSON object (boxes and outlines as lists)."""
        return {
            "ready": self.ready,
            "check": self.check,
            "instruction": self.instruction,
            "face_box": None if self.face_box is None else list(self.face_box),
            "outline": [[x, y] for x, y in self.outline],
        }


def advise_frame(
    frame: bytes,
    *,
    camera_size: tuple[int, int],
    baseline: FaceLook | None = None,
    previous_box: Box | None = None,
) -> FrameAdvice:
    """Give the one thing to fix in this camera ``frame`` (JPEG or PNG bytes), or that it is ready.

    ``camera_size`` is the camera's full (width, height), at which the photo will be taken,
    and the frame is the camera's picture shrunk whole (the same shape); ``baseline`` the
    person's baseline look (``look.baseline_of``), whose outline and eye distance are read as
    taken with this camera held the same way up; ``previous_box`` the face box of the frame
    before. Raises ``PhotoProblem`` for bytes that are not an image or a frame
    above ``MAX_FRAME_PIXELS``, ``ValueError`` for a camera size that is not two sizes above 0.
    """
    camera_width, _camera_height = _camera(camera_size)
    rgb = load_photo(frame, max_pixels=MAX_FRAME_PIXELS, want_long_side_px=None).rgb
    height, width = rgb.shape[:2]
    target = (
        outline_for_camera(baseline.outline, camera_size)
        if baseline is not None
        else standard_outline(camera_size)
    )

    def advice(check: str, instruction: str, box: Box | None) -> FrameAdvice:
        return FrameAdvice(
            ready=not check, check=check, instruction=instruction, face_box=box, outline=target
        )

    faces = find_faces(rgb)
    if not faces:
        return _without_landmarks(rgb, camera_width, advice)
    landmarks = faces[0]
    size = np.array([width, height], dtype=np.float64)
    outline = landmarks.points[list(FACE_OVAL), :2] / size
    box = _box(outline)
    if len(faces) > 1:
        return advice("multiple_faces", INSTRUCTIONS["multiple_faces"], box)

    native_ipd_px = landmarks.ipd_px * camera_width / width
    if native_ipd_px < MIN_NATIVE_IPD_PX:
        return advice("too_far", INSTRUCTIONS["too_far"], box)
    if max(box[2], box[3]) > 1.0 - 2 * FRAME_MARGIN:
        return advice("too_close", INSTRUCTIONS["too_close"], box)
    move = _move_instruction(outline, np.asarray(target, dtype=np.float64))
    if move:
        return advice("off_centre", move, box)

    pose = head_pose(landmarks)
    for axis in ("yaw", "pitch", "roll"):
        angle = getattr(pose, axis)
        if abs(angle) > MAX_POSE_DEG:
            return advice(axis, pose_instruction(axis, angle), box)

    light = frame_light(rgb, landmarks)
    light_check = _light_check(light)
    if light_check:
        return advice(light_check, INSTRUCTIONS[light_check], box)

    expression = expression_measures(upright_points(landmarks))
    limits = relaxed_limits(baseline) if baseline is not None else STANDARD_EXPRESSION
    broken = limits.broken(expression)
    if broken:
        return advice(broken[0][0], INSTRUCTIONS[broken[0][0]], box)

    if baseline is not None:
        look = face_look(
            pose,
            native_ipd_px,
            face_share=landmarks.ipd_px / max(width, height),
            lightness=light.face_l,
            left_right_l=light.left_l - light.right_l,
            expression=expression,
            outline=outline.tolist(),
        )
        for problem in baseline_differences(look, baseline):
            if problem.id == "baseline_distance":
                ratio = problem.detail["size_ratio"]
                return advice(problem.id, distance_instruction(ratio), box)
            if problem.id.startswith("baseline_"):
                axis = problem.id.removeprefix("baseline_")
                return advice(
                    problem.id, pose_instruction(axis, problem.detail["difference_deg"]), box
                )

    if previous_box is not None and _moved(box, previous_box):
        return advice("moving", INSTRUCTIONS["moving"], box)
    return advice("", READY, box)


def _without_landmarks(
    rgb: NDArray[np.uint8], camera_width: int, advice: Callable[[str, str, Box | None], FrameAdvice]
) -> FrameAdvice:
    """Say why FaceMesh found no face: often one too far away for its short-range detector,
    which the full-range face detector still finds (one run over the whole frame)."""
    boxes = find_face_boxes(rgb, tilings=(1,))
    if not boxes:
        return advice("no_face", INSTRUCTIONS["no_face"], None)
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = boxes[0].box
    box = (x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
    if len(boxes) > 1:
        return advice("multiple_faces", INSTRUCTIONS["multiple_faces"], box)
    if boxes[0].ipd_px * camera_width / width < MIN_NATIVE_IPD_PX:
        return advice("too_far", INSTRUCTIONS["too_far"], box)
    return advice("no_face", INSTRUCTIONS["no_face"], box)


@dataclass(frozen=True)
class FrameLight:
    """Mean L* of the face (forehead, cheeks, chin), of each cheek, of forehead and of chin, and
    the shares of the face's pixels clipped dark and bright, read from a camera frame."""

    face_l: float
    left_l: float
    right_l: float
    forehead_l: float
    chin_l: float
    dark_share: float
    bright_share: float


def frame_light(rgb: NDArray[np.uint8], landmarks: FaceLandmarks) -> FrameLight:
    """Give the light on the face in ``rgb``, over the zone polygons of the skin metrics.

    The cheap reading of what the gate reads on the normalised face: L* of the frame's own
    pixels inside the forehead, cheek and chin polygons (``zones.zone_polygons``) at the frame's
    scale, without the zone masks' margins around eyes, brows and lips. It agrees with the
    analysis of the whole photo: biden2.jpg, obama.jpg and obama2.jpg in 640-px frames read
    their cheeks 20.9, −3.6 and −11.6 L* apart (the analysis: 21.0, −3.9, −11.9) and their
    faces' mean L* 0.4-0.6 above it.
    """
    polygons = zone_polygons(landmarks.points[:, :2])
    regions = {
        "forehead": polygons["forehead"],
        "right": polygons["cheeks"][:1],
        "left": polygons["cheeks"][1:],
        "chin": polygons["chin"],
    }
    every = np.vstack([p for parts in regions.values() for p in parts])
    height, width = rgb.shape[:2]
    x0, y0 = (max(0, math.floor(v)) for v in every.min(axis=0))
    x1 = min(width, math.ceil(every[:, 0].max()) + 1)
    y1 = min(height, math.ceil(every[:, 1].max()) + 1)
    if x1 <= x0 or y1 <= y0:
        raise ValueError("the face's skin lies outside the frame")
    window_l = lightness(np.ascontiguousarray(rgb[y0:y1, x0:x1]))
    offset = np.array([x0, y0], dtype=np.float64)
    means: dict[str, float] = {}
    union = np.zeros(window_l.shape, dtype=np.uint8)
    for name, parts in regions.items():
        mask = np.zeros(window_l.shape, dtype=np.uint8)
        cv2.fillPoly(mask, [np.rint(p - offset).astype(np.int32) for p in parts], (1,))
        union |= mask
        values = window_l[mask.astype(bool)]
        means[name] = float(values.mean()) if values.size else math.nan
    skin = window_l[union.astype(bool)]
    return FrameLight(
        face_l=float(skin.mean()) if skin.size else math.nan,
        left_l=means["left"],
        right_l=means["right"],
        forehead_l=means["forehead"],
        chin_l=means["chin"],
        dark_share=float(np.mean(skin < DARK_CLIP_L)) if skin.size else 0.0,
        bright_share=float(np.mean(skin > BRIGHT_CLIP_L)) if skin.size else 0.0,
    )


def standard_outline(camera_size: tuple[int, int]) -> Outline:
    """Give the outline to fill without a baseline, as fractions of a frame of the camera's shape.

    MediaPipe's canonical face, frontal and upright, its face oval ``STANDARD_FACE_HEIGHT`` of
    the frame's height (more on a camera too small for that, see above), centred.
    """
    camera_width, camera_height = _camera(camera_size)
    model = canonical_face_model()
    oval = model[list(FACE_OVAL), :2] * np.array([1.0, -1.0])  # image y grows downward
    face_height_cm = float(oval[:, 1].max() - oval[:, 1].min())
    ipd_cm = float(np.linalg.norm(model[468] - model[473]))
    height_px = STANDARD_FACE_HEIGHT * camera_height
    wanted_ipd_px = STANDARD_IPD_SPARE * MIN_NATIVE_IPD_PX
    height_px = max(height_px, wanted_ipd_px * face_height_cm / ipd_cm)
    limit = (1.0 - 2 * FRAME_MARGIN) * min(
        camera_height, camera_width * face_height_cm / _width_cm(oval)
    )
    px_per_cm = min(height_px, limit) / face_height_cm
    centre = (oval.max(axis=0) + oval.min(axis=0)) / 2
    fractions = (oval - centre) * px_per_cm / np.array([camera_width, camera_height]) + 0.5
    return tuple((round(float(x), 4), round(float(y), 4)) for x, y in fractions)


def outline_for_camera(outline: Outline, camera_size: tuple[int, int]) -> Outline:
    """Give the baseline's outline (fractions of her baseline photos) as drawn on this camera.

    The fractions keep the face's shape only on a picture of the baseline photos' shape: a
    portrait phone photo's outline read on a landscape webcam's picture comes out nearly twice
    as wide as tall (the demo's 720 × 900 photos on a 1280 × 720 camera: 1.84). Where the
    outline's width over height, in this camera's pixels, lies more than
    ``MAX_OUTLINE_ASPECT_CHANGE`` from the canonical face's, it is narrowed or widened about
    its centre to the canonical shape; otherwise it is kept as it is.
    """
    camera_width, camera_height = _camera(camera_size)
    points = np.asarray(outline, dtype=np.float64)
    low, high = points.min(axis=0), points.max(axis=0)
    if high[1] <= low[1] or high[0] <= low[0]:
        return outline
    aspect = (high[0] - low[0]) * camera_width / ((high[1] - low[1]) * camera_height)
    wanted = _canonical_aspect()
    if max(aspect / wanted, wanted / aspect) <= MAX_OUTLINE_ASPECT_CHANGE:
        return outline
    centre_x = (low[0] + high[0]) / 2
    points[:, 0] = centre_x + (points[:, 0] - centre_x) * wanted / aspect
    return tuple((round(float(x), 4), round(float(y), 4)) for x, y in points)


def _canonical_aspect() -> float:
    """Give the canonical face oval's width over its height."""
    oval = canonical_face_model()[list(FACE_OVAL), :2]
    extent = oval.max(axis=0) - oval.min(axis=0)
    return float(extent[0] / extent[1])


def _width_cm(oval: NDArray[np.float64]) -> float:
    return float(oval[:, 0].max() - oval[:, 0].min())


def _camera(camera_size: tuple[int, int]) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in camera_size)
    except (TypeError, ValueError):
        raise ValueError(
            f"camera_size must be (width, height) in pixels, not {camera_size!r}"
        ) from None
    if width <= 0 or height <= 0:
        raise ValueError(f"camera_size must be two sizes above 0, not {camera_size!r}")
    return width, height


def _box(outline: NDArray[np.float64]) -> Box:
    low, high = outline.min(axis=0), outline.max(axis=0)
    return (float(low[0]), float(low[1]), float(high[0] - low[0]), float(high[1] - low[1]))


def _move_instruction(outline: NDArray[np.float64], target: NDArray[np.float64]) -> str:
    """Say how to move so the face sits inside the margins and over the target's centre
    ("" when it does): along the axis it is further off, in the person's own terms."""
    low, high = outline.min(axis=0), outline.max(axis=0)
    off = (low + high) / 2 - (target.min(axis=0) + target.max(axis=0)) / 2
    # How far the face should move in the frame (fractions), per axis: back over the target's
    # centre when it is too far from it, at least back inside the margins.
    shift = np.where(np.abs(off) > MAX_CENTRE_OFFSET, -off, 0.0)
    shift = np.where(low < FRAME_MARGIN, np.maximum(shift, FRAME_MARGIN - low), shift)
    shift = np.where(high > 1 - FRAME_MARGIN, np.minimum(shift, 1 - FRAME_MARGIN - high), shift)
    if not shift.any():
        return ""
    if abs(shift[0]) >= abs(shift[1]):
        # The face moves toward the frame's right when she steps to her own left (her left is
        # on the right of an unmirrored frame).
        return f"Move a little to your {'left' if shift[0] > 0 else 'right'}"
    # The face moves down the frame when the camera goes up.
    return "Raise the camera a little" if shift[1] > 0 else "Lower the camera a little"


def _light_check(light: FrameLight) -> str:
    if light.face_l < MIN_MEAN_L or light.dark_share > MAX_CLIPPED_SHARE:
        return "too_dark"
    if light.face_l > MAX_MEAN_L or light.bright_share > MAX_CLIPPED_SHARE:
        return "too_bright"
    if abs(light.left_l - light.right_l) > MAX_LEFT_RIGHT_L_DIFF:
        return "uneven_light"
    if abs(light.forehead_l - light.chin_l) > MAX_TOP_BOTTOM_L_DIFF:
        return "top_bottom_light"
    return ""


def _moved(box: Box, previous: Box) -> bool:
    width = max(box[2], previous[2], 1e-9)
    centre_moved = math.hypot(
        (box[0] + box[2] / 2) - (previous[0] + previous[2] / 2),
        (box[1] + box[3] / 2) - (previous[1] + previous[3] / 2),
    )
    return (
        centre_moved / width > MAX_MOVE_SHARE or abs(box[2] - previous[2]) / width > MAX_MOVE_SHARE
    )
