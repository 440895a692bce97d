"""``{% face_map %}``: the face as an SVG with its massage zones, for every page that shows one.

Shapes are seen from the front, so the person's left side is drawn on the viewer's right (as in a
mirror turned round: the way a therapist sees the client). Each zone shape carries ``data-zone``,
``data-side`` and its centre (``data-cx``/``data-cy``) so scripts can light it up and draw motions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import template

from collagen_coach.core.techniques import ZONE_IDS

register = template.Library()


@dataclass(frozen=True)
class ZoneShape:
    zone: str
    side: str  # "left", "right" (the person's own) or "both" for a zone on the midline
    cx: float
    cy: float
    rx: float
    ry: float
    angle_deg: float = 0.0


def _pair(
    zone: str, viewer_left_cx: float, cy: float, rx: float, ry: float, angle: float = 0.0
) -> list[ZoneShape]:
    # The person's right side is on the viewer's left.
    return [
        ZoneShape(zone, "right", viewer_left_cx, cy, rx, ry, angle),
        ZoneShape(zone, "left", 200 - viewer_left_cx, cy, rx, ry, -angle),
    ]


SHAPES: list[ZoneShape] = [
    ZoneShape("forehead", "both", 100, 52, 46, 18),
    ZoneShape("glabella", "both", 100, 80, 8, 8),
    *_pair("temples", 42, 80, 9, 14),
    *_pair("crows_feet", 49, 100, 6, 9),
    *_pair("under_eye", 72, 111, 14, 6),
    *_pair("cheeks", 62, 137, 17, 16),
    *_pair("nasolabial", 84, 152, 5, 14, 20),
    ZoneShape("mouth", "both", 100, 172, 20, 8),
    *_pair("jawline", 67, 186, 21, 7, 35),
    ZoneShape("chin", "both", 100, 197, 16, 8),
    ZoneShape("neck", "both", 100, 234, 28, 20),
]
assert {shape.zone for shape in SHAPES} == set(ZONE_IDS), "every zone has a shape on the face map"

LABELS: dict[str, str] = {zone: zone.replace("_", " ") for zone in ZONE_IDS}


def _as_set(value: Any) -> set[str]:
    if not value:
        return set()
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable):
        return {str(item) for item in value}
    return {str(value)}


@register.inclusion_tag("components/face_map.html")
def face_map(
    avoid: Any = None,
    active: Any = None,
    active_side: str = "both",
    labels: bool = True,
    title: str = "Face map",
    map_id: str = "face-map",
) -> dict[str, Any]:
    """Give the context of the face map: zones to shade as avoided and the zone to light up.

    ``avoid`` and ``active`` take a zone id or a list of them; ``active_side`` limits the lit
    zone to the person's ``left`` or ``right`` side.
    """
    avoided = _as_set(avoid)
    lit = _as_set(active)
    shapes = []
    for shape in SHAPES:
        classes = ["zone"]
        if shape.zone in avoided:
            classes.append("zone-avoid")
        if shape.zone in lit and (active_side == "both" or shape.side in (active_side, "both")):
            classes.append("zone-active")
        shapes.append({"shape": shape, "classes": " ".join(classes)})
    label_shapes = [s for s in SHAPES if s.side in ("both", "left")] if labels else []
    return {
        "shapes": shapes,
        "labels": [{"shape": s, "text": LABELS[s.zone]} for s in label_shapes],
        "avoided": sorted(avoided),
        "title": title,
        "map_id": map_id,
    }
