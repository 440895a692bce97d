"""Journal operations shared by the web app and the command line.

Every function checks its input first and raises UserError before writing anything; writes that
belong together happen in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction

from collagen_coach.core.adherence import counts_as_done
from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import short_text
from collagen_coach.core.measures import check_value, plausible
from collagen_coach.core.planning import Session, progress_phase
from collagen_coach.core.progress import Observation
from collagen_coach.core.words import short_duration
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import checks
from collagen_coach.web.journal.models import (
    RATING_SCALES,
    InstrumentReading,
    PeptideIntake,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
    SessionStatus,
)
from collagen_coach.web.lib import dates
from collagen_coach.web.plans.models import PlannedSession, StoredProgram
from collagen_coach.web.plans.services import current_program, current_stored_program

if TYPE_CHECKING:  # photo analysis is slow to load, and only its report's shape is needed here
    from collagen_coach.vision.analysis import PhotoReport

# Longest time one step may be recorded as done: generous, since a client may linger on a step.
STEP_MAX_S = 3600
PRODUCT_MAX_CHARS = 200
UNIT_MAX_CHARS = 20

# ---------------------------------------------------------------------------------------------
# Sessions


def start_session_log(
    client: Client,
    session_date: dt.date,
    program: StoredProgram | None = None,
    *,
    session: Session | None = None,
) -> SessionLog:
    """Give a new session log, already saved, for the session planned on ``session_date``.

    The steps come from ``session`` when given (e.g. a session adapted after comfort feedback),
    otherwise from the session ``program`` plans that day; ``program`` defaults to the client's
    current program. The log is written before the first step starts, so a session cut short by a
    crash or kill is still on record.
    """
    checks.journal_day("date", session_date)
    stored = program if program is not None else current_stored_program(client)
    if stored is not None and stored.client != client:
        raise ValueError("the program belongs to another client")
    if session is not None:
        planned_steps = [step.model_dump(mode="json") for step in session.steps]
    else:
        planned_steps = _planned_steps(stored, session_date)
    if not planned_steps:
        raise UserError("session", "has no steps", "a session with at least one step")
    return SessionLog.objects.create(
        client=client,
        planned_date=session_date,
        program=stored,
        started_at=dates.now(),
        status=SessionStatus.IN_PROGRESS,
        steps=[
            {
                "technique": step["technique"],
                "zone": step["zone"],
                "side": step["side"],
                "planned_s": int(step["duration_s"]),
                "done_s": None,
                "skipped": False,
            }
            for step in planned_steps
        ],
    )


def _planned_steps(stored: StoredProgram | None, day: dt.date) -> list[dict[str, Any]]:
    if stored is None:
        raise UserError("program", "there is no plan yet to take the session from")
    planned = PlannedSession.objects.filter(program=stored, date=day).first()
    if planned is None:
        later = (
            PlannedSession.objects.filter(program=stored, date__gt=day)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        allowed = f"a planned day, e.g. {later}" if later else None
        raise UserError("date", f"no session is planned on {day}", allowed)
    return list(planned.steps)


def record_step(log: SessionLog, step_index: int, done_s: int, skipped: bool = False) -> SessionLog:
    """Save how one step went, at once, and give the log as saved (``log`` is refreshed too).

    ``done_s`` is the time actually spent on the step in seconds (0 for a step skipped at once).
    """
    with transaction.atomic():
        fresh = SessionLog.objects.select_for_update().get(pk=log.pk)
        _still_in_progress(fresh)
        last = len(fresh.steps) - 1
        if isinstance(step_index, bool) or not isinstance(step_index, int):
            raise UserError("step", f"{step_index!r} is not a step number", f"0–{last}")
        if not 0 <= step_index <= last:
            raise UserError("step", f"{step_index} is out of range", f"0–{last}")
        if isinstance(done_s, bool) or not isinstance(done_s, int):
            raise UserError("done_s", f"{done_s!r} is not whole seconds", f"0–{STEP_MAX_S}")
        if not 0 <= done_s <= STEP_MAX_S:
            raise UserError("done_s", f"{done_s} is out of range", f"0–{STEP_MAX_S}")
        steps = list(fresh.steps)
        steps[step_index] = {**steps[step_index], "done_s": done_s, "skipped": bool(skipped)}
        fresh.steps = steps
        fresh.save(update_fields=["steps", "updated_at"])
    log.refresh_from_db()
    return log


def finish_session_log(
    log: SessionLog, pain: bool | None, redness: bool | None, note: str = ""
) -> SessionLog:
    """Mark the session completed with the client's comfort feedback; give the saved log.

    ``pain`` and ``redness`` are None when the client did not say.
    """
    clean_note = short_text("note", note, checks.NOTE_MAX_CHARS)
    with transaction.atomic():
        fresh = SessionLog.objects.select_for_update().get(pk=log.pk)
        _still_in_progress(fresh)
        fresh.status = SessionStatus.COMPLETED
        fresh.finished_at = dates.now()
        fresh.pain = None if pain is None else bool(pain)
        fresh.redness = None if redness is None else bool(redness)
        fresh.comfort_note = clean_note
        fresh.save()
    log.refresh_from_db()
    return log


def abandon_session_log(
    log: SessionLog, pain: bool | None = None, redness: bool | None = None, note: str = ""
) -> SessionLog:
    """Mark an unfinished session as abandoned (it still counts as a partial session), keeping
    any comfort feedback given when it was cut short."""
    clean_note = short_text("note", note, checks.NOTE_MAX_CHARS)
    with transaction.atomic():
        fresh = SessionLog.objects.select_for_update().get(pk=log.pk)
        _still_in_progress(fresh)
        fresh.status = SessionStatus.ABANDONED
        fresh.pain = pain
        fresh.redness = redness
        fresh.comfort_note = clean_note
        fresh.save(update_fields=["status", "pain", "redness", "comfort_note", "updated_at"])
    log.refresh_from_db()
    return log


def close_session_log(
    log: SessionLog,
    *,
    played_to_end: bool,
    pain: bool | None,
    redness: bool | None,
    note: str = "",
) -> bool:
    """Close a played session as done, or as stopped early (partial) when it was not played to
    its end or too little of it was massage (core.adherence.counts_as_done); give whether it is
    done."""
    if counts_as_done(completed=played_to_end, done_s=log.done_s, planned_s=log.planned_s):
        finish_session_log(log, pain, redness, note)
        return True
    abandon_session_log(log, pain, redness, note)
    return False


def needs_gentler_session(client: Client) -> bool:
    """Whether the client's last session with comfort feedback reported pain or redness."""
    last = (
        SessionLog.objects.filter(client=client)
        .exclude(pain__isnull=True, redness__isnull=True)
        .order_by("-started_at")
        .first()
    )
    return bool(last and (last.pain or last.redness))


