"""The quality gate: can this photo be measured, and compared with the person's other photos?

Each check gives a :class:`~collagen_coach.vision.face.Problem` carrying the measured value, the
threshold it broke and one line the person can act on. The thresholds are product decisions;
each says where its number comes from. All measurements are on the normalised face (iris centres
``NORMALISED_IPD_PX`` apart, head upright) and over the skin zones only, never the background.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from collagen_coach.vision.face import (
    MIN_NATIVE_IPD_PX,
    SIDES,
    NormalisedFace,
    Pose,
    Problem,
    Side,
)
from collagen_coach.vision.skin import FaceLightMaps, face_light_maps

Masks = dict[str, dict[Side, NDArray[np.bool_]]]

# --- Resolution -------------------------------------------------------------------------------
# MIN_NATIVE_IPD_PX lives with NORMALISED_IPD_PX in vision.face: the skin metrics read it too.

# --- Framing ----------------------------------------------------------------------------------
# The face's outline (the hull of the 468 mesh points, which FaceMesh places past the photo's
# edge where the frame cuts the face) must lie inside the photo: a zone the frame cuts is measured
# on what is left of it, so its values are not those of the zone. 0.5 % of the outline's area
# allows for the landmarks' own scatter at an edge (a few pixels of a face 400 px wide); the
# standard photo cropped to 70 % of its width has 1 % of its face outside, at 66 % 11 %.
MAX_FACE_OUTSIDE_SHARE = 0.005

# --- Focus ------------------------------------------------------------------------------------
# Variance of the Laplacian (Pech-Pacheco et al. 2000, "Diatom autofocusing in brightfield
# microscopy: a comparative study", ICPR) of the skin's relative lightness contrast (in % of the
# local lightness, see ``skin.relative_contrast``; unlike raw L* it does not grow or shrink with
# exposure), over the skin zones at the normalised scale, in %²/px⁴. The limit is the blur that
# the wrinkle measure cannot see through: fine lines have ridge scales of 0.25–0.5 mm, so a blur
# of σ ≈ 0.35 mm takes most of their contrast. Calibrated by blurring the test faces'
# normalised images, not by sorting them: unblurred (IPD ≥ 100 px) they read 10–23; the value
# falls through 2.4 at a Gaussian blur of σ = 0.31–0.35 mm on every one of them (biden2.jpg:
# 2.40 at σ 0.33 mm, 1.44 at 0.4; obama2.jpg: 2.46 at 0.3, 2.06 at 0.33; obama.jpg: 2.67 at
# 0.33, 1.95 at 0.37), where the 256-px scale of version 2.0 of the analysis fell through its
# limit of 1.0.
MIN_FOCUS_LAPLACIAN_VAR = 2.4

# --- Exposure ---------------------------------------------------------------------------------
# A camera exposes mid-grey (18 % reflectance) at L* ≈ 50, which puts white just below clipping
# (L* ≈ 96). The darkest skin reflects about 5 % of the light (L* ≈ 27 in such a photo), the
# fairest about 50 % (L* ≈ 76): a face whose mean L* is below 25 is darker than any skin correctly
# exposed, and one above 85 brighter.
MIN_MEAN_L = 25.0
MAX_MEAN_L = 85.0
# Pixels below L* 5 or above L* 97 have lost their detail (sensor black or white clip). More than
# 5 % of the skin clipped is more than specular highlights on a nose or forehead.
DARK_CLIP_L = 5.0
BRIGHT_CLIP_L = 97.0
MAX_CLIPPED_SHARE = 0.05

# --- Light balance ----------------------------------------------------------------------------
# Left and right cheek, mean L*: a difference of 8 L* is a luminance ratio of ≈1.35 at L* 60
# (light from one side), over three times the just-noticeable ΔE*ab ≈ 2.3 (Mahy et al. 1994); the
# nearly evenly lit Obama portraits differ by 3–4 L*. Split-face trials compare the two sides, so
# they must be lit alike.
MAX_LEFT_RIGHT_L_DIFF = 8.0
# Forehead and chin, mean L*: light from above brightens the forehead naturally, and beard
# shadow or a lower lip's shade darkens the chin by several L* (10–11 L* in the Obama portraits),
# so the limit is wider: 15 L* (a luminance ratio of ≈1.8 at L* 60).
MAX_TOP_BOTTOM_L_DIFF = 15.0

# --- Pose -------------------------------------------------------------------------------------
# 8° on each axis: landmark pose estimates scatter by a few degrees on their own, and at 8° of yaw
# the near and far cheeks' projected widths still differ by less than ~30 % (cos 37° / cos 53°
# for surfaces facing 45° off-axis); geometry between two photos further needs their poses close
# to each other, which the comparison checks.
MAX_POSE_DEG = 8.0

# --- Expression -------------------------------------------------------------------------------
# Mouth: inner-lip gap (13–14) over mouth width (61–291). Relaxed lips are closed or apart by up
# to 3–4 mm of a 50 mm wide mouth (≈0.08, the upper limit of a normal resting interlabial gap);
# a smile showing teeth or speech opens 0.15–0.4. Smiles and speech move the nasolabial folds,
# cheeks and crow's feet that the metrics measure.
MAX_MOUTH_OPEN_RATIO = 0.10
# Eyes: lid gap (159–145, 386–374) over eye width (33–133, 362–263). An open eye's palpebral
# fissure is ≈10 × 30 mm (0.33; MediaPipe's lid points, a little inside the lid margin, read
# 0.2–0.35); below 0.10 the eye is closed, blinking or screwed up, which bunches the crow's feet.
MIN_EYE_OPEN_RATIO = 0.10
# Brows: height of the brow's upper edge (105, 334) above the iris centre, over the inter-
# pupillary distance. MediaPipe places it 0.25–0.35 IPD (16–22 mm) above the iris at rest; a
# deliberate raise lifts the brow by 5–10 mm (0.08–0.16 IPD), creasing the forehead. 0.45 IPD
# (≈28 mm) is above any resting brow.
MAX_BROW_HEIGHT_RATIO = 0.45


@dataclass(frozen=True)
class ExpressionLimits:
    """The limits a relaxed face's expression ratios must keep (as ``expression_measures``)."""

    max_mouth_open: float = MAX_MOUTH_OPEN_RATIO
    min_eye_open: float = MIN_EYE_OPEN_RATIO
    max_brow_height: float = MAX_BROW_HEIGHT_RATIO

    def broken(self, measures: Mapping[str, float]) -> list[tuple[str, float, float]]:
        """Give each measure outside its limit as (name, value, limit): mouth, eyes, brows."""
        checks = (
            ("mouth_open", measures["mouth_open"] > self.max_mouth_open, self.max_mouth_open),
            ("eye_open", measures["eye_open"] < self.min_eye_open, self.min_eye_open),
            ("brow_height", measures["brow_height"] > self.max_brow_height, self.max_brow_height),
        )
        return [(name, measures[name], limit) for name, off, limit in checks if off]


