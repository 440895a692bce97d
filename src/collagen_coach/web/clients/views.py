"""The safety check: the intake questions with consent, and the decision they lead to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from collagen_coach.core.errors import UserError
from collagen_coach.core.screening import Decision, Intake, load_rules, screen
from collagen_coach.core.techniques import (
    EVIDENCE_LEVEL_MEANING,
    ZONE_IDS,
    load_library,
)
from collagen_coach.core.words import DECISION_WORDS, pressure_with_level, pressure_words
from collagen_coach.web.access import client_of, get_own_or_404
from collagen_coach.web.clients.forms import (
    CONDITION_GROUPS,
    CONDITION_WORDS,
    CONSENT_TEXT,
    MEDICATION_WORDS,
    PROCEDURE_WORDS,
    IntakeForm,
    intake_answers,
    procedure_formset,
    procedure_rows,
)
from collagen_coach.web.clients.models import IntakeRecord
from collagen_coach.web.clients.services import latest_intake_record, save_intake
from collagen_coach.web.journal.checks import today as computer_today
from collagen_coach.web.plans.services import current_stored_program


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


def _answers_in_words(intake: Intake) -> dict[str, Any]:
    zones = load_library().zones
    return {
        "age": intake.age,
        "conditions": [CONDITION_WORDS.get(c, c) for c in intake.conditions],
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


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Give the safety questions; valid answers with consent are screened, saved and shown."""
    client = client_of(request)
    today = computer_today()
    previous = latest_intake_record(client)
    previous_answers = Intake.model_validate(previous.answers) if previous else None
    if request.method == "POST":
        form = IntakeForm(request.POST)
        procedures = procedure_formset(request.POST, today=today)
        if form.is_valid() and procedures.is_valid():
            answers = intake_answers(form, procedures, today)
            try:
                decision = screen(answers, today=today)
            except UserError as exc:  # the form checks what screening checks; kept as a guard
                form.add_error(None, exc.message)
            else:
                record = save_intake(
                    client,
                    answers,
                    decision,
                    consent_text=CONSENT_TEXT,
                    consented_at=timezone.now(),
                )
                return redirect("clients:decision", pk=record.pk)
    else:
        form = IntakeForm(
            initial=IntakeForm.initial_from(previous_answers) if previous_answers else None
        )
        procedures = procedure_formset(intake=previous_answers, today=today)
    shown, more = procedure_rows(procedures)
    return render(
        request,
        "clients/intake.html",
        {
            "nav": "intake",
            "form": form,
            "condition_fields": [form[name] for name, *_ in CONDITION_GROUPS],
            "procedures": procedures,
            "procedure_rows": shown,
            "more_procedure_rows": more,
            "consent_text": CONSENT_TEXT,
            "previous": previous,
            "today": today,
        },
    )


def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the decision one of the person's intakes led to: what it means and what follows."""
    record = get_own_or_404(request, IntakeRecord, pk=pk)
    client = client_of(request)
    newest = latest_intake_record(client)
    program = current_stored_program(client)
    context = decision_context(Decision.model_validate(record.decision))
    return render(
        request,
        "clients/decision.html",
        {
            **context,
            "nav": "intake",
            "record": record,
            "answers": _answers_in_words(Intake.model_validate(record.answers)),
            "is_newest": newest is not None and newest.pk == record.pk,
            "has_plan": program is not None,
            "plan_is_older": program is not None and program.created_at < record.created_at,
        },
    )


def latest(request: HttpRequest) -> HttpResponse:
    """Give the newest decision, or the questions when there is none yet."""
    record = latest_intake_record(client_of(request))
    if record is None:
        return redirect("clients:intake")
    return redirect("clients:decision", pk=record.pk)
