"""Every measure the product reports, defined once: its name, unit, which way is better, whether
it follows the light, and the values its instrument can give.

Progress (``core.progress``), the dashboard, the report, the command line and the API all read
these definitions; the journal refuses a value outside ``plausible`` and a day outside the
journal's window (:func:`check_value`, :func:`check_day`), and the statistics leave out a stored
one that is (:func:`in_bounds`), so one impossible number cannot break a person's progress.

A measure whose ``better`` is ``"neither"`` (or one the product does not know, such as another
instrument's parameter) is shown with its noise and change, never with a verdict of better or
worse.

Sources of the directions and ranges:

- Self-ratings: 0–10 scales; fine lines and sagging score how much of them a person sees.
- Cutometer (Courage + Khazaka, *Cutometer dual MPA 580* manual; Ohshima H et al., Skin Res
  Technol 2013;19:e238–42): R0 = Uf, the skin's final distension in mm (lower = firmer); R2 =
  Ua/Uf, R5 = Ur/Ue and R7 = Ur/Uf are elasticity ratios (closer to 1 = more elastic) and R8 =
  Ua in mm (higher = more recovery); R6 = Uv/Ue, the viscous share, has no better direction, nor
  have R1, R3, R4 and R9 on their own. The probe's optical range is 0–4 mm (the largest, 8 mm
  probe), so a distance beyond 5 mm or a ratio beyond a few is a typing or export error.
- Photo skin metrics: ``vision.skin``; shape metrics: ``vision.geometry`` (lower jawline sag
  and jowl position are firmer, a higher cheekbone is more lifted, a deeper smile line is
  worse).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import check_past_day

Better = Literal["higher", "lower", "neither"]
MeasureKind = Literal["self_rating", "photo", "instrument"]

# The journal's days: nothing measured before the Cutometer's time (1970) nor after today.
EARLIEST_DAY = dt.date(1970, 1, 1)
# A parameter of an instrument the product does not know: any finite number this size or less.
UNKNOWN_LIMIT = 1e6
# A line is a ridge at least 5 % darker than the skin beside it (≈ ΔL* 4 on skin of L* 70, about
# twice the just-noticeable colour difference ΔE*ab ≈ 2.3; Mahy et al. 1994).
LINE_CONTRAST_PERCENT = 5.0
# The limit is soft: a line counts from this many points below it (not at all) to as far above it
# (whole), half at the limit, so that a line just at the limit does not count whole in one photo
# and not at all in the next (vision.skin.detect_lines).
LINE_CONTRAST_SOFTNESS = 2.5
# Photo measures of lines and texture read every photo at the resolution of the coarsest one the
# quality gate accepts (eyes 128 px apart: a pixel ≈ 0.5 mm of skin; vision.skin).
_AT_COMMON_RESOLUTION = "; read at the detail of the coarsest photo accepted (pixels ≈ 0.5 mm)"

SELF_RATING_UNIT = "points (0–10)"

# The 8-week rule: a change is judged only on at least MIN_WEEKS weeks of measurements, from the
# first baseline day to the last (EVIDENCE.md §6; DESIGN: judged after 8 weeks). The progress
# analysis applies it, the plan builds up to it, and the dashboard, the report and the client
# list say so.
MIN_WEEKS = 8


def weeks_measured(first: dt.date, last: dt.date) -> int:
    """Give the whole weeks the measurements cover, from the first day to the last: the number
    the 8-week rule is checked against, and the one the dashboard, the report and the API show
    (6 days are 0 weeks, 7 to 13 days are 1)."""
    return max(0, (last - first).days // 7)


# The baseline: measurements on this many different days before the first session, so the
# statistics can measure the noise of a measure (the repeats give the typical error); the plan's
# baseline week asks for them, the progress analysis needs them.
MIN_BASELINE = 3

# The repeatability a photo measure needs to reach a verdict: between two photos of an unchanged
# face that differ only as a person's photos do (saved again, nearer or further, turned a little,
# shifted, for measures that do not follow the light a little brighter), its value moves by at
# most this share in the median over zones and sides, and this share in their 90th percentile,
# under each change. ``vision.repeatability`` makes the changes; benchmarks/bench_precision.py
# measures them (docs/precision.md), and tests/vision/test_precision.py holds the measures that
# reach a verdict to it. For comparison, Canfield VISIA's repeat captures a week apart differ by
# < 2 % (texture) to ≈ 6 % (wrinkles) (EVIDENCE.md §3, Imaging).
REPEATABLE_MEDIAN = 0.05
REPEATABLE_P90 = 0.12

# The measures that miss it, with the figures that put them here (biden2.jpg, the study of
# docs/precision.md): still measured and shown, never judged better or worse, and left out of the
# concerns, until a study shows them repeatable. One line per measure: remove it to judge again.
UNREPEATABLE: dict[str, str] = {
    "line_length_cm_per_cm2": (
        "moves a median 4.8 % (90th percentile 13.9 %) in a photo turned 3°, and 3.5 % (12.7 %) "
        "in one taken 25 % smaller"
    ),
}

BETTER_WORDS: dict[Better, str] = {
    "higher": "higher is better",
    "lower": "lower is better",
    "neither": "neither",
}


@dataclass(frozen=True)
class Measure:
    """One measure: what it is called and measures, its unit, which way is better, whether the
    light moves it too, the lowest and highest value its instrument can give, and, for a measure
    not yet repeatable enough to judge, why (``UNREPEATABLE``): it is then measured and shown
    but never judged better or worse, nor counted in a concern."""

    name: str
    title: str
    kind: MeasureKind
    unit: str
    better: Better
    follows_light: bool
    plausible: tuple[float, float]
    measures: str = ""
    short_unit: str = ""  # the unit as a table's column heading shows it (photo measures)
    scale_ends: tuple[str, str] = ("", "")  # what 0 and 10 mean (self-ratings)
    short_title: str = ""  # the name alone, as a form's question says it (self-ratings)
    why_exploratory: str = ""  # how it missed the repeatability it needs (``UNREPEATABLE``)

    @property
    def exploratory(self) -> bool:
        """Whether the measure is shown but never judged: not yet repeatable enough
        (``REPEATABLE_MEDIAN``, ``REPEATABLE_P90``)."""
        return bool(self.why_exploratory)

    @property
    def higher_is_better(self) -> bool | None:
        """Give True or False where a direction is known, None where neither is better."""
        return None if self.better == "neither" else self.better == "higher"

    @property
    def better_words(self) -> str:
        """Give which way is better in words, as a table writes it: "neither" where neither is."""
        return BETTER_WORDS[self.better]

    def allows(self, value: float) -> bool:
        """Whether ``value`` is a number this measure can take."""
        lowest, highest = self.plausible
        return math.isfinite(value) and lowest <= value <= highest


def _rating(name: str, title: str, better: Better, low: str, high: str) -> Measure:
    scale = f"0 {low} – 10 {high}"
    return Measure(
        name,
        title,
        "self_rating",
        SELF_RATING_UNIT,
        better,
        False,
        (0, 10),
        scale,
        scale_ends=(low, high),
        short_title=title.split(" (")[0],
    )


def _photo(
    name: str,
    title: str,
    unit: str,
    better: Better,
    plausible: tuple[float, float],
    measures: str,
    *,
    follows_light: bool,
    short_unit: str = "",
) -> Measure:
    return Measure(
        name,
        title,
        "photo",
        unit,
        better,
        follows_light,
        plausible,
        measures,
        short_unit,
        why_exploratory=UNREPEATABLE.get(name, ""),
    )


def _cutometer(parameter: str, unit: str, better: Better, highest: float, what: str) -> Measure:
    lowest = -highest if parameter == "R9" else 0.0  # R3 − R0 may come out below zero
    return Measure(
        f"cutometer:{parameter}",
        f"Cutometer {parameter}",
        "instrument",
        unit,
        better,
        False,
        (lowest, highest),
        what,
    )


_MM, _RATIO = 5.0, 3.0  # largest distance (mm) and ratio a Cutometer can give (see above)

_ALL: tuple[Measure, ...] = (
    _rating("firmness", "Firmness (your rating)", "higher", "slack", "very firm"),
    _rating("elasticity", "Elasticity (your rating)", "higher", "none", "springs right back"),
    _rating("fine_lines", "Fine lines (your rating)", "lower", "none", "many"),
    _rating("glow", "Glow (your rating)", "higher", "dull", "radiant"),
    _rating("sagging", "Sagging (your rating)", "lower", "none", "marked"),
    _photo(
        "wrinkle_index",
        "Wrinkles",
        "% lightness contrast",
        "lower",
        (0, 100),
        "mean ridge strength over the zone: the contrast of dark lines (fine lines and "
        "folds, σ 1–6 px) averaged over every pixel, zero where there is no line"
        + _AT_COMMON_RESOLUTION,
        follows_light=False,
        short_unit="% contrast",
    ),
    _photo(
        "line_density",
        "Lines (share of the zone)",
        "fraction of zone area (0–1)",
        "lower",
        (0, 1),
        f"share of the zone covered by lines at least {LINE_CONTRAST_PERCENT:g} % darker "
        "than the skin beside them and at least 2 mm long; lines near a limit count in part "
        f"(from {LINE_CONTRAST_PERCENT - LINE_CONTRAST_SOFTNESS:g} to "
        f"{LINE_CONTRAST_PERCENT + LINE_CONTRAST_SOFTNESS:g} % and from 1 to 3 mm)"
        + _AT_COMMON_RESOLUTION,
        follows_light=False,
    ),
    _photo(
        "line_length_cm_per_cm2",
        "Line length",
        "cm per cm² (cm from a mean inter-pupillary distance of 6.3 cm)",
        "lower",
        (0, 100),
        "total length of those lines (their centre lines, each counted in the same part) per "
        "area of the zone",
        follows_light=False,
        short_unit="cm per cm²",
    ),
    _photo(
        "texture_roughness",
        "Texture",
        "% lightness contrast",
        "lower",
        (0, 100),
        "standard deviation of fine detail (difference of Gaussians, σ 1–4 px ≈ 0.25–1 mm): "
        "pores, grain and fine lines" + _AT_COMMON_RESOLUTION,
        follows_light=False,
        short_unit="% contrast",
    ),
    _photo(
        "radiance",
        "Radiance",
        "L* (0–100)",
        "higher",
        (0, 100),
        "mean CIELAB lightness L* of the zone: brighter, more luminous skin reads higher; "
        "so does a brighter light or exposure, which the gate bounds but cannot cancel",
        follows_light=True,
        short_unit="L* 0–100",
    ),
    _photo(
        "evenness_l_iqr",
        "Evenness of lightness",
        "L* (0–100)",
        "lower",
        (0, 100),
        "spread of lightness at the scale of blotches and spots (interquartile range of L* "
        "less its average over about 4 mm around): blotches, spots and small shadows, not "
        "the slow shading across the zone",
        follows_light=True,
        short_unit="L* spread",
    ),
    _photo(
        "evenness_ita_iqr",
        "Evenness of tone",
        "degrees",
        "lower",
        (0, 360),
        "spread of skin tone at the scale of blotches and spots (interquartile range of the "
        "individual typology angle ITA° = atan2(L* − 50, b*)·180/π, Chardon et al. 1991, "
        "less its average over about 4 mm around)",
        follows_light=True,
    ),
    _photo(
        "redness",
        "Redness",
        "a*",
        "neither",
        (-128, 128),
        "mean CIELAB a* (green–red axis) of the zone: redness from blood flow, flushing or "
        "irritation; massage itself reddens skin for a while, so neither direction is better "
        "in itself; warm or cool light shifts it",
        follows_light=True,
        short_unit="a*",
    ),
    _photo(
        "jawline_sag",
        "Jawline sag",
        "IPD",
        "lower",
        (-1, 1),
        "mean depth of the jaw contour's bow below the line from the jaw angle to the chin, "
        "in inter-pupillary distances: a jowl deepens it, so lower is firmer",
        follows_light=False,
        short_unit="eye distances",
    ),
    _photo(
        "jowl_position",
        "Jowls below the mouth corners",
        "IPD",
        "lower",
        (-2, 2),
        "how far below the mouth corner the jaw contour's bulge hangs, in inter-pupillary "
        "distances: lower is higher-set",
        follows_light=False,
        short_unit="eye distances",
    ),
    _photo(
        "malar_height",
        "Cheekbone height",
        "share of mouth-to-eye height",
        "higher",
        (-1, 2),
        "where the cheekbone sits between the mouth corner (0) and the eye (1): higher is "
        "more lifted",
        follows_light=False,
        short_unit="mouth 0, eyes 1",
    ),
    _photo(
        "nasolabial_depth",
        "Smile line depth",
        "lightness contrast",
        "lower",
        (-1, 1),
        "shading contrast across the fold from the nose wing to the mouth corner, against "
        "the skin 5 mm either side of it (0 for no fold, higher for deeper); the direction "
        "of the light changes its shadow",
        follows_light=True,
        short_unit="contrast 0–1",
    ),
    _cutometer("R0", "mm", "lower", _MM, "final distension Uf: lower is firmer"),
    _cutometer("R1", "mm", "neither", _MM, "Uf − Ua: distension not recovered"),
    _cutometer("R2", "ratio", "higher", _RATIO, "gross elasticity Ua/Uf"),
    _cutometer("R3", "mm", "neither", _MM, "last curve's maximum amplitude"),
    _cutometer("R4", "mm", "neither", _MM, "last curve's minimum amplitude"),
    _cutometer("R5", "ratio", "higher", _RATIO, "net elasticity Ur/Ue"),
    _cutometer("R6", "ratio", "neither", _RATIO, "viscous share Uv/Ue"),
    _cutometer("R7", "ratio", "higher", _RATIO, "biological elasticity Ur/Uf"),
    _cutometer("R8", "mm", "higher", _MM, "recovery Ua"),
    _cutometer("R9", "mm", "neither", _MM, "tiring R3 − R0"),
)
MEASURES: dict[str, Measure] = {measure.name: measure for measure in _ALL}
SELF_RATINGS: tuple[str, ...] = tuple(m.name for m in _ALL if m.kind == "self_rating")
PHOTO_MEASURES: tuple[str, ...] = tuple(m.name for m in _ALL if m.kind == "photo")
# The photo measures the light moves as well as the skin: left out of progress on a day whose
# photo was not lit like the baseline photos (``core.progress.observation.counts``).
LIGHT_MEASURES: tuple[str, ...] = tuple(m for m in PHOTO_MEASURES if MEASURES[m].follows_light)


def light_measures_in_words() -> str:
    """Give the photo measures that follow the light as a sentence lists them: "radiance,
    evenness of lightness, … and smile line depth"."""
    titles = [MEASURES[name].title.lower() for name in LIGHT_MEASURES]
    return ", ".join(titles[:-1]) + " and " + titles[-1]


