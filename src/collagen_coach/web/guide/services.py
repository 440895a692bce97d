"""The guided session and the screening of the day it is played: steps fitted to it, the areas
it says to leave alone, and an unfinished session resumed from the plan it was started from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from collagen_coach.core.adherence import counts_as_done, measure_adherence, week_start
from collagen_coach.core.cues import end_words, streak_words, week_minutes_words
from collagen_coach.core.plan_checks import fit_session, fit_step
from collagen_coach.core.planning import Session, Step, gentler
from collagen_coach.core.screening import Decision
from collagen_coach.core.techniques import ZONE_IDS, load_library
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import latest_intake
from collagen_coach.web.guide.cards import logged_steps, session_cards
from collagen_coach.web.journal.models import SessionLog
from collagen_coach.web.journal.services import done_session_dates, needs_gentler_session
from collagen_coach.web.plans.models import PlannedSession, StoredProgram
from collagen_coach.web.plans.services import (
    asked_days,
    current_stored_program,
    planned_sessions,
)

NO_LIMITS = Decision(
    decision="go", reasons=[], avoid_zones=[], exclude_techniques=[], max_pressure=5, resume_on=None
)


def screening_today(client: Client, planned_under: Decision | None = None) -> Decision:
    """Give the screening decision that holds now: the newest safety check's, else the one the
    plan was made under (``planned_under``), else no limits but the library's own."""
    newest = latest_intake(client)
    if newest is not None:
        return newest[1]
    return planned_under or NO_LIMITS


def decision_of(program: StoredProgram | None) -> Decision | None:
    """Give the screening decision a stored program was made under."""
    return None if program is None else program.get_decision()


def fit_to_screening(
    client: Client, session: Session, day: dt.date, planned_under: Decision | None = None
) -> tuple[Session, list[str]]:
    """Give ``session`` fitted to the client's screening on ``day``, and what it left out, why."""
    return fit_session(session, screening_today(client, planned_under), load_library(), day)


def areas_to_leave_alone(
    client: Client, day: dt.date, program: StoredProgram | None = None
) -> list[str]:
    """Give the zones the client's screening says to leave alone on ``day``, in face-map order
    (``program``: the plan being played, whose screening holds before any safety check)."""
    decision = screening_today(client, decision_of(program))
    avoided = {zone for r in decision.restrictions_on(day) for zone in r.avoid_zones}
    return [zone for zone in ZONE_IDS if zone in avoided]


def _started_from(log: SessionLog) -> list[Session]:
    """Give the session the log was started from, as planned and made gentler."""
    if log.program is None:
        return []
    planned = PlannedSession.objects.filter(program=log.program, date=log.planned_date)
    sessions = [row.get_session() for row in planned]
    return [*sessions, *(gentler(s) for s in sessions)]


def resumed_cards(log: SessionLog, client: Client, day: dt.date) -> list[dict[str, Any]]:
    """Give the player's cards to continue an unfinished session on ``day``.

    The steps are those of the plan the session was started from (not a plan made since), and
    every step not reached yet is checked against the screening that holds on ``day``: its
    pressure is lowered to today's caps, and a step today's screening rules out is marked
    ``left_out`` with the reasons, so the player passes over it.
    """
    library = load_library()
    decision = screening_today(client, decision_of(log.program))
    started_from = _started_from(log)
    # A session is started already fitted to the screening (steps left out, pressures lowered).
    as_started = [fit_session(session, decision, library, day)[0] for session in started_from]
    steps = logged_steps(log.steps, [*started_from, *as_started])
    shown: list[Step] = []
    left_out: dict[int, list[str]] = {}
    for index, (step, row) in enumerate(zip(steps, log.steps, strict=True)):
        if row["done_s"] is not None:
            shown.append(step)
            continue
        fitted, problems = fit_step(step, decision, library, day)
        shown.append(fitted or step)
        if fitted is None:
            left_out[index] = problems
    cards = session_cards(Session(date=log.planned_date, phase="foundation", steps=shown))
    for index, (card, row) in enumerate(zip(cards, log.steps, strict=True)):
        card["done_s"] = row["done_s"]
        card["skipped"] = row["skipped"]
        card["left_out"] = left_out.get(index, [])
    return cards


def session_ending(log: SessionLog, day: dt.date) -> dict[str, Any]:
    """Give what the player says and shows as ``log``'s session ends, for both ways it can end:
    played to its end (``done``) or stopped early (``stopped``). Each gives the end words, whether
    the session counts as done (core.adherence.counts_as_done), the streak it makes and this
    week's minutes of massage (Monday to ``day``, every session's saved steps counted)."""
    client = log.client
    week_s = sum(
        other.done_s
        for other in SessionLog.objects.filter(
            client=client, planned_date__gte=week_start(day), planned_date__lte=day
        )
    )
    planned = asked_days(client, log.program.get_program()) if log.program else []
    done_before = [d for d in done_session_dates(client) if d != log.planned_date]
    minutes = (week_s + 30) // 60  # whole minutes, halves up
    ending: dict[str, Any] = {}
    for way, stopped in (("done", False), ("stopped", True)):
        counts = counts_as_done(completed=not stopped, done_s=log.done_s, planned_s=log.planned_s)
        done = sorted([*done_before, log.planned_date]) if counts else done_before
        streak = measure_adherence(planned, done, today=day).current_streak if counts else 0
        ending[way] = {
            "words": end_words(
                steps_done=log.steps_done,
                step_count=len(log.steps),
                done_s=log.done_s,
                planned_s=log.planned_s,
                stopped=stopped,
            ),
            "counts": counts,
            "streak": streak_words(streak),
            "week": week_minutes_words(minutes),
        }
    return ending


def todays_session(
    client: Client, day: dt.date, program: StoredProgram | None = None
) -> tuple[Session | None, bool, list[str]]:
    """Give the session planned on ``day`` (gentler after pain or redness), whether it is, and
    why steps were left out. ``program``: the client's current program, when already read.

    Each step is fitted to the screening that holds on ``day``: a safety check done since the
    plan was made lowers its pressure or leaves the step out.
    """
    planned = planned_sessions(client, day, day)
    if not planned:
        return None, False, []
    is_gentler = needs_gentler_session(client)
    session = gentler(planned[0]) if is_gentler else planned[0]
    program = program or current_stored_program(client)
    session, left_out = fit_to_screening(client, session, day, decision_of(program))
    return (session if session.steps else None), is_gentler, left_out
