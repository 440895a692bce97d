"""One measured series as the product shows it, on the dashboard and in the report alike: its
name, unit, verdict with its caveats, the points it was judged on and its baseline.

The view is made from the analysis' result alone (``core.progress.SeriesResult`` carries the
observations it was judged on), so showing a series never groups the measurements or runs the
analysis again. The dashboard and the report each add their own formatting to it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Self

from collagen_coach.core.baseline import weeks_to_wait
from collagen_coach.core.measures import (
    MIN_WEEKS,
    SELF_RATING_UNIT,
    MeasureKind,
    follows_light,
    measure_of,
)
from collagen_coach.core.progress import (
    SELF_RATINGS,
    SIDES,
    SPLIT_SIDE,
    Observation,
    ProgressResult,
    SeriesResult,
    baseline_mean,
)
from collagen_coach.core.techniques import load_library
from collagen_coach.core.words import VERDICT_WORDS, VERDICTS, Verdict

MetricKind = MeasureKind
Interval = tuple[float, float, float]  # (lo, est, hi), a 95 % interval around the estimate
Role = Literal["treated", "untreated"]

# What each verdict allows one to say, and what it does not; shown beside every verdict, in
# plain words (the numbers behind them, such as the MDC, are one step away in each series' table).
VERDICT_CAVEATS: dict[Verdict, str] = {
    "improving": (
        "The change is bigger than your usual day-to-day variation, and too steady to be chance. "
        "It says that this measure changed for the better, not why: light, season, sleep, "
        "skin-care products and the massage can each move it. One person's measurements show "
        "that things happened together, not what caused what."
    ),
    "worsening": (
        "The change is bigger than your usual day-to-day variation, and too steady to be chance. "
        "It says that this measure changed for the worse, not why: the season, the light, sleep, "
        "or how the photos or readings were taken can do it. If it comes with pain, redness or "
        "bruising, stop and ask a clinician."
    ),
    "no_change_detected": (
        "Any change was within your usual day-to-day variation, or too uncertain to tell apart "
        "from it. This does not prove that nothing changed, nor that the routine does not work: "
        "a change smaller than that variation cannot be seen with this measurement."
    ),
    "not_enough_data": (
        "Too few measurements to judge yet, so nothing can be said either way. Keep measuring "
        "the same way."
    ),
    "not_judged": (
        "The change is bigger than your usual day-to-day variation, but neither direction is "
        "known to be better for this measure, so it is shown without a verdict of better or "
        "worse."
    ),
}

# Caveats by kind of measure (EVIDENCE.md §3 and §7), in plain words with their source.
KIND_CAVEATS: dict[str, str] = {
    "self_rating": (
        "Your own rating: people who expect a change tend to see it. In a face-exercise study "
        "the participants saw improvement in 18 of 20 features, while raters who did not know "
        "which photo was which saw change in the cheeks only (Alam M et al., JAMA Dermatol 2018)."
    ),
    "instrument": (
        "An instrument reading: skin elasticity and moisture change with the seasons (elasticity "
        "was lowest in spring in one study, Skin Res Technol 2021) and with how the probe is "
        "placed. Take several readings each time; with a Cutometer, leave out the first suction "
        "of each set."
    ),
    "photo": (
        "Measured from photos: only photos that passed the quality check count, and how you hold "
        "your head, the distance and your expression still matter. When the app's way of "
        "measuring is updated, the measurements start afresh."
    ),
}
FOLLOWS_LIGHT_CAVEAT = (
    "This measure follows the light as well as the skin: a brighter lamp or another time of day "
    "moves it. Take every photo in the same place, light and time of day."
)


class Point(NamedTuple):
    """One measurement on a chart: its day, value and phase."""

    date: dt.date
    value: float
    phase: str | None = None


@dataclass(frozen=True)
class SeriesView:
    """One measured series (a metric, in a zone, on a side) with its verdict and its caveats.

    For the split-face difference, ``side`` is ``"treated-untreated"`` and the points are the
    daily differences between the sides. In a split-face trial, a side's series has its ``role``
    and the other side's points as ``control_points``.
    """

    key: str
    title: str
    name: str
    metric: str
    zone: str | None
    side: str | None
    kind: MetricKind
    unit: str
    higher_is_better: bool | None
    n: int
    mdc: float | None
    slope_per_week: Interval | None
    change: Interval | None
    verdict: Verdict
    reason: str
    explanation: str
    caveats: tuple[str, ...]
    points: tuple[Point, ...]
    baseline_mean: float | None
    role: Role | None = None
    control_points: tuple[Point, ...] = ()

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    @property
    def weeks_more(self) -> int:
        """Give how many more weeks of measurements a verdict needs (0 once it has one), counted
        as every page counts them (``core.baseline.weeks_to_wait``)."""
        if self.verdict != "not_enough_data":
            return 0
        if not self.points:
            return MIN_WEEKS
        return weeks_to_wait(self.points[0].date, self.points[-1].date)

    @classmethod
    def of(
        cls, result: SeriesResult, *, role: Role | None = None, control: Sequence[Point] = ()
    ) -> Self:
        """Give the view of one analysed series, from the observations it was judged on."""
        kind = metric_kind(result.metric)
        caveats = [VERDICT_CAVEATS[result.verdict], KIND_CAVEATS[kind]]
        # The split-face difference cancels the light, which reaches both sides alike.
        if kind == "photo" and follows_light(result.metric) and result.side != SPLIT_SIDE:
            caveats.append(FOLLOWS_LIGHT_CAVEAT)
        key = "-".join(p for p in (result.metric, result.zone, result.side) if p)
        title = metric_title(result.metric, result.zone, result.side)
        if result.side == SPLIT_SIDE:
            key += "-split"
            title = metric_title(result.metric, result.zone, None) + SPLIT_FACE_TITLE
        return cls(
            key=key.replace(":", "-"),
            title=title,
            name=metric_name(result.metric),
            metric=result.metric,
            zone=result.zone,
            side=result.side,
            kind=kind,
            unit=metric_unit(result.metric, result.unit),
            higher_is_better=result.higher_is_better,
            n=result.n,
            mdc=result.mdc,
            slope_per_week=result.slope_per_week,
            change=result.change,
            verdict=result.verdict,
            reason=result.reason,
            explanation=result.explanation,
            caveats=tuple(caveats),
            points=points(result.observations),
            baseline_mean=baseline_mean(result.observations),
            role=role,
            control_points=tuple(control),
        )

    @classmethod
    def all_of(
        cls, progress: ProgressResult, treated_side: str | None
    ) -> tuple[tuple[Self, ...], tuple[Self, ...]]:
        """Give the views of every series and of every split-face difference; with a
        ``treated_side``, each side's series shows the other side's points beside its own."""
        by_key = {(r.metric, r.zone, r.side): r for r in progress.series}
        series = []
        for result in progress.series:
            if treated_side in SIDES and result.side in SIDES:
                other = by_key.get((result.metric, result.zone, _other_side(result.side)))
                role: Role = "treated" if result.side == treated_side else "untreated"
                control = points(other.observations) if other is not None else ()
                series.append(cls.of(result, role=role, control=control))
            else:
                series.append(cls.of(result))
        return tuple(series), tuple(cls.of(r) for r in progress.split_face)


SPLIT_FACE_TITLE = ": massaged side minus the other"


def count_verdicts(verdicts: Iterable[Verdict]) -> dict[Verdict, int]:
    """Give how many series got each verdict, in the order they are counted."""
    counted = Counter(verdicts)
    return {v: counted[v] for v in VERDICTS}


def verdict_counts_in_words(counts: Mapping[Verdict, int]) -> list[str]:
    """Give the verdicts counted, in words, those with none left out: ``["2 improving", …]``."""
    return [f"{n} {VERDICT_WORDS[v]}" for v, n in counts.items() if n]


def verdicts_summary(counts: Mapping[Verdict, int]) -> str:
    """Give all verdicts in one sentence, as the dashboard and the report's cover say it."""
    total = sum(counts.values())
    if not total:
        return "There are no measurements yet, so nothing can be said about change."
    measures = "measure" if total == 1 else "measures"
    return f"Of {total} {measures}: " + ", ".join(verdict_counts_in_words(counts)) + "."