def follows_light(metric: str) -> bool:
    """Whether ``metric`` moves with the light as well as with the skin."""
    measure = measure_of(metric)
    return bool(measure and measure.follows_light)


def measure_of(metric: str) -> Measure | None:
    """Give the definition of ``metric`` (``cutometer:R2`` in any letter case), or None for a
    measure the product does not know."""
    found = MEASURES.get(metric)
    if found is None and ":" in metric:
        instrument, _, parameter = metric.rpartition(":")
        found = MEASURES.get(f"{instrument.lower()}:{parameter.upper()}")
    return found


def title_of(metric: str) -> str:
    """Give ``metric``'s name as the pages write it ("Line length"), or the metric itself for a
    measure the product does not know."""
    measure = measure_of(metric)
    return measure.title if measure else metric


def is_exploratory(metric: str) -> bool:
    """Whether ``metric`` is shown without a verdict: a measure not yet repeatable enough to
    judge (:attr:`Measure.exploratory`); a measure the product does not know is judged."""
    measure = measure_of(metric)
    return measure is not None and measure.exploratory


def scale_in_words(rating: str) -> str:
    """Give a self-rating's scale as a field's help says it: ``0 slack – 10 very firm.``"""
    return f"{MEASURES[rating].measures}."


@dataclass(frozen=True)
class ScaleEnd:
    """One end of a self-rating scale as a form shows it: its score and what the score means."""

    score: int
    words: str


