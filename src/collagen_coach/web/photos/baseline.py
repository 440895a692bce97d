"""A person's baseline look: how her face was taken in her baseline photos, what each later
photo is judged against (pose, distance, expression and light; ``vision.look``).

The rule, once: her baseline photos are her passed photos on the days progress counts as her
baseline (``core.progress.series.baseline_flags`` over her photo measurements as progress reads
them, ``web.journal.services.progress_observations``: the plan's baseline week, or pause week,
before its first session; without a plan, the first week of photos). Where none of those has a
look (photos analysed before looks were kept, or a plan begun without a baseline week), her
first ``MIN_BASELINE`` passed photos that have one stand in. Their looks are combined by
``vision.look.baseline_of``.

A baseline photo is itself judged without a baseline look (:func:`judged_against_baseline`):
the baseline is what defines her usual look, so judging one of its photos against the others
would make the first, perhaps odd, photo the rule for the rest, and a photo's verdict would
depend on the order the baseline photos were analysed in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from collagen_coach.core.measures import MIN_BASELINE
from collagen_coach.core.progress.observation import Observation, counts
from collagen_coach.core.progress.series import baseline_flags
from collagen_coach.vision.look import FaceLook, baseline_of
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import PhotoMeasurement
from collagen_coach.web.journal.services import progress_observations
from collagen_coach.web.plans.services import current_program


def baseline_days(client: Client, also: dt.date | None = None) -> list[dt.date]:
    """Give the days of the client's passed photos that progress counts as her baseline, oldest
    first; with ``also``, as if a passed photo of that day were among them."""
    program = current_program(client)
    pause = program.earlier_history_before if program else None
    days = {(o.date, o.phase) for o in progress_observations(client, ("photos",)) if counts(o)}
    if also is not None and (pause is None or also >= pause):
        days.add((also, program.phase_of(also) if program else None))
    marks = [Observation(day, "photo", 0.0, phase=phase) for day, phase in sorted(days)]
    return sorted({m.date for m, flag in zip(marks, baseline_flags(marks), strict=True) if flag})


def judged_against_baseline(client: Client, day: dt.date) -> bool:
    """Whether a photo of ``day`` is judged against her baseline look: not one of her baseline
    photos (module docstring)."""
    return day not in baseline_days(client, also=day)


def baseline_look(client: Client, *, leaving_out: int | None = None) -> FaceLook | None:
    """Give the client's baseline look (module docstring), or None before she has one;
    ``leaving_out``: the id of a photo measurement not to count (one being replaced)."""
    days = set(baseline_days(client))
    program = current_program(client)
    pause = program.earlier_history_before if program else None
    rows = PhotoMeasurement.objects.filter(client=client, ok=True, look__isnull=False)
    if pause is not None:  # what was taken before a pause week is not her baseline any more
        rows = rows.filter(date__gte=pause)
    if leaving_out is not None:
        rows = rows.exclude(pk=leaving_out)
    looks = [
        (row.date, look)
        for row in rows.order_by("date", "created_at", "pk")
        if (look := _look_of(row.look)) is not None
    ]
    chosen = [look for day, look in looks if day in days]
    if not chosen:
        chosen = [look for _, look in looks[:MIN_BASELINE]]
    return baseline_of(chosen)


def _look_of(stored: Any) -> FaceLook | None:
    """Give a stored look, or None where it cannot be read (a hand-edited row)."""
    try:
        return FaceLook.from_json(stored)
    except ValueError:
        return None