# The standard photo's limits: the ones above, for anyone.
STANDARD_EXPRESSION = ExpressionLimits()

_MOUTH_INNER = (13, 14)
_MOUTH_CORNERS = (61, 291)
# (upper lid, lower lid, outer corner, inner corner) per eye: the subject's right, then left.
_EYES = ((159, 145, 33, 133), (386, 374, 263, 362))
# (brow upper edge, iris centre) per side.
_BROWS = ((105, 468), (334, 473))

# The face's skin for exposure and focus: every zone but the neck, which a collar or the jaw's
# own shadow often darkens.
_FACE_ZONES = (
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
)


def no_face_problem() -> Problem:
    """Give the problem for a photo in which no face was found."""
    return Problem(
        id="no_face",
        hint=(
            "No face was found: face the camera with your whole face in the frame, "
            "in even light, with nothing covering it."
        ),
    )


def multiple_faces_problem(faces_found: int) -> Problem:
    """Give the problem for a photo with more than one face in it."""
    return Problem(
        id="multiple_faces",
        hint="Take the photo with only your face in the frame.",
        value=float(faces_found),
        threshold=1.0,
    )


def low_resolution_problem(native_ipd_px: float) -> Problem:
    """Give the problem for a face whose pupils are fewer than ``MIN_NATIVE_IPD_PX`` apart."""
    return Problem(
        id="low_resolution",
        hint=(
            "Your face is too small in this photo: come closer to the camera so that your "
            "face fills most of the frame, and keep the camera at full resolution."
        ),
        value=native_ipd_px,
        threshold=MIN_NATIVE_IPD_PX,
    )


