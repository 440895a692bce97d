"""The progress report's content, gathered as plain data: who and when, adherence, one section per
measured series with its verdict and caveats, the split-face result, two aligned photos, and the
evidence behind the claims. Nothing here formats HTML; ``render.py`` does.

The statistics come from ``collagen_coach.core.progress.analyse_progress``: the same analysis
``collagen-coach progress`` shows, so the report never says more than that does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from collagen_coach.core.adherence import Adherence
from collagen_coach.core.measures import SELF_RATING_UNIT, MeasureKind, measure_of
from collagen_coach.core.progress import (
    SELF_RATINGS,
    SPLIT_SIDE,
    AbabResult,
    AdherenceResponse,
    Observation,
    ProgressResult,
    SeriesResult,
    Verdict,
    baseline_flags,
    counts,
    newest_algorithm,
    treated_minus_untreated,
)
from collagen_coach.core.techniques import Evidence, load_library

MetricKind = MeasureKind
Interval = tuple[float, float, float]  # (lo, est, hi), a 95 % interval around the estimate

VERDICTS: tuple[Verdict, ...] = (
    "improving",
    "worsening",
    "not_judged",
    "no_change_detected",
    "not_enough_data",
)

VERDICT_WORDS: dict[str, str] = {
    "improving": "improving",
    "worsening": "worsening",
    "no_change_detected": "no change detected",
    "not_enough_data": "not enough data yet",
    "not_judged": "changed, not judged",
}

# What each verdict allows one to say, and what it does not; shown beside every verdict.
VERDICT_CAVEATS: dict[str, str] = {
    "improving": (
        "The change is bigger than the measurement noise (the MDC) and its 95 % interval leaves "
        "out zero. It says that this measure changed for the better, not why: light, season, "
        "sleep, skin-care products and the massage can each move it. One person's data show an "
        "association, not a cause."
    ),
    "worsening": (
        "The change is bigger than the measurement noise (the MDC) and its 95 % interval leaves "
        "out zero. It says that this measure changed for the worse, not why: the season, the "
        "light, sleep, or how the photos or readings were taken can do it. If it comes with pain, "
        "redness or bruising, stop and ask a clinician."
    ),
    "no_change_detected": (
        "Any change was within the measurement noise, or too uncertain to tell apart from it. "
        "This does not prove that nothing changed, nor that the routine does not work: a change "
        "smaller than the MDC cannot be seen with this measurement."
    ),
    "not_enough_data": (
        "Too few measurements to judge yet, so nothing can be said either way. Keep measuring "
        "the same way."
    ),
    "not_judged": (
        "The change is bigger than the measurement noise, but neither direction is known to be "
        "better for this measure, so it is shown without a verdict of better or worse."
    ),
}

NO_CHANGE_MEANS = (
    "“No change detected” means that any change was smaller than the noise of the measurement "
    "(its minimal detectable change, MDC) or too uncertain to tell apart from it. It does not "
    "mean that the routine failed, and it does not mean that it worked."
)

# Caveats by kind of measure (EVIDENCE.md §3 and §7).
KIND_CAVEATS: dict[str, str] = {
    "self_rating": (
        "A self-rating: people who expect a change tend to see it. In a face-exercise study the "
        "participants reported improvement in 18 of 20 features, while raters who did not know "
        "which photo was which found change in the cheeks only (Alam M et al., JAMA Dermatol "
        "2018)."
    ),
    "instrument": (
        "An instrument reading: skin elasticity and hydration move with the season (elasticity "
        "was lowest in spring in one study, Skin Res Technol 2021) and with how the probe is "
        "placed. Average several repeats; with a Cutometer, leave out the first suction curve."
    ),
    "photo": (
        "Measured from photos: only photos that passed the quality check count, and pose, "
        "distance and expression still matter. A change of the analysis version starts a new "
        "series."
    ),
}
FOLLOWS_LIGHT_CAVEAT = (
    "This measure follows the light as well as the skin: a brighter lamp or another time of day "
    "moves it. Take every photo in the same place, light and time of day."
)

# The evidence entries behind what the report is about: whether massage (and peptides) change
# the look of the skin, and when to judge.
REPORT_EVIDENCE_IDS: tuple[str, ...] = (
    "self_massage_appearance",
    "device_massage_wrinkles",
    "mechanostimulation_fibroblasts",
    "collagen_peptides",
    "massage_with_peptides",
    "judge_after_8_weeks",
)

# How long EVIDENCE.md §6 says to wait before judging progress.
JUDGE_AFTER_WEEKS = 8


@dataclass(frozen=True)
class Point:
    """One measurement on a chart."""

    date: dt.date
    value: float
    phase: str | None = None


@dataclass(frozen=True)
class SeriesSection:
    """One measured series (a metric, in a zone, on a side) with its verdict and its caveats.

    For the split-face difference, ``side`` is ``"treated-untreated"`` and the points are the
    daily differences between the sides.
    """

    key: str
    title: str
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
    verdict: str
    reason: str
    explanation: str
    caveats: tuple[str, ...]
    points: tuple[Point, ...]
    baseline_mean: float | None
    role: Literal["treated", "untreated"] | None = None
    control_points: tuple[Point, ...] = ()

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS.get(self.verdict, self.verdict.replace("_", " "))

    @property
    def decimals(self) -> int:
        """Decimals that show this series' numbers to about a tenth of its noise."""
        scale = self.mdc or _spread([p.value for p in self.points])
        return decimals_for(scale)

    def headline(self) -> str:
        """Give the series' verdict as one plain sentence, no stronger than the statistics."""
        unit = f" {self.unit}" if self.unit else ""
        if self.verdict in ("improving", "worsening") and self.change is not None:
            lo, est, hi = self.change
            d = self.decimals
            return (
                f"{self.title}: {self.verdict_words}, a change of {signed(est, d)}{unit} "
                f"(95 % interval {signed(lo, d)} to {signed(hi, d)}), more than the measurement "
                f"noise of {number(self.mdc, d)}{unit}."
            )
        if self.verdict == "no_change_detected":
            noise = f" of ±{number(self.mdc, self.decimals)}{unit}" if self.mdc is not None else ""
            return f"{self.title}: no change detected; any change was within the noise{noise}."
        # The first thing missing is enough for the cover; the section says the rest.
        first = self.reason.split("; ")[0]
        reason = f" ({first})" if first else ""
        return f"{self.title}: {self.verdict_words}{reason}."


