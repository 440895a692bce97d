"""The safety check in words: what a decision means and what the answers were, as the pages
(the person's own, the plan's and the practice's) show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from collagen_coach.core.screening import Decision, Intake, load_rules
from collagen_coach.core.techniques import (
    EVIDENCE_LEVEL_MEANING,
    ZONE_IDS,
    load_library,
)
from collagen_coach.core.words import DECISION_WORDS, pressure_with_level, pressure_words
from collagen_coach.web.clients.forms import MEDICATION_WORDS, PROCEDURE_WORDS, condition_words
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.voice import OWN, Voice


@dataclass(frozen=True)
class Reason:
    """One reason behind the decision, with how long it lasts and the evidence behind it."""

    text: str
    until: dt.date | None
    evidence: str
    source: str
    ended: bool = False


def _evidence_words(level: str) -> str:
    return f"evidence: {level} ({EVIDENCE_LEVEL_MEANING[level]})"


def decision_context(decision: Decision, day: dt.date | None = None) -> dict[str, Any]:
    """Give what the decision page and the plan page show about a screening decision.

    The areas, techniques and pressure it limits are those that hold on ``day`` (default: today):
    a limit whose time is over (e.g. after a procedure) is shown as ended, not as current.
    """
    day = day or computer_today()
    library = load_library()
    rules = {rule.id: rule for rule in load_rules().rules}
    reasons: list[Reason] = []
    seen: set[str] = set()
    for restriction in decision.restrictions:
        if restriction.reason in seen:
            continue
        seen.add(restriction.reason)
        rule = rules.get(restriction.rule)
        reasons.append(
            Reason(
                text=restriction.reason,
                until=restriction.until,
                evidence=_evidence_words(rule.evidence) if rule else "",
                source=rule.source if rule else "",
                ended=restriction.until is not None and restriction.until <= day,
            )
        )
    # Reasons with no rule of their own (the all-zones-avoided note, a go, a decision by hand).
    for text in decision.reasons:
        if text not in seen:
            seen.add(text)
            reasons.append(Reason(text=text, until=None, evidence="", source=""))
    current = decision.restrictions_on(day)
    avoided = {zone for r in current for zone in r.avoid_zones}
    excluded = list(dict.fromkeys(t for r in current for t in r.exclude_techniques))
    cap = min((r.max_pressure for r in current), default=5)
    return {
        "decision": decision,
        "words": DECISION_WORDS[decision.decision],
        "reasons": reasons,
        "limits_day": day,
        "limits_ended": decision.resume_on is not None and decision.resume_on <= day,
        "avoid_zones": [z for z in ZONE_IDS if z in avoided],
        "avoid_zone_names": [library.zones[z].name for z in ZONE_IDS if z in avoided],
        "excluded_techniques": [
            library.techniques[t].name if t in library.techniques else t.replace("_", " ")
            for t in excluded
        ],
        "pressure_cap": None
        if cap >= 5
        else {"level": cap, "words": pressure_words(cap), "with_level": pressure_with_level(cap)},
        "rules_evidence": _evidence_words("EO"),
    }


def answers_in_words(intake: Intake, voice: Voice = OWN) -> dict[str, Any]:
    """Give the answers to the safety questions as the decision pages list them, in ``voice``
    (the person's own words, or her practitioner's about her)."""
    zones = load_library().zones
    conditions = condition_words(voice)
    return {
        "age": intake.age,
        "conditions": [conditions.get(c, c) for c in intake.conditions],
        "medications": [MEDICATION_WORDS.get(m, m) for m in intake.medications],
        "procedures": [
            {
                "kind": PROCEDURE_WORDS.get(p.kind, p.kind),
                "zones": [zones[z].name for z in p.zones if z in zones] or ["the whole face"],
                "date": p.date,
            }
            for p in intake.procedures
        ],
    }
