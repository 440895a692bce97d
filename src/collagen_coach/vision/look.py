"""How a face was taken — pose, distance, light, expression, where in the frame — and whether a
later photo was taken like the person's own baseline photos.

A :class:`FaceLook` is the little a photo must share with another to be compared with it: it is
kept with each analysed photo, the median of the baseline photos' looks is the person's
baseline (:func:`baseline_of`), and a later photo (or a live camera frame) is judged against
it. The comparability limits (pose, light, distance) live here, once; the pair comparison
(``compare.py``) and the live capture coach (``live.py``) read them from here.

Left and right are the subject's own (as everywhere in ``vision``); the pose's signs are
``face.Pose``'s.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from collagen_coach.vision.face import Pose, Problem
from collagen_coach.vision.limits import value_and_limit
from collagen_coach.vision.quality import (
    MAX_BROW_HEIGHT_RATIO,
    MAX_MOUTH_OPEN_RATIO,
    MIN_EYE_OPEN_RATIO,
    ExpressionLimits,
    expression_problem,
)

# --- Comparability of two photos --------------------------------------------------------------
# Pose: geometry and shading change by a few percent per few degrees of turn, so two photos may
# differ by at most this much on each axis.
MAX_POSE_DIFFERENCE_DEG = 5.0
# Light: a change of mean face L* beyond this moves radiance, evenness and wrinkle contrast by
# more than the effects we look for.
MAX_LIGHT_DIFFERENCE_L = 6.0
# Distance: the camera's distance changes perspective (nose and cheeks grow when it is close);
# the face's size may differ by at most this factor. Size is the inter-pupillary distance as a
# share of the photo's long side, not in pixels: a baseline from a 12-MP phone (eyes ~400 px
# apart) and a later photo from a 1280-px webcam at the same distance differ ×3 in pixels, but
# hardly in share, as phone and laptop cameras see about the same angle (≈ 65–80° across the
# long side). Between two cameras of very different angle the share misjudges the distance in
# proportion; the same camera, whatever resolution it is set to, is judged exactly.
MAX_DISTANCE_RATIO = 1.25

# --- Expression against the person's own relaxed face ----------------------------------------
# The standard limits (quality.py) are set for anyone; a person whose relaxed face lies beyond
# one of them (lips apart at rest, hooded lids, high-set brows) could never pass. Against her
# baseline each limit is widened, never narrowed, to her relaxed value plus a margin. Each margin
# is above what FaceMesh's landmarks alone move a ratio: the same face (test_compare.py's
# standard photo) found again in eight framings a few pixels and ±2 % apart read mouth opening
# over a range of 0.035, eye opening 0.032, brow height 0.019 (standard deviations 0.011,
# 0.009, 0.005); a resting lip gap also varies by 1-2 mm (0.02-0.04 of a mouth) between sittings.
# - mouth: 0.05 of the mouth's width (2.5 mm of a 50 mm mouth); a smile showing teeth or speech
#   opens the mouth by 0.15-0.4, three times as much or more;
# - eyes: 0.05 of the eye's width (1.5 mm of a 30 mm eye); a squint or a blink closes them by
#   more than half the ≈0.3 of an open eye;
# - brows: 0.05 of the inter-pupillary distance (≈3 mm); a deliberate raise lifts the brow by
#   0.08-0.16 IPD (quality.py).
MOUTH_MARGIN_RATIO = 0.05
EYE_MARGIN_RATIO = 0.05
BROW_MARGIN_RATIO = 0.05

# FaceMesh's face oval (``FACEMESH_FACE_OVAL`` in mediapipe's face_mesh_connections) as one
# ring: forehead top (10), round the subject's left side to the chin (152) and back up her right.
FACE_OVAL: tuple[int, ...] = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip

# Decimals a look keeps (its JSON is stored with every photo): far below what any check reads.
_ANGLE_DECIMALS = 2  # 0.01°
_IPD_DECIMALS = 1  # 0.1 px
_L_DECIMALS = 2  # 0.01 L*
_RATIO_DECIMALS = 4
_OUTLINE_DECIMALS = 4  # 1/10 000 of the photo: under half a pixel of a 4000-px photo
_SCALARS = (
    "yaw",
    "pitch",
    "roll",
    "native_ipd_px",
    "face_share",
    "lightness",
    "left_right_l",
    "mouth_open",
    "eye_open",
    "brow_height",
)


@dataclass(frozen=True)
class FaceLook:
    """How a face was taken: what two photos must share to be compared."""

    yaw: float  # degrees, as head_pose gives
    pitch: float
    roll: float
    native_ipd_px: float  # iris distance at the camera's full resolution
    face_share: float  # iris distance over the photo's long side: the face's size in the frame
    lightness: float  # mean face L* (forehead, cheeks and chin, as compare.py reads light)
    left_right_l: float  # subject's left minus right cheek mean L*
    mouth_open: float  # the expression ratios quality.expression_measures gives
    eye_open: float
    brow_height: float
    outline: tuple[tuple[float, float], ...]  # FACE_OVAL, fractions of the photo's width, height

    @property
    def pose(self) -> Pose:
        """Give the head pose as a ``Pose``."""
        return Pose(yaw=self.yaw, pitch=self.pitch, roll=self.roll)

    @property
    def expression(self) -> dict[str, float]:
        """Give the expression ratios under ``quality.expression_measures``' names."""
        return {
            "mouth_open": self.mouth_open,
            "eye_open": self.eye_open,
            "brow_height": self.brow_height,
        }

    def as_json(self) -> dict[str, Any]:
        """Give the look as a JSON object (``from_json`` reads it back unchanged)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _SCALARS}
        data["outline"] = [[x, y] for x, y in self.outline]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FaceLook:
        """Give the look ``as_json`` wrote, or raise ``ValueError`` naming what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a face look must be a JSON object, not {type(data).__name__}")
        missing = [name for name in (*_SCALARS, "outline") if name not in data]
        if missing:
            raise ValueError(f"a face look needs {', '.join(missing)}")
        values = {name: _finite(data[name], name) for name in _SCALARS}
        for name in ("native_ipd_px", "face_share"):
            if values[name] <= 0:
                raise ValueError(f"{name} must be above 0")
        outline = data["outline"]
        if not isinstance(outline, Sequence) or len(outline) != len(FACE_OVAL):
            raise ValueError(f"outline must be a list of {len(FACE_OVAL)} [x, y] points")
        points = []
        for point in outline:
            if not isinstance(point, Sequence) or isinstance(point, str) or len(point) != 2:
                raise ValueError("each outline point must be [x, y], fractions of the photo")
            points.append((_finite(point[0], "outline x"), _finite(point[1], "outline y")))
        return cls(**values, outline=tuple(points))


