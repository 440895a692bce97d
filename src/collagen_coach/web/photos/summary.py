"""One photo's result in plain words: passed or what to retake, then what moved since the baseline.

A photo is one day in one light, so this is a single-day reading, never a verdict (that is the
progress page's, over weeks). It compares the photo's value of each series (one measure in one
zone on one side, measured by the same algorithm) with the mean of the baseline photos
(``core.progress.baseline_mean``, the baseline chosen as progress chooses it) against the
person's own noise (``core.noise.typical_error`` of the baseline repeats and same-day retakes).

A series *moved* when its difference from the baseline mean is beyond both

- its minimal detectable change, MDC95 (as the progress statistics use it), and
- what noise alone gives less than one time in twenty **for its whole group**: a t-quantile with
  the noise's degrees of freedom, Bonferroni-corrected for the number of series in the group,
  on the standard error of one day against a mean of ``n`` baseline days, SEM·√(1 + 1/n).

So with its 20-odd series a group is still called changed by noise alone at most 5 % of the
time (tests/web/photos/test_summary.py simulates it: 3.8 % of 400 people), and a photo's many
zones do not multiply false alarms.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats

from collagen_coach.core.measures import MEASURES, MIN_BASELINE, PHOTO_MEASURES
from collagen_coach.core.noise import Noise, typical_error
from collagen_coach.core.progress.observation import Observation, SeriesKey, counts
from collagen_coach.core.progress.series import MIN_BASELINE_DAYS, baseline_flags, baseline_mean
from collagen_coach.core.words import day_in_words
from collagen_coach.vision.words import zone_names

FALSE_ALARM_RATE = 0.05  # per group of measures, see the module docstring
SIDES = ("left", "right")

# The photo measures grouped as a person names what she cares about.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Lines", ("wrinkle_index", "line_density", "line_length_cm_per_cm2")),
    ("Texture", ("texture_roughness",)),
    ("Even tone", ("evenness_l_iqr", "evenness_ita_iqr", "redness")),
    ("Glow", ("radiance",)),
    ("Sagging (face shape)", ("jawline_sag", "jowl_position", "malar_height", "nasolabial_depth")),
)
HOW_WE_JUDGE = (
    "Each measure in each zone is compared with the mean of your baseline photos. A change counts "
    "only when it is larger than your own baseline photos' day-to-day variation would make it by "
    "chance, allowing for every zone and measure in its group at once, so a group is called "
    "changed by chance at most about one time in twenty."
)

PAIR_HOW_WE_JUDGE = (
    "Each measure in each zone of the later photo is compared with the earlier one. A difference "
    "counts only when it is larger than two photos of the same skin differ by chance, as your "
    "baseline photos' day-to-day variation shows, allowing for every zone and measure in its "
    "group at once, so a group is called changed by chance at most about one time in twenty."
)


@dataclass(frozen=True)
class GroupReading:
    """One group of measures: its name and what moved beyond the usual variation, in words
    (both sides unless one is named)."""

    name: str
    moved: list[str]


@dataclass(frozen=True)
class PhotoSummary:
    """A photo's result as a person reads it first.

    ``comparison`` is the sentence about the baseline; ``groups`` are the groups that moved
    (empty when nothing did or nothing could be compared), ``steady`` names the others.
    """

    passed: bool
    comparison: str
    groups: list[GroupReading]
    steady: str
    compared: bool


def photo_summary(
    *,
    ok: bool,
    day: dt.date,
    algorithm: str,
    metrics_by_side: Mapping[str, Any],
    observations: Sequence[Observation],
) -> PhotoSummary:
    """Give the summary of one photo (its quality verdict, day, algorithm and values) against
    the person's photo observations (``web.journal.services.progress_observations``)."""
    if not ok:
        return PhotoSummary(
            False,
            "Because this photo did not pass the quality check, it is not compared with your "
            "other photos.",
            [],
            "",
            False,
        )
    photos = _photos(observations, algorithm)
    baseline_days = _baseline_days(photos)
    if baseline_days and day < baseline_days[0]:
        return PhotoSummary(
            True,
            "This photo was taken before your current baseline, so it is not compared with it.",
            [],
            "",
            False,
        )
    if day in baseline_days:
        number = sum(1 for d in baseline_days if d <= day)
        of = f" of {MIN_BASELINE}" if number <= MIN_BASELINE else f" ({MIN_BASELINE} are needed)"
        return PhotoSummary(
            True,
            f"This is baseline photo {number}{of}: there is nothing to compare with yet. Your "
            "baseline photos show how much your photos vary from day to day before you start.",
            [],
            "",
            False,
        )
    if len(baseline_days) < MIN_BASELINE_DAYS:
        have = len(baseline_days)
        return PhotoSummary(
            True,
            f"Your baseline has {have} photo day{'' if have == 1 else 's'} that passed; at least "
            f"{MIN_BASELINE_DAYS} are needed to know your usual day-to-day variation, so there is "
            "nothing to compare with yet.",
            [],
            "",
            False,
        )
    series = _series_without(photos, {day})
    groups, steady_words = _readings(
        lambda metrics: _moved_in_group(metrics, metrics_by_side, series, {day})
    )
    first, last = baseline_days[0], baseline_days[-1]
    comparison = (
        f"Compared with your {len(baseline_days)} baseline photo days "
        f"({day_in_words(first)} to {day_in_words(last, year=True)}):"
    )
    return PhotoSummary(True, comparison, groups, steady_words, True)


