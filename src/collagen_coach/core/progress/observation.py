"""One measurement, and which measurements count towards progress.

Only photos that passed the quality gate count (``quality_ok``), of a photo not lit like the
baseline photos (``lit_like_baseline`` False) only the measures the light does not move
(``core.measures.follows_light``: its radiance is the lamp's as much as the skin's), and only
values and days the
measure can have (``core.measures``: a stored 1e200 or a reading dated 0001-01-01 is left out
with a note, never analysed); one series never mixes algorithm versions: where a series holds
several, only the version of its latest observation is analysed and a note says how many were
left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from collagen_coach.core.measures import (
    MEASURES,
    day_allowed,
    follows_light,
    light_measures_in_words,
    measure_of,
    plausible,
)
from collagen_coach.core.measures import SELF_RATINGS as SELF_RATING_NAMES
from collagen_coach.core.progress._shared import label, plural
from collagen_coach.core.words import day_in_words

Phase = Literal["baseline", "treatment", "off"]
SeriesKey = tuple[str, str | None, str | None]  # (metric, zone, side)
SIDES = ("left", "right")
# Which way is better comes from each measure's one definition (``core.measures``); a measure
# with no known direction is shown with its noise and change but never judged better or worse.
DEFAULT_HIGHER_IS_BETTER: dict[str, bool] = {
    name: direction
    for name, measure in MEASURES.items()
    if (direction := measure.higher_is_better) is not None
}
SELF_RATINGS = frozenset(SELF_RATING_NAMES)


@dataclass(frozen=True, slots=True)
class Observation:
    """One measurement: a metric's value on a day, in a zone and on a side when it has them.

    Same-session retakes share a date (and ``session`` when given). ``phase`` marks baseline,
    treatment or off (no massage) periods. ``algorithm`` is the version that measured a photo
    (``"name@version"``); ``quality_ok`` is False for a photo the quality gate rejected;
    ``lit_like_baseline`` is False for a photo lit unlike the baseline photos (None where it was
    not judged against them).
    """

    date: dt.date
    metric: str
    value: float
    zone: str | None = None
    side: str | None = None
    phase: Phase | None = None
    session: str | None = None
    algorithm: str | None = None
    unit: str | None = None
    quality_ok: bool = True
    lit_like_baseline: bool | None = None


def in_bounds(observation: Observation, today: dt.date | None = None) -> bool:
    """Whether an observation's value and day are ones its measure can have (``core.measures``):
    a finite value in the measure's range, a day from ``EARLIEST_DAY`` to ``today``."""
    return plausible(observation.metric, observation.value) and day_allowed(observation.date, today)


def counts(observation: Observation, today: dt.date | None = None) -> bool:
    """Whether an observation counts towards progress: a photo that passed the quality gate
    (or not a photo) with a value and day its measure can have, and not a measure that follows
    the light on a photo lit unlike the baseline."""
    return (
        observation.quality_ok
        and not unlike_baseline_light(observation)
        and in_bounds(observation, today)
    )


def unlike_baseline_light(observation: Observation) -> bool:
    """Whether an observation is left out for its light: a measure that follows the light, on
    a photo not lit like the baseline photos."""
    return observation.lit_like_baseline is False and follows_light(observation.metric)


def impossible_note(observations: Sequence[Observation]) -> str:
    """Give the note that says which stored measurements were left out as impossible."""
    first = min(observations, key=lambda o: (o.date.toordinal(), o.metric))
    count = len(observations)
    return (
        f"{count} stored measurement{plural(count)} left out: the value or the day is not one the "
        f"measure can have (for example {label(first.metric, first.zone, first.side)} "
        f"{first.value:.6g} on {first.date.isoformat()}). Correct or delete "
        f"{'it' if count == 1 else 'them'} in the journal."
    )


def unlit_note(days: Collection[dt.date]) -> str:
    """Give the note that says on which days the measures that follow the light were left out,
    and why."""
    count = len(days)
    listed = ", ".join(day_in_words(day, year=True) for day in sorted(days))
    return (
        f"The {light_measures_in_words()} of the photo{plural(count)} of {listed} are left out: "
        f"{'it was' if count == 1 else 'they were'} not lit like your baseline photos, and the "
        "light moves these measures as much as your skin does."
    )


def newest_algorithm(observations: Sequence[Observation]) -> tuple[list[Observation], str]:
    """Give the observations measured with the algorithm version of the latest one, and a note
    saying how many others were left out ("" when none were): versions are never mixed."""
    if not observations:
        return [], ""
    latest = max(observations, key=lambda o: o.date)
    version = latest.algorithm
    same = [o for o in observations if o.algorithm == version]
    left_out = len(observations) - len(same)
    if not left_out:
        return list(observations), ""
    others = sorted({str(o.algorithm) for o in observations if o.algorithm != version})
    return same, (
        f"{left_out} measurement{plural(left_out)} by {', '.join(others)} left out; only those by "
        f"{version} are analysed, since a change of algorithm changes the numbers."
    )


def unit_of(observations: Sequence[Observation]) -> str:
    """Give the unit most of the observations carry ("points" for a self-rating without one)."""
    units = [o.unit for o in observations if o.unit]
    if units:
        return max(set(units), key=units.count)
    if observations and observations[0].metric in SELF_RATINGS:
        return "points"
    return ""


def direction_of(metric: str, higher_is_better: Mapping[str, bool]) -> bool | None:
    """Give whether higher is better for ``metric`` (None where no direction is known): its
    measure's definition first, then ``higher_is_better`` by name or by parameter."""
    known = measure_of(metric)
    if known is not None:  # the one definition wins: a caller cannot turn a measure round
        return known.higher_is_better
    for mapping in (higher_is_better, DEFAULT_HIGHER_IS_BETTER):
        if metric in mapping:
            return mapping[metric]
        parameter = metric.rsplit(":", 1)[-1]
        if parameter in mapping:
            return mapping[parameter]
    return None