def verdict_glossary() -> list[dict[str, str]]:
    """Give every verdict with its words and its caveat, in the order they are counted."""
    return [
        {"verdict": v, "words": VERDICT_WORDS[v], "caveat": VERDICT_CAVEATS[v]} for v in VERDICTS
    ]


def points(observations: Sequence[Observation]) -> tuple[Point, ...]:
    """Give the observations as chart points, oldest first."""
    return tuple(Point(o.date, o.value, o.phase) for o in sorted(observations, key=_by_date))


def _by_date(observation: Observation) -> dt.date:
    return observation.date


def _other_side(side: str | None) -> str:
    return "right" if side == "left" else "left"


def metric_kind(metric: str) -> MetricKind:
    """Give what kind of measure a metric is: a self-rating, a photo metric, or an instrument's."""
    measure = measure_of(metric)
    return "instrument" if measure is None else measure.kind


def metric_name(metric: str) -> str:
    """Give a metric's name as a person would say it: "Radiance", "Cutometer R2"."""
    measure = measure_of(metric)
    if measure is not None:
        return measure.title
    instrument, _, parameter = metric.rpartition(":")  # "cutometer:R2"
    name = f"{instrument} {parameter}" if instrument else parameter.replace("_", " ")
    return name[:1].upper() + name[1:]


def metric_title(metric: str, zone: str | None, side: str | None) -> str:
    """Give a series' name as a person would say it: "Radiance, cheeks, left side"."""
    parts = [metric_name(metric)]
    if zone:
        zones = load_library().zones
        parts.append(zones[zone].name.lower() if zone in zones else zone.replace("_", " "))
    if side in SIDES:
        parts.append(f"{side} side")
    return ", ".join(parts)


def metric_unit(metric: str, given: str) -> str:
    """Give a series' unit: the one its measurements carry, else its measure's definition."""
    if metric in SELF_RATINGS and given in ("", "points"):
        return SELF_RATING_UNIT
    if given:
        return given
    measure = measure_of(metric)
    return measure.unit if measure is not None else ""