def check_quality(
    face: NormalisedFace,
    pose: Pose,
    masks: Masks,
    *,
    faces_found: int,
    light: FaceLightMaps | None = None,
    expression_limits: ExpressionLimits = STANDARD_EXPRESSION,
) -> list[Problem]:
    """Give every reason this photo falls short of a standard progress photo (empty: it passes).

    ``masks`` are the zone masks of ``face`` (zone → side → mask); exposure, focus and light are
    measured over the skin zones of the face, never the background. ``faces_found`` is the number
    of faces the landmark search found in the photo. ``light`` is ``face_light_maps(face,
    masks)`` where the caller has it already (the skin metrics read the same maps).
    ``expression_limits`` are the standard ones, or a person's own (``look.relaxed_limits``).
    """
    problems: list[Problem] = []
    if faces_found > 1:
        problems.append(multiple_faces_problem(faces_found))
    if face.native_ipd_px < MIN_NATIVE_IPD_PX:
        problems.append(low_resolution_problem(face.native_ipd_px))
    cut_off = _face_cut_off_problem(face)
    if cut_off is not None:
        problems.append(cut_off)
    skin = _skin_union(face, masks)
    if light is None and skin.any():
        light = face_light_maps(face, masks)  # None only when no zone has a pixel
    if light is not None and skin.any():
        # The maps cover the window around the zones only: read the masks there too.
        window = light.window
        lightness_map = light.lab[:, :, 0]
        skin = skin[window]
        masks = {
            zone: {side: m[window] for side, m in sides.items()} for zone, sides in masks.items()
        }
        problems.extend(_exposure_problems(lightness_map, skin))
        focus = focus_measure(light.contrast, skin)
        if focus < MIN_FOCUS_LAPLACIAN_VAR:
            problems.append(
                Problem(
                    id="blurry",
                    hint=(
                        "The photo is blurred: hold the camera still and tap to focus on your face."
                    ),
                    value=focus,
                    threshold=MIN_FOCUS_LAPLACIAN_VAR,
                )
            )
        uneven = _light_balance_problem(lightness_map, masks)
        if uneven is not None:
            problems.append(uneven)
    pose_problem = _pose_problem(pose)
    if pose_problem is not None:
        problems.append(pose_problem)
    expression = expression_problem(expression_measures(face.landmarks.points), expression_limits)
    if expression is not None:
        problems.append(expression)
    return problems


def face_outside_share(face: NormalisedFace) -> tuple[float, NDArray[np.float64]]:
    """Give the share of the face's outline that lies outside the photo, and where it lies.

    The outline is the hull of the 468 mesh points in the normalised image; outside is where
    ``face.valid`` is False. The second value is the mean offset (x, y) of the outside pixels
    from the outline's centre, in normalised pixels (zero when none is outside).
    """
    mesh = face.landmarks.points[:468, :2]
    hull = cv2.convexHull(np.rint(mesh).astype(np.int32))
    outline = np.zeros(face.valid.shape, dtype=np.uint8)
    cv2.fillConvexPoly(outline, hull, (1,))
    inside_outline = outline.astype(bool)
    outside = inside_outline & ~face.valid
    if not outside.any():
        return 0.0, np.zeros(2)
    rows, columns = np.nonzero(outside)
    all_rows, all_columns = np.nonzero(inside_outline)
    where = np.array(
        [columns.mean() - all_columns.mean(), rows.mean() - all_rows.mean()], dtype=np.float64
    )
    return float(outside.sum() / inside_outline.sum()), where


