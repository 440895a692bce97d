"""A photo's analysis as a person reads it: problems in words, metrics in tables with units, the
legend of its annotated image."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from collagen_coach.core.measures import BETTER_WORDS, light_measures_in_words
from collagen_coach.core.techniques import load_library
from collagen_coach.core.words import EXPLORATORY_WORDS, day_in_words
from collagen_coach.vision import quality, words
from collagen_coach.vision.limits import value_and_limit
from collagen_coach.vision.overlay import (
    LINE_COLOUR,
    LINE_OPACITY,
    OTHER_ZONE_COLOUR,
    OUTLINE_OPACITY,
    ZONE_COLOURS,
)
from collagen_coach.vision.skin import METRICS
from collagen_coach.vision.words import ZONE_DECIMALS

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
    "baseline_yaw": "Head turned unlike your baseline photos",
    "baseline_pitch": "Chin higher or lower than in your baseline photos",
    "baseline_roll": "Head tilted unlike your baseline photos",
    "baseline_distance": "Nearer or farther than in your baseline photos",
}

# The skin measures shown per zone; decimals from vision.words, names, units and which way is
# better from vision.skin.METRICS (core.measures).
ZONE_MEASURES: tuple[str, ...] = (
    "wrinkle_index",
    "line_length_cm_per_cm2",
    "texture_roughness",
    "radiance",
    "evenness_l_iqr",
    "redness",
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
    """Say what was measured and the limit it broke, e.g. "turned 11.2°; at most 8.0°".

    The value and its limit are written to the same precision, so a refused value always reads
    as beyond its limit (vision.limits.value_and_limit).
    """
    if value is None or threshold is None:
        return ""

    def both(decimals: int, scale: float = 1.0) -> tuple[str, str]:
        return value_and_limit(value * scale, threshold * scale, decimals)

    if problem_id == "multiple_faces":
        return f"{value:.0f} faces found; only one may be in the photo"
    if problem_id == "low_resolution":
        shown, bound = both(0)
        return f"your pupils are {shown} pixels apart; at least {bound} are needed"
    if problem_id == "face_cut_off":
        shown, bound = both(1, scale=100)
        return f"{shown} % of your face is outside the photo; at most {bound} % may be"
    if problem_id == "blurry":
        shown, bound = both(2)
        return f"sharpness {shown}; at least {bound} is needed"
    if problem_id in ("underexposed", "overexposed"):
        if threshold == quality.MAX_CLIPPED_SHARE:
            which = "dark" if problem_id == "underexposed" else "bright"
            shown, bound = both(1, scale=100)
            return (
                f"{shown} % of the skin is too {which} to show any detail; at most {bound} % may be"
            )
        limit = "at least" if problem_id == "underexposed" else "at most"
        shown, bound = both(1)
        return f"the face's lightness is L* {shown} (0 black, 100 white); {limit} {bound}"
    if problem_id == "uneven_light":
        shown, bound = both(1)
        return (
            f"one part of the face is {shown} L* darker than the other (0 black, 100 white); "
            f"at most {bound} is allowed"
        )
    if problem_id == "pose_off":
        shown, bound = both(1)
        return f"the head is turned or tilted by {shown}°; at most {bound}° is allowed"
    if problem_id == "expression_off":
        shown, bound = both(2)
        if threshold == quality.MAX_MOUTH_OPEN_RATIO:
            return f"the lips are open {shown} of the mouth's width; at most {bound}"
        if threshold == quality.MIN_EYE_OPEN_RATIO:
            return f"the eyes are open {shown} of their width; at least {bound}"
        return f"the eyebrows are raised {shown} eye distances above the eyes; at most {bound}"
    if problem_id in ("baseline_yaw", "baseline_pitch", "baseline_roll"):
        shown, bound = both(1)
        return f"{shown}° away from your baseline photos; at most {bound}° is allowed"
    if problem_id == "baseline_distance":
        shown, bound = both(2)
        return (
            f"your face's size differs from your baseline photos' by a factor of {shown}; "
            f"at most {bound} is allowed"
        )
    if problem_id == "too_large":
        shown, bound = both(1, scale=1e-6)
        return f"{shown} megapixels; at most {bound}"
    shown, bound = both(3)
    return f"measured {shown}; limit {bound}"


@dataclass(frozen=True)
class Column:
    """A column of the zone table: heading, unit, which way is better and what it measures;
    ``exploratory`` says, for a measure not yet repeatable enough to judge, that it is not."""

    heading: str
    unit: str
    better: str
    measures: str
    follows_light: bool
    exploratory: str = ""


@dataclass(frozen=True)
class Row:
    """One zone's name and its values as text (— where not measured)."""

    name: str
    values: list[str]

    @property
    def cells(self) -> list[tuple[str, str]]:
        """Give each value with its column's heading and unit, for a table stacked on a phone."""
        return [
            (f"{METRICS[metric].title} ({METRICS[metric].short_unit})", value)
            for metric, value in zip(ZONE_MEASURES, self.values, strict=True)
        ]


def zone_columns() -> list[Column]:
    """Give the columns of the zone table."""
    return [
        Column(
            heading=METRICS[metric].title,
            unit=METRICS[metric].short_unit,
            better=METRICS[metric].better_words,
            measures=METRICS[metric].measures,
            follows_light=METRICS[metric].follows_light,
            exploratory=_exploratory(METRICS[metric].exploratory),
        )
        for metric in ZONE_MEASURES
    ]


def zone_rows(
    metrics: Mapping[str, Mapping[str, float | None]], *, signed: bool = False
) -> list[Row]:
    """Give one row per zone measured (in the zones' own order), values at fixed decimals."""
    names = words.zone_names()
    order = list(names)
    zones = sorted(metrics, key=lambda z: order.index(z) if z in order else len(order))
    return [
        Row(
            name=names.get(zone, zone),
            values=[
                words.number(metrics[zone].get(metric), ZONE_DECIMALS[metric], signed=signed)
                for metric in ZONE_MEASURES
            ],
        )
        for zone in zones
    ]


