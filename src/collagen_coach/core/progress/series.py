"""One series: its baseline, noise, trend, change since the baseline and verdict.

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
6. **Correlated noise.** Measurements close in time share more than chance: a dry week, a season,
   a mood. Such errors do not cancel as independent ones do, and intervals that assume
   independence are too narrow (with a correlation of 0.5 between one measurement and the next,
   7–8 % of people with no change were told they changed). So the lag-1 autocorrelation ρ of the
   day values is estimated from their residuals within each phase — around the Theil–Sen line,
   the baseline and the follow-up each at its own level, pairs of days only within a phase —
   and corrected for its small-sample bias, −(1 + 4ρ)/n to first order, by adding
   (1 + 4ρ̂)/n (Marriott FHC, Pope JA 1954, Biometrika 41:390–402; Kendall MG 1954, Biometrika
   41:403–404). It is taken as 0 when negative (negative correlation would narrow the
   intervals), at most ``MAX_SERIAL_CORRELATION``, and 0 below ``MIN_DAYS`` days. With AR(1)
   errors (correlation ρᵏ at lag k) both intervals are then widened:

   - each Welch group's variance of the mean by f·(m − 1)/(m − f), where
     f = 1 + 2·Σₖ(1 − k/m)·ρᵏ is m over the group's effective sample size (the variance of a
     mean of m correlated values) and (m − 1)/(m − f) undoes the shrinking of the sample
     variance itself; for long runs both tend to (1 + ρ)/(1 − ρ), i.e. the effective sample size
     n(1 − ρ)/(1 + ρ) (Bayley GV, Hammersley JM 1946, JRSS Suppl 8:184–197; Zwiers FW, von
     Storch H 1995, J Climate 8:336–351);
   - the variance of the Mann–Kendall statistic behind Sen's interval by Hamed and Rao's factor
     1 + 2/(n(n − 1)(n − 2))·Σₖ(n − k)(n − k − 1)(n − k − 2)·ρᵏ (Hamed KH, Rao AR 1998,
     J Hydrol 204:182–196), with ρᵏ for the autocorrelation at lag k.

   Zwiers and von Storch show that no plug-in estimate of ρ is exact in short series; the
   simulation tests measure what this one gives (tests/core/test_progress.py): with ρ = 0.5,
   3–4 % false verdicts instead of 8 %, and a true change of 2 × MDC detected in 90.5 % of
   people with independent noise instead of 93.3 %. With ρ = 0.7 it is 7 % instead of 17 %:
   twelve weeks of weekly measurements cannot tell so strong a correlation from a trend.
   Residuals around one straight line read a sudden step or a curved response as correlation,
   which widens the intervals: the cost is fewer detections, not more false verdicts. A block
   bootstrap needs longer series than eight to twelve weeks of measurements give.
7. **Verdict.** ``improving`` or ``worsening`` only when all three hold: \\|change\\| > MDC95, the
   change's 95 % interval excludes zero, and the trend's 95 % interval excludes zero on the same
   side. Which direction is better comes from ``higher_is_better``; a change beyond the noise
   of a measure with no known better direction is ``not_judged`` (shown, never called better or
   worse). Otherwise
   ``no_change_detected``, or ``not_enough_data`` below the minimums (the ``MIN_*`` constants),
   with the reason in words: what there is, what is needed and how many more. Numbers in the
   reasons are rounded to about a tenth of the measure's noise (``core.words.decimals_for``).
   A measure not yet repeatable enough to judge (``core.measures.Measure.exploratory``) keeps
   its noise, trend and change but is ``exploratory`` instead of any verdict.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from scipy import stats

from collagen_coach.core.measures import MIN_BASELINE, MIN_WEEKS, is_exploratory, weeks_measured
from collagen_coach.core.noise import Noise, typical_error
from collagen_coach.core.progress._shared import (
    CONFIDENCE,
    FloatArray,
    Interval,
    label,
    mean,
    unit_suffix,
    variance,
)
from collagen_coach.core.progress.observation import Observation, unit_of
from collagen_coach.core.words import EXPLORATORY_WORDS, Verdict, decimals_for, number, signed

BASELINE_DAYS = 7  # without phases, the first week of a series is its baseline
MIN_BASELINE_DAYS = 2  # baseline days, so the noise includes day-to-day change
MIN_DAYS = 6  # days measured in all
MIN_FOLLOW_UP_DAYS = 3  # days measured after the baseline
LAST_WINDOW_DAYS = 14  # "now" is the mean of the last two weeks' measurements
MAX_SERIAL_CORRELATION = 0.9  # ρ used to widen the intervals, at most (module docstring, 6.)


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """What one series shows: its noise, trend, change since baseline and the verdict.

    ``mdc``, ``sem``, ``slope_per_week`` and ``change`` are in ``unit`` and None where the data
    cannot give them; intervals are ``(lo, estimate, hi)`` at 95 %. ``n`` counts observations,
    ``days`` the days they were taken on. ``higher_is_better`` is None where no direction is
    known; such a series is never judged ``improving`` or ``worsening``. ``observations`` are the
    ones it was judged on (for the split-face series, the daily differences), so a presenter
    never needs to find them again; they are not part of :meth:`as_json`. ``serial_correlation``
    is the ρ the intervals were widened by (module docstring, 6.). ``exploratory`` says the
    measure is shown but not judged (its verdict is then ``exploratory``).
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
    serial_correlation: float = 0.0
    exploratory: bool = False
    observations: tuple[Observation, ...] = field(default=(), repr=False, compare=False)

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
            "exploratory": self.exploratory,
        }


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


