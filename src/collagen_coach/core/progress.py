"""Honest progress: is a person's measurement changing by more than its own noise?

One *series* is one metric in one zone on one side (e.g. Cutometer R2, cheeks, left), measured
with one algorithm version. Its analysis, in order:

1. **Baseline.** Observations marked ``phase="baseline"``; where none are marked but some are
   marked ``treatment`` or ``off``, the unmarked ones dated before the first of those; where no
   phase is given at all, those in the first ``BASELINE_DAYS`` days of the series. DESIGN: the
   baseline is taken before the first session.
2. **Noise.** Typical error (SEM, pooled SD of baseline repeats and same-day retakes; Hopkins
   2000) and MDC95 = 1.96·√2·SEM (Weir 2005) — see :mod:`collagen_coach.core.noise`.
3. **Day values.** Same-day retakes are averaged: retakes share the day's light and skin, so they
   are not independent evidence about change.
4. **Trend.** Theil–Sen slope per week over all day values with its 95 % interval (Theil H 1950,
   Proc KNAW 53:386–392; Sen PK 1968, JASA 63:1379–1389; ``scipy.stats.theilslopes``). Chosen
   over least squares because one bad photo (odd light, a frown) cannot pull it far: it is the
   median of the pairwise slopes.
5. **Change since baseline.** Mean of the last ``LAST_WINDOW_DAYS`` days' values (at least the
   last ``MIN_FOLLOW_UP_DAYS`` days after the baseline) minus the baseline days' mean, with a
   Welch t interval (Welch BL 1947, Biometrika 34:28–35), which does not assume equal spread.
6. **Verdict.** ``improving`` or ``worsening`` only when all three hold: \\|change\\| > MDC95, the
   change's 95 % interval excludes zero, and the trend's 95 % interval excludes zero on the same
   side. Which direction is better comes from ``higher_is_better``; a change beyond the noise
   of a measure with no known better direction is ``not_judged`` (shown, never called better or
   worse). Otherwise
   ``no_change_detected``, or ``not_enough_data`` below the minimums (the ``MIN_*`` constants),
   with the reason in words. Requiring all three keeps false alarms rare even when day-to-day
   errors are correlated (the simulation tests measure the rate).

Only photos that passed the quality gate count (``quality_ok``), and only values and days the
measure can have (``core.measures``: a stored 1e200 or a reading dated 0001-01-01 is left out
with a note, never analysed); one series never mixes
algorithm versions: where a series holds several, only the version of its latest observation is
analysed and a note says how many were left out.

**Split-face self-trial** (one side massaged, the other the control): per metric and zone, the
treated-minus-untreated difference on each day both sides were measured is analysed as a series
of its own (side ``"treated-untreated"``), with its own noise from the baseline differences. It
cancels what both sides share: light, season, sleep, supplements.

**A-B-A-B** (self-ratings in alternating blocks with and without massage): the mean of the
``treatment`` days minus the mean of the ``off`` days with a Welch interval; noise from the
spread within blocks; at least ``MIN_ABAB_BLOCKS`` blocks of each.

**Adherence–response**: Spearman's correlation between sessions per week and that week's change
(in units of each series' SEM, signed so that positive is better, averaged over the series), with
a Fisher-z interval (var z = 1.06/(n−3); Fieller EC, Hartley HO, Pearson ES 1957, Biometrika
44:470–481). An association, never proof of cause.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from collagen_coach.core.measures import MEASURES, day_allowed, measure_of, plausible
from collagen_coach.core.measures import SELF_RATINGS as SELF_RATING_NAMES
from collagen_coach.core.noise import Noise, mdc95, typical_error

Phase = Literal["baseline", "treatment", "off"]
Verdict = Literal["improving", "worsening", "no_change_detected", "not_enough_data", "not_judged"]
Interval = tuple[float, float, float]  # (lower 95 % bound, estimate, upper 95 % bound)
FloatArray = NDArray[np.float64]

CONFIDENCE = 0.95
BASELINE_DAYS = 7  # without phases, the first week of a series is its baseline
MIN_BASELINE = 3  # baseline measurements, to measure noise (the product asks for three)
MIN_BASELINE_DAYS = 2  # baseline days, so the noise includes day-to-day change
MIN_DAYS = 6  # days measured in all
MIN_FOLLOW_UP_DAYS = 3  # days measured after the baseline
MIN_WEEKS = 8  # from the first baseline day to the last measurement (DESIGN: judged after 8 weeks)
LAST_WINDOW_DAYS = 14  # "now" is the mean of the last two weeks' measurements
MIN_ABAB_BLOCKS = 2  # blocks with and blocks without massage (A-B-A-B)
MIN_ADHERENCE_WEEKS = 6  # weeks with both a session count and a week-on-week change
POWER = 0.8
SPLIT_SIDE = "treated-untreated"
SIDES = ("left", "right")

# Which way is better comes from each measure's one definition (``core.measures``); a measure
# with no known direction is shown with its noise and change but never judged better or worse.
DEFAULT_HIGHER_IS_BETTER: dict[str, bool] = {
    name: direction
    for name, measure in MEASURES.items()
    if (direction := measure.higher_is_better) is not None
}
SELF_RATINGS = frozenset(SELF_RATING_NAMES)

CAUSATION_NOTE = (
    "These are one person's measurements. A change beyond the noise shows that the measurement "
    "changed, not that massage caused it: season, sleep, weight, skin care and supplements move "
    "skin too. A split-face trial, with one side as the control, comes closest to a cause."
)
SELF_RATING_NOTE = (
    "Self-ratings are not blind: in a face-exercise trial, participants reported improvement in "
    "18 of 20 features while blinded raters found change only in the cheeks (Alam M et al., JAMA "
    "Dermatol 2018). Read them next to the photo and instrument measurements."
)
SPLIT_FACE_NOTE = (
    "Split-face: the untreated side is the control, so light, season, sleep and supplements, "
    "which reach both sides alike, cancel out. It cannot cancel what reaches only one side "
    "(sleeping on one side, sun through a car window), and you know which side you massage."
)
ADHERENCE_CAVEAT = (
    "This is an association, not proof: weeks with more sessions may differ in other ways "
    "(holidays, sleep, season), and a good week may lead to more sessions rather than the "
    "other way round."
)


@dataclass(frozen=True, slots=True)
class Observation:
    """One measurement: a metric's value on a day, in a zone and on a side when it has them.

    Same-session retakes share a date (and ``session`` when given). ``phase`` marks baseline,
    treatment or off (no massage) periods. ``algorithm`` is the version that measured a photo
    (``"name@version"``); ``quality_ok`` is False for a photo the quality gate rejected.
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


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """What one series shows: its noise, trend, change since baseline and the verdict.

    ``mdc``, ``sem``, ``slope_per_week`` and ``change`` are in ``unit`` and None where the data
    cannot give them; intervals are ``(lo, estimate, hi)`` at 95 %. ``n`` counts observations,
    ``days`` the days they were taken on. ``higher_is_better`` is None where no direction is
    known; such a series is never judged ``improving`` or ``worsening``.
    """

    metric: str
    zone: str | None
    side: str | None
    n: int
    mdc: float | None
    sem: float | None
    slope_per_week: Interval | None
    change: Interval | None
    verdict: Verdict
    reason: str
    higher_is_better: bool | None
    unit: str
    days: int = 0
    baseline_n: int = 0
    explanation: str = ""

    def as_json(self) -> dict[str, Any]:
        """Give the series as JSON-ready data: the issue's keys first, then the extras."""
        return {
            "metric": self.metric,
            "zone": self.zone,
            "side": self.side,
            "n": self.n,
            "mdc": self.mdc,
            "slope_per_week": None if self.slope_per_week is None else list(self.slope_per_week),
            "change": None if self.change is None else list(self.change),
            "verdict": self.verdict,
            "reason": self.reason,
            "sem": self.sem,
            "unit": self.unit,
            "higher_is_better": self.higher_is_better,
            "days": self.days,
            "baseline_n": self.baseline_n,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class AbabResult:
    """An A-B-A-B comparison: mean with massage minus mean without, its noise and verdict."""

    metric: str
    zone: str | None
    side: str | None
    n_treatment: int
    n_off: int
    blocks_treatment: int
    blocks_off: int
    mdc: float | None
    sem: float | None
    difference: Interval | None
    verdict: Verdict
    reason: str
    higher_is_better: bool | None
    unit: str

    def as_json(self) -> dict[str, Any]:
        """Give the comparison as JSON-ready data."""
        return {
            "metric": self.metric,
            "zone": self.zone,
            "side": self.side,
            "n_treatment": self.n_treatment,
            "n_off": self.n_off,
            "blocks_treatment": self.blocks_treatment,
            "blocks_off": self.blocks_off,
            "mdc": self.mdc,
            "sem": self.sem,
            "difference": None if self.difference is None else list(self.difference),
            "verdict": self.verdict,
            "reason": self.reason,
            "higher_is_better": self.higher_is_better,
            "unit": self.unit,
        }


@dataclass(frozen=True, slots=True)
class AdherenceResponse:
    """Spearman's correlation between sessions per week and that week's change (better > 0)."""

    weeks: int
    rho: Interval
    metrics: tuple[str, ...]
    in_words: str
    caveat: str = ADHERENCE_CAVEAT

    def as_json(self) -> dict[str, Any]:
        """Give the association as JSON-ready data."""
        return {
            "weeks": self.weeks,
            "rho": list(self.rho),
            "metrics": list(self.metrics),
            "in_words": self.in_words,
            "caveat": self.caveat,
        }


@dataclass(frozen=True, slots=True)
class ProgressResult:
    """Every series, the split-face differences, A-B-A-B comparisons, adherence–response and
    the notes (caveats and what was left out) that go with them."""

    series: list[SeriesResult]
    split_face: list[SeriesResult]
    abab: list[AbabResult]
    adherence_response: AdherenceResponse | None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Give the whole analysis as JSON-ready data."""
        return {
            "series": [s.as_json() for s in self.series],
            "split_face": [s.as_json() for s in self.split_face],
            "abab": [a.as_json() for a in self.abab],
            "adherence_response": (
                None if self.adherence_response is None else self.adherence_response.as_json()
            ),
            "notes": list(self.notes),
        }


SeriesKey = tuple[str, str | None, str | None]


def analyse_progress(
    observations: Sequence[Observation],
    *,
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
    treated_side: str | None = None,
    weekly_sessions: Mapping[dt.date, int] | None = None,
    today: dt.date | None = None,
) -> ProgressResult:
    """Give the analysis of every series in ``observations`` (see the module's docstring).

    Which way is better comes from each measure's definition (``core.measures``);
    ``higher_is_better`` adds directions for measures the product does not know (a metric named
    ``instrument:parameter`` is also looked up by its parameter). ``treated_side``
    (``left``/``right``) turns on the split-face analysis. ``weekly_sessions`` maps a week (any
    day in it) to the sessions done that week. A value the measure cannot have, or a day before
    ``core.measures.EARLIEST_DAY`` or after ``today``, is left out with a note.
    """
    if treated_side is not None and treated_side not in SIDES:
        raise ValueError(f"treated_side must be one of {SIDES}, not {treated_side!r}")
    notes: list[str] = []
    impossible = [o for o in observations if not in_bounds(o, today)]
    if impossible:
        notes.append(impossible_note(impossible))
    usable = [o for o in observations if counts(o, today)]
    # A rejected photo gives many measurements (every zone, side and metric): count the days
    # whose photos were left out, which a person can recognise, not the measurements.
    rejected_days = {o.date for o in observations if not o.quality_ok}
    if rejected_days:
        days = len(rejected_days)
        notes.append(
            f"Photos from {days} day{_s(days)} were left out: the quality check rejected them."
        )
    grouped: dict[SeriesKey, list[Observation]] = defaultdict(list)
    for obs in usable:
        grouped[(obs.metric, obs.zone, obs.side)].append(obs)

    series: list[SeriesResult] = []
    abab: list[AbabResult] = []
    kept: dict[SeriesKey, list[Observation]] = {}
    for key in sorted(grouped, key=_sort_key):
        one, note = newest_algorithm(grouped[key])
        if note:
            notes.append(f"{_label(*key)}: {note}")
        kept[key] = one
        direction = _direction(key[0], higher_is_better)
        series.append(analyse_series(one, direction))
        if any(o.phase == "off" for o in one):
            abab.append(analyse_abab(one, direction))

    split_face: list[SeriesResult] = []
    if treated_side is not None:
        for metric, zone in sorted({(m, z) for m, z, s in kept if s in SIDES}, key=_sort_key):
            pair = [grouped.get((metric, zone, side), []) for side in SIDES]
            one, _ = newest_algorithm(pair[0] + pair[1])
            differences = treated_minus_untreated(one, treated_side)
            if differences:
                direction = _direction(metric, higher_is_better)
                split_face.append(analyse_series(differences, direction))
        if split_face:
            notes.append(SPLIT_FACE_NOTE)

    adherence = None
    if weekly_sessions is not None:
        adherence, note = adherence_response(kept, weekly_sessions, series, higher_is_better)
        if note:
            notes.append(note)
    for result in series:
        if result.higher_is_better is None:
            notes.append(
                f"{_label(result.metric, result.zone, result.side)}: no direction is known to be "
                "better, so it is shown without a verdict of better or worse."
            )
    if series or split_face:
        notes.append(CAUSATION_NOTE)
    if any(result.metric in SELF_RATINGS for result in series):
        notes.append(SELF_RATING_NOTE)
    return ProgressResult(
        series=series,
        split_face=split_face,
        abab=abab,
        adherence_response=adherence,
        notes=notes,
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
        f"{left_out} measurement{_s(left_out)} by {', '.join(others)} left out; only those by "
        f"{version} are analysed, since a change of algorithm changes the numbers."
    )


def baseline_flags(observations: Sequence[Observation]) -> list[bool]:
    """Give, for each observation, whether it belongs to the baseline (module docstring, 1.)."""
    if any(o.phase == "baseline" for o in observations):
        return [o.phase == "baseline" for o in observations]
    started = [o.date for o in observations if o.phase in ("treatment", "off")]
    if started:
        first = min(started)
        return [o.phase is None and o.date < first for o in observations]
    if not observations:
        return []
    end = min(o.date for o in observations) + dt.timedelta(days=BASELINE_DAYS)
    return [o.date < end for o in observations]


def analyse_series(
    observations: Sequence[Observation], higher_is_better: bool | None = None
) -> SeriesResult:
    """Give the noise, trend, change and verdict of one series (one metric, zone, side and
    algorithm version; the module's docstring gives the method)."""
    if not observations:
        raise ValueError("a series needs at least one observation")
    first = observations[0]
    metric, zone, side = first.metric, first.zone, first.side
    if any((o.metric, o.zone, o.side) != (metric, zone, side) for o in observations):
        raise ValueError("one series holds one metric, zone and side")
    unit = _unit(observations)
    flags = baseline_flags(observations)
    baseline = [o.value for o, is_base in zip(observations, flags, strict=True) if is_base]
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    by_session: dict[tuple[dt.date, str | None], list[float]] = defaultdict(list)
    baseline_days: set[dt.date] = set()
    for obs, is_base in zip(observations, flags, strict=True):
        by_day[obs.date].append(obs.value)
        if is_base:
            baseline_days.add(obs.date)
        else:
            by_session[(obs.date, obs.session)].append(obs.value)
    whole = all(float(o.value).is_integer() for o in observations)
    noise = typical_error(baseline, list(by_session.values()), whole_numbers=whole)
    days = sorted(by_day)
    values = {day: math.fsum(by_day[day]) / len(by_day[day]) for day in days}
    follow_up = [day for day in days if day not in baseline_days]

    slope = theil_sen_per_week(days, [values[d] for d in days])
    change = None
    if len(baseline_days) >= 2 and len(follow_up) >= 2:
        last = last_window(follow_up)
        change = welch_interval(
            [values[d] for d in last],
            [values[d] for d in sorted(baseline_days)],
            floor_sd=noise.sem if noise is not None and noise.floored else 0.0,
        )

    missing = _missing(len(baseline), len(baseline_days), days, follow_up)
    mdc = None if noise is None else noise.mdc
    if missing or change is None or slope is None or mdc is None:
        verdict: Verdict = "not_enough_data"
        reason = "; ".join(missing) or "too few measurements"
    else:
        verdict, reason = judge(change, slope, mdc, higher_is_better, unit)
    result = SeriesResult(
        metric=metric,
        zone=zone,
        side=side,
        n=len(observations),
        mdc=mdc,
        sem=None if noise is None else noise.sem,
        slope_per_week=slope,
        change=change,
        verdict=verdict,
        reason=reason,
        higher_is_better=higher_is_better,
        unit=unit,
        days=len(days),
        baseline_n=len(baseline),
    )
    return replace(result, explanation=explain(result, noise))


def _missing(
    baseline_n: int, baseline_days: int, days: list[dt.date], follow_up: list[dt.date]
) -> list[str]:
    """Give what a series lacks for a verdict, in words (empty when it has enough)."""
    missing = []
    if len(days) < MIN_DAYS:
        missing.append(f"{len(days)} of the needed {MIN_DAYS} measurement days")
    if baseline_n == 0:
        missing.append(
            f"no baseline: take {MIN_BASELINE} baseline measurements on different days before "
            "the first session"
        )
    elif baseline_n == 1:
        missing.append(
            f"no baseline repeats to measure noise: take {MIN_BASELINE} baseline measurements "
            "on different days"
        )
    elif baseline_n < MIN_BASELINE:
        missing.append(
            f"{baseline_n} of the needed {MIN_BASELINE} baseline measurements to measure noise"
        )
    elif baseline_days < MIN_BASELINE_DAYS:
        missing.append(
            f"baseline measured on {baseline_days} day only: take baseline measurements on "
            f"{MIN_BASELINE_DAYS} or more days, as retakes miss day-to-day change"
        )
    if len(follow_up) < MIN_FOLLOW_UP_DAYS:
        missing.append(
            f"{len(follow_up)} of the needed {MIN_FOLLOW_UP_DAYS} measurement days after the "
            "baseline"
        )
    weeks = (days[-1] - days[0]).days // 7 if days else 0
    if weeks < MIN_WEEKS:
        missing.append(f"{weeks} of the needed {MIN_WEEKS} weeks of measurements")
    return missing


def judge(
    change: Interval, slope: Interval, mdc: float, higher_is_better: bool | None, unit: str
) -> tuple[Verdict, str]:
    """Give the verdict and its reason: improving or worsening only when the change exceeds the
    MDC, its interval excludes zero and the trend's interval excludes zero on the same side."""
    lo, est, hi = change
    said = f"changed by {_signed(est)}{_unit_suffix(unit)} (95 % interval {_signed(lo)} to "
    said += f"{_signed(hi)})"
    if abs(est) <= mdc:
        return "no_change_detected", f"{said}, within the noise (MDC {_num(mdc)})"
    if lo <= 0.0 <= hi:
        return "no_change_detected", f"{said}: the interval includes no change"
    rising = est > 0
    trend_agrees = slope[0] > 0 if rising else slope[2] < 0
    if not trend_agrees:
        return "no_change_detected", (
            f"{said}, but the trend ({_signed(slope[1])} a week, 95 % interval "
            f"{_signed(slope[0])} to {_signed(slope[2])}) does not confirm it"
        )
    if higher_is_better is None:
        return "not_judged", (
            f"{said}, more than the noise (MDC {_num(mdc)}), and the trend agrees "
            f"({_signed(slope[1])} a week); neither direction is known to be better"
        )
    verdict: Verdict = "improving" if rising == higher_is_better else "worsening"
    return verdict, (
        f"{said}, more than the noise (MDC {_num(mdc)}), and the trend agrees "
        f"({_signed(slope[1])} a week)"
    )


def theil_sen_per_week(days: Sequence[dt.date], values: Sequence[float]) -> Interval | None:
    """Give the Theil–Sen slope per week with its 95 % interval (Sen 1968), or None with fewer
    than three days."""
    if len(days) < 3:
        return None
    x = np.array([(day - days[0]).days / 7.0 for day in days])
    y = np.asarray(values, dtype=float)
    # The same estimate and interval as scipy.stats.theilslopes (Sen 1968, eq. 2.6), but the
    # three order statistics needed are found by partitioning instead of sorting all n²/2 slopes:
    # five years of daily ratings (≈1.1 million slopes) take milliseconds instead of ~0.3 s.
    first, second = np.triu_indices(len(x), k=1)
    run = x[second] - x[first]
    keep = run > 0
    slopes = (y[second] - y[first])[keep] / run[keep]
    if slopes.size == 0:
        return None
    _, y_counts = np.unique(y, return_counts=True)
    _, x_counts = np.unique(x, return_counts=True)
    n = len(y)
    ties = sum(int(k) * (int(k) - 1) * (2 * int(k) + 5) for k in (*x_counts, *y_counts) if k > 1)
    sigma = math.sqrt((n * (n - 1) * (2 * n + 5) - ties) / 18.0)
    z = float(stats.norm.ppf((1.0 - CONFIDENCE) / 2.0))
    upper = min(int(np.round((slopes.size - z * sigma) / 2.0)), slopes.size - 1)
    lower = max(int(np.round((slopes.size + z * sigma) / 2.0)) - 1, 0)
    middle = slopes.size // 2
    ranks = sorted({lower, upper, middle, max(middle - 1, 0)})
    ordered = np.partition(slopes, ranks)
    median = (
        float(ordered[middle])
        if slopes.size % 2
        else float((ordered[middle - 1] + ordered[middle]) / 2.0)
    )
    return (float(ordered[lower]), median, float(ordered[upper]))


def welch_interval(
    after: Sequence[float], before: Sequence[float], *, floor_sd: float = 0.0
) -> Interval:
    """Give mean(after) − mean(before) with its 95 % Welch t interval (Welch 1947).

    ``floor_sd`` is the smallest SD either group is taken to have (the rounding noise of
    whole-number scores), so identical scores do not make an interval of zero width.
    """
    if len(after) < 2 or len(before) < 2:
        raise ValueError("a Welch interval needs two values in each group")
    mean_a, mean_b = _mean(after), _mean(before)
    var_a = max(_variance(after), floor_sd**2) / len(after)
    var_b = max(_variance(before), floor_sd**2) / len(before)
    diff = mean_a - mean_b
    se2 = var_a + var_b
    if se2 == 0.0:
        return (diff, diff, diff)
    df = se2**2 / (var_a**2 / (len(after) - 1) + var_b**2 / (len(before) - 1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df)) * math.sqrt(se2)
    return (diff - half, diff, diff + half)


def last_window(follow_up: Sequence[dt.date]) -> list[dt.date]:
    """Give the days that stand for "now": the last ``LAST_WINDOW_DAYS`` days, at least the last
    ``MIN_FOLLOW_UP_DAYS`` days after the baseline."""
    end = follow_up[-1]
    recent = [day for day in follow_up if (end - day).days < LAST_WINDOW_DAYS]
    if len(recent) < MIN_FOLLOW_UP_DAYS:
        recent = list(follow_up[-MIN_FOLLOW_UP_DAYS:])
    return recent


def treated_minus_untreated(
    observations: Sequence[Observation], treated_side: str
) -> list[Observation]:
    """Give the split-face series: on each day both sides were measured, the treated side's day
    mean minus the untreated side's, as side ``"treated-untreated"`` with the treated side's
    phase that day."""
    if treated_side not in SIDES:
        raise ValueError(f"treated_side must be one of {SIDES}")
    untreated_side = SIDES[1 - SIDES.index(treated_side)]
    by_day: dict[tuple[dt.date, str], list[Observation]] = defaultdict(list)
    for obs in observations:
        if obs.side in SIDES:
            by_day[(obs.date, obs.side)].append(obs)
    days = sorted({day for day, _ in by_day})
    differences = []
    for day in days:
        treated, untreated = by_day.get((day, treated_side)), by_day.get((day, untreated_side))
        if not treated or not untreated:
            continue
        phase = next((o.phase for o in treated if o.phase is not None), None)
        differences.append(
            replace(
                treated[0],
                value=_mean([o.value for o in treated]) - _mean([o.value for o in untreated]),
                side=SPLIT_SIDE,
                phase=phase,
                session=None,
            )
        )
    return differences


def analyse_abab(
    observations: Sequence[Observation], higher_is_better: bool | None = None
) -> AbabResult:
    """Give the A-B-A-B comparison of one series: mean of the ``treatment`` days minus mean of
    the ``off`` days (Welch interval), noise from the spread within blocks, and the verdict
    (improving or worsening only beyond the MDC with an interval excluding zero)."""
    first = observations[0]
    unit = _unit(observations)
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    phase_of: dict[dt.date, Phase] = {}
    for obs in sorted(observations, key=lambda o: o.date):
        if obs.phase in ("treatment", "off"):
            by_day[obs.date].append(obs.value)
            phase_of.setdefault(obs.date, obs.phase)
    blocks: list[tuple[Phase, list[float]]] = []
    for day in sorted(by_day):
        value = _mean(by_day[day])
        if blocks and blocks[-1][0] == phase_of[day]:
            blocks[-1][1].append(value)
        else:
            blocks.append((phase_of[day], [value]))
    on = [v for phase, vals in blocks if phase == "treatment" for v in vals]
    off = [v for phase, vals in blocks if phase == "off" for v in vals]
    blocks_on = sum(1 for phase, _ in blocks if phase == "treatment")
    blocks_off = len(blocks) - blocks_on
    whole = all(float(o.value).is_integer() for o in observations)
    noise = typical_error([], [vals for _, vals in blocks], whole_numbers=whole)
    difference = None
    if len(on) >= 2 and len(off) >= 2:
        floor = noise.sem if noise is not None and noise.floored else 0.0
        difference = welch_interval(on, off, floor_sd=floor)
    missing = []
    if blocks_on < MIN_ABAB_BLOCKS or blocks_off < MIN_ABAB_BLOCKS:
        missing.append(
            f"{blocks_on} block{_s(blocks_on)} with massage and {blocks_off} without, of the "
            f"needed {MIN_ABAB_BLOCKS} of each (A-B-A-B)"
        )
    if noise is None:
        missing.append("no repeats within a block to measure noise: rate on several days a block")
    mdc = None if noise is None else noise.mdc
    if missing or difference is None or mdc is None:
        verdict: Verdict = "not_enough_data"
        reason = "; ".join(missing) or "too few days in a phase"
    else:
        lo, est, hi = difference
        said = f"with massage {_signed(est)}{_unit_suffix(unit)} (95 % interval {_signed(lo)} to "
        said += f"{_signed(hi)})"
        if abs(est) <= mdc:
            verdict, reason = "no_change_detected", f"{said}, within the noise (MDC {_num(mdc)})"
        elif lo <= 0.0 <= hi:
            verdict, reason = "no_change_detected", f"{said}: the interval includes no difference"
        elif higher_is_better is None:
            verdict = "not_judged"
            reason = f"{said}, more than the noise (MDC {_num(mdc)}); neither direction is better"
        else:
            verdict = "improving" if (est > 0) == higher_is_better else "worsening"
            reason = f"{said}, more than the noise (MDC {_num(mdc)})"
    return AbabResult(
        metric=first.metric,
        zone=first.zone,
        side=first.side,
        n_treatment=len(on),
        n_off=len(off),
        blocks_treatment=blocks_on,
        blocks_off=blocks_off,
        mdc=mdc,
        sem=None if noise is None else noise.sem,
        difference=difference,
        verdict=verdict,
        reason=reason,
        higher_is_better=higher_is_better,
        unit=unit,
    )


def adherence_response(
    series: Mapping[SeriesKey, Sequence[Observation]],
    weekly_sessions: Mapping[dt.date, int],
    results: Sequence[SeriesResult],
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
) -> tuple[AdherenceResponse | None, str]:
    """Give Spearman's correlation of sessions per week with the week's change, or None and a
    note saying why not.

    Each series with a known direction and a measured SEM gives, for each week following a
    measured week, (week mean − previous week mean)/SEM, signed so that better is positive;
    the weeks' figures are averaged over the series.
    """
    sessions: dict[dt.date, int] = defaultdict(int)
    for day, count in weekly_sessions.items():
        sessions[_monday(day)] += count
    sem_of = {(r.metric, r.zone, r.side): r.sem for r in results}
    changes: dict[dt.date, list[float]] = defaultdict(list)
    used: set[str] = set()
    for key, observations in series.items():
        direction = _direction(key[0], higher_is_better)
        sem = sem_of.get(key)
        if direction is None or not sem:
            continue
        by_week: dict[dt.date, list[float]] = defaultdict(list)
        for obs in observations:
            by_week[_monday(obs.date)].append(obs.value)
        for week in sorted(by_week):
            before = by_week.get(week - dt.timedelta(days=7))
            if before is None:
                continue
            step = (_mean(by_week[week]) - _mean(before)) / sem
            changes[week].append(step if direction else -step)
            used.add(key[0])
    weeks = sorted(week for week in changes if week in sessions)
    if len(weeks) < MIN_ADHERENCE_WEEKS:
        return None, (
            f"Adherence and response: {len(weeks)} of the needed {MIN_ADHERENCE_WEEKS} weeks "
            "with both sessions and a change from the week before."
        )
    counts = [float(sessions[w]) for w in weeks]
    response = [_mean(changes[w]) for w in weeks]
    if len(set(counts)) < 2 or len(set(response)) < 2:
        return None, "Adherence and response: the sessions or the changes did not vary by week."
    rho = float(stats.spearmanr(counts, response).statistic)
    interval = _fisher_interval(rho, len(weeks))
    if interval[0] > 0:
        words = "weeks with more sessions went with more improvement"
    elif interval[2] < 0:
        words = "weeks with more sessions went with less improvement"
    else:
        words = "no clear link between sessions per week and change"
    in_words = (
        f"Over {len(weeks)} weeks, {words} (Spearman ρ {rho:+.2f}, 95 % interval "
        f"{interval[0]:+.2f} to {interval[2]:+.2f})."
    )
    return (
        AdherenceResponse(
            weeks=len(weeks), rho=interval, metrics=tuple(sorted(used)), in_words=in_words
        ),
        "",
    )


def _fisher_interval(rho: float, n: int) -> Interval:
    """Give Spearman's ρ with its 95 % interval by Fisher's z, var z = 1.06/(n−3) (Fieller 1957)."""
    clipped = max(min(rho, 0.999999), -0.999999)
    z = math.atanh(clipped)
    half = float(stats.norm.ppf(0.5 + CONFIDENCE / 2)) * math.sqrt(1.06 / (n - 3))
    return (math.tanh(z - half), rho, math.tanh(z + half))


def power_weeks(
    sem: float,
    effect: float,
    photos_per_week: float,
    *,
    baseline_points: int = MIN_BASELINE,
    power: float = POWER,
    max_weeks: int = 52,
    draws: int = 4000,
    seed: int = 0,
) -> int | None:
    """Give the weeks of measurements needed to see a steady change of ``effect`` per week (in
    the metric's unit) with ``power`` (80 %) at a noise of ``sem``; None beyond ``max_weeks``.

    For a split-face trial pass the SEM of the difference (√2 × one side's SEM when the sides'
    errors are independent). It follows this module's verdict rule with ``baseline_points``
    baseline measurements on different days and measurements spread evenly over the weeks:

    - the trend must be detected: normal approximation of the slope's test, Theil–Sen taken at
      0.955 the efficiency of least squares under normal errors (Sen 1968);
    - the change of the last two weeks over the baseline must exceed the MDC measured from the
      baseline and its Welch interval must exclude zero: ``draws`` simulated baselines and last
      windows (seeded, so the answer is the same every time), because both the MDC and the
      interval depend on spreads estimated from three or so values.

    The two powers are multiplied: conservative, as both rise together. Never fewer than
    ``MIN_WEEKS``.
    """
    if sem <= 0 or photos_per_week <= 0:
        raise ValueError("sem and photos_per_week must be positive")
    if baseline_points < 2:
        raise ValueError("baseline_points must be at least 2")
    if effect == 0:
        return None
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    noise = np.random.default_rng(seed).standard_normal((draws, baseline_points + 2 * max_weeks))
    for weeks in range(MIN_WEEKS, max_weeks + 1):
        count = max(MIN_FOLLOW_UP_DAYS, round(photos_per_week * weeks))
        times = np.arange(1, count + 1) * (weeks / count)
        all_times = np.concatenate([np.zeros(baseline_points), times])
        sxx = float(np.sum((all_times - all_times.mean()) ** 2))
        se_slope = sem / math.sqrt(0.955 * sxx)
        power_trend = float(stats.norm.cdf(abs(effect) / se_slope - z))
        last = times[weeks - times < LAST_WINDOW_DAYS / 7]
        if len(last) < MIN_FOLLOW_UP_DAYS:
            last = times[-MIN_FOLLOW_UP_DAYS:]
        n_last = min(len(last), noise.shape[1] - baseline_points)
        before = sem * noise[:, :baseline_points]
        after = abs(effect) * float(last.mean()) + sem * noise[:, baseline_points:][:, :n_last]
        power_change = _share_beyond_noise(before, after)
        if power_trend * power_change >= power:
            return weeks
    return None


def _share_beyond_noise(before: FloatArray, after: FloatArray) -> float:
    """Give the share of rows whose change (row mean of ``after`` − of ``before``) is positive,
    beyond the MDC of ``before``'s spread and with a Welch interval above zero."""
    n_b, n_a = before.shape[1], after.shape[1]
    var_b, var_a = before.var(axis=1, ddof=1) / n_b, after.var(axis=1, ddof=1) / n_a
    change = after.mean(axis=1) - before.mean(axis=1)
    se2 = var_a + var_b
    df = se2**2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
    lower = change - stats.t.ppf(0.5 + CONFIDENCE / 2, df) * np.sqrt(se2)
    mdc = mdc95(1.0) * before.std(axis=1, ddof=1)
    return float(np.mean((change > mdc) & (lower > 0)))


def power_in_words(
    sem: float, effect: float, photos_per_week: float, *, unit: str = "", split_face: bool = False
) -> str:
    """Give, in plain words, how many weeks this noise level needs to show ``effect`` per week.

    With ``split_face`` the SEM is one side's and the difference's is √2 times it.
    """
    noise = sem * math.sqrt(2.0) if split_face else sem
    weeks = power_weeks(noise, effect, photos_per_week)
    per = f"{_num(abs(effect))}{_unit_suffix(unit)} a week"
    design = "between the massaged and the untreated side " if split_face else ""
    if weeks is None:
        return (
            f"A change of {per} {design}would not stand out from your measurement noise (about "
            f"±{_num(noise)}{_unit_suffix(unit)}) within a year at {_num(photos_per_week)} "
            "measurements a week: it is too small for your own data to show."
        )
    return (
        f"With your measurement noise (about ±{_num(noise)}{_unit_suffix(unit)}) and "
        f"{_num(photos_per_week)} measurements a week, a change of {per} {design}needs about "
        f"{weeks} weeks to show beyond the noise (8 times in 10)."
    )


def explain(result: SeriesResult, noise: Noise | None) -> str:
    """Give a series' noise, change and verdict in plain words."""
    name = _label(result.metric, result.zone, result.side)
    unit = _unit_suffix(result.unit)
    parts = []
    if noise is not None and result.mdc is not None:
        parts.append(
            f"When nothing changes, {name} still varies by about ±{_num(noise.sem)}{unit} "
            f"between measurements, so only a change bigger than {_num(result.mdc)}{unit} is "
            "more than noise."
        )
    else:
        parts.append(f"The noise of {name} is not measured yet: it needs baseline repeats.")
    if result.change is not None:
        lo, est, hi = result.change
        parts.append(
            f"Since the baseline it moved by {_signed(est)}{unit} (95 % interval {_signed(lo)} "
            f"to {_signed(hi)})."
        )
    verdicts = {
        "improving": "That is a real change for the better, beyond the noise.",
        "worsening": "That is a real change for the worse, beyond the noise.",
        "no_change_detected": "No change beyond the noise so far.",
        "not_enough_data": f"Not enough data for a verdict yet: {result.reason}.",
        "not_judged": "That is a real change, beyond the noise, but neither direction is known "
        "to be better for this measure, so it is not judged.",
    }
    parts.append(verdicts[result.verdict])
    return " ".join(parts)


def _direction(metric: str, higher_is_better: Mapping[str, bool]) -> bool | None:
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


def in_bounds(observation: Observation, today: dt.date | None = None) -> bool:
    """Whether an observation's value and day are ones its measure can have (``core.measures``):
    a finite value in the measure's range, a day from ``EARLIEST_DAY`` to ``today``."""
    return plausible(observation.metric, observation.value) and day_allowed(observation.date, today)


def counts(observation: Observation, today: dt.date | None = None) -> bool:
    """Whether an observation counts towards progress: a photo that passed the quality gate
    (or not a photo) with a value and day its measure can have."""
    return observation.quality_ok and in_bounds(observation, today)


def impossible_note(observations: Sequence[Observation]) -> str:
    """Give the note that says which stored measurements were left out as impossible."""
    first = min(observations, key=lambda o: (o.date.toordinal(), o.metric))
    count = len(observations)
    return (
        f"{count} stored measurement{_s(count)} left out: the value or the day is not one the "
        f"measure can have (for example {_label(first.metric, first.zone, first.side)} "
        f"{first.value:.6g} on {first.date.isoformat()}). Correct or delete "
        f"{'it' if count == 1 else 'them'} in the journal."
    )


def _unit(observations: Sequence[Observation]) -> str:
    units = [o.unit for o in observations if o.unit]
    if units:
        return max(set(units), key=units.count)
    if observations and observations[0].metric in SELF_RATINGS:
        return "points"
    return ""


def _label(metric: str, zone: str | None, side: str | None) -> str:
    where = "/".join(part for part in (zone, side) if part)
    name = metric.replace("_", " ")
    return f"{name} ({where})" if where else name


def _sort_key(key: tuple[str | None, ...]) -> tuple[str, ...]:
    return tuple(part or "" for part in key)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    mean = _mean(values)
    return math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1)


def _num(value: float) -> str:
    return f"{value:.3g}"


def _signed(value: float) -> str:
    return f"{value:+.3g}"


def _unit_suffix(unit: str) -> str:
    return f" {unit}" if unit else ""


def _s(count: int) -> str:
    return "" if count == 1 else "s"