@dataclass(frozen=True)
class MeasureTable:
    """One skin measure over the zones, for a table a phone shows whole: the measure's name,
    unit, which way is better and what it measures, then each zone with its value."""

    title: str
    unit: str
    better: str
    measures: str
    follows_light: bool
    rows: list[tuple[str, str]]
    exploratory: str = ""


def measure_tables(
    metrics: Mapping[str, Mapping[str, float | None]], *, signed: bool = False
) -> list[MeasureTable]:
    """Give one table per skin measure: each zone measured (in the zones' order) and its value
    (``signed`` for a change: "+0.3")."""
    zones = zone_rows(metrics, signed=signed)
    return [
        MeasureTable(
            title=column.heading,
            unit=column.unit,
            better=column.better,
            measures=column.measures,
            follows_light=column.follows_light,
            rows=[(row.name, row.values[index]) for row in zones],
            exploratory=column.exploratory,
        )
        for index, column in enumerate(zone_columns())
    ]


@dataclass(frozen=True)
class LegendItem:
    """One colour of the annotated image, as see-through as there, and what it marks."""

    name: str
    colour: str  # as CSS and SVG write it
    opacity: float


def overlay_legend(zone_ids: list[str]) -> list[LegendItem]:
    """Give the annotated image's legend: each zone measured in its colour, then the lines."""
    names = words.zone_names()
    items = [
        LegendItem(
            names.get(zone, zone),
            _css(ZONE_COLOURS.get(zone, OTHER_ZONE_COLOUR)),
            OUTLINE_OPACITY,
        )
        for zone in sorted(zone_ids, key=lambda z: list(names).index(z) if z in names else 99)
    ]
    return [*items, LegendItem("Lines the analysis found", _css(LINE_COLOUR), LINE_OPACITY)]


def _css(colour: tuple[int, int, int]) -> str:
    red, green, blue = colour
    return f"rgb({red} {green} {blue})"


def shape_rows(
    by_side: Mapping[str, Mapping[str, Mapping[str, float | None]]], *, signed: bool = False
) -> list[list[str]]:
    """Give the face-shape measures: name, your left, your right, unit, which way is better,
    and for a measure not yet repeatable enough to judge, that it is not."""
    return [
        [
            row.title,
            row.left,
            row.right,
            row.unit,
            BETTER_WORDS[row.better],
            _exploratory(row.exploratory),
        ]
        for row in words.shape_rows(by_side, signed=signed)
    ]


def _exploratory(exploratory: bool) -> str:
    return EXPLORATORY_WORDS if exploratory else ""


def judging_evidence() -> dict[str, str]:
    """Give the claim about when to judge progress, with its evidence label and caveat."""
    evidence = load_library().evidence["judge_after_8_weeks"]
    return {"claim": evidence.claim, "label": evidence.label, "caveat": evidence.caveat}


# --- whether a photo is comparable with the person's baseline photos (web.photos.baseline) ------

# What to do when a photo's light was unlike the baseline photos'.
LIGHT_HINT = (
    "Take your photos in the same place, with the same light and at the same time of day as your "
    "baseline photos."
)


@dataclass(frozen=True)
class BaselineReading:
    """Whether a photo is comparable with the person's baseline photos, in words: ``headline``
    (one line), ``hints`` (what to do differently next time: each problem's hint),
    ``light_hint`` (the light's, where it differed) and ``light_note`` (which measures the
    light left out of her progress)."""

    comparable: bool | None
    headline: str
    hints: list[str]
    light_note: str = ""
    light_hint: str = ""

    @property
    def todo(self) -> list[str]:
        """Give everything to do differently next time: the problems' hints, then the light's."""
        return [*self.hints, *([self.light_hint] if self.light_hint else [])]


def baseline_reading(
    *,
    day: dt.date,
    ok: bool,
    problems: list[dict[str, Any]],
    look: object,
    lit_like_baseline: bool | None,
    baseline_photo: bool,
) -> BaselineReading | None:
    """Give whether a photo (its day, quality verdict, stored problems, look and light verdict)
    is comparable with the baseline photos; ``baseline_photo``: whether it is one of them.
    None for a photo analysed before looks were kept."""
    hints = list(dict.fromkeys(str(p.get("hint") or "") for p in problems if p.get("hint")))
    if look is None and ok:
        return None
    if lit_like_baseline is None:
        if not ok:
            return BaselineReading(
                False, "Not comparable: it did not pass the quality check.", hints
            )
        if baseline_photo:
            return BaselineReading(
                None,
                "One of your baseline photos: your later photos are compared with how these "
                "were taken and lit.",
                [],
            )
        return BaselineReading(
            None, "Not compared with a baseline: there was no baseline photo yet.", []
        )
    light_note = light_hint = ""
    if not lit_like_baseline:
        light_hint = LIGHT_HINT
        light_note = (
            "It was not lit like your baseline photos, so its "
            f"{light_measures_in_words()} are left out of your progress for "
            f"{day_in_words(day, year=True)}: the light moves them as much as your skin does."
        )
    if not ok:
        return BaselineReading(
            False,
            "Not comparable with your baseline photos: it does not count towards your progress.",
            hints,
            light_hint=light_hint,
        )
    if not lit_like_baseline:
        return BaselineReading(
            False,
            "Comparable with your baseline photos except for its light.",
            hints,
            light_note,
            light_hint,
        )
    return BaselineReading(
        True, "Comparable with your baseline photos: taken and lit the same way.", []
    )
