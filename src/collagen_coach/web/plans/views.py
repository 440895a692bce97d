"""My plan: the profile it is made for, the program phase by phase, and re-planning."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from collagen_coach.core.adherence import week_start
from collagen_coach.core.planning import Profile, Program, Session, build_plan
from collagen_coach.core.screening import Decision, Intake
from collagen_coach.core.words import PHASE_NAMES
from collagen_coach.web.clients.access import client_of
from collagen_coach.web.clients.models import Client, IntakeRecord
from collagen_coach.web.clients.services import latest_intake_record, latest_profile
from collagen_coach.web.clients.words import decision_context
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.plans.forms import ProfileForm
from collagen_coach.web.plans.services import current_stored_program, save_program
from collagen_coach.web.plans.words import SIDE_WORDS, session_view


def _week_shown(program: Program, today: dt.date) -> tuple[str, list[Session]]:
    """Give the title and sessions of the week to show: this one, or the first if not begun."""
    if not program.sessions:
        return "", []
    first = program.sessions[0].date
    monday = week_start(today)
    title = "This week"
    if first > monday + dt.timedelta(days=6):
        monday, title = week_start(first), "Your first week"
    sunday = monday + dt.timedelta(days=6)
    return title, [s for s in program.sessions if monday <= s.date <= sunday]


def _newest_intake(client: Client) -> tuple[IntakeRecord, Intake, Decision] | None:
    record = latest_intake_record(client)
    if record is None:
        return None
    return record, record.get_intake(), record.get_decision()


def _can_plan(decision: Decision) -> bool:
    return decision.decision in ("go", "modify")


def plan(request: HttpRequest) -> HttpResponse:
    """Give the current plan phase by phase, or say what has to come first."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    record, _, decision = newest
    stored = current_stored_program(client)
    context: dict[str, Any] = {"nav": "plan", "record": record, "today": today}
    if not _can_plan(decision):
        context.update(decision_context(decision))
        context["has_plan"] = stored is not None
        return render(request, "plans/no_plan.html", context)
    if stored is None:
        return redirect("plans:profile")
    program = stored.get_program()
    week_title, week = _week_shown(program, today)
    last_day = program.sessions[-1].date if program.sessions else None
    context.update(
        {
            "stored": stored,
            "program": program,
            "profile": program.profile,
            "phases": [
                {
                    "name": PHASE_NAMES[p.name],
                    "goal": p.goal,
                    "start": p.start,
                    "end": p.end,
                    "is_current": p.start <= today <= p.end,
                }
                for p in program.phases
            ],
            "week_title": week_title,
            "week": [session_view(s, today) for s in week],
            "sessions_count": len(program.sessions),
            "has_session_today": program.session_on(today) is not None,
            "ended": last_day is not None and last_day < today,
            "last_day": last_day,
            "newer_intake": record.created_at > stored.created_at,
            "side_words": SIDE_WORDS[program.profile.treated_side],
        }
    )
    return render(request, "plans/plan.html", context)


def _make_plan(request: HttpRequest, client: Client, profile: Profile, decision: Decision) -> None:
    program = build_plan(profile, decision)
    save_program(client, program)
    messages.success(
        request, f"Your plan is ready: {len(program.sessions)} sessions over {profile.weeks} weeks."
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Give the questions a plan is made for; valid answers make and save a new plan."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    _, intake, decision = newest
    if not _can_plan(decision):
        return redirect("plans:plan")
    if request.method == "POST":
        form = ProfileForm(request.POST, today=today)
        if form.is_valid():
            _make_plan(request, client, form.profile(intake), decision)
            return redirect("plans:plan")
    else:
        saved = latest_profile(client)
        form = ProfileForm(initial=ProfileForm.initial_from(saved, intake.age, today), today=today)
    return render(
        request,
        "plans/profile.html",
        {
            "nav": "plan",
            "form": form,
            "has_plan": current_stored_program(client) is not None,
        },
    )


@require_POST
def replan(request: HttpRequest) -> HttpResponse:
    """Make the plan again from the saved profile and the newest safety answers."""
    client = client_of(request)
    today = computer_today()
    newest = _newest_intake(client)
    if newest is None:
        messages.info(request, "Before a plan can be made, please answer the safety questions.")
        return redirect("clients:intake")
    _, intake, decision = newest
    if not _can_plan(decision):
        return redirect("plans:plan")
    saved = latest_profile(client)
    if saved is None:
        return redirect("plans:profile")
    start = saved.start_date
    if start + dt.timedelta(weeks=saved.weeks) <= today:
        # The old plan has run its course: the new one starts today.
        start = today
    _make_plan(
        request,
        client,
        saved.model_copy(update={"intake": intake, "age": intake.age, "start_date": start}),
        decision,
    )
    return redirect("plans:plan")
