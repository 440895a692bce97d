"""The progress analysis kept current as entries arrive, so that the dashboard never analyses
years of measurements while a person waits.

A client's measurements fall into three parts that share no series: self-ratings, instrument
readings and photo measurements (``core.progress.analyse_part``). Each part's analysis is stored
(``ProgressPart``) with a fingerprint of what it was made from, and combining the parts
(``core.progress.analysis.combine_parts``) gives exactly what analysing everything at once gives.
A rating or a reading touches only its part, which the background worker works out again once
the change is committed, and a photo its ~184 series, which the worker works out again after
analysing the photo (``stored_page`` follows the changes, and stores the dashboard's page too).

A stored part is used only while its fingerprint matches: the part's rows (count and newest
change, one query for all three), the plan's first session after the baseline and its pause
week (they set the phases) and the split-face side. A change also removes the part's row in the
change's own transaction, so a process killed before it worked the part out again leaves no row
rather than a wrong one. A part found stale or missing (the worker behind, a plan changed) is
worked out in the request and stored: a verdict is never shown from data that have changed.
Today's date matters only through the days a part holds: a part made on another day is used
unchanged while none of its days is later than either day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum

from collagen_coach.core.measures import UNREPEATABLE
from collagen_coach.core.planning import Program
from collagen_coach.core.progress import AbabResult, Observation, SeriesResult, counts
from collagen_coach.core.progress.analysis import MeasuredPart, analyse_part
from collagen_coach.reports.series import metric_kind
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import InstrumentReading, PhotoMeasurement, SelfRating
from collagen_coach.web.journal.services import MEASURED_PARTS, progress_observations
from collagen_coach.web.progress.models import ProgressPart
from collagen_coach.web.progress.signals import parts_changed

# Raised whenever the stored form or the analysis it holds changes: every stored part is then
# worked out again. The measures withdrawn from verdicts are part of it too, so withdrawing or
# restoring one (``core.measures.UNREPEATABLE``) works every stored part out again.
STORE_VERSION = "3"
_ANALYSIS = "|".join([STORE_VERSION, *sorted(UNREPEATABLE)])

_SOURCES: dict[str, tuple[Any, tuple[tuple[str, Any], ...]]] = {
    "ratings": (SelfRating, (("n", Count("pk")), ("changed", Max("updated_at")))),
    # A corrected reading keeps its id: its value, repeat number and day show the correction.
    "readings": (
        InstrumentReading,
        (
            ("n", Count("pk")),
            ("last", Max("pk")),
            ("values", Sum("value")),
            ("repeats", Sum("repeat")),
            ("first_day", Min("date")),
            ("last_day", Max("date")),
        ),
    ),
    "photos": (
        PhotoMeasurement,
        (("n", Count("pk")), ("last", Max("pk")), ("made", Max("created_at"))),
    ),
}


def part_fingerprints(
    client_pk: int, program: Program | None, treated_side: str | None
) -> dict[str, str]:
    """Give each part's fingerprint: its rows, the plan's phases and the split-face side. One
    query."""
    fields: dict[str, Subquery] = {}
    for part, (model, aggregates) in _SOURCES.items():
        rows = model._default_manager.filter(client=OuterRef("pk")).order_by().values("client")
        for name, aggregate in aggregates:
            fields[f"{part}_{name}"] = Subquery(rows.annotate(v=aggregate).values("v")[:1])
    values = Client.objects.filter(pk=client_pk).annotate(**fields).values(*fields).get()
    phases = (
        f"{program.treatment_from}|{program.earlier_history_before}" if program is not None else ""
    )
    return {
        part: hashlib.sha256(
            "|".join(
                [_ANALYSIS, part, phases, str(treated_side)]
                + [f"{name}={values[f'{part}_{name}']}" for name, _ in aggregates]
            ).encode()
        ).hexdigest()
        for part, (_, aggregates) in _SOURCES.items()
    }


Period = tuple[dt.date, dt.date]


def current_parts(
    client: Client, today: dt.date, program: Program | None, treated_side: str | None
) -> tuple[list[MeasuredPart], Period | None]:
    """Give the client's three parts as of ``today`` (the stored ones that are current, the
    others worked out now and stored) and the first and last day of the measurements that count.
    Three queries when all are current."""
    prints = part_fingerprints(client.pk, program, treated_side)
    stored = {row.part: row for row in ProgressPart.objects.filter(client=client)}
    found: dict[str, dict[str, Any]] = {}
    for part in MEASURED_PARTS:
        row = stored.get(part)
        if row is not None and row.made_from == prints[part]:
            data = json.loads(row.analysis)
            if _current_on(data, today):
                found[part] = data
    stale = [part for part in MEASURED_PARTS if part not in found]
    if stale:
        found |= _work_out(client, stale, today, treated_side, prints)
    parts = [part_from_json(found[part]) for part in MEASURED_PARTS]
    days: list[int] = [day for part in MEASURED_PARTS for day in found[part]["period"] or []]
    period = (dt.date.fromordinal(min(days)), dt.date.fromordinal(max(days))) if days else None
    return parts, period


def refresh_parts(client: Client, today: dt.date, parts: Iterable[str]) -> None:
    """Work out and store ``parts`` of the client's analysis for the client's current plan (what
    the worker does after a committed change of entries, and after a photo)."""
    from collagen_coach.web.plans.services import current_program

    program = current_program(client)
    side = _plan_side(program)
    prints = part_fingerprints(client.pk, program, side)
    _work_out(client, list(parts), today, side, prints)


def forget_parts(client_pk: int, parts: Iterable[str], *, announce: bool = True) -> None:
    """Remove the stored ``parts`` of a client's analysis (in the transaction of the change that
    makes them stale); ``announce`` sends ``parts_changed`` (the caller may send it itself)."""
    ProgressPart.objects.filter(client_id=client_pk, part__in=list(parts)).delete()
    if announce:
        parts_changed.send(sender=ProgressPart, client_id=client_pk, in_practice=None)


# What each kind of entry touches (``stored_page`` follows their changes).
PART_OF = {SelfRating: "ratings", InstrumentReading: "readings", PhotoMeasurement: "photos"}


def _plan_side(program: Program | None) -> str | None:
    if program is None or program.profile.treated_side not in ("left", "right"):
        return None
    return str(program.profile.treated_side)


def _current_on(data: dict[str, Any], today: dt.date) -> bool:
    """Whether a part made on ``data["today"]`` holds for ``today``: the same day, or none of its
    days later than either day (today only decides which days count)."""
    made_on = dt.date.fromordinal(data["today"])
    newest = data["newest"]
    return made_on == today or newest is None or newest <= min(made_on, today).toordinal()


def _work_out(
    client: Client,
    parts: Sequence[str],
    today: dt.date,
    treated_side: str | None,
    prints: dict[str, str],
) -> dict[str, dict[str, Any]]:
    """Analyse ``parts`` afresh and store each under its fingerprint in ``prints`` (read before
    the rows were: a change meanwhile leaves the row stale, never wrong); give them by part.

    The old rows go first and the new ones follow, each write on its own: a process killed in
    between leaves no row, which the next visit works out again."""
    observations = progress_observations(client, tuple(parts))
    by_part: dict[str, list[Observation]] = {part: [] for part in parts}
    for obs in observations:
        by_part[_PART_OF_KIND[metric_kind(obs.metric)]].append(obs)
    made: dict[str, dict[str, Any]] = {}
    for part, mine in by_part.items():
        data = part_json(analyse_part(mine, treated_side=treated_side, today=today))
        data["today"] = today.toordinal()
        data["newest"] = max((o.date.toordinal() for o in mine), default=None)
        used = [o.date.toordinal() for o in mine if counts(o, today)]
        data["period"] = [min(used), max(used)] if used else None
        made[part] = data
    forget_parts(client.pk, parts, announce=False)  # announced once, below
    ProgressPart.objects.bulk_create(
        [
            ProgressPart(
                client=client, part=part, made_from=prints[part], analysis=json.dumps(data)
            )
            for part, data in made.items()
        ],
        ignore_conflicts=True,  # another process stored the same part meanwhile
    )
    parts_changed.send(
        sender=ProgressPart, client_id=client.pk, in_practice=client.practice_id is not None
    )
    return made


_PART_OF_KIND = {"self_rating": "ratings", "instrument": "readings", "photo": "photos"}


# ---------------------------------------------------------------------------------------------
# The stored form: JSON, every float exactly as analysed


def part_json(part: MeasuredPart) -> dict[str, Any]:
    """Give a part as JSON-ready data (:func:`part_from_json` gives it back, equal)."""
    return {
        "series": [_result_json(r) for r in part.series],
        "split_face": [_result_json(r) for r in part.split_face],
        "abab": [_fields_json(a) for a in part.abab],
        "changes": [[week.toordinal(), steps] for week, steps in part.changes.items()],
        "used": sorted(part.used),
        "impossible": _observations_json(part.impossible),
        "rejected_days": sorted(day.toordinal() for day in part.rejected_days),
        "unlit_days": sorted(day.toordinal() for day in part.unlit_days),
        "algorithm_notes": [[list(key), note] for key, note in part.algorithm_notes.items()],
    }


def part_from_json(data: dict[str, Any]) -> MeasuredPart:
    """Give back the part that :func:`part_json` stored."""
    return MeasuredPart(
        series=[_result(r) for r in data["series"]],
        split_face=[_result(r) for r in data["split_face"]],
        abab=[AbabResult(**_tuples(a)) for a in data["abab"]],
        changes={dt.date.fromordinal(week): steps for week, steps in data["changes"]},
        used=frozenset(data["used"]),
        impossible=_observations(data["impossible"]),
        rejected_days=frozenset(dt.date.fromordinal(day) for day in data["rejected_days"]),
        algorithm_notes={_key(key): note for key, note in data["algorithm_notes"]},
        unlit_days=frozenset(dt.date.fromordinal(day) for day in data["unlit_days"]),
    )


def _key(parts: list[str | None]) -> tuple[str, str | None, str | None]:
    metric, zone, side = parts
    return (str(metric), zone, side)


def _fields_json(result: Any) -> dict[str, Any]:
    values = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name, value in values.items()
        if name != "observations"
    }


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


def _result_json(result: SeriesResult) -> dict[str, Any]:
    return _fields_json(result) | {"observations": _observations_json(result.observations)}


def _result(data: dict[str, Any]) -> SeriesResult:
    fields = _tuples({k: v for k, v in data.items() if k != "observations"})
    return SeriesResult(**fields, observations=tuple(_observations(data["observations"])))


_OBSERVATION_FIELDS = tuple(f.name for f in dataclasses.fields(Observation))


def _observations_json(observations: Sequence[Observation]) -> dict[str, Any]:
    """Give observations as columns; a column with one value throughout is kept once."""
    columns: dict[str, Any] = {"n": len(observations)}
    for name in _OBSERVATION_FIELDS:
        values = [getattr(o, name) for o in observations]
        if name == "date":
            values = [day.toordinal() for day in values]
        if values and all(v == values[0] for v in values) and name not in ("value", "date"):
            columns[name] = {"all": values[0]}
        else:
            columns[name] = values
    return columns


def _observations(columns: dict[str, Any]) -> list[Observation]:
    n = columns["n"]
    lists = []
    for name in _OBSERVATION_FIELDS:
        column = columns[name]
        if isinstance(column, dict):
            column = [column["all"]] * n
        elif name == "date":
            column = [dt.date.fromordinal(day) for day in column]
        lists.append(column)
    return [Observation(*values) for values in zip(*lists, strict=True)]
