"""Program operations shared by the web app and the command line."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import transaction

from collagen_coach.core.errors import UserError
from collagen_coach.core.plan_checks import ruled_out_days
from collagen_coach.core.planning import Program, Session
from collagen_coach.core.progress import BASELINE_DAYS, SIDES, Observation
from collagen_coach.core.progress.power import trial_power
from collagen_coach.core.screening import Decision
from collagen_coach.core.techniques import load_library
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.clients.services import save_profile
from collagen_coach.web.plans.models import PlannedSession, StoredProgram


def save_program(client: Client, program: Program) -> StoredProgram:
    """Store ``program`` as the client's current program, with one planned-session row per day.

    The previous current program stays in the history, no longer current; the program's profile
    is saved as the client's current profile. All of it happens together or not at all.
    """
    with transaction.atomic():
        # Lock the client row so two saves at once queue instead of both becoming current.
        Client.objects.select_for_update().get(pk=client.pk)
        StoredProgram.objects.filter(client=client, is_current=True).update(is_current=False)
        stored = StoredProgram.objects.create(
            client=client,
            profile=program.profile.model_dump(mode="json"),
            decision=program.decision.model_dump(mode="json"),
            program=program.model_dump(mode="json"),
            planner=program.planner,
            is_current=True,
        )
        PlannedSession.objects.bulk_create(
            PlannedSession(
                program=stored,
                date=session.date,
                phase=session.phase,
                steps=[step.model_dump(mode="json") for step in session.steps],
                duration_s=session.duration_s,
            )
            for session in program.sessions
        )
        save_profile(client, program.profile)
    return stored


def current_stored_program(client: Client) -> StoredProgram | None:
    """Give the client's current program as stored, or None before the first plan."""
    return StoredProgram.objects.filter(client=client, is_current=True).first()


def paused_days(client_pk: int, sessions: Sequence[Session]) -> frozenset[dt.date]:
    """Give the days of ``sessions`` (the client's planned ones) that the safety check in force
    that day leaves nothing of (``core.plan_checks.ruled_out_days``): neither done nor missed,
    and nothing to remind her of. One query; no session is fitted before her first check."""
    return paused_days_of({client_pk: sessions})[client_pk]


def paused_days_of(
    sessions: Mapping[int, Sequence[Session]],
) -> dict[int, frozenset[dt.date]]:
    """Give :func:`paused_days` of several clients at once (client pk → her planned sessions),
    in one query."""
    checks: dict[int, list[tuple[dt.date, Decision]]] = defaultdict(list)
    rows = (
        IntakeRecord.objects.filter(client_id__in=list(sessions))
        .order_by("created_at", "id")
        .values_list("client_id", "as_of", "decision")
    )
    for pk, as_of, decision in rows:
        checks[pk].append((as_of, Decision.model_validate(decision)))
    library = load_library()
    paused: dict[int, frozenset[dt.date]] = {}
    for pk, planned in sessions.items():
        first = min((as_of for as_of, _ in checks[pk]), default=None)
        later = [s for s in planned if first is not None and s.date >= first]
        paused[pk] = ruled_out_days(later, checks[pk], library) if later else frozenset()
    return paused


def asked_days(client: Client, program: Program) -> list[dt.date]:
    """Give the days ``program`` plans a session that the safety check left something of: the
    days adherence counts as done or missed (``paused_days`` are not)."""
    paused = paused_days(client.pk, program.sessions)
    return [s.date for s in program.sessions if s.date not in paused]


def current_program(client: Client) -> Program | None:
    """Give the client's current program, rebuilt exactly as it was saved, or None."""
    stored = current_stored_program(client)
    return None if stored is None else stored.get_program()


def planned_sessions(client: Client, start: dt.date, end: dt.date) -> list[Session]:
    """Give the sessions the current program plans from ``start`` to ``end`` (both included)."""
    if end < start:
        raise UserError("end", f"{end} is before the start {start}", f"a day on or after {start}")
    rows = PlannedSession.objects.filter(
        program__client=client, program__is_current=True, date__range=(start, end)
    ).order_by("date")
    return [row.get_session() for row in rows]


def baseline_measured(client: Client, program: Program) -> bool:
    """Give whether any baseline measurement (a photo uploaded or measured, a rating, instrument
    readings) is saved from the program's first baseline day on. It reads the journal's and the
    photos' records through the client, as those apps stand on this one."""
    if not program.baseline_days:
        return False
    first = program.baseline_days[0]
    return (
        client.photos.filter(taken_on__gte=first).exists()
        or client.photo_measurements.filter(date__gte=first).exists()
        or client.self_ratings.filter(date__gte=first).exists()
        or client.readings.filter(date__gte=first).exists()
    )


BASELINE_WEEK = dt.timedelta(days=BASELINE_DAYS)


def baseline_observations(client: Client, program: Program | None) -> list[Observation]:
    """Give the ratings, instrument readings and passing photos' measures the client took in
    the program's baseline week (its pause week, after one; without either, the week before its
    first session): the baseline a trial's noise is measured from. It reads the journal's
    records through the client, as those apps stand on this one; empty without a program or a
    first session."""
    first = program.treatment_from if program else None
    if program is None or first is None:
        return []
    # The baseline week (or pause week); without one, the week before the first session.
    since = program.earlier_history_before or (
        program.baseline_days[0] if program.baseline_days else first - BASELINE_WEEK
    )
    dated = {"date__lt": first, "date__gte": since}
    found = [
        Observation(rating.date, scale, float(value))
        for rating in client.self_ratings.filter(**dated)
        for scale, value in rating.scores().items()
    ]
    found += [
        Observation(r.date, f"{r.instrument}:{r.parameter}", float(r.value), r.zone, r.side)
        for r in client.readings.filter(**dated)
    ]
    for photo in client.photo_measurements.filter(ok=True, **dated):
        by_zone = photo.metrics_by_side if isinstance(photo.metrics_by_side, dict) else {}
        for zone, sides in by_zone.items():
            for side in SIDES:
                metrics = sides.get(side) if isinstance(sides, dict) else None
                for metric, value in (metrics if isinstance(metrics, dict) else {}).items():
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        found.append(Observation(photo.date, metric, float(value), zone, side))
    return found


def trial_power_lines(
    client: Client,
    program: Program | None,
    per_week: int,
    *,
    split_face: bool,
    on_off: bool,
    plan_weeks: int | None = None,
) -> list[str]:
    """Give the weeks the client's trial needs in words, from her own baseline where she has
    one, and whether a plan of ``plan_weeks`` is long enough
    (``core.progress.power.trial_power``)."""
    if not (split_face or on_off):
        return []
    baseline = baseline_observations(client, program)
    return trial_power(
        baseline, per_week, split_face=split_face, on_off=on_off, plan_weeks=plan_weeks
    )