def _finite(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value!r}")
    return float(value)


def face_look(
    pose: Pose,
    native_ipd_px: float,
    *,
    face_share: float,
    lightness: float,
    left_right_l: float,
    expression: Mapping[str, float],
    outline: Sequence[Sequence[float]],
) -> FaceLook:
    """Give the look of one face, its values rounded to what the checks can tell apart.

    ``expression`` is ``quality.expression_measures`` of the upright face; ``outline`` the
    ``FACE_OVAL`` points as fractions of the photo's width and height.
    """
    return FaceLook(
        yaw=round(pose.yaw, _ANGLE_DECIMALS),
        pitch=round(pose.pitch, _ANGLE_DECIMALS),
        roll=round(pose.roll, _ANGLE_DECIMALS),
        native_ipd_px=round(native_ipd_px, _IPD_DECIMALS),
        face_share=round(face_share, _RATIO_DECIMALS),
        lightness=round(lightness, _L_DECIMALS),
        left_right_l=round(left_right_l, _L_DECIMALS),
        mouth_open=round(expression["mouth_open"], _RATIO_DECIMALS),
        eye_open=round(expression["eye_open"], _RATIO_DECIMALS),
        brow_height=round(expression["brow_height"], _RATIO_DECIMALS),
        outline=tuple(
            (round(float(x), _OUTLINE_DECIMALS), round(float(y), _OUTLINE_DECIMALS))
            for x, y in outline
        ),
    )


def face_lightness(metrics: Mapping[str, Mapping[str, float | None]]) -> float | None:
    """Give the face's mean L*: the mean radiance of forehead, cheeks and chin (None if none)."""
    values = [
        value
        for zone in ("forehead", "cheeks", "chin")
        if (value := metrics.get(zone, {}).get("radiance")) is not None
    ]
    return float(statistics.fmean(values)) if values else None


def baseline_of(looks: Sequence[FaceLook]) -> FaceLook | None:
    """Give the median look of the baseline photos (each value and outline point apart)."""
    if not looks:
        return None
    values = {name: statistics.median(getattr(look, name) for look in looks) for name in _SCALARS}
    outline = tuple(
        (
            statistics.median(look.outline[i][0] for look in looks),
            statistics.median(look.outline[i][1] for look in looks),
        )
        for i in range(min(len(look.outline) for look in looks))
    )
    return FaceLook(**values, outline=outline)