def pair_summary(
    *,
    before: dt.date,
    after: dt.date,
    algorithm: str,
    before_by_side: Mapping[str, Any],
    after_by_side: Mapping[str, Any],
    observations: Sequence[Observation],
) -> PhotoSummary:
    """Give what differs between two passed photos (their days, the algorithm that measured
    both and their values per side) beyond the usual variation between two photos of the same
    skin, from the person's baseline photos (``observations`` as for :func:`photo_summary`)."""
    photos = _photos(observations, algorithm)
    baseline_days = _baseline_days(photos)
    if len(baseline_days) < MIN_BASELINE_DAYS:
        have = len(baseline_days)
        return PhotoSummary(
            True,
            f"Your baseline has {have} photo day{'' if have == 1 else 's'} that passed; at least "
            f"{MIN_BASELINE_DAYS} are needed to know how much two photos of the same skin differ, "
            "so the differences below cannot be told apart from that yet.",
            [],
            "",
            False,
        )
    series = _series_without(photos, {before, after})
    groups, steady_words = _readings(
        lambda metrics: _moved_in_group(
            metrics, after_by_side, series, {before, after}, before_by_side
        )
    )
    comparison = (
        f"The photo of {day_in_words(after, year=True)} against that of "
        f"{day_in_words(before, year=True)}, beyond the usual variation between two photos of "
        f"the same skin (from your {len(baseline_days)} baseline photo days):"
    )
    return PhotoSummary(True, comparison, groups, steady_words, True)


def _photos(observations: Sequence[Observation], algorithm: str) -> list[Observation]:
    """Give the photo observations measured by ``algorithm`` that count towards progress."""
    return [
        o
        for o in observations
        if o.metric in PHOTO_MEASURES and o.algorithm == algorithm and counts(o)
    ]


def _baseline_days(photos: Sequence[Observation]) -> list[dt.date]:
    return sorted({o.date for o, flag in zip(photos, baseline_flags(photos), strict=True) if flag})


def _series_without(
    photos: Sequence[Observation], days: set[dt.date]
) -> dict[SeriesKey, list[Observation]]:
    """Give the photo series (by measure, zone and side) without the photos of ``days``."""
    series: dict[SeriesKey, list[Observation]] = defaultdict(list)
    for o in photos:
        if o.date not in days:
            series[(o.metric, o.zone, o.side)].append(o)
    return series


def _readings(
    moved_in: Callable[[tuple[str, ...]], tuple[int, list[str]]],
) -> tuple[list[GroupReading], str]:
    """Give the groups that moved (``moved_in`` tells, per group's measures, how many series
    were compared and what moved) and the sentence about the others."""
    groups, steady = [], []
    for name, metrics in GROUPS:
        tested, moved = moved_in(metrics)
        if moved:
            groups.append(GroupReading(name, moved))
        elif tested:
            steady.append(name)
    if not groups and not steady:
        return groups, "None of the measures could be compared with your baseline photos."
    if not groups:
        return groups, "Nothing moved beyond your usual day-to-day variation."
    if steady:
        return groups, f"{_listed(steady)}: nothing moved beyond your usual day-to-day variation."
    return groups, ""


