"""A photo's analysis as a person reads it: problems in words, metrics in tables with units."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collagen_coach.core.techniques import load_library
from collagen_coach.vision import quality
from collagen_coach.vision.skin import METRICS

PROBLEM_TITLES: dict[str, str] = {
    "no_face": "No face found",
    "multiple_faces": "More than one face",
    "low_resolution": "Face too small in the photo",
    "face_cut_off": "Face cut off by the frame",
    "blurry": "Blurred",
    "underexposed": "Too dark",
    "overexposed": "Too bright",
    "uneven_light": "Uneven light",
    "pose_off": "Head turned or tilted",
    "expression_off": "Face not relaxed",
    "not_an_image": "Not a readable photo",
    "unsupported_format": "Format not taken",
    "too_large": "Too large",
}

# The skin measures shown per zone: (metric, heading, decimals). Units and which way is better
# come from vision.skin.METRICS.
ZONE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("wrinkle_index", "Wrinkles", 2),
    ("line_length_cm_per_cm2", "Line length", 2),
    ("texture_roughness", "Texture", 2),
    ("radiance", "Radiance", 1),
    ("evenness_l_iqr", "Evenness", 1),
    ("redness", "Redness", 1),
)
SHORT_UNITS: dict[str, str] = {
    "wrinkle_index": "% contrast",
    "line_length_cm_per_cm2": "cm per cm²",
    "texture_roughness": "% contrast",
    "radiance": "L* 0–100",
    "evenness_l_iqr": "L* spread",
    "redness": "a*",
}
BETTER_WORDS = {"lower": "lower is better", "higher": "higher is better", "neither": "neither"}
# Shape measures per side: (zone, metric, name, unit, which way is better).
SHAPE_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    ("jawline", "jawline_sag", "Jawline sag", "eye distances", "lower is better"),
    (
        "jawline",
        "jowl_position",
        "Jowls below the mouth corners",
        "eye distances",
        "lower is better",
    ),
    ("cheeks", "malar_height", "Cheekbone height", "mouth 0, eyes 1", "higher is better"),
    ("nasolabial", "nasolabial_depth", "Smile line depth", "contrast 0–1", "lower is better"),
)


@dataclass(frozen=True)
class ProblemInWords:
    """One quality problem: a title, what to do, and the measurement against its limit."""

    id: str
    title: str
    hint: str
    measured: str


def problems_in_words(problems: list[dict[str, Any]]) -> list[ProblemInWords]:
    """Give each stored problem (``{id, hint, value, threshold}``) with its numbers in words."""
    return [
        ProblemInWords(
            id=str(p["id"]),
            title=PROBLEM_TITLES.get(str(p["id"]), str(p["id"]).replace("_", " ").capitalize()),
            hint=str(p.get("hint") or ""),
            measured=measured_in_words(str(p["id"]), p.get("value"), p.get("threshold")),
        )
        for p in problems
    ]


def measured_in_words(problem_id: str, value: float | None, threshold: float | None) -> str:
    """Say what was measured and the limit it broke, e.g. "turned 11.2°; allowed up to 8°"."""
    if value is None or threshold is None:
        return ""
    if problem_id == "multiple_faces":
        return f"{value:.0f} faces found; only one may be in the photo"
    if problem_id == "low_resolution":
        return f"your pupils are {value:.0f} pixels apart; at least {threshold:.0f} are needed"
    if problem_id == "face_cut_off":
        return (
            f"{value * 100:.1f} % of your face is outside the photo; "
            f"at most {threshold * 100:.1f} % may be"
        )
    if problem_id == "blurry":
        return f"sharpness {value:.2f}; at least {threshold:.2f} is needed"
    if problem_id in ("underexposed", "overexposed"):
        if threshold == quality.MAX_CLIPPED_SHARE:
            which = "dark" if problem_id == "underexposed" else "bright"
            return (
                f"{value * 100:.1f} % of the skin is too {which} to show any detail; "
                f"at most {threshold * 100:.0f} % may be"
            )
        limit = "at least" if problem_id == "underexposed" else "at most"
        return (
            f"the face's lightness is L* {value:.1f} (0 black, 100 white); {limit} {threshold:.0f}"
        )
    if problem_id == "uneven_light":
        return (
            f"one part of the face is {value:.1f} L* darker than the other (0 black, 100 white); "
            f"at most {threshold:.0f} is allowed"
        )
    if problem_id == "pose_off":
        return f"the head is turned or tilted by {value:.1f}°; at most {threshold:.0f}° is allowed"
    if problem_id == "expression_off":
        if threshold == quality.MAX_MOUTH_OPEN_RATIO:
            return f"the lips are open {value:.2f} of the mouth's width; at most {threshold:.2f}"
        if threshold == quality.MIN_EYE_OPEN_RATIO:
            return f"the eyes are open {value:.2f} of their width; at least {threshold:.2f}"
        return (
            f"the eyebrows are raised {value:.2f} eye distances above the eyes; "
            f"at most {threshold:.2f}"
        )
    if problem_id == "too_large":
        return f"{value / 1e6:.1f} megapixels; at most {threshold / 1e6:.0f}"
    return f"measured {value:.3g}; limit {threshold:.3g}"


def pose_in_words(pose: dict[str, float | None] | None) -> str:
    """Say the head pose the way a person would correct it (vision.face.Pose's signs)."""
    if not pose or any(pose.get(axis) is None for axis in ("yaw", "pitch", "roll")):
        return ""
    yaw, pitch, roll = (float(pose[axis] or 0.0) for axis in ("yaw", "pitch", "roll"))
    return (
        f"turned {abs(yaw):.1f}° to your {'left' if yaw > 0 else 'right'}, "
        f"chin {abs(pitch):.1f}° {'up' if pitch > 0 else 'down'}, "
        f"tilted {abs(roll):.1f}° toward your {'left' if roll > 0 else 'right'} shoulder"
    )


@dataclass(frozen=True)
class Column:
    """A column of the zone table: heading, unit, which way is better and what it measures."""

    heading: str
    unit: str
    better: str
    measures: str
    follows_light: bool


@dataclass(frozen=True)
class Row:
    """One zone's name and its values as text (— where not measured)."""

    name: str
    values: list[str]


def zone_columns() -> list[Column]:
    """Give the columns of the zone table."""
    return [
        Column(
            heading=heading,
            unit=SHORT_UNITS[metric],
            better=BETTER_WORDS[METRICS[metric].better],
            measures=METRICS[metric].measures,
            follows_light=METRICS[metric].follows_light,
        )
        for metric, heading, _ in ZONE_COLUMNS
    ]


def zone_rows(
    metrics: Mapping[str, Mapping[str, float | None]], *, signed: bool = False
) -> list[Row]:
    """Give one row per zone measured (in the zones' own order), values at fixed decimals."""
    names = zone_names()
    order = list(names)
    zones = sorted(metrics, key=lambda z: order.index(z) if z in order else len(order))
    return [
        Row(
            name=names.get(zone, zone),
            values=[
                number(metrics[zone].get(metric), places, signed=signed)
                for metric, _, places in ZONE_COLUMNS
            ],
        )
        for zone in zones
    ]


def shape_rows(
    by_side: Mapping[str, Mapping[str, Mapping[str, float | None]]], *, signed: bool = False
) -> list[list[str]]:
    """Give the face-shape measures: name, your left, your right, unit, which way is better."""
    rows = []
    for zone, metric, name, unit, better in SHAPE_ROWS:
        sides = by_side.get(zone, {})
        left = sides.get("left", {}).get(metric)
        right = sides.get("right", {}).get(metric)
        if left is not None or right is not None:
            rows.append(
                [
                    name,
                    number(left, 3, signed=signed),
                    number(right, 3, signed=signed),
                    unit,
                    better,
                ]
            )
    return rows


def number(value: float | None, places: int, *, signed: bool = False) -> str:
    """Give ``value`` at ``places`` decimals ("—" when missing; no "-0.00")."""
    if value is None:
        return "—"
    if round(value, places) == 0:
        return f"{0:.{places}f}"
    return f"{value:{'+' if signed else ''}.{places}f}"


def zone_names() -> dict[str, str]:
    """Give each zone id's name as the technique library writes it."""
    return {zone_id: zone.name for zone_id, zone in load_library().zones.items()}


def judging_evidence() -> dict[str, str]:
    """Give the claim about when to judge progress, with its evidence label and caveat."""
    evidence = load_library().evidence["judge_after_8_weeks"]
    return {"claim": evidence.claim, "label": evidence.label, "caveat": evidence.caveat}
