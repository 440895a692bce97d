"""Adherence and response: do weeks with more sessions go with more change?

Spearman's correlation between sessions per week and that week's change (in units of each
series' SEM, signed so that positive is better, averaged over the series), with a Fisher-z
interval (var z = 1.06/(n−3); Fieller EC, Hartley HO, Pearson ES 1957, Biometrika 44:470–481).
An association, never proof of cause.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scipy import stats

from collagen_coach.core.progress._shared import CONFIDENCE, Interval, mean, monday
from collagen_coach.core.progress.observation import (
    DEFAULT_HIGHER_IS_BETTER,
    Observation,
    SeriesKey,
    direction_of,
)
from collagen_coach.core.progress.series import SeriesResult, so_far

MIN_ADHERENCE_WEEKS = 6  # weeks with both a session count and a week-on-week change
ADHERENCE_CAVEAT = (
    "This is an association, not proof: weeks with more sessions may differ in other ways "
    "(holidays, sleep, season), and a good week may lead to more sessions rather than the "
    "other way round."
)


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
    changes, used = weekly_changes(series, results, higher_is_better)
    return association(changes, used, weekly_sessions)


WeeklyChanges = dict[dt.date, list[float]]


def weekly_changes(
    series: Mapping[SeriesKey, Sequence[Observation]],
    results: Sequence[SeriesResult],
    higher_is_better: Mapping[str, bool] = DEFAULT_HIGHER_IS_BETTER,
) -> tuple[WeeklyChanges, set[str]]:
    """Give each week's changes from the week before, one per series with a known direction and
    a measured SEM (in SEMs, better positive), and the metrics that gave them; series measured
    apart may be taken apart and their changes joined (:func:`association` averages them)."""
    sem_of = {(r.metric, r.zone, r.side): r.sem for r in results}
    changes: WeeklyChanges = defaultdict(list)
    used: set[str] = set()
    for key, observations in series.items():
        direction = direction_of(key[0], higher_is_better)
        sem = sem_of.get(key)
        if direction is None or not sem:
            continue
        by_week: dict[dt.date, list[float]] = defaultdict(list)
        for obs in observations:
            by_week[monday(obs.date)].append(obs.value)
        for week in sorted(by_week):
            before = by_week.get(week - dt.timedelta(days=7))
            if before is None:
                continue
            step = (mean(by_week[week]) - mean(before)) / sem
            changes[week].append(step if direction else -step)
            used.add(key[0])
    return dict(changes), used


def association(
    changes: Mapping[dt.date, Sequence[float]],
    used: set[str],
    weekly_sessions: Mapping[dt.date, int],
) -> tuple[AdherenceResponse | None, str]:
    """Give Spearman's correlation of sessions per week with the week's mean change
    (:func:`weekly_changes`), or None and a note saying why not."""
    sessions: dict[dt.date, int] = defaultdict(int)
    for day, count in weekly_sessions.items():
        sessions[monday(day)] += count
    weeks = sorted(week for week in changes if week in sessions)
    if len(weeks) < MIN_ADHERENCE_WEEKS:
        return None, (
            "Adherence and response: "
            + so_far(
                len(weeks),
                MIN_ADHERENCE_WEEKS,
                "weeks with both sessions and a change from the week before",
            )
            + "."
        )
    counts = [float(sessions[w]) for w in weeks]
    response = [mean(changes[w]) for w in weeks]
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
