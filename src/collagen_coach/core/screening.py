"""Safety screening: intake answers in, a decision (go / modify / defer / refer) with reasons out.

The rules are data (``core/data/contraindications.yaml``); this module interprets them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DecisionKind = Literal["go", "modify", "defer", "refer"]


class Procedure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal[
        "botulinum_toxin",
        "dermal_filler",
        "chemical_peel",
        "laser",
        "microneedling",
        "thread_lift",
        "surgery",
    ]
    zones: list[str] = Field(default_factory=list)
    date: dt.date


class Intake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int
    conditions: list[str] = Field(default_factory=list)
    medications: list[str] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    as_of: dt.date | None = None


class Restriction(BaseModel):
    """What one matched rule asks for, and until when (``until`` None: while it applies)."""

    model_config = ConfigDict(frozen=True)

    rule: str
    decision: DecisionKind
    reason: str
    avoid_zones: list[str] = Field(default_factory=list)
    exclude_techniques: list[str] = Field(default_factory=list)
    max_pressure: int = Field(default=5, ge=1, le=5)
    until: dt.date | None = None


class Decision(BaseModel):
    """The screening result; ``restrictions`` keeps each matched rule's own end date."""

    model_config = ConfigDict(frozen=True)

    decision: DecisionKind
    reasons: list[str]
    avoid_zones: list[str]
    exclude_techniques: list[str]
    max_pressure: int = Field(ge=1, le=5)
    resume_on: dt.date | None
    restrictions: list[Restriction] = Field(default_factory=list)
