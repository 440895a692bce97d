"""A planned session in words: technique, zone, side, pressure and time as the plan page and the
practice's pages show them (phase names, durations and pressures come from ``core.words``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collagen_coach.core.cues import zone_phrase
from collagen_coach.core.planning import Session
from collagen_coach.core.techniques import load_library
from collagen_coach.core.words import (
    PHASE_NAMES,
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