def _still_in_progress(log: SessionLog) -> None:
    if log.status != SessionStatus.IN_PROGRESS:
        raise UserError("session", f"{log.planned_date} is already {log.status}")


def unfinished_session_logs(client: Client) -> list[SessionLog]:
    """Give the client's sessions still marked in progress, oldest first (e.g. after a crash)."""
    return list(
        SessionLog.objects.filter(client=client, status=SessionStatus.IN_PROGRESS).order_by(
            "started_at"
        )
    )


def done_session_dates(client: Client) -> list[dt.date]:
    """Give the days whose planned session was completed, in order."""
    days = (
        SessionLog.objects.filter(client=client, status=SessionStatus.COMPLETED)
        .values_list("planned_date", flat=True)
        .distinct()
        .order_by("planned_date")
    )
    return list(days)


def partial_session_dates(client: Client) -> list[dt.date]:
    """Give the days with a session started but not completed (in progress or abandoned).

    A day with a completed session is not partial, whatever else was started on it.
    """
    done = set(done_session_dates(client))
    days = (
        SessionLog.objects.filter(
            client=client, status__in=[SessionStatus.IN_PROGRESS, SessionStatus.ABANDONED]
        )
        .values_list("planned_date", flat=True)
        .distinct()
        .order_by("planned_date")
    )
    return [day for day in days if day not in done]