def baseline_mean(observations: Sequence[Observation]) -> float | None:
    """Give the mean of the baseline days' values (same-day retakes averaged first), the
    baseline chosen as the analysis chooses it (:func:`baseline_flags`); None without one."""
    by_day: dict[dt.date, list[float]] = {}
    for obs, is_baseline in zip(observations, baseline_flags(observations), strict=True):
        if is_baseline:
            by_day.setdefault(obs.date, []).append(obs.value)
    if not by_day:
        return None
    return statistics.fmean(statistics.fmean(values) for values in by_day.values())


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
    unit = unit_of(observations)
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

    slope, rho = trend(days, [values[d] for d in days], [d in baseline_days for d in days])
    change = None
    if len(baseline_days) >= 2 and len(follow_up) >= 2:
        last = last_window(follow_up)
        change = welch_interval(
            [values[d] for d in last],
            [values[d] for d in sorted(baseline_days)],
            floor_sd=noise.sem if noise is not None and noise.floored else 0.0,
            rho=rho,
        )

    missing = _missing(len(baseline), len(baseline_days), days, follow_up)
    mdc = None if noise is None else noise.mdc
    exploratory = is_exploratory(metric)
    verdict: Verdict
    if exploratory:
        verdict, reason = "exploratory", EXPLORATORY_WORDS
    elif missing or change is None or slope is None or mdc is None:
        verdict = "not_enough_data"
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
        serial_correlation=rho,
        exploratory=exploratory,
        observations=tuple(observations),
    )
    return replace(result, explanation=explain(result, noise))


def _missing(
    baseline_n: int, baseline_days: int, days: list[dt.date], follow_up: list[dt.date]
) -> list[str]:
    """Give what a series lacks for a verdict, each part written to follow "Not enough data
    yet: " — what there is, what is needed and how many more (empty when it has enough)."""
    missing = []
    if len(days) < MIN_DAYS:
        missing.append(so_far(len(days), MIN_DAYS, "measurement days"))
    if baseline_n == 0:
        missing.append(
            f"no baseline measurements yet, {MIN_BASELINE} needed on different days before the "
            "first session"
        )
    elif baseline_n < MIN_BASELINE:
        missing.append(
            so_far(baseline_n, MIN_BASELINE, "baseline measurements")
            + " on different days, to measure the noise"
        )
    elif baseline_days < MIN_BASELINE_DAYS:
        missing.append(
            f"baseline measurements on {baseline_days} day only, {MIN_BASELINE_DAYS} days "
            "needed: retakes on one day miss the change from day to day"
        )
    if len(follow_up) < MIN_FOLLOW_UP_DAYS:
        missing.append(
            so_far(len(follow_up), MIN_FOLLOW_UP_DAYS, "measurement days after the baseline")
        )
    weeks = weeks_measured(days[0], days[-1]) if days else 0
    if weeks < MIN_WEEKS:
        missing.append(weeks_missing(weeks))
    return missing


