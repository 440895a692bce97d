"""Pages that belong to no one job: today's overview and the error pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import defaults

from collagen_coach.core.adherence import Adherence
from collagen_coach.core.words import DECISION_WORDS, PHASE_NAMES, whole_minutes
from collagen_coach.web.clients.access import SignedInRequest, client_of, membership_of
from collagen_coach.web.clients.models import Client
from collagen_coach.web.clients.services import latest_intake_record
from collagen_coach.web.guide import coach
from collagen_coach.web.lib import kept
from collagen_coach.web.lib.api import api_error, is_api_request
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.plans.services import current_stored_program
from collagen_coach.web.practice import attention, attention_store

HOME_ATTENTION_ROWS = 20  # clients needing attention shown on a practitioner's home
HOME_TODAY_NAMES = 40  # names of today's clients shown there (all: the list's "Planned today")


def _progress_line(adherence: Adherence) -> str:
    """Give adherence in one line, e.g. "So far 9 of 12 planned sessions done (75%)…"."""
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
    """Give the signed-in person's home: a practice member's day at the practice (today's
    clients and who needs attention, see :func:`practice_home`), or anyone else's own Today."""
    # Read through the account, as the menu reads it: one query, remembered for the menu.
    try:
        membership = request.user.membership
    except ObjectDoesNotExist:
        return _own_today(request, nav="home")
    return practice_home(request, membership)


def my_routine(request: SignedInRequest) -> HttpResponse:
    """Give a practice member's own Today (their own self-care, apart from the practice's day);
    anyone else's Today is their home."""
    if membership_of(request) is None:
        return redirect("home")
    return _own_today(request, nav="routine")


def practice_home(request: SignedInRequest, membership: Any) -> HttpResponse:
    """Give a practice member's home: today's clients first, then who needs attention and why
    (the rules, and the counts the client list filters by, are ``practice.attention``'s)."""
    today = computer_today()
    days = attention_store.kept_days(membership.practice, today)
    wanted = [pk for pk, day in days.items() if day.planned_today or day.needs_attention]
    names = dict(Client.objects.filter(pk__in=wanted).values_list("pk", "display_name").order_by())
    counts = attention.signal_counts(days)
    by_name = sorted(wanted, key=lambda pk: (names.get(pk, "").lower(), pk))
    planned = [(pk, names[pk], days[pk]) for pk in by_name if days[pk].planned_today]
    # The most to look at first; the rest are a tap away in the client list's filter.
    needing = sorted(
        ((pk, names[pk], days[pk]) for pk in by_name if days[pk].needs_attention),
        key=lambda item: -len(item[2].reasons),
    )
    context: dict[str, Any] = {
        "nav": "home",
        "practice": membership.practice,
        "today": today,
        "total": len(days),
        "planned_today": planned[:HOME_TODAY_NAMES],
        "planned_total": len(planned),
        "done_today": sum(day.planned_today and day.done_today for day in days.values()),
        "needing": needing[:HOME_ATTENTION_ROWS],
        "needing_total": len(needing),
        "signal_links": [(key, words, counts[key]) for key, words in attention.SIGNALS.items()],
        "windows": {
            "missed": attention.MISSED_DAYS,
            "pain": attention.PAIN_DAYS,
            "restriction": attention.ENDING_DAYS,
            "verdict": attention.VERDICT_DAYS,
            "note": attention.NOTE_DAYS,
        },
        "missed_at_least": attention.MISSED_AT_LEAST,
    }
    return render(request, "practice/home.html", context)


def _own_today(request: SignedInRequest, nav: str) -> HttpResponse:
    """Give today's overview of the signed-in person's own routine: what to do next, in plain
    words. Once there is a plan, the week strip and a baseline day's photo and rating (or the
    baseline week's day between) come from the coach (``guide.coach.essentials``), as on Today,
    so the two pages say the same."""
    client = client_of(request)
    # The menu asks the account for its client too: it gets this one, not a query of its own.
    request.user.client = client
    today = computer_today()
    # Kept until her records change (her stamp, read with her) or the day does.
    parts = (nav, request.user.pk, client.pk, client.changed, today)
    return kept.page(request, "today", parts, lambda: _today_page(request, client, today, nav))


def _today_page(request: SignedInRequest, client: Client, today: dt.date, nav: str) -> HttpResponse:
    context: dict[str, Any] = {"nav": nav, "client": client, "today": today, **kept.MARKED}
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
    days = coach.session_days(client, program)  # read once: the week strip, the progress line
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
            "progress_line": _progress_line(coach.habit(program, client, today, days)),
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