# ---------------------------------------------------------------------------------------------
# Peptides and self-ratings


def log_peptides(
    client: Client, date: dt.date, grams: Decimal | float | int | str, product: str = ""
) -> PeptideIntake:
    """Record one dose of collagen peptides (more than 0 and at most 30 g) taken on ``date``."""
    checks.journal_day("date", date)
    amount = checks.grams("grams", grams)
    name = short_text("product", product, PRODUCT_MAX_CHARS)
    return PeptideIntake.objects.create(client=client, date=date, grams=amount, product=name)


def last_dose(client: Client) -> PeptideIntake | None:
    """Give the client's latest dose of peptides (by day, then by when it was logged), or None;
    the form to log the next one starts from its product and amount."""
    return PeptideIntake.objects.filter(client=client).order_by("-date", "-created_at").first()


def rate(
    client: Client,
    date: dt.date,
    *,
    firmness: int,
    elasticity: int,
    fine_lines: int,
    glow: int,
    sagging: int,
    note: str = "",
) -> SelfRating:
    """Record the client's self-rating for ``date`` (each score 0–10); a second one replaces it.

    Firmness, elasticity and glow: more is better. Fine lines and sagging: how much the client
    sees, so less is better (``core.measures``).
    """
    checks.journal_day("date", date)
    given = {
        "firmness": firmness,
        "elasticity": elasticity,
        "fine_lines": fine_lines,
        "glow": glow,
        "sagging": sagging,
    }
    scores = {scale: checks.score(scale, given[scale]) for scale in RATING_SCALES}
    clean_note = short_text("note", note, checks.NOTE_MAX_CHARS)
    with transaction.atomic():
        rating, _ = SelfRating.objects.update_or_create(
            client=client, date=date, defaults={**scores, "note": clean_note}
        )
    return rating


# ---------------------------------------------------------------------------------------------
# Correcting or deleting one entry (the caller has found it among the person's own rows)


def correct_peptides(
    dose: PeptideIntake, date: dt.date, grams: Decimal | float | int | str, product: str = ""
) -> PeptideIntake:
    """Correct one dose of peptides: its day, grams and product, checked as when it was logged."""
    checks.journal_day("date", date)
    dose.grams = checks.grams("grams", grams)
    dose.product = short_text("product", product, PRODUCT_MAX_CHARS)
    dose.date = date
    dose.save(update_fields=["date", "grams", "product"])
    return dose


def correct_rating(rating: SelfRating, scores: dict[str, object], note: str = "") -> SelfRating:
    """Correct one day's self-rating: every score (0–10) and the note; the day stays."""
    clean = {scale: checks.score(scale, scores.get(scale)) for scale in RATING_SCALES}
    rating.note = short_text("note", note, checks.NOTE_MAX_CHARS)
    for scale, value in clean.items():
        setattr(rating, scale, value)
    rating.save(update_fields=[*RATING_SCALES, "note", "updated_at"])
    return rating


def correct_reading(
    reading: InstrumentReading, date: dt.date, value: float, unit: str | None = None
) -> InstrumentReading:
    """Correct one instrument reading: its day and value (one its instrument can give), and
    its unit when given."""
    checks.journal_day("date", date)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UserError("value", f"{value!r} is not a number", "e.g. 0.71")
    check_value("value", f"{reading.instrument}:{reading.parameter}", float(value))
    if unit is not None:
        reading.unit = short_text("unit", unit, UNIT_MAX_CHARS)
    same = InstrumentReading.objects.filter(
        client=reading.client,
        date=date,
        instrument=reading.instrument,
        parameter=reading.parameter,
        zone=reading.zone,
        side=reading.side,
        value=float(value),
    ).exclude(pk=reading.pk)
    # Readings that agree exactly are told apart by their repeat number.
    reading.repeat = max([0, *same.values_list("repeat", flat=True)]) + 1
    reading.date, reading.value = date, float(value)
    reading.save(update_fields=["date", "value", "unit", "repeat"])
    return reading


