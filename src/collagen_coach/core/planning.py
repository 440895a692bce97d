"""The plan generator: a profile and a screening decision in, a progressive program out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from collagen_coach.core.screening import Decision, Intake
from collagen_coach.core.techniques import Concern, Experience, Phase, TempoUnit

PLANNER_VERSION = "planner@1"

Side = Literal["both", "left", "right"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profile(_Value):
    age: int = Field(ge=18, le=110)
    concerns: list[Concern] = Field(default_factory=list)
    experience: Experience = "new"
    minutes_per_day: int = Field(default=10, ge=3, le=60)
    days_per_week: int = Field(default=5, ge=1, le=7)
    sensitivity: Literal["low", "normal", "high"] = "normal"
    wants_peptides: bool = False
    start_date: dt.date
    weeks: int = Field(default=12, ge=4, le=52)
    treated_side: Side = "both"
    intake: Intake | None = None


class Step(_Value):
    technique: str
    zone: str
    side: Side
    duration_s: int
    pressure: int = Field(ge=1, le=5)
    tempo_value: float
    tempo_unit: TempoUnit
    tempo_cue: str
    why: str


class Session(_Value):
    date: dt.date
    phase: Phase
    steps: list[Step]

    @property
    def duration_s(self) -> int:
        return sum(step.duration_s for step in self.steps)


class PhaseSpan(_Value):
    name: Phase
    start: dt.date
    end: dt.date  # inclusive
    goal: str


class DailyItem(_Value):
    name: str
    dose: str
    note: str
    evidence_level: str
    evidence: str


class Program(_Value):
    """A dated program; ``refused`` is set (and nothing else planned) when screening says refer."""

    planner: str = PLANNER_VERSION
    profile: Profile
    decision: Decision
    refused: str | None = None
    phases: list[PhaseSpan] = Field(default_factory=list)
    sessions: list[Session] = Field(default_factory=list)
    daily: list[DailyItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def session_on(self, day: dt.date) -> Session | None:
        """Give the session planned for ``day``, if any."""
        return next((s for s in self.sessions if s.date == day), None)