def _face_cut_off_problem(face: NormalisedFace) -> Problem | None:
    share, where = face_outside_share(face)
    if share <= MAX_FACE_OUTSIDE_SHARE:
        return None
    if abs(where[0]) >= abs(where[1]):
        edge = "right" if where[0] > 0 else "left"
    else:
        edge = "bottom" if where[1] > 0 else "top"
    return Problem(
        id="face_cut_off",
        hint=(
            f"The photo's {edge} edge cuts off part of your face: move the camera or step back "
            "so that your whole face, forehead to chin and ear to ear, is in the frame."
        ),
        value=share,
        threshold=MAX_FACE_OUTSIDE_SHARE,
        detail={"outside_x": float(where[0]), "outside_y": float(where[1])},
    )


def focus_measure(contrast: NDArray[np.float32], region: NDArray[np.bool_]) -> float:
    """Give the variance of the Laplacian of the relative lightness contrast over ``region``.

    ``contrast`` is ``skin.relative_contrast`` of the normalised face's L* (or of a window of it
    holding ``region`` with ``SHADING_SIGMA_PX`` × 3 to spare, as in ``FaceLightMaps``); the
    3 × 3 Laplacian is in %/px².
    """
    laplacian = cv2.Laplacian(contrast, cv2.CV_32F, ksize=1, borderType=cv2.BORDER_REFLECT)
    return float(laplacian[region].var())


def expression_measures(points: NDArray[np.float64]) -> dict[str, float]:
    """Give the mouth opening, the smaller eye opening and the higher brow, as scale-free ratios.

    ``points`` are the 478 landmarks of an upright face (as in a normalised face): mouth opening
    is inner-lip gap / mouth width, eye opening lid gap / eye width, brow height the vertical
    height of the brow's upper edge above the iris centre / inter-pupillary distance.
    """
    xy = points[:, :2]

    def distance(a: int, b: int) -> float:
        return float(np.linalg.norm(xy[a] - xy[b]))

    ipd = distance(468, 473)
    mouth = distance(*_MOUTH_INNER) / max(distance(*_MOUTH_CORNERS), 1e-9)
    eyes = [distance(up, low) / max(distance(out, inner), 1e-9) for up, low, out, inner in _EYES]
    brows = [(xy[iris, 1] - xy[brow, 1]) / max(ipd, 1e-9) for brow, iris in _BROWS]
    return {"mouth_open": mouth, "eye_open": min(eyes), "brow_height": float(max(brows))}


def _skin_union(face: NormalisedFace, masks: Masks) -> NDArray[np.bool_]:
    union = np.zeros(face.image.shape[:2], dtype=bool)
    for zone in _FACE_ZONES:
        for side in SIDES:
            mask = masks.get(zone, {}).get(side)
            if mask is not None:
                union |= mask
    return union


def _exposure_problems(
    lightness_map: NDArray[np.float32], skin: NDArray[np.bool_]
) -> list[Problem]:
    values = lightness_map[skin]
    mean = float(values.mean())
    dark = float(np.mean(values < DARK_CLIP_L))
    bright = float(np.mean(values > BRIGHT_CLIP_L))
    detail = {"mean_l": mean, "dark_clipped_share": dark, "bright_clipped_share": bright}
    problems = []
    if mean < MIN_MEAN_L or dark > MAX_CLIPPED_SHARE:
        by_mean = mean < MIN_MEAN_L
        problems.append(
            Problem(
                id="underexposed",
                hint="The photo is too dark: face a window or a lamp, or turn on more light.",
                value=mean if by_mean else dark,
                threshold=MIN_MEAN_L if by_mean else MAX_CLIPPED_SHARE,
                detail=detail,
            )
        )
    if mean > MAX_MEAN_L or bright > MAX_CLIPPED_SHARE:
        by_mean = mean > MAX_MEAN_L
        problems.append(
            Problem(
                id="overexposed",
                hint=(
                    "The photo is too bright: step out of direct sun or away from the flash, "
                    "and tap on your face so the camera exposes for it."
                ),
                value=mean if by_mean else bright,
                threshold=MAX_MEAN_L if by_mean else MAX_CLIPPED_SHARE,
                detail=detail,
            )
        )
    return problems