def delete_entry(entry: PeptideIntake | SelfRating | InstrumentReading) -> None:
    """Delete one dose, rating or reading; nothing else changes."""
    entry.delete()


# ---------------------------------------------------------------------------------------------
# Progress photos

PHOTO_SIDES = ("left", "right")


def log_photo(client: Client, date: dt.date, report: PhotoReport) -> PhotoMeasurement:
    """Record what analysing a progress photo taken on ``date`` measured; give the saved row.

    Only numbers are kept: the photo's file name (no folder), the quality verdict with its
    problems, the head pose, how the face was taken and lit (its look, and whether it was lit
    like the baseline) and the metrics. A photo the quality gate rejected is recorded too,
    with ``ok`` False, and does not count towards progress.
    """
    checks.journal_day("date", date)
    name = PurePath(report.file).name[:255]
    pose = report.pose
    return PhotoMeasurement.objects.create(
        client=client,
        date=date,
        file_name=name,
        ok=bool(report.ok),
        problems=[
            {
                "id": p.id,
                "hint": p.hint,
                "value": _finite(p.value),
                "threshold": _finite(p.threshold),
            }
            for p in report.problems
        ],
        pose=None
        if pose is None
        else {"yaw": _finite(pose.yaw), "pitch": _finite(pose.pitch), "roll": _finite(pose.roll)},
        metrics_by_side={
            zone: {
                side: {metric: _possible(metric, value) for metric, value in values.items()}
                for side, values in sides.items()
            }
            for zone, sides in report.metrics_by_side.items()
        },
        metrics={
            zone: {metric: _possible(metric, value) for metric, value in values.items()}
            for zone, values in report.metrics.items()
        },
        algorithm=report.algorithm,
        look=None if report.look is None else report.look.as_json(),
        lit_like_baseline=report.lit_like_baseline,
    )


def _possible(metric: str, value: float | None) -> float | None:
    """Give ``value`` as a float, or None where it is missing or not one ``metric`` can have."""
    number = _finite(value)
    return number if number is not None and plausible(metric, number) else None


def _mapping(stored: object) -> dict[str, Any]:
    """Give stored JSON as a mapping, or an empty one where it is not (a hand-edited row)."""
    return stored if isinstance(stored, dict) else {}


def _stored_number(stored: object) -> float:
    """Give a stored JSON number as a float; anything else as NaN, which progress leaves out
    with a note rather than failing."""
    if isinstance(stored, int | float) and not isinstance(stored, bool):
        return float(stored)
    return math.nan


