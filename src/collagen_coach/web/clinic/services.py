"""A client's record as their practitioner works on it: the timeline, hand-edited plans and
sessions done in the clinic (shared by the pages and the REST API)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from collagen_coach.core.adherence import counts_as_done
from collagen_coach.core.errors import UserError
from collagen_coach.core.plan_checks import check_step
from collagen_coach.core.planning import Program, Session, Side, Step
from collagen_coach.core.screening import Decision
from collagen_coach.core.techniques import Library, load_library
from collagen_coach.core.words import (
    DECISION_WORDS,
    day_in_words,
    pressure_with_level,
    short_duration,
)
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.journal.models import SessionLog
from collagen_coach.web.journal.services import (
    finish_session_log,
    journal_entries,
    record_step,
    start_session_log,
)
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import save_program
from collagen_coach.web.practice.models import AuditEvent, SessionNote

# The audit log's words for a plan a practitioner saved: "plan #12: …" (read back by the timeline
# to say who made or edited each plan).
PLAN_AUDIT_PREFIX = "plan #"

EntryKind = Literal["intake", "plan", "session", "photo", "note", "rating", "readings", "peptides"]
# Within one day: what was decided first, then what was done, then what was measured.
_KIND_ORDER: dict[str, int] = {
    "intake": 0,
    "plan": 1,
    "session": 2,
    "note": 3,
    "photo": 4,
    "rating": 5,
    "readings": 6,
    "peptides": 7,
}


@dataclass(frozen=True)
class TimelineEntry:
    """One thing in a client's record, in words: what, when, by whom, and where to look closer.

    ``record_id`` is the id of the intake, photo or note the entry is about (for links).
    """

    date: dt.date
    kind: EntryKind
    title: str
    summary: str
    by: str = ""
    badge: str = ""
    tone: str = ""
    record_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    at: dt.datetime | None = None  # when in the day, where known (for the order within a day)


def timeline(client: Client, start: dt.date, end: dt.date) -> list[TimelineEntry]:
    """Give everything in the client's record from ``start`` to ``end`` (both included), newest
    day first: intakes and their decisions, plans, sessions at home and in the clinic, SOAP
    notes, photos with their verdicts, self-ratings, instrument readings and peptide doses.

    The number of database queries is the same whatever the length of the history (one or two
    per kind of record).
    """
    if end < start:
        raise UserError("end", f"{end} is before the start {start}", f"a day on or after {start}")
    entries: list[TimelineEntry] = []
    entries += _intake_entries(client, start, end)
    entries += _plan_entries(client, start, end)
    entries += _note_entries(client, start, end)
    entries += _photo_entries(client, start, end)
    for entry in journal_entries(client, start, end):
        if entry.kind == "session":
            entries.append(_session_entry(entry.date, entry.summary, entry.details))
        else:
            title = {
                "rating": "Self-rating",
                "readings": "Instrument readings",
                "peptides": "Collagen peptides",
            }[entry.kind]
            entries.append(
                TimelineEntry(
                    date=entry.date,
                    kind=entry.kind,
                    title=title,
                    summary=entry.summary.removeprefix(f"{title}: "),
                    details=entry.details,
                )
            )
    # Newest first: by day, then by time where known, then by kind (what was decided first).
    entries.sort(key=lambda e: _KIND_ORDER[e.kind])
    entries.sort(key=lambda e: (e.date, _moment(e.at)), reverse=True)
    return entries


def _day_words(iso: object) -> str:
    try:
        return f"{dt.date.fromisoformat(str(iso)):%-d %B %Y}"
    except ValueError:
        return str(iso)


def _moment(at: dt.datetime | None) -> float:
    return at.timestamp() if at is not None else 0.0


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _created_between(start: dt.date, end: dt.date) -> dict[str, dt.datetime]:
    """Give lookups for records created from ``start`` to ``end`` (local days, both included)."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return {"created_at__gte": first, "created_at__lt": after}


def _person(user: Any) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def _intake_entries(client: Client, start: dt.date, end: dt.date) -> list[TimelineEntry]:
    records = (
        IntakeRecord.objects.filter(client=client, **_created_between(start, end))
        .select_related("recorded_by")
        .order_by("created_at", "pk")
    )
    entries = []
    for record in records:
        decision = record.get_decision()
        by = _person(record.recorded_by)
        recorder_id = record.recorded_by_id
        for_client = recorder_id is not None and recorder_id != client.account_id
        summary = " ".join(decision.reasons)
        if record.consented_at:
            who = "the client, recorded by " + by if for_client else "the client"
            summary += f" Consent given by {who} on {day_in_words(record.consented_at, year=True)}."
        entries.append(
            TimelineEntry(
                date=_local_day(record.created_at),
                kind="intake",
                title="Safety check",
                summary=summary,
                by=by if for_client else (by and "the client"),
                badge=DECISION_WORDS[decision.decision].short,
                tone=DECISION_WORDS[decision.decision].tone,
                record_id=record.pk,
                at=record.created_at,
            )
        )
    return entries