def scale_worse_to_better(rating: str) -> tuple[ScaleEnd, ScaleEnd]:
    """Give a self-rating's two ends, the worse first and the better second, so every scale
    can be shown with "better" on the same side: firmness runs 0 slack → 10 very firm, fine
    lines 10 many → 0 none."""
    measure = MEASURES[rating]
    low, high = measure.scale_ends
    lowest, highest = (int(end) for end in measure.plausible)
    ends = (ScaleEnd(lowest, low), ScaleEnd(highest, high))
    return ends if measure.better == "higher" else (ends[1], ends[0])


def higher_is_better(metric: str) -> bool | None:
    """Give which way is better for ``metric``: True, False, or None where neither is known."""
    measure = measure_of(metric)
    return None if measure is None else measure.higher_is_better


def direction_words(higher_is_better: bool | None) -> str:
    """Give which way is better in words, as the report and the charts write it: "higher is
    better", "lower is better", or nothing where neither is."""
    if higher_is_better is None:
        return ""
    return BETTER_WORDS["higher" if higher_is_better else "lower"]


def allowed_values(metric: str) -> str:
    """Give the values ``metric`` may take, in words."""
    measure = measure_of(metric)
    if measure is None:
        return f"a number from {-UNKNOWN_LIMIT:g} to {UNKNOWN_LIMIT:g}"
    lowest, highest = measure.plausible
    unit = "" if measure.unit in ("", "ratio") else f" {measure.unit.split(' (')[0]}"
    return f"a number from {lowest:g} to {highest:g}{unit} ({measure.title})"


def plausible(metric: str, value: float) -> bool:
    """Whether ``value`` is a number ``metric``'s instrument can give (finite, within range)."""
    measure = measure_of(metric)
    if measure is None:
        return math.isfinite(value) and abs(value) <= UNKNOWN_LIMIT
    return measure.allows(value)


def check_value(field: str, metric: str, value: float) -> float:
    """Give ``value`` back if ``metric`` can take it; raise UserError naming ``field`` if not."""
    if not plausible(metric, value):
        raise UserError(field, f"{value!r} is not a possible value", allowed_values(metric))
    return value


def day_allowed(day: dt.date, today: dt.date | None = None) -> bool:
    """Whether ``day`` is in the journal's window: from ``EARLIEST_DAY`` to ``today``."""
    return day >= EARLIEST_DAY and (today is None or day <= today)


def check_day(field: str, day: dt.date, today: dt.date) -> dt.date:
    """Give ``day`` back if it is in the journal's window; raise UserError naming ``field``."""
    return check_past_day(field, day, today, earliest=EARLIEST_DAY)
