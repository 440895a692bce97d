"""How many weeks of measurements a given noise needs to show a given change (power)."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from collagen_coach.core.measures import MIN_BASELINE, MIN_WEEKS
from collagen_coach.core.noise import mdc95
from collagen_coach.core.progress._shared import CONFIDENCE, FloatArray, num, unit_suffix
from collagen_coach.core.progress.series import (
    LAST_WINDOW_DAYS,
    MIN_FOLLOW_UP_DAYS,
)

POWER = 0.8


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