def _plan_entries(client: Client, start: dt.date, end: dt.date) -> list[TimelineEntry]:
    between = _created_between(start, end)
    programs = (
        StoredProgram.objects.filter(client=client, **between)
        .defer("program", "decision")
        .annotate(session_count=Count("sessions"))
        .order_by("created_at", "pk")
    )
    made_by: dict[int, tuple[str, str]] = {}
    events = AuditEvent.objects.filter(
        client=client,
        action=AuditEvent.Action.CHANGE,
        what__startswith=PLAN_AUDIT_PREFIX,
        at__gte=between["created_at__gte"],
    ).values_list("what", "actor_name")
    for what, actor in events:
        number, _, how = what[len(PLAN_AUDIT_PREFIX) :].partition(":")
        if number.isdigit():
            made_by[int(number)] = (actor, how.strip())
    entries = []
    for stored in programs:
        actor, how = made_by.get(stored.pk, ("", ""))
        profile = stored.profile
        count = getattr(stored, "session_count", 0)
        first_day = _day_words(profile.get("start_date"))
        summary = (
            f"{count} sessions of about {profile.get('minutes_per_day')} minutes, "
            f"{profile.get('days_per_week')} days a week from {first_day}."
        )
        if how:
            summary = f"{how[0].upper()}{how[1:]}. {summary}"
        entries.append(
            TimelineEntry(
                date=_local_day(stored.created_at),
                kind="plan",
                title="Plan edited" if how.startswith("edited") else "Plan made",
                summary=summary,
                by=actor or "the client",
                badge="current home routine" if stored.is_current else "",
                tone="good" if stored.is_current else "",
                record_id=stored.pk,
                at=stored.created_at,
            )
        )
    return entries


def _session_entry(day: dt.date, summary: str, details: dict[str, Any]) -> TimelineEntry:
    place = details.get("place", "home")
    done = counts_as_done(
        completed=details["status"] == "completed",
        done_s=details["done_s"],
        planned_s=details["planned_s"],
    )
    return TimelineEntry(
        date=day,
        kind="session",
        title="Session in the clinic" if place == "clinic" else "Session at home",
        summary=summary,
        badge="done" if done else "partial",
        tone="good" if done else "warn",
        record_id=details.get("log_id"),
        details=details,
        at=dt.datetime.fromisoformat(details["started_at"]) if details.get("started_at") else None,
    )


def _note_entries(client: Client, start: dt.date, end: dt.date) -> list[TimelineEntry]:
    notes = (
        SessionNote.objects.filter(client=client, **_created_between(start, end))
        .select_related("author", "session_log")
        .order_by("created_at", "pk")
    )
    entries = []
    for note in notes:
        parts = [
            f"{label}: {text}"
            for label, text in (
                ("S", note.subjective),
                ("O", note.objective),
                ("A", note.assessment),
                ("P", note.plan),
            )
            if text
        ]
        entries.append(
            TimelineEntry(
                date=_local_day(note.created_at),
                kind="note",
                title="Note on an in-clinic session" if note.session_log is not None else "Note",
                summary=" · ".join(parts) or "(empty)",
                by=_person(note.author),
                badge="shared with the client" if note.shared_with_client else "",
                tone="good" if note.shared_with_client else "",
                record_id=note.pk,
                at=note.created_at,
            )
        )
    return entries


def _photo_entries(client: Client, start: dt.date, end: dt.date) -> list[TimelineEntry]:
    photos = (
        Photo.objects.filter(client=client, taken_on__range=(start, end))
        .select_related("measurement")
        .defer("measurement__metrics", "measurement__metrics_by_side")
        .order_by("taken_on", "created_at")
    )
    entries = []
    for photo in photos:
        passed = photo.passed
        if photo.status == PhotoStatus.FAILED:
            badge, tone, summary = "could not be analysed", "bad", photo.error
        elif passed is None:
            badge, tone, summary = str(PhotoStatus(photo.status).label), "", "Analysis to come."
        elif passed:
            badge, tone, summary = "passed the quality check", "good", "Counts towards progress."
        else:
            problems = photo.measurement.problems if photo.measurement else []
            hints = [str(p.get("hint", "")) for p in problems]
            badge, tone = "did not pass the quality check", "bad"
            summary = "Left out of progress. " + " ".join(h for h in hints if h)
        entries.append(
            TimelineEntry(
                date=photo.taken_on,
                kind="photo",
                title="Progress photo",
                summary=summary,
                badge=badge,
                tone=tone,
                record_id=photo.pk,
            )
        )
    return entries


