"""The baseline week: what skipping it costs, and taking it again after the plan has begun.

A plan can begin with a baseline week (``Profile.baseline_week``; the days are
``planning.baseline_dates``): three measurement days before the first session, so progress has
something to compare with and the statistics can measure the noise. Skipping it starts the
sessions at once; a pause week takes the baseline again later without losing anything.
"""

from __future__ import annotations

import datetime as dt

from collagen_coach.core.errors import UserError
from collagen_coach.core.measures import MIN_BASELINE, MIN_WEEKS
from collagen_coach.core.planning import Profile, Program, baseline_dates
from collagen_coach.core.words import day_in_words

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
    since = day_in_words(program.earlier_history_before, year=True)
    return (
        f"You took your baseline again from {since}: "
        "measurements from before then stay in your journal but are not used to judge "
        "progress."
    )


# --- when progress can first be judged (the 8-week rule of core.measures) ------------------------


def first_verdict_on(first_day: dt.date) -> dt.date:
    """Give the first day a verdict on progress is possible: MIN_WEEKS weeks of measurements
    from ``first_day`` (the first baseline day, or the first measurement of a series)."""
    return first_day + dt.timedelta(weeks=MIN_WEEKS)


def weeks_to_wait(first_day: dt.date, today: dt.date) -> int:
    """Give the whole weeks from ``today`` to the first possible verdict, rounded to the
    nearest (0 once it is possible)."""
    days = (first_verdict_on(first_day) - today).days
    return max(0, (days + 3) // 7)


def wait_words(first_day: dt.date, today: dt.date) -> str:
    """Give how long until the first possible verdict, as every page says it: "in 5 days",
    "in about 7 weeks"; "" once it is possible."""
    days = (first_verdict_on(first_day) - today).days
    if days <= 0:
        return ""
    if days < 14:
        return f"in {days} day{'' if days == 1 else 's'}"
    return f"in about {weeks_to_wait(first_day, today)} weeks"


def verdict_sentence(program: Program, today: dt.date, short: list[str] | None = None) -> str:
    """Give when progress can first be judged, in the words Today, home, the plan and progress
    show: MIN_WEEKS weeks of measurements from the first baseline day, for the measures not
    ``short`` of a baseline."""
    if not program.baseline_days:
        return (
            "Your plan has no baseline week, so progress may have nothing to compare with: "
            "a pause week on your plan page takes a baseline."
        )
    judged = [name for name in ("photos", "ratings") if name not in (short or [])]
    if not judged:
        return "No verdict is possible until there is a baseline to compare with."
    first = program.baseline_days[0]
    possible = first_verdict_on(first)
    if possible <= today:
        return (
            f"Your baseline began {MIN_WEEKS} or more weeks ago: the progress page shows what "
            "your measurements say so far."
        )
    return (
        f"The first verdict on your {' and '.join(judged)} is possible from "
        f"{day_in_words(possible, weekday=True, year=True)} at the earliest "
        f"({wait_words(first, today)}): it needs {MIN_WEEKS} weeks of measurements from your "
        "first baseline day."
    )
