"""Measurement noise of one person's own measurements: typical error (SEM) and MDC95.

A measurement repeated while nothing has changed still varies: the light differs a little, the
head turns, the skin is more or less hydrated, a self-rating is given in a different mood. That
spread is the *typical error* or standard error of measurement (SEM): the within-person standard
deviation of repeated measurements, estimated as the pooled SD of repeats (Hopkins WG, "Measures
of reliability in sports medicine and science", Sports Med 2000;30:1–15).

Two kinds of repeats are pooled:

- **baseline repeats** — every measurement before the first session (different days and
  same-session retakes alike) is a repeat of the same, untreated state;
- **same-day repeats** after the baseline — retakes in one session share a true value.

The minimal detectable change at 95 % confidence is MDC95 = 1.96·√2·SEM (Weir JP, J Strength
Cond Res 2005;19:231–240): the smallest difference between two single measurements that noise
alone produces less than one time in twenty.

Scores given in whole points (0–10 self-ratings) can repeat identically; the rounding still adds
noise, at least that of a uniform quantisation error, step/√12 (Widrow B, Kollár I, "Quantization
Noise", 2008), so the SEM of whole-number series is never taken below 1/√12 ≈ 0.29 points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MDC_FACTOR = 1.96 * math.sqrt(2.0)  # MDC95 = 1.96·√2·SEM
WHOLE_NUMBER_SEM_FLOOR = 1.0 / math.sqrt(12.0)


@dataclass(frozen=True, slots=True)
class Noise:
    """A series' typical error: ``sem`` in the metric's unit, with its degrees of freedom.

    ``baseline_repeats`` and ``same_day_repeats`` count the measurements each kind of repeat
    contributed; ``floored`` says the SEM was raised to the rounding noise of whole numbers.
    """

    sem: float
    df: int
    baseline_repeats: int
    same_day_repeats: int
    floored: bool = False

    @property
    def mdc(self) -> float:
        """Give the minimal detectable change, MDC95 = 1.96·√2·SEM."""
        return mdc95(self.sem)


def mdc95(sem: float) -> float:
    """Give MDC95 = 1.96·√2·SEM (Weir 2005): the change two single measurements must differ by
    to exceed noise with 95 % confidence."""
    return MDC_FACTOR * sem


def typical_error(
    baseline: Sequence[float],
    same_day_groups: Sequence[Sequence[float]] = (),
    *,
    whole_numbers: bool = False,
) -> Noise | None:
    """Give the pooled SD of repeats (Hopkins 2000), or None with fewer than 1 degree of freedom.

    ``baseline`` holds every measurement before the first session; ``same_day_groups`` the
    retakes of each later day (groups of one add nothing). The squared deviations from each
    group's own mean are pooled over the degrees of freedom of all groups.
    """
    squares = 0.0
    df = 0
    baseline_used = 0
    if len(baseline) >= 2:
        squares += _sum_of_squares(baseline)
        df += len(baseline) - 1
        baseline_used = len(baseline)
    same_day_used = 0
    for group in same_day_groups:
        if len(group) >= 2:
            squares += _sum_of_squares(group)
            df += len(group) - 1
            same_day_used += len(group)
    if df < 1:
        return None
    sem = math.sqrt(squares / df)
    floored = whole_numbers and sem < WHOLE_NUMBER_SEM_FLOOR
    return Noise(
        sem=WHOLE_NUMBER_SEM_FLOOR if floored else sem,
        df=df,
        baseline_repeats=baseline_used,
        same_day_repeats=same_day_used,
        floored=floored,
    )


def _sum_of_squares(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((v - mean) ** 2 for v in values)