@dataclass(frozen=True)
class OnOffSection:
    """An A-B-A-B comparison of self-ratings: mean in weeks with massage minus weeks without."""

    title: str
    unit: str
    blocks: str
    mdc: float | None
    difference: Interval | None
    verdict: str
    reason: str

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS.get(self.verdict, self.verdict.replace("_", " "))

    @property
    def decimals(self) -> int:
        return decimals_for(self.mdc or (abs(self.difference[1]) if self.difference else 0.0))


@dataclass(frozen=True)
class PhotoPair:
    """Before and after: the aligned faces as JPEG, or the reasons they may not be compared."""

    before_name: str
    after_name: str
    comparable: bool
    reasons: tuple[str, ...]
    before_jpeg: bytes | None
    after_jpeg: bytes | None
    alignment_error_ipd: float | None


@dataclass(frozen=True)
class Report:
    """Everything the progress report says, as data."""

    who: str
    made_on: dt.date
    source: str
    period: tuple[dt.date, dt.date] | None
    adherence: Adherence | None
    series: tuple[SeriesSection, ...]
    split_face: tuple[SeriesSection, ...]
    treated_side: str | None
    on_off: tuple[OnOffSection, ...]
    adherence_response: AdherenceResponse | None
    photos: PhotoPair | None
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...]

    @property
    def weeks_covered(self) -> float | None:
        if self.period is None:
            return None
        return (self.period[1] - self.period[0]).days / 7

    def verdict_counts(self) -> dict[str, int]:
        """Give how many series got each verdict, in the fixed order of the vocabulary."""
        return {v: sum(1 for s in self.series if s.verdict == v) for v in VERDICTS}

    def summary(self) -> str:
        """Give the cover's one-sentence summary of all verdicts."""
        if not self.series:
            return "There are no measurements yet, so nothing can be said about change."
        counts = self.verdict_counts()
        parts = [f"{count} {VERDICT_WORDS[v]}" for v, count in counts.items() if count]
        total = len(self.series)
        measures = "measure" if total == 1 else "measures"
        return f"Of {total} {measures}: " + ", ".join(parts) + "."

    def too_early(self) -> bool:
        """Whether the data cover less than the 8 weeks to wait before judging progress."""
        weeks = self.weeks_covered
        return weeks is None or weeks < JUDGE_AFTER_WEEKS