def relaxed_limits(baseline: FaceLook) -> ExpressionLimits:
    """Give the expression limits for this person: the standard ones, widened to her relaxed
    baseline plus the margins above where her relaxed face lies beyond them."""
    return ExpressionLimits(
        max_mouth_open=max(MAX_MOUTH_OPEN_RATIO, baseline.mouth_open + MOUTH_MARGIN_RATIO),
        min_eye_open=min(MIN_EYE_OPEN_RATIO, baseline.eye_open - EYE_MARGIN_RATIO),
        max_brow_height=max(MAX_BROW_HEIGHT_RATIO, baseline.brow_height + BROW_MARGIN_RATIO),
    )


def pose_instruction(axis: str, off_by_deg: float) -> str:
    """Give the one move that undoes ``off_by_deg`` on ``axis`` ("yaw", "pitch" or "roll").

    Signs as ``Pose``'s; left and right are the person's own, so the words hold whether or not
    her preview is mirrored.
    """
    if axis == "yaw":  # turned toward her left: turn back to her right
        return f"Turn a little to your {'right' if off_by_deg > 0 else 'left'}"
    if axis == "pitch":  # chin up: lower it
        return "Lower your chin a little" if off_by_deg > 0 else "Lift your chin a little"
    if axis == "roll":  # leaning toward her left shoulder: tilt back toward her right
        return f"Tilt your head a little to your {'right' if off_by_deg > 0 else 'left'}"
    raise ValueError(f"axis must be yaw, pitch or roll, not {axis!r}")


def distance_instruction(size_ratio: float) -> str:
    """Give the move that brings a face ``size_ratio`` times the wanted size back to it."""
    return "Step back a little" if size_ratio > 1 else "Come a little closer"


def baseline_differences(look: FaceLook, baseline: FaceLook) -> list[Problem]:
    """Give every way ``look`` was taken unlike the person's ``baseline`` (empty: comparable).

    Pose (``baseline_yaw``, ``baseline_pitch``, ``baseline_roll``: the signed difference in
    ``detail``), distance (``baseline_distance``: the face's size ratio) and expression
    (``expression_off``, against ``relaxed_limits(baseline)``). Light is not among them: it
    decides only whether the measures that follow the light may be compared (``lit_alike``).
    """
    problems: list[Problem] = []
    for axis in ("yaw", "pitch", "roll"):
        difference = getattr(look, axis) - getattr(baseline, axis)
        if abs(difference) > MAX_POSE_DIFFERENCE_DEG:
            problems.append(
                Problem(
                    id=f"baseline_{axis}",
                    hint=f"{pose_instruction(axis, difference)}, as in your baseline photos.",
                    value=abs(difference),
                    threshold=MAX_POSE_DIFFERENCE_DEG,
                    detail={"difference_deg": difference, "baseline_deg": getattr(baseline, axis)},
                )
            )
    ratio = look.face_share / baseline.face_share
    if max(ratio, 1 / ratio) > MAX_DISTANCE_RATIO:
        if ratio > 1:
            shown, allowed = value_and_limit(ratio, MAX_DISTANCE_RATIO, decimals=2)
            size = f"{shown} times its size in your baseline photos (at most {allowed} times)"
        else:
            shown, allowed = value_and_limit(ratio, 1 / MAX_DISTANCE_RATIO, decimals=2)
            size = f"{shown} of its size in your baseline photos (at least {allowed})"
        problems.append(
            Problem(
                id="baseline_distance",
                hint=(
                    f"{distance_instruction(ratio)}: your face is {size}. Hold the camera as "
                    "you did then."
                ),
                value=max(ratio, 1 / ratio),
                threshold=MAX_DISTANCE_RATIO,
                detail={"size_ratio": ratio, "baseline_face_share": baseline.face_share},
            )
        )
    expression = expression_problem(look.expression, relaxed_limits(baseline))
    if expression is not None:
        problems.append(expression)
    return problems


def lit_alike(look: FaceLook, baseline: FaceLook) -> bool:
    """Tell whether the light is close enough to the baseline's for measures that follow it.

    Each cheek's light may move by at most ``MAX_LIGHT_DIFFERENCE_L``: a cheek's mean L* is the
    face's mean plus or minus half the left-right difference, so the face's change plus half the
    change in balance must stay within it.
    """
    overall = abs(look.lightness - baseline.lightness)
    balance = abs(look.left_right_l - baseline.left_right_l)
    return overall + balance / 2 <= MAX_LIGHT_DIFFERENCE_L
