"""The safety check: the intake questions with consent, and the decision they lead to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from collagen_coach.core.errors import UserError
from collagen_coach.core.screening import screen
from collagen_coach.web.clients.access import client_of, get_own_or_404
from collagen_coach.web.clients.forms import (
    CONDITION_GROUPS,
    CONSENT_TEXT,
    IntakeForm,
    intake_answers,
    procedure_formset,
    procedure_rows,
)
from collagen_coach.web.clients.models import IntakeRecord
from collagen_coach.web.clients.services import latest_intake_record, save_intake
from collagen_coach.web.clients.words import answers_in_words, decision_context
from collagen_coach.web.lib.dates import now
from collagen_coach.web.lib.dates import today as computer_today


@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Give the safety questions; valid answers with consent are screened, saved and shown."""
    client = client_of(request)
    today = computer_today()
    previous = latest_intake_record(client)
    previous_answers = previous.get_intake() if previous else None
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
                    consented_at=now(),
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
    # The plans build on the safety check: its current plan is read through the client's
    # reverse relation, not imported from the plans app.
    program = client.programs.filter(is_current=True).first()
    context = decision_context(record.get_decision())
    return render(
        request,
        "clients/decision.html",
        {
            **context,
            "nav": "intake",
            "record": record,
            "answers": answers_in_words(record.get_intake()),
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
