"""A planned session in words: technique, zone, side, pressure and time as the plan page and the
practice's pages show them (phase names, durations and pressures come from ``core.words``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collagen_coach.core.baseline import can_skip, pause_for_baseline
from collagen_coach.core.cues import zone_phrase
from collagen_coach.core.errors import UserError
from collagen_coach.core.planning import Program, Session
from collagen_coach.core.techniques import load_library
from collagen_coach.core.trials import DRAW_WHY, ON_OFF_WORDS
from collagen_coach.core.words import (
    PHASE_NAMES,
    day_in_words,
    pressure_with_level,
    short_duration,
    whole_minutes,
)

SIDE_WORDS = {"both": "both sides", "left": "your left side", "right": "your right side"}


@dataclass(frozen=True)
class StepView:
    """One step of a session, in words."""

    technique: str
    zone: str
    side: str
    duration: str
    pressure: str
    tempo: str
    why: str


@dataclass(frozen=True)
class SessionView:
    """One planned session, in words."""

    date: dt.date
    phase: str
    minutes: int
    steps: list[StepView]
    is_today: bool


def session_view(session: Session, today: dt.date) -> SessionView:
    """Give a planned session with technique and zone names, pressure and time in words."""
    library = load_library()
    steps = [
        StepView(
            technique=library.techniques[s.technique].name
            if s.technique in library.techniques
            else s.technique,
            zone=zone_phrase(library.zones[s.zone], s.side) if s.zone in library.zones else s.zone,
            side=SIDE_WORDS[s.side],
            duration=short_duration(s.duration_s),
            pressure=pressure_with_level(s.pressure),
            tempo=s.tempo_cue,
            why=s.why,
        )
        for s in session.steps
    ]
    return SessionView(
        date=session.date,
        phase=PHASE_NAMES[session.phase],
        minutes=whole_minutes(session.duration_s),
        steps=steps,
        is_today=session.date == today,
    )


def long_day(day: dt.date) -> str:
    """Give a day as a person reads it: "Monday 7 December"."""
    return day_in_words(day, weekday=True)


def day_list(days: list[dt.date]) -> str:
    """Give days in words: "Monday 7, Wednesday 9 and Friday 11 December"."""
    named = [long_day(d) for d in days]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


@dataclass(frozen=True)
class BaselineDay:
    """One measurement day of a baseline week."""

    date: dt.date
    number: int
    is_today: bool
    is_past: bool


@dataclass(frozen=True)
class BaselineView:
    """A program's baseline week as of one day: its days, where today stands, what is offered."""

    days: list[BaselineDay]
    count: int
    in_week: bool  # today is a baseline day or a day between them, before the first session
    today_number: int | None  # today's baseline day (1, 2, 3), None on another day
    next_day: dt.date | None  # the next baseline day after today, within the week
    first_session: dt.date | None  # the first session after the baseline
    is_pause: bool  # a pause week, taken after the sessions had begun
    can_skip: bool
    can_pause: bool
    is_over: bool  # the first session after the baseline is today or past


def baseline_view(program: Program, today: dt.date, measured: bool) -> BaselineView:
    """Give the program's baseline week as of ``today``; ``measured``: whether a baseline
    measurement has been saved (then skipping it is no longer offered)."""
    days = [
        BaselineDay(date=d, number=n, is_today=d == today, is_past=d < today)
        for n, d in enumerate(program.baseline_days, start=1)
    ]
    in_week = program.in_baseline_week(today)
    try:
        pause_for_baseline(program, today)
        can_pause = True
    except UserError:
        can_pause = False
    return BaselineView(
        days=days,
        count=len(days),
        in_week=in_week,
        today_number=program.baseline_day_number(today),
        next_day=next((d.date for d in days if d.date > today), None) if in_week else None,
        first_session=program.treatment_from,
        is_pause=program.earlier_history_before is not None,
        can_skip=can_skip(program, today, measured),
        can_pause=can_pause,
        is_over=program.treatment_from is not None and program.treatment_from <= today,
    )


@dataclass(frozen=True)
class TrialView:
    """A plan's trial in words: the split-face side and how it was settled, the on/off blocks,
    and the weeks it needs (empty when the plan runs no trial)."""

    side: str  # "The left side was drawn at random on 5 Dec 2026." or ""
    why_draw: str
    on_off: str
    off_blocks: list[str]
    power: list[str]

    @property
    def any(self) -> bool:
        """Give whether the plan runs a trial at all."""
        return bool(self.side or self.on_off)


def trial_view(program: Program, power: list[str]) -> TrialView:
    """Give the plan's trial in words, with ``power``: the weeks it needs, in words."""
    profile = program.profile
    side = ""
    if profile.side_draw is not None:
        side = profile.side_draw.words()
    elif profile.treated_side != "both":
        side = f"You massage your {profile.treated_side} side only; the other is the comparison."
    drawn = profile.side_draw is not None and profile.side_draw.how == "drawn"
    blocks = [
        f"{day_in_words(first)} to {day_in_words(last, year=True)}"
        for first, last in program.off_spans
    ]
    return TrialView(
        side=side,
        why_draw=DRAW_WHY if drawn else "",
        on_off=ON_OFF_WORDS if profile.schedule == "on_off" else "",
        off_blocks=blocks,
        power=power,
    )
