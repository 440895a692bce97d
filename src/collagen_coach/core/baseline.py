"""The baseline week: what skipping it costs, and taking it again after the plan has begun.

A plan can begin with a baseline week (``Profile.baseline_week``; the days are
``planning.baseline_dates``): three measurement days before the first session, so progress has
something to compare with and the statistics can measure the noise. Skipping it starts the
sessions at once; a pause week takes the baseline again later without losing anything.
"""

from __future__ import annotations

import datetime as dt

from collagen_coach.core.errors import UserError
from collagen_coach.core.measures import MIN_BASELINE
from collagen_coach.core.planning import Profile, Program, baseline_dates

# What skipping the baseline costs, in the words the plan page and Today show.
SKIP_COST = (
    "Without a baseline there is nothing to compare with: no measure gets a verdict (better, "
    "worse or no change) until there is one. You can take it later with a pause week: "
    f"{MIN_BASELINE} measurement days without sessions."
)
# What a pause week keeps, and what progress is then judged from.
PAUSE_KEEPS = (
    "Your sessions, ratings and photos so far stay in your journal; progress is then judged "
    "from the new baseline only, so measurements from before the pause are not compared."
)


def can_skip(program: Program, today: dt.date, measured: bool) -> bool:
    """Give whether skipping the baseline is offered: only while no baseline measurement has been
    taken (``measured``) and the first session is still ahead, in a first baseline week (not a
    pause week). Once one is taken there is something to compare with, and skipping would throw
    it away."""
    return (
        not measured and program.in_baseline_week(today) and program.earlier_history_before is None
    )


def skip_baseline(
    profile: Profile, today: dt.date, program: Program | None = None, measured: bool = False
) -> Profile:
    """Give ``profile`` re-planned to start its sessions ``today``, without a baseline week;
    refused once a baseline measurement of ``program`` is taken (see ``can_skip``)."""
    if not profile.baseline_week:
        raise UserError("baseline", "the plan has no baseline week to skip")
    if program is not None and not can_skip(program, today, measured):
        raise UserError(
            "baseline",
            "the baseline can be skipped only before its first photo or rating is saved and "
            "before the first session: keep taking it",
        )
    return profile.model_copy(
        update={"baseline_week": False, "start_date": today, "baseline_pause_on": None}
    )


def pause_for_baseline(program: Program, today: dt.date) -> Profile:
    """Give the profile of ``program`` with a pause week from ``today``: no sessions while the
    baseline is taken again (on ``baseline_dates(today)``), the sessions after it as planned."""
    first = program.first_session_on
    if first is None or first > today or program.in_baseline_week(today):
        raise UserError(
            "baseline",
            "your sessions have not begun yet",
            "a pause week once you have started your sessions",
        )
    if not any(s.date > baseline_dates(today)[-1] for s in program.sessions):
        raise UserError(
            "baseline",
            "no session is planned after a pause week from today",
            "make a new plan first",
        )
    return program.profile.model_copy(update={"baseline_pause_on": today})


def pause_words(program: Program) -> str:
    """Give one sentence on what a pause week left out of progress, or "" without one."""
    if program.earlier_history_before is None:
        return ""
    return (
        f"You took your baseline again from {_day(program.earlier_history_before)}: "
        "measurements from before then stay in your journal but are not used to judge "
        "progress."
    )


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
