"""Pages that belong to no one job: today's overview and the error pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import defaults

from collagen_coach.core.adherence import measure_adherence
from collagen_coach.core.planning import Program
from collagen_coach.core.words import DECISION_WORDS, PHASE_NAMES, whole_minutes
from collagen_coach.web.clients.access import SignedInRequest, membership_of
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import latest_intake_record
from collagen_coach.web.guide import coach
from collagen_coach.web.lib.api import api_error, is_api_request
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.plans.services import current_stored_program


def _progress_line(program: Program, done: list[dt.date], today: dt.date) -> str:
    """Give adherence in one line, e.g. "So far 9 of 12 planned sessions done (75%)…"."""
    adherence = measure_adherence([s.date for s in program.sessions], done, today=today)
    if not adherence.planned:
        return ""
    line = (
        f"So far {adherence.done} of {adherence.planned} planned sessions done "
        f"({adherence.percent:.0f}%)."
    )
    if adherence.current_streak >= 2:
        line += f" {adherence.current_streak} in a row: keep it going."
    return line


def home(request: SignedInRequest) -> HttpResponse:
    """Give today's overview: what to do next, in plain words. Once there is a plan, the week
    strip and a baseline day's photo and rating (or the baseline week's day between) come from
    the coach (``guide.coach.essentials``), as on Today, so the two pages say the same.

    A practitioner's own day starts at their client list (unless they keep records of their
    own as well: then Today is theirs, and the menu leads to the clients).
    """
    client = Client.objects.filter(account=request.user).first()
    if client is None:
        if membership_of(request):
            return redirect("practice:clients")
        raise Http404("this account has no records")
    # The menu asks the account for its client too: it gets this one, not a query of its own.
    request.user.client = client
    today = computer_today()
    context: dict[str, Any] = {"nav": "home", "client": client, "today": today}
    record = latest_intake_record(client)
    if record is None:
        return _before_the_plan(request, context, "intake")
    decision = record.get_decision()
    context["decision"] = decision
    context["decision_words"] = DECISION_WORDS[decision.decision]
    if decision.decision in ("defer", "refer"):
        return _before_the_plan(request, context, decision.decision)
    stored = current_stored_program(client)
    if stored is None:
        return _before_the_plan(request, context, "plan")
    program = stored.get_program()
    days = coach.session_days(client)  # read once, for the week strip and the progress line
    context.update(coach.essentials(program, client, today, days))
    done = days.done
    session = program.session_on(today)
    later = [s for s in program.sessions if s.date > today]
    context.update(
        {
            "step": "session" if session else "rest",
            "session": session,
            "phase": PHASE_NAMES[session.phase] if session else "",
            "minutes": whole_minutes(session.duration_s) if session else 0,
            "done_today": today in done,
            "next_session": later[0] if later else None,
            "progress_line": _progress_line(program, done, today),
            "newer_intake": record.created_at > stored.created_at,
        }
    )
    return render(request, "home.html", context)


def _before_the_plan(request: SignedInRequest, context: dict[str, Any], step: str) -> HttpResponse:
    """Give the overview of a day before there is a plan to follow: the next ``step`` to take,
    and what was measured today."""
    context["step"] = step
    context["measured"] = coach.measured_on(context["client"], context["today"])
    return render(request, "home.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Give the answer to a request Django refused (too large, malformed, suspicious)."""
    if is_api_request(request):
        return api_error(request, 400, exception)
    return defaults.bad_request(request, exception or Exception())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Give the answer to a request for something the person may not reach."""
    if is_api_request(request):
        return api_error(request, 403, exception)
    return defaults.permission_denied(request, exception or Exception())


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Give the page for an address that leads nowhere (or to someone else's record)."""
    if is_api_request(request):
        return api_error(request, 404, exception)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Give the page for an unexpected failure; the details go to the server's log only."""
    if is_api_request(request):
        return api_error(request, 500)
    return render(request, "500.html", status=500)