def build_report(
    progress: ProgressResult,
    observations: Sequence[Observation],
    *,
    who: str,
    made_on: dt.date,
    source: str,
    treated_side: str | None = None,
    adherence: Adherence | None = None,
    photos: PhotoPair | None = None,
) -> Report:
    """Give the report's content from the analysis and the observations it was made from
    (``treated_side`` as given to ``analyse_progress`` for a split-face self-trial)."""
    usable = [o for o in observations if counts(o)]
    series = tuple(_series_section(r, usable, treated_side) for r in progress.series)
    split_face = tuple(_split_face_section(r, usable, treated_side) for r in progress.split_face)
    dates = [o.date for o in usable]
    library = load_library()
    return Report(
        who=who,
        made_on=made_on,
        source=source,
        period=(min(dates), max(dates)) if dates else None,
        adherence=adherence,
        series=series,
        split_face=split_face,
        treated_side=treated_side if split_face else None,
        on_off=tuple(_on_off_section(a) for a in progress.abab),
        adherence_response=progress.adherence_response,
        photos=photos,
        evidence=tuple(library.evidence[i] for i in REPORT_EVIDENCE_IDS if i in library.evidence),
        notes=tuple(progress.notes),
    )


def photo_pair(comparison: Any, images: Any) -> PhotoPair:
    """Give the before/after section from ``vision.compare.compare_photos``' results.

    The images are kept only when the pair is comparable: otherwise the reasons are shown instead.
    """
    keep = bool(comparison.comparable) and images is not None
    return PhotoPair(
        before_name=str(comparison.before.file),
        after_name=str(comparison.after.file),
        comparable=bool(comparison.comparable),
        reasons=tuple(comparison.reasons),
        before_jpeg=jpeg(images.before) if keep else None,
        after_jpeg=jpeg(images.after) if keep else None,
        alignment_error_ipd=comparison.alignment_error_ipd,
    )


