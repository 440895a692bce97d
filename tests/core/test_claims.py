"""Every claim is worded for its evidence: what no study has tested is said, never stated."""

from __future__ import annotations

import datetime as dt

import pytest

from collagen_coach.core.planning import Profile, build_plan
from collagen_coach.core.screening import Intake, screen
from collagen_coach.core.techniques import load_library

LIBRARY = load_library()

# What each level's wording must say, and what it may not.
MUST_SAY = {
    "MA": "trials suggest",
    "RCT": "randomised trial found",
    "CT": "controlled study",
    "PP": "without a comparison group",
    "EX": "no study has shown it in a living face",
    "EO": "not a tested result",
    "NONE": "no study has tested it",
}


@pytest.mark.parametrize("evidence_id", sorted(LIBRARY.evidence))
def test_every_claim_is_worded_for_its_evidence_level(evidence_id: str) -> None:
    evidence = LIBRARY.evidence[evidence_id]

    assert MUST_SAY[evidence.level] in evidence.claim
    assert not evidence.claim.lower().startswith(evidence.finding.lower())  # never a bare fact


@pytest.mark.parametrize("technique_id", sorted(LIBRARY.techniques))
def test_every_techniques_claim_is_shown_worded_in_the_plan(technique_id: str) -> None:
    technique = LIBRARY.techniques[technique_id]
    evidence = LIBRARY.evidence_for(technique_id)
    start = dt.date(2026, 11, 2)
    profile = Profile(
        age=58,
        concerns=["sagging", "fine_lines", "dullness", "low_elasticity", "puffiness"],
        experience="practised",
        minutes_per_day=30,
        days_per_week=7,
        start_date=start,
    )
    program = build_plan(profile, screen(Intake(age=58), today=start))

    reasons = {
        s.why for session in program.sessions for s in session.steps if s.technique == technique.id
    }

    assert reasons, "the plan uses the technique"
    assert all(evidence.claim in why and MUST_SAY[evidence.level] in why for why in reasons)
