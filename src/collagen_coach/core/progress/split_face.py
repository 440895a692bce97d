"""The split-face self-trial: one side massaged, the other the control.

Per metric and zone, the treated-minus-untreated difference on each day both sides were measured
is analysed as a series of its own (side ``"treated-untreated"``), with its own noise from the
baseline differences. It cancels what both sides share: light, season, sleep, supplements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from collagen_coach.core.progress._shared import mean, sort_key
from collagen_coach.core.progress.observation import (
    SIDES,
    Observation,
    SeriesKey,
    direction_of,
    newest_algorithm,
)
from collagen_coach.core.progress.series import SeriesResult, analyse_series

SPLIT_SIDE = "treated-untreated"
SPLIT_FACE_NOTE = (
    "Split-face: the untreated side is the control, so light, season, sleep and supplements, "
    "which reach both sides alike, cancel out. It cannot cancel what reaches only one side "
    "(sleeping on one side, sun through a car window), and you know which side you massage."
)


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
                value=mean([o.value for o in treated]) - mean([o.value for o in untreated]),
                side=SPLIT_SIDE,
                phase=phase,
                session=None,
            )
        )
    return differences


def analyse_split_face(
    grouped: Mapping[SeriesKey, Sequence[Observation]],
    treated_side: str,
    higher_is_better: Mapping[str, bool],
) -> list[SeriesResult]:
    """Give, per metric and zone measured on both sides, the analysis of the treated side minus
    the untreated one (``grouped``: the usable observations of each series)."""
    split_face: list[SeriesResult] = []
    for metric, zone in sorted({(m, z) for m, z, s in grouped if s in SIDES}, key=sort_key):
        pair = [list(grouped.get((metric, zone, side), [])) for side in SIDES]
        one, _ = newest_algorithm(pair[0] + pair[1])
        differences = treated_minus_untreated(one, treated_side)
        if differences:
            direction = direction_of(metric, higher_is_better)
            split_face.append(analyse_series(differences, direction))
    return split_face