def _moved_in_group(
    metrics: tuple[str, ...],
    metrics_by_side: Mapping[str, Any],
    series: Mapping[SeriesKey, list[Observation]],
    days: set[dt.date],
    before_by_side: Mapping[str, Any] | None = None,
) -> tuple[int, list[str]]:
    """Give how many series of the group could be compared, and in words each zone and measure
    that moved beyond the usual variation: against the baseline mean (the error of one day
    against a mean of ``n`` days, SEM·√(1 + 1/n)), or with ``before_by_side`` against another
    photo (the error of one day against one day, SEM·√2). ``days`` are the photos' days, left
    out of the noise's same-day retakes."""
    tested: list[tuple[str, str, str, float, Noise, float]] = []
    for zone, sides in metrics_by_side.items():
        for side in SIDES:
            values = _side_values(sides, side)
            earlier = _side_values((before_by_side or {}).get(zone), side)
            for metric in metrics:
                value = values.get(metric)
                history = series.get((metric, zone, side), [])
                if value is None or not history or not MEASURES[metric].allows(float(value)):
                    continue
                noise, baseline_days, mean = _noise_of(history, days)
                if noise is None or mean is None or baseline_days < MIN_BASELINE_DAYS:
                    continue
                if before_by_side is None:
                    reference, error = mean, noise.sem * math.sqrt(1 + 1 / baseline_days)
                else:
                    other = earlier.get(metric)
                    if other is None or not MEASURES[metric].allows(float(other)):
                        continue
                    reference, error = float(other), noise.sem * math.sqrt(2)
                tested.append((metric, zone, side, float(value) - reference, noise, error))
    if not tested:
        return 0, []
    share = FALSE_ALARM_RATE / (2 * len(tested))
    moved: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for metric, zone, side, difference, noise, error in tested:
        bound = max(noise.mdc, _t_quantile(share, noise.df) * error)
        if abs(difference) > bound:
            moved[(metric, zone, "higher" if difference > 0 else "lower")].append(side)
    names = zone_names()
    order = {zone: place for place, zone in enumerate(names)}
    by_measure: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (metric, zone, direction), sides in sorted(
        moved.items(), key=lambda item: order.get(item[0][1], len(order))
    ):
        where = "" if len(sides) == len(SIDES) else f" (your {sides[0]})"
        by_measure[(metric, direction)].append(names.get(zone, zone).lower() + where)
    return len(tested), [
        _moved_in_words(metric, direction, zones)
        for (metric, direction), zones in sorted(by_measure.items())
    ]


@functools.cache
def _t_quantile(upper_share: float, df: int) -> float:
    """Give the t value with ``upper_share`` of the t distribution (``df``) above it."""
    return float(stats.t.isf(upper_share, df))


def _side_values(sides: object, side: str) -> Mapping[str, Any]:
    """Give one side's values of a zone's ``{side: {metric: value}}`` (empty when missing)."""
    return (sides.get(side) or {}) if isinstance(sides, Mapping) else {}


def _noise_of(
    history: Sequence[Observation], days: set[dt.date]
) -> tuple[Noise | None, int, float | None]:
    """Give a series' noise (same-day retakes of ``days`` left out), its number of baseline
    days and its baseline mean."""
    flags = baseline_flags(history)
    baseline = [o.value for o, flag in zip(history, flags, strict=True) if flag]
    baseline_days = len({o.date for o, flag in zip(history, flags, strict=True) if flag})
    later: dict[dt.date, list[float]] = defaultdict(list)
    for o, flag in zip(history, flags, strict=True):
        if not flag and o.date not in days:
            later[o.date].append(o.value)
    noise = typical_error(baseline, list(later.values()))
    return noise, baseline_days, baseline_mean(history)


def _moved_in_words(metric: str, direction: str, zones: list[str]) -> str:
    """Say one measure that moved and where: "Wrinkles read lower than your usual variation
    (the better direction): outer eye corners, around the mouth (your left)"."""
    measure = MEASURES[metric]
    if measure.better == "neither":
        judged = "neither direction is better in itself"
    else:
        judged = "the better direction" if measure.better == direction else "the worse direction"
    light = "; the light moves it too" if measure.follows_light else ""
    return (
        f"{measure.title} read {direction} than your usual variation ({judged}{light}): "
        f"{', '.join(zones)}"
    )


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    rest = [name.lower() for name in names[1:]]
    return ", ".join([names[0], *rest[:-1]]) + " and " + rest[-1]