def _zone_mean(
    lightness_map: NDArray[np.float32], masks: Masks, zone: str, sides: tuple[Side, ...]
) -> float | None:
    union = np.zeros(lightness_map.shape, dtype=bool)
    for side in sides:
        mask = masks.get(zone, {}).get(side)
        if mask is not None:
            union |= mask
    if np.count_nonzero(union) == 0:
        return None
    return float(lightness_map[union].mean())


def _light_balance_problem(lightness_map: NDArray[np.float32], masks: Masks) -> Problem | None:
    left = _zone_mean(lightness_map, masks, "cheeks", ("left",))
    right = _zone_mean(lightness_map, masks, "cheeks", ("right",))
    top = _zone_mean(lightness_map, masks, "forehead", SIDES)
    bottom = _zone_mean(lightness_map, masks, "chin", SIDES)
    detail: dict[str, float] = {}
    if left is not None and right is not None:
        detail["left_minus_right_l"] = left - right
    if top is not None and bottom is not None:
        detail["forehead_minus_chin_l"] = top - bottom
    sideways = detail.get("left_minus_right_l")
    if sideways is not None and abs(sideways) > MAX_LEFT_RIGHT_L_DIFF:
        darker = "right" if sideways > 0 else "left"
        return Problem(
            id="uneven_light",
            hint=(
                f"Your {darker} cheek is in shadow: face the window or lamp so both cheeks "
                "get the same light."
            ),
            value=abs(sideways),
            threshold=MAX_LEFT_RIGHT_L_DIFF,
            detail=detail,
        )
    vertical = detail.get("forehead_minus_chin_l")
    if vertical is not None and abs(vertical) > MAX_TOP_BOTTOM_L_DIFF:
        where = "from above" if vertical > 0 else "from below"
        return Problem(
            id="uneven_light",
            hint=(
                f"The light comes {where}: stand facing a window or a lamp at face height "
                "rather than under a ceiling light."
            ),
            value=abs(vertical),
            threshold=MAX_TOP_BOTTOM_L_DIFF,
            detail=detail,
        )
    return None


def _pose_problem(pose: Pose) -> Problem | None:
    angles = {"yaw": pose.yaw, "pitch": pose.pitch, "roll": pose.roll}
    off = {axis: angle for axis, angle in angles.items() if abs(angle) > MAX_POSE_DEG}
    if not off:
        return None
    hints = []
    # Pose's signs: yaw > 0 turned toward the subject's left, pitch > 0 chin up,
    # roll > 0 tilted toward the left shoulder.
    if "yaw" in off:
        hints.append(f"turn your face a little to your {'right' if pose.yaw > 0 else 'left'}")
    if "pitch" in off:
        hints.append("lower your chin a little" if pose.pitch > 0 else "raise your chin a little")
    if "roll" in off:
        shoulder = "left" if pose.roll > 0 else "right"
        hints.append(f"hold your head straight (it leans toward your {shoulder} shoulder)")
    worst = max(off, key=lambda axis: abs(off[axis]))
    return Problem(
        id="pose_off",
        hint=_sentence(hints) + ", and look straight into the camera.",
        value=abs(off[worst]),
        threshold=MAX_POSE_DEG,
        detail=angles,
    )


_EXPRESSION_HINTS = {
    "mouth_open": "close your lips gently",
    "eye_open": "keep your eyes open",
    "brow_height": "let your eyebrows rest",
}


def expression_problem(
    measures: dict[str, float], limits: ExpressionLimits = STANDARD_EXPRESSION
) -> Problem | None:
    """Give the problem when an expression ratio (``expression_measures``) is past ``limits``."""
    broken = limits.broken(measures)
    if not broken:
        return None
    hints = [_EXPRESSION_HINTS[name] for name, _, _ in broken]
    _, value, threshold = broken[0]
    return Problem(
        id="expression_off",
        hint=_sentence(hints) + ", and let your face rest, relaxed and still.",
        value=value,
        threshold=threshold,
        detail=measures,
    )


def _sentence(clauses: list[str]) -> str:
    text = ", ".join(clauses[:-1]) + (" and " if len(clauses) > 1 else "") + clauses[-1]
    return text[0].upper() + text[1:]