# ---------------------------------------------------------------------------------------------
# Plans edited by hand


def hand_step(
    technique: str,
    zone: str,
    side: Side,
    duration_s: int,
    pressure: int,
    *,
    why: str = "",
    library: Library | None = None,
) -> Step:
    """Give a plan step a practitioner chose, with the technique's tempo and its evidence."""
    library = library or load_library()
    known = library.techniques.get(technique)
    if known is None:
        raise UserError(
            "technique", f"unknown technique {technique!r}", ", ".join(library.techniques)
        )
    evidence = library.evidence[known.evidence]
    return Step(
        technique=technique,
        zone=zone,
        side=side,
        duration_s=duration_s,
        pressure=pressure,
        tempo_value=known.tempo.value,
        tempo_unit=known.tempo.unit,
        tempo_cue=known.tempo.cue,
        why=why or f"Chosen by your practitioner. {evidence.claim} ({evidence.label})",
    )


def refusals(
    steps: list[Step], decision: Decision, days: list[dt.date], library: Library | None = None
) -> list[list[str]]:
    """Give, for each step, why it may not be done on one of ``days`` (empty lists: all fine)."""
    library = library or load_library()
    return [
        list(dict.fromkeys(p for day in days for p in check_step(step, decision, library, day)))
        for step in steps
    ]


def future_sessions(program: Program, today: dt.date, phase: str | None = None) -> list[Session]:
    """Give the program's sessions from ``today`` on (of one ``phase`` if given), in date order."""
    return [s for s in program.sessions if s.date >= today and (phase is None or s.phase == phase)]


def save_edited_plan(
    client: Client,
    program: Program,
    decision: Decision,
    days: list[dt.date],
    steps: list[Step],
) -> tuple[StoredProgram, Program]:
    """Give the client's new current program (stored) with ``steps`` on each of ``days``, the
    rest unchanged; the earlier program stays in the history.

    Raises UserError, changing nothing, when a step is not safe on one of the days under the
    client's newest screening ``decision``, or when there is no step or no such session.
    """
    if not steps:
        raise UserError("steps", "a session needs at least one step", "one step or more")
    if not days:
        raise UserError("sessions", "no session is chosen", "a planned session from today on")
    planned = {s.date for s in program.sessions}
    missing = [d for d in days if d not in planned]
    if missing:
        raise UserError("date", f"no session is planned on {missing[0]}", "a planned day")
    problems = [p for found in refusals(steps, decision, days) for p in found]
    if problems:
        raise UserError("steps", problems[0], None)
    wanted = set(days)
    sessions = [
        s.model_copy(update={"steps": list(steps)}) if s.date in wanted else s
        for s in program.sessions
    ]
    notes = list(program.notes)
    edited = program.model_copy(update={"sessions": sessions, "notes": notes})
    return save_program(client, edited), edited


# ---------------------------------------------------------------------------------------------
# Sessions in the clinic


def record_clinic_session(
    client: Client, steps: list[Step], day: dt.date, program: StoredProgram | None = None
) -> SessionLog:
    """Give the session the practitioner has just given the client in the clinic, saved as done:
    every step given in full, ``place`` "clinic", completed now."""
    if not steps:
        raise UserError("steps", "a session needs at least one step", "one step or more")
    session = Session(date=day, phase="foundation", steps=steps)
    with transaction.atomic():
        log = start_session_log(client, day, program, session=session)
        for index, step in enumerate(steps):
            record_step(log, index, step.duration_s)
        finish_session_log(log, None, None)
        SessionLog.objects.filter(pk=log.pk).update(place="clinic")
    log.refresh_from_db()
    return log


def step_words(step: Step, library: Library | None = None) -> str:
    """Give one step in words: "Tapping on the forehead, 1 min, featherlight (level 1 of 5)"."""
    library = library or load_library()
    technique = library.techniques.get(step.technique)
    zone = library.zones.get(step.zone)
    side = "" if step.side == "both" else f" ({step.side} side)"
    return (
        f"{technique.name if technique else step.technique} on the "
        f"{(zone.name if zone else step.zone).lower()}{side}, {short_duration(step.duration_s)}, "
        f"{pressure_with_level(step.pressure)}"
    )