def weeks_missing(weeks: int) -> str:
    """Give the part of a reason that says the weeks of measurements fall short, the last of
    the parts (joined by "; ") when they do: "2 of the 8 weeks of measurements so far, 6 more
    needed"."""
    return so_far(weeks, MIN_WEEKS, "weeks of measurements")


def so_far(have: int, needed: int, what: str) -> str:
    """Give "2 of the 8 weeks of measurements so far, 6 more needed"."""
    return f"{have} of the {needed} {what} so far, {needed - have} more needed"


def judge(
    change: Interval, slope: Interval, mdc: float, higher_is_better: bool | None, unit: str
) -> tuple[Verdict, str]:
    """Give the verdict and its reason: improving or worsening only when the change exceeds the
    MDC, its interval excludes zero and the trend's interval excludes zero on the same side.

    The change and the MDC are written to about a tenth of the MDC, the trend to about a tenth
    of its interval's width (``core.words.decimals_for``), with a real minus sign."""
    d = decimals_for(mdc)
    said = f"changed by {_interval(change, d, unit_suffix(unit), ' (', ')')}"
    noise = f"the noise (MDC {number(mdc, d)}{unit_suffix(unit)})"
    found = basis(change, slope, mdc)
    if found == "within_noise":
        return "no_change_detected", f"{said}, within {noise}"
    if found == "uncertain":
        return "no_change_detected", f"{said}: the interval includes no change"
    per_week = _interval(slope, decimals_for(slope[2] - slope[0]), " a week", ", ", "")
    if found == "trend_disagrees":
        return "no_change_detected", f"{said}, but the trend ({per_week}) does not confirm it"
    agrees = f"{said}, more than {noise}, and the trend agrees ({per_week})"
    if higher_is_better is None:
        return "not_judged", f"{agrees}; neither direction is known to be better"
    verdict: Verdict = "improving" if (change[1] > 0) == higher_is_better else "worsening"
    return verdict, agrees


Basis = Literal["within_noise", "uncertain", "trend_disagrees", "confirmed"]


def basis(change: Interval, slope: Interval, mdc: float) -> Basis:
    """Give which of the verdict's three conditions decided it (:func:`judge`): the change
    within the MDC, its interval including zero, the trend's interval not on the change's side,
    or all three met."""
    lo, est, hi = change
    if abs(est) <= mdc:
        return "within_noise"
    if lo <= 0.0 <= hi:
        return "uncertain"
    trend_agrees = slope[0] > 0 if est > 0 else slope[2] < 0
    return "confirmed" if trend_agrees else "trend_disagrees"


def _interval(interval: Interval, decimals: int, unit: str, opening: str, closing: str) -> str:
    """Give "−0.7 points (95 % interval −1.2 to −0.2)", the unit and the brackets as given."""
    lo, est, hi = (signed(v, decimals) for v in interval)
    return f"{est}{unit}{opening}95 % interval {lo} to {hi}{closing}"


def trend(
    days: Sequence[dt.date], values: Sequence[float], baseline: Sequence[bool]
) -> tuple[Interval | None, float]:
    """Give the Theil–Sen trend per week with its 95 % interval widened for serial correlation,
    and that correlation ρ (module docstring, 4. and 6.); ``baseline`` marks the baseline days.
    None and 0.0 with fewer than three days."""
    slopes = _pairwise_slopes(days, values)
    if slopes is None:
        return None, 0.0
    centred = _centred(slopes)
    rho = serial_correlation(days, values, baseline, _median(centred))
    return _sen_interval(centred, values, days, rho), rho


def theil_sen_per_week(
    days: Sequence[dt.date], values: Sequence[float], *, rho: float = 0.0
) -> Interval | None:
    """Give the Theil–Sen slope per week with its 95 % interval (Sen 1968), widened for a
    lag-1 autocorrelation ``rho`` (Hamed and Rao 1998), or None with fewer than three days."""
    slopes = _pairwise_slopes(days, values)
    return None if slopes is None else _sen_interval(_centred(slopes), values, days, rho)


