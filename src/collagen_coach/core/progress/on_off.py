"""A-B-A-B: self-ratings in alternating blocks with and without massage.

The mean of the ``treatment`` days minus the mean of the ``off`` days with a Welch interval
(Welch BL 1947, Biometrika 34:28–35); noise from the spread within blocks; at least
``MIN_ABAB_BLOCKS`` blocks of each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from collagen_coach.core.noise import typical_error
from collagen_coach.core.progress._shared import Interval, mean, plural, unit_suffix
from collagen_coach.core.progress.observation import Observation, Phase, unit_of
from collagen_coach.core.progress.series import welch_interval
from collagen_coach.core.trials import MIN_ABAB_BLOCKS
from collagen_coach.core.words import Verdict, decimals_for, number, signed


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


def analyse_abab(
    observations: Sequence[Observation], higher_is_better: bool | None = None
) -> AbabResult:
    """Give the A-B-A-B comparison of one series: mean of the ``treatment`` days minus mean of
    the ``off`` days (Welch interval), noise from the spread within blocks, and the verdict
    (improving or worsening only beyond the MDC with an interval excluding zero)."""
    first = observations[0]
    unit = unit_of(observations)
    by_day: dict[dt.date, list[float]] = defaultdict(list)
    phase_of: dict[dt.date, Phase] = {}
    for obs in sorted(observations, key=lambda o: o.date):
        if obs.phase in ("treatment", "off"):
            by_day[obs.date].append(obs.value)
            phase_of.setdefault(obs.date, obs.phase)
    blocks: list[tuple[Phase, list[float]]] = []
    for day in sorted(by_day):
        value = mean(by_day[day])
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
            f"{blocks_on} block{plural(blocks_on)} with massage and {blocks_off} without so far, "
            f"{MIN_ABAB_BLOCKS} of each needed (A-B-A-B)"
        )
    if noise is None:
        missing.append("no repeats within a block to measure noise: rate on several days a block")
    mdc = None if noise is None else noise.mdc
    if missing or difference is None or mdc is None:
        verdict: Verdict = "not_enough_data"
        reason = "; ".join(missing) or "too few days in a phase"
    else:
        lo, est, hi = difference
        d = decimals_for(mdc)
        said = f"with massage {signed(est, d)}{unit_suffix(unit)} (95 % interval "
        said += f"{signed(lo, d)} to {signed(hi, d)})"
        beyond = f"the noise (MDC {number(mdc, d)}{unit_suffix(unit)})"
        if abs(est) <= mdc:
            verdict, reason = "no_change_detected", f"{said}, within {beyond}"
        elif lo <= 0.0 <= hi:
            verdict, reason = "no_change_detected", f"{said}: the interval includes no difference"
        elif higher_is_better is None:
            verdict = "not_judged"
            reason = f"{said}, more than {beyond}; neither direction is better"
        else:
            verdict = "improving" if (est > 0) == higher_is_better else "worsening"
            reason = f"{said}, more than {beyond}"
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
