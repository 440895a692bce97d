"""Domain values for storage tests, built with the real pydantic models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from collagen_coach.core.planning import PhaseSpan, Profile, Program, Session, Side, Step
from collagen_coach.core.screening import Decision

# A fixed day well in the past, so "not in the future" checks never depend on when tests run.
START = dt.date(2025, 3, 3)
FUTURE = dt.date(2099, 1, 1)


def step(technique: str, zone: str, duration_s: int, side: Side = "both") -> Step:
    """Give one planned step with plausible tempo and pressure."""
    return Step(
        technique=technique,
        zone=zone,
        side=side,
        duration_s=duration_s,
        pressure=2,
        tempo_value=2.0,
        tempo_unit="s_per_circle",
        tempo_cue="one slow circle every two seconds",
        why="warms and loosens the area",
    )


def go_decision() -> Decision:
    return Decision(
        decision="go",
        reasons=["no contraindication found"],
        avoid_zones=[],
        exclude_techniques=[],
        max_pressure=5,
        resume_on=None,
    )


def session_on(day: dt.date) -> Session:
    """Give a four-step, 6.5-minute foundation session on ``day``."""
    return Session(
        date=day,
        phase="foundation",
        steps=[
            step("tapping", "forehead", 60),
            step("circular_motions", "cheeks", 120, side="left"),
            step("circular_motions", "cheeks", 120, side="right"),
            step("fascial_stretch", "jawline", 90),
        ],
    )


def program(
    start: dt.date = START,
    sessions: int = 3,
    minutes_per_day: int = 10,
    dates: list[dt.date] | None = None,
) -> Program:
    """Give a program of ``sessions`` sessions every other day from ``start``, or on ``dates``."""
    days = (
        dates if dates is not None else [start + dt.timedelta(days=2 * n) for n in range(sessions)]
    )
    profile = Profile(
        age=58, concerns=["sagging"], minutes_per_day=minutes_per_day, start_date=start
    )
    return Program(
        profile=profile,
        decision=go_decision(),
        phases=[
            PhaseSpan(
                name="foundation",
                start=start,
                end=max(days, default=start),
                goal="learn the strokes",
            )
        ],
        sessions=[session_on(day) for day in days],
        notes=["Judge progress after at least 8 weeks."],
    )


def stored_reading(client: Any, day: dt.date, value: float, **how: Any) -> Any:
    """Store one Cutometer R2 reading of the left cheek as given, unchecked, as an older version
    or a hand edit of the database may have left it; ``how`` changes any other column."""
    from collagen_coach.web.journal.models import InstrumentReading

    fields = {
        "instrument": "cutometer",
        "parameter": "R2",
        "zone": "cheeks",
        "side": "left",
        "source": "cutometer.csv",
    }
    return InstrumentReading.objects.create(client=client, date=day, value=value, **(fields | how))