def _finite(value: float | None) -> float | None:
    """Give ``value`` as a float, or None where it is missing or not finite (JSON has no NaN)."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# ---------------------------------------------------------------------------------------------
# The journal listing

EntryKind = Literal["session", "peptides", "rating", "readings"]
_KIND_ORDER: dict[str, int] = {"session": 0, "peptides": 1, "rating": 2, "readings": 3}


@dataclass(frozen=True)
class JournalEntry:
    """One line of the journal: what happened on a day, in plain words and as data."""

    date: dt.date
    kind: EntryKind
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    # The stored rows behind the entry (a dose, a rating, each reading in details' order), so a
    # page can offer to correct or delete each one.
    ids: tuple[int, ...] = ()

    @property
    def readings_with_ids(self) -> list[tuple[int, dict[str, Any]]]:
        """Give each reading of a readings entry with the id of its stored row."""
        return list(zip(self.ids, self.details.get("readings", []), strict=False))

    def as_json(self) -> dict[str, Any]:
        """Give the entry as JSON-ready data."""
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "summary": self.summary,
            "details": self.details,
        }


def journal_entries(client: Client, start: dt.date, end: dt.date) -> list[JournalEntry]:
    """Give what the journal holds from ``start`` to ``end`` (both included), newest day first.

    Within a day: sessions, then peptides, the self-rating, and readings grouped per instrument.
    """
    if end < start:
        raise UserError("end", f"{end} is before the start {start}", f"a day on or after {start}")
    entries: list[JournalEntry] = []
    logs = SessionLog.objects.filter(client=client, planned_date__range=(start, end))
    entries += [_session_entry(log) for log in logs.order_by("planned_date", "started_at")]
    doses = PeptideIntake.objects.filter(client=client, date__range=(start, end))
    entries += [_peptide_entry(dose) for dose in doses.order_by("date", "created_at")]
    ratings = SelfRating.objects.filter(client=client, date__range=(start, end))
    entries += [_rating_entry(rating) for rating in ratings.order_by("date")]
    readings = InstrumentReading.objects.filter(client=client, date__range=(start, end)).order_by(
        "date", "instrument", "parameter", "zone", "side", "repeat"
    )
    for (day, instrument), group in groupby(readings, key=lambda r: (r.date, r.instrument)):
        entries.append(_readings_entry(day, instrument, list(group)))
    # Stable sort: newest day first, kinds in a fixed order, each kind's own order kept.
    entries.sort(key=lambda e: _KIND_ORDER[e.kind])
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


def _session_entry(log: SessionLog) -> JournalEntry:
    total = len(log.steps)
    if log.status == SessionStatus.COMPLETED:
        summary = f"Session done: {short_duration(log.done_s)} of {short_duration(log.planned_s)}"
        if log.steps_skipped:
            summary += f", {log.steps_skipped} of {total} steps skipped"
        comfort = [
            text
            for flag, text in ((log.pain, "pain"), (log.redness, "redness"))
            if flag is not None
        ]
        felt = [text for flag, text in ((log.pain, "pain"), (log.redness, "redness")) if flag]
        if felt:
            summary += "; " + " and ".join(felt) + " reported"
        elif comfort:
            summary += "; no " + " or ".join(comfort)
    else:
        state = (
            "started, not finished" if log.status == SessionStatus.IN_PROGRESS else "stopped early"
        )
        summary = f"Session {state}: {log.steps_done} of {total} steps done"
    return JournalEntry(
        date=log.planned_date,
        kind="session",
        summary=summary,
        details={
            "status": log.status,
            "planned_s": log.planned_s,
            "done_s": log.done_s,
            "steps_total": total,
            "steps_done": log.steps_done,
            "steps_skipped": log.steps_skipped,
            "pain": log.pain,
            "redness": log.redness,
            "note": log.comfort_note,
            "started_at": log.started_at.isoformat(),
            "finished_at": log.finished_at.isoformat() if log.finished_at else None,
            "place": log.place,
            "log_id": log.pk,
        },
    )


def _peptide_entry(dose: PeptideIntake) -> JournalEntry:
    grams = Decimal(dose.grams).normalize()
    summary = f"Collagen peptides: {grams:f} g" + (f" ({dose.product})" if dose.product else "")
    return JournalEntry(
        date=dose.date,
        kind="peptides",
        summary=summary,
        details={"grams": float(dose.grams), "product": dose.product},
        ids=(dose.pk,),
    )


def _rating_entry(rating: SelfRating) -> JournalEntry:
    scores = rating.scores()
    summary = "Self-rating: " + ", ".join(
        f"{scale.replace('_', ' ')} {value}" for scale, value in scores.items()
    )
    return JournalEntry(
        date=rating.date,
        kind="rating",
        summary=summary,
        details={**scores, "note": rating.note},
        ids=(rating.pk,),
    )


def _readings_entry(day: dt.date, instrument: str, rows: list[InstrumentReading]) -> JournalEntry:
    parameters = sorted({r.parameter for r in rows})
    zones = sorted({r.zone for r in rows})
    count = f"{len(rows)} reading" + ("" if len(rows) == 1 else "s")
    summary = f"{instrument.capitalize()}: {count} ({', '.join(parameters)}) on {', '.join(zones)}"
    return JournalEntry(
        date=day,
        kind="readings",
        summary=summary,
        details={
            "instrument": instrument,
            "readings": [
                {
                    "parameter": r.parameter,
                    "zone": r.zone,
                    "side": r.side,
                    "value": r.value,
                    "unit": r.unit,
                    "source": r.source,
                }
                for r in rows
            ],
        },
        ids=tuple(r.pk for r in rows),
    )


# ---------------------------------------------------------------------------------------------
# Progress


MEASURED_PARTS = ("ratings", "readings", "photos")


def progress_observations(
    client: Client, parts: tuple[str, ...] = MEASURED_PARTS
) -> list[Observation]:
    """Give the client's self-ratings, instrument readings and photo measurements as observations
    for the progress statistics, oldest first.

    A reading's metric is ``instrument:parameter`` (e.g. ``cutometer:R2``). A photo gives one
    observation per zone, side (left or right, so split-face trials work) and metric, named as
    the photo analysis names it (e.g. ``wrinkle_index``), with its algorithm version and whether
    it passed the quality gate (``quality_ok``; the statistics leave rejected photos out) and
    whether it was lit like the baseline (``lit_like_baseline``; the statistics leave out the
    measures that follow the light on a day it was not). Photos
    of one day are same-day retakes. With a current
    program, everything dated before its first session is the baseline, the rest treatment but
    ``off`` in the off blocks of an on/off plan;
    without one no phase is set (the statistics then take the first week as the baseline).
    ``parts`` chooses among self-ratings, readings and photos (``MEASURED_PARTS``).
    After a pause week, what was measured before the pause is earlier history: it stays in the
    journal but is left out here, so progress is judged from the new baseline alone.
    """
    program = current_program(client)
    first_session = program.treatment_from if program else None
    off = program.off_spans if program else []
    pause = program.earlier_history_before if program else None
    since = {"date__gte": pause} if pause else {}
    ratings = SelfRating.objects.filter(client=client, **since).order_by("date")
    observations = [
        Observation(
            rating.date,
            scale,
            float(value),
            phase=progress_phase(rating.date, first_session, off),
            unit="points",
        )
        for rating in (ratings if "ratings" in parts else [])
        for scale, value in rating.scores().items()
    ]
    readings = InstrumentReading.objects.filter(client=client, **since).order_by(
        "date", "repeat", "pk"
    )
    observations += [
        Observation(
            reading.date,
            f"{reading.instrument}:{reading.parameter}",
            float(reading.value),
            zone=reading.zone,
            side=reading.side,
            phase=progress_phase(reading.date, first_session, off),
            unit=reading.unit or None,
        )
        for reading in (readings if "readings" in parts else [])
    ]
    photos = PhotoMeasurement.objects.filter(client=client, **since).order_by(
        "date", "created_at", "pk"
    )
    observations += [
        Observation(
            photo.date,
            str(metric),
            _stored_number(value),
            zone=zone,
            side=side,
            phase=progress_phase(photo.date, first_session, off),
            algorithm=photo.algorithm,
            quality_ok=photo.ok,
            lit_like_baseline=photo.lit_like_baseline,
        )
        for photo in (photos if "photos" in parts else [])
        for zone, sides in _mapping(photo.metrics_by_side).items()
        for side in PHOTO_SIDES
        for metric, value in _mapping(_mapping(sides).get(side)).items()
        if value is not None
    ]
    observations.sort(key=lambda o: o.date)
    return observations
