"""How many weeks of measurements a given noise needs to show a given change (power), and the
weeks a person's own trial needs before she starts it (split-face, on/off)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from collagen_coach.core.measures import MIN_BASELINE, MIN_WEEKS, measure_of
from collagen_coach.core.noise import WHOLE_NUMBER_SEM_FLOOR, mdc95, typical_error
from collagen_coach.core.progress._shared import (
    CONFIDENCE,
    FloatArray,
    mean,
    num,
    plural,
    unit_suffix,
)
from collagen_coach.core.progress.observation import SELF_RATINGS, Observation, in_bounds
from collagen_coach.core.progress.series import (
    LAST_WINDOW_DAYS,
    MIN_FOLLOW_UP_DAYS,
)
from collagen_coach.core.trials import BLOCK_WEEKS, MIN_ON_OFF_WEEKS

POWER = 0.8
MOST_WEEKS = 52  # the longest plan
# The size that matters on a 0–10 self-rating: 1 point, the scale's smallest step. The one
# explicit anchor found is a change of at least 1 point on validated 5-point photonumeric scales
# (EVIDENCE.md §3 "Minimal detectable / important change", §7.3).
RATING_CHANGE_THAT_MATTERS = 1.0
RATING_CHANGE_WORDS = (
    "a 1-point difference on your 0–10 rating, the smallest step the scale has (on validated "
    "photo scales a change of 1 point is the one found to matter)"
)


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
    errors are independent). It follows the series' verdict rule (:mod:`.series`) with
    ``baseline_points`` baseline measurements on different days and measurements spread evenly
    over the weeks:

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
    per = f"{num(abs(effect))}{unit_suffix(unit)} a week"
    design = "between the massaged and the untreated side " if split_face else ""
    if weeks is None:
        return (
            f"A change of {per} {design}would not stand out from your measurement noise (about "
            f"±{num(noise)}{unit_suffix(unit)}) within a year at {num(photos_per_week)} "
            "measurements a week: it is too small for your own data to show."
        )
    return (
        f"With your measurement noise (about ±{num(noise)}{unit_suffix(unit)}) and "
        f"{num(photos_per_week)} measurements a week, a change of {per} {design}needs about "
        f"{weeks} weeks to show beyond the noise (8 times in 10)."
    )


def on_off_weeks(
    sem: float, difference: float, per_week: float, *, power: float = POWER
) -> int | None:
    """Give the weeks of an on/off plan (whole pairs of blocks, at least ``MIN_ON_OFF_WEEKS``)
    needed to show ``difference`` between the weeks with and without massage with ``power``, at
    a noise of ``sem`` and ``per_week`` measuring days a week; None beyond ``MOST_WEEKS``.

    It follows the A-B-A-B verdict (:mod:`.on_off`): the difference must exceed the MDC and its
    interval exclude zero; normal approximation with half the days in each phase, the two
    chances multiplied (conservative).
    """
    if sem <= 0 or per_week <= 0:
        raise ValueError("sem and per_week must be positive")
    mdc = mdc95(sem)
    z = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))
    for weeks in range(MIN_ON_OFF_WEEKS, MOST_WEEKS + 1, 2 * BLOCK_WEEKS):
        days = per_week * weeks / 2
        se = sem * math.sqrt(2.0 / days)
        beyond = float(stats.norm.cdf((abs(difference) - mdc) / se))
        if beyond * float(stats.norm.cdf(abs(difference) / se - z)) >= power:
            return weeks
    return None


def split_face_power_words(per_week: int, measured: int, plan_weeks: int | None = None) -> str:
    """Give, in plain words, the weeks a split-face trial needs to show a change as large as a
    measure's own MDC built up over ``MIN_WEEKS`` weeks, at ``per_week`` measuring days a week,
    and, when a plan of ``plan_weeks`` weeks is shorter, what to do about it.

    The size is set by each measure's noise, so the weeks are the same for every measure and
    need no noise figure; ``measured`` counts the measures whose size her baseline gave.
    """
    weeks = power_weeks(math.sqrt(2.0), mdc95(1.0) / MIN_WEEKS, per_week)
    said = (
        f"At {per_week} measuring days a week a change that size would not show within a year."
        if weeks is None
        else f"Expect about {weeks} weeks at {per_week} measuring days a week to see a change "
        "that size (8 times in 10)."
    )
    if plan_weeks is not None:
        said += shorter_plan_words(plan_weeks, weeks)
    size = (
        "Split-face: the change that matters here is the massaged side pulling ahead of the other "
        "by the smallest change your own measurements can tell apart from their day-to-day "
        f"wobble (their minimal detectable change), built up over {MIN_WEEKS} weeks. {said}"
    )
    if measured:
        return f"{size} Your baseline gave that size for {measured} measure{plural(measured)}."
    return (
        f"{size} Your baseline will give that size for each measure; the weeks stay the same, "
        "as the size follows each measure's own wobble."
    )


def shorter_plan_words(plan_weeks: int, needed: int | None) -> str:
    """Give, after an estimate of the weeks a trial needs, what a shorter plan means (with a
    leading space), or "" when the plan is long enough."""
    if needed is None:
        return (
            f" Your plan runs {plan_weeks} weeks: read its result as a first look, not as an "
            "answer."
        )
    if needed <= plan_weeks:
        return ""
    return (
        f" Your plan runs {plan_weeks} weeks; a change of that size would need about {needed}: "
        f"lengthen the plan to {needed} weeks, or read the result as a first look."
    )


def on_off_power_words(sems: Mapping[str, float], per_week: int) -> list[str]:
    """Give the weeks an on/off plan needs to show a 1-point difference between the weeks with
    and without massage: a sentence saying so, then one per self-rating from its own noise in
    ``sems`` (its SEM at baseline, by the rating's name); without any, one at the least noise a
    whole-number rating can have (rounding alone), so the shortest it could take."""
    lines = [f"On and off: the change that matters is {RATING_CHANGE_WORDS}."]
    if not sems:
        weeks = on_off_weeks(WHOLE_NUMBER_SEM_FLOOR, RATING_CHANGE_THAT_MATTERS, per_week)
        said = "more than a year" if weeks is None else f"at least {weeks} weeks"
        return [
            *lines,
            "Before your baseline, at the least wobble a whole-number rating can have (about "
            f"±{_two(WHOLE_NUMBER_SEM_FLOOR)} points, from rounding alone): {said} at "
            f"{per_week} measuring days a week. Your baseline ratings will give your own "
            "figure, likely longer.",
        ]
    for name, sem in sems.items():
        weeks = on_off_weeks(sem, RATING_CHANGE_THAT_MATTERS, per_week)
        wobble = f"your day-to-day wobble about ±{_two(sem)} points"
        lines.append(
            f"{name}: {wobble} hides a 1-point difference; it would not stand out within a year."
            if weeks is None
            else f"{name}: about {weeks} weeks at {per_week} measuring days a week ({wobble})."
        )
    return lines


def _two(value: float) -> str:
    return f"{value:.2f}"


def trial_power(
    baseline: Sequence[Observation],
    per_week: int,
    *,
    split_face: bool,
    on_off: bool,
    plan_weeks: int | None = None,
) -> list[str]:
    """Give, in plain words, the weeks a person's trial needs, from her own ``baseline``
    measurements (what she measured before her first session; photos that failed the quality
    gate and impossible values left out) at ``per_week`` measuring days a week; with the
    ``plan_weeks`` of her plan, whether it is long enough.

    Each series' noise is the typical error of its baseline days' means (Hopkins 2000); a
    measure's noise pools its zones and sides (root mean square). An on/off plan is judged on the
    self-ratings, a split-face trial on the measures taken per side (photos, instruments).
    """
    days: dict[tuple[str, str | None, str | None], dict[object, list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for obs in baseline:
        if obs.quality_ok and in_bounds(obs):
            days[(obs.metric, obs.zone, obs.side)][obs.date].append(obs.value)
    sems: dict[str, list[float]] = defaultdict(list)
    for (metric, _, side), by_day in sorted(days.items(), key=lambda kv: str(kv[0])):
        rating = metric in SELF_RATINGS
        if (rating and not on_off) or (not rating and (not split_face or side is None)):
            continue
        noise = typical_error([mean(v) for v in by_day.values()], whole_numbers=rating)
        if noise is not None:
            sems[metric].append(noise.sem)
    pooled = {m: math.sqrt(mean([v * v for v in values])) for m, values in sems.items()}
    lines = []
    if on_off:
        lines += on_off_power_words(
            {_title(m): v for m, v in pooled.items() if m in SELF_RATINGS}, per_week
        )
    if split_face:
        measured = len(set(pooled) - SELF_RATINGS)
        lines.append(split_face_power_words(per_week, measured, plan_weeks))
    return lines


def _title(metric: str) -> str:
    measure = measure_of(metric)
    return measure.short_title or measure.title if measure else metric.replace("_", " ")
