"""Checks on a plan step a person chose by hand: is it safe for this client on this day?

The planner never breaks what screening asks for; a practitioner editing a plan could. Every step
they set is checked here against the client's newest screening decision and the library's own
limits (a technique's zones and pressure range, a zone's pressure cap), and every refusal is given
in words, from the rule or data that asks for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from collagen_coach.core.planning import Session, Step
from collagen_coach.core.screening import Decision, Restriction
from collagen_coach.core.techniques import Library
from collagen_coach.core.words import day_in_words, pressure_with_level

# The shortest and longest a single step may last, in seconds.
STEP_MIN_S = 10
STEP_MAX_S = 900


def _until(restriction: Restriction) -> str:
    return f" (until {day_in_words(restriction.until, year=True)})" if restriction.until else ""


def check_decision(decision: Decision, day: dt.date) -> list[str]:
    """Give why no session may be planned on ``day`` under ``decision`` (empty: sessions may)."""
    if decision.decision == "refer":
        return ["Screening says to see a clinician first: " + " ".join(decision.reasons)]
    if decision.decision == "defer" and (decision.resume_on is None or day < decision.resume_on):
        when = f" until {day_in_words(decision.resume_on, year=True)}" if decision.resume_on else ""
        return [f"Screening says to wait{when}: " + " ".join(decision.reasons)]
    return []


def check_step(step: Step, decision: Decision, library: Library, day: dt.date) -> list[str]:
    """Give the reasons, in words, why ``step`` may not be done on ``day`` (empty: it may).

    Checked: the decision itself (refer, or defer before its resume date), the technique and zone
    exist and belong together, the side suits the zone, the duration, the technique's pressure
    range, the zone's pressure cap (the neck's is featherlight: the carotid arteries run there),
    and every screening limit that holds on ``day``: techniques excluded (e.g. pinching for
    fragile skin), zones avoided and the pressure cap, each refused with its rule's reason.
    """
    problems = check_decision(decision, day)
    technique = library.techniques.get(step.technique)
    zone = library.zones.get(step.zone)
    if technique is None:
        problems.append(f"{step.technique!r} is not a technique in the library.")
    if zone is None:
        problems.append(f"{step.zone!r} is not a zone of the face map.")
    if technique is None or zone is None:
        return problems
    if zone.id not in technique.zones:
        where = ", ".join(library.zones[z].name.lower() for z in technique.zones)
        problems.append(f"{technique.name} is not done on the {zone.name.lower()}; only: {where}.")
    if not zone.sided and step.side != "both":
        problems.append(
            f"The {zone.name.lower()} is in the middle of the face: it has no {step.side} side, "
            "so choose both sides."
        )
    if not STEP_MIN_S <= step.duration_s <= STEP_MAX_S:
        problems.append(
            f"A step lasts {STEP_MIN_S} seconds to {STEP_MAX_S // 60} minutes, "
            f"not {step.duration_s} seconds."
        )
    if step.pressure > zone.max_pressure:
        note = f" {zone.note}" if zone.note else ""
        problems.append(
            f"The {zone.name.lower()} takes at most "
            f"{pressure_with_level(zone.max_pressure)} pressure, "
            f"not {pressure_with_level(step.pressure)}.{note}"
        )
    if step.pressure > technique.pressure.max:
        problems.append(
            f"{technique.name} is done at most {pressure_with_level(technique.pressure.max)}, "
            f"not {pressure_with_level(step.pressure)}."
        )
    if step.pressure < technique.pressure.min:
        problems.append(
            f"{technique.name} cannot be done lighter than "
            f"{pressure_with_level(technique.pressure.min)}; choose a gentler technique instead."
        )
    for restriction in decision.restrictions_on(day):
        if technique.id in restriction.exclude_techniques:
            problems.append(
                f"Screening leaves out {technique.name.lower()}{_until(restriction)}: "
                f"{restriction.reason}"
            )
        if zone.id in restriction.avoid_zones:
            problems.append(
                f"Screening leaves the {zone.name.lower()} alone{_until(restriction)}: "
                f"{restriction.reason}"
            )
        if step.pressure > restriction.max_pressure:
            problems.append(
                f"Screening allows at most {pressure_with_level(restriction.max_pressure)} pressure"
                f"{_until(restriction)}: {restriction.reason}"
            )
    return list(dict.fromkeys(problems))


def fit_step(
    step: Step, decision: Decision, library: Library, day: dt.date
) -> tuple[Step | None, list[str]]:
    """Give ``step`` as it may be done on ``day`` under ``decision``, or None and why not.

    The pressure is lowered to every cap that holds that day (the zone's, the technique's and
    screening's); a step that still breaks a limit (a zone to leave alone, a technique left out,
    a technique that cannot be done that lightly, a decision to wait or to see a clinician) is
    not done at all. Used when a session planned earlier is played later, e.g. resumed.
    """
    zone = library.zones.get(step.zone)
    technique = library.techniques.get(step.technique)
    caps = [r.max_pressure for r in decision.restrictions_on(day)]
    if zone is not None:
        caps.append(zone.max_pressure)
    if technique is not None:
        caps.append(technique.pressure.max)
    fitted = step.model_copy(update={"pressure": max(1, min([step.pressure, *caps]))})
    problems = check_step(fitted, decision, library, day)
    return (None, problems) if problems else (fitted, [])


def fit_session(
    session: Session, decision: Decision, library: Library, day: dt.date
) -> tuple[Session, list[str]]:
    """Give ``session`` with every step fitted to what ``decision`` allows on ``day`` (fit_step),
    the steps it rules out left out, and the reasons they were."""
    kept: list[Step] = []
    left_out: list[str] = []
    for step in session.steps:
        fitted, problems = fit_step(step, decision, library, day)
        if fitted is None:
            left_out.extend(problems)
        else:
            kept.append(fitted)
    return session.model_copy(update={"steps": kept}), list(dict.fromkeys(left_out))


# Where a step belongs in a session, as build_plan plays them (core.planning): the warm-up
# first, then the main steps, then the finishing strokes, which end the session low on the face,
# toward the lymph nodes of the neck.
ROLE_ORDER = ("warm_up", "main", "finishing")
_ROLE_RULE = {
    "warm_up": "the warm-up comes before the main steps, to warm the skin",
    "finishing": "the finishing strokes end the session, stroking toward the lymph nodes",
}


def allowed_techniques(decision: Decision, library: Library, days: list[dt.date]) -> list[str]:
    """Give the ids of the library's techniques that ``decision`` leaves in on every one of
    ``days`` (screening's exclusions that hold then), in library order."""
    excluded = {
        technique
        for day in days
        for restriction in decision.restrictions_on(day)
        for technique in restriction.exclude_techniques
    }
    return [t for t in library.techniques if t not in excluded]


def _role(step: Step, library: Library) -> int:
    technique = library.techniques.get(step.technique)
    return ROLE_ORDER.index(technique.role if technique else "main")


def _named(step: Step, library: Library) -> str:
    technique = library.techniques.get(step.technique)
    zone = library.zones.get(step.zone)
    return (
        f"{technique.name if technique else step.technique} on the "
        f"{(zone.name if zone else step.zone).lower()}"
    )


def place_step(steps: list[Step], new: Step, library: Library) -> list[Step]:
    """Give ``steps`` with ``new`` where it belongs: after the last step of its own part of the
    session (a main step before the finishing strokes, a warm-up before the main steps)."""
    role = _role(new, library)
    at = max((i + 1 for i, s in enumerate(steps) if _role(s, library) <= role), default=0)
    return [*steps[:at], new, *steps[at:]]


def order_problem(steps: list[Step], library: Library) -> str | None:
    """Give why ``steps`` are not in an order a session may be played in, or None when they are:
    the warm-up first, the main steps, the finishing strokes last."""
    for number, (before, after) in enumerate(itertools.pairwise(steps), 1):
        if _role(before, library) <= _role(after, library):
            continue
        rule = _ROLE_RULE["finishing" if _role(before, library) == 2 else "warm_up"]
        return (
            f"Step {number + 1} ({_named(after, library)}) cannot come after step {number} "
            f"({_named(before, library)}): {rule}."
        )
    return None


def move_step(
    steps: list[Step], index: int, offset: int, library: Library
) -> tuple[list[Step], str | None]:
    """Give ``steps`` with the step at ``index`` (0-based) moved ``offset`` places (-1 up, +1
    down), or the steps unchanged and why the move is refused."""
    to = index + offset
    if not (0 <= index < len(steps) and 0 <= to < len(steps)):
        return steps, "There is no step to move there: choose a step's Up or Down button."
    moved = list(steps)
    moved[index], moved[to] = moved[to], moved[index]
    problem = order_problem(moved, library)
    return (steps, problem) if problem else (moved, None)


def ruled_out_days(
    sessions: Sequence[Session],
    checks: Sequence[tuple[dt.date, Decision]],
    library: Library,
) -> frozenset[dt.date]:
    """Give the days of ``sessions`` on which the safety check in force that day leaves no step
    of the day's session (a deferral after a procedure, say): nothing was asked of her then, so
    such a day is neither done nor missed.

    ``checks`` are her safety checks, each as (the day its answers describe, its decision), in
    the order they were made. The one in force on a day is the
    newest describing that day or one before it; before the first, the plan's own screening
    holds, under which the planner left every planned session something to do.
    """
    ordered = sorted(enumerate(checks), key=lambda item: (item[1][0], item[0]))
    # A step's fate hangs on the check, the limits in force that day and whether the check says
    # to wait that day: worked out once for each, as a plan repeats its steps day after day.
    allowed: dict[tuple[int, tuple[int, ...], bool, Step], bool] = {}
    out: set[dt.date] = set()
    for session in sessions:
        in_force = [(n, decision) for n, (as_of, decision) in ordered if as_of <= session.date]
        if not in_force:
            continue
        n, decision = in_force[-1]
        holding = decision.restrictions_on(session.date)
        limits = tuple(i for i, r in enumerate(decision.restrictions) if r in holding)
        waiting = bool(check_decision(decision, session.date))
        if not holding and not waiting:
            continue  # nothing in force that day: the planner's session stands
        any_step = False
        for step in session.steps:
            key = (n, limits, waiting, step)
            if key not in allowed:
                allowed[key] = fit_step(step, decision, library, session.date)[0] is not None
            if allowed[key]:
                any_step = True
                break
        if not any_step:
            out.add(session.date)
    return frozenset(out)