def _weeks_from_first(days: Sequence[dt.date]) -> FloatArray:
    return np.array([(day - days[0]).days / 7.0 for day in days])


def _pairwise_slopes(days: Sequence[dt.date], values: Sequence[float]) -> FloatArray | None:
    """Give the slopes per week between every two days, or None with fewer than three days."""
    if len(days) < 3:
        return None
    x = _weeks_from_first(days)
    y = np.asarray(values, dtype=float)
    first, second = np.triu_indices(len(x), k=1)
    run = x[second] - x[first]
    keep = run > 0
    slopes: FloatArray = (y[second] - y[first])[keep] / run[keep]
    return slopes if slopes.size else None


def _middle(size: int) -> tuple[int, int]:
    """Give the ranks of the median's one or two values (the same for an odd size)."""
    return max(size // 2 - 1, 0) if size % 2 == 0 else size // 2, size // 2


def _centred(slopes: FloatArray) -> FloatArray:
    """Give the slopes partitioned at the median's ranks: smaller values before, larger after."""
    return np.partition(slopes, sorted(set(_middle(slopes.size))))


def _median(centred: FloatArray) -> float:
    """Give the median of slopes partitioned by :func:`_centred`."""
    low, high = _middle(centred.size)
    return float((centred[low] + centred[high]) / 2.0)


def _ranked(centred: FloatArray, rank: int) -> float:
    """Give the value of ``rank`` in sorted order, searching only the side of the median it is
    on (the slopes partitioned by :func:`_centred`)."""
    low, high = _middle(centred.size)
    if rank < low:
        return float(np.partition(centred[:low], rank)[rank])
    if rank > high:
        return float(np.partition(centred[high + 1 :], rank - high - 1)[rank - high - 1])
    return float(centred[rank])


def _sen_interval(
    centred: FloatArray, values: Sequence[float], days: Sequence[dt.date], rho: float
) -> Interval:
    """Give the median slope and Sen's 95 % interval, from the Mann–Kendall variance with ties,
    times Hamed and Rao's factor for ``rho`` (the slopes partitioned by :func:`_centred`)."""
    # The same estimate and interval as scipy.stats.theilslopes (Sen 1968, eq. 2.6), but the
    # three order statistics needed are found by partitioning instead of sorting all n²/2 slopes:
    # five years of daily ratings (≈1.1 million slopes) take milliseconds instead of ~0.3 s.
    _, y_counts = np.unique(np.asarray(values, dtype=float), return_counts=True)
    _, x_counts = np.unique(_weeks_from_first(days), return_counts=True)
    n = len(values)
    ties = sum(int(k) * (int(k) - 1) * (2 * int(k) + 5) for k in (*x_counts, *y_counts) if k > 1)
    variance_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0 * trend_inflation(n, rho)
    sigma = math.sqrt(variance_s)
    z = float(stats.norm.ppf((1.0 - CONFIDENCE) / 2.0))
    upper = min(int(np.round((centred.size - z * sigma) / 2.0)), centred.size - 1)
    lower = max(int(np.round((centred.size + z * sigma) / 2.0)) - 1, 0)
    return (_ranked(centred, lower), _median(centred), _ranked(centred, upper))


def serial_correlation(
    days: Sequence[dt.date], values: Sequence[float], baseline: Sequence[bool], slope: float
) -> float:
    """Give the lag-1 autocorrelation ρ the intervals are widened by (module docstring, 6.):
    of the residuals around ``slope`` (per week), each phase at its own median level, pairs
    only within a phase; bias-corrected, taken as 0 when negative and at most
    ``MAX_SERIAL_CORRELATION``; 0 below ``MIN_DAYS`` days."""
    n = len(values)
    if n < MIN_DAYS:
        return 0.0
    is_baseline = np.asarray(baseline, dtype=bool)
    residuals = np.asarray(values, dtype=float) - slope * _weeks_from_first(days)
    for phase in (is_baseline, ~is_baseline):
        if phase.any():
            residuals[phase] -= np.median(residuals[phase])
    same_phase = is_baseline[1:] == is_baseline[:-1]
    spread = float(np.mean(residuals**2))
    if spread == 0.0:
        return 0.0
    products = (residuals[1:] * residuals[:-1])[same_phase]
    estimate = float(np.mean(products)) / spread
    corrected = estimate + (1.0 + 4.0 * max(estimate, 0.0)) / n  # Marriott and Pope 1954
    return min(max(corrected, 0.0), MAX_SERIAL_CORRELATION)


def mean_inflation(m: int, rho: float) -> float:
    """Give how much the estimated variance of a mean of ``m`` values understates it when they
    are AR(1) with lag-1 correlation ``rho``: f·(m − 1)/(m − f), f = 1 + 2·Σₖ(1 − k/m)·ρᵏ."""
    if rho <= 0.0 or m < 2:
        return 1.0
    lags = np.arange(1, m, dtype=float)
    f = 1.0 + 2.0 * float(np.sum((1.0 - lags / m) * rho**lags))
    return f * (m - 1) / (m - f)


def trend_inflation(n: int, rho: float) -> float:
    """Give Hamed and Rao's (1998) factor on the Mann–Kendall variance of ``n`` AR(1) values
    with lag-1 correlation ``rho``: 1 + 2/(n(n − 1)(n − 2))·Σₖ(n − k)(n − k − 1)(n − k − 2)·ρᵏ."""
    if rho <= 0.0 or n < 4:
        return 1.0
    lags = np.arange(1, n - 2, dtype=float)
    terms = (n - lags) * (n - lags - 1) * (n - lags - 2) * rho**lags
    return 1.0 + 2.0 / (n * (n - 1) * (n - 2)) * float(np.sum(terms))


def welch_interval(
    after: Sequence[float], before: Sequence[float], *, floor_sd: float = 0.0, rho: float = 0.0
) -> Interval:
    """Give mean(after) − mean(before) with its 95 % Welch t interval (Welch 1947).

    ``floor_sd`` is the smallest SD either group is taken to have (the rounding noise of
    whole-number scores), so identical scores do not make an interval of zero width. ``rho``,
    the lag-1 autocorrelation within each group, widens each group's variance of the mean by
    :func:`mean_inflation` (module docstring, 6.).
    """
    if len(after) < 2 or len(before) < 2:
        raise ValueError("a Welch interval needs two values in each group")
    mean_a, mean_b = mean(after), mean(before)
    var_a = max(variance(after), floor_sd**2) / len(after) * mean_inflation(len(after), rho)
    var_b = max(variance(before), floor_sd**2) / len(before) * mean_inflation(len(before), rho)
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


def explain(result: SeriesResult, noise: Noise | None) -> str:
    """Give a series' noise, change and verdict in plain words, the numbers to about a tenth of
    its noise."""
    name = label(result.metric, result.zone, result.side)
    unit = unit_suffix(result.unit)
    d = decimals_for(result.mdc)
    parts = []
    if noise is not None and result.mdc is not None:
        parts.append(
            f"When nothing changes, {name} still varies by about ±{number(noise.sem, d)}{unit} "
            f"between measurements, so only a change bigger than {number(result.mdc, d)}{unit} "
            "is more than noise."
        )
    else:
        parts.append(f"The noise of {name} is not measured yet: it needs baseline repeats.")
    if result.change is not None:
        moved = _interval(result.change, d, unit, " (", ")")
        parts.append(f"Since the baseline it moved by {moved}.")
    if result.serial_correlation > 0.0:
        parts.append(
            "Measurements close in time tend to move together here (correlation "
            f"{number(result.serial_correlation, 1)}), so they count for less than as many "
            "independent ones and the intervals are wider."
        )
    verdicts = {
        "improving": "That is a real change for the better, beyond the noise.",
        "worsening": "That is a real change for the worse, beyond the noise.",
        "no_change_detected": "No change beyond the noise so far.",
        "not_enough_data": f"Not enough data yet: {result.reason}.",
        "not_judged": "That is a real change, beyond the noise, but neither direction is known "
        "to be better for this measure, so it is not judged.",
        "exploratory": f"Shown, not judged: {EXPLORATORY_WORDS}.",
    }
    parts.append(verdicts[result.verdict])
    return " ".join(parts)
