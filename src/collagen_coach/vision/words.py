"""A photo's measurements as a person reads them, on the photo page and in the terminal alike.

The head pose as a correction to make, numbers at the decimals each measure is shown with, and
the face-shape rows with their names, units and better direction, written once for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from collagen_coach.core.measures import MEASURES, Better
from collagen_coach.core.techniques import load_library

# The decimals each skin measure per zone is shown with.
ZONE_DECIMALS: dict[str, int] = {
    "wrinkle_index": 2,
    "line_length_cm_per_cm2": 2,
    "texture_roughness": 2,
    "radiance": 1,
    "evenness_l_iqr": 1,
    "redness": 1,
}
# Shape measures per side: (zone, metric); the name, short unit and which way is better come
# from the measure's one definition (core.measures). Shown to 3 decimals.
SHAPE_ROWS: tuple[tuple[str, str], ...] = (
    ("jawline", "jawline_sag"),
    ("jawline", "jowl_position"),
    ("cheeks", "malar_height"),
    ("nasolabial", "nasolabial_depth"),
)
SHAPE_DECIMALS = 3


def pose_in_words(pose: Mapping[str, float | None] | None) -> str:
    """Say the head pose the way a person would correct it (vision.face.Pose's signs)."""
    if not pose or any(pose.get(axis) is None for axis in ("yaw", "pitch", "roll")):
        return ""
    yaw, pitch, roll = (float(pose[axis] or 0.0) for axis in ("yaw", "pitch", "roll"))
    return (
        f"turned {abs(yaw):.1f}° to your {'left' if yaw > 0 else 'right'}, "
        f"chin {abs(pitch):.1f}° {'up' if pitch > 0 else 'down'}, "
        f"tilted {abs(roll):.1f}° toward your {'left' if roll > 0 else 'right'} shoulder"
    )


def number(value: float | None, places: int | None = None, *, signed: bool = False) -> str:
    """Give ``value`` at ``places`` decimals, or three significant digits when ``places`` is
    None ("—" when missing; no "-0.00", and no sign on no change)."""
    if value is None:
        return "—"
    sign = "+" if signed else ""
    if places is not None:
        if round(value, places) == 0:
            return f"{0:.{places}f}"
        return f"{value:{sign}.{places}f}"
    if abs(value) >= 10_000:
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.3g}"


@dataclass(frozen=True)
class ShapeRow:
    """One face-shape measure: its name, your left and your right as text, unit, better way."""

    title: str
    left: str
    right: str
    unit: str
    better: Better
    exploratory: bool = False  # shown, not judged (``core.measures.Measure.exploratory``)


def shape_rows(
    by_side: Mapping[str, Mapping[str, Mapping[str, float | None]]], *, signed: bool = False
) -> list[ShapeRow]:
    """Give the face-shape measures found in ``by_side`` (zone → side → metric → value)."""
    rows = []
    for zone, metric in SHAPE_ROWS:
        measure = MEASURES[metric]
        sides = by_side.get(zone, {})
        left = sides.get("left", {}).get(metric)
        right = sides.get("right", {}).get(metric)
        if left is not None or right is not None:
            rows.append(
                ShapeRow(
                    title=measure.title,
                    left=number(left, SHAPE_DECIMALS, signed=signed),
                    right=number(right, SHAPE_DECIMALS, signed=signed),
                    unit=measure.short_unit,
                    better=measure.better,
                    exploratory=measure.exploratory,
                )
            )
    return rows


def zone_names() -> dict[str, str]:
    """Give each zone id's name as the technique library writes it."""
    return {zone_id: zone.name for zone_id, zone in load_library().zones.items()}
