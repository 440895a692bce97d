"""Adherence: how much of the plan was done, week by week, in streaks, and as habit strength.

Planned dates are days with a session in the plan (one session a day; a repeated date counts
once). Done dates are sessions done (two sessions on one day count as two). Nothing after
``today`` counts: future planned sessions are not yet due, and a session dated in the future
cannot have been done. Today's planned session is *pending* until it is done: it counts neither
as done nor as missed, so the morning's figures are not worse than the evening's.

Habit strength follows the habit-formation model of Lally P, van Jaarsveld CHM, Potts HWW,
Wardle J. "How are habits formed: Modelling habit formation in the real world", Eur J Soc
Psychol 2010;40:998–1009, in which automaticity grows asymptotically with each repetition. It is
an exponentially weighted moving average of completion over the planned days, in order::

    h ← h + α·(1 − h)   on a planned day done
    h ← h·(1 − α)       on a planned day missed
    h₀ = 0, α = 0.1, shown as 100·h (0–100)

Lally et al. fitted per-person asymptotic curves and found that a single missed day did not
derail habit formation; the decay on a missed day is this product's simplification. Habit strength
is a motivational indicator, not a validated measure of automaticity.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

HABIT_ALPHA = 0.1

# The share of a session's planned time that must be massage for it to count as done: a session
# skipped through counts as partial, since adherence means massage given, not steps passed.
DONE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """One ISO week (Monday to Sunday), counted up to ``today``.

    ``done`` is capped at ``planned`` so that ``percent`` never exceeds 100; sessions beyond the
    plan are reported in ``extra``. ``percent`` is None when nothing was due that week.
    """

    week_start: dt.date
    planned: int
    done: int
    extra: int
    percent: float | None


@dataclass(frozen=True, slots=True)
class Adherence:
    """Adherence up to ``today``: per week, overall, streaks and habit strength (0–100)."""

    today: dt.date
    weeks: tuple[WeekAdherence, ...]
    planned: int
    done: int
    extra: int
    percent: float | None
    current_streak: int
    longest_streak: int
    habit_strength: float
    today_pending: bool


def counts_as_done(*, completed: bool, done_s: float, planned_s: float) -> bool:
    """Give whether a session played to its end (not stopped) counts as done, not partial: at
    least ``DONE_SHARE`` of its planned time was massage."""
    return completed and done_s >= DONE_SHARE * planned_s


def week_start(day: dt.date) -> dt.date:
    """Give the Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def habit_strength(completions: Iterable[bool], alpha: float = HABIT_ALPHA) -> float:
    """Give habit strength 0–100 after a sequence of planned days, done (True) or missed (False).

    h ← h + α(1 − h) on a day done, h ← h(1 − α) on a day missed, from h = 0 (after Lally et al.
    2010, Eur J Soc Psychol 40:998). Stays within 0–100 for any 0 < α ≤ 1.
    """
    if not 0 < alpha <= 1:
        raise ValueError(f"alpha must be in (0, 1], got {alpha}")
    h = 0.0
    for done in completions:
        h = h + alpha * (1 - h) if done else h * (1 - alpha)
    return 100 * h


def streaks(completions: Iterable[bool]) -> tuple[int, int]:
    """Give (current, longest) runs of planned days done in a row; a missed day resets the run."""
    current = longest = 0
    for done in completions:
        current = current + 1 if done else 0
        longest = max(longest, current)
    return current, longest


def _percent(done: int, planned: int) -> float | None:
    return 100 * done / planned if planned else None


def measure_adherence(
    planned: Sequence[dt.date], done: Sequence[dt.date], *, today: dt.date
) -> Adherence:
    """Give the adherence of ``done`` sessions to the ``planned`` ones, as of ``today``."""
    done_up_to_today = [day for day in done if day <= today]
    days_done = set(done_up_to_today)
    today_pending = today in set(planned) and today not in days_done
    # The planned days that are due: past ones, and today's once it is done.
    due = sorted({day for day in planned if day < today or (day == today and day in days_done)})
    completions = [day in days_done for day in due]

    planned_per_week = Counter(week_start(day) for day in due)
    done_per_week = Counter(week_start(day) for day in done_up_to_today)
    weeks: list[WeekAdherence] = []
    starts = [*planned_per_week, *done_per_week]
    if starts:
        monday = min(starts)
        while monday <= today:
            n_planned = planned_per_week[monday]
            n_done = done_per_week[monday]
            counted = min(n_done, n_planned)
            weeks.append(
                WeekAdherence(
                    week_start=monday,
                    planned=n_planned,
                    done=counted,
                    extra=n_done - counted,
                    percent=_percent(counted, n_planned),
                )
            )
            monday += dt.timedelta(days=7)

    total_planned = sum(w.planned for w in weeks)
    total_done = sum(w.done for w in weeks)
    current, longest = streaks(completions)
    return Adherence(
        today=today,
        weeks=tuple(weeks),
        planned=total_planned,
        done=total_done,
        extra=sum(w.extra for w in weeks),
        percent=_percent(total_done, total_planned),
        current_streak=current,
        longest_streak=longest,
        habit_strength=habit_strength(completions),
        today_pending=today_pending,
    )
