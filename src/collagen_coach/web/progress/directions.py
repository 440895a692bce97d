"""Which way is better, per metric: needs no database, so a CSV of measurements can use it too."""

from __future__ import annotations

from collections.abc import Sequence

from collagen_coach.core.progress import DEFAULT_HIGHER_IS_BETTER, Observation


def progress_directions(observations: Sequence[Observation]) -> dict[str, bool]:
    """Give which way is better per metric: the statistics' defaults, and the photo metrics'
    directions when a metric is not among the defaults (loading photo analysis takes a while)."""
    directions = dict(DEFAULT_HIGHER_IS_BETTER)
    if any(o.metric.rsplit(":", 1)[-1] not in directions for o in observations):
        from collagen_coach.vision.skin import METRICS

        for metric, info in METRICS.items():
            if info.better != "neither":
                directions.setdefault(metric, info.better == "higher")
    return directions