def jpeg(array: NDArray[np.uint8], quality: int = 88) -> bytes:
    """Give an RGB image as JPEG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Series


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
    if side in ("left", "right"):
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


def follows_light(metric: str) -> bool:
    """Whether a metric moves with the light as well as with the skin."""
    measure = measure_of(metric)
    return bool(measure and measure.follows_light)


def _points(observations: Sequence[Observation]) -> tuple[Point, ...]:
    return tuple(Point(o.date, o.value, o.phase) for o in sorted(observations, key=_by_date))


def _of_series(
    observations: Sequence[Observation], metric: str, zone: str | None, side: str | None
) -> list[Observation]:
    """Give the observations the analysis used for one series: one algorithm version only."""
    mine = [o for o in observations if (o.metric, o.zone, o.side) == (metric, zone, side)]
    return newest_algorithm(mine)[0]


def _series_section(
    result: SeriesResult, observations: Sequence[Observation], treated_side: str | None
) -> SeriesSection:
    mine = _of_series(observations, result.metric, result.zone, result.side)
    role: Literal["treated", "untreated"] | None = None
    control: tuple[Point, ...] = ()
    if treated_side in ("left", "right") and result.side in ("left", "right"):
        role = "treated" if result.side == treated_side else "untreated"
        other = "right" if result.side == "left" else "left"
        control = _points(_of_series(observations, result.metric, result.zone, other))
    return _section(result, mine, role=role, control=control)


def _split_face_section(
    result: SeriesResult, observations: Sequence[Observation], treated_side: str | None
) -> SeriesSection:
    pair = [
        o
        for o in observations
        if (o.metric, o.zone) == (result.metric, result.zone) and o.side in ("left", "right")
    ]
    differences = treated_minus_untreated(newest_algorithm(pair)[0], treated_side or "left")
    section = _section(result, differences)
    title = metric_title(result.metric, result.zone, None) + ": massaged side minus the other"
    return dataclasses.replace(section, title=title, key=f"{section.key}-split")


def _section(
    result: SeriesResult,
    mine: Sequence[Observation],
    *,
    role: Literal["treated", "untreated"] | None = None,
    control: tuple[Point, ...] = (),
) -> SeriesSection:
    kind = metric_kind(result.metric)
    caveats = [VERDICT_CAVEATS[result.verdict], KIND_CAVEATS[kind]]
    # The split-face difference cancels the light, which reaches both sides alike.
    if kind == "photo" and follows_light(result.metric) and result.side != SPLIT_SIDE:
        caveats.append(FOLLOWS_LIGHT_CAVEAT)
    return SeriesSection(
        key="-".join(p for p in (result.metric, result.zone, result.side) if p).replace(":", "-"),
        title=metric_title(result.metric, result.zone, result.side),
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
        points=_points(mine),
        baseline_mean=baseline_mean(mine),
        role=role,
        control_points=control,
    )


def _by_date(observation: Observation) -> dt.date:
    return observation.date


def baseline_mean(observations: Sequence[Observation]) -> float | None:
    """Give the mean of the baseline days' values (same-day retakes averaged first), the
    baseline chosen as the analysis chooses it (``core.progress.baseline_flags``)."""
    by_day: dict[dt.date, list[float]] = {}
    for obs, is_baseline in zip(observations, baseline_flags(observations), strict=True):
        if is_baseline:
            by_day.setdefault(obs.date, []).append(obs.value)
    if not by_day:
        return None
    return statistics.fmean(statistics.fmean(values) for values in by_day.values())


def _on_off_section(result: AbabResult) -> OnOffSection:
    return OnOffSection(
        title=metric_title(result.metric, result.zone, result.side),
        unit=metric_unit(result.metric, result.unit),
        blocks=f"{result.blocks_treatment} blocks with massage, {result.blocks_off} without",
        mdc=result.mdc,
        difference=result.difference,
        verdict=result.verdict,
        reason=result.reason,
    )


# ---------------------------------------------------------------------------------------------
# Numbers in words


def _spread(values: Sequence[float]) -> float:
    return max(values) - min(values) if len(values) > 1 else abs(values[0]) if values else 0.0


def decimals_for(scale: float | None) -> int:
    """Give how many decimals show a number to about a tenth of ``scale`` (0–4)."""
    if scale is None or not math.isfinite(scale) or scale <= 0:
        return 2
    return max(0, min(4, 1 - math.floor(math.log10(scale))))


def number(value: float | None, decimals: int) -> str:
    """Give a number with a real minus sign, or an em dash when there is none."""
    if value is None:
        return "—"
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "−")


def signed(value: float, decimals: int) -> str:
    """Give a number with its sign: +0.03, −0.02, 0.00."""
    text = number(value, decimals)
    return text if text.startswith("−") or float(text) == 0 else f"+{text}"
